"""Real Sphinx sites, one per theme, driven in Chromium over ``file://``.

``tests/browser/sites/project`` (rST index with a long page, a nested MyST page, a glossary
page, a project term file with hostile payloads) is built once per theme in-process, with
the offline MathJax 3 of ``sphinx-mathjax-offline`` as ``mathjax_path`` (a ``file:`` URL),
and every test opens the built pages (those that do not look at math in a card with an
empty script in MathJax's place). The build reports the raw-HTML errors of the term file
and still writes every page.

Screenshots of an open card (furo and pydata, light and dark) go to
``test-output/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from common import offline_mathjax

pytestmark = [pytest.mark.browser, pytest.mark.themes]

PROJECT = Path(__file__).parent / "sites" / "project"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme"]
DARK_THEMES = ["furo", "pydata_sphinx_theme", "sphinx_book_theme"]
#: console errors a theme itself logs on file:// (not the extension's)
KNOWN_CONSOLE_ERRORS = {
    "pydata_sphinx_theme": [r"^Got invalid theme mode"],
    "sphinx_book_theme": [r"^Got invalid theme mode"],
}
#: the theme's own background colour variable, which the card follows
THEME_BG_VAR = {
    "furo": "--color-background-primary",
    "pydata_sphinx_theme": "--pst-color-background",
    "sphinx_book_theme": "--pst-color-background",
}

HOSTILE_TITLE = '<img src=x onerror="window.pwned=1">'
KERNEL = 'a.dlterm[href$="glossary.html#kernel"]'
#: A project term (sites/project/terms.yaml) whose tooltip is its definition, with math: no
#: canonical tooltip has math, as every canonical term has a plain-prose summary.
MATH_TERM = 'a.dlterm[href$="glossary.html#temperature"]'
BOTTOM = 'a.dlterm[href$="glossary.html#loss"]'
HOSTILE = 'a.dlterm[href$="glossary.html#hostile"]'
CODE_PAYLOAD = 'a.dlterm[href$="glossary.html#code-payload"]'
ENTITY_PAYLOAD = 'a.dlterm[href$="glossary.html#entity-payload"]'
PHONE = {"viewport": {"width": 390, "height": 700}, "has_touch": True, "is_mobile": True}


def mathjax_url() -> str:
    js = offline_mathjax()
    if js is None:
        pytest.skip("sphinx-mathjax-offline is not installed (offline MathJax 3)")
    return js.as_uri()


@dataclass
class Site:
    theme: str
    outdir: Path
    warnings: str


@pytest.fixture(scope="session")
def built_sites() -> dict[str, Site]:
    """Cache of built sites by theme (each built the first time a test asks for it)."""
    return {}


@pytest.fixture(scope="module", params=THEMES)
def site(
    request: pytest.FixtureRequest,
    built_sites: dict[str, Site],
    tmp_path_factory: pytest.TempPathFactory,
) -> Site:
    theme = request.param
    if theme not in built_sites:
        tmp = tmp_path_factory.mktemp(f"site-{theme}")
        shutil.copytree(PROJECT, tmp / "src")
        warning = StringIO()
        app = SphinxTestApp(
            "html",
            srcdir=tmp / "src",
            builddir=tmp / "build",
            freshenv=True,
            confoverrides={"html_theme": theme, "mathjax_path": mathjax_url()},
            status=StringIO(),
            warning=warning,
        )
        try:
            app.build()
        finally:
            app.cleanup()
        built_sites[theme] = Site(theme, Path(app.outdir), strip_colors(warning.getvalue()))
    return built_sites[theme]


# --- helpers -------------------------------------------------------------------------------


def assert_clean(page: Any, theme: str) -> None:
    """No request left file://, no page error, no dialog, no console error but the theme's."""
    log = page.dlg_log
    known = KNOWN_CONSOLE_ERRORS.get(theme, [])
    errors = [e for e in log.console_errors if not any(re.search(k, e) for k in known)]
    assert log.blocked == [], f"requests left file://: {log.blocked}"
    assert log.page_errors == [], f"uncaught page errors: {log.page_errors}"
    assert errors == [], f"console errors: {errors}"
    assert log.dialogs == [], f"dialogs opened: {log.dialogs}"
    assert page.evaluate("typeof window.pwned") == "undefined"


