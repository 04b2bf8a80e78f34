"""``dlglossary lint``: check the terminology of rST and MyST sources, without a Sphinx build.

Each file is read by the same parsers Sphinx would use (see :mod:`.prose`), so only
prose is checked, and mentions are found by the same :class:`~.matcher.Matcher` the
build-time auto-linker uses.

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
    (a mention there is not the first one either); see :mod:`.prose`.
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

``[tool.dlglossary.lint]`` in the nearest ``pyproject.toml`` (from the current directory
up; ``--config`` names another), paths relative to that file::

    select = ["DLG001", "DLG002"]      # codes to check (default: all)
    ignore = ["DLG004"]                # codes to skip
    terms = ["docs/terms.yaml"]        # project term files, layered over the canonical set
    canonical = true                   # false: use only the files in `terms`
    exclude = ["docs/_build", "*.txt"] # globs; also applies to paths given explicitly
    everyday = ["kernel"]              # everyday terms whose mentions should be linked (or true)

Options on the command line extend the file (``--terms``, ``--exclude``, ``--everyday``)
or replace it (``--select``, ``--ignore``).
"""

from __future__ import annotations

import argparse
import bisect
import codecs
import contextlib
import difflib
import fnmatch
import importlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sphinxcontrib_dlglossary import __version__, terms
from sphinxcontrib_dlglossary.matcher import Matcher
from sphinxcontrib_dlglossary.prose import Piece, Scan, Syntax, scan, syntax_of

__all__ = [
    "CODES",
    "ConfigError",
    "Finding",
    "FixError",
    "Settings",
    "add_parser",
    "check_text",
    "fix_text",
    "load_settings",
]

#: Every code: (severity, short description).
CODES: dict[str, tuple[str, str]] = {
    "DLG001": ("error", "unknown term in a dlterm role"),
    "DLG002": ("warning", "non-canonical spelling of a known term"),
    "DLG003": ("warning", "first plain mention of a term on a page is not linked"),
    "DLG004": ("warning", "synonym the term data marks to avoid"),
}
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "_build",
                        "node_modules", "__pycache__", ".ipynb_checkpoints"})
_WALK_SUFFIXES = (".rst", ".md")
_DIRECTIVE_RE = re.compile(
    r"dlglossary:\s*(?P<action>disable-file|disable-next-line|disable-line|disable)"
    r"(?:\s*=\s*(?P<codes>[A-Za-z0-9_,\s]+))?\s*\Z")


class ConfigError(Exception):
    """The settings (pyproject.toml or options) are not usable."""


class FixError(Exception):
    """An edit could not be verified; the file was left as it was."""


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by :attr:`new`."""

    start: int
    end: int
    new: str
    #: The edit wraps the text in a ``dlterm`` role.
    role: bool = False


@dataclass(frozen=True)
class Finding:
    """One finding, located in its file."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    #: The term concerned (None for an unknown term).
    key: str | None
    #: The text in question, as written.
    text: str
    start: int
    end: int
    #: The edit ``--fix`` would make, or None.
    fix: Edit | None = None

    @property
    def severity(self) -> str:
        return CODES[self.code][0]


@dataclass
class Settings:
    """What to check and how; see the module docstring for the pyproject.toml keys."""

    select: frozenset[str] = frozenset(CODES)
    ignore: frozenset[str] = frozenset()
    terms: list[Path] = field(default_factory=list)
    canonical: bool = True
    exclude: list[str] = field(default_factory=list)
    everyday: frozenset[str] | bool = frozenset()
    #: Where relative paths in the settings start (the pyproject.toml's folder).
    root: Path = field(default_factory=Path.cwd)

    @property
    def codes(self) -> frozenset[str]:
        return self.select - self.ignore

    def excluded(self, path: Path) -> bool:
        """Whether *path* matches an exclude glob (itself or a folder it is in)."""
        if not self.exclude:
            return False
        absolute = path.resolve()
        try:
            rel = absolute.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = absolute.as_posix()
        parts = rel.split("/")
        candidates = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
        for pattern in self.exclude:
            pattern = pattern.rstrip("/")
            if "/" not in pattern and any(fnmatch.fnmatchcase(p, pattern) for p in parts):
                return True
            if any(fnmatch.fnmatchcase(c, pattern) for c in candidates):
                return True
        return False


# -- settings ----------------------------------------------------------------------------------


