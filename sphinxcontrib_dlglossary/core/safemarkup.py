"""The MyST a definition may hold, checked in one place.

A definition (and a summary) is data shipped to many projects, so it may hold only what
cannot reach beyond its own entry and what every builder writes: paragraphs, emphasis,
bullet and numbered lists, inline code and code blocks, inline and display math, links to
``http:``/``https:`` URLs, and ``{dlterm}`` references. Everything else is refused with
the reason and the line: directives (``{include}``, ``{raw}``, ``{csv-table}``, …), every
other role (``{ref}``, ``{doc}``, ``{raw-html}``, …), images, footnotes, tables, headings,
MyST targets and comments, other URL schemes, and nesting deeper than
:data:`MAX_DEPTH`. Math is TeX for a renderer that may be MathJax (whose ``\\href``,
``\\style``, ``\\class``, ``\\unicode`` … make links, styles and requests) or LaTeX (whose
``\\input``, ``\\write``, ``\\catcode`` … read and write files), so macros that can act are
refused too (:data:`TEX_REFUSED`).

:func:`check` is what ``dlglossary validate`` runs; :func:`check_tokens` is what the
Sphinx renderer runs on its own tokens before it makes a single node, so a definition that
skipped validation is refused all the same. Both see the same markdown-it token types.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sphinxcontrib_dlglossary.core.rolesyntax import ROLE_NAME

__all__ = ["MAX_DEPTH", "TEX_REFUSED", "Refusal", "allow_every_link", "check",
           "check_tex", "check_tokens", "tex_outside_math"]

#: How deeply lists and inline markup may nest (a writer recurses once per level).
MAX_DEPTH = 16

#: TeX control words refused in math: MathJax extensions that make links, set styles,
#: classes, ids or data, load fonts or extensions, or add actions; and TeX/LaTeX
#: primitives that read or write files, run commands or build new control words.
TEX_REFUSED = frozenset("""
    href url style class cssId data unicode require html mmlToken texttip mathtip toggle
    bbox fbox colorbox fcolorbox
    input include includeonly InputIfFileExists IfFileExists openin openout read readline
    write immediate closein closeout special shipout message typeout errmessage
    catcode lccode uccode mathcode csname endcsname expandafter noexpand string
    detokenize scantokens lowercase uppercase def edef gdef xdef let futurelet
    newcommand renewcommand providecommand DeclareRobustCommand newenvironment
    renewenvironment usepackage RequirePackage documentclass makeatletter makeatother
    includegraphics verbatiminput lstinputlisting jobname directlua latelua luaexec
    pdfshellescape ShellEscape pdffilesize pdffiledump pdfmdfivesum pdfobj pdfliteral
    everymath everydisplay everypar afterassignment aftergroup loop repeat
""".split())

_CONTROL_WORD = re.compile(r"\\([A-Za-z@]+)")
#: What the refusal messages list as allowed.
_ALLOWED = ("paragraphs, emphasis, lists, code, math, http(s) links and "
            "{dlterm} references")
_WHAT = {
    "image": "an image",
    "footnote_ref": "a footnote",
    "footnote_block_open": "a footnote",
    "footnote_reference_open": "a footnote",
    "table_open": "a table",
    "heading_open": "a heading",
    "hr": "a horizontal rule",
    "blockquote_open": "a block quote",
    "html_block": "raw HTML",
    "html_inline": "raw HTML",
    "myst_target": "a MyST target '(name)='",
    "myst_line_comment": "a MyST comment (a line starting with '%'; write '\\%' for a "
                         "percent sign)",
    "myst_block_break": "a MyST block break '+++'",
    "front_matter": "front matter",
    "math_block_label": "a labelled equation",
    "colon_fence": "a directive",
}
#: Token types that are text or structure every builder writes.
_PLAIN = frozenset("""
    paragraph_open paragraph_close inline text softbreak hardbreak em_open em_close
    strong_open strong_close s_open s_close code_inline code_block bullet_list_open
    bullet_list_close ordered_list_open ordered_list_close list_item_open list_item_close
    link_close
