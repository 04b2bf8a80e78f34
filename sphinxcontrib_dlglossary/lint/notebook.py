"""Jupyter notebooks (nbformat 4) for lint: read the markdown cells, rewrite their sources.

Lint checks the markdown cells of a notebook and ``--fix`` writes the fixed text back.
Loading the JSON and dumping it again would rewrite the whole file: another indentation,
key order, escaping or line end turns a one-word fix into a diff of every line, and
outputs written by another tool may not survive the round trip at all. So the file's text
is kept, and only the JSON strings of the edited sources are replaced in it.

That needs to know where each source string sits in the text, which :func:`json.loads`
does not tell. :func:`read_notebook` reads the notebook with a small position-aware
reader: it descends by itself only along the path to the sources (the top-level object,
``cells``, each cell object, its ``source`` string or list of strings) and records the
offsets of those strings; every other value (outputs, metadata, numbers) is decoded by
:mod:`json`'s own C scanner (:meth:`json.JSONDecoder.raw_decode`) from where it starts.
So a 10 MB notebook full of base64 images is read at C speed, in linear time, and what
is accepted is exactly what :func:`json.loads` accepts. The reader's own recursion is at most
five levels deep, :mod:`json`'s C scanner stops at Python's recursion limit, and once the
text is known to be valid JSON its nesting is checked (at most :data:`MAX_DEPTH` levels)
without recursion; so no input can exhaust the stack.

:func:`rewrite` replaces the changed strings only: a source stored as a list of strings,
one line each (nbformat's layout), has only the elements of the changed lines replaced,
and untouched elements keep their raw text, escapes included. New strings are written the
way nbformat writes them (``json.dumps(s, ensure_ascii=False)``), or with ``\\uXXXX``
escapes in a file that escapes its non-ASCII characters. The result is checked: it must
load to the original document with only those sources changed.

:func:`json_line` maps a line of a cell's source to the line of the ``.ipynb`` file it is
on, for annotations (GitHub, SARIF) that point into the file.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

__all__ = ["MAX_DEPTH", "Cell", "Notebook", "NotebookError", "json_line", "read_notebook",
           "rewrite"]

#: json's string scanner (in C where it can be): ``scanstring(text, after_quote, strict)``.
_scanstring: Callable[[str, int, bool], tuple[str, int]] = (
    json.decoder.scanstring)  # type: ignore[attr-defined]

#: The deepest nesting of arrays and objects a notebook may have.
MAX_DEPTH = 500

_WS = re.compile(r"[ \t\n\r]*")
#: A JSON string (for the depth check, which must not count brackets inside strings).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
#: An escape of a non-ASCII character (U+0080 and above), not itself escaped.
_NON_ASCII_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u(?!00[0-7])[0-9a-fA-F]{4}")


class NotebookError(Exception):
    """The file is not a notebook lint can read; the message says where and why."""


@dataclass(frozen=True)
class Cell:
    """A markdown cell of a notebook."""

    #: The cell's 0-based position among all cells of the notebook.
    index: int
    #: The cell's ``id`` (nbformat 4.5), if it has one.
    id: str | None
    #: The markdown source, joined if it is stored as a list of strings.
    text: str
    metadata: dict[str, Any]

    @property
    def number(self) -> int:
        """The 1-based position of the cell, for messages."""
        return self.index + 1

    @property
    def tags(self) -> tuple[str, ...]:
        """The cell's tags (``metadata.tags``), if they are a list of strings."""
        tags = self.metadata.get("tags")
        if isinstance(tags, list) and all(isinstance(tag, str) for tag in tags):
            return tuple(tags)
        return ()


@dataclass(frozen=True)
class _Layout:
    """Where a markdown cell's source is in the file's text."""

    #: Whether the source is a list of strings (else a single string).
    is_list: bool
    #: The strings: the list's elements, or the single string.
    strings: tuple[str, ...]
    #: The offsets of each string's JSON text in the file, quotes included.
    spans: tuple[tuple[int, int], ...]
    #: The 1-based file line on which each string starts.
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Notebook:
    """A notebook as lint reads it: its text, its metadata and its markdown cells."""

    #: The file's text, as given.
    raw: str
    #: The notebook-level metadata.
    metadata: dict[str, Any]
    #: The markdown cells, in order.
    cells: tuple[Cell, ...]
    #: The number of cells of every type.
    cell_count: int
    #: Where each markdown cell's source is in :attr:`raw`, by :attr:`Cell.index`.
    _layouts: Mapping[int, _Layout] = field(default_factory=dict, repr=False, compare=False)


class _Kind(Enum):
    """Where a value is on the path to the sources."""

    TOP = "top"
    CELLS = "cells"
    CELL = "cell"
    SOURCE = "source"
    ITEM = "item"
    OTHER = "other"