def _codes(value: Any, where: str) -> frozenset[str]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ConfigError(f"{where}: expected a list of codes such as ['DLG001']")
    out = set()
    for item in (i.strip().upper() for i in items):
        if not item:
            continue
        if item == "ALL":
            out |= set(CODES)
        elif item in CODES:
            out.add(item)
        else:
            raise ConfigError(f"{where}: unknown code {item!r} (known: {', '.join(CODES)})")
    return frozenset(out)


def _toml_module() -> Any:
    """tomllib (Python 3.11+), else tomli if installed, else None."""
    for name in ("tomllib", "tomli"):
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    return None


def find_config(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above *start*."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_settings(config: Path | None, err: TextIO = sys.stderr) -> Settings:
    """Settings from ``[tool.dlglossary.lint]`` of *config* (defaults when None).

    :raises ConfigError: when the file cannot be read or a setting is wrong.
    """
    if config is None:
        return Settings()
    settings = Settings(root=config.parent)
    try:
        raw = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config}: cannot read: {exc}") from exc
    tomllib = _toml_module()
    if tomllib is None:
        if "dlglossary" in raw:
            print(f"{config}: settings ignored: reading TOML on Python 3.10 needs the "
                  "'tomli' package", file=err)
        return settings
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config}: invalid TOML: {exc}") from exc
    table = data.get("tool", {}).get("dlglossary", {}).get("lint", {})
    where = f"{config}: [tool.dlglossary.lint]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - {"select", "ignore", "terms", "canonical", "exclude",
                                   "everyday"})
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: select, ignore, "
                          "terms, canonical, exclude, everyday)")
    if "select" in table:
        settings.select = _codes(table["select"], f"{where} select")
    if "ignore" in table:
        settings.ignore = _codes(table["ignore"], f"{where} ignore")
    for name in ("terms", "exclude"):
        value = table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} {name}: expected a list of strings")
    settings.terms = [Path(p) for p in table.get("terms", [])]
    settings.exclude = list(table.get("exclude", []))
    canonical = table.get("canonical", True)
    if not isinstance(canonical, bool):
        raise ConfigError(f"{where} canonical: expected true or false")
    settings.canonical = canonical
    everyday = table.get("everyday", [])
    if isinstance(everyday, bool):
        settings.everyday = everyday or frozenset()
    elif isinstance(everyday, list) and all(isinstance(v, str) for v in everyday):
        settings.everyday = frozenset(everyday)
    else:
        raise ConfigError(f"{where} everyday: expected a list of term keys, or true")
    return settings


def build_matcher(settings: Settings) -> Matcher:
    """The term set of *settings*, as a matcher.

    :raises terms.TermSetError: when a term file has problems.
    :raises ConfigError: when ``everyday`` names an unknown term.
    """
    termset = terms.load([str(p) for p in settings.terms], canonical=settings.canonical,
                         root=settings.root)
    everyday: frozenset[str] | bool = settings.everyday
    if not isinstance(everyday, bool):
        keys = set()
        for name in everyday:
            term = termset.terms.get(name) or termset.lookup(name)
            if term is None:
                raise ConfigError(f"everyday: unknown term {name!r}")
            keys.add(term.key)
        everyday = frozenset(keys)
    return Matcher(termset, include_everyday=everyday)


# -- checking ----------------------------------------------------------------------------------