""".split())


@dataclass(frozen=True)
class Refusal:
    """Why a text is not a safe definition, and on which of its lines (1 = the first)."""

    message: str
    line: int = 1


def check_tex(tex: str) -> str | None:
    """Why a formula is refused, or ``None`` if it cannot act."""
    if "^^" in tex:
        return "TeX '^^' character codes are not allowed in math"
    for match in _CONTROL_WORD.finditer(tex):
        name = match.group(1)
        if name in TEX_REFUSED or "@" in name:
            return f"the TeX command \\{name} is not allowed in math (it can make links, " \
                   f"styles or requests, or read files)"
    return None


#: What a math renderer that scans the page (MathJax) reads as TeX in plain text.
_TEX_DELIMITERS = re.compile(r"\\[()\[\]]|\$\$|\\begin\s*\{")


def tex_outside_math(text: str) -> str | None:
    """Why plain text is refused: it holds TeX delimiters a page-wide math renderer would
    typeset (``\\(`` … ``\\)``, ``\\[``, ``$$``, ``\\begin{…}``); else ``None``."""
    found = _TEX_DELIMITERS.search(text)
    if found is None:
        return None
    return f"'{found.group(0)}' outside math is read as TeX by MathJax; write math " \
           f"between $ signs, or the text in backquotes"


def _safe_url(url: str) -> bool:
    scheme = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", url)
    return scheme is not None and scheme.group(1).lower() in ("http", "https") \
        and not any(c in url for c in "\x00\n\r\t")


def _token_refusal(token: Any) -> str | None:
    kind = token.type
    if kind == "text":
        return tex_outside_math(token.content)
    if kind in _PLAIN:
        return None
    if kind in ("math_inline", "math_block", "math_inline_double", "math_block_eqno"):
        if kind == "math_block_eqno":
            return "a labelled equation is not allowed in a definition"
        return check_tex(token.content)
    if kind == "link_open":
        href = token.attrs.get("href", "")
        if _safe_url(str(href)):
            return None
        return f"the link target {str(href)[:80]!r} is not allowed; links must be " \
               f"http: or https: URLs"
    if kind == "myst_role":
        name = token.meta.get("name", "")
        if name == ROLE_NAME:
            return None
        return f"the role {{{name}}} is not allowed in a definition; it may hold {_ALLOWED}"
    if kind == "fence":
        info = token.info.strip()
        if info.startswith("{"):
            name = info[1:].split("}", 1)[0]
            return f"the directive {{{name}}} is not allowed in a definition; it may " \
                   f"hold {_ALLOWED}"
        return None
    what = _WHAT.get(kind) or _WHAT.get(kind.replace("_close", "_open")) or \
        f"markup of type {kind!r}"
    if kind.endswith("_close"):
        return None  # its opening token was refused already
    return f"{what} is not allowed in a definition; it may hold {_ALLOWED}"


def _walk(tokens: Sequence[Any], line: int, depth: int) -> Iterator[Refusal]:
    """Refusals for *tokens* (a block stream, or an inline token's children).

    What a refused container holds (a table's cells, a footnote's text) is not looked at.
    """
    skip: int | None = None
    for token in tokens:
        if skip is not None:
            if token.nesting == -1 and token.level == skip:
                skip = None
            continue
        here = token.map[0] + 1 if token.map else line
        if token.type in ("softbreak", "hardbreak"):
            line += 1
        depth += token.nesting
        if depth > MAX_DEPTH:
            yield Refusal(f"markup nested more than {MAX_DEPTH} levels deep is not "
                          f"allowed in a definition", here)
            return
        reason = _token_refusal(token)
        if reason is not None:
            yield Refusal(reason, here)
            if token.nesting == 1:
                skip = token.level
            continue
        if token.children:
            yield from _walk(token.children, here, depth)


def check_tokens(tokens: Sequence[Any]) -> list[Refusal]:
    """Every refusal for a markdown-it token stream, in order, one per line and reason."""
    return list(dict.fromkeys(_walk(tokens, 1, 0)))


def allow_every_link(url: str) -> bool:
    """A ``validateLink`` that lets every URL through, so :func:`check_tokens` judges it.

    markdown-it's own check would turn ``[x](javascript:…)`` into text silently; refusing
    it says so.
    """
    return True


@functools.cache
def _parser() -> Any:
    """A markdown-it parser with the token types MyST-Parser makes (without docutils)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    md = (MarkdownIt("commonmark").enable("table").use(front_matter_plugin)
          .use(myst_block_plugin).use(myst_role_plugin)
          .use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
          .use(dollarmath_plugin))
    md.validateLink = allow_every_link  # type: ignore[method-assign]
    return md.disable(["html_inline", "html_block"])


def check(text: str) -> list[Refusal]:
    """Every refusal for a definition written in MyST."""
    return list(_check(text))


@functools.lru_cache(maxsize=4096)
def _check(text: str) -> tuple[Refusal, ...]:
    """:func:`check`, once per text and process: a process that builds several projects
    (a test suite) checks the shipped set's 306 texts once, not once a build (loading
    the set took 0.49 s, and 0.25 s when these were known)."""
    try:
        return tuple(check_tokens(_parser().parse(text)))
    except RecursionError:
        return (Refusal(f"markup nested too deeply to read; keep it within {MAX_DEPTH} "
                        f"levels"),)
