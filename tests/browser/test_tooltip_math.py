"""Math in cards: readable TeX without a renderer, MathJax typesets the card only, imgmath."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

MATHJAX3_STUB = """
window.__typeset = [];
window.MathJax = {
  startup: {promise: Promise.resolve()},
  typesetClear() {},
  typesetPromise(els) {
    window.__typeset.push(els);
    for (const el of els) for (const m of el.querySelectorAll('.math')) {
      const c = document.createElement('mjx-container');
      c.textContent = 'rendered';
      c.style.display = 'inline-block'; c.style.height = '60px';
      m.replaceChildren(c);
    }
    return Promise.resolve();
  },
};
"""

MATHJAX2_STUB = """
window.__typeset = [];
window.MathJax = {Hub: {Queue(job, cb) { window.__typeset.push(job); setTimeout(cb, 0); }}};
"""


def test_tex_without_renderer_has_no_delimiters(page, open_file, fixtures_dir, page_log, tip):
    open_file(fixtures_dir / "index.html")
    tip.hover(page, "#t-softmax")
    card = tip.wait_shown(page)
    text = card.inner_text()
    for delim in ("\\(", "\\)", "\\[", "\\]", "$"):
        assert delim not in text
    assert "\\sigma(z)_i = e^{z_i} / \\sum_j e^{z_j}" in text
    assert "\\frac{e^{z_i}}{\\sum_{j=1}^{K} e^{z_j}}" in text
    assert "(1)" not in text, "equation number dropped"
    assert card.locator("code.dlg-tex").count() == 2
    assert card.locator("[id]:not(#dlglossary-tip)").count() == 0
    page_log.assert_clean()


def test_mathjax3_typesets_only_the_card(page, open_file, fixtures_dir, page_log, tip):
    page.add_init_script(MATHJAX3_STUB)
    open_file(fixtures_dir / "index.html")
    tip.hover(page, "#t-softmax")
    card = tip.wait_shown(page)
    page.wait_for_function("() => window.__typeset.length > 0")
    calls = page.evaluate(
        "window.__typeset.map(els => els.map(e =>"
        " !!e.closest('[role=tooltip]') && e !== document.body))"
    )
    assert calls == [[True]]
    assert card.locator("mjx-container").count() == 2
    page.wait_for_timeout(100)
    box, link = card.bounding_box(), tip.box(page, "#t-softmax")
    assert box["y"] >= link["y"] + link["height"]
    assert box["y"] + box["height"] <= 768
    # showing the same term again does not typeset again
    page.keyboard.press("Escape")
    tip.hover(page, "#t-kernel")
    tip.wait_shown(page)
    tip.hover(page, "#t-softmax")
    page.wait_for_function("() => document.querySelector('.dlg-title').textContent === 'Softmax'")
    assert page.evaluate("window.__typeset.length") == 2  # kernel has no math: not typeset
    page_log.assert_clean()


def test_mathjax2_queue(page, open_file, fixtures_dir, page_log, tip):
    page.add_init_script(MATHJAX2_STUB)
    open_file(fixtures_dir / "index.html")
    tip.hover(page, "#t-softmax")
    card = tip.wait_shown(page)
    page.wait_for_function("() => window.__typeset.length > 0")
    job = page.evaluate(
        "(() => { const j = window.__typeset[0]; return [j[0], j[1] === MathJax.Hub,"
        " !!j[2].closest('[role=tooltip]')]; })()"
    )
    assert job == ["Typeset", True, True]
    assert "\\(" in card.inner_text(), "TeX kept for MathJax 2 to typeset"
    page_log.assert_clean()


@pytest.mark.parametrize("where", ["index.html", "sub/nested.html"])
def test_imgmath_src_is_relative_to_site_root(page, open_file, fixtures_dir, page_log, tip, where):
    open_file(fixtures_dir / where)
    tip.hover(page, "#t-relu")
    card = tip.wait_shown(page)
    img = card.locator("img.math")
    img.evaluate("i => i.decode()")
    assert img.evaluate("i => i.src") == (fixtures_dir / "_images/math/relu.svg").as_uri()
    assert img.evaluate("i => i.naturalWidth") > 0
    assert img.evaluate("i => getComputedStyle(i).filter") == "none"
    page_log.assert_clean()


def test_dark_theme_colours_and_inverted_imgmath(page, open_file, fixtures_dir, page_log, tip):
    open_file(fixtures_dir / "dark.html")
    tip.hover(page, "#t-relu")
    card = tip.wait_shown(page)
    style = card.evaluate(
        "c => { const s = getComputedStyle(c); return [s.backgroundColor, s.color,"
        " getComputedStyle(c.querySelector('img.math')).filter]; }"
    )
    assert style[0] == "rgb(19, 20, 22)"
    assert style[1] == "rgb(207, 208, 208)"
    assert "invert(1)" in style[2]
    page_log.assert_clean()


def _local_mathjax() -> Path:
    """DLGLOSSARY_MATHJAX (a tex-chtml.js of MathJax 3 or 4), else the MathJax 3 that the
    test dependency sphinx-mathjax-offline vendors."""
    if os.environ.get("DLGLOSSARY_MATHJAX"):
        return Path(os.environ["DLGLOSSARY_MATHJAX"]).resolve()
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("no local MathJax: install sphinx-mathjax-offline or set DLGLOSSARY_MATHJAX")
    return Path(next(iter(spec.submodule_search_locations)), "static", "mathjax",
                "tex-chtml.js")


def test_real_mathjax(page, open_file, fixtures_dir, page_log, tip, tmp_path):
    mj = _local_mathjax()
    html = (fixtures_dir / "index.html").read_text()
    html = (
        html.replace("</head>", f'<script defer src="{mj.as_uri()}"></script>\n</head>')
        .replace('href="../../../', f'href="{fixtures_dir.parent.parent.parent.as_uri()}/')
        .replace('src="../../../', f'src="{fixtures_dir.parent.parent.parent.as_uri()}/')
        .replace('data-terms="_static/', f'data-terms="{fixtures_dir.as_uri()}/_static/')
    )
    target = tmp_path / "mj.html"
    target.write_text(html)
    page_log.fail_on_page_errors = False  # MathJax 4's speech worker cannot start from file://
    open_file(target)
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    tip.hover(page, "#t-softmax")
    card = tip.wait_shown(page)
    page.wait_for_function(
        "() => document.querySelectorAll('[role=tooltip] mjx-container').length == 2"
    )
    assert "\\(" not in card.inner_text()
    assert page.locator("main mjx-container").count() == 0
    # MathJax 4 itself asks a CDN for its fonts and cannot start its speech worker from
    # file://; only MathJax's own traffic and errors are tolerated here.
    print(page_log)
    assert [u for u in page_log.blocked if "mathjax" not in u.lower()] == []
    assert [e for e in page_log.page_errors if "mathjax" not in e.lower()] == []