class _Positions:
    """Offsets to 1-based (line, column), lines ending at CRLF, CR or LF."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
        self.text = text

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def line_text(self, line: int) -> str:
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[self.starts[line - 1]:end].rstrip("\r\n")


def _suppressions(sc: Scan, pos: _Positions) -> tuple[frozenset[str], dict[int, frozenset[str]]]:
    """Codes silenced for the whole file, and per line."""
    whole: set[str] = set()
    lines: dict[int, frozenset[str]] = {}
    for first, last, text in sc.comments:
        match = _DIRECTIVE_RE.match(text.strip())
        if not match:
            continue
        codes = frozenset(c.strip().upper() for c in (match.group("codes") or "").split(",")
                          if c.strip()) or frozenset(CODES)
        action = match.group("action")
        if action in ("disable-file", "disable"):
            whole |= codes
            continue
        line = first
        if action == "disable-next-line":
            line = last + 1
            while line < len(pos.starts) and not pos.line_text(line).strip():
                line += 1
        lines[line] = lines.get(line, frozenset()) | codes
    return frozenset(whole), lines


def _role_syntax(syntax: Syntax, text: str) -> str:
    return f":dlterm:`{text}`" if syntax == "rst" else f"{{dlterm}}`{text}`"


def _rst_can_wrap(source: str, start: int, end: int) -> bool:
    """Whether rST would see a role inserted at ``source[start:end]`` (inline-markup rules)."""
    from docutils.utils import punctuation_chars as pc

    before = source[start - 1] if start else " "
    after = source[end] if end < len(source) else " "
    return (before.isspace() or before in pc.openers or before in pc.delimiters) and (
        after.isspace() or after in pc.closing_delimiters or after in pc.delimiters
        or after in pc.closers)


def check_text(text: str, syntax: Syntax, matcher: Matcher, path: str = "<text>",
               codes: Iterable[str] = CODES, *, parsed: Scan | None = None) -> list[Finding]:
    """Every finding in one source text, sorted by position (the glossary page has none)."""
    sc = parsed or scan(text, syntax)
    if sc.glossary:
        return []
    wanted = frozenset(codes)
    pos = _Positions(text)
    termset = matcher.termset
    found: list[Finding] = []

    def add(code: str, start: int, end: int, message: str, key: str | None,
            fix: Edit | None = None) -> None:
        line, col = pos.at(start)
        end_line, end_col = pos.at(end)
        found.append(Finding(path, line, col, end_line, end_col, code, message, key,
                             text[start:end], start, end, fix))

    linked: dict[str, int] = {}  # key -> offset of its first role
    for role in sc.roles:
        if role.suppressed:
            continue
        target = role.target
        term = termset.terms.get(target) or termset.lookup(target)
        if term is None:
            a, b = role.target_span()
            hints = termset.suggest(target)
            hint = (f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints
                    else " (see `dlglossary list`)")
            add("DLG001", role.body.source(a), role.body.source(max(a, b - 1)) + 1,
                f"unknown term {target!r} in a dlterm role{hint}", None)
            continue
        linked.setdefault(term.key, role.start)
        a, b = role.text_span()
        for mention in matcher.find(role.body.text[a:b]):
            if mention.kind != "canonical":
                _spelling(add, role.body, mention, a, fixable=False)

    seen: set[str] = set()
    for piece in sc.pieces:
        for mention in matcher.find(piece.text):
            start = piece.source(mention.start)
            end = piece.source(mention.end - 1) + 1
            one_line = "\n" not in mention.text and "\r" not in mention.text
            if mention.kind != "canonical":
                _spelling(add, piece, mention, 0, fixable=piece.edit and one_line)
            # Not in a no-autolink block or page: the build links nothing there, and a
            # mention there is not the first one.
            if not (mention.linkable and piece.link and sc.autolink) or mention.key in seen:
                continue
            seen.add(mention.key)
            if linked.get(mention.key, end) < start:
                continue
            respell = bool(mention.kind == "variant" and "DLG002" in wanted
                           and mention.replacement)
            shown = mention.replacement if respell else mention.text
            hit = termset.lookup(shown or "")
            key = "" if hit is not None and hit.key == mention.key else f" <{mention.key}>"
            # A mention over two lines is wrapped as it stands (line break and container
            # prefix included); respelling it would join the lines, so that is not done.
            body = f"{shown}{key}" if one_line else f"{text[start:end]}{key}"
            wrap = piece.wrap and piece.edit and (one_line or not respell) and (
                syntax != "rst" or _rst_can_wrap(text, start, end))
            title = termset.terms[mention.key].title
            advice = _role_syntax(syntax, " ".join(f"{shown}{key}".split()))
            add("DLG003", start, end,
                f"first mention of {title!r} on this page is not linked; write {advice}",
                mention.key, Edit(start, end, _role_syntax(syntax, body), role=True)
                if wrap else None)

    whole, per_line = _suppressions(sc, pos)
    return sorted(
        (f for f in found if f.code in wanted and f.code not in whole
         and f.code not in per_line.get(f.line, ())),
        key=lambda f: (f.start, f.code))


def _spelling(add: Any, piece: Piece, mention: Any, offset: int, *, fixable: bool) -> None:
    start = piece.source(offset + mention.start)
    end = piece.source(offset + mention.end - 1) + 1
    written = " ".join(mention.text.split())
    if mention.kind == "avoid":
        add("DLG004", start, end,
            f"{written!r} is a synonym to avoid; write {mention.replacement!r}", mention.key)
    else:
        add("DLG002", start, end,
            f"{written!r} is not the canonical spelling; write {mention.replacement!r}",
            mention.key, Edit(start, end, mention.replacement) if fixable else None)


# -- fixing ------------------------------------------------------------------------------------


def _classes(text: str, sc: Scan) -> list[str]:
    """Per character: ``p`` prose, ``q`` prose where nothing is linked, ``m`` anything else."""
    out = ["m"] * len(text)
    for piece in sc.pieces:
        for start, end in piece.ranges():
            out[start:end] = ["p" if piece.link else "q"] * (end - start)
    return out


def plan(findings: Sequence[Finding]) -> list[Edit]:
    """The edits for the fixable findings: one per span (a respelt first mention is
    wrapped respelt), left to right, overlaps dropped."""
    spans: dict[tuple[int, int], Edit] = {}
    for f in findings:
        if f.fix is None:
            continue
        span = (f.fix.start, f.fix.end)
        if f.code == "DLG003":
            spans[span] = f.fix
        elif span not in spans:
            spans[span] = f.fix
    edits: list[Edit] = []
    for edit in sorted(spans.values(), key=lambda e: e.start):
        if edits and edit.start < edits[-1].end:
            continue
        edits.append(edit)
    return edits


def fix_text(text: str, syntax: Syntax, findings: Sequence[Finding],
             parsed: Scan | None = None) -> str:
    """*text* with the fixable findings fixed, verified by parsing the result again.

    :raises FixError: when the result differs from the plan in anything but the edits.
    """
    edits = plan(findings)
    if not edits:
        return text
    before = parsed or scan(text, syntax)
    out: list[str] = []
    expected: list[str] = []
    classes = _classes(text, before)
    inserted: set[tuple[int, str]] = set()
    pos = shift = 0
    for edit in edits:
        out.append(text[pos:edit.start])
        expected += classes[pos:edit.start]
        expected += ["m" if edit.role else classes[edit.start]] * len(edit.new)
        if edit.role:
            inserted.add((edit.start + shift, edit.new))
        out.append(edit.new)
        shift += len(edit.new) - (edit.end - edit.start)
        pos = edit.end
    out.append(text[pos:])
    expected += classes[pos:]
    new = "".join(out)
    after = scan(new, syntax)
    if _classes(new, after) != expected:
        raise FixError("re-parsing the edited text shows changes beyond the edits")
    roles = {(r.start, new[r.start:r.end]) for r in after.roles}
    if not inserted <= roles or len(after.roles) != len(before.roles) + len(inserted):
        raise FixError("re-parsing the edited text does not show the inserted roles")
    if (after.glossary, after.autolink) != (before.glossary, before.autolink) \
            or len(after.comments) != len(before.comments):
        raise FixError("re-parsing the edited text shows changes beyond the edits")
    return new


# -- files -------------------------------------------------------------------------------------


def iter_files(paths: Sequence[str], settings: Settings) -> Iterator[tuple[str, Syntax]]:
    """The files to check: given files, and rST/MyST files under given folders.

    :raises ConfigError: for a missing path or a file that is neither rST nor MyST.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    child = Path(folder, name)
                    if name.endswith(_WALK_SUFFIXES) and not settings.excluded(child):
                        yield str(child), syntax_of(name) or "rst"
        elif path.is_file():
            syntax = syntax_of(given)
            if syntax is None:
                raise ConfigError(f"{given}: not a reStructuredText or MyST file "
                                  "(.rst, .txt, .md)")
            if not settings.excluded(path):
                yield given, syntax
        else:
            raise ConfigError(f"{given}: no such file or folder")


