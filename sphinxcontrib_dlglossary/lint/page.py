"""A page as the build reads it: a file with what it includes, or a notebook's cells.

The build checks a page as one document: an ``include`` directive puts another file's
text where it stands (rST and MyST alike), and myst-nb reads a notebook's markdown cells
one after the other. So the first mention of a term may be in an included file, and a
role in one cell links the term for the cells after it.

Lint does the same. Each text is scanned on its own (a :class:`Unit`: a file, the part of
a file an ``include`` takes, or a markdown cell), by the parser of its own syntax; the
scans are then laid end to end in reading order, as one *virtual* text, and the rules run
on it once (:func:`.rules.check_text`). Each finding is mapped back to the unit it is in,
located in that unit's own file (and cell), and silenced by that file's own suppression
comments. A finding in a file that several pages include is reported once
(:class:`Findings`), and ``--fix`` edits the included file.

Includes are followed as Sphinx follows them: a path relative to the including file, or
to the project's source folder when it starts with ``/``; ``start-line``, ``end-line``,
``start-after`` and ``end-before`` take part of the file; ``literal`` and ``code`` make it
code (not prose); a MyST include reads MyST, an rST include reads rST unless its
``parser`` option names MyST's. An include of a file already being included (a loop) or
more than :data:`MAX_DEPTH` deep, or of a file that cannot be read, is a note.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sphinxcontrib_dlglossary.core.matcher import Matcher
from sphinxcontrib_dlglossary.core.prose import NO_AUTOLINK
from sphinxcontrib_dlglossary.core.words import parse_bool
from sphinxcontrib_dlglossary.lint.findings import Edit, Finding
from sphinxcontrib_dlglossary.lint.notebook import Cell, Notebook, NotebookError, json_line
from sphinxcontrib_dlglossary.lint.rules import Policy, check_text
from sphinxcontrib_dlglossary.lint.source import Include, Piece, Role, Scan, SourceLines, Syntax
from sphinxcontrib_dlglossary.lint.suppress import Suppressions, read_suppressions

__all__ = ["DISABLE_TAG", "MAX_DEPTH", "METADATA_KEY", "Findings", "NotebookError",
           "PageReader", "Unit", "check_page", "notebook_autolink", "notebook_suppressions",
           "read_notebook_text"]

#: How deep includes are followed (an include in an include in an include...).
MAX_DEPTH = 10
#: Between two units in the virtual text: not prose, and a paragraph break.
_GAP = "\n\n"
#: Cell tags that leave a markdown cell out of the build (myst-nb), so out of lint.
_REMOVED_TAGS = frozenset({"remove-cell", "remove_cell"})
#: The key of lint settings in notebook and cell metadata.
METADATA_KEY = "dlglossary"
#: A cell tag that silences every code in the cell.
DISABLE_TAG = "dlglossary-disable"


@dataclass(eq=False)
class Unit:
    """A text scanned on its own: a file, the part of one an include takes, or a cell."""

    path: str
    #: The text scanned (the part of the file, or the cell's source).
    text: str
    syntax: Syntax
    scan: Scan
    #: Where :attr:`text` starts in :attr:`whole` (the file's or the cell's text).
    base: int = 0
    whole: str | None = None
    cell: Cell | None = None
    notebook: Notebook | None = None
    #: The MyST extensions it was parsed with (None: the project's, or all).
    extensions: frozenset[str] | None = None
    #: Its mentions may be linked (not a cell tagged ``no-autolink``).
    link: bool = True

    @property
    def full(self) -> str:
        return self.text if self.whole is None else self.whole

    @functools.cached_property
    def lines(self) -> SourceLines:
        return SourceLines(self.full)

    @functools.cached_property
    def suppressions(self) -> Suppressions:
        found = read_suppressions(self.scan.comments, SourceLines(self.text))
        if self.base:  # the comments were read on the part: move their lines
            shift = self.full.count("\n", 0, self.base)
            found = Suppressions(found.whole, {k + shift: v for k, v in found.lines.items()})
        return found


@dataclass
class _Virtual:
    """The page's units laid end to end, and the scan of the whole."""

    syntax: Syntax
    chunks: list[str] = field(default_factory=list)
    size: int = 0
    #: ``(virtual start, unit, offset in unit.text)`` of each stretch, in order.
    parts: list[tuple[int, Unit, int]] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)
    glossary: bool = False

    def add(self, unit: Unit, lo: int, hi: int, link: bool) -> None:
        """Add ``unit.text[lo:hi]`` and what the unit's scan found there."""
        if hi <= lo:
            return
        delta = self.size - lo
        self.parts.append((self.size, unit, lo))
        self.chunks.append(unit.text[lo:hi])
        self.size += hi - lo
        sc = unit.scan
        for piece in sc.pieces:
            if lo <= piece.sources[0] < hi:
                self.pieces.append(_shift_piece(piece, delta, link))
        for role in sc.roles:
            if lo <= role.start < hi:
                self.roles.append(Role(role.start + delta, role.end + delta,
                                       _shift_piece(role.body, delta, True)))
        self.sections += [s + delta for s in sc.sections if lo <= s < hi]

    def gap(self) -> None:
        self.chunks.append(_GAP)
        self.size += len(_GAP)

    def locate(self, offset: int) -> tuple[Unit, int]:
        """The unit *offset* is in, and the offset in its :attr:`Unit.text`."""
        i = bisect.bisect_right(self.parts, offset, key=lambda p: p[0]) - 1
        start, unit, local = self.parts[max(i, 0)]
        return unit, local + offset - start


