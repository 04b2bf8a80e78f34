"""The ``dlglossary lint`` command: options, which files, each page checked (and fixed).

Settings come from where the build takes them: the project's ``conf.py`` (found in the
folder of the first path or above, or named with ``--conf``; :mod:`.project`), then
``[tool.dlglossary.lint]`` in pyproject.toml, then the options. Pages are checked as the
build reads them, with what they include and notebooks cell by cell (:mod:`.page`); each
finding is reported once, in its own file, and fixed there.

Exit status: 0 clean, 1 findings, 2 usage, configuration or parse error (also when a fix
could not be verified or written). What is not a regular file, or is too large, is skipped
with a note (:mod:`.files`); a file named twice (also through a link) is checked once.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import TextIO

from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.matcher import Matcher
from sphinxcontrib_dlglossary.lint.files import (
    Skipped,
    WriteError,
    file_key,
    read_source,
    write_source,
)
from sphinxcontrib_dlglossary.lint.findings import Finding
from sphinxcontrib_dlglossary.lint.fix import FixError, plan
from sphinxcontrib_dlglossary.lint.notebook import Notebook, NotebookError, rewrite
from sphinxcontrib_dlglossary.lint.output import FORMATS, report
from sphinxcontrib_dlglossary.lint.page import (
    Findings,
    PageReader,
    Unit,
    check_page,
    notebook_autolink,
    read_notebook_text,
)
from sphinxcontrib_dlglossary.lint.project import Project, find_conf, read_conf
from sphinxcontrib_dlglossary.lint.rules import Policy
from sphinxcontrib_dlglossary.lint.scanner import syntax_of
from sphinxcontrib_dlglossary.lint.settings import (
    ConfigError,
    Settings,
    build_matcher,
    find_config,
    load_settings,
    parse_codes,
)
from sphinxcontrib_dlglossary.lint.source import Syntax

__all__ = ["FileResult", "Linter", "add_parser", "iter_files", "lint_file", "run", "summary"]

_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "_build",
                        "node_modules", "__pycache__", ".ipynb_checkpoints"})
_WALK_SUFFIXES = (".rst", ".md", ".ipynb")

#: What a file to check is: rST, MyST, or a notebook (whose markdown cells are MyST).
Kind = str

_EPILOG = """\
codes:
  DLG001  unknown term in a dlterm role (error)
  DLG002  non-canonical spelling of a known term (fixable)
  DLG003  first plain mention of a term on a page is not linked (fixable)
  DLG004  synonym the term data marks to avoid