#: The kind of a member (by key) or of an element (``None``) of a value of a kind.
_CHILD: dict[tuple[_Kind, str | None], _Kind] = {
    (_Kind.TOP, "cells"): _Kind.CELLS,
    (_Kind.CELLS, None): _Kind.CELL,
    (_Kind.CELL, "source"): _Kind.SOURCE,
    (_Kind.SOURCE, None): _Kind.ITEM,
}


@dataclass(frozen=True)
class _Spanned:
    """A string of a source and the offsets of its JSON text."""

    value: str
    span: tuple[int, int]


@dataclass(frozen=True)
class _Source:
    """A cell's ``source`` value as read: plain values, and the spans of its strings."""

    value: Any
    spans: tuple[tuple[int, int] | None, ...]


def _where(raw: str, pos: int) -> str:
    """``line 3, column 5`` for the offset *pos* (as :mod:`json` counts them)."""
    return f"line {raw.count(chr(10), 0, pos) + 1}, column {pos - raw.rfind(chr(10), 0, pos)}"


def _invalid(raw: str, msg: str, pos: int) -> NotebookError:
    return NotebookError(f"invalid JSON at {_where(raw, pos)}: {msg}")


def _too_deep(raw: str, pos: int) -> NotebookError:
    return NotebookError(f"nested too deeply (more than {MAX_DEPTH} levels) at "
                         f"{_where(raw, pos)}")


def _check_depth(raw: str) -> None:
    """Refuse a text whose arrays and objects nest more than :data:`MAX_DEPTH` deep.

    *raw* must be valid JSON: in an unterminated string, finding the strings would take
    quadratic time.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", raw))
    steps = map(_DEPTH_STEP.__getitem__, brackets)
    if max(itertools.accumulate(steps), default=0) <= MAX_DEPTH:
        return
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(raw):
        depth += _DEPTH_STEP.get(match.group(), 0)
        if depth > MAX_DEPTH:
            raise _too_deep(raw, match.start())
    raise NotebookError(f"nested too deeply (more than {MAX_DEPTH} levels)")  # pragma: no cover


class _Reader:
    """The position-aware JSON reader (see the module docstring)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.decoder = json.JSONDecoder()

    def document(self) -> Any:
        """The whole document, its sources as :class:`_Source` objects."""
        raw = self.raw
        value, end = self.value(self.skip(0), _Kind.TOP)
        end = self.skip(end)
        if end != len(raw):
            raise _invalid(raw, "Extra data", end)
        return value

    def value(self, idx: int, kind: _Kind) -> tuple[Any, int]:
        """The value starting at *idx* and the offset after it."""
        char = self.raw[idx:idx + 1]
        if char == "{" and kind in (_Kind.TOP, _Kind.CELL):
            return self.object(idx, kind)
        if char == "[" and kind in (_Kind.CELLS, _Kind.SOURCE):
            return self.array(idx, kind)
        if char == '"' and kind in (_Kind.SOURCE, _Kind.ITEM):
            text, end = self.string(idx)
            spanned = _Spanned(text, (idx, end))
            return (spanned if kind is _Kind.ITEM else _Source(text, ((idx, end),))), end
        try:
            value, end = self.decoder.raw_decode(self.raw, idx)
        except json.JSONDecodeError as err:
            raise NotebookError(f"invalid JSON at line {err.lineno}, column {err.colno}: "
                                f"{err.msg}") from None
        except RecursionError:  # json's own limit, reached before _check_depth can run
            raise _too_deep(self.raw, idx) from None
        except ValueError as err:  # e.g. an integer of too many digits
            raise NotebookError(f"invalid JSON at {_where(self.raw, idx)}: {err}") from None
        return (_Source(value, ()) if kind is _Kind.SOURCE else value), end

    def string(self, idx: int) -> tuple[str, int]:
        """The string whose opening quote is at *idx*, and the offset after it."""
        try:
            return _scanstring(self.raw, idx + 1, True)
        except json.JSONDecodeError as err:
            raise NotebookError(f"invalid JSON at line {err.lineno}, column {err.colno}: "
                                f"{err.msg}") from None

    def skip(self, idx: int) -> int:
        """The offset of the first character at or after *idx* that is not whitespace."""
        match = _WS.match(self.raw, idx)
        return match.end() if match else idx

    def object(self, idx: int, kind: _Kind) -> tuple[dict[str, Any], int]:
        """The object whose ``{`` is at *idx* (as :mod:`json` reads it: the last key wins)."""
        raw = self.raw
        obj: dict[str, Any] = {}
        idx = self.skip(idx + 1)
        if raw[idx:idx + 1] == "}":
            return obj, idx + 1
        while True:
            if raw[idx:idx + 1] != '"':
                raise _invalid(raw, "Expecting property name enclosed in double quotes", idx)
            key, idx = self.string(idx)
            idx = self.skip(idx)
            if raw[idx:idx + 1] != ":":
                raise _invalid(raw, "Expecting ':' delimiter", idx)
            idx = self.skip(idx + 1)
            obj[key], idx = self.value(idx, _CHILD.get((kind, key), _Kind.OTHER))
            idx = self.skip(idx)
            char = raw[idx:idx + 1]
            if char == "}":
                return obj, idx + 1
            if char != ",":
                raise _invalid(raw, "Expecting ',' delimiter", idx)
            comma = idx
            idx = self.skip(idx + 1)
            if raw[idx:idx + 1] == "}":
                raise _invalid(raw, "Illegal trailing comma before end of object", comma)

    def array(self, idx: int, kind: _Kind) -> tuple[Any, int]:
        """The array whose ``[`` is at *idx*; a source array as a :class:`_Source`."""
        raw = self.raw
        child = _CHILD.get((kind, None), _Kind.OTHER)
        items: list[Any] = []
        idx = self.skip(idx + 1)
        if raw[idx:idx + 1] != "]":
            while True:
                item, idx = self.value(idx, child)
                items.append(item)
                idx = self.skip(idx)
                char = raw[idx:idx + 1]
                if char == "]":
                    break
                if char != ",":
                    raise _invalid(raw, "Expecting ',' delimiter", idx)
                comma = idx
                idx = self.skip(idx + 1)
                if raw[idx:idx + 1] == "]":
                    raise _invalid(raw, "Illegal trailing comma before end of array", comma)
        if kind is not _Kind.SOURCE:
            return items, idx + 1
        values = [item.value if isinstance(item, _Spanned) else item for item in items]
        spans = tuple(item.span if isinstance(item, _Spanned) else None for item in items)
        return _Source(values, spans), idx + 1


