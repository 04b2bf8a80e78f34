"""What a scan finds in a source text, mapped back onto the source.

A scanner (:mod:`.rst`, :mod:`.myst`) returns a :class:`Scan`: the prose as
:class:`Piece` objects that map every character back to its source offset, every
``dlterm`` :class:`Role`, the comments, whether the page is the glossary page and
whether it may be auto-linked. :class:`SourceLines` turns offsets into lines and columns
and finds the blocks a parser hands on in the source.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from sphinxcontrib_dlglossary.core.rolesyntax import RoleBody, parse_role_body

__all__ = ["CLASS_ARGUMENT", "Include", "Piece", "Role", "Scan", "SourceLines", "Syntax",
           "class_names"]

Syntax = Literal["rst", "myst"]

#: Directives whose class names are their argument (``container`` is docutils' own).
CLASS_ARGUMENT = frozenset({"container", "div"})


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

    @classmethod
    def of(cls, text: str, sources: tuple[int, ...], **flags: bool) -> Piece:
        """A piece of a whole block *text*, its lines at the source offsets *sources*."""
        return cls(text, (0, *(m.end() for m in re.finditer("\n", text))), sources, **flags)

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
    """One ``dlterm`` role: where it is and its body (between the backquotes).

    The body is read by :func:`~sphinxcontrib_dlglossary.core.rolesyntax.parse_role_body`,
    as the build reads it.
    """

    start: int
    end: int
    body: Piece

    @functools.cached_property
    def parsed(self) -> RoleBody:
        """What the body says, with offsets into :attr:`body`'s text."""
        return parse_role_body(self.body.text)

    @property
    def suppressed(self) -> bool:
        """``!kernel``: deliberately plain text."""
        return self.parsed.suppressed

    @property
    def target(self) -> str:
        """The term the role names (``text <target>`` or the whole body)."""
        return self.parsed.target

    def target_span(self) -> tuple[int, int]:
        """The offsets of :attr:`target` in the body text."""
        return self.parsed.target_span

    def text_span(self) -> tuple[int, int]:
        """The offsets of the displayed text in the body text."""
        return self.parsed.text_span


@dataclass(frozen=True)
class Include:
    """An ``include`` directive: where it is, what it names, its options, and whether
    what it brings in may be linked (not in a ``no-autolink`` block)."""

    start: int
    line: int
    target: str
    options: dict[str, str]
    link: bool = True


@dataclass
class Scan:
    """What a scan found in one source text."""

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
    #: Where each section starts (the source offset of its heading), in source order.
    sections: list[int] = field(default_factory=list)
    #: The ``include`` directives, in source order.
    includes: list[Include] = field(default_factory=list)

    def prose_ranges(self) -> list[tuple[int, int]]:
        """The source ranges that are prose, sorted."""
        return sorted(r for piece in self.pieces for r in piece.ranges())


class SourceLines:
    """The lines of a source text: where each starts, and each without its line break.

    *breaks* is what ends a line (docutils also breaks at vertical tabs, form feeds and
    Unicode line separators; CommonMark and findings' positions only at CR and LF).
    """

    def __init__(self, text: str, breaks: str = r"\r\n|\r|\n") -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer(breaks, text)]
        self.lines = [text[s:e].rstrip("\r\n") for s, e in
                      zip(self.starts, [*self.starts[1:], len(text)], strict=True)]
        #: Per line, where the search for the next table cell starts.
        self.cursor: dict[int, int] = {}

    def at(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of *offset*."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line_of(self, offset: int) -> int:
        """The 1-based line of *offset*."""
        return bisect.bisect_right(self.starts, offset)

    def line_text(self, line: int) -> str:
        """The 1-based *line*, without its line break."""
        return self.lines[line - 1]

    def locate(self, block: str, first: int, *, cell: bool = False,
               deltas: tuple[int, ...] = (0,)) -> list[int] | None:
        """Source offsets of the lines of *block* (a block of text from 0-based line
        *first* with container prefixes removed), or None if they cannot be found.

        *cell*: the block is a table cell, found left to right on its lines. *deltas*:
        also try the block this many lines further on (docutils' line numbers are
        sometimes one off).
        """
        parts = block.split("\n")
        for delta in deltas:
            out = []
            for i, part in enumerate(parts):
                at = self._column(first + delta + i, part, cell)
                if at is None:
                    break
                out.append(self.starts[first + delta + i] + at)
            else:
                if cell:
                    for i, part in enumerate(parts):
                        line = first + delta + i
                        self.cursor[line] = out[i] - self.starts[line] + len(part)
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


def class_names(value: str) -> list[str]:
    """Class names as a directive's ``class`` option or argument gives them."""
    from docutils.nodes import make_id

    return [make_id(name) for name in value.split()]
