"""Hostile definitions are inert in the card and on the glossary page (issue 12, case 3).

Two walls are tested. The card runtime (``static/dlglossary.js``) on its own: the
hand-written terms file of ``fixtures/hostile/`` holds what the build would refuse (script,
event handlers, ``javascript:`` and ``data:`` links, ``\\href``, ``\\style``, ``\\bbox``,
``\\unicode``, ``\\require`` … in math, CSS ``url()``), shown with the real offline MathJax 3
of ``sphinx-mathjax-offline`` and with MathJax stubs that insert unsafe markup themselves.
And a real Sphinx build of a hostile project term file (``fixtures/hostile/site``), whatever
the build makes of it: its glossary page and the cards of a page using the terms.

Every definition is shown by hover and by keyboard focus, and everything in it is clicked
(with the mouse and by a synthetic click). Then: no dialog opened, ``window.pwned`` is
undefined, no uncaught error, and no request left ``file:``. Every ``http://attacker.invalid``
in the data is rewritten to a local server that records each hit; the page routes those
requests to it, while the ``make_page`` fixture aborts and records any other.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from common import offline_mathjax

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
STATIC = Path(__file__).resolve().parents[2] / "sphinxcontrib_dlglossary" / "static"
PLACEHOLDER = "http://attacker.invalid"
LOCAL = ("file:", "data:", "blob:", "about:")
#: the card's terms, in page order: link id, title
CARD_TERMS = [
    ("t-script", "Script"),
    ("t-links", "Links"),
    ("t-math-href", "Math href"),
    ("t-math-style", "Math style"),
    ("t-math-load", "Math load"),
    ("t-css", "CSS"),
    ("t-ok", "Harmless"),
]
#: TeX commands that must never reach a typesetter from a card
FORBIDDEN_TEX = re.compile(
    r"\\(href|style|class|cssId|data|unicode|require|mmlToken|bbox|fcolorbox)"
)

#: What a typesetter that obeys any TeX could insert: the card must clean it up afterwards.
#: (Hidden until cleaned, so that no background is fetched before the card's sanitiser runs.)
EVIL_OUTPUT = f"""
// the text a TeX reader sees in el (MathJax skips code and pre)
window.__tex = (el) => {{
  const c = el.cloneNode(true);
  c.querySelectorAll('code, pre').forEach(x => x.remove());
  return c.textContent;
}};
window.__evil = (el) => {{
  for (const m of el.querySelectorAll('.math')) m.insertAdjacentHTML('beforeend',
    '<a class="evil" href="javascript:window.pwned=1;alert(1)">a</a>' +
    '<span class="evil" style="display:none;background:url({PLACEHOLDER}/stub.png)">b</span>' +
    '<span class="evil" onclick="window.pwned=2;alert(2)">c</span>' +
    '<svg class="evil" width="20" height="20"><a xlink:href="javascript:alert(3)">' +
    '<text y="15">d</text></a></svg>' +
    '<span class="evil" tabindex="0" onfocus="window.pwned=4;alert(4)">e</span>');
}};
"""
MATHJAX3_EVIL = (
    EVIL_OUTPUT
    + """
window.__typeset = [];
window.MathJax = {
  startup: {promise: Promise.resolve()},
  typesetClear() {},
  typesetPromise(els) {
    window.__typeset.push(els.map(window.__tex).join(' '));
    els.forEach(window.__evil);
    return Promise.resolve();
  },
};
"""
)
MATHJAX2_EVIL = (
    EVIL_OUTPUT
    + """