def read_notebook(raw: str) -> Notebook:
    """The notebook whose file text is *raw* (without a byte-order mark).

    Raises :class:`NotebookError` if it is not valid JSON or not an nbformat 4 notebook.
    """
    doc = _Reader(raw).document()
    _check_depth(raw)
    if not isinstance(doc, dict):
        raise NotebookError("not a notebook: the top level is not a JSON object")
    version = doc.get("nbformat")
    if type(version) is not int or version != 4:
        found = "no nbformat" if "nbformat" not in doc else f"nbformat: {json.dumps(version)}"
        raise NotebookError(f"not an nbformat 4 notebook ({found})")
    if "cells" not in doc:
        raise NotebookError('not a notebook: no "cells"')
    cells = doc["cells"]
    if not isinstance(cells, list):
        raise NotebookError("cells: expected a list")
    metadata = doc.get("metadata")
    markdown: list[Cell] = []
    layouts: dict[int, _Layout] = {}
    line, pos = 1, 0  # the file line at offset pos, counted on as the sources come
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict):
            raise NotebookError(f"cells[{index}]: expected an object")
        if cell.get("cell_type") != "markdown":
            continue
        if "source" not in cell:
            raise NotebookError(f"cells[{index}].source: missing")
        source = cell["source"]
        assert isinstance(source, _Source)
        value = source.value
        if isinstance(value, str):
            strings: tuple[str, ...] = (value,)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            strings = tuple(value)
        else:
            raise NotebookError(f"cells[{index}].source: expected a string or a list of "
                                "strings")
        spans = tuple(span for span in source.spans if span is not None)
        lines: list[int] = []
        for start, _ in spans:
            line += raw.count("\n", pos, start)
            pos = start
            lines.append(line)
        layouts[index] = _Layout(isinstance(value, list), strings, spans, tuple(lines))
        cell_id = cell.get("id")
        cell_metadata = cell.get("metadata")
        markdown.append(Cell(index, cell_id if isinstance(cell_id, str) else None,
                             "".join(strings),
                             cell_metadata if isinstance(cell_metadata, dict) else {}))
    return Notebook(raw, metadata if isinstance(metadata, dict) else {}, tuple(markdown),
                    len(cells), layouts)


def _layout(nb: Notebook, cell_index: int) -> _Layout:
    try:
        return nb._layouts[cell_index]
    except KeyError:
        raise KeyError(f"cell {cell_index} is not a markdown cell of the notebook") from None


def _starts(lines: Sequence[str]) -> list[int]:
    """The offset of each of *lines* in their join, and the join's length."""
    return [0, *itertools.accumulate(len(line) for line in lines)]


