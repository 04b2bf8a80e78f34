"""Which parts of a page are prose: :func:`scan` and what is built on it.

:func:`scan` hands a source text to the scanner of its syntax, :mod:`.rst` or
:mod:`.myst`. Both use the real parser rather than a line scanner, because the markup
rules that decide what is code or a link (rST's inline start/end-string rules,
CommonMark's backtick runs and link destinations) are exactly where scanners go wrong.
What is prose and how a page or block opts out of auto-linking are the rules the build
uses too (:mod:`sphinxcontrib_dlglossary.core.prose`); bare URLs and e-mail addresses are
links, so they are cut out of the prose here, for both syntaxes.

Never prose: code and literal blocks, inline literals, math, links and references (also
bare URLs), headings, rubrics, captions and legends, table header cells, definition
terms, field names and the metadata field list at the top of an rST page, directive
arguments and options, substitution definitions, comments, raw HTML (with the text
inside an inline HTML element), front matter, targets, and every role. Emphasis is prose
but in rST a role cannot be nested in it, so a mention there is not wrapped; rST tables
are prose but never edited (their columns would break).

Opt-outs of auto-linking, as the build reads them:

* the page: ``dlglossary_autolink: false`` (also ``no``, ``off``, ``0``) in its metadata,
  MyST front matter or a field of a field list at the top level of an rST page (before
  its first section), sets :attr:`.Scan.autolink` false;
* a block with the class ``no-autolink``: rST ``.. rst-class::`` or ``.. class::`` (on
  its content, or else on the next element), ``.. container::``, a ``:class:`` option;
  MyST ``{.no-autolink}`` on the line before a block (``attrs_block``; before a heading
  it covers the whole section), ``{container}`` or ``{div}`` with the class as argument,
  a ``:class:`` option, or a plain ``::: no-autolink`` div. Its pieces have
  :attr:`.Piece.link` false: still prose (spelling is checked), but no mention there is
  linked or counts as the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sphinxcontrib_dlglossary.lint.myst import scan_myst
from sphinxcontrib_dlglossary.lint.rst import scan_rst
from sphinxcontrib_dlglossary.lint.source import Piece, Scan, Syntax

__all__ = ["mask", "prose_regions", "scan", "syntax_of"]

_URL_RE = re.compile(
    r"(?:\b(?:https?|ftp|file|mailto):|\bwww\.)[^\s<>`\"']*[^\s<>`\"'.,;:!?)\]]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


def syntax_of(path: str) -> Syntax | None:
    """The markup of a file, by its suffix: ``rst``, ``myst``, or None."""
    lower = path.lower()
    if lower.endswith((".rst", ".rest", ".txt")):
        return "rst"
    if lower.endswith((".md", ".markdown", ".myst")):
        return "myst"
    return None


def scan(text: str, syntax: Syntax, extensions: frozenset[str] | None = None) -> Scan:
    """Find the prose, the ``dlterm`` roles and the comments of a source text.

    *extensions*: the project's MyST syntax extensions (None: all that add markup).
    """
    result = scan_rst(text) if syntax == "rst" else scan_myst(text, extensions)
    result.pieces = [p for piece in result.pieces for p in _split_urls(piece) if p.text]
    result.pieces.sort(key=lambda p: p.sources[0])
    result.roles.sort(key=lambda r: r.start)
    return result


def prose_regions(text: str, syntax: Syntax) -> list[tuple[int, int]]:
    """The ``(start, end)`` source ranges of *text* that are prose."""
    return scan(text, syntax).prose_ranges()


def mask(text: str, syntax: Syntax, fill: str = " ") -> str:
    """*text* with everything but prose replaced by *fill* (line breaks kept): same offsets."""
    out = [c if c in "\r\n" else fill for c in text]
    for start, end in prose_regions(text, syntax):
        out[start:end] = text[start:end]
    return "".join(out)


def _split_urls(piece: Piece) -> Iterator[Piece]:
    """The piece without bare URLs and e-mail addresses (links, not prose)."""
    pos = 0
    for match in _URL_RE.finditer(piece.text):
        if match.start() > pos:
            yield piece.sub(pos, match.start())
        pos = match.end()
    if pos == 0:
        yield piece
    elif pos < len(piece.text):
        yield piece.sub(pos, len(piece.text))
