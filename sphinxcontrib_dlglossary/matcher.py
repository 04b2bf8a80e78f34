"""What counts as a mention of a glossary term, and which parts of a page are prose.

``dlglossary lint`` and the build-time auto-linker both ask this module, so they always
agree on what a mention is. It holds two things:

**The matcher.** :class:`Matcher` compiles every form of every term (title, aliases,
variants, avoided synonyms and their plurals, from the :class:`~.terms.TermSet` lookup
rules) into *one* regular expression: a character trie, so the engine never tries the
forms one by one, and a greedy optional tail, so the longest form wins ("Convolutional
Neural Network" over "Neural Network"). A mention must stand alone: no word character,
hyphen, ``.``, ``/``, ``@``, ``#`` or backslash before it, no word character, hyphen,
``(``, ``[``, ``=`` or ``@`` after it and no ``.``, ``/``, ``:`` or backslash followed by
a word character, so identifiers (``kernel_size``), file names (``kernel.py``), URLs,
calls (``loss(x)``) and hyphenated compounds ("U-Net-like", "non-differentiable") never
match. Between the words of a form any space, line break or hyphen is allowed, as in
:func:`~.terms.normalize`. Case rules:

* a word written in capitals in the data (``CNN``, ``MLP``) matches only exactly, so
  "cnn" and "Mlp" are not mentions;
* a *proper name* (one word with an inner capital such as ``U-Net`` or ``ConvNet``, or
  any camel-case word such as ``ResNet``) matches in any case, but a spelling other than
  the data's ("u-net", "Resnet") is reported as non-canonical;
* other forms match in any case, except an all-capitals spelling ("LOSS", a constant or
  shouting) and a capitalised word right after a capitalised word that does not start
  a sentence ("the Jupyter Kernel", "Linux Kernel"): part of a proper name.

A term marked ``everyday`` (its word has an everyday sense: kernel, loss, parameters) is
still found, but its mentions are flagged :attr:`Mention.everyday` and are never
"unlinked mentions" unless the project opts the term in.

**The prose of a page.** :func:`scan` returns the prose of a reStructuredText or MyST
source as :class:`Piece` objects that map every character back to its source offset,
plus every ``dlterm`` role, the comments (for suppressions) and whether the page is the
glossary page. Both syntaxes use their real parsers rather than a line scanner, because
the markup rules that decide what is code or a link (rST's inline start/end-string
rules, CommonMark's backtick runs and link destinations) are exactly where scanners go
wrong:

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
  containers) are parsed the same way.

Never prose: code and literal blocks, inline literals, math, links and references (also
bare URLs), headings, rubrics, captions and legends, table header cells, definition
terms, field names and the metadata field list at the top of an rST page, directive
arguments and options, substitution definitions, comments, raw HTML (with the text
inside an inline HTML element), front matter, targets, and every role. Emphasis is prose
but in rST a role cannot be nested in it, so a mention there is not wrapped; rST tables
are prose but never edited (their columns would break).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import re
import types
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sphinxcontrib_dlglossary.terms import normalize, plural

if TYPE_CHECKING:
    from sphinxcontrib_dlglossary.terms import TermSet

__all__ = [
    "SKIP_NODES",
    "Kind",
    "Matcher",
    "Mention",
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

Kind = Literal["canonical", "variant", "avoid"]
Syntax = Literal["rst", "myst"]

# -- the matcher -------------------------------------------------------------------------------

#: Between two words of a form: a hyphen or any run of white space (line breaks included).
_SEP = r"(?:[\-\u2010\u2011]|\s+)"
_SPLIT_RE = re.compile(r"[\s_\-\u2010-\u2014]+")
_BEFORE = r"(?<![\w\-\u2010\u2011./@#\\])"
_AFTER = r"(?![\w\-\u2010\u2011(\[=@]|[./:\\]\w)"
_END = object()
_UNSEEN: Any = object()
_PREV_WORD_RE = re.compile(r"([^\W\d_][\w'’]*)[ \t]*\n?[ \t]*$")


def _is_abbreviation(word: str) -> bool:
    """A word the data writes in capitals (CNN, MLP, "(MLP)"): matched exactly."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_proper(form: str) -> bool:
    """A name whose capitals matter: one word with an inner capital, or a camel-case word."""
    words = form.split()
    if any(re.search(r"[a-z][A-Z]", w) for w in words):
        return True
    return len(words) == 1 and not _is_abbreviation(form) and any(c.isupper() for c in form[1:])


