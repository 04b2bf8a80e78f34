"""Math in cards as MathML (``dlglossary_tooltip_math = "mathml"``, the default), in Chromium.

A real Sphinx site (furo, whose dark mode follows the system) with a page that has no math
of its own and links ``{dlterm}`MLP``` (a project term overrides the shipped MLP, whose
summary has no math, with a definition holding inline and display math). It is opened
from ``file://`` with every other request refused: the page loads no math renderer (its
``mathjax_path`` is Sphinx's default, a CDN), and the card shows MathML the browser lays
out itself. A second page has math of its own and loads a local MathJax 3 with MathML
input: MathJax typesets the page, not the card's MathML.

Screenshots of the open card go to ``test-output/screenshots/tooltip-mathml-{light,dark}.png``.
"""

from __future__ import annotations

import importlib.util
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
MLP = 'a.dlterm[href$="glossary.html#multi-layer-perceptron-mlp"]'
TERMS = r"""terms:
  - key: multi-layer-perceptron-mlp
    override: true
    title: Multi-layer perceptron (MLP)
    definition: |-
      A stack of fully connected layers; each computes $h = f(Wx + b)$, with a non-linear
      activation $f$ applied element-wise. With one hidden layer:

      $$\hat{y} = W_2\, f(W_1 x + b_1) + b_2, \qquad \sigma(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}$$
    aliases: [MLP, multi-layer perceptron]
"""
FILES = {
    "conf.py": 'extensions = ["myst_parser", "sphinx.ext.mathjax", "sphinxcontrib_dlglossary"]\n'
               'dlglossary_term_files = ["terms.yaml"]\n'
               'dlglossary_tooltip_delay = 50\n'
               'myst_enable_extensions = ["dollarmath"]\n'
               'html_theme = "furo"\n',
    "terms.yaml": TERMS,
    # The page without math is a leaf: Sphinx before 8.2 loads MathJax on a page whose
    # toctree holds a page with math of its own (math.md), whatever the tooltips hold.
    "index.md": "# Course\n\n```{toctree}\nnetworks\nmath\nglossary\n```\n",
    "networks.md": "# Networks\n\nAn {dlterm}`MLP` maps a vector to a vector.\n",
    "math.md": "# With math\n\nThe page's own formula $a^2 + b^2 = c^2$, and an {dlterm}`MLP`.\n",
    "glossary.md": "# Glossary\n\n```{dlglossary}\n```\n",
}


def local_mathjax_with_mml() -> str:
    """The MathJax 3 of sphinx-mathjax-offline that reads TeX and MathML (as Sphinx's
    default ``tex-mml-chtml.js`` does), as a ``file:`` URL."""
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("sphinx-mathjax-offline is not installed (offline MathJax 3)")
    js = Path(next(iter(spec.submodule_search_locations)), "static", "mathjax",
              "tex-mml-chtml.js")
    if not js.is_file():
        pytest.skip(f"no MathJax at {js}")
    return js.resolve().as_uri()


def build(src: Path, **overrides: Any) -> Path:
    for name, text in FILES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    warning = StringIO()
    app = SphinxTestApp("html", srcdir=src, builddir=src.parent / "build", freshenv=True,
                        confoverrides=overrides or None, status=StringIO(), warning=warning)
    try:
        app.build()
    finally:
        app.cleanup()
    assert strip_colors(warning.getvalue()) == ""
    return Path(app.outdir)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built with Sphinx's default mathjax_path (a CDN): a page that loads it would ask."""
    return build(tmp_path_factory.mktemp("mathml-site") / "src")


@pytest.fixture(scope="module")
def site_local_mathjax(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("mathml-mj") / "src",
                 mathjax_path=local_mathjax_with_mml())


def open_card(page: Any, tip: Any, html: Path) -> Any:
    page.goto(html.resolve().as_uri(), wait_until="load")
    tip.hover(page, MLP)
    card = tip.wait_shown(page)
    page.wait_for_timeout(200)  # the card's fade-in (.12 s)
    return card


