"""Which parts of a page are prose, and where mentions there may be linked.

``dlglossary lint`` and the build-time auto-linker both ask this module (and
:mod:`.matcher` for what a mention is), so they agree on where a term may be mentioned
and linked.

:func:`scan` returns the prose of a reStructuredText or MyST source as :class:`Piece`
objects that map every character back to its source offset, plus every ``dlterm`` role,
the comments (for suppressions), whether the page is the glossary page and whether it
opts out of auto-linking. Both syntaxes use their real parsers rather than a line
scanner, because the markup rules that decide what is code or a link (rST's inline
start/end-string rules, CommonMark's backtick runs and link destinations) are exactly
where scanners go wrong:

* rST is parsed by docutils with an instrumented :class:`~docutils.parsers.rst.states.Inliner`
  that records, for every block of text it is given, the exact span of each inline
  construct, and tags the block so its place in the doctree (paragraph, title, caption,
  table cell, substitution definition...) says whether it is prose. While parsing, every
  role resolves to a stub and every directive docutils does not know is dropped unparsed
  (Sphinx prose directives such as ``seealso`` or ``tab-item`` get their body parsed), so
  no file is read and no error is built; this also makes the parse about five times
  faster. The registries are restored afterwards.
* MyST is parsed by markdown-it-py configured by myst-parser (with every syntax
  extension that only adds markup switched on, so more is masked, never less); the
  inline rules of that same parser are then run over each block in "silent" mode, which
  tells exactly where each code span, role, math, link, image, autolink or HTML tag
  starts and ends. Bodies of prose directives (admonitions, ``seealso``, sphinx-design
  containers) and of plain ``:::`` divs are parsed the same way.

Never prose: code and literal blocks, inline literals, math, links and references (also
bare URLs), headings, rubrics, captions and legends, table header cells, definition
terms, field names and the metadata field list at the top of an rST page, directive
arguments and options, substitution definitions, comments, raw HTML (with the text
inside an inline HTML element), front matter, targets, and every role. Emphasis is prose
but in rST a role cannot be nested in it, so a mention there is not wrapped; rST tables
are prose but never edited (their columns would break).

Opt-outs of auto-linking, as the build reads them (see :mod:`.autolink`):

* the page: ``dlglossary_autolink: false`` (also ``no``, ``off``, ``0``) in its metadata,
  MyST front matter or a field of a field list at the top level of an rST page (before
  its first section), sets :attr:`Scan.autolink` false;
* a block with the class ``no-autolink`` (:data:`NO_AUTOLINK`): rST ``.. rst-class::`` or
  ``.. class::`` (on its content, or else on the next element), ``.. container::``, a
  ``:class:`` option; MyST ``{.no-autolink}`` on the line before a block (``attrs_block``;
  before a heading it covers the whole section), ``{container}`` or ``{div}`` with the
  class as argument, a ``:class:`` option, or a plain ``::: no-autolink`` div. Its pieces
  have :attr:`Piece.link` false: still prose (spelling is checked), but no mention there
  is linked or counts as the first.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
import types
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

__all__ = [
    "NO_AUTOLINK",
    "PROSE_DIRECTIVES",
    "SKIP_NODES",
    "Piece",
    "Role",
    "Scan",
    "Syntax",
    "is_prose_node",
    "mask",
    "prose_regions",
    "scan",
    "syntax_of",
]

Syntax = Literal["rst", "myst"]

#: A block with this class is not auto-linked (the build's ``OPT_OUT_CLASS``).
NO_AUTOLINK = "no-autolink"
#: Values of the page metadata ``dlglossary_autolink`` that turn auto-linking off.
_OFF = frozenset({"false", "no", "off", "0"})

# -- pieces of prose ---------------------------------------------------------------------------


class Piece(NamedTuple):
    """A run of prose as the parser sees it, mapped back onto the source.

    :attr:`text` is what the parser hands on (container prefixes such as indentation or
    ``> `` removed); line *i* of it starts at ``starts[i]`` and sits at source offset
    ``sources[i]``.
    """

    text: str
    starts: tuple[int, ...]
    sources: tuple[int, ...]
    #: A role may be wrapped around a mention here (not in rST emphasis or tables).
    wrap: bool = True
    #: The text may be edited here (not in rST tables).
    edit: bool = True
    #: A mention here may be linked (not in a ``no-autolink`` block): only then is it a
    #: candidate for the first mention of its term.
    link: bool = True

    def source(self, offset: int) -> int:
        """The source offset of *offset* in :attr:`text`."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.sources[i] + offset - self.starts[i]

    def ranges(self) -> Iterator[tuple[int, int]]:
        """The source ranges this piece covers, one per line."""
        for i, start in enumerate(self.starts):
            stop = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
            if self.text[start:stop].endswith("\n"):
                stop -= 1  # the line break itself stands for the container's prefix
            if stop > start:
                yield self.sources[i], self.sources[i] + stop - start

    def sub(self, start: int, stop: int, **flags: bool) -> Piece:
        """The part ``text[start:stop]`` as a piece of its own."""
        i = bisect.bisect_right(self.starts, start) - 1
        starts = [0]
        sources = [self.sources[i] + start - self.starts[i]]
        for j in range(i + 1, len(self.starts)):
            if self.starts[j] >= stop:
                break
            starts.append(self.starts[j] - start)
            sources.append(self.sources[j])
        return Piece(self.text[start:stop], tuple(starts), tuple(sources),
                     flags.get("wrap", self.wrap), flags.get("edit", self.edit),
                     flags.get("link", self.link))


