"""The MyST scanner: prose, ``dlterm`` roles and comments, as markdown-it sees them.

The source is parsed by markdown-it-py configured by myst-parser (with every syntax
extension that only adds markup switched on, so more is masked, never less); the inline
rules of that same parser are then run over each block in "silent" mode, which tells
exactly where each code span, role, math, link, image, autolink or HTML tag starts and
ends. Bodies of prose directives (admonitions, ``seealso``, sphinx-design containers) and
of plain ``:::`` divs are parsed the same way.

markdown-it-py, myst-parser and PyYAML are imported when a file is scanned, not with
this module.
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sphinxcontrib_dlglossary.core.prose import NO_AUTOLINK, PROSE_DIRECTIVES, autolink_off
from sphinxcontrib_dlglossary.core.rolesyntax import ROLE_NAME
from sphinxcontrib_dlglossary.lint.source import (
    CLASS_ARGUMENT,
    Include,
    Piece,
    Role,
    Scan,
    SourceLines,
    class_names,
)

__all__ = ["scan_myst"]

#: markdown-it inline rules whose text is prose; every other rule's span is masked.
_PROSE_RULES = frozenset({"text", "newline", "escape", "entity", "emphasis", "strikethrough"})
#: Blocks whose inline text is never prose.
_NOT_PROSE = frozenset({"heading_open", "th_open", "dt_open", "fieldlist_name_open"})
_FENCE_NAME_RE = re.compile(r"^\{([\w:.+-]+)\}")
_ROLE_RE = re.compile(r"(?s)\{(?P<name>[^}]+)\}(?P<ticks>`+)(?P<body>.*?)(?P=ticks)\Z")
_OPTION_RE = re.compile(r"\s*:([\w-]+):(.*)")
_HTML_COMMENT_RE = re.compile(r"(?s)<!--(.*?)-->")
_HTML_OPEN_RE = re.compile(r"<([A-Za-z][\w-]*)[^>]*?(/?)>\Z")
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "wbr", "meta", "link", "source", "col",
                        "area", "base", "embed", "param", "track"})

#: ``(start, end, rule)``: where an inline rule matched in a block's text.
_Span = tuple[int, int, str]


def scan_myst(text: str, extensions: frozenset[str] | None = None) -> Scan:
    """Scan a MyST source (see the module docstring).

    *extensions*: the MyST syntax extensions the project enables (None: every one that
    adds markup, so more is masked, never less).
    """
    md = _parser(extensions)
    out = Scan(text, "myst")
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    out.autolink = not any(autolink_off(name, value) for name, value in _metadata(tokens))
    _Walk(md, env, SourceLines(text), out).stream(tokens, 0, top=True)
    return out


#: The MyST extensions that only add markup: all on when the project's are not known.
_MARKUP_EXTENSIONS = frozenset({
    "amsmath", "attrs_block", "attrs_inline", "colon_fence", "deflist", "dollarmath",
    "fieldlist", "html_admonition", "html_image", "strikethrough", "substitution",
    "tasklist",
})


@functools.cache
def _parser(extensions: frozenset[str] | None = None) -> Any:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    wanted = _MARKUP_EXTENSIONS if extensions is None else extensions & _MARKUP_EXTENSIONS
    config = MdParserConfig(enable_extensions=set(wanted))
    md = create_md_parser(config, RendererHTML)
    # Inline content is tokenized by _inline_spans (silently, for positions), not here.
    md.disable([r.name for r in md.core.ruler.__rules__
                if r.name in ("inline", "text_join", "wordcount", "footnote_tail")])
    return md


@functools.cache
def _inline_rules(md: Any) -> list[tuple[str, Any]]:
    return [(r.name, r.fn) for r in md.inline.ruler.__rules__ if r.enabled]


# -- page metadata -----------------------------------------------------------------------------


def _metadata(tokens: list[Any]) -> Iterator[tuple[str, str]]:
    """The page's metadata fields: front matter, and field lists at the top level (which
    myst-parser puts in the document itself, as rST does)."""
    depth = 0
    name: str | None = None
    body: list[str] = []
    for token in tokens:
        if token.type == "front_matter" and depth == 0:
            yield from _front_matter(token.content)
        elif token.type == "fieldlist_name_open" and depth == 1:
            name, body = "", []
        elif token.type == "inline" and name is not None:
            if depth == 2:
                name = token.content
            elif depth > 2:
                body.append(token.content)
        elif token.type == "fieldlist_body_close" and depth == 2 and name is not None:
            yield name, "\n".join(body)
            name = None
        depth += token.nesting


def _front_matter(content: str) -> Iterator[tuple[str, str]]:
    """The scalar fields of YAML front matter, as myst-parser writes them."""
    import yaml

    try:
        data = yaml.safe_load(content)
    except yaml.YAMLError:
        return
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str | int | float):
                yield str(key), str(value)


# -- blocks ------------------------------------------------------------------------------------


@dataclass
class _Walk:
    """One page being scanned: the parser and its environment, the lines, the result."""

    md: Any
    env: Any
    lines: SourceLines
    out: Scan

    def stream(self, tokens: list[Any], base: int, *, link: bool = True,
               top: bool = False) -> None:
        """Collect prose, roles and comments of a token stream parsed from line *base* on.

        *link* false: the stream is in a ``no-autolink`` block. *top*: the stream is the
        page itself, where a heading starts a section (elsewhere it is a rubric).
        """
        stack: list[tuple[str, bool]] = []  # open blocks, and whether linking is on inside
        section: int | None = None  # the level of the no-autolink section the stream is in
        for token in tokens:
            if token.type == "heading_open" and top and not stack:
                section = _opted_out_section(token, section)
                if token.map:
                    self.out.sections.append(self.lines.starts[base + token.map[0]])
            here = (stack[-1][1] if stack else link) and section is None
            if token.nesting == 1:
                stack.append((token.type, here and NO_AUTOLINK not in _attr_classes(token)))
            elif token.nesting == -1:
                if stack:
                    stack.pop()
            elif token.map:
                self.leaf(token, base, {kind for kind, _ in stack}, link=here)

    def leaf(self, token: Any, base: int, inside: set[str], *, link: bool) -> None:
        """Read a token that opens and closes no block, inside the blocks *inside*."""
        first = base + token.map[0] + 1  # its first line, 1-based
        if token.type == "inline":
            self.inline(token, base, prose=not _NOT_PROSE & inside,
                        cell="td_open" in inside or "th_open" in inside, link=link)
        elif token.type in ("fence", "colon_fence"):
            self.fence(token, first, link=link)
        elif token.type == "myst_line_comment":
            self.out.comments.append((first, base + token.map[1], token.content.strip()))
        elif token.type == "html_block":
            for match in _HTML_COMMENT_RE.finditer(token.content):
                line = first + token.content.count("\n", 0, match.start())
                self.out.comments.append((line, line + match.group(0).count("\n"),
                                          match.group(1).strip()))

    def fence(self, token: Any, first: int, *, link: bool) -> None:
        """A directive, or a plain ``:::`` div; the body of a prose one is Markdown."""
        info = token.info.strip()
        named = _FENCE_NAME_RE.match(info)
        if not named:
            if token.type == "colon_fence":  # a plain div: Markdown, its name a class
                classes = [*info.split()[:1], *_attr_classes(token)]
                self.stream(self.md.parse(token.content, self.env), first,
                            link=link and NO_AUTOLINK not in classes)
            return
        name = named.group(1).lower()
        if name == "dlglossary":
            self.out.glossary = True
        elif name == "include":
            _, _, options = _directive_body(token.content)
            self.out.includes.append(Include(
                self.lines.starts[first - 1], first, info[named.end():].strip(),
                {str(k): "" if v is None else str(v) for k, v in options.items()}, link))
        elif name in PROSE_DIRECTIVES:
            body, skipped, options = _directive_body(token.content)
            given = [str(options.get("class") or "")]
            if name in CLASS_ARGUMENT:
                given.append(info[named.end():])
            classes = [c for g in given for c in class_names(g)]
            self.stream(self.md.parse(body, self.env), first + skipped,
                        link=link and NO_AUTOLINK not in classes)

    def inline(self, token: Any, base: int, *, prose: bool, cell: bool, link: bool) -> None:
        """The roles, comments and (if *prose*) prose of a block's inline text."""
        content = token.content
        located = self.lines.locate(content, base + token.map[0], cell=cell)
        if located is None:
            return
        whole = Piece.of(content, tuple(located), link=link)
        spans = _inline_spans(self.md, content, self.env)
        for start, end, name in spans:
            if name == "myst_role" and (role := _role(whole, start, end)):
                self.out.roles.append(role)
            elif name == "html_inline":
                for match in _HTML_COMMENT_RE.finditer(content, start, end):
                    line = self.lines.line_of(whole.source(match.start()))
                    self.out.comments.append((line, line, match.group(1).strip()))
        if prose:
            self.out.pieces += _prose(whole, spans)