def _skeleton(text: str) -> str:
    """*text* with hyphens and runs of white space each written one way."""
    return re.sub(r"\s+", " ", re.sub(r"[\u2010\u2011]", "-", text))


def _plural_spelling(form: str) -> str | None:
    """The plural of *form* as written (keeping its capitals), or None."""
    lower = plural(form.lower())
    if lower is None:
        return None
    if lower.startswith(form.lower()):
        return form + lower[len(form):]
    return form[: len(form) - 1] + lower[len(form) - 1:]  # -y → -ies


@dataclass(frozen=True)
class _Form:
    """What a normalized form stands for."""

    key: str
    kind: Kind
    #: The spellings of this form in the data (singular), for case checks and messages.
    spellings: tuple[str, ...]
    plural: bool
    proper: bool


class Mention(NamedTuple):
    """One mention of a term in a piece of text (offsets into that text)."""

    start: int
    end: int
    key: str
    #: The text as written.
    text: str
    #: ``canonical`` (title or alias as written), ``variant`` (a spelling to rewrite to
    #: :attr:`replacement`) or ``avoid`` (a synonym the data says to avoid).
    kind: Kind
    #: The term has an everyday sense and the project did not opt it in.
    everyday: bool = False
    #: What a fix writes instead (variants) or what to use (avoided synonyms).
    replacement: str | None = None

    @property
    def linkable(self) -> bool:
        """Whether the auto-linker may link this mention (and lint asks for a link)."""
        return self.kind != "avoid" and not self.everyday


class _Surface(NamedTuple):
    """What a surface text is, whatever its context."""

    key: str
    kind: Kind
    everyday: bool
    replacement: str | None
    #: A capitalised plain form: it is no mention inside a proper name ("Jupyter Kernel").
    contextual: bool


