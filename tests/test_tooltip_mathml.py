"""Math in tooltip cards as MathML, converted and sanitised at build time (issue 16).

:mod:`sphinxcontrib_dlglossary.core.mathml` turns the TeX of a formula into MathML that
holds only MathML Core elements and a short list of attributes; ``dlglossary_tooltip_math``
chooses between that (``"mathml"``, the default) and TeX for the page's math renderer
(``"renderer"``), which is then loaded on pages that link a term with math.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from common import build_project
from sphinxcontrib_dlglossary.core import mathml
from sphinxcontrib_dlglossary.core.options import OPTIONS
from sphinxcontrib_dlglossary.core.safemarkup import _parser
from sphinxcontrib_dlglossary.core.terms import load_canonical

NS = "{http://www.w3.org/1998/Math/MathML}"
#: Written by safe_mathml itself around the converted formula.
WRAPPERS = {"semantics", "annotation"}


def shipped_math() -> list[tuple[str, bool]]:
    """Every formula in the shipped definitions and summaries: (TeX, display)."""
    found: set[tuple[str, bool]] = set()

    def walk(tokens: list) -> None:
        for token in tokens:
            if token.type.startswith("math_"):
                found.add((token.content, token.type != "math_inline"))
            if token.children:
                walk(token.children)

    for term in load_canonical().terms.values():
        for text in (term.definition, term.summary):
            if text:
                walk(_parser().parse(text))
    return sorted(found)


SHIPPED = shipped_math()


def assert_safe(markup: str, tex: str | None = None) -> ET.Element:
    """*markup* is one well-formed ``math`` element with only allowed elements and
    attributes (the xmlns of math and the encoding of its annotation excepted)."""
    root = ET.fromstring(markup)  # well-formed: every text escaped
    assert root.tag == NS + "math"
    assert set(root.attrib) == {"display"} and root.get("display") in ("inline", "block")
    [semantics] = list(root)
    assert semantics.tag == NS + "semantics" and len(semantics) == 2
    formula, annotation = list(semantics)
    assert annotation.tag == NS + "annotation"
    assert annotation.attrib == {"encoding": "application/x-tex"} and len(annotation) == 0
    if tex is not None:
        assert annotation.text == tex.strip()
    for element in formula.iter():
        name = element.tag.removeprefix(NS)
        assert element.tag.startswith(NS) and name in mathml.ELEMENTS - {"math"}, name
        assert set(element.attrib) <= mathml.ATTRIBUTES, (name, element.attrib)
        for value in element.attrib.values():
            assert re.fullmatch(r"[A-Za-z0-9.%+\- ]+", value), value
    # The same on the text itself: every tag is MathML with plain attributes (text is
    # escaped, so "<" only starts a tag).
    for tag in re.findall(r"<[^<>]*>", markup.lower()):
        assert re.fullmatch(r'</?[a-z]+( [a-z]+="[a-z0-9.%+\- :/]*")*>', tag), tag
        assert not re.search(r"\s(on\w*|href|style|class|id)=|url\(|<script", tag), tag
    return root


# --- the shipped term set ------------------------------------------------------------------


def test_the_shipped_set_has_math() -> None:
    assert len(SHIPPED) > 100
    assert any(block for _, block in SHIPPED) and any(not block for _, block in SHIPPED)


@pytest.mark.parametrize(("tex", "block"), SHIPPED, ids=[f"{i}" for i in range(len(SHIPPED))])
def test_every_shipped_formula_converts_to_safe_mathml(tex: str, block: bool) -> None:
    markup = mathml.to_mathml(tex, block)
    assert markup is not None, f"not converted: {tex!r}"
    root = assert_safe(markup, tex)
    assert root.get("display") == ("block" if block else "inline")
    assert "\\" not in "".join(root[0][0].itertext()), "TeX left in the formula"


def test_known_formula() -> None:
    markup = mathml.to_mathml(r"\mathbf{h} = \sigma(\mathbf{W}\mathbf{x} + \mathbf{b})")
    assert markup is not None
    assert "<mi>𝐡</mi><mo>=</mo><mi>σ</mi>" in markup  # characters, not references
    assert markup.startswith('<math xmlns="http://www.w3.org/1998/Math/MathML" '
                             'display="inline"><semantics><mrow>')
    assert markup.endswith('<annotation encoding="application/x-tex">\\mathbf{h} = '
                           '\\sigma(\\mathbf{W}\\mathbf{x} + \\mathbf{b})</annotation>'
                           '</semantics></math>')


# --- hostile input -------------------------------------------------------------------------

HOSTILE = [
    r"\href{javascript:alert(1)}{x}",
    r"\style{background:url(http://attacker.invalid/x)}{x}",
    r"\class{dlg-tip}{x}",
    r"\cssId{dlglossary-tip}{x}",
    r"\unicode[http://attacker.invalid/f]{x41}",
    r"\require{action}\toggle{a}{b}\endtoggle",
    r"\bbox[background:url(http://attacker.invalid/)]{x}",
    r"\color{red}{x} \colorbox{red}{x} \fbox{x}",
    r"\text{</math><script>alert(1)</script>}",
    r"\text{<img src=x onerror=alert(1)>} < > &",
    r"\mathrm{</annotation><script>alert(1)</script>}",
    r"\operatorname{<style>*{}</style>}",
    r"\text{&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;}",
    r"\text{&#0; &#xD800; &#x110000; &#99999999;}",
    "x\x00y\x1b",
    r"\input{/etc/passwd} \def\x{y} \csname href\endcsname",
    "^^5chref{x}{y}",
    r"\begin{array}{|c|}\hline a\\\hline\end{array}",
    r"\cancel{x} \boxed{y} \not= \overset{a}{b}",
    "{" * 5000 + "x" + "}" * 5000,  # huge and deep
    "{" * 600 + "x" + "}" * 600,  # deep, short enough to convert
    "\\sqrt{" * 300 + "x" + "}" * 300,
    "x^{" * 200 + "2" + "}" * 200,
    "a+" * 5000,  # long
    "",
    "   ",
    "\\",
    "}{",
    r"\frac{a}",
    r"\left( x",
]


@pytest.mark.parametrize("tex", HOSTILE, ids=[f"{i}" for i in range(len(HOSTILE))])
def test_hostile_tex_gives_safe_mathml_or_none(tex: str) -> None:
    start = time.perf_counter()
    markup = mathml.to_mathml(tex)
    assert time.perf_counter() - start < 5
    if markup is not None:
        assert_safe(markup, tex.replace("\x00", "\ufffd").replace("\x1b", "\ufffd"))


def test_refused_tex_is_not_converted() -> None:
    # What the definition check refuses (the card then shows the TeX as code).
    for tex in HOSTILE[:7]:
        assert mathml.to_mathml(tex) is None, tex
    assert mathml.to_mathml("x" * (mathml.MAX_TEX + 1)) is None
    assert mathml.to_mathml(r"\foo{x}") is None, "an unknown command is not shown as text"
    assert mathml.to_mathml(r"\frac{a}") is None, "a fraction without a denominator"


@pytest.mark.parametrize("tex", HOSTILE[:13], ids=[f"{i}" for i in range(13)])
def test_sanitiser_on_unchecked_converter_output(tex: str) -> None:
    """Past the TeX check (should it ever miss one): the converter's own output for
    ``\\href``, ``\\style``, ``\\class`` … is cleaned by the sanitiser."""
    from latex2mathml.converter import convert_to_element

    try:
        root = convert_to_element(tex)
    except Exception:
        return
    try:
        markup = mathml.safe_mathml(root, tex)
    except ValueError:
        return
    assert_safe(markup, tex)


def test_sanitiser_on_a_hostile_tree() -> None:
    root = ET.Element("math", {"xmlns": "http://www.w3.org/1998/Math/MathML",
                               "display": "block", "onload": "alert(1)"})
    row = ET.SubElement(root, "mrow", {"href": "javascript:alert(1)", "style": "x",
                                       "class": "dlg-tip", "id": "dlglossary-tip",
                                       "onclick": "alert(1)", "mathcolor": "red",
                                       "width": "1em\" onload=\"alert(1)", "stretchy": "true"})
    script = ET.SubElement(row, "script")
    script.text = "alert(1)"
    xml = ET.SubElement(row, "annotation-xml", {"encoding": "text/html"})
    ET.SubElement(xml, "img", {"src": "x", "onerror": "alert(1)"})
    action = ET.SubElement(row, "maction", {"actiontype": "statusline"})
    ET.SubElement(action, "mi").text = "</math><script>alert(2)</script>"
    action.tail = "<b>tail</b>"
    row.append(ET.Comment("<script>alert(3)</script>"))
    with pytest.raises(ValueError):
        mathml.safe_mathml(root, "x")
    row.remove(row[-1])
    markup = mathml.safe_mathml(root, "x</annotation><script>alert(4)</script>")
    assert_safe(markup)
    assert "<script" not in markup and "<img" not in markup and "<b>" not in markup
    assert '<mrow stretchy="true">' in markup  # the one allowed attribute with a plain value
    assert "&lt;/math&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in markup
    assert "x&lt;/annotation&gt;&lt;script&gt;alert(4)&lt;/script&gt;</annotation>" in markup


def test_sanitiser_refuses_deep_trees() -> None:
    root = ET.Element("math")
    node = ET.SubElement(root, "mrow")
    for _ in range(mathml.MAX_DEPTH + 5):
        node = ET.SubElement(node, "mrow")
    with pytest.raises(ValueError, match="nested"):
        mathml.safe_mathml(root, "x")


PIECES = st.sampled_from([*"\\{}^_&$<>\"'=/ #;x1", r"\frac", r"\text", r"\href", r"\sqrt",
                          r"\mathbf", r"\left(", r"\right)", r"\begin{matrix}", r"\end{matrix}",
                          r"\\", "&#x3C;", "script", "javascript:", r"\operatorname"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40))
def test_any_text_never_raises_and_stays_safe(pieces: list[str]) -> None:
    markup = mathml.to_mathml("".join(pieces))
    if markup is not None:
        assert_safe(markup)


# --- the setting and the build -------------------------------------------------------------

TERMS = r"""terms:
  - key: multi-layer-perceptron-mlp
    override: true
    title: Multi-layer perceptron (MLP)
    definition: |-
      Fully connected layers; each computes $h = f(Wx + b)$.

      $$\hat{y} = W_2 f(W_1 x + b_1) + b_2$$
    aliases: [MLP]
  - key: unconvertible
    title: Unconvertible
    definition: Its formula $\left( x$ stays TeX, beside $y^2$.
"""
PAGES = {
    "conf.py": 'extensions = ["sphinxcontrib_dlglossary", "sphinx.ext.mathjax"]\n'
               'dlglossary_term_files = ["terms.yaml"]\n',
    "terms.yaml": TERMS,
    "index.rst": "Home\n====\n\nAn :dlterm:`MLP` and :dlterm:`unconvertible`.\n\n"
                 ".. toctree::\n\n   glossary\n",
    "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
}


def build(src: Path, math: str = "mathml") -> tuple[Path, dict[str, str]]:
    outdir, warnings = build_project(src, PAGES, dlglossary_tooltip_math=math)
    assert warnings == ""
    script = (outdir / "_static" / "dlglossary-terms.js").read_text(encoding="utf-8")
    cards = json.loads(script.removeprefix("window.dlglossaryTerms=").rstrip().rstrip(";"))
    return outdir, {key: card["h"] for key, card in cards.items()}


def loads_mathjax(html: Path) -> bool:
    return re.search(r"<script[^>]*mathjax", html.read_text(encoding="utf-8"), re.I) is not None


def test_default_mathml_cards_and_no_renderer_for_them(tmp_path: Path) -> None:
    out, cards = build(tmp_path)
    card = cards["multi-layer-perceptron-mlp"]
    assert card.count("<math ") == 2 and 'display="block"' in card
    assert 'class="math' not in card and "\\(" not in card and "\\[" not in card
    for markup in re.findall(r"<math .*?</math>", card):
        assert_safe(markup)
    assert '<annotation encoding="application/x-tex">h = f(Wx + b)</annotation>' in card
    # A formula the converter cannot read is shown as code; the rest of the card is MathML.
    other = cards["unconvertible"]
    assert '<code class="dlg-tex">\\left( x</code>' in other and other.count("<math ") == 1
    # The page has no math of its own: no math renderer, so no request to its CDN.
    assert not loads_mathjax(out / "index.html")
    assert "cdn.jsdelivr.net" not in (out / "index.html").read_text(encoding="utf-8")
    # The glossary page keeps the site's math renderer for its entries.
    assert loads_mathjax(out / "glossary.html")


def test_renderer_keeps_tex_and_loads_the_renderer(tmp_path: Path) -> None:
    out, cards = build(tmp_path, "renderer")
    card = cards["multi-layer-perceptron-mlp"]
    assert "<math" not in card
    assert '<span class="math notranslate nohighlight">\\(h = f(Wx + b)\\)</span>' in card
    assert '<div class="math notranslate nohighlight">' in card
    assert loads_mathjax(out / "index.html")
    assert loads_mathjax(out / "glossary.html")


def test_changing_the_setting_rewrites_the_cards(tmp_path: Path) -> None:
    _, cards = build(tmp_path, "renderer")
    assert "<math" not in cards["multi-layer-perceptron-mlp"]
    out, cards = build(tmp_path)  # incremental: same sources, the default again
    assert "<math " in cards["multi-layer-perceptron-mlp"]
    assert not loads_mathjax(out / "index.html")


def test_a_wrong_value_warns_and_uses_mathml(tmp_path: Path) -> None:
    outdir, warnings = build_project(tmp_path, PAGES, dlglossary_tooltip_math="katex")
    assert "dlglossary_tooltip_math = 'katex' is not valid" in warnings
    assert "<math " in (outdir / "_static" / "dlglossary-terms.js").read_text(encoding="utf-8")


def test_the_option_is_declared() -> None:
    [option] = [o for o in OPTIONS if o.name == "dlglossary_tooltip_math"]
    assert option.default == "mathml" and option.rebuild == "html"
    assert option.check("renderer") and option.check("mathml") and not option.check("MathML")