def _shift_piece(piece: Piece, delta: int, link: bool) -> Piece:
    return piece._replace(sources=tuple(s + delta for s in piece.sources),
                          link=piece.link and link)


#: Reads a file for an include: ``(text, note)``, the text None when it cannot be read.
Reader = Callable[[Path], tuple[str | None, str | None]]


@dataclass
class PageReader:
    """Assembles pages: scans each text once, follows includes."""

    read: Reader
    #: The project's source folder (``/path`` includes start there), or None.
    srcdir: Path | None = None
    extensions: frozenset[str] | None = None
    #: Notes about includes that could not be followed: ``(path, line, message)``.
    notes: list[tuple[str, int, str]] = field(default_factory=list)
    _scans: dict[tuple[str, Syntax, frozenset[str] | None], Scan] = field(default_factory=dict)

    def scan(self, text: str, syntax: Syntax, *, keep: bool = False,
             extensions: frozenset[str] | None = None) -> Scan:
        """The scan of *text* (MyST with *extensions*, else the project's); with *keep*,
        made once per text and syntax (an included part, which many pages may share)."""
        from sphinxcontrib_dlglossary import lint

        extensions = self.extensions if extensions is None else extensions
        key = (text, syntax, extensions)
        found = self._scans.get(key)
        if found is None:
            found = lint.scan(text, syntax, extensions)
            if keep:
                self._scans[key] = found
        return found

    def file_extensions(self, text: str, syntax: Syntax) -> frozenset[str] | None:
        """The MyST extensions of a page: its front matter's ``myst: enable_extensions``
        (a file-level setting myst-parser applies), else the project's."""
        if syntax != "myst" or not text.startswith("---"):
            return self.extensions
        own = file_level_extensions(_front_matter(text))
        return self.extensions if own is None else own

    def file_unit(self, path: str, text: str, syntax: Syntax) -> Unit:
        extensions = self.file_extensions(text, syntax)
        return Unit(path, text, syntax, self.scan(text, syntax, extensions=extensions),
                    extensions=extensions)

    def cell_units(self, path: str, nb: Notebook) -> list[Unit]:
        """The markdown cells the build reads (not empty, not tagged for removal), parsed
        with the notebook's own MyST settings (its metadata's ``myst`` key, as myst-nb
        applies it) or the project's."""
        own = file_level_extensions(nb.metadata)
        extensions = self.extensions if own is None else own
        return [Unit(path, cell.text, "myst",
                     self.scan(cell.text, "myst", extensions=extensions),
                     cell=cell, notebook=nb, extensions=extensions,
                     link=NO_AUTOLINK not in cell.tags)
                for cell in nb.cells
                if cell.text.strip() and not _REMOVED_TAGS & set(cell.tags)]

    def assemble(self, units: list[Unit], autolink: bool) -> tuple[str, Scan, _Virtual]:
        """The virtual text of a page made of *units* (with what they include)."""
        virtual = _Virtual(units[0].syntax if units else "myst")
        for i, unit in enumerate(units):
            if i:
                virtual.gap()
            self._add(virtual, unit, unit.link, [Path(unit.path).resolve()])
        text = "".join(virtual.chunks)
        whole = Scan(text, virtual.syntax, virtual.pieces, virtual.roles, [],
                     glossary=virtual.glossary, autolink=autolink,
                     sections=virtual.sections)
        return text, whole, virtual

    def _add(self, virtual: _Virtual, unit: Unit, link: bool, stack: list[Path]) -> None:
        virtual.glossary |= unit.scan.glossary
        pos = 0
        for inc in unit.scan.includes:
            virtual.add(unit, pos, inc.start, link)
            pos = inc.start
            included = self._include(unit, inc, stack)
            if included is not None:
                virtual.gap()
                self._add(virtual, included, link and inc.link,
                          [*stack, Path(included.path).resolve()])
                virtual.gap()
        virtual.add(unit, pos, len(unit.text), link)

    def _include(self, unit: Unit, inc: Include, stack: list[Path]) -> Unit | None:
        """The unit an include brings in, or None (with a note where it is a problem)."""
        target = inc.target.strip()
        options = inc.options
        if not target or (target.startswith("<") and target.endswith(">")):
            return None  # docutils' standard includes: not prose of this project
        if "literal" in options or "code" in options:
            return None  # shown as code
        here = unit.lines.line_of(unit.base + inc.start)
        if target.startswith("/") and self.srcdir is not None:
            path = self.srcdir / target.lstrip("/")
        else:
            path = Path(unit.path).parent / target
        path = Path(os.path.normpath(path))  # docs/../data/x.md is data/x.md
        resolved = path.resolve()
        if resolved in stack or len(stack) > MAX_DEPTH:
            why = "includes itself" if resolved in stack else f"more than {MAX_DEPTH} deep"
            self.notes.append((unit.path, here, f"include {target!r} not followed: {why}"))
            return None
        text, note = self.read(path)
        if text is None:
            self.notes.append((unit.path, here, f"include {target!r} not followed: {note}"))
            return None
        lo, hi = _region(text, options)
        syntax = _include_syntax(unit.syntax, options.get("parser", ""))
        part = text[lo:hi]
        return Unit(str(path), part, syntax, self.scan(part, syntax, keep=True), base=lo,
                    whole=text)


