"""The reStructuredText scanner: prose, ``dlterm`` roles and comments, as docutils sees them.

The source is parsed by docutils with an instrumented
:class:`~docutils.parsers.rst.states.Inliner` that records, for every block of text it is
given, the exact span of each inline construct, and tags the block so its place in the
doctree (paragraph, title, caption, table cell, substitution definition...) says whether
it is prose (:func:`~sphinxcontrib_dlglossary.core.prose.is_prose_node`). While parsing,
every role resolves to a stub and every directive docutils does not know is dropped
unparsed (Sphinx prose directives such as ``seealso`` or ``tab-item`` get their body
parsed), so no file is read and no error is built; this also makes the parse about five
times faster. The registries are restored afterwards.

docutils is imported when a file is scanned, not with this module.
"""

from __future__ import annotations

import contextlib
import functools
import re
import types
from collections.abc import Iterator
from typing import Any

from sphinxcontrib_dlglossary.core.prose import (
    NO_AUTOLINK,
    PROSE_DIRECTIVES,
    autolink_off,
    is_prose_node,
)
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

__all__ = ["scan_rst"]

#: What ends a line for docutils (``str.splitlines``).
_BREAKS = r"\r\n|\r|\n|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]"
_ROLE_RE = re.compile(
    r"(?s):(?P<name>[^:`]+):`(?P<body>.*)`\Z|`(?P<body2>.*)`:(?P<name2>[^:`]+):\Z")
_COMMENT_RE = re.compile(r"(?m)^[ \t]*\.\.[ \t]+(\S.*?)[ \t]*\r?$")
#: Sphinx directives that leave nothing in the doctree, or only invisible nodes.
_INVISIBLE_DIRECTIVES = frozenset({
    "index", "sectionauthor", "moduleauthor", "codeauthor", "currentmodule",
    "py:currentmodule", "default-domain",
})
#: Inline markup whose content is prose, and the length of its start (and end) string.
_PROSE_MARKUP = {"emphasis": 1, "strong": 2}

#: A block of text as the inliner was given it: the text, its first line (1-based) and
#: the ``(start, end, construct)`` spans of its inline markup.
_Block = tuple[str, int, list[tuple[int, int, str]]]


def scan_rst(text: str) -> Scan:
    """Scan a reStructuredText source (see the module docstring)."""
    inliner = _recording_inliner()
    document = _parse(text, inliner)
    lines = SourceLines(text, _BREAKS)
    out = Scan(text, "rst", glossary=bool(getattr(document, "dlglossary_page", False)),
               autolink=_page_autolink(document))
    for mark in document.findall(_mark_class()):
        _read_block(mark, inliner.blocks[mark["ident"]], lines, out)
    out.comments = _comments(document, text, lines)
    out.sections.sort()
    for node in document.findall(_include_class()):
        line = min(max(node["lineno"], 1), len(lines.starts))
        link = not any(NO_AUTOLINK in a.get("classes", ()) for a in _ancestors(node))
        out.includes.append(Include(lines.starts[line - 1], line, node["target"],
                                    node["options"], link))
    return out


def _parse(text: str, inliner: Any) -> Any:
    """The doctree of *text*, parsed with *inliner* and the stub registries."""
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document

    document = new_document("<lint>", _settings())
    with _namespace():
        Parser(inliner=inliner).parse(text, document)
    _apply_classes(document)
    return document


def _page_autolink(document: Any) -> bool:
    """Whether no field of a top-level field list turns auto-linking off."""
    return not any(autolink_off(field[0].astext(), field[1].astext())
                   for child in document.children if child.tagname == "field_list"
                   for field in child.children)