def goto(page: Any, path: Path, *, mathjax: bool = False) -> Any:
    """Open *path*. Without *mathjax*, the site's MathJax is replaced by an empty script:
    only the tests of math in cards need it, and starting it took most of a test's time."""
    if not mathjax:
        target = mathjax_url()
        page.route(lambda url: url.split("?")[0] == target,
                   lambda route: route.fulfill(status=200, content_type="text/javascript",
                                               body="/* no MathJax in this test */"))
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page


def center(page: Any, selector: str) -> None:
    page.locator(selector).first.evaluate(
        "e => e.scrollIntoView({block: 'center', behavior: 'instant'})"  # furo: smooth scroll
    )


def hover(page: Any, tip: Any, selector: str) -> Any:
    center(page, selector)
    tip.hover(page, selector)
    return tip.wait_shown(page)


def described_card_visible(page: Any, selector: str) -> bool:
    """aria-describedby of the link names a visible [role=tooltip]."""
    return bool(
        page.locator(selector).first.evaluate(
            """a => (a.getAttribute('aria-describedby') || '').split(/\\s+/).some(id => {
             const e = id && document.getElementById(id);
             return !!e && e.getAttribute('role') === 'tooltip' && e.checkVisibility();
           })"""
        )
    )


def rect(page: Any, selector: str) -> dict[str, float]:
    return page.locator(selector).first.evaluate(
        "e => { const r = e.getClientRects()[0];"
        " return {x: r.x, y: r.y, width: r.width, height: r.height}; }"
    )


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def rgb(css: str) -> tuple[float, float, float, float]:
    m = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)", css)
    assert m, f"not an rgb() colour: {css}"
    r, g, b, a = m.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def luminance(css: str) -> float:
    """WCAG relative luminance of an rgb() colour."""

    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = rgb(css)
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def card_colours(card: Any) -> tuple[str, str]:
    bg, fg = card.evaluate(
        "c => { const s = getComputedStyle(c); return [s.backgroundColor, s.color]; }"
    )
    return bg, fg


def theme_var_colour(page: Any, var: str) -> str:
    """The computed colour of ``var(--x)`` as a background, where the card sits (in body)."""
    return page.evaluate(
        """v => { const d = document.createElement('div');
                  d.style.background = `var(${v})`; document.body.append(d);
                  const c = getComputedStyle(d).backgroundColor; d.remove(); return c; }""",
        var,
    )


def set_mode_script(mode: str) -> str:
    """Each theme's own dark/light switch, set before its scripts run."""
    return (
        f"try {{ localStorage.setItem('theme', '{mode}');"  # furo: body[data-theme]
        f" localStorage.setItem('mode', '{mode}'); }} catch (e) {{}}"  # pydata / book
    )


# --- the build -----------------------------------------------------------------------------