def _body(line: str) -> int:
    """The length of *line* without its line break."""
    return len(line.splitlines()[0]) if line else 0


def _split_like(elements: Sequence[str], old: str, new: str) -> list[str]:
    """*new* split into as many strings as *elements* (whose join is *old*), alike.

    In nbformat's layout (one element per line) that is ``new.splitlines(keepends=True)``.
    Otherwise each boundary between elements keeps its place in its line: exactly in a
    line that did not change, as near as the new line allows in one that did.
    """
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    if list(elements) == old_lines:
        return new_lines
    old_starts, new_starts = _starts(old_lines), _starts(new_lines)

    def cut(pos: int) -> int:
        if pos >= len(old):
            return len(new)
        j = bisect.bisect_right(old_starts, pos) - 1
        column, before, after = pos - old_starts[j], old_lines[j], new_lines[j]
        if before == after:
            return new_starts[j] + column
        if column <= _body(before):
            return new_starts[j] + min(column, _body(after))
        # Inside the line break (between "\r" and "\n"): as far from the line's end.
        return new_starts[j] + max(_body(after), len(after) - (len(before) - column))

    cuts = [0]
    for pos in itertools.accumulate(len(element) for element in elements[:-1]):
        cuts.append(max(cuts[-1], cut(pos)))
    cuts.append(len(new))
    return [new[start:stop] for start, stop in itertools.pairwise(cuts)]


def rewrite(nb: Notebook, new_sources: Mapping[int, str]) -> str:
    """:attr:`Notebook.raw` with the sources of some markdown cells replaced.

    *new_sources* maps :attr:`Cell.index` to the cell's new text, which must have as many
    lines as the old. Only the JSON strings that change are replaced; every other byte of
    the file stays as it was. Raises :class:`NotebookError` if the line count differs.
    """
    texts = {cell.index: cell.text for cell in nb.cells}
    ensure_ascii = nb.raw.isascii() and _NON_ASCII_ESCAPE.search(nb.raw) is not None
    edits: list[tuple[int, int, str]] = []
    expected: dict[int, str | list[str]] = {}
    for index, text in new_sources.items():
        layout = _layout(nb, index)
        old = texts[index]
        if text == old:
            continue
        old_count, new_count = len(old.splitlines()), len(text.splitlines())
        if old_count != new_count:
            raise NotebookError(f"cell {index + 1}: the new source has {new_count} lines, "
                                f"the old {old_count}; a fix may not add or remove lines")
        if layout.is_list:
            pieces = _split_like(layout.strings, old, text)
            expected[index] = pieces
        else:
            pieces = [text]
            expected[index] = text
        for (start, stop), before, after in zip(layout.spans, layout.strings, pieces,
                                                strict=True):
            if after != before:
                edits.append((start, stop, json.dumps(after, ensure_ascii=ensure_ascii)))
    if not edits:
        return nb.raw
    edits.sort()
    parts: list[str] = []
    pos = 0
    for start, stop, replacement in edits:
        parts += (nb.raw[pos:start], replacement)
        pos = stop
    parts.append(nb.raw[pos:])
    result = "".join(parts)
    _check(nb, result, expected)
    return result


def _check(nb: Notebook, result: str, expected: Mapping[int, str | list[str]]) -> None:
    """Make sure *result* is the notebook with only the *expected* sources changed."""
    want = json.loads(nb.raw)
    for index, source in expected.items():
        want["cells"][index]["source"] = source
    try:
        got = json.loads(result)
    except ValueError as err:  # pragma: no cover - a bug in rewrite
        raise NotebookError(f"the rewritten notebook is not valid JSON: {err}") from None
    if json.dumps(got) != json.dumps(want):  # pragma: no cover - a bug in rewrite
        raise NotebookError("the rewritten notebook differs from the original in more than "
                            "the fixed sources")


def json_line(nb: Notebook, cell_index: int, line: int) -> int | None:
    """The 1-based line of the file on which line *line* (1-based) of a cell's source starts.

    Known when the source is a list of strings each on a line of its own (nbformat's
    layout) and the source line starts a string; otherwise ``None``.
    """
    layout = _layout(nb, cell_index)
    if not layout.is_list or line < 1:
        return None
    if any(a >= b for a, b in itertools.pairwise(layout.lines)):
        return None  # several strings on one line of the file
    text_lines = "".join(layout.strings).splitlines(keepends=True)
    if line > len(text_lines):
        return None
    offset = sum(len(text) for text in text_lines[:line - 1])
    starts = _starts(layout.strings)[:-1]
    k = bisect.bisect_right(starts, offset) - 1
    if k < 0 or starts[k] != offset:
        return None  # the line starts inside a string
    return layout.lines[k]