Settings: the project's conf.py (its dlglossary_* values, source suffixes and
exclude_patterns; reading it runs it, as sphinx-build does), then [tool.dlglossary.lint]
in pyproject.toml, then these options. Suppress with ':dlterm:`!term`' (one occurrence),
a comment 'dlglossary: disable-next-line' or 'dlglossary: disable-file[=CODES]', and in
notebooks the cell tag 'dlglossary-disable' or metadata {"dlglossary": {"disable": ...}}.
Exit status: 0 clean, 1 findings, 2 usage, configuration or parse error.
"""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register the ``lint`` command."""
    p = subparsers.add_parser(
        "lint", help="check the terminology of rST and MyST sources and notebooks",
        description="Check the terminology of reStructuredText and MyST sources and of "
                    "Jupyter notebooks' markdown cells: unknown terms in dlterm roles, "
                    "non-canonical spellings, unlinked first mentions and avoided "
                    "synonyms. No Sphinx build is needed; the project's conf.py gives the "
                    "settings the build uses.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s [OPTIONS] [PATH...]")
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files, or folders to search for pages (default: the project, "
                        "the folder of conf.py, else the current folder)")
    p.add_argument("--select", metavar="CODES", help="codes to check, comma-separated "
                   "(replaces the configured select and ignore lists)")
    p.add_argument("--ignore", metavar="CODES", help="codes to skip, comma-separated")
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="output format (default: text)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--fix", action="store_true", help="fix what can be fixed, in place")
    mode.add_argument("--diff", action="store_true",
                      help="print what --fix would change as a diff; write nothing")
    conf = p.add_mutually_exclusive_group()
    conf.add_argument("--conf", metavar="PATH",
                      help="the project's conf.py, or its folder (default: found from the "
                           "first PATH upwards, or in docs/ or doc/)")
    conf.add_argument("--no-conf", action="store_true",
                      help="do not read (run) conf.py: canonical terms and defaults only")
    p.add_argument("--term-file", "--terms", dest="terms", metavar="FILE", action="append",
                   default=[], help="a project term file, layered over the canonical set "
                                    "and conf.py's (repeatable)")
    p.add_argument("--everyday", metavar="KEY", action="append", default=[],
                   help="check the mentions of this everyday term too ('all' for every "
                        "one; repeatable)")
    p.add_argument("--exclude-path", "--exclude", dest="exclude", metavar="GLOB",
                   action="append", default=[], help="skip matching paths (repeatable)")
    pyproject = p.add_mutually_exclusive_group()
    pyproject.add_argument("--pyproject", "--config", dest="config", metavar="FILE",
                           help="the pyproject.toml to read (default: the nearest one)")
    pyproject.add_argument("--no-pyproject", "--no-config", dest="no_config",
                           action="store_true", help="read no pyproject.toml")
    p.add_argument("--jobs", "-j", type=_jobs_option, default=0, metavar="N",
                   help="worker processes (default: one per CPU for 64 pages or more; "
                        "1: none)")
    p.add_argument("--exit-zero", action="store_true",
                   help="exit 0 even when there are findings")
    p.set_defaults(func=run)


def _jobs_option(value: str) -> int:
    if value == "auto":
        return 0
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a number of processes or 'auto', not "
                                         f"{value!r}")
    return number


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``dlglossary lint``; return the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        settings = _settings(args, err)
        matcher = build_matcher(settings)
        paths = list(args.paths) or [_default_path(settings)]
        files = _once(iter_files(paths, settings))
    except ConfigError as exc:
        print(f"error: {exc}", file=err)
        return 2
    except terms.TermSetError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=err)
        return 2
    mode = "fix" if args.fix else "diff" if args.diff else "check"
    results = Linter(matcher, settings, jobs=args.jobs).run(files, mode)
    return _report(args, mode, results, out, err)


def _default_path(settings: Settings) -> str:
    """What ``dlglossary lint`` with no path checks: the project, else the current folder."""
    if settings.project is None:
        return "."
    srcdir = settings.project.srcdir
    try:
        rel = os.path.relpath(srcdir)
    except ValueError:
        return str(srcdir)
    return str(srcdir) if rel.startswith("..") else rel


def _report(args: argparse.Namespace, mode: str, results: Sequence[FileResult], out: TextIO,
            err: TextIO) -> int:
    """Print the findings (or the diff), the errors and the summary; return the exit status."""
    findings = sorted((f for r in results for f in r.findings),
                      key=lambda f: (f.path, f.cell or 0, f.line, f.column, f.code))
    errors = [(r.path, r.error) for r in results if r.error]
    if mode == "diff":
        out.writelines(r.diff for r in results)
    else:
        report(args.format, findings, errors, out)
    for r in results:
        if r.note:
            print(f"{r.path}: note: {r.note}", file=err)
        for note in r.notes:
            print(note, file=err)
    for path, message in errors:
        print(f"{path}: error: {message}", file=err)
    if args.format == "text" or mode != "check":
        print(summary(results, findings, mode), file=err)
    if errors:
        return 2
    return 0 if args.exit_zero or not findings else 1


# -- settings ----------------------------------------------------------------------------------