def _opted_out_section(heading: Any, section: int | None) -> int | None:
    """The level of the ``no-autolink`` section a page is in after *heading*, or None."""
    level = int(heading.tag[1:])
    if section is not None and level <= section:
        section = None
    if section is None and NO_AUTOLINK in _attr_classes(heading):
        section = level
    return section


def _attr_classes(token: Any) -> list[str]:
    """The classes a block's attributes (``{.name}`` on the line before) give it."""
    return str(token.attrs.get("class", "")).split() if token.attrs else []


def _directive_body(content: str) -> tuple[str, int, dict[str, Any]]:
    """The body of a MyST directive without its options, how many lines were skipped, and
    the options."""
    parts = content.split("\n")
    skip = 0
    options: dict[str, Any] = {}
    if parts and parts[0].strip() == "---":
        ends = [i for i, p in enumerate(parts[1:], 1) if p.strip() == "---"]
        skip = ends[0] + 1 if ends else 0
        if skip:
            import yaml

            with contextlib.suppress(yaml.YAMLError):
                loaded = yaml.safe_load("\n".join(parts[1:skip - 1]))
                options = loaded if isinstance(loaded, dict) else {}
    else:
        while skip < len(parts) and (option := _OPTION_RE.match(parts[skip])):
            options[option.group(1)] = option.group(2).strip()
            skip += 1
    if isinstance(options.get("class"), list):
        options["class"] = " ".join(map(str, options["class"]))
    return "\n".join(parts[skip:]), skip, options