@dataclass
class _Result:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    diff: str = ""
    fixed: int = 0


def _read(path: str) -> tuple[bytes, str, bool]:
    raw = Path(path).read_bytes()
    bom = raw.startswith(codecs.BOM_UTF8)
    return raw, raw.decode("utf-8-sig"), bom


def _write(path: str, raw: bytes, new: str, bom: bool) -> None:
    """Replace the file atomically, unless it changed since it was read."""
    data = (codecs.BOM_UTF8 if bom else b"") + new.encode("utf-8")
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        shutil.copymode(target, tmp)
        if target.read_bytes() != raw:
            raise FixError("the file changed while it was being checked")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def lint_file(path: str, syntax: Syntax, matcher: Matcher, codes: frozenset[str],
              mode: str = "check") -> _Result:
    """Check one file; with *mode* ``fix`` also fix it, with ``diff`` only diff it."""
    result = _Result(path)
    try:
        raw, text, bom = _read(path)
    except OSError as exc:
        result.error = f"cannot read: {exc.strerror or exc}"
        return result
    except UnicodeDecodeError as exc:
        result.error = f"not UTF-8 text (byte {exc.start})"
        return result
    try:
        parsed = scan(text, syntax)
    except Exception as exc:  # a parser failure is a parse error (exit 2), not a crash
        result.error = f"cannot parse: {exc}"
        return result
    findings = check_text(text, syntax, matcher, path, codes, parsed=parsed)
    result.findings = findings
    if mode == "check" or not any(f.fix for f in findings):
        return result
    try:
        new = fix_text(text, syntax, findings, parsed)
    except FixError as exc:
        result.error = f"not fixed: {exc}"
        return result
    if mode == "diff":
        result.diff = "".join(difflib.unified_diff(
            text.splitlines(keepends=True), new.splitlines(keepends=True),
            f"a/{path}", f"b/{path}"))
        return result
    try:
        _write(path, raw, new, bom)
    except (OSError, FixError) as exc:
        result.error = f"not fixed: {exc}"
        return result
    applied = {(e.start, e.end) for e in plan(findings)}
    result.fixed = sum(1 for f in findings if f.fix and (f.fix.start, f.fix.end) in applied)
    result.findings = check_text(new, syntax, matcher, path, codes)
    return result


