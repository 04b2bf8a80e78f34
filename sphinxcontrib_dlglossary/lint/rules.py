"""``dlglossary lint``: check the terminology of rST and MyST sources, without a Sphinx build.

Each file is read by the same parsers Sphinx would use (see :mod:`.scanner`), so only
prose is checked, and mentions are found by the same
:class:`~sphinxcontrib_dlglossary.core.matcher.Matcher` the build-time auto-linker uses.
This module holds :func:`check_text`, one function per rule; the rest of the linter is
described in the package (:mod:`sphinxcontrib_dlglossary.lint`).

Codes
-----

``DLG001`` (error)
    A ``dlterm`` role names no known term; the message suggests the closest ones.
``DLG002`` (warning, fixable)
    A known term in a non-canonical spelling: a variant the data lists ("Unet", "mini-batch",
    "regularisation"), or a proper name in other capitals ("u-net", "Resnet block"). The fix
    writes the canonical spelling, keeping a plural and a sentence-initial capital. In a
    role's text it is reported, not fixed.
``DLG003`` (warning, fixable)
    The first plain mention of a term on a page is not linked, and no ``dlterm`` role for
    it comes before. Terms with an everyday sense (``everyday: true`` in the data: kernel,
    loss, parameters...) are left out unless opted in. The fix wraps the mention in the
    role of the file's syntax, ``:dlterm:`text``` or ``{dlterm}`text```. Like the build's
    auto-linker, it honours the opt-outs: nothing on a page whose metadata says
    ``dlglossary_autolink: false``, and nothing in a block with the class ``no-autolink``
    (a mention there is not the first one either); see :mod:`.scanner`.
``DLG004`` (warning)
    A synonym the data marks to avoid (``avoid:``); the message names the term to use.

Output is ``path:line:col: CODE message``, lines and columns 1-based, columns counted in
characters, pointing at the first character of the text in question; ``--format json``,
``github`` (workflow commands, which GitHub shows as annotations) and ``sarif`` (2.1.0)
carry the end position too (exclusive). Exit status: 0 clean, 1 findings, 2 usage,
configuration or parse error (also when a fix could not be verified).

Fixing
------

``--fix`` rewrites only what is unambiguous (DLG002 spellings and DLG003 wrapping) and
only in prose that may be edited: not in rST tables, no role in rST emphasis or where
rST's inline-markup rules would not see one, and no respelling across a line break (a
mention over two lines is wrapped as it stands, line break included). It then
re-parses the result and writes it only if the edits are exactly all that changed:
every other character is still what it was and still where it was (code still code,
prose still prose), and each inserted role is a role. The file is replaced atomically,
keeping UTF-8 with its byte-order mark (if any) and its line breaks. ``--diff`` prints
the changes as a unified diff and writes nothing.

Suppressing
-----------

* per occurrence: ``:dlterm:`!kernel``` / ``{dlterm}`!kernel``` shows plain text and is
  not reported (the next plain mention is then the first);
* per line: a comment ``dlglossary: disable-next-line`` (rST ``.. dlglossary:
  disable-next-line``, MyST ``% dlglossary: disable-next-line`` or ``<!-- ... -->``)
  silences the next non-blank line, ``disable-line`` in an inline HTML comment its own
  line;
* per file: ``dlglossary: disable-file``; each may name codes, ``disable-file=DLG003,DLG004``;
* the glossary page (the file holding the ``dlglossary`` directive) is never checked.

Configuration
-------------

First the project's ``conf.py``, as the build reads it (:mod:`.project`): term files,
``dlglossary_exclude``, the auto-link exclusions, opt-ins and scope (``section``: DLG003
restarts at each heading, as the build's auto-linking does). Then
``[tool.dlglossary.lint]`` in the nearest ``pyproject.toml`` (from the current directory
up; ``--pyproject`` names another), paths relative to that file::

    select = ["DLG001", "DLG002"]      # codes to check (default: all)
    ignore = ["DLG004"]                # codes to skip
    term-files = ["docs/terms.yaml"]   # term files beyond conf.py's
    canonical = true                   # false: use only the term files given
    exclude-paths = ["docs/_build"]    # globs; also applies to paths given explicitly
    everyday = ["kernel"]              # everyday terms whose mentions should be linked (or true)

Options on the command line extend the file (``--term-file``, ``--exclude-path``,
``--everyday``) or replace it (``--select``, ``--ignore``).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.matcher import Matcher, Mention
from sphinxcontrib_dlglossary.lint.findings import CODES, Edit, Finding
from sphinxcontrib_dlglossary.lint.scanner import scan
from sphinxcontrib_dlglossary.lint.source import Piece, Scan, SourceLines, Syntax
from sphinxcontrib_dlglossary.lint.suppress import read_suppressions

__all__ = ["Policy", "check_text"]


@dataclass(frozen=True)
class Policy:
    """What the project's ``conf.py`` says about linking, beyond the term set."""

    #: ``dlglossary_autolink_exclude``: terms never auto-linked, so never DLG003.
    autolink_exclude: frozenset[str] = frozenset()
    #: ``dlglossary_autolink_scope``: a first mention per ``page`` or per ``section``.
    scope: str = "page"
    #: ``dlglossary_exclude``: canonical terms left out (DLG001 says so).
    excluded: frozenset[str] = field(default_factory=frozenset)