def assert_rendered_mathml(card: Any) -> None:
    """Two inline formulas and one display formula, laid out by the browser as MathML."""
    maths = card.locator(".dlg-body math")
    assert maths.count() == 3
    assert card.locator(".dlg-body math[display=block]").count() == 1
    for i in range(3):
        box = maths.nth(i).bounding_box()
        assert box is not None and box["width"] > 4 and box["height"] > 4, i
    # Native layout: a subscript sits lower and is smaller than its base; the fraction's
    # numerator is above its denominator; the TeX annotation is not shown.
    sub = card.locator("msub").first.evaluate(
        "m => { const [b, s] = [...m.children].map(c => c.getBoundingClientRect());"
        " return [s.top > b.top, s.height < b.height]; }"
    )
    assert sub == [True, True]
    frac = card.locator("mfrac").evaluate(
        "m => { const [n, d] = [...m.children].map(c => c.getBoundingClientRect());"
        " return n.bottom <= d.top + 1; }"
    )
    assert frac is True
    assert card.locator("annotation").evaluate_all(
        "as => as.every(a => !a.checkVisibility())"
    )
    text = card.inner_text()
    for raw in ("$", "\\(", "\\hat", "\\frac", "Wx + b"):
        assert raw not in text, f"{raw!r} shown as text: {text!r}"
    assert "element-wise" in text
    assert card.locator("code.dlg-tex, mjx-container").count() == 0


def screenshot(card: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled")


def loads_mathjax(html: Path) -> bool:
    return re.search(r"<script[^>]*mathjax", html.read_text(encoding="utf-8"), re.I) is not None


def test_page_without_math_loads_no_renderer(site: Path) -> None:
    assert not loads_mathjax(site / "networks.html")
    assert loads_mathjax(site / "math.html")  # its own math
    # the glossary page keeps the site's math renderer for its entries
    assert loads_mathjax(site / "glossary.html")
    terms = (site / "_static" / "dlglossary-terms.js").read_text(encoding="utf-8")
    assert "<math " in terms and "\\\\(" not in terms


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_card_shows_mathml_offline(site, make_page, tip, mode):
    page = make_page(color_scheme=mode, device_scale_factor=2)
    card = open_card(page, tip, site / "networks.html")
    assert card.locator(".dlg-title").inner_text() == "Multi-layer perceptron (MLP)"
    assert_rendered_mathml(card)
    assert page.evaluate("typeof window.MathJax") == "undefined"
    # MathML takes the card's text colour (furo: light on dark in dark mode)
    colours = card.evaluate(
        "c => [getComputedStyle(c).color, getComputedStyle(c).backgroundColor,"
        " [...c.querySelectorAll('mi, mo, mn')].map(e => getComputedStyle(e).color)]"
    )
    fg, bg, math_colours = colours
    assert set(math_colours) == {fg}
    dark = mode == "dark"
    assert card.evaluate("c => c.classList.contains('dlg-dark')") is dark
    level = [int(v) for v in re.findall(r"\d+", bg)[:3]]
    assert (sum(level) < 3 * 128) is dark, bg
    # the card is inside the viewport, below the link
    box, link = card.bounding_box(), tip.box(page, MLP)
    assert box["y"] >= link["y"] + link["height"]
    assert box["y"] + box["height"] <= 768 and box["x"] >= 0 and box["x"] + box["width"] <= 1024
    screenshot(card, f"tooltip-mathml-{mode}")
    assert page.dlg_log.blocked == []
    page.dlg_log.assert_clean()


def test_mathjax_on_the_page_leaves_the_card_mathml(site_local_mathjax, make_page, tip):
    page = make_page()
    page.goto((site_local_mathjax / "math.html").as_uri(), wait_until="load")
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    assert page.locator("article mjx-container").count() == 1, "the page's own math"
    tip.hover(page, MLP)
    card = tip.wait_shown(page)
    page.wait_for_timeout(300)
    assert_rendered_mathml(card)
    # shown again after another card: still the card's own MathML, not typeset by MathJax
    page.keyboard.press("Escape")
    tip.wait_hidden(page)
    page.mouse.move(1, 1)
    tip.hover(page, MLP)
    card = tip.wait_shown(page)
    page.wait_for_timeout(200)
    assert_rendered_mathml(card)
    page.dlg_log.assert_clean()