# -- output ------------------------------------------------------------------------------------


def _text(findings: Sequence[Finding], out: TextIO) -> None:
    for f in findings:
        fixable = " (fixable)" if f.fix else ""
        print(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}{fixable}", file=out)


def _json(findings: Sequence[Finding], errors: Sequence[tuple[str, str]], out: TextIO) -> None:
    data = {
        "version": 1,
        "findings": [{
            "path": f.path, "line": f.line, "column": f.column, "end_line": f.end_line,
            "end_column": f.end_column, "code": f.code, "severity": f.severity,
            "message": f.message, "term": f.key, "text": f.text,
            "fix": None if f.fix is None else {"replacement": f.fix.new},
        } for f in findings],
        "errors": [{"path": p, "message": m} for p, m in errors],
    }
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _github_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def _github(findings: Sequence[Finding], out: TextIO) -> None:
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        props = (f"file={_github_escape(f.path, True)},line={f.line},col={f.column},"
                 f"endLine={f.end_line},endColumn={f.end_column},title={f.code}")
        print(f"::{level} {props}::{_github_escape(f.code + ' ' + f.message)}", file=out)


def _sarif(findings: Sequence[Finding], out: TextIO) -> None:
    rules = list(CODES)
    results = []
    for f in findings:
        uri = Path(f.path).as_posix()
        location = {"physicalLocation": {
            "artifactLocation": {"uri": uri},
            "region": {"startLine": f.line, "startColumn": f.column,
                       "endLine": f.end_line, "endColumn": f.end_column},
        }}
        result: dict[str, Any] = {
            "ruleId": f.code, "ruleIndex": rules.index(f.code), "level": f.severity,
            "message": {"text": f.message}, "locations": [location],
        }
        if f.fix is not None:
            result["fixes"] = [{
                "description": {"text": f"write {f.fix.new}"},
                "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": [{
                    "deletedRegion": location["physicalLocation"]["region"],
                    "insertedContent": {"text": f.fix.new},
                }]}],
            }]
        results.append(result)
    data = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dlglossary", "version": __version__,
                "informationUri": "https://pypi.org/project/sphinxcontrib-dlglossary/",
                "rules": [{"id": code, "name": code,
                           "shortDescription": {"text": CODES[code][1]},
                           "defaultConfiguration": {"level": CODES[code][0]}}
                          for code in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


# -- command line ------------------------------------------------------------------------------

_EPILOG = """\
codes:
  DLG001  unknown term in a dlterm role (error)
  DLG002  non-canonical spelling of a known term (fixable)
  DLG003  first plain mention of a term on a page is not linked (fixable)
  DLG004  synonym the term data marks to avoid

Suppress with ':dlterm:`!term`' (one occurrence), a comment 'dlglossary: disable-next-line'
or 'dlglossary: disable-file[=CODES]'. Settings: [tool.dlglossary.lint] in pyproject.toml.
Exit status: 0 clean, 1 findings, 2 usage, configuration or parse error.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``lint`` command."""
    p = subparsers.add_parser(
        "lint", help="check the terminology of rST and MyST sources",
        description="Check the terminology of reStructuredText and MyST sources: unknown "
                    "terms in dlterm roles, non-canonical spellings, unlinked first "
                    "mentions and avoided synonyms. No Sphinx build is needed.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s [OPTIONS] PATH [PATH...]")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, or folders to search for .rst and .md files")
    p.add_argument("--select", metavar="CODES", help="codes to check, comma-separated "
                   "(replaces the configured select and ignore lists)")
    p.add_argument("--ignore", metavar="CODES", help="codes to skip, comma-separated")
    p.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text",
                   help="output format (default: text)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--fix", action="store_true", help="fix what can be fixed, in place")
    mode.add_argument("--diff", action="store_true",
                      help="print what --fix would change as a diff; write nothing")
    p.add_argument("--terms", metavar="FILE", action="append", default=[],
                   help="a project term file, layered over the canonical set (repeatable)")
    p.add_argument("--everyday", metavar="KEY", action="append", default=[],
                   help="check the mentions of this everyday term too ('all' for every "
                        "one; repeatable)")
    p.add_argument("--exclude", metavar="GLOB", action="append", default=[],
                   help="skip matching paths (repeatable)")
    p.add_argument("--config", metavar="FILE",
                   help="the pyproject.toml to read (default: the nearest one)")
    p.add_argument("--no-config", action="store_true", help="read no pyproject.toml")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when there are findings")
    p.set_defaults(func=run)