def check_text(text: str, syntax: Syntax, matcher: Matcher, path: str = "<text>",
               codes: Iterable[str] = CODES, *, parsed: Scan | None = None,
               policy: Policy | None = None, suppress: bool = True) -> list[Finding]:
    """Every finding in one source text, sorted by position (the glossary page has none).

    *parsed* is :func:`.scan` of *text*, if the caller has it already. *suppress* false:
    leave the suppression comments to the caller (a page assembled from several files
    applies each file's own, :mod:`.page`).
    """
    sc = parsed or scan(text, syntax)
    if sc.glossary:
        return []
    wanted = frozenset(codes)
    page = _Page(text, syntax, sc, matcher, path, respell="DLG002" in wanted,
                 policy=policy or Policy())
    found = [finding for code, rule in _RULES.items() if code in wanted
             for finding in rule(page)]
    if suppress:
        silenced = read_suppressions(sc.comments, page.lines)
        found = [f for f in found if not silenced.silences(f)]
    return sorted(found, key=lambda f: (f.start, f.code))


class _Mention(NamedTuple):
    """A mention the matcher found in a piece of prose or in a role's text."""

    piece: Piece
    #: Where the text the matcher was given starts in :attr:`piece`.
    offset: int
    mention: Mention
    #: The text may be edited here (prose, not in an rST table; never a role's text).
    edit: bool

    @property
    def start(self) -> int:
        return self.piece.source(self.offset + self.mention.start)

    @property
    def end(self) -> int:
        return self.piece.source(self.offset + self.mention.end - 1) + 1

    @property
    def one_line(self) -> bool:
        return "\n" not in self.mention.text and "\r" not in self.mention.text

    @property
    def respellable(self) -> bool:
        """A fix may respell it (a respelling across a line break would join the lines)."""
        return self.edit and self.one_line

    @property
    def written(self) -> str:
        """The mention as written, its line breaks and indentation as single spaces."""
        return " ".join(self.mention.text.split())

    @property
    def replacement(self) -> str:
        """The spelling to write (every variant and avoided synonym has one)."""
        return self.mention.replacement or ""


@dataclass
class _Page:
    """One source text being checked, and what the rules share about it."""

    text: str
    syntax: Syntax
    scan: Scan
    matcher: Matcher
    path: str
    #: DLG002 is checked: a first mention in a variant spelling is wrapped respelt.
    respell: bool
    policy: Policy

    def scope_of(self, offset: int) -> int:
        """Where a first mention at *offset* counts: the page (0) or its section."""
        if self.policy.scope != "section":
            return 0
        return bisect.bisect_right(self.scan.sections, offset)

    @functools.cached_property
    def lines(self) -> SourceLines:
        return SourceLines(self.text)

    def finding(self, code: str, start: int, end: int, message: str, key: str | None,
                fix: Edit | None = None) -> Finding:
        """A finding about ``text[start:end]``."""
        line, col = self.lines.at(start)
        end_line, end_col = self.lines.at(end)
        return Finding(self.path, line, col, end_line, end_col, code, message, key,
                       self.text[start:end], start, end, fix)

    @functools.cached_property
    def linked(self) -> dict[tuple[int, str], int]:
        """(Scope, term key) -> offset of the first role (not suppressed) there that names
        the term."""
        out: dict[tuple[int, str], int] = {}
        for role in self.scan.roles:
            term = None if role.suppressed else self.matcher.termset.resolve(role.target)
            if term is not None:
                out.setdefault((self.scope_of(role.start), term.key), role.start)
        return out

    @functools.cached_property
    def role_mentions(self) -> list[_Mention]:
        """The mentions in the text of the roles that name a known term (not suppressed):
        spellings there are reported, never fixed."""
        out = []
        for role in self.scan.roles:
            if role.suppressed or self.matcher.termset.resolve(role.target) is None:
                continue
            a, b = role.text_span()
            out += [_Mention(role.body, a, m, False)
                    for m in self.matcher.find(role.body.text[a:b])]
        return out

    @functools.cached_property
    def prose_mentions(self) -> list[_Mention]:
        """The mentions in prose, in source order."""
        out = []
        for piece in self.scan.pieces:
            out += [_Mention(piece, 0, m, piece.edit) for m in self.matcher.find(piece.text)]
        return out