@dataclass(frozen=True)
class Role:
    """One ``dlterm`` role: where it is and its body (between the backquotes)."""

    start: int
    end: int
    body: Piece

    @property
    def suppressed(self) -> bool:
        """``!kernel``: deliberately plain text."""
        return self.body.text.lstrip().startswith("!")

    @property
    def target(self) -> str:
        """The term the role names (``text <target>`` or the whole body)."""
        from sphinxcontrib_dlglossary.terms import role_target

        return role_target(self.body.text)

    def target_span(self) -> tuple[int, int]:
        """The offsets of :attr:`target` in the body text."""
        match = _ROLE_BODY_RE.fullmatch(self.body.text)
        if match:
            return match.span("target")
        return self._lead(), len(self.body.text.rstrip())

    def text_span(self) -> tuple[int, int]:
        """The offsets of the displayed text in the body text."""
        match = _ROLE_BODY_RE.fullmatch(self.body.text)
        return self._lead(), match.end("text") if match else len(self.body.text.rstrip())

    def _lead(self) -> int:
        body = self.body.text
        return len(body) - len(body.lstrip(" \n!~"))


_ROLE_BODY_RE = re.compile(r"(?s)(?P<text>.*?)\s*<(?P<target>[^<>]+)>\s*")


@dataclass
class Scan:
    """What :func:`scan` found in one source text."""

    text: str
    syntax: Syntax
    #: The prose, in source order.
    pieces: list[Piece] = field(default_factory=list)
    #: Every ``dlterm`` role, in source order (prose or not).
    roles: list[Role] = field(default_factory=list)
    #: Comments, as ``(first line, last line, text)`` with 1-based lines.
    comments: list[tuple[int, int, str]] = field(default_factory=list)
    #: The page holds the ``dlglossary`` directive: it is the glossary page.
    glossary: bool = False
    #: The page may be auto-linked (its metadata does not say ``dlglossary_autolink: false``).
    autolink: bool = True

    def prose_ranges(self) -> list[tuple[int, int]]:
        """The source ranges that are prose, sorted."""
        return sorted(r for piece in self.pieces for r in piece.ranges())


def syntax_of(path: str) -> Syntax | None:
    """The markup of a file, by its suffix: ``rst``, ``myst``, or None."""
    lower = path.lower()
    if lower.endswith((".rst", ".rest", ".txt")):
        return "rst"
    if lower.endswith((".md", ".markdown", ".myst")):
        return "myst"
    return None


def scan(text: str, syntax: Syntax) -> Scan:
    """Find the prose, the ``dlterm`` roles and the comments of a source text."""
    result = _scan_rst(text) if syntax == "rst" else _scan_myst(text)
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