def test_build_reports_hostile_data_and_writes_every_page(site):
    errors = [line for line in site.warnings.splitlines() if "ERROR" in line]
    assert any(
        "terms.yaml:" in e
        and "entry 'hostile'" in e
        and "field 'title'" in e
        and "raw HTML is not allowed" in e
        for e in errors
    ), site.warnings
    assert any(
        "terms.yaml:" in e and "entry 'hostile'" in e and "field 'definition'" in e for e in errors
    ), site.warnings
    assert not any("entity-payload" in e for e in errors), "entities are not raw HTML"
    for page in ("index.html", "sub/page.html", "glossary.html", "genindex.html"):
        assert (site.outdir / page).is_file(), page
    for html in site.outdir.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        for raw in ("<script>window.pwned", "<img src=x onerror", "<script>alert(1)"):
            assert raw not in text, f"{raw!r} unescaped in {html.relative_to(site.outdir)}"
    js = (site.outdir / "_static" / "dlglossary-terms.js").read_text(encoding="utf-8")
    assert "</" not in js and "<!--" not in js, "the data could end its script"
    index = (site.outdir / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<script[^>]*data-terms="_static/dlglossary-terms\.js\?v=\w+"', index)
    nested = (site.outdir / "sub" / "page.html").read_text(encoding="utf-8")
    assert re.search(r'<script[^>]*data-terms="\.\./_static/dlglossary-terms\.js\?v=\w+"', nested)
    assert "tex-chtml.js" in index and "tex-chtml.js" in nested


# --- pointer, keyboard, touch --------------------------------------------------------------


def test_hover_shows_after_delay_and_leaving_hides(site, page, tip):
    goto(page, site.outdir / "index.html")
    center(page, KERNEL)
    page.locator(KERNEL).first.evaluate(
        """a => a.addEventListener('pointerover', () => {
             window.__t0 = window.__t0 || performance.now();
             const poll = () => {
               const c = document.querySelector('[role=tooltip]');
               if (c && c.checkVisibility()) window.__t1 = performance.now();
               else requestAnimationFrame(poll);
             };
             poll();
           })"""
    )
    tip.hover(page, KERNEL)
    card = tip.wait_shown(page)
    page.wait_for_function("() => window.__t1")
    assert page.evaluate("window.__t1 - window.__t0") >= 240, "card must wait for data-delay"
    assert card.locator(".dlg-title").inner_text() == "Kernel"
    assert "slides over its input; it spans all input channels" in card.inner_text()
    assert described_card_visible(page, KERNEL)

    vw = page.viewport_size["width"]
    page.mouse.move(vw - 5, 5, steps=2)
    page.mouse.move(vw - 5, 300, steps=2)
    tip.wait_hidden(page, timeout=2000)
    assert page.locator(KERNEL).first.get_attribute("aria-describedby") is None
    assert_clean(page, site.theme)


def test_tab_focus_shows_and_escape_hides(site, page, tip):
    goto(page, site.outdir / "index.html")
    center(page, KERNEL)
    page.locator(KERNEL).first.focus()
    page.keyboard.press("Shift+Tab")  # to whatever precedes the link, then Tab back to it
    tip.wait_hidden(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('a.dlterm[href$=\"#kernel\"]')")
    card = tip.wait_shown(page)
    assert card.locator(".dlg-title").inner_text() == "Kernel"
    assert described_card_visible(page, KERNEL)
    page.keyboard.press("Escape")
    tip.wait_hidden(page)
    assert page.evaluate("document.activeElement.matches('a.dlterm[href$=\"#kernel\"]')")
    assert page.locator(KERNEL).first.get_attribute("aria-describedby") is None
    assert_clean(page, site.theme)


def test_tap_shows_and_does_not_navigate(site, make_page, tip):
    phone = goto(make_page(**PHONE), site.outdir / "index.html")
    url = phone.url
    center(phone, KERNEL)
    phone.locator(KERNEL).first.tap()
    card = tip.wait_shown(phone)
    phone.wait_for_timeout(200)
    assert phone.url == url, "the first tap must not navigate"
    assert card.locator(".dlg-title").inner_text() == "Kernel"
    assert described_card_visible(phone, KERNEL)
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert not overlaps(box, rect(phone, KERNEL))
    assert_clean(phone, site.theme)


def test_card_at_page_bottom_flips_above_inside_viewport(site, page, tip):
    goto(page, site.outdir / "index.html")
    page.locator(BOTTOM).evaluate("e => e.scrollIntoView({block: 'end', behavior: 'instant'})")
    link = rect(page, BOTTOM)
    assert link["y"] + link["height"] > 768 * 0.75, f"link not near the bottom: {link}"
    tip.hover(page, BOTTOM)
    card = tip.wait_shown(page)
    page.wait_for_timeout(100)  # let MathJax or fonts settle before measuring
    assert card.locator(".dlg-title").inner_text() == "Loss"
    box, link = card.bounding_box(), rect(page, BOTTOM)
    assert box["y"] + box["height"] <= link["y"] + 0.5, "card must open above the link"
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= 1024 and box["y"] + box["height"] <= 768
    assert not overlaps(box, link)
    assert described_card_visible(page, BOTTOM)
    assert_clean(page, site.theme)


def test_nested_page_resolves_terms_script(site, page, tip):
    goto(page, site.outdir / "sub" / "page.html", mathjax=True)
    card = hover(page, tip, KERNEL)
    assert card.locator(".dlg-title").inner_text() == "Kernel"
    loaded = page.evaluate(
        "[...document.querySelectorAll('script[src*=\"dlglossary-terms.js\"]')].map(s => s.src)"
    )
    terms = (site.outdir / "_static" / "dlglossary-terms.js").resolve().as_uri()
    assert [u.split("?")[0] for u in loaded] == [terms]
    assert page.evaluate("typeof window.dlglossaryTerms.kernel") == "object"
    more = card.locator("a.dlg-more").evaluate("a => a.href")
    assert more == (site.outdir / "glossary.html").resolve().as_uri() + "#kernel"
    assert described_card_visible(page, KERNEL)
    # a second term on the same page: its card is typeset too
    page.keyboard.press("Escape")
    tip.wait_hidden(page)
    assert_math_card(page, tip)
    assert_clean(page, site.theme)


# --- math ----------------------------------------------------------------------------------


def assert_math_card(page: Any, tip: Any) -> None:
    """The Temperature card shows its formulas typeset by MathJax 3: no TeX left as text."""
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    card = hover(page, tip, MATH_TERM)
    assert card.locator(".dlg-title").inner_text() == "Temperature"
    page.wait_for_function(
        "() => document.querySelectorAll('[role=tooltip] mjx-container').length >= 2", timeout=5000
    )
    assert card.locator("mjx-merror").count() == 0, "MathJax could not read the TeX"
    text = card.inner_text()
    for literal in ("\\(", "\\)", "$", "\\exp", "\\sum"):
        assert literal not in text, f"{literal!r} left untypeset: {text!r}"
    assert "flatter distribution" in text
    assert described_card_visible(page, MATH_TERM)


def test_card_math_is_typeset_by_offline_mathjax(site, page, tip):
    goto(page, site.outdir / "index.html", mathjax=True)
    assert_math_card(page, tip)
    assert_clean(page, site.theme)


# --- hostile data --------------------------------------------------------------------------


def test_hostile_and_escaped_payloads_are_shown_as_text(site, page, tip):
    goto(page, site.outdir / "index.html")
    # Rejected by validation but (today) still loaded: title and definition must be text.
    # Should invalid entries ever be dropped, the link no longer resolves and only the
    # build test's checks (error names file/entry/field, nothing unescaped) apply.
    if page.locator(HOSTILE).count():
        card = hover(page, tip, HOSTILE)
        assert card.locator(".dlg-title").inner_text() == HOSTILE_TITLE
        body = card.locator(".dlg-body").inner_text()
        assert "<script>window.pwned=2</script>" in body
        assert "<img src=x onerror=window.pwned=3>" in body
        assert card.locator("img, script").count() == 0
        page.keyboard.press("Escape")
        tip.wait_hidden(page)
    # HTML in a code span, backslash-escaped, and as entities
    for selector, title in ((CODE_PAYLOAD, "Code payload"), (ENTITY_PAYLOAD, "Entity payload")):
        card = hover(page, tip, selector)
        page.wait_for_function(
            f"() => document.querySelector('.dlg-title').textContent === {title!r}"
        )
        body = card.locator(".dlg-body").inner_text()
        assert "<script>alert(1)</script>" in body, title
        assert "<img src=x onerror=alert(1)>" in body, title
        assert card.locator("img, script").count() == 0
        if selector == CODE_PAYLOAD:
            assert card.locator("code").inner_text() == "<script>alert(1)</script>"
        page.keyboard.press("Escape")
        tip.wait_hidden(page)
    page.wait_for_timeout(150)
    assert_clean(page, site.theme)


def test_glossary_page_shows_hostile_title_as_text(site, page):
    goto(page, site.outdir / "glossary.html")
    dt = page.locator("dt#hostile")
    if dt.count():  # (the entry is still listed although its data was rejected)
        assert dt.locator("strong").inner_text().strip() == HOSTILE_TITLE  # not the ¶
    assert (
        page.locator("dt#hostile img, dd img[src='x'], "
                     "script:not([src]):not([type='application/ld+json'])").evaluate_all(
            "es => es.filter(e => /pwned|alert/.test(e.outerHTML)).length"
        )
        == 0
    )
    # The terms as JSON-LD: data, never markup (no '<' that could end the script).
    [data] = page.locator("script[type='application/ld+json']").evaluate_all(
        "es => es.map(e => e.textContent)")
    assert "<" not in data and json.loads(data)["@type"] == "DefinedTermSet"
    page.wait_for_timeout(100)
    assert_clean(page, site.theme)


# --- colours and screenshots ---------------------------------------------------------------


def open_card_in_mode(make_page: Any, tip: Any, site: Site, mode: str) -> tuple[Any, Any]:
    pg = make_page(color_scheme=mode)
    pg.add_init_script(set_mode_script(mode))
    goto(pg, site.outdir / "index.html", mathjax=True)
    if site.theme == "furo":  # furo's own switch: body[data-theme]
        assert pg.evaluate("document.body.dataset.theme") == mode
    elif site.theme in DARK_THEMES:  # pydata / book: html[data-theme]
        pg.wait_for_function(f"() => document.documentElement.dataset.theme === '{mode}'")
    pg.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    pg.evaluate("MathJax.startup.promise")
    card = hover(pg, tip, MATH_TERM)
    pg.wait_for_function("() => document.querySelector('[role=tooltip] mjx-container')")
    pg.wait_for_timeout(200)  # the card's fade-in animation (.12 s)
    return pg, card


def screenshot(pg: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_light_mode_card_is_light(site, make_page, tip):
    pg, card = open_card_in_mode(make_page, tip, site, "light")
    bg, fg = card_colours(card)
    assert rgb(bg)[3] == 1.0, f"card background must be opaque: {bg}"
    assert luminance(bg) > 0.8, f"light card background {bg}"
    assert luminance(fg) < 0.2, f"light card text {fg}"
    if site.theme in THEME_BG_VAR:
        assert bg == theme_var_colour(pg, THEME_BG_VAR[site.theme])
    assert not card.evaluate("c => c.classList.contains('dlg-dark')")
    if site.theme in ("furo", "pydata_sphinx_theme"):
        screenshot(pg, f"{site.theme}-light")
    assert_clean(pg, site.theme)


@pytest.mark.parametrize("site", DARK_THEMES, indirect=True)
def test_dark_mode_card_is_dark(site, make_page, tip):
    pg, card = open_card_in_mode(make_page, tip, site, "dark")
    bg, fg = card_colours(card)
    assert rgb(bg)[3] == 1.0, f"card background must be opaque: {bg}"
    assert luminance(bg) < 0.2, f"dark card background {bg}"
    assert luminance(fg) > 0.5, f"dark card text {fg}"
    assert bg == theme_var_colour(pg, THEME_BG_VAR[site.theme])
    assert card.evaluate("c => c.classList.contains('dlg-dark')")
    mjx = card.locator("mjx-container").first.evaluate("m => getComputedStyle(m).color")
    assert luminance(mjx) > 0.5, f"typeset math must be light on the dark card: {mjx}"
    if site.theme in ("furo", "pydata_sphinx_theme"):
        screenshot(pg, f"{site.theme}-dark")
    assert_clean(pg, site.theme)