def _read_block(mark: Any, block: _Block, lines: SourceLines, out: Scan) -> None:
    """Add the roles and the prose of the block *mark* stands for to *out*."""
    text, lineno, spans = block
    up = list(_ancestors(mark.parent))
    table = any(a.tagname == "table" for a in up)
    located = lines.locate(text, lineno - 1, cell=table, deltas=(0, -1, 1))
    if located is None:
        return
    link = not any(NO_AUTOLINK in a.get("classes", ()) for a in up)
    whole = Piece.of(text, tuple(located), wrap=not table, edit=not table, link=link)
    if mark.parent.tagname == "title" and mark.parent.parent is not None \
            and mark.parent.parent.tagname == "section":
        out.sections.append(located[0])
    out.roles += _roles(whole, spans)
    if is_prose_node(mark):
        out.pieces += _prose(whole, spans)


def _roles(whole: Piece, spans: list[tuple[int, int, str]]) -> Iterator[Role]:
    """The ``dlterm`` roles among the inline markup of a block."""
    for start, end, kind in spans:
        if kind != "interpreted_or_phrase_ref":
            continue
        role = _ROLE_RE.match(whole.text, start, end)
        if role and (role.group("name") or role.group("name2")).lower() == ROLE_NAME:
            at = role.start("body") if role.group("name") else role.start("body2")
            size = len(role.group("body") or role.group("body2") or "")
            yield Role(whole.source(start), whole.source(end - 1) + 1,
                       whole.sub(at, at + size))


def _prose(whole: Piece, spans: list[tuple[int, int, str]]) -> Iterator[Piece]:
    """The prose of a block: the text between its inline markup, and inside emphasis."""
    pos = 0
    for start, end, kind in spans:
        if start > pos:
            yield whole.sub(pos, start)
        inner = _PROSE_MARKUP.get(kind)
        if inner and end - start > 2 * inner:
            yield whole.sub(start + inner, end - inner, wrap=False)
        pos = end
    if pos < len(whole.text):
        yield whole.sub(pos, len(whole.text))


def _comments(document: Any, text: str, lines: SourceLines) -> list[tuple[int, int, str]]:
    """The ``dlglossary`` comments: a comment line counts only where the doctree has that
    comment (not in a literal block, say)."""
    from docutils import nodes

    wanted: dict[str, int] = {}
    for node in document.findall(nodes.comment):
        first = node.astext().split("\n", 1)[0].strip()
        if "dlglossary" in first:
            wanted[first] = wanted.get(first, 0) + 1
    out: list[tuple[int, int, str]] = []
    if not wanted:
        return out
    for match in _COMMENT_RE.finditer(text):
        if wanted.get(match.group(1), 0) > 0:
            wanted[match.group(1)] -= 1
            line = lines.line_of(match.start())
            out.append((line, line, match.group(1)))
    return out


def _ancestors(node: Any) -> Iterator[Any]:
    while node is not None:
        yield node
        node = node.parent


def _apply_classes(document: Any) -> None:
    """Give the element after each ``.. rst-class::`` (or ``.. class::``) without content
    its classes, as the ClassAttribute transform does in a build."""
    from docutils import nodes
    from docutils.transforms.misc import ClassAttribute

    for pending in list(document.findall(nodes.pending)):
        if pending.transform is ClassAttribute and pending.parent is not None:
            ClassAttribute(document, startnode=pending).apply()


# -- the instrumented inliner ------------------------------------------------------------------


@functools.cache
def _include_class() -> Any:
    from docutils import nodes

    class IncludeMark(nodes.Element):
        """Where an ``include`` directive stood: ``target``, ``options``, ``lineno``."""

    return IncludeMark


@functools.cache
def _mark_class() -> Any:
    from docutils import nodes

    class Mark(nodes.Inline, nodes.Element):
        """Stands first in the nodes of a block; ``ident`` is its index in ``blocks``."""

    return Mark


def _recording_inliner() -> Any:
    """An :class:`~docutils.parsers.rst.states.Inliner` that records every block it parses
    (in ``blocks``) and puts a ``Mark`` first in the nodes of each, to find where the block
    went in the doctree.

    The instance is patched rather than the class subclassed: the inliner builds its
    patterns from the attributes of its own class only.
    """
    from docutils.parsers.rst import states

    inliner = states.Inliner()
    inliner.blocks = []
    inliner.parse = types.MethodType(_recording_parse, inliner)
    return inliner