class Matcher:
    """Finds mentions of the terms of a :class:`~.terms.TermSet` in plain text.

    Build one per term set and reuse it: construction compiles one regular expression.

    :param include_everyday: keys of ``everyday`` terms whose mentions count as linkable
        anyway, or ``True`` for all of them.
    """

    def __init__(self, termset: TermSet, *,
                 include_everyday: Collection[str] | bool = frozenset()) -> None:
        self.termset = termset
        self._forms: dict[str, _Form] = {}
        rank = {"canonical": 0, "variant": 1, "avoid": 2}
        spellings: dict[str, list[str]] = {}
        for term in termset:
            for form, field_kind in term.forms():
                if field_kind == "key":
                    continue  # a slug, not prose; its words are the title's anyway
                kind: Kind = {"variants": "variant", "avoid": "avoid"}.get(
                    field_kind, "canonical")  # type: ignore[assignment]
                norm = normalize(form)
                if not norm:
                    continue
                old = self._forms.get(norm)
                if old is not None and (old.key != term.key or rank[old.kind] < rank[kind]):
                    continue
                if old is not None and rank[old.kind] == rank[kind]:
                    spellings[norm].append(form)
                else:
                    spellings[norm] = [form]
                self._forms[norm] = _Form(term.key, kind, (), False, False)
        for norm, spelled in spellings.items():
            info = self._forms[norm]
            proper = any(_is_proper(s) for s in spelled)
            self._forms[norm] = _Form(info.key, info.kind, tuple(spelled), False, proper)
            many = plural(norm)
            if many and many not in self._forms:
                self._forms[many] = _Form(info.key, info.kind, tuple(spelled), True, proper)
        if include_everyday is True:
            self._everyday: frozenset[str] = frozenset()
        else:
            opted = frozenset(include_everyday or ())
            self._everyday = frozenset(t.key for t in termset if t.everyday and t.key not in opted)
        self.pattern = self._compile(s for spelled in spellings.values() for s in spelled)
        self._cache: dict[str, _Surface | None] = {}

    # - building the expression -

    @staticmethod
    def _units(form: str) -> Iterator[list[tuple[str, str]]]:
        """The form as trie units (singular, then plural), each ``(how, char)``."""
        words = [w for w in _SPLIT_RE.split(form.strip()) if w]
        if not words:
            return
        last = _plural_spelling(words[-1])
        for tail in filter(None, (words[-1], last)):
            units: list[tuple[str, str]] = []
            for i, word in enumerate([*words[:-1], tail]):
                if i:
                    units.append(("sep", ""))
                how = "exact" if _is_abbreviation(words[i]) else "fold"
                units += [(how, c if how == "exact" else c.lower()) for c in word]
            yield units

    def _compile(self, forms: Iterable[str]) -> re.Pattern[str]:
        trie: dict[Any, Any] = {}
        for form in forms:
            for units in self._units(form):
                node = trie
                for unit in units:
                    node = node.setdefault(unit, {})
                node[_END] = True
        body = self._emit(trie) or r"(?!x)x"
        return re.compile(f"{_BEFORE}(?:{body}){_AFTER}", re.IGNORECASE)

    def _emit(self, node: dict[Any, Any]) -> str:
        """The expression for a trie node; a finished form's tail is greedy-optional."""
        alts = []
        # Exact (case-sensitive) units before folded ones, so "CNN" is tried as written.
        for unit in sorted((u for u in node if u is not _END), key=lambda u: (u[0] != "exact", u)):
            how, char = unit
            if how == "sep":
                head = _SEP
            elif how == "exact":
                head = f"(?-i:{re.escape(char)})"
            else:
                head = re.escape(char)
            alts.append(head + self._emit(node[unit]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if _END in node:
            return f"(?:{body})?"
        return body

    # - matching -

    def find(self, text: str) -> list[Mention]:
        """Every mention in *text*, left to right, longest first, with offsets into *text*."""
        out: list[Mention] = []
        cache = self._cache
        for match in self.pattern.finditer(text):
            surface = match.group()
            what = cache.get(surface, _UNSEEN)
            if what is _UNSEEN:
                if len(cache) > 50_000:
                    cache.clear()
                what = cache[surface] = self._surface(surface)
            if what is None or (what.contextual and self._in_proper_name(
                    text, match.start(), out[-1].end if out else 0)):
                continue
            out.append(Mention(match.start(), match.end(), what.key, surface, what.kind,
                               what.everyday, what.replacement))
        return out

    def linkable(self, text: str) -> list[Mention]:
        """The mentions the auto-linker may link (not avoided, not everyday unless opted in)."""
        return [m for m in self.find(text) if m.linkable]

    def _surface(self, surface: str) -> _Surface | None:
        info = self._forms.get(normalize(surface))
        if info is None:  # pragma: no cover - the expression only holds known forms
            return None
        letters = [c for c in surface if c.isalpha()]
        if (len(letters) >= 2 and all(c.isupper() for c in letters)
                and not any(_is_abbreviation(s) for s in info.spellings)):
            return None  # "LOSS", "BATCH": a constant or shouting, not the term
        kind = info.kind
        replacement = None
        if info.proper:
            written = {_skeleton(s) for s in info.spellings}
            if info.plural:
                written = {_skeleton(p) for p in map(_plural_spelling, info.spellings) if p}
            if _skeleton(surface) not in written and kind == "canonical":
                kind = "variant"
                replacement = self._styled(info.spellings[0], surface, info.plural, proper=True)
        term = self.termset.terms[info.key]
        if kind != "canonical" and replacement is None:
            replacement = self._styled(term.title, surface, info.plural,
                                       proper=_is_proper(term.title))
        contextual = surface[:1].isupper() and not info.proper and not any(
            _is_abbreviation(s) for s in info.spellings)
        return _Surface(info.key, kind, info.key in self._everyday, replacement, contextual)

    @staticmethod
    def _in_proper_name(text: str, start: int, floor: int) -> bool:
        """Whether a capitalised word at *start* follows a capitalised word inside a
        sentence ("the Jupyter Kernel"): then it is part of a name, not a mention.

        *floor* is the end of the mention found before (0 if none). A word right after
        that mention, or at the start of *text*, may start a sentence, so the rule is off:
        this way wrapping a mention in a role, which splits the text, never changes the
        answer (``--fix`` stays idempotent).
        """
        prev = _PREV_WORD_RE.search(text, max(floor, start - 80), start)
        if prev is None or not prev.group(1)[:1].isupper():
            return False
        before = prev.start()
        while before > floor and text[before - 1].isspace():
            before -= 1
        return before > floor and text[before - 1] not in ".!?:"

    @staticmethod
    def _styled(target: str, surface: str, many: bool, *, proper: bool) -> str:
        """*target* written to replace *surface*: plural kept, sentence capital kept."""
        if many:
            target = _plural_spelling(target) or target
        if not proper:
            target = " ".join(w if _is_abbreviation(w) else w.lower() for w in target.split(" "))
            if surface[:1].isupper():
                target = target[:1].upper() + target[1:]
        return target


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
                     flags.get("wrap", self.wrap), flags.get("edit", self.edit))


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

    known: dict[str, Any] = {}
    for name, (module, cls) in directives._directive_registry.items():
        known[name] = getattr(import_module("docutils.parsers.rst.directives." + module), cls)

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
            node = nodes.container()
            self.state.nested_parse(self.content, self.content_offset, node)
            return [node]

    class Glossary(Prose):
        def run(self) -> list[Any]:
            self.state.document.dlglossary_page = True
            return []

    for name in PROSE_DIRECTIVES - set(known):
        known[name] = Prose
    known["dlglossary"] = Glossary
    known["masked"] = type("Masked", (Prose,), {"run": lambda self: []})
    return known


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

    lines = _Lines(text, r"\r\n|\r|\n|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
    out = Scan(text, "rst", glossary=bool(getattr(document, "dlglossary_page", False)))
    for mark in document.findall(Mark):
        block, lineno, spans = blocks[mark["ident"]]
        table = any(a.tagname == "table" for a in _ancestors(mark))
        located = lines.locate(block, lineno - 1, cell=table, deltas=(0, -1, 1))
        if located is None:
            continue
        whole = Piece(block, _line_starts(block), tuple(located), wrap=not table, edit=not table)
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
    _walk_myst(md, md.parse(text, env), env, 0, lines, out)
    return out


def _walk_myst(md: Any, tokens: list[Any], env: Any, base: int, lines: _Lines,
               out: Scan) -> None:
    """Collect prose, roles and comments of a token stream parsed from line *base* on."""
    stack: list[str] = []
    for token in tokens:
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1:
            if stack:
                stack.pop()
        elif token.type == "inline" and token.map:
            excluded = {"heading_open", "th_open", "dt_open", "fieldlist_name_open"} & set(stack)
            _inline_myst(md, token, env, base, lines, out, prose=not excluded,
                         cell="td_open" in stack or "th_open" in stack)
        elif token.type in ("fence", "colon_fence") and token.map:
            named = _FENCE_NAME_RE.match(token.info.strip())
            if not named:
                continue
            name = named.group(1).lower()
            if name == "dlglossary":
                out.glossary = True
            elif name in PROSE_DIRECTIVES:
                body, skipped = _directive_body(token.content)
                _walk_myst(md, md.parse(body, env), env, base + token.map[0] + 1 + skipped,
                           lines, out)
        elif token.type == "myst_line_comment" and token.map:
            out.comments.append((base + token.map[0] + 1, base + token.map[1],
                                 token.content.strip()))
        elif token.type == "html_block" and token.map:
            for match in _HTML_COMMENT_RE.finditer(token.content):
                first = base + token.map[0] + 1 + token.content.count("\n", 0, match.start())
                last = first + match.group(0).count("\n")
                out.comments.append((first, last, match.group(1).strip()))


def _directive_body(content: str) -> tuple[str, int]:
    """The body of a MyST directive without its options, and how many lines were skipped."""
    parts = content.split("\n")
    skip = 0
    if parts and parts[0].strip() == "---":
        ends = [i for i, p in enumerate(parts[1:], 1) if p.strip() == "---"]
        skip = ends[0] + 1 if ends else 0
    else:
        while skip < len(parts) and re.match(r"\s*:[\w-]+:", parts[skip]):
            skip += 1
    return "\n".join(parts[skip:]), skip


def _inline_myst(md: Any, token: Any, env: Any, base: int, lines: _Lines, out: Scan, *,
                 prose: bool, cell: bool) -> None:
    from markdown_it.rules_inline import StateInline

    content = token.content
    located = lines.locate(content, base + token.map[0], cell=cell)
    if located is None:
        return
    whole = Piece(content, _line_starts(content), tuple(located))
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
