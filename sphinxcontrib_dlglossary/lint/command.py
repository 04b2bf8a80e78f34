"""The ``dlglossary lint`` command: options, which files, each file checked (and fixed).

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
from dataclasses import dataclass, field
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
from sphinxcontrib_dlglossary.lint.output import FORMATS, report
from sphinxcontrib_dlglossary.lint.rules import check_text
from sphinxcontrib_dlglossary.lint.scanner import scan, syntax_of
from sphinxcontrib_dlglossary.lint.settings import (
    ConfigError,
    Settings,
    build_matcher,
    find_config,
    load_settings,
    parse_codes,
)
from sphinxcontrib_dlglossary.lint.source import Syntax

__all__ = ["FileResult", "add_parser", "iter_files", "lint_file", "run", "summary"]

_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "_build",
                        "node_modules", "__pycache__", ".ipynb_checkpoints"})
_WALK_SUFFIXES = (".rst", ".md")

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
    p.add_argument("--format", choices=FORMATS, default="text",
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


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``dlglossary lint``; return the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        settings = _settings(args, err)
        matcher = build_matcher(settings)
        files = _once(iter_files(args.paths, settings))
    except ConfigError as exc:
        print(f"error: {exc}", file=err)
        return 2
    except terms.TermSetError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=err)
        return 2
    mode = "fix" if args.fix else "diff" if args.diff else "check"
    results = [lint_file(path, syntax, matcher, settings.codes, mode) for path, syntax in files]
    return _report(args, mode, results, out, err)


def _report(args: argparse.Namespace, mode: str, results: Sequence[FileResult], out: TextIO,
            err: TextIO) -> int:
    """Print the findings (or the diff), the errors and the summary; return the exit status."""
    findings = sorted((f for r in results for f in r.findings),
                      key=lambda f: (f.path, f.line, f.column, f.code))
    errors = [(r.path, r.error) for r in results if r.error]
    if mode == "diff":
        out.writelines(r.diff for r in results)
    else:
        report(args.format, findings, errors, out)
    for r in results:
        if r.note:
            print(f"{r.path}: note: {r.note}", file=err)
    for path, message in errors:
        print(f"{path}: error: {message}", file=err)
    if args.format == "text" or mode != "check":
        print(summary(results, findings, mode), file=err)
    if errors:
        return 2
    return 0 if args.exit_zero or not findings else 1


# -- settings ----------------------------------------------------------------------------------


def _settings(args: argparse.Namespace, err: TextIO) -> Settings:
    """The configured settings, with the options applied."""
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
        settings.select = parse_codes(args.select, "--select")
        settings.ignore = frozenset()
    if args.ignore is not None:
        settings.ignore = parse_codes(args.ignore, "--ignore")
    # Paths given on the command line are relative to the current folder.
    settings.terms += [cwd / t for t in args.terms]
    settings.exclude += [_exclude_glob(glob, cwd, settings.root) for glob in args.exclude]
    settings.everyday = _everyday(settings.everyday, args.everyday)
    return settings


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


def iter_files(paths: Sequence[str], settings: Settings) -> Iterator[tuple[str, Syntax]]:
    """The files to check: given files, and rST/MyST files under given folders.

    :raises ConfigError: for a missing path or a file that is neither rST nor MyST.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, settings)
        elif path.exists():  # not only a regular file: lint_file skips the rest, with a note
            syntax = syntax_of(given)
            if syntax is None:
                raise ConfigError(f"{given}: not a reStructuredText or MyST file "
                                  "(.rst, .txt, .md)")
            if not settings.excluded(path):
                yield given, syntax
        else:
            raise ConfigError(f"{given}: no such file or folder")


def _once(files: Iterable[tuple[str, Syntax]]) -> list[tuple[str, Syntax]]:
    """*files* with each file once: the first path that names it, whether the others are
    symlinks to it, hard links, or the same path again (so it is fixed once)."""
    seen: dict[tuple[int, int] | str, str] = {}
    out = []
    for path, syntax in files:
        key = file_key(path)
        if key not in seen:
            seen[key] = path
            out.append((path, syntax))
    return out


def _walk(top: Path, settings: Settings) -> Iterator[tuple[str, Syntax]]:
    """The rST and MyST files under *top*, sorted, skipping hidden and build folders.

    Links to folders are not followed (``os.walk``'s default), so a link to a folder
    above cannot make the walk loop; links to files are checked (through to the target).
    """
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            child = Path(folder, name)
            if name.endswith(_WALK_SUFFIXES) and not settings.excluded(child):
                yield str(child), syntax_of(name) or "rst"


@dataclass
class FileResult:
    """What checking one file gave."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    #: Why the file could not be read, parsed or fixed.
    error: str | None = None
    #: Why the file was skipped (not a regular file, too large): a note, not an error.
    note: str | None = None
    #: ``--diff``: what ``--fix`` would change.
    diff: str = ""
    #: ``--fix``: how many findings were fixed.
    fixed: int = 0


def lint_file(path: str, syntax: Syntax, matcher: Matcher, codes: frozenset[str],
              mode: str = "check") -> FileResult:
    """Check one file; with *mode* ``fix`` also fix it, with ``diff`` only diff it."""
    # fix_text is looked up on the package, where a test may replace it.
    from sphinxcontrib_dlglossary import lint

    result = FileResult(path)
    try:
        raw, text, bom = read_source(path)
    except Skipped as exc:
        result.note = str(exc)
        return result
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
    result.findings = check_text(text, syntax, matcher, path, codes, parsed=parsed)
    if mode == "check" or not any(f.fix for f in result.findings):
        return result
    try:
        new = lint.fix_text(text, syntax, result.findings, parsed)
    except FixError as exc:
        result.error = f"not fixed: {exc}"
        return result
    if mode == "diff":
        result.diff = "".join(difflib.unified_diff(
            text.splitlines(keepends=True), new.splitlines(keepends=True),
            f"a/{path}", f"b/{path}"))
        return result
    try:
        write_source(path, raw, new, bom)
    except (OSError, WriteError) as exc:
        result.error = f"not fixed: {exc}"
        return result
    applied = {(e.start, e.end) for e in plan(result.findings)}
    result.fixed = sum(1 for f in result.findings
                       if f.fix and (f.fix.start, f.fix.end) in applied)
    result.findings = check_text(new, syntax, matcher, path, codes)
    return result


def summary(results: Sequence[FileResult], findings: Sequence[Finding], mode: str) -> str:
    """The closing line: what was found, fixed or would be fixed, in how many files."""
    fixable = sum(1 for f in findings if f.fix)
    parts = []
    if mode == "fix":
        fixed = sum(r.fixed for r in results)
        parts.append(f"fixed {fixed} finding(s) in {sum(1 for r in results if r.fixed)} file(s)")
    if findings:
        extra = f" ({fixable} fixable)" if fixable and mode == "check" else ""
        files = len({f.path for f in findings})
        parts.append(f"{len(findings)} finding(s){extra} in {files} file(s)")
    elif mode != "fix":
        parts.append(f"no findings in {sum(1 for r in results if not r.note)} file(s)")
    if mode == "diff" and fixable:
        parts.append(f"{fixable} would be fixed")
    skipped = sum(1 for r in results if r.note)
    if skipped:
        parts.append(f"skipped {skipped} file(s)")
    line = "; ".join(parts)
    return line[:1].upper() + line[1:] + "."