_URL_RE = re.compile(
    r"(?:\b(?:https?|ftp|file|mailto):|\bwww\.)[^\s<>`\"']*[^\s<>`\"'.,;:!?)\]]"
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


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


class _Lines:
    """Line starts of a source text, and the lines themselves without their line breaks."""

    def __init__(self, text: str, breaks: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(breaks, text)]
        self.lines = [text[s:e].rstrip("\r\n") for s, e in
                      zip(self.starts, [*self.starts[1:], len(text)], strict=True)]
        self.cursor: dict[int, int] = {}

    def locate(self, block: str, first: int, *, cell: bool = False,
               deltas: tuple[int, ...] = (0,)) -> list[int] | None:
        """Source offsets of the lines of *block* (a block of text from 0-based line
        *first* with container prefixes removed), or None if they cannot be found."""
        for delta in deltas:
            out = []
            for i, part in enumerate(block.split("\n")):
                at = self._column(first + delta + i, part, cell)
                if at is None:
                    break
                out.append(self.starts[first + delta + i] + at)
            else:
                if cell:
                    for i, part in enumerate(block.split("\n")):
                        self.cursor[first + delta + i] = out[i] - self.starts[first + delta + i] \
                            + len(part)
                return out
        return None

    def _column(self, index: int, part: str, cell: bool) -> int | None:
        if not 0 <= index < len(self.lines):
            return None
        line = self.lines[index]
        if cell:
            at = line.find(part, self.cursor.get(index, 0))
            return at if at >= 0 else None
        for candidate in (line, line.rstrip()):
            if candidate.endswith(part):
                return len(candidate) - len(part)
        at = line.find(part)
        return at if at >= 0 else None


# -- reStructuredText --------------------------------------------------------------------------

#: Sphinx (and sphinx-design) directives whose body is prose; their arguments are not.
PROSE_DIRECTIVES = frozenset({
    "admonition", "attention", "caution", "danger", "error", "hint", "important", "note",
    "tip", "warning", "seealso", "todo", "versionadded", "versionchanged", "deprecated",
    "versionremoved", "only", "container", "div", "topic", "sidebar", "margin", "epigraph",
    "highlights", "pull-quote", "compound", "hlist", "tab-set", "tab-item", "tab", "dropdown",
    "card", "grid", "grid-item", "grid-item-card",
})

#: Doctree node names whose text is never prose (shared with the auto-linker).
SKIP_NODES = frozenset({
    "title", "subtitle", "rubric", "caption", "legend", "field_name", "term", "classifier",
    "option_string", "option_argument", "literal_block", "doctest_block", "literal", "math",
    "math_block", "raw", "reference", "target", "substitution_definition",
    "substitution_reference", "comment", "abbreviation", "acronym", "attribution",
    "system_message", "problematic", "footnote_reference", "citation_reference", "label",
    "title_reference", "image", "thead", "meta", "docinfo", "generated", "inline",
    "pending_xref", "desc_signature", "desc_name", "desc_addname", "desc_annotation",
    "desc_parameterlist", "desc_type", "toctree", "compact_paragraph", "index", "glossary",
    "productionlist", "download_reference", "literal_emphasis", "literal_strong", "manpage",
    "number_reference", "versionmodified", "tabular_col_spec", "container_literal",
})


def is_prose_node(node: Any, skip: Collection[str] = SKIP_NODES) -> bool:
    """Whether the text of a docutils *node* is prose (see :data:`SKIP_NODES`).

    Also false inside the field list that opens a document (page metadata).
    """
    child = node
    parent = getattr(node, "parent", None)
    while parent is not None:
        if child.tagname in skip:
            return False
        if (child.tagname == "field_list" and parent.tagname == "document"
                and _first_body(parent) is child):
            return False
        child, parent = parent, parent.parent
    return True


def _first_body(document: Any) -> Any:
    for child in document.children:
        if child.tagname not in ("comment", "target", "substitution_definition"):
            return child
    return None


class _NullStream:
    def write(self, text: str) -> int:
        return len(text)


@functools.cache
def _rst_settings() -> Any:
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser

    settings = get_default_settings(Parser)
    settings.report_level = 5
    settings.halt_level = 5
    settings.warning_stream = _NullStream()
    settings.file_insertion_enabled = False
    settings.pep_references = settings.rfc_references = False
    return settings


@functools.cache
def _rst_directives() -> dict[str, Any]:
    """Docutils' own directives, plus stubs for Sphinx's prose ones and the glossary."""
    from importlib import import_module

    from docutils import nodes
    from docutils.parsers.rst import Directive, directives
    from docutils.parsers.rst.directives.misc import Class

    known: dict[str, Any] = {}
    for name, (module, cls) in directives._directive_registry.items():
        known[name] = getattr(import_module("docutils.parsers.rst.directives." + module), cls)
    known["rst-class"] = Class  # as Sphinx registers it

    class _Options(dict):
        """Accepts any option: a stub must not fail on an option it does not know."""

        def __missing__(self, key: str) -> Any:
            return directives.unchanged

    class Prose(Directive):
        has_content = True
        optional_arguments = 1
        final_argument_whitespace = True
        option_spec = _Options(name=directives.unchanged)

        def run(self) -> list[Any]:
            given = [self.options.get("class") or ""]
            if self.name in _CLASS_ARGUMENT and self.arguments:
                given.append(self.arguments[0])
            node = nodes.container(classes=[c for g in given for c in _class_names(g)])
            self.state.nested_parse(self.content, self.content_offset, node)
            return [node]

    class Glossary(Prose):
        def run(self) -> list[Any]:
            self.state.document.dlglossary_page = True
            return []

    class Masked(Prose):
        """Dropped unparsed. What stands in its place is an element (Sphinx's directives
        give one), so ``.. rst-class::`` before it applies to it, not to what follows."""

        def run(self) -> list[Any]:
            return [] if self.name in _INVISIBLE_DIRECTIVES else [nodes.container()]

    for name in PROSE_DIRECTIVES - set(known):
        known[name] = Prose
    known["dlglossary"] = Glossary
    known["masked"] = Masked
    return known


#: Directives whose class names are their argument (``container`` is docutils' own).
_CLASS_ARGUMENT = frozenset({"container", "div"})
#: Sphinx directives that leave nothing in the doctree, or only invisible nodes.
_INVISIBLE_DIRECTIVES = frozenset({
    "index", "sectionauthor", "moduleauthor", "codeauthor", "currentmodule",
    "py:currentmodule", "default-domain",
})


def _class_names(value: str) -> list[str]:
    """Class names as a directive's ``class`` option or argument gives them."""
    from docutils.nodes import make_id

    return [make_id(name) for name in value.split()]


@contextlib.contextmanager
def _rst_namespace() -> Iterator[None]:
    """Stub roles and directives while parsing; the registries are restored afterwards.

    Docutils keeps them in module globals, so this is not thread-safe (neither is
    Sphinx's own ``docutils_namespace``); processes are fine.
    """
    from docutils import nodes
    from docutils.parsers.rst import directives, roles

    known = _rst_directives()

    class Directives(dict):
        def __contains__(self, key: object) -> bool:
            return True

        def __missing__(self, key: str) -> Any:
            return known["masked"]

    def any_role(name: str, rawtext: str, text: str, lineno: int, inliner: Any,
                 options: Any = None, content: Any = None) -> Any:
        return [nodes.literal(rawtext, text)], []

    class Roles(dict):
        def __contains__(self, key: object) -> bool:
            return key != "" or dict.__contains__(self, key)

        def __missing__(self, key: str) -> Any:
            return any_role

    saved = directives._directives, roles._roles
    directives._directives = Directives(known)
    roles._roles = Roles()
    try:
        yield
    finally:
        directives._directives, roles._roles = saved


_RST_ROLE_RE = re.compile(
    r"(?s):(?P<name>[^:`]+):`(?P<body>.*)`\Z|`(?P<body2>.*)`:(?P<name2>[^:`]+):\Z")
_RST_COMMENT_RE = re.compile(r"(?m)^[ \t]*\.\.[ \t]+(\S.*?)[ \t]*\r?$")


def _scan_rst(text: str) -> Scan:
    from docutils import nodes
    from docutils.parsers.rst import Parser, states
    from docutils.utils import new_document

    blocks: list[tuple[str, int, list[tuple[int, int, str]]]] = []

    class Mark(nodes.Inline, nodes.Element):
        """Put first in the nodes of each block of text, to find where the block went."""

    def parse(self: Any, text: str, lineno: int, memo: Any, parent: Any) -> Any:
        # Inliner.parse of docutils 0.22, recording the span of each construct.
        spans: list[tuple[int, int, str]] = []
        blocks.append((text, lineno, spans))
        self.document = memo.document
        self.language = memo.language
        self.reporter = self.document.reporter
        self.parent = parent
        remaining = states.escape2null(text)
        size = len(remaining)
        processed: list[Any] = []
        unprocessed: list[str] = []
        messages: list[Any] = []
        while remaining:
            match = self.patterns.initial.search(remaining)
            if not match:
                break
            groups = match.groupdict()
            method = self.dispatch[groups["start"] or groups["backquote"]
                                   or groups["refend"] or groups["fnend"]]
            before_len = len(remaining)
            before, inlines, remaining, sysmessages = method(self, match, lineno)
            unprocessed.append(before)
            messages += sysmessages
            if inlines:
                spans.append((size - before_len + len(before), size - len(remaining),
                              method.__name__))
                processed += self.implicit_inline("".join(unprocessed), lineno)
                processed += inlines
                unprocessed = []
        remaining = "".join(unprocessed) + remaining
        if remaining:
            processed += self.implicit_inline(remaining, lineno)
        return [Mark(ident=len(blocks) - 1), *processed], messages

    inliner = states.Inliner()
    inliner.parse = types.MethodType(parse, inliner)
    document = new_document("<lint>", _rst_settings())
    with _rst_namespace():
        Parser(inliner=inliner).parse(text, document)
    _apply_rst_classes(document)

    lines = _Lines(text, r"\r\n|\r|\n|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
    out = Scan(text, "rst", glossary=bool(getattr(document, "dlglossary_page", False)),
               autolink=not any(_off(field[0].astext(), field[1].astext())
                                for child in document.children if child.tagname == "field_list"
                                for field in child.children))
    for mark in document.findall(Mark):
        block, lineno, spans = blocks[mark["ident"]]
        up = list(_ancestors(mark.parent))
        table = any(a.tagname == "table" for a in up)
        located = lines.locate(block, lineno - 1, cell=table, deltas=(0, -1, 1))
        if located is None:
            continue
        link = not any(NO_AUTOLINK in a.get("classes", ()) for a in up)
        whole = Piece(block, _line_starts(block), tuple(located), wrap=not table, edit=not table,
                      link=link)
        for start, end, kind in spans:
            if kind == "interpreted_or_phrase_ref":
                role = _RST_ROLE_RE.match(block, start, end)
                if role and (role.group("name") or role.group("name2")).lower() == "dlterm":
                    at = role.start("body") if role.group("name") else role.start("body2")
                    size = len(role.group("body") or role.group("body2") or "")
                    out.roles.append(Role(whole.source(start), whole.source(end - 1) + 1,
                                          whole.sub(at, at + size)))
        if not is_prose_node(mark):
            continue
        pos = 0
        for start, end, kind in spans:
            if start > pos:
                out.pieces.append(whole.sub(pos, start))
            inner = {"emphasis": 1, "strong": 2}.get(kind)
            if inner and end - start > 2 * inner:
                out.pieces.append(whole.sub(start + inner, end - inner, wrap=False))
            pos = end
        if pos < len(block):
            out.pieces.append(whole.sub(pos, len(block)))

    # Comments: a comment line counts only where the doctree has that comment.
    wanted: dict[str, int] = {}
    for node in document.findall(nodes.comment):
        first = node.astext().split("\n", 1)[0].strip()
        if "dlglossary" in first:
            wanted[first] = wanted.get(first, 0) + 1
    if wanted:
        for match in _RST_COMMENT_RE.finditer(text):
            if wanted.get(match.group(1), 0) > 0:
                wanted[match.group(1)] -= 1
                line = bisect.bisect_right(lines.starts, match.start())
                out.comments.append((line, line, match.group(1)))
    return out


def _apply_rst_classes(document: Any) -> None:
    """Give the element after each ``.. rst-class::`` (or ``.. class::``) without content
    its classes, as the ClassAttribute transform does in a build."""
    from docutils import nodes
    from docutils.transforms.misc import ClassAttribute

    for pending in list(document.findall(nodes.pending)):
        if pending.transform is ClassAttribute and pending.parent is not None:
            ClassAttribute(document, startnode=pending).apply()


def _off(name: str, value: str) -> bool:
    """Whether a metadata field turns auto-linking off for the page."""
    return name.strip().lower() == "dlglossary_autolink" and value.strip().lower() in _OFF


def _ancestors(node: Any) -> Iterator[Any]:
    while node is not None:
        yield node
        node = node.parent


def _line_starts(block: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in re.finditer("\n", block)))


# -- MyST --------------------------------------------------------------------------------------

#: markdown-it inline rules whose text is prose; every other rule's span is masked.
_PROSE_RULES = frozenset({"text", "newline", "escape", "entity", "emphasis", "strikethrough"})
_FENCE_NAME_RE = re.compile(r"^\{([\w:.+-]+)\}")
_MYST_ROLE_RE = re.compile(r"(?s)\{(?P<name>[^}]+)\}(?P<ticks>`+)(?P<body>.*?)(?P=ticks)\Z")
_HTML_COMMENT_RE = re.compile(r"(?s)<!--(.*?)-->")
_HTML_OPEN_RE = re.compile(r"<([A-Za-z][\w-]*)[^>]*?(/?)>\Z")
_VOID_TAGS = frozenset({"br", "hr", "img", "input", "wbr", "meta", "link", "source", "col",
                        "area", "base", "embed", "param", "track"})


@functools.cache
def _myst_parser() -> Any:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions={
        "amsmath", "attrs_block", "attrs_inline", "colon_fence", "deflist", "dollarmath",
        "fieldlist", "html_admonition", "html_image", "strikethrough", "substitution",
        "tasklist",
    })
    md = create_md_parser(config, RendererHTML)
    # Inline content is tokenized by _inline_myst (silently, for positions), not here.
    md.disable([r.name for r in md.core.ruler.__rules__
                if r.name in ("inline", "text_join", "wordcount", "footnote_tail")])
    return md