# -- the rules ---------------------------------------------------------------------------------


def _unknown_terms(page: _Page) -> Iterator[Finding]:
    """DLG001: a ``dlterm`` role names no known term."""
    termset = page.matcher.termset
    for role in page.scan.roles:
        if role.suppressed or termset.resolve(role.target) is not None:
            continue
        a, b = role.target_span()
        hint = termset.hint(role.target, " (see `dlglossary list`)")
        if page.policy.excluded:
            canonical = terms.load_canonical().lookup(role.target)
            if canonical is not None and canonical.key in page.policy.excluded:
                hint = f" (term '{canonical.key}' is excluded by dlglossary_exclude)"
        yield page.finding("DLG001", role.body.source(a), role.body.source(max(a, b - 1)) + 1,
                           f"unknown term {role.target!r} in a dlterm role{hint}", None)


def _spellings(page: _Page) -> Iterator[Finding]:
    """DLG002: a known term in a non-canonical spelling (fixable in prose that may be
    edited, on one line)."""
    for m in (*page.role_mentions, *page.prose_mentions):
        if m.mention.kind in ("canonical", "avoid"):
            continue
        start, end = m.start, m.end
        yield page.finding(
            "DLG002", start, end,
            f"{m.written!r} is not the canonical spelling; write {m.mention.replacement!r}",
            m.mention.key, Edit(start, end, m.replacement) if m.respellable else None)


def _unlinked_first_mentions(page: _Page) -> Iterator[Finding]:
    """DLG003: the first plain mention of a term on the page is not linked, and no role
    for it comes before. Only where the build would link it: not in a ``no-autolink``
    block or page (a mention there is not the first one either)."""
    seen: set[tuple[int, str]] = set()
    for m in page.prose_mentions:
        mention = m.mention
        if not (mention.linkable and m.piece.link and page.scan.autolink):
            continue
        scoped = (page.scope_of(m.start), mention.key)
        if scoped in seen:
            continue
        seen.add(scoped)
        if mention.key in page.policy.autolink_exclude \
                or page.linked.get(scoped, m.end) < m.start:
            continue
        yield _first_mention(page, m)


def _first_mention(page: _Page, m: _Mention) -> Finding:
    """The DLG003 finding for *m*, with the edit wrapping it in a role where one can be."""
    mention, start, end = m.mention, m.start, m.end
    termset = page.matcher.termset
    respell = bool(mention.kind == "variant" and page.respell and mention.replacement)
    shown = mention.replacement if respell else mention.text
    hit = termset.lookup(shown or "")
    key = "" if hit is not None and hit.key == mention.key else f" <{mention.key}>"
    # A mention over two lines is wrapped as it stands (line break and container prefix
    # included); respelling it would join the lines, so that is not done.
    body = f"{shown}{key}" if m.one_line else f"{page.text[start:end]}{key}"
    wrap = m.piece.wrap and m.piece.edit and (m.one_line or not respell) and (
        page.syntax != "rst" or _rst_can_wrap(page.text, start, end))
    title = termset.terms[mention.key].title
    advice = _role_markup(page.syntax, " ".join(f"{shown}{key}".split()))
    return page.finding(
        "DLG003", start, end,
        f"first mention of {title!r} on this page is not linked; write {advice}",
        mention.key, Edit(start, end, _role_markup(page.syntax, body), role=True)
        if wrap else None)


def _avoided_synonyms(page: _Page) -> Iterator[Finding]:
    """DLG004: a synonym the term data marks to avoid."""
    for m in (*page.role_mentions, *page.prose_mentions):
        if m.mention.kind == "avoid":
            yield page.finding(
                "DLG004", m.start, m.end,
                f"{m.written!r} is a synonym to avoid; write {m.mention.replacement!r}",
                m.mention.key)


#: Each code and the rule that checks it.
_RULES: dict[str, Callable[[_Page], Iterator[Finding]]] = {
    "DLG001": _unknown_terms,
    "DLG002": _spellings,
    "DLG003": _unlinked_first_mentions,
    "DLG004": _avoided_synonyms,
}


def _role_markup(syntax: Syntax, text: str) -> str:
    """A ``dlterm`` role around *text*, in *syntax*."""
    return f":dlterm:`{text}`" if syntax == "rst" else f"{{dlterm}}`{text}`"


def _rst_can_wrap(source: str, start: int, end: int) -> bool:
    """Whether rST would see a role inserted at ``source[start:end]`` (inline-markup rules)."""
    from docutils.utils import punctuation_chars as pc

    before = source[start - 1] if start else " "
    after = source[end] if end < len(source) else " "
    return (before.isspace() or before in pc.openers or before in pc.delimiters) and (
        after.isspace() or after in pc.closing_delimiters or after in pc.delimiters
        or after in pc.closers)
