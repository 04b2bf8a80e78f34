"""Math of a tooltip card as MathML, written at build time: no script, no network.

Current Chrome, Firefox and Safari render MathML Core natively, so a card whose math is
MathML needs no math renderer on the page, offline and on ``file://`` too. The TeX is
converted by `latex2mathml <https://pypi.org/project/latex2mathml/>`_ (pure Python), then
its output is not trusted but rebuilt here from the element tree it returns:

* only MathML Core elements (:data:`ELEMENTS`) are kept; any other element (``menclose``,
  ``maction``, ``annotation-xml`` …) becomes an ``mrow`` of its children, its text an
  ``mtext``;
* only the attributes of :data:`ATTRIBUTES` are kept, and only with a plain value (words,
  numbers, lengths): no ``href``, ``style``, ``class``, ``id``, colour or event handler;
* every text is escaped (latex2mathml writes ``\\text{<b>}`` as it is);
* a formula that latex2mathml could not read whole (a command it does not know, which it
  writes as text; a fraction or script missing a part) is refused, as is one nested
  deeper than :data:`MAX_DEPTH`;
* the TeX is kept, as text, in ``<annotation encoding="application/x-tex">`` (for
  assistive technology and copying; browsers do not show it, MathJax does not read it).

:func:`to_mathml` answers ``None`` when the TeX is refused
(:func:`~sphinxcontrib_dlglossary.core.safemarkup.check_tex`, the check definitions pass
already), too long, nested too deeply, or when the conversion fails in any way: the caller
then shows the TeX as code. It never raises.
"""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING

from sphinxcontrib_dlglossary.core.safemarkup import check_tex

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

__all__ = ["ATTRIBUTES", "ELEMENTS", "MAX_DEPTH", "MAX_TEX", "converter_version",
           "safe_mathml", "to_mathml"]

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
#: The MathML Core elements a card may hold (``semantics`` and ``annotation`` are written
#: here only, around the converted formula; ``maction`` and ``annotation-xml`` never).
ELEMENTS = frozenset("""
    math mrow mi mn mo ms mtext mspace mfrac msqrt mroot mstyle merror mpadded mphantom
    msub msup msubsup munder mover munderover mmultiscripts mprescripts none mtable mtr mtd
""".split())
#: The attributes kept (on any kept element), each only with a plain value.
ATTRIBUTES = frozenset("""
    display mathvariant mathsize stretchy fence separator form largeop symmetric lspace
    rspace minsize maxsize movablelimits accent accentunder linethickness columnalign
    rowalign rowspacing columnspacing scriptlevel displaystyle width height depth voffset
""".split())
#: A plain attribute value: words, numbers and lengths ("true", "0.167em", "center left").
_VALUE = re.compile(r"[A-Za-z0-9.%+\- ]{1,40}")
#: Elements that take a fixed number of children (MathML Core renders others as an error).
_ARITY = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2,
          "msubsup": 3, "munderover": 3}
#: The longest formula converted (characters of TeX); a longer one is shown as code.
MAX_TEX = 2000
#: How deeply the converted formula may nest (elements).
MAX_DEPTH = 48
#: A character reference latex2mathml writes into its text ("&#x1D421;").
_CHARREF = re.compile(r"&#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}));")
#: Characters never written: controls (but tab and newline) and surrogates.
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class _Refused(Exception):
    """The converted formula is not written (too deep, or not an element tree)."""


def _char(match: re.Match[str]) -> str:
    hexa, dec = match.groups()
    code = int(hexa, 16) if hexa else int(dec)
    if code > 0x10FFFF:
        return "\ufffd"
    return chr(code)


def _text(text: str | None) -> str:
    """Escaped text, with the character references latex2mathml writes decoded first."""
    if not text:
        return ""
    if not isinstance(text, str):
        raise _Refused("text that is not a string")
    if "\\" in text:  # a command latex2mathml does not know, written as it is
        raise _Refused(f"unknown TeX in {text[:40]!r}")
    text = _UNWANTED.sub("\ufffd", _CHARREF.sub(_char, text))
    return html.escape(text, quote=False)


def _attributes(element: Element) -> str:
    out = []
    for name, value in sorted(element.attrib.items()):
        if name in ATTRIBUTES and isinstance(value, str) and _VALUE.fullmatch(value):
            out.append(f' {name}="{value}"')
    return "".join(out)


def _write(element: Element, out: list[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise _Refused(f"nested more than {MAX_DEPTH} elements deep")
    tag = element.tag
    if not isinstance(tag, str):  # a comment or processing instruction
        raise _Refused("not an element")
    if tag in _ARITY and len(element) != _ARITY[tag]:
        raise _Refused(f"<{tag}> with {len(element)} children")
    if tag in ELEMENTS and tag != "math":
        out.append(f"<{tag}{_attributes(element)}>{_text(element.text)}")
        close = f"</{tag}>"
    else:  # not MathML Core (or a nested math): its children, in a row
        out.append("<mrow>")
        if element.text and element.text.strip():
            out.append(f"<mtext>{_text(element.text)}</mtext>")
        close = "</mrow>"
    for child in element:
        _write(child, out, depth + 1)
        if child.tail and child.tail.strip():
            out.append(f"<mtext>{_text(child.tail)}</mtext>")
    out.append(close)


def safe_mathml(root: Element, tex: str, block: bool = False) -> str:
    """The formula *root* (a ``math`` element tree) as MathML text that holds only
    :data:`ELEMENTS` and :data:`ATTRIBUTES`, with *tex* as its annotation.

    :raises ValueError: the tree is nested more than :data:`MAX_DEPTH` deep, or holds
        what is not an element.
    """
    body: list[str] = []
    children = list(root)
    try:  # semantics shows its first child: one row (latex2mathml writes one already)
        if len(children) == 1 and children[0].tag == "mrow":
            _write(children[0], body, 1)
        else:
            body.append("<mrow>")
            for child in children:
                _write(child, body, 2)
            body.append("</mrow>")
    except _Refused as exc:
        raise ValueError(str(exc)) from None
    display = "block" if block else "inline"
    return (f'<math xmlns="{MATHML_NS}" display="{display}"><semantics>'
            f'{"".join(body)}<annotation encoding="application/x-tex">'
            f"{html.escape(_UNWANTED.sub(chr(0xFFFD), tex), quote=False)}</annotation>"
            "</semantics></math>")


@functools.lru_cache(maxsize=4096)
def to_mathml(tex: str, block: bool = False) -> str | None:
    """The formula *tex* as safe MathML (:func:`safe_mathml`), or ``None`` when it is
    refused, longer than :data:`MAX_TEX`, too deep or cannot be converted."""
    tex = tex.strip()
    if not tex or len(tex) > MAX_TEX or check_tex(tex) is not None:
        return None
    try:
        from latex2mathml.converter import convert_to_element

        root = convert_to_element(tex, display="block" if block else "inline")
        return safe_mathml(root, tex, block)
    except Exception:  # any failure of the converter: the card shows the TeX as code
        return None


def converter_version() -> str:
    """The version of latex2mathml (what a card's MathML depends on), or ``""``."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("latex2mathml")
    except PackageNotFoundError:
        return ""