# -- inline text -------------------------------------------------------------------------------


def _inline_spans(md: Any, content: str, env: Any) -> list[_Span]:
    """Where each inline construct that is not prose starts and ends, in source order."""
    from markdown_it.rules_inline import StateInline

    rules = _inline_rules(md)
    state = StateInline(content, md, env, [])
    spans: list[_Span] = []
    pos, size = 0, len(content)
    while pos < size:
        for name, rule in rules:
            state.pos = pos
            if rule(state, True) and state.pos > pos:
                if name not in _PROSE_RULES:
                    spans.append((pos, state.pos, name))
                pos = state.pos
                break
        else:
            pos += 1
    return _html_elements(content, spans)


def _html_elements(content: str, spans: list[_Span]) -> list[_Span]:
    """Widen an inline HTML start tag to its end tag: the text inside is not prose."""
    out: list[_Span] = []
    i = 0
    while i < len(spans):
        start, end, name = spans[i]
        opening = _HTML_OPEN_RE.match(content, start, end) if name == "html_inline" else None
        if opening and not opening.group(2) and opening.group(1).lower() not in _VOID_TAGS:
            closing = f"</{opening.group(1).lower()}"
            for j in range(i + 1, len(spans)):
                s, e, n = spans[j]
                if n == "html_inline" and content[s:e].lower().startswith(closing):
                    out += [(start, end, name), *spans[i + 1:j], (s, e, n)]
                    out.append((start, e, "html_element"))
                    i = j + 1
                    break
            else:
                out.append(spans[i])
                i += 1
            continue
        out.append(spans[i])
        i += 1
    return sorted(out)


def _role(whole: Piece, start: int, end: int) -> Role | None:
    """The ``dlterm`` role at ``whole.text[start:end]`` (a MyST role), if it is one."""
    role = _ROLE_RE.match(whole.text, start, end)
    if not role or role.group("name").lower() != ROLE_NAME:
        return None
    return Role(whole.source(start), whole.source(end - 1) + 1,
                whole.sub(role.start("body"), role.end("body")))


def _prose(whole: Piece, spans: list[_Span]) -> Iterator[Piece]:
    """The prose of a block: the text outside every span."""
    pos = 0
    for start, end, _ in spans:
        if start > pos:
            yield whole.sub(pos, start)
        pos = max(pos, end)
    if pos < len(whole.text):
        yield whole.sub(pos, len(whole.text))