def file_level_extensions(metadata: Any) -> frozenset[str] | None:
    """``myst: enable_extensions`` of a page's front matter or a notebook's metadata."""
    myst = metadata.get("myst") if isinstance(metadata, dict) else None
    given = myst.get("enable_extensions") if isinstance(myst, dict) else None
    if isinstance(given, list | tuple | set) and all(isinstance(e, str) for e in given):
        return frozenset(given)
    return None


def _front_matter(text: str) -> Any:
    """The YAML front matter of a MyST page, or None."""
    import yaml

    match = re.match(r"---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", text, re.S)
    if not match:
        return None
    try:
        return yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return None


def _region(text: str, options: dict[str, str]) -> tuple[int, int]:
    """The part of *text* an include takes: lines ``start-line:end-line`` (0-based, as a
    Python slice), then from ``start-after`` to ``end-before``."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    bounds = [_int(options.get("start-line")), _int(options.get("end-line"))]
    first, last, _ = slice(*bounds).indices(len(lines))
    lo, hi = offsets[first], offsets[max(first, last)]
    if options.get("start-after"):
        found = text.find(options["start-after"], lo, hi)
        if found >= 0:
            lo = found + len(options["start-after"])
    if options.get("end-before"):
        found = text.find(options["end-before"], lo, hi)
        if found >= 0:
            hi = found
    return lo, max(lo, hi)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None and value.strip() else None
    except ValueError:
        return None


def _include_syntax(outer: Syntax, parser: str) -> Syntax:
    parser = parser.strip().lower()
    if "myst" in parser or parser in ("markdown", "md"):
        return "myst"
    if parser in ("rst", "restructuredtext"):
        return "rst"
    return outer


def notebook_suppressions(nb: Notebook, cell: Cell) -> frozenset[str]:
    """The codes the metadata of the notebook and of *cell* silence in the cell:
    ``{"dlglossary": {"disable": true}}`` (or a list of codes), or the tag
    ``dlglossary-disable``."""
    from sphinxcontrib_dlglossary.lint.findings import CODES

    out: set[str] = set()
    for metadata in (nb.metadata, cell.metadata):
        settings = metadata.get(METADATA_KEY)
        disable = settings.get("disable") if isinstance(settings, dict) else None
        if disable is True:
            out |= set(CODES)
        elif isinstance(disable, list):
            out |= {str(c).upper() for c in disable} & set(CODES)
    if DISABLE_TAG in cell.tags:
        out |= set(CODES)
    return frozenset(out)


def notebook_autolink(nb: Notebook) -> bool:
    """Whether the notebook's metadata leaves auto-linking on (myst-nb hands notebook
    metadata to the page as its metadata)."""
    value = nb.metadata.get("dlglossary_autolink")
    if value is None:
        return True
    return parse_bool(str(value), empty=True) is not False


class Findings:
    """Every finding of a run, per file (and cell), each once."""

    def __init__(self) -> None:
        self.by_path: dict[str, list[Finding]] = {}
        self._seen: set[tuple[Any, ...]] = set()

    def add(self, finding: Finding) -> None:
        key = (finding.path, finding.cell, finding.start, finding.end, finding.code)
        if key not in self._seen:
            self._seen.add(key)
            self.by_path.setdefault(finding.path, []).append(finding)

    def all(self) -> list[Finding]:
        return [f for found in self.by_path.values() for f in found]


def check_page(reader: PageReader, units: list[Unit], autolink: bool, matcher: Matcher,
               codes: Iterable[str], policy: Policy) -> Iterator[Finding]:
    """The findings of the page made of *units*, each located in its own file (and cell),
    silenced by that file's own comments (and the notebook's metadata)."""
    text, whole, virtual = reader.assemble(units, autolink)
    if not virtual.parts:
        return
    silenced_in_notebook: frozenset[str] = frozenset()
    cells = [u for u in units if u.cell is not None]
    if cells:  # 'disable-file' in any cell is for the whole notebook
        silenced_in_notebook = frozenset().union(*(u.suppressions.whole for u in cells))
    for found in check_text(text, virtual.syntax, matcher, units[0].path, codes,
                            parsed=whole, policy=policy, suppress=False):
        unit, start = virtual.locate(found.start)
        located = _locate(unit, found, start)
        if unit.suppressions.silences(located):
            continue
        if unit.cell is not None and unit.notebook is not None and (
                located.code in silenced_in_notebook
                or located.code in notebook_suppressions(unit.notebook, unit.cell)):
            continue
        yield located


def _locate(unit: Unit, found: Finding, start: int) -> Finding:
    """*found* (on the virtual text) moved to *unit*'s file: offsets, lines, cell."""
    shift = unit.base + start - found.start
    a, b = found.start + shift, found.end + shift
    line, col = unit.lines.at(a)
    end_line, end_col = unit.lines.at(b)
    fix = found.fix
    if fix is not None:
        new = fix.new
        if fix.role and unit.syntax != _syntax_of_markup(new):
            new = _role_in(unit.syntax, new)
        fix = Edit(fix.start + shift, fix.end + shift, new, fix.role)
    cell = unit.cell
    extra: dict[str, Any] = {}
    if cell is not None and unit.notebook is not None:
        extra = {"cell": cell.number, "cell_id": cell.id,
                 "file_line": json_line(unit.notebook, cell.index, line)}
    return replace(found, path=unit.path, line=line, column=col, end_line=end_line,
                   end_column=end_col, start=a, end=b, fix=fix, **extra)


def _syntax_of_markup(role: str) -> Syntax:
    return "rst" if role.startswith(":dlterm:") else "myst"


def _role_in(syntax: Syntax, role: str) -> str:
    """A role written for the other syntax, in *syntax*."""
    body = role.split("`", 1)[1][:-1]
    return f":dlterm:`{body}`" if syntax == "rst" else f"{{dlterm}}`{body}`"


def read_notebook_text(raw: str) -> Notebook:
    """The notebook in *raw* (a separate name, so tests can replace the reader)."""
    from sphinxcontrib_dlglossary.lint.notebook import read_notebook

    return read_notebook(raw)