def _settings(args: argparse.Namespace, err: TextIO) -> Settings:
    cwd = Path.cwd()
    if args.no_config:
        settings = Settings()
    elif args.config:
        if not Path(args.config).is_file():
            raise ConfigError(f"{args.config}: no such file")
        settings = load_settings(Path(args.config), err)
    else:
        settings = load_settings(find_config(cwd), err)
    if args.select is not None:  # what is asked for on the command line is checked
        settings.select = _codes(args.select, "--select")
        settings.ignore = frozenset()
    if args.ignore is not None:
        settings.ignore = _codes(args.ignore, "--ignore")
    # Paths given on the command line are relative to the current folder.
    settings.terms += [cwd / t for t in args.terms]
    for glob in args.exclude:  # a glob with a folder in it starts at the current folder
        if "/" in glob.rstrip("/") and (cwd / glob).is_relative_to(settings.root.resolve()):
            glob = (cwd / glob).relative_to(settings.root.resolve()).as_posix()
        settings.exclude.append(glob)
    if args.everyday:
        if any(k.lower() == "all" for k in args.everyday):
            settings.everyday = True
        elif settings.everyday is not True:
            settings.everyday = frozenset(settings.everyday or ()) | frozenset(args.everyday)
    return settings


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``dlglossary lint``; return the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        settings = _settings(args, err)
        matcher = build_matcher(settings)
        files = list(dict.fromkeys(iter_files(args.paths, settings)))
    except ConfigError as exc:
        print(f"error: {exc}", file=err)
        return 2
    except terms.TermSetError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=err)
        return 2
    mode = "fix" if args.fix else "diff" if args.diff else "check"
    results = [lint_file(path, syntax, matcher, settings.codes, mode) for path, syntax in files]
    findings = sorted((f for r in results for f in r.findings),
                      key=lambda f: (f.path, f.line, f.column, f.code))
    errors = [(r.path, r.error) for r in results if r.error]
    if mode == "diff":
        for r in results:
            out.write(r.diff)
    elif args.format == "json":
        _json(findings, errors, out)
    elif args.format == "github":
        _github(findings, out)
    elif args.format == "sarif":
        _sarif(findings, out)
    else:
        _text(findings, out)
    for path, message in errors:
        print(f"{path}: error: {message}", file=err)
    if args.format == "text" or mode != "check":
        _summary(results, findings, mode, err)
    if errors:
        return 2
    return 0 if args.exit_zero or not findings else 1


def _summary(results: Sequence[_Result], findings: Sequence[Finding], mode: str,
             err: TextIO) -> None:
    fixed = sum(r.fixed for r in results)
    fixable = sum(1 for f in findings if f.fix)
    files = len({f.path for f in findings})
    parts = []
    if mode == "fix":
        parts.append(f"fixed {fixed} finding(s) in {sum(1 for r in results if r.fixed)} file(s)")
    if findings:
        extra = f" ({fixable} fixable)" if fixable and mode == "check" else ""
        parts.append(f"{len(findings)} finding(s){extra} in {files} file(s)")
    elif mode != "fix":
        parts.append(f"no findings in {len(results)} file(s)")
    if mode == "diff" and fixable:
        parts.append(f"{fixable} would be fixed")
    line = "; ".join(parts)
    print(line[:1].upper() + line[1:] + ".", file=err)