def _recording_parse(self: Any, text: str, lineno: int, memo: Any, parent: Any) -> Any:
    """Inliner.parse of docutils 0.22, recording the span of each construct."""
    from docutils.parsers.rst import states

    spans: list[tuple[int, int, str]] = []
    self.blocks.append((text, lineno, spans))
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
    return [_mark_class()(ident=len(self.blocks) - 1), *processed], messages


# -- stub roles and directives -----------------------------------------------------------------


class _NullStream:
    def write(self, text: str) -> int:
        return len(text)


@functools.cache
def _settings() -> Any:
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
def _directives() -> dict[str, Any]:
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
            if self.name in CLASS_ARGUMENT and self.arguments:
                given.append(self.arguments[0])
            node = nodes.container(classes=[c for g in given for c in class_names(g)])
            self.state.nested_parse(self.content, self.content_offset, node)
            return [node]

    class Glossary(Prose):
        def run(self) -> list[Any]:
            self.state.document.dlglossary_page = True
            return []

    class Include(Prose):
        """Recorded, not read: lint follows includes itself (:mod:`.page`)."""

        def run(self) -> list[Any]:
            options = {k: "" if v is None else str(v) for k, v in self.options.items()}
            return [_include_class()(target=(self.arguments or [""])[0],
                                     options=options, lineno=self.lineno)]

    class Masked(Prose):
        """Dropped unparsed. What stands in its place is an element (Sphinx's directives
        give one), so ``.. rst-class::`` before it applies to it, not to what follows."""

        def run(self) -> list[Any]:
            return [] if self.name in _INVISIBLE_DIRECTIVES else [nodes.container()]

    for name in PROSE_DIRECTIVES - set(known):
        known[name] = Prose
    known["dlglossary"] = Glossary
    known["include"] = Include
    known["masked"] = Masked
    return known


@contextlib.contextmanager
def _namespace() -> Iterator[None]:
    """Stub roles and directives while parsing; the registries are restored afterwards.

    Docutils keeps them in module globals, so this is not thread-safe (neither is
    Sphinx's own ``docutils_namespace``); processes are fine.
    """
    from docutils import nodes
    from docutils.parsers.rst import directives, roles

    known = _directives()

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
    saved_transitions = _cache_transitions()
    try:
        yield
    finally:
        directives._directives, roles._roles = saved
        _restore_transitions(saved_transitions)


#: Per state class and transition list: ``(name, pattern, next state)`` of each.
_TRANSITIONS: dict[tuple[type, tuple[Any, ...]], list[tuple[str, Any, str]]] = {}


def _cache_transitions() -> Any:
    """Have docutils' states build their transitions from a cache while lint parses.

    Every nested parse (each list, directive body, comment) makes a new state machine
    whose fifteen states each look up and check their patterns and methods by name: a
    fifth of the time lint spends in docutils. The names, compiled patterns and next
    states depend on the class only, so they are looked up once per class; the bound
    methods are still taken from each state. Returns what :func:`_restore_transitions`
    puts back.
    """
    from docutils import statemachine

    original = statemachine.State.make_transitions

    def make_transitions(self: Any, name_list: Any) -> tuple[list[str], dict[str, Any]]:
        key = (type(self), tuple(name_list))
        found = _TRANSITIONS.get(key)
        if found is None:
            names, made = original(self, name_list)
            found = _TRANSITIONS[key] = [(n, made[n][0], made[n][2]) for n in names]
        return [n for n, _, _ in found], {
            n: (pattern, getattr(self, n), state) for n, pattern, state in found}

    statemachine.State.make_transitions = make_transitions
    return original


def _restore_transitions(original: Any) -> None:
    from docutils import statemachine

    statemachine.State.make_transitions = original
