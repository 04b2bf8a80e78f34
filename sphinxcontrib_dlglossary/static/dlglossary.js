/* sphinxcontrib-dlglossary tooltip cards for a.dlterm. <script> attributes: data-terms (classic
   script defining window.dlglossaryTerms, injected on first interest), data-delay, data-more. */
(function () {
  "use strict";
  var W = window, D = document, ID = "dlglossary-tip",
    S = D.currentScript || D.querySelector("script[data-terms]"),
    cfg = function (n) { return S && S.getAttribute(n); },
    src = cfg("data-terms"), delay = parseInt(cfg("data-delay"), 10),
    root, card, ttl, body, more, cur, want, key, frag, viaKey, loading, tShow, tHide, tap, raf, esc;
  if (W.dlglossaryTip) return;
  W.dlglossaryTip = 1;
  if (!(delay >= 0)) delay = 250;
  try { // URLs in definitions are relative to the site root, the terms file's ../
    root = src ? new URL("../", new URL(src, D.baseURI))
      : new URL(D.documentElement.getAttribute("data-content_root") || "", D.baseURI);
  } catch (e) { root = new URL(D.baseURI); }

  function load() {
    if (loading || W.dlglossaryTerms || !src) return;
    loading = 1;
    var s = D.createElement("script");
    s.src = src;
    s.onload = function () { if (want) show.apply(null, want); };
    s.onerror = function () { loading = 2; if (want && want[2] > 1) want[0].click(); want = null; };
    D.head.appendChild(s);
  }
  function term(a) {
    var T = W.dlglossaryTerms, k = a.hash.slice(1);
    try { k = decodeURIComponent(k); } catch (e) {}
    return T && {}.hasOwnProperty.call(T, k) && T[k] ? [k, T[k]] : null;
  }
  function desc(a, on) {
    var v = (a.getAttribute("aria-describedby") || "").split(/\s+/)
      .filter(function (x) { return x && x != ID; });
    if (on) v.push(ID);
    if (v.length) a.setAttribute("aria-describedby", v.join(" "));
    else a.removeAttribute("aria-describedby");
  }
  function inC(n) { return !!(card && n && n.nodeType && card.contains(n)); }
  function within(n) { return inC(n) || !!(cur && n && cur.contains(n)); }
  function sched(e) { // (not for scrolls inside the card)
    if (cur && !raf && !(e && inC(e.target))) {
      raf = requestAnimationFrame(function () { raf = 0; place(); });
    }
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
    return M && (M.typesetPromise || M.Hub);
  }
  function tex(s) {
    var m = /^(?:\\\(|\\\[|\$\$?)([\s\S]*?)(?:\\\)|\\\]|\$\$?)$/.exec(s = s.trim());
    return (m ? m[1] : s).trim();
  }
  // TeX from which MathJax makes links, styles, classes, ids or requests
  var TEX = /\\(href|style|class|cssId|data|unicode|require|mmlToken|bbox|fcolorbox)/;
  // Drop attributes that run script, style with URLs or leave the site (but for http(s)
  // links); pre(-insertion) also ids, and URLs made absolute
  function clean(r, pre) {
    r.querySelectorAll("*").forEach(function (e) {
      Array.from(e.attributes).forEach(function (x) {
        var n = x.name, v = x.value, u = /href|src|action|poster|background/i.test(n);
        try { u = u && new URL(v, root); } catch (z) { u = {}; }
        if (/^on|^(srcdoc|srcset|ping)$/i.test(n) || pre && n == "id" ||
            (n == "style" ? /url|image|\\|expression|import/i : /url\(/i)
              .test(v.replace(/\s/g, "")) ||
            u && u.protocol + u.host != root.protocol + root.host && !/^data:image\//.test(u.href)
              && !(e.localName == "a" && /^https?:$/.test(u.protocol))) {
          e.removeAttribute(n);
        } else if (u && pre) e.setAttribute(n, u.href);
      });
      if (e.localName == "a") e.tabIndex = -1;
    });
  }
  function render(t) {
    var d = t[1], M = W.MathJax, tp = D.createElement("template"), f, i, c;
    if (key && M && M.typesetClear) M.typesetClear([body]);
    key = t[0] + !!mathLib();
    ttl.textContent = d.t || "";
    tp.innerHTML = d.h || ""; // inert in a template; cleaned before insertion
    f = tp.content;
    f.querySelectorAll("script,style,iframe,frame,object,embed,link,meta,base,template,form," +
      "animate,set,wbr,.eqno,.headerlink").forEach(function (e) { e.remove(); });
    for (i = D.createNodeIterator(f, 128); (c = i.nextNode()); ) c.remove(); // comments
    clean(f, 1);
    // math as code without a renderer, or if any text could act as TeX
    if (!mathLib() || TEX.test(f.textContent)) f.querySelectorAll(".math").forEach(function (m) {
      if (m.localName == "img") return;
      var c = D.createElement("code");
      c.className = "dlg-tex" + (m.localName == "div" ? " dlg-block" : "");
      c.textContent = tex(m.textContent);
      m.replaceWith(c);
    });
    body.replaceChildren(f);
  }
  function typeset() {
    var M = W.MathJax, done = function () { clean(body); sched(); };
    // MathML cards (built with dlglossary_tooltip_math "mathml") hold no .math: the
    // browser draws them, MathJax never sees them
    if (!body.querySelector(".math:not(img)")) return;
    if (M && M.typesetPromise) {
      (M.startup && M.startup.promise || Promise.resolve())
        .then(function () { return M.typesetPromise([body]); }).then(done, done);
    } else if (M && M.Hub) M.Hub.Queue(["Typeset", M.Hub, body], done);
  }

  function show(a, y, k) {
    clearTimeout(tShow); clearTimeout(tHide);
    if (!W.dlglossaryTerms) { want = [a, y, k]; return load(); }
    var t = term(a), fresh, rs, i, c, n;
    if (!t) { // no card: a tap that waited for the terms navigates
      if (k > 1) a.click();
      return hide();
    }
    want = null;
    make();
    if (cur && cur != a) desc(cur);
    if ((fresh = key != t[0] + !!mathLib())) render(t);
    more.href = a.href;
    viaKey = k;
    rs = a.getClientRects();
    for (frag = i = 0; y != null && i < rs.length; i++) {
      if (y >= rs[i].top && y <= rs[i].bottom) { frag = i; break; }
    }
    if (!cur) {
      if (card.showPopover) { try { card.showPopover(); } catch (e) {} }
      else card.hidden = false;
    }
    if (cur != a) card.scrollTop = 0;
    cur = a;
    desc(a, 1);
    // dark card: CSS inverts imgmath
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
    if (card.hidePopover) { try { card.hidePopover(); } catch (e) {} }
    else card.hidden = true;
  }

  function place() {
    if (!cur) return;
    var V = W.visualViewport, E = D.documentElement, s = card.style, M = 8, G = 6,
      L = V ? V.offsetLeft : 0, T = V ? V.offsetTop : 0,
      vw = V ? V.width : E.clientWidth, vh = V ? V.height : E.clientHeight,
      rs = cur.getClientRects(), r = rs[frag] || rs[0], st = card.scrollTop,
      w, h, below, above, up;
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
    card.scrollTop = st;
  }

  function trig(e) {
    var n = e.target;
    return n && n.closest && !inC(n) ? n.closest("a.dlterm[href]") : null;
  }
  function on(t, f, c) { D.addEventListener(t, f, c); }

  // Escape hides the card, and the browser then reports the link the card covered as under
  // the still pointer (pointerover, no move): that must not open its card. Until the pointer
  // moves (and leaves the dismissed link), pointerover opens nothing.
  function over(e) {
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
    } else if (inC(e.target)) clearTimeout(tHide);
  }
  on("pointerover", function (e) { if (!esc) over(e); });
  on("pointermove", function (e) { if (esc && trig(e) != esc) { esc = 0; over(e); } });
  on("pointerout", function (e) {
    var a = trig(e), to = e.relatedTarget;
    if (e.pointerType == "touch" || !a && !inC(e.target)) return;
    if (a && a.contains(to) || within(to)) return;
    clearTimeout(tShow);
    if (!(viaKey && cur && cur == D.activeElement)) tHide = setTimeout(hide, 200);
  });
  on("focusin", function (e) {
    var a = trig(e), v = 1;
    if (!a) return;
    load();
    try { v = a.matches(":focus-visible"); } catch (x) {}
    if (v) show(a, null, 1);
  });
  on("focusout", function (e) {
    var a = trig(e);
    if (a && (a == cur || want && want[0] == a) && !inC(e.relatedTarget)) hide();
  });
  on("keydown", function (e) {
    if (e.key == "Escape" && (cur || want)) { esc = cur || want[0]; hide(); }
  });
  on("pointerdown", function (e) {
    var a = trig(e);
    tap = e.pointerType == "touch" ? a : null;
    if ((cur || want) && a != cur && !inC(e.target)) hide();
  }, true);
  // touch: 1st tap shows the card, a 2nd tap (or "more") navigates
  on("click", function (e) {
    var a = trig(e), t = tap;
    tap = null;
    if (!a || a != t || !e.detail || a == cur) return;
    if (W.dlglossaryTerms ? !term(a) : !src || loading > 1) return;
    e.preventDefault();
    show(a, e.clientY, 2);
  }, true);

  // The glossary page's filter: the extension writes it hidden (no script, no box); it
  // narrows the entries to those whose title, aliases or summary hold the text typed
  // (case, hyphens and spaces aside) and says how many match. The stylesheet hides
  // letters left empty.
  function norm(s) { return s.toLowerCase().replace(/[\s\u2010-\u2015-]+/g, " "); }
  D.querySelectorAll(".dlglossary-filter").forEach(function (f) {
    var i = f.querySelector("input"), out = f.querySelector("[role=status]"),
      // the letter bar's parent: the glossary, or the section holding its letters
      dts = f.parentNode.parentNode.querySelectorAll("dl.dlglossary-list>dt");
    function run() {
      var q = norm(i.value).trim(), n = 0;
      dts.forEach(function (dt) {
        var dd = dt.nextElementSibling, t = dt.textContent, hit;
        dd.querySelectorAll(".dlglossary-summary,.dlglossary-aliases")
          .forEach(function (p) { t += " " + p.textContent; });
        n += hit = norm(t).indexOf(q) >= 0;
        dt.classList.toggle("dlg-out", !hit);
        dd.classList.toggle("dlg-out", !hit);
      });
      out.textContent = q ? n ? f.getAttribute("data-count").replace("{n}", n)
        : f.getAttribute("data-none") : "";
    }
    i.addEventListener("input", run);
    i.addEventListener("keydown", function (e) {
      if (e.key == "Escape" && i.value) { i.value = ""; run(); }
    });
    f.hidden = false;
  });
})();