@functools.cache
def _inline_rules(md: Any) -> list[tuple[str, Any]]:
    return [(r.name, r.fn) for r in md.inline.ruler.__rules__ if r.enabled]


def _scan_myst(text: str) -> Scan:
    md = _myst_parser()
    out = Scan(text, "myst")
    lines = _Lines(text, r"\r\n|\r|\n")
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    out.autolink = not any(_off(name, value) for name, value in _myst_metadata(tokens))
    _walk_myst(md, tokens, env, 0, lines, out, top=True)
    return out


def _myst_metadata(tokens: list[Any]) -> Iterator[tuple[str, str]]:
    """The page's metadata fields: front matter, and field lists at the top level (which
    myst-parser puts in the document itself, as rST does)."""
    import yaml

    depth = 0
    name: str | None = None
    body: list[str] = []
    for token in tokens:
        if token.type == "front_matter" and depth == 0:
            try:
                data = yaml.safe_load(token.content)
            except yaml.YAMLError:
                continue
            if isinstance(data, dict):
                for key, value in data.items():
                    if isinstance(value, str | int | float):  # as myst-parser writes them
                        yield str(key), str(value)
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


def _walk_myst(md: Any, tokens: list[Any], env: Any, base: int, lines: _Lines,
               out: Scan, *, link: bool = True, top: bool = False) -> None:
    """Collect prose, roles and comments of a token stream parsed from line *base* on.

    *link* false: the stream is in a ``no-autolink`` block. *top*: the stream is the
    page itself, where a heading starts a section (elsewhere it is a rubric).
    """
    stack: list[tuple[str, bool]] = []  # open blocks, and whether linking is on inside
    section: int | None = None  # the level of the no-autolink section the stream is in
    for token in tokens:
        if token.type == "heading_open" and top and not stack:
            level = int(token.tag[1:])
            if section is not None and level <= section:
                section = None
            if section is None and NO_AUTOLINK in _attr_classes(token):
                section = level
        here = (stack[-1][1] if stack else link) and section is None
        if token.nesting == 1:
            stack.append((token.type, here and NO_AUTOLINK not in _attr_classes(token)))
        elif token.nesting == -1:
            if stack:
                stack.pop()
        elif token.type == "inline" and token.map:
            kinds = {kind for kind, _ in stack}
            excluded = {"heading_open", "th_open", "dt_open", "fieldlist_name_open"} & kinds
            _inline_myst(md, token, env, base, lines, out, prose=not excluded,
                         cell="td_open" in kinds or "th_open" in kinds, link=here)
        elif token.type in ("fence", "colon_fence") and token.map:
            info = token.info.strip()
            named = _FENCE_NAME_RE.match(info)
            if not named:
                if token.type == "colon_fence":  # a plain div: Markdown, its name a class
                    classes = [*info.split()[:1], *_attr_classes(token)]
                    _walk_myst(md, md.parse(token.content, env), env,
                               base + token.map[0] + 1, lines, out,
                               link=here and NO_AUTOLINK not in classes)
                continue
            name = named.group(1).lower()
            if name == "dlglossary":
                out.glossary = True
            elif name in PROSE_DIRECTIVES:
                body, skipped, options = _directive_body(token.content)
                given = [str(options.get("class") or "")]
                if name in _CLASS_ARGUMENT:
                    given.append(info[named.end():])
                classes = [c for g in given for c in _class_names(g)]
                _walk_myst(md, md.parse(body, env), env, base + token.map[0] + 1 + skipped,
                           lines, out, link=here and NO_AUTOLINK not in classes)
        elif token.type == "myst_line_comment" and token.map:
            out.comments.append((base + token.map[0] + 1, base + token.map[1],
                                 token.content.strip()))
        elif token.type == "html_block" and token.map:
            for match in _HTML_COMMENT_RE.finditer(token.content):
                first = base + token.map[0] + 1 + token.content.count("\n", 0, match.start())
                last = first + match.group(0).count("\n")
                out.comments.append((first, last, match.group(1).strip()))


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