def _settings(args: argparse.Namespace, err: TextIO) -> Settings:
    """The settings: conf.py's, then pyproject.toml's, then the options."""
    cwd = Path.cwd()
    base = Settings()
    project = _project(args, err)
    if project is not None:
        base.apply_conf(project)
    if args.no_config:
        settings = base
    elif args.config:
        if not Path(args.config).is_file():
            raise ConfigError(f"{args.config}: no such file")
        settings = load_settings(Path(args.config), err, base)
    else:
        settings = load_settings(find_config(cwd), err, base)
    if args.select is not None:  # what is asked for on the command line is checked
        settings.select = parse_codes(args.select, "--select")
        settings.ignore = frozenset()
    if args.ignore is not None:
        settings.ignore = parse_codes(args.ignore, "--ignore")
    # Paths given on the command line are relative to the current folder.
    settings.terms += [cwd / t for t in args.terms]
    settings.exclude += [_exclude_glob(glob, cwd, settings.root) for glob in args.exclude]
    settings.everyday = _everyday(settings.everyday, args.everyday)
    return settings


def _project(args: argparse.Namespace, err: TextIO) -> Project | None:
    """The project's ``conf.py``, read (None with ``--no-conf`` or when there is none)."""
    if getattr(args, "no_conf", False):
        return None
    given = getattr(args, "conf", None)
    if given:
        conf = Path(given)
        if conf.is_dir():
            conf = conf / "conf.py"
        if not conf.is_file():
            raise ConfigError(f"{given}: no conf.py there")
    else:
        paths = list(getattr(args, "paths", []) or [])
        found = find_conf(Path(paths[0]) if paths else Path.cwd())
        if found is None:
            return None
        conf = found
    return read_conf(conf, err)
def _exclude_glob(glob: str, cwd: Path, root: Path) -> str:
    """An ``--exclude`` glob relative to *root*: one with a folder in it starts at *cwd*."""
    if "/" in glob.rstrip("/") and (cwd / glob).is_relative_to(root.resolve()):
        return (cwd / glob).relative_to(root.resolve()).as_posix()
    return glob


def _everyday(configured: frozenset[str] | bool, keys: list[str]) -> frozenset[str] | bool:
    """The everyday terms to check: the configured ones and the ``--everyday`` *keys*
    (``all``: every one)."""
    if not keys:
        return configured
    if any(k.lower() == "all" for k in keys):
        return True
    if configured is True:
        return configured
    return frozenset(configured or ()) | frozenset(keys)


# -- files -------------------------------------------------------------------------------------


