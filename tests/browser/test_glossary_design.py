"""The glossary page as a reader sees it, in the five themes, light and dark, desktop and a
390 px phone: bold headwords with a permalink, every letter in a bar that stays in view,
tags, and backlinks whose pages after the fifth open from a disclosure.

One small site per theme: eight pages that use *kernel* (so its entry has a disclosure), a
glossary page with every term. Opened over ``file://`` with every other request blocked.
The site's math renderer is a local script that does nothing: these tests look at the
layout, and typesetting the page's formulas took most of each test's time (that the
glossary page keeps the site's renderer is tested in ``test_tooltip_mathml_browser.py``).
Screenshots go to ``test-output/screenshots/glossary-<theme>-<mode>-<width>.png``.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

pytestmark = [pytest.mark.browser, pytest.mark.themes]

THEMES = ["alabaster", "furo", "pydata_sphinx_theme", "sphinx_book_theme", "sphinx_rtd_theme"]
#: Themes with a dark mode of their own, and how each is switched.
DARK = {"furo": "body", "pydata_sphinx_theme": "html", "sphinx_book_theme": "html"}
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PAGES = 8


def _sources(root: Path) -> None:
    toc = "".join(f"   p{i}\n" for i in range(PAGES))
    files = {
        "conf.py": 'project = "Glossary design"\nextensions = ["sphinxcontrib_dlglossary"]\n',
        "index.rst": f"Home\n====\n\n.. toctree::\n\n{toc}   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
    }
    for i in range(PAGES):
        files[f"p{i}.rst"] = (f"Page {i}\n{'=' * (5 + len(str(i)))}\n\nA :dlterm:`kernel`.\n\n"
                              "Part\n----\n\nTwo :dlterm:`kernels`.\n")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module", params=THEMES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    theme = request.param
    tmp = tmp_path_factory.mktemp(f"design-{theme}")
    (tmp / "src").mkdir()
    _sources(tmp / "src")
    warnings = StringIO()
    renderer = tmp / "no-math.js"  # the site's math renderer: local, and inert
    renderer.write_text("/* a math renderer that leaves TeX as it is */\n", encoding="utf-8")
    app = SphinxTestApp("html", srcdir=tmp / "src", builddir=tmp / "build", freshenv=True,
                        confoverrides={"html_theme": theme, "mathjax_path": renderer.as_uri()},
                        status=StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    return theme, Path(app.outdir) / "glossary.html", warnings.getvalue()


def _open(make_page: Any, path: Path, *, width: int = 1280, mode: str = "light",
          theme: str = "alabaster", script: bool = True) -> Any:
    page = make_page(viewport={"width": width, "height": 800}, color_scheme=mode,
                     is_mobile=width < 500, has_touch=width < 500,
                     java_script_enabled=script)
    if theme in DARK:  # the theme's own switch, as a reader's choice is kept
        page.add_init_script(f"localStorage.setItem('theme', '{mode}');"
                             f"localStorage.setItem('mode', '{mode}');")
    page.goto(path.resolve().as_uri(), wait_until="load")
    # Furo and others scroll smoothly: a scroll the test makes then took 1.5 s to end. These
    # tests look at where things end up, which is the same either way.
    if script:
        page.add_style_tag(content="html, body { scroll-behavior: auto !important; }")
    return page


def _settle(page: Any) -> None:
    """Wait until the page stops scrolling (at most 3 s)."""
    last = None
    for _ in range(30):
        page.wait_for_timeout(100)
        now = page.evaluate("window.scrollY")
        if now == last:
            return
        last = now


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_site_builds_cleanly(site: Any) -> None:
    _, _, warnings = site
    assert "WARNING" not in warnings, warnings


@pytest.mark.parametrize("width", [1280, 390])
def test_letter_bar_stays_in_view_half_way_down(site: Any, make_page: Any, width: int) -> None:
    theme, path, _ = site
    page = _open(make_page, path, width=width, theme=theme)
    bar = page.locator("p.dlglossary-letters")
    letters = bar.locator("a, span.dlglossary-letter-empty").all_inner_texts()
    assert letters[:3] == ["A", "B", "C"] and len(letters) == 26
    empty = page.locator("span.dlglossary-letter-empty")
    assert empty.count() >= 1
    assert float(empty.first.evaluate("e => getComputedStyle(e).opacity")) < 0.6
    half = page.evaluate("document.documentElement.scrollHeight / 2")
    page.evaluate(f"window.scrollTo(0, {half})")
    page.wait_for_timeout(150)
    box = bar.bounding_box()
    assert box is not None
    assert -1 <= box["y"] < 800 - box["height"], box  # on screen
    # What is under the bar is the bar: it is drawn over the entries, not under them.
    top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest("
                        "'.dlglossary-letters') !== null",
                        [box["x"] + 2, box["y"] + box["height"] / 2])
    assert top
    # A letter jumps to its section, and the section's heading is not hidden by the bar.
    page.locator("p.dlglossary-letters a", has_text="K").click()
    _settle(page)  # some themes scroll smoothly
    heading = page.locator("#dlglossary-letter-k").locator("h1, h2, h3").first.bounding_box()
    bar_box = bar.bounding_box()
    assert heading is not None and bar_box is not None
    assert heading["y"] >= bar_box["y"] + bar_box["height"] - 2
    _shot(page, f"glossary-{theme}-light-{width}")
    assert page.dlg_log.blocked == []


def test_headword_tags_and_the_disclosure(site: Any, make_page: Any) -> None:
    """The headword is bold with a permalink; tags are chips leading to their terms; the
    pages after the fifth that use a term open from a disclosure. (One page load: a test
    for each took five more loads of a 150-term page in the five themes.)"""
    theme, path, _ = site
    page = _open(make_page, path, theme=theme)
    headword = page.locator("dt#kernel > strong")
    weight = int(headword.evaluate("e => getComputedStyle(e).fontWeight"))
    body_weight = int(page.locator("dt#kernel + dd p").first.evaluate(
        "e => getComputedStyle(e).fontWeight"))
    assert weight >= 600 and weight > body_weight
    link = page.locator("dt#kernel a.headerlink")
    assert link.get_attribute("href") == "#kernel"
    page.locator("dt#kernel").hover()
    assert link.is_visible()

    entry = page.locator("dt#kernel + dd")
    chips = entry.locator("a.dlglossary-tag")
    assert chips.all_inner_texts() == ["convolution", "layers"]
    shown = entry.locator("p.dlglossary-used-on a")
    assert shown.all_inner_texts() == [f"Page {i}" for i in range(5)]
    details = entry.locator("details.dlglossary-more")
    summary = details.locator("summary")
    assert summary.inner_text().strip() == "and 3 more pages"
    hidden = details.locator("a")
    assert not hidden.first.is_visible()
    summary.click()
    assert hidden.all_inner_texts() == [f"Page {i}" for i in range(5, PAGES)]
    assert hidden.first.is_visible()
    summary.focus()
    page.keyboard.press("Enter")  # the keyboard closes it again
    assert not hidden.first.is_visible()
    page.keyboard.press("Enter")
    assert hidden.first.is_visible()
    details.evaluate("e => e.scrollIntoView({block: 'center'})")
    _shot(page, f"glossary-{theme}-disclosure")
    # A tag chip leads to that tag's terms, which link back to their entries.
    chips.first.click()
    _settle(page)
    tag = page.locator("dt#dlglossary-tag-convolution")
    assert tag.is_visible() and tag.inner_text().strip() == "convolution"
    box = tag.bounding_box()
    assert box is not None and -1 <= box["y"] < 800  # in view (a sub-pixel above is in view)
    terms = page.locator("dt#dlglossary-tag-convolution + dd a")
    assert "Kernel" in terms.all_inner_texts()
    assert page.dlg_log.blocked == []


def _shown_terms(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "dl.dlglossary-list > dt", "ds => ds.filter(d => d.offsetParent !== null)"
        ".map(d => d.id)")


# At 1280 px: the bar with the box on a phone is in test_letter_bar_stays_in_view_half_way_down
# (a full run of the five themes must stay within the README's 10 minutes).
@pytest.mark.parametrize("width", [1280])
def test_filter_narrows_and_restores(site: Any, make_page: Any, width: int) -> None:
    """Typing narrows the entries to those whose title, alias or summary match (hyphens and
    case aside), hides empty letters and says how many; Escape brings everything back."""
    theme, path, _ = site
    page = _open(make_page, path, width=width, theme=theme)
    every = _shown_terms(page)
    assert len(every) > 100 and "kernel" in every
    field = page.get_by_label("Filter terms")
    assert field.is_visible()
    status = page.locator("span.dlglossary-filter [role=status]")
    assert status.inner_text() == ""
    field.click()
    page.keyboard.type("KERN")
    shown = _shown_terms(page)
    assert "kernel" in shown and len(shown) < 10, shown
    assert status.inner_text() == f"{len(shown)} of {len(every)} terms"
    assert not page.locator("#dlglossary-letter-a").is_visible()  # no A term matches
    assert page.locator("#dlglossary-letter-k").is_visible()
    _shot(page, f"glossary-{theme}-filter-{width}")
    field.fill("cnn")  # an alias
    assert "convolutional-neural-network" in _shown_terms(page)
    field.fill("learning rate")  # a hyphen or a space: the same
    with_space = _shown_terms(page)
    field.fill("learning-rate")
    assert _shown_terms(page) == with_space and "learning-rate" in with_space
    field.fill("xyzzy")
    assert _shown_terms(page) == []
    assert status.inner_text() == "No term matches"
    page.keyboard.press("Escape")
    assert field.input_value() == ""
    assert _shown_terms(page) == every
    assert status.inner_text() == ""
    assert page.dlg_log.blocked == []
    page.dlg_log.assert_clean()


def test_without_script_the_page_is_whole_and_has_no_filter(site: Any, make_page: Any) -> None:
    theme, path, _ = site
    page = _open(make_page, path, theme=theme, script=False)
    assert page.locator("span.dlglossary-filter").count() == 1
    assert not page.locator("span.dlglossary-filter").is_visible()
    assert len(_shown_terms(page)) > 100


@pytest.mark.parametrize("width", [1280, 390])
def test_dark_mode(site: Any, make_page: Any, width: int) -> None:
    theme, path, _ = site
    if theme not in DARK:
        pytest.skip(f"{theme} has no dark mode")
    page = _open(make_page, path, width=width, mode="dark", theme=theme)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight / 3)")
    page.wait_for_timeout(150)
    bar = page.locator("p.dlglossary-letters")
    background = bar.evaluate("e => getComputedStyle(e).backgroundColor")
    colour = page.locator("dt#kernel > strong").evaluate("e => getComputedStyle(e).color")
    assert _luminance(background) < 0.3, background  # the bar is dark too
    assert _luminance(colour) > 0.5, colour  # headwords stay readable
    _shot(page, f"glossary-{theme}-dark-{width}")


def _luminance(css: str) -> float:
    parts = [float(p) for p in css[css.index("(") + 1:-1].replace("/", ",").split(",")[:3]]
    r, g, b = (p / 255 for p in parts)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
