/* sphinxcontrib-dlglossary: tooltip cards for .dlterm links. Vanilla JS, no dependencies.
   Config from this <script>: data-terms (classic script setting window.dlglossaryTerms,
   injected on first interest), data-delay (ms, default 250), data-more (link text). */
(function () {
  "use strict";
  var W = window, D = document, ID = "dlglossary-tip",
    S = D.currentScript || D.querySelector("script[data-terms]"),
    cfg = function (n) { return S && S.getAttribute(n); },
    src = cfg("data-terms"), delay = parseInt(cfg("data-delay"), 10),
    root, card, ttl, body, more, cur, want, key, frag, viaKey, loading, tShow, tHide, tap, raf;
  if (W.dlglossaryTip) return;
  W.dlglossaryTip = 1;
  if (!(delay >= 0)) delay = 250;
  try {
    // definitions are written relative to the site root: the terms file's parent's parent
    root = src ? new URL("../", new URL(src, D.baseURI))
      : new URL(D.documentElement.getAttribute("data-content_root") || "", D.baseURI);
  } catch (e) { root = D.baseURI; }

  function load() {
    if (loading || W.dlglossaryTerms || !src) return;
    loading = 1;
    var s = D.createElement("script");
    s.src = src;
    s.onload = function () { if (want) show.apply(null, want); };
    s.onerror = function () { loading = 2; want = null; };
    D.head.appendChild(s);
  }
  function term(a) {
    var T = W.dlglossaryTerms, k = a.hash.slice(1);
    try { k = decodeURIComponent(k); } catch (e) { /* keep raw */ }
    return T && Object.prototype.hasOwnProperty.call(T, k) && T[k] ? [k, T[k]] : null;
  }
  function desc(a, on) {
    var v = (a.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter(function (x) { return x && x != ID; });
    if (on) v.push(ID);
    if (v.length) a.setAttribute("aria-describedby", v.join(" "));
    else a.removeAttribute("aria-describedby");
  }
  function within(n) { return !!(n && (card && card.contains(n) || cur && cur.contains(n))); }
  function sched() {
    if (cur && !raf) raf = requestAnimationFrame(function () { raf = 0; place(); });
  }

  function make() {
    if (card) return;
    card = D.createElement("div");
    card.id = ID;
    card.className = "dlg-tip";
    card.setAttribute("role", "tooltip");
    if (card.showPopover) card.setAttribute("popover", "manual"); else card.hidden = true;
    card.innerHTML = '<div class="dlg-title"></div><div class="dlg-body"></div>' +
      '<a class="dlg-more" tabindex="-1" aria-hidden="true"></a>';
    ttl = card.firstChild; body = ttl.nextSibling; more = card.lastChild;
    more.textContent = cfg("data-more") || "more";
    D.body.appendChild(card);
    W.addEventListener("scroll", sched, { capture: true, passive: true });
    W.addEventListener("resize", sched);
    if (W.visualViewport) {
      W.visualViewport.addEventListener("resize", sched);
      W.visualViewport.addEventListener("scroll", sched);
    }
    if (W.ResizeObserver) new ResizeObserver(sched).observe(card);
  }

  function mathLib() {
    var M = W.MathJax;
    return M && (M.typesetPromise || M.Hub) || W.renderMathInElement;
  }
  function tex(s) {
    var m = /^(?:\\\(|\\\[|\$\$?)([\s\S]*?)(?:\\\)|\\\]|\$\$?)$/.exec(s = s.trim());
    return (m ? m[1] : s).trim();
  }
  function render(t) {
    var d = t[1], M = W.MathJax, tp = D.createElement("template"), f;
    if (key && M && M.typesetClear) M.typesetClear([body]);
    key = t[0];
    ttl.textContent = d.t || "";
    tp.innerHTML = d.h || ""; // inert: parsed in a template, cleaned before insertion
    f = tp.content;
    f.querySelectorAll("script,style,iframe,frame,object,embed,link,meta,base,template")
      .forEach(function (e) { e.remove(); });
    f.querySelectorAll("*").forEach(function (e) {
      [].slice.call(e.attributes).forEach(function (x) {
        var n = x.name, v = x.value.replace(/[\s\0-\x1f]+/g, "");
        if (/^on|^(id|srcdoc|formaction|action)$/i.test(n) ||
            /^(java|vb)script:|^data:(?!image\/)/i.test(v)) e.removeAttribute(n);
        else if (n == "src" || n == "href") {
          try { e.setAttribute(n, new URL(x.value, root).href); } catch (u) { e.removeAttribute(n); }
        }
      });
    });
    if (!mathLib()) f.querySelectorAll(".math").forEach(function (m) {
      if (m.localName == "img") return;
      m.querySelectorAll(".eqno").forEach(function (e) { e.remove(); });
      var c = D.createElement("code");
      c.className = "dlg-tex" + (m.localName == "div" ? " dlg-block" : "");
      c.textContent = tex(m.textContent);
      m.replaceWith(c);
    });
    body.replaceChildren(f);
  }
  function typeset() {
    var M = W.MathJax;
    if (!body.querySelector(".math:not(img)")) return;
    if (M && M.typesetPromise) {
      (M.startup && M.startup.promise || Promise.resolve())
        .then(function () { return M.typesetPromise([body]); }).then(sched, function () {});
    } else if (M && M.Hub) M.Hub.Queue(["Typeset", M.Hub, body], sched);
    else if (W.renderMathInElement) { W.renderMathInElement(body); sched(); }
  }

  function show(a, y, k) {
    clearTimeout(tShow); clearTimeout(tHide);
    if (!W.dlglossaryTerms) { want = [a, y, k]; return load(); }
    var t = term(a), fresh, rs, i, c, n;
    if (!t) return hide();
    want = null;
    make();
    if (cur && cur != a) desc(cur);
    if ((fresh = key != t[0])) render(t);
    more.href = a.href;
    viaKey = k;
    rs = a.getClientRects();
    for (frag = i = 0; y != null && i < rs.length; i++) {
      if (y >= rs[i].top && y <= rs[i].bottom) { frag = i; break; }
    }
    if (!cur) {
      if (card.showPopover) { try { card.showPopover(); } catch (e) { /* already open */ } }
      else card.hidden = false;
    }
    cur = a;
    desc(a, 1);
    // dark background (any theme or user override): lets CSS invert imgmath images
    c = getComputedStyle(card).backgroundColor; n = c.match(/[\d.]+/g);
    card.classList.toggle("dlg-dark", !!n && /^rgb/.test(c) && !(n[3] < 0.5) &&
      0.299 * n[0] + 0.587 * n[1] + 0.114 * n[2] < 128);
    place();
    if (fresh) typeset();
  }
  function hide() {
    clearTimeout(tShow); clearTimeout(tHide);
    want = null;
    if (!cur) return;
    desc(cur);
    cur = null;
    if (card.hidePopover) { try { card.hidePopover(); } catch (e) { /* not open */ } }
    else card.hidden = true;
  }

  function place() {
    if (!cur) return;
    var V = W.visualViewport, E = D.documentElement, s = card.style, M = 8, G = 6,
      L = V ? V.offsetLeft : 0, T = V ? V.offsetTop : 0,
      vw = V ? V.width : E.clientWidth, vh = V ? V.height : E.clientHeight,
      rs = cur.getClientRects(), r = rs[frag] || rs[0], w, h, below, above, up;
    if (!cur.isConnected || !r || r.bottom < T || r.top > T + vh) return hide();
    s.left = s.top = "0"; s.maxHeight = "";
    w = card.offsetWidth; h = card.offsetHeight;
    below = T + vh - M - G - r.bottom;
    above = r.top - G - M - T;
    up = h > below && above > below;
    if (h > (up ? above : below)) {
      s.maxHeight = Math.max(up ? above : below, 0) + "px";
      h = card.offsetHeight;
    }
    s.top = (up ? r.top - G - h : r.bottom + G) + "px";
    s.left = Math.max(L + M, Math.min(r.left, L + vw - M - w)) + "px";
  }

  function trig(e) {
    var n = e.target;
    return n && n.closest ? n.closest("a.dlterm[href]") : null;
  }
  function on(t, f, c) { D.addEventListener(t, f, c); }

  on("pointerover", function (e) {
    var a = trig(e);
    if (a) load();
    if (e.pointerType == "touch") return;
    if (a) {
      if (a.contains(e.relatedTarget)) return; // moved inside the same link
      clearTimeout(tHide);
      if (a != cur) {
        clearTimeout(tShow);
        tShow = setTimeout(show, delay, a, e.clientY, 0);
      }
    } else if (card && card.contains(e.target)) clearTimeout(tHide);
  });
  on("pointerout", function (e) {
    var a = trig(e), to = e.relatedTarget;
    if (e.pointerType == "touch" || !a && !(card && card.contains(e.target))) return;
    if (a && a.contains(to) || within(to)) return;
    clearTimeout(tShow);
    if (!(viaKey && cur && cur == D.activeElement)) tHide = setTimeout(hide, 200);
  });
  on("focusin", function (e) {
    var a = trig(e), v = 1;
    if (!a) return;
    load();
    try { v = a.matches(":focus-visible"); } catch (x) { /* old browser: treat as keyboard */ }
    if (v) show(a, null, 1);
  });
  on("focusout", function (e) {
    var a = trig(e);
    if (a && (a == cur || want && want[0] == a) && !(card && card.contains(e.relatedTarget))) hide();
  });
  on("keydown", function (e) {
    if (e.key == "Escape" && (cur || want)) hide();
  });
  on("pointerdown", function (e) {
    var a = trig(e);
    tap = e.pointerType == "touch" ? a : null;
    if ((cur || want) && a != cur && !(card && card.contains(e.target))) hide();
  }, true);
  // touch: the first tap on a term shows its card; a second tap (or "more") follows the link
  on("click", function (e) {
    var a = trig(e), t = tap;
    tap = null;
    if (!a || a != t || !e.detail || a == cur) return;
    if (W.dlglossaryTerms ? !term(a) : !src || loading > 1) return;
    e.preventDefault();
    show(a, e.clientY, 0);
  }, true);
})();