window.__typeset = [];
window.MathJax = {Hub: {Queue(job, cb) {
  window.__typeset.push(window.__tex(job[2]));
  window.__evil(job[2]);
  setTimeout(cb, 0);
}}};
"""
)


# --- the attacker's server ----------------------------------------------------------------


@dataclass
class Attacker:
    """A local HTTP server standing for every URL of the hostile data; it records each hit."""

    origin: str
    hits: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def attacker_server() -> Iterator[Attacker]:
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            hits.append(f"{self.command} {self.path}")
            body = b"window.pwned = 'server';"
            self.send_response(200)
            self.send_header("Content-Type", "text/javascript")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_HEAD = _answer

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Attacker(f"http://127.0.0.1:{server.server_address[1]}", hits)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def attacker(attacker_server: Attacker) -> Attacker:
    attacker_server.hits.clear()
    return attacker_server


# --- pages ---------------------------------------------------------------------------------


def mathjax3() -> Path:
    js = offline_mathjax()
    if js is None:
        pytest.skip("sphinx-mathjax-offline is not installed (offline MathJax 3)")
    return js


def watch(page: Any, attacker: Attacker) -> list[str]:
    """Every URL the page requests; requests to the attacker go through to its server."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.route(f"{attacker.origin}/**", lambda r: r.continue_())
    return requests


def card_page(tmp_path: Path, attacker: Attacker, runtime: str, mathjax: str) -> Path:
    """A copy of fixtures/hostile/ loading *runtime* and *mathjax* ('real' or '')."""
    target = tmp_path / "hostile"
    shutil.copytree(HOSTILE, target, ignore=shutil.ignore_patterns("site"))
    terms = target / "_static" / "dlglossary-terms.js"
    terms.write_text(terms.read_text("utf-8").replace(PLACEHOLDER, attacker.origin), "utf-8")
    index = target / "index.html"
    tag = f'<script defer src="{mathjax3().as_uri()}"></script>' if mathjax == "real" else ""
    index.write_text(
        index.read_text("utf-8")
        .replace("@RUNTIME@", (STATIC / runtime).as_uri())
        .replace("@CSS@", (STATIC / "dlglossary.css").as_uri())
        .replace("<!--MATHJAX-->", tag),
        "utf-8",
    )
    return index


def wait_mathjax(page: Any) -> None:
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise.then(() => 0)")


def settle(page: Any) -> None:
    """Let a typesetter finish with the card, and its requests start."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('[role=tooltip] .math:not(img)')]
                   .every(m => m.querySelector('mjx-container'))""",
        timeout=5000,
    )
    page.wait_for_timeout(300)


def unsafe_markup(page: Any, scope: str) -> list[str]:
    """Attributes under *scope* that could run script, link to script or load by CSS."""
    return page.evaluate(
        """scope => [...document.querySelectorAll(scope + ' *')].flatMap(e =>
             [...e.attributes].filter(a =>
               /^on/i.test(a.name) ||
               /href|src|action/i.test(a.name) && /^\\s*(javascript|vbscript|data:text)/i
                 .test(a.value.replace(/[\\s\\0-\\x1f]/g, '')) ||
               a.name === 'style' && /url\\(/i.test(a.value)
             ).map(a => `<${e.localName} ${a.name}="${a.value}">`))""",
        scope,
    )


def click_everything(page: Any, root: Any) -> None:
    """Click inside *root* (a locator): with the mouse on each link, formula, code, image or
    control where it is visible, then a synthetic click on every element (which follows
    links and submits forms just the same). The page must stay where it is."""
    targets = root.locator("a, mjx-container, code, svg, math, button, summary, img, input")
    url = page.url
    for i in range(targets.count()):
        point = targets.nth(i).evaluate(
            """e => { e.scrollIntoView({block: 'nearest', behavior: 'instant'});
                 const r = e.getBoundingClientRect();
                 if (!r.width || !r.height) return null;
                 const x = r.x + Math.min(r.width / 2, 12), y = r.y + Math.min(r.height / 2, 8);
                 const hit = document.elementFromPoint(x, y);
                 return hit && (hit === e || e.contains(hit)) ? [x, y] : null; }"""
        )
        if point:
            page.mouse.click(point[0], point[1])
            page.wait_for_timeout(20)
            assert page.url == url, f"a click in the card navigated to {page.url}"
    root.evaluate(
        """root => [root, ...root.querySelectorAll('*')].forEach(e => e.dispatchEvent(
             new MouseEvent('click', {bubbles: true, cancelable: true, view: window})))"""
    )
    page.wait_for_timeout(200)
    assert page.url == url, f"a click in the card navigated to {page.url}"


def assert_inert(page: Any, requests: list[str], attacker: Attacker) -> None:
    log = page.dlg_log
    assert log.dialogs == [], f"dialogs opened: {log.dialogs}"
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert attacker.hits == [], f"the attacker's server was reached: {attacker.hits}"
    assert [u for u in requests if not u.startswith(LOCAL)] == []
    assert log.blocked == [], f"requests left file://: {log.blocked}"
    assert log.page_errors == [], f"uncaught page errors: {log.page_errors}"


# --- the card on its own -------------------------------------------------------------------


def hover(page: Any, selector: str) -> None:
    """Put the pointer on the link in one move: no other link on the way opens its card
    (which could then cover this one)."""
    link = page.locator(selector).first
    link.evaluate("e => e.scrollIntoView({block: 'center', behavior: 'instant'})")
    box = link.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def show(page: Any, tip: Any, title: str, link: str | None = None) -> Any:
    """Hover *link* (if given; else it was focused), wait for its card and its math."""
    if link:
        hover(page, f"#{link}")
    card = tip.wait_shown(page)
    page.wait_for_function("t => document.querySelector('.dlg-title').textContent === t", arg=title)
    settle(page)
    return card


def typeset_commands(card: Any) -> list[str]:
    """The MathML of each typeset formula in the card that holds a link, style or action."""
    mathml = card.locator(".dlg-body mjx-container").evaluate_all(
        "ms => ms.map(m => (m.querySelector('mjx-assistive-mml, math') || m).outerHTML)"
    )
    return [m for m in mathml if re.search(r"href|style=|class=.dlg|id=|maction", m)]


# The runtime sites load (the minified one, made from dlglossary.js by tools/minify.py);
# test_hostile_cards_by_keyboard goes through every card with the source.
@pytest.mark.parametrize("runtime", ["dlglossary.min.js"])
@pytest.mark.parametrize("link, title", CARD_TERMS, ids=[t[0][2:] for t in CARD_TERMS])
def test_hostile_card_with_real_mathjax_is_inert(
    make_page, tip, tmp_path, attacker, runtime, link, title
):
    page = make_page()
    page.set_default_timeout(10_000)
    requests = watch(page, attacker)
    page.goto(card_page(tmp_path, attacker, runtime, "real").as_uri(), wait_until="load")
    wait_mathjax(page)
    card = show(page, tip, title, link)
    if link == "t-ok":  # MathJax works in the card: harmless math is typeset
        assert card.locator(".dlg-body mjx-container").count() == 1
    click_everything(page, card.locator(".dlg-body"))
    assert_inert(page, requests, attacker)
    assert typeset_commands(card) == []
    assert unsafe_markup(page, "[role=tooltip]") == []
    page.keyboard.press("Escape")
    tip.wait_hidden(page)
    page.wait_for_timeout(200)
    assert_inert(page, requests, attacker)


def test_hostile_cards_by_keyboard(make_page, tip, tmp_path, attacker):
    page = make_page()
    page.set_default_timeout(10_000)
    requests = watch(page, attacker)
    page.goto(card_page(tmp_path, attacker, "dlglossary.js", "real").as_uri(), wait_until="load")
    wait_mathjax(page)
    page.locator("#start").focus()
    for link, title in CARD_TERMS:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == link
        card = show(page, tip, title)
        assert typeset_commands(card) == []
        assert unsafe_markup(page, "[role=tooltip]") == []
        if link == "t-math-href":  # refused TeX is shown as code, readable
            codes = card.locator("code.dlg-tex").all_inner_texts()
            assert "\\href{javascript:alert(document.domain)}{f(x)}" in codes
            assert "\\href{javascript:alert(18)}{\\sum_i x_i}" in codes
        assert_inert(page, requests, attacker)
    page.keyboard.press("Escape")
    tip.wait_hidden(page)
    page.wait_for_timeout(300)
    assert_inert(page, requests, attacker)


@pytest.mark.parametrize("stub", [MATHJAX3_EVIL, MATHJAX2_EVIL], ids=["mathjax3", "mathjax2"])
def test_card_cleans_what_the_typesetter_inserted(make_page, tip, tmp_path, attacker, stub):
    page = make_page()
    page.set_default_timeout(10_000)
    requests = watch(page, attacker)
    page.add_init_script(stub.replace(PLACEHOLDER, attacker.origin))
    page.goto(card_page(tmp_path, attacker, "dlglossary.js", "").as_uri(), wait_until="load")
    for link, title in CARD_TERMS:
        hover(page, f"#{link}")
        card = tip.wait_shown(page)
        page.wait_for_function(
            "t => document.querySelector('.dlg-title').textContent === t", arg=title
        )
        page.wait_for_timeout(150)
        if link == "t-ok":
            page.wait_for_function("() => document.querySelector('[role=tooltip] .evil')")
            page.wait_for_timeout(50)
            assert card.locator(".evil").count() == 5, "the stub typeset the harmless math"
        click_everything(page, card.locator(".dlg-body"))
        assert_inert(page, requests, attacker)
        assert unsafe_markup(page, "[role=tooltip]") == [], title
        page.keyboard.press("Escape")
        tip.wait_hidden(page)
        page.mouse.move(1000, 740)
    seen = page.evaluate("window.__typeset")
    assert seen, "the stub never typeset"
    assert [t for t in seen if FORBIDDEN_TEX.search(t)] == []


# --- a real build of a hostile term file ---------------------------------------------------


@dataclass
class Site:
    outdir: Path
    warnings: str
    #: dlglossary_tooltip_math: cards hold MathML ("mathml") or TeX for MathJax
    math: str = "mathml"


@pytest.fixture(scope="module")
def hostile_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                 attacker_server: Attacker) -> Site:
    """The hostile project built with the offline MathJax 3; errors are expected, not fatal.
    Cards hold MathML (the default), or TeX for MathJax when the test asks for "renderer"."""
    from sphinx.testing.util import SphinxTestApp
    from sphinx.util.console import strip_colors

    math = getattr(request, "param", "mathml")
    src = tmp_path_factory.mktemp(f"hostile-site-{math}") / "src"
    shutil.copytree(HOSTILE / "site", src)
    terms = src / "terms.yaml"
    terms.write_text(terms.read_text("utf-8").replace(PLACEHOLDER, attacker_server.origin))
    warning = StringIO()
    app = SphinxTestApp(
        "html",
        srcdir=src,
        builddir=src.parent / "build",
        freshenv=True,
        confoverrides={"mathjax_path": mathjax3().as_uri(), "dlglossary_tooltip_math": math},
        status=StringIO(),
        warning=warning,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return Site(Path(app.outdir), strip_colors(warning.getvalue()), math)


#: the hostile entries of fixtures/hostile/site/terms.yaml
SITE_TERMS = [
    "title-tex",
    "title-style",
    "math-href",
    "math-style",
    "math-load",
    "math-as-text",
    "raw-html",
    "links",
    "directives",
    "css",
]
#: links on the built pages are followed by no test click (only script may act)
NO_NAVIGATION = """
document.addEventListener('click', e => {
  const a = e.target.closest && e.target.closest('a[href]');
  if (a && /^(file|https?):$/.test(a.protocol)) e.preventDefault();
}, true);
"""


def test_built_glossary_page_is_inert(make_page, hostile_site, attacker):
    glossary = hostile_site.outdir / "glossary.html"
    assert glossary.is_file(), hostile_site.warnings
    page = make_page()
    requests = watch(page, attacker)
    page.add_init_script(NO_NAVIGATION)
    page.goto(glossary.as_uri(), wait_until="load")
    wait_mathjax(page)
    page.wait_for_timeout(300)
    # MathJax typesets the page: the harmless term's math is typeset
    assert page.locator("dt#ok + dd mjx-container").count() == 1
    for key in SITE_TERMS:
        for entry in (page.locator(f"dt#{key}"), page.locator(f"dt#{key} + dd")):
            if entry.count():  # (a refused entry might not be listed)
                click_everything(page, entry)
    assert_inert(page, requests, attacker)
    assert unsafe_markup(page, "body") == []


@pytest.mark.parametrize("hostile_site", ["mathml", "renderer"], indirect=True)
def test_built_page_cards_are_inert(make_page, tip, hostile_site, attacker):
    index = hostile_site.outdir / "index.html"
    assert index.is_file(), hostile_site.warnings
    page = make_page()
    requests = watch(page, attacker)
    page.add_init_script(NO_NAVIGATION)
    page.goto(index.as_uri(), wait_until="load")
    if hostile_site.math == "renderer":  # the page has no math: MathJax is there for cards
        wait_mathjax(page)
    else:
        assert page.evaluate("typeof window.MathJax") == "undefined"
        terms = (hostile_site.outdir / "_static" / "dlglossary-terms.js").read_text("utf-8")
        assert "<math " in terms, "the harmless formula is MathML"
    links = page.locator("a.dlterm")
    assert links.count() >= 11
    for i in range(links.count()):
        hover(page, f"a.dlterm >> nth={i}")
        tip.wait_shown(page)
        page.wait_for_timeout(100)
        settle(page)
        click_everything(page, page.locator("[role=tooltip] .dlg-body"))
        assert_inert(page, requests, attacker)
        assert unsafe_markup(page, "[role=tooltip]") == []
        page.keyboard.press("Escape")
        tip.wait_hidden(page)
    # the page itself (term titles as link texts) is inert too
    click_everything(page, page.locator("[role=main]"))
    assert_inert(page, requests, attacker)
    assert unsafe_markup(page, "body") == []