def iter_files(paths: Sequence[str], settings: Settings) -> Iterator[tuple[str, Kind]]:
    """The files to check: given files, and the pages under given folders (the project's
    source suffixes and patterns, else .rst, .md and .ipynb files).

    :raises ConfigError: for a missing path or a file that is neither rST nor MyST nor a
        notebook.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, settings)
        elif path.exists():  # not only a regular file: the linter skips the rest, with a note
            kind = _kind_of(path, settings.project)
            if kind is None:
                raise ConfigError(f"{given}: not a reStructuredText or MyST file or a "
                                  "notebook (.rst, .txt, .md, .ipynb)")
            if not settings.excluded(path):
                yield given, kind
        else:
            raise ConfigError(f"{given}: no such file or folder")


def _kind_of(path: Path, project: Project | None) -> Kind | None:
    if project is not None and (kind := project.syntax_of(path)) is not None:
        return kind
    if path.name.lower().endswith(".ipynb"):
        return "notebook"
    return syntax_of(path.name)


def _once(files: Iterable[tuple[str, Kind]]) -> list[tuple[str, Kind]]:
    """*files* with each file once: the first path that names it, whether the others are
    symlinks to it, hard links, or the same path again (so it is fixed once)."""
    seen: dict[tuple[int, int] | str, str] = {}
    out = []
    for path, kind in files:
        key = file_key(path)
        if key not in seen:
            seen[key] = path
            out.append((path, kind))
    return out


def _walk(top: Path, settings: Settings) -> Iterator[tuple[str, Kind]]:
    """The pages under *top*, sorted, skipping hidden and build folders.

    Links to folders are not followed (``os.walk``'s default), so a link to a folder
    above cannot make the walk loop; links to files are checked (through to the target).
    """
    project = settings.project
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            child = Path(folder, name)
            if settings.excluded(child):
                continue
            if project is not None:
                if project.is_page(child):
                    yield str(child), project.syntax_of(child) or "rst"
            elif name.lower().endswith(_WALK_SUFFIXES):
                yield str(child), _kind_of(child, None) or "rst"


@dataclass
class FileResult:
    """What checking one file gave."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    #: Why the file could not be read, parsed or fixed.
    error: str | None = None
    #: Why the file was skipped (not a regular file, too large): a note, not an error.
    note: str | None = None
    #: Other notes, whole lines (an include that could not be followed).
    notes: list[str] = field(default_factory=list)
    #: ``--diff``: what ``--fix`` would change.
    diff: str = ""
    #: ``--fix``: how many findings were fixed.
    fixed: int = 0


@dataclass
class _Source:
    """A file as read: its bytes, text, BOM, and (a notebook) its cells."""

    raw: bytes
    text: str
    bom: bool
    syntax: Syntax = "rst"
    notebook: Notebook | None = None


class Linter:
    """Checks pages, collects each finding once per file, fixes or diffs files."""

    def __init__(self, matcher: Matcher, settings: Settings | None = None, *,
                 jobs: int = 1) -> None:
        settings = settings or Settings()
        self.matcher = matcher
        self.codes = settings.codes
        self.policy = Policy(settings.autolink_exclude, settings.scope,
                             settings.exclude_terms)
        project = settings.project
        self.reader = PageReader(self._read_included,
                                 srcdir=project.srcdir if project else None,
                                 extensions=project.myst_extensions if project else None)
        self.sources: dict[str, _Source] = {}
        self.results: dict[str, FileResult] = {}
        #: Worker processes: 0 for one per CPU (when there are enough pages), 1 for none.
        self.jobs = jobs
        #: Keep the pages' text after checking them (to fix them): not in check mode.
        self.keep_sources = True

    def run(self, files: Sequence[tuple[str, Kind]], mode: str = "check") -> list[FileResult]:
        """Check *files* (and what they include); with *mode* ``fix`` or ``diff`` also
        fix them or diff them. One result per file, in the order met."""
        self.keep_sources = mode != "check"
        found = self._check(files)
        if mode != "check":
            fixed = self._fix(found, mode)
            if mode == "fix" and fixed:  # what remains, as it is now
                counts = {path: r.fixed for path, r in self.results.items()}
                errors = {path: r.error for path, r in self.results.items()}
                self.sources.clear()
                self.reader = replace(self.reader, notes=[], _scans={})
                self.results = {}
                found = self._check(files)
                for path in sorted(counts.keys() | errors.keys()):
                    result = self._result(path)
                    result.fixed = counts.get(path, 0)
                    result.error = result.error or errors.get(path)
        for path, findings in found.by_path.items():
            self._result(path).findings = sorted(
                findings, key=lambda f: (f.cell or 0, f.start, f.code))
        for path, line, message in self.reader.notes:
            self._result(path).notes.append(f"{path}:{line}: note: {message}")
        return list(self.results.values())

    def _result(self, path: str) -> FileResult:
        return self.results.setdefault(path, FileResult(path))

    def _check(self, files: Sequence[tuple[str, Kind]]) -> Findings:
        """Check every page: in worker processes when there are many (``--jobs``)."""
        jobs = _jobs(self.jobs, len(files))
        if jobs <= 1:
            return self._check_here(files)
        global _WORKER
        _WORKER = self  # forked workers inherit it: the matcher is not pickled
        # Import and set up both parsers once, here: each worker would do it again.
        for syntax in ("rst", "myst"):
            self.reader.scan("A warm-up.\n", syntax)
        chunks = [files[i:i + _CHUNK] for i in range(0, len(files), _CHUNK)]
        found = Findings()
        try:
            with ProcessPoolExecutor(jobs, mp_context=get_context("fork")) as pool:
                for findings, results, notes in pool.map(_check_chunk, chunks):
                    for finding in findings:
                        found.add(finding)
                    for result in results:
                        mine = self._result(result.path)
                        mine.note = mine.note or result.note
                        mine.error = mine.error or result.error
                    self.reader.notes += notes
        finally:
            _WORKER = None
        return found

    def _check_here(self, files: Sequence[tuple[str, Kind]]) -> Findings:
        found = Findings()
        for path, kind in files:
            result = self._result(path)
            source = self._load(path, kind, result)
            if source is None:
                continue
            try:
                units, autolink = self._units(path, source)
                for finding in check_page(self.reader, units, autolink, self.matcher,
                                          self.codes, self.policy):
                    found.add(finding)
            except Exception as exc:  # a parser failure is a parse error, not a crash
                result.error = f"cannot parse: {exc}"
            if not self.keep_sources:
                self.sources.pop(path, None)
        return found

    def _load(self, path: str, kind: Kind, result: FileResult) -> _Source | None:
        """The file at *path*, read (or None, with the note or error in *result*)."""
        if path in self.sources:
            return self.sources[path]
        try:
            raw, text, bom = read_source(path)
        except Skipped as exc:
            result.note = str(exc)
            return None
        except OSError as exc:
            result.error = f"cannot read: {exc.strerror or exc}"
            return None
        except UnicodeDecodeError as exc:
            result.error = f"not UTF-8 text (byte {exc.start})"
            return None
        source = _Source(raw, text, bom, "myst" if kind == "notebook" else kind)  # type: ignore[arg-type]
        if kind == "notebook":
            try:
                source.notebook = read_notebook_text(text)
            except NotebookError as exc:
                result.error = f"not a notebook lint can read: {exc}"
                return None
        self.sources[path] = source
        return source

    def _read_included(self, path: Path) -> tuple[str | None, str | None]:
        """An included file's text (kept for ``--fix``), or None and why not."""
        key = str(path)
        if key in self.sources:
            return self.sources[key].text, None
        try:
            raw, text, bom = read_source(key)
        except Skipped as exc:
            return None, str(exc)
        except OSError as exc:
            return None, f"cannot read: {exc.strerror or exc}"
        except UnicodeDecodeError as exc:
            return None, f"not UTF-8 text (byte {exc.start})"
        self.sources[key] = _Source(raw, text, bom)
        return text, None

    def _units(self, path: str, source: _Source) -> tuple[list[Unit], bool]:
        """The units a page is made of, and whether it may be auto-linked."""
        if source.notebook is not None:
            return (self.reader.cell_units(path, source.notebook),
                    notebook_autolink(source.notebook))
        unit = self.reader.file_unit(path, source.text, source.syntax)
        return [unit], unit.scan.autolink

    # -- fixing ------------------------------------------------------------------------------

    def _fix(self, found: Findings, mode: str) -> int:
        """Fix (or diff) each file with fixable findings; return how many were fixed."""
        total = 0
        for path, findings in found.by_path.items():
            if not any(f.fix for f in findings):
                continue
            result = self._result(path)
            kind = "notebook" if any(f.cell is not None for f in findings) else \
                _syntax_of_fixes(findings, "rst")
            source = self.sources.get(path) or self._load(path, kind, result)
            if source is None:
                continue
            try:
                new = self._fixed_text(source, findings)
            except (FixError, NotebookError) as exc:
                result.error = f"not fixed: {exc}"
                continue
            if mode == "diff":
                result.diff = "".join(difflib.unified_diff(
                    source.text.splitlines(keepends=True), new.splitlines(keepends=True),
                    f"a/{path}", f"b/{path}"))
                continue
            try:
                write_source(path, source.raw, new, source.bom)
            except (OSError, WriteError) as exc:
                result.error = f"not fixed: {exc}"
                continue
            result.fixed = _count_fixed(findings)
            total += result.fixed
        return total

    def _fixed_text(self, source: _Source, findings: list[Finding]) -> str:
        from sphinxcontrib_dlglossary import lint

        if source.notebook is None:
            # The syntax the findings were made in (an include may read a file as MyST).
            syntax = _syntax_of_fixes(findings, source.syntax)
            extensions = self.reader.file_extensions(source.text, syntax)
            return lint.fix_text(source.text, syntax, findings, None, extensions)
        cells = {c.number: c for c in source.notebook.cells}
        by_cell: dict[int, list[Finding]] = {}
        for f in findings:
            if f.cell is not None:
                by_cell.setdefault(f.cell, []).append(f)
        units = {u.cell.number: u for u in self.reader.cell_units("", source.notebook)
                 if u.cell is not None and u.cell.number in by_cell}
        new_sources = {}
        for number, cell_findings in by_cell.items():
            unit = units[number]
            new_sources[cells[number].index] = lint.fix_text(
                unit.text, "myst", cell_findings, unit.scan, unit.extensions)
        return rewrite(source.notebook, new_sources)


#: The linter the worker processes use (set in the parent before they fork).
_WORKER: Linter | None = None
#: Pages per task of a worker process.
_CHUNK = 16
#: Fewer pages than this are checked in the one process (starting workers costs more).
_PARALLEL_FROM = 64


def _jobs(asked: int, pages: int) -> int:
    """How many worker processes check *pages* pages (1: none)."""
    if asked == 1 or pages < 2 or "fork" not in get_all_start_methods():
        return 1
    if asked == 0:
        if pages < _PARALLEL_FROM:
            return 1
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
        asked = cpus
    return max(1, min(asked, -(-pages // _CHUNK)))


def _check_chunk(files: list[tuple[str, Kind]]
                 ) -> tuple[list[Finding], list[FileResult], list[tuple[str, int, str]]]:
    """In a worker: check *files* with the inherited linter; what it found, the files'
    notes and errors, and the include notes."""
    linter = _WORKER
    assert linter is not None
    linter.results, linter.reader.notes = {}, []
    found = linter._check_here(files)
    return (found.all(), [r for r in linter.results.values() if r.note or r.error],
            linter.reader.notes)


def _syntax_of_fixes(findings: list[Finding], default: Syntax) -> Syntax:
    for f in findings:
        if f.fix is not None and f.fix.role:
            return "rst" if f.fix.new.startswith(":dlterm:") else "myst"
    return default


def _count_fixed(findings: list[Finding]) -> int:
    applied = {(e.start, e.end) for e in plan(findings)}
    return sum(1 for f in findings if f.fix and (f.fix.start, f.fix.end) in applied)


def lint_file(path: str, syntax: Syntax, matcher: Matcher, codes: frozenset[str],
              mode: str = "check") -> FileResult:
    """Check one file (with what it includes); with *mode* ``fix`` also fix it, with
    ``diff`` only diff it. Findings in included files are left out."""
    settings = Settings(select=codes)
    results = Linter(matcher, settings).run([(path, syntax)], mode)
    return next((r for r in results if r.path == path), FileResult(path))


def summary(results: Sequence[FileResult], findings: Sequence[Finding], mode: str) -> str:
    """The closing line: what was found, fixed or would be fixed, in how many files."""
    fixable = sum(1 for f in findings if f.fix)
    parts = []
    if mode == "fix":
        fixed = sum(r.fixed for r in results)
        parts.append(f"fixed {fixed} finding(s) in {sum(1 for r in results if r.fixed)} file(s)")
    if findings:
        extra = f" ({fixable} fixable)" if fixable and mode == "check" else ""
        if mode == "fix":
            extra = f" ({fixable} fixable, not fixed)" if fixable else " (none fixable)"
        files = len({f.path for f in findings})
        remain = " remain" if mode == "fix" else ""
        parts.append(f"{len(findings)} finding(s){remain}{extra} in {files} file(s)")
    elif mode == "fix":
        parts.append("nothing remains")
    else:
        parts.append(f"no findings in {sum(1 for r in results if not r.note)} file(s)")
    if mode == "diff" and fixable:
        parts.append(f"{fixable} would be fixed")
    skipped = sum(1 for r in results if r.note)
    if skipped:
        parts.append(f"skipped {skipped} file(s)")
    line = "; ".join(parts)
    return line[:1].upper() + line[1:] + "."