_OPTION_RE = re.compile(r"\s*:([\w-]+):(.*)")


def _inline_myst(md: Any, token: Any, env: Any, base: int, lines: _Lines, out: Scan, *,
                 prose: bool, cell: bool, link: bool) -> None:
    from markdown_it.rules_inline import StateInline

    content = token.content
    located = lines.locate(content, base + token.map[0], cell=cell)
    if located is None:
        return
    whole = Piece(content, _line_starts(content), tuple(located), link=link)
    rules = _inline_rules(md)
    state = StateInline(content, md, env, [])
    spans: list[tuple[int, int, str]] = []
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
    spans = _html_elements(content, spans)
    for start, end, name in spans:
        if name == "myst_role":
            role = _MYST_ROLE_RE.match(content, start, end)
            if role and role.group("name").lower() == "dlterm":
                out.roles.append(Role(whole.source(start), whole.source(end - 1) + 1,
                                      whole.sub(role.start("body"), role.end("body"))))
        elif name == "html_inline":
            for match in _HTML_COMMENT_RE.finditer(content, start, end):
                line = bisect.bisect_right(lines.starts, whole.source(match.start()))
                out.comments.append((line, line, match.group(1).strip()))
    if not prose:
        return
    pos = 0
    for start, end, _ in spans:
        if start > pos:
            out.pieces.append(whole.sub(pos, start))
        pos = max(pos, end)
    if pos < size:
        out.pieces.append(whole.sub(pos, size))


def _html_elements(content: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Widen an inline HTML start tag to its end tag: the text inside is not prose."""
    out: list[tuple[int, int, str]] = []
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
