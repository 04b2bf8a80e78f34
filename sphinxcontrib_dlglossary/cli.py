"""The ``dlglossary`` command: read, check and export the term set from the shell.

Run as ``dlglossary`` or ``python -m sphinxcontrib_dlglossary``. Exit status: 0 when all is
well, 1 when a term is unknown or a term file has problems, 2 for a usage error. This module
is argparse and dispatch only: the work is the core's (:mod:`.core`) and the linter's
(:mod:`.lint`); nothing here imports Sphinx, so it starts fast. Whatever a term file holds
is printed through :func:`.naming.printable`, so no escape sequence reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sphinxcontrib_dlglossary import __version__
from sphinxcontrib_dlglossary.core import terms, translations
from sphinxcontrib_dlglossary.core.naming import printable
from sphinxcontrib_dlglossary.core.plaintext import plain_text

__all__ = ["main"]

_DESCRIPTION = """\
Read, check and export the canonical deep-learning term set of sphinxcontrib-dlglossary,
and a project's own term files.
"""
_EPILOG = """\
For more information, see the documentation of sphinxcontrib-dlglossary.
Exit status: 0 on success, 1 when a term is unknown or a term file has problems,
2 for a command-line usage error.
"""


def _load(args: argparse.Namespace, out: TextIO) -> terms.TermSet | None:
    """The term set the command works on, or None after printing its problems."""
    files = getattr(args, "files", None) or []
    size = getattr(args, "max_file_size", terms.MAX_FILE_SIZE)
    try:
        return terms.load(files, canonical=not getattr(args, "standalone", False),
                          max_file_size=size, strict=getattr(args, "strict", False))
    except terms.TermSetError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=out)
        count = len(exc.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=out)
        return None


def _cmd_list(args: argparse.Namespace) -> int:
    termset = _load(args, sys.stderr)
    if termset is None:
        return 1
    width = max((len(t.key) for t in termset), default=3)
    for term in termset:
        aliases = ", ".join(term.aliases)
        line = f"{term.key:<{width}}  {term.title}"
        print(printable(f"{line}  ({aliases})" if aliases else line))
    print(f"{len(termset)} terms", file=sys.stderr)
    return 0


def _cmd_show(args: argparse.Namespace) -> int:
    termset = _load(args, sys.stderr)
    if termset is None:
        return 1
    status = 0
    for name in args.term:
        term = termset.lookup(name)
        if term is None:
            print(f"error: unknown term {name!r}{termset.hint(name)}", file=sys.stderr)
            status = 1
        elif args.format == "json":
            print(json.dumps(term.to_dict(), ensure_ascii=False, indent=2))
        else:
            _print_term(term)
    return status


def _print_term(term: terms.Term) -> None:
    print(printable(f"{term.title}  [{term.key}]"))
    for label, values in (("aliases", term.aliases), ("variants", term.variants),
                          ("avoid", term.avoid), ("related", term.related),
                          ("tags", term.tags)):
        if values:
            print(printable(f"  {label}: {', '.join(values)}"))
    if term.summary:
        print(f"\n  summary: {printable(plain_text(term.summary))}")
    print()
    for line in plain_text(term.definition).splitlines():
        print(printable(f"  {line}".rstrip()))
    print()


def _cmd_validate(args: argparse.Namespace) -> int:
    if args.standalone and not args.files:
        print("usage: dlglossary validate [-h] [--standalone] [--max-file-size BYTES] "
              "[--strict] [FILE ...]\n"
              "dlglossary validate: error: --standalone needs at least one FILE",
              file=sys.stderr)
        return 2
    termset = _load(args, sys.stdout)
    if termset is None:
        return 1
    what = ", ".join(args.files) if args.files else str(terms.canonical_file())
    version = f", term set {termset.version}" if termset.version else ""
    print(printable(f"{what}: OK ({len(termset)} terms{version})"))
    # The translations named, or without FILE, the shipped ones.
    named = args.translations or ([] if args.files else
                                  [str(p) for _, p in sorted(translations.shipped().items())])
    status = 0
    for path in named:
        status |= _validate_translation(Path(path), path, termset, args.max_file_size)
    return status


def _validate_translation(path: Path, display: str, termset: terms.TermSet,
                          max_size: int) -> int:
    """Check one translation file against *termset*; print its problems, or OK."""
    found, problems = translations.read(path, display, max_size)
    if found is not None:
        problems = [*problems, *translations.check(found, termset)]
    if problems:
        for problem in sorted(problems, key=lambda p: p.line or 0):
            print(f"error: {problem}")
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} found")
        return 1
    assert found is not None
    done = len(found.by_key)
    made = f", made from term set {found.translates}" if found.translates else ""
    print(printable(f"{display}: OK ({found.language}: {done} of {len(termset)} terms "
                    f"translated{made})"))
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    termset = _load(args, sys.stderr)
    if termset is None:
        return 1
    if args.format == "mystmd":
        return _export_mystmd(args, termset)
    data = termset.to_dict()
    if args.format == "json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        import yaml

        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _export_mystmd(args: argparse.Namespace, termset: terms.TermSet) -> int:
    """``--format mystmd``: the plugin file in the folder ``--output`` names."""
    from sphinxcontrib_dlglossary import mystmd

    if not args.output:
        print("dlglossary export: error: --format mystmd writes a folder: give it with "
              "--output DIR", file=sys.stderr)
        return 2
    outdir = Path(args.output)
    if outdir.exists() and not outdir.is_dir():
        print(printable(f"dlglossary export: error: {outdir} is a file; --format mystmd "
                        "writes dlglossary.mjs into a folder"), file=sys.stderr)
        return 2
    try:
        path = mystmd.write_plugin(termset, outdir)
    except OSError as exc:
        print(printable(f"dlglossary export: error: cannot write {outdir}: {exc.strerror}"),
              file=sys.stderr)
        return 1
    print(printable(f"wrote {path} ({len(termset)} terms); in myst.yml, under project:, "
                    f"add  plugins: [{path.name}]  (a path relative to myst.yml)"),
          file=sys.stderr)
    return 0


def _size(text: str) -> int:
    """A size in bytes, as ``--max-file-size`` takes it: a positive whole number."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes, not {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="dlglossary", description=_DESCRIPTION, epilog=_EPILOG, formatter_class=formatter,
        usage="%(prog)s [OPTIONS] COMMAND [ARGS...]",
    )
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {__version__} (term set {terms.content_version()})")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                prog="dlglossary")

    def size_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--max-file-size", type=_size, default=terms.MAX_FILE_SIZE,
                       metavar="BYTES", help="refuse a FILE larger than this "
                       f"(default: {terms.MAX_FILE_SIZE}, 10 MB)")

    def files_args(p: argparse.ArgumentParser, help_files: str) -> None:
        p.add_argument("files", nargs="*", metavar="FILE", help=help_files)
        p.add_argument("--standalone", action="store_true",
                       help="read FILEs on their own, without the canonical set")
        size_arg(p)

    project = "project term files layered over the canonical set (as in a Sphinx build)"
    p = sub.add_parser("list", help="list every term: key, title, aliases",
                       description="List every term: its key, title and aliases.",
                       formatter_class=formatter)
    files_args(p, project)
    p.set_defaults(func=_cmd_list)

    p = sub.add_parser(
        "show", help="show one term, found by key, title, alias or plural",
        description="Show terms, each found by key, title, alias or plural, in any case.",
        formatter_class=formatter, usage="%(prog)s [OPTIONS] TERM [TERM...]")
    p.add_argument("term", nargs="+", metavar="TERM", help="a name of the term, e.g. 'kernels'")
    p.add_argument("--file", dest="files", action="append", metavar="FILE", default=[],
                   help=project + " (repeatable)")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="output format (default: text)")
    size_arg(p)
    p.set_defaults(func=_cmd_show)

    p = sub.add_parser(
        "validate", help="check the shipped set, or project term files",
        description="Check term files against the schema and the lookup rules; print one "
                    "located message per problem.\nWithout FILE, checks the shipped set.",
        formatter_class=formatter)
    files_args(p, project)
    p.add_argument("--strict", action="store_true",
                   help="hold FILEs to the canonical set's editorial rules too: a summary of "
                        "one sentence (at most 160 characters, one sense) and tags from "
                        "the vocabulary")
    p.add_argument("--translation", dest="translations", action="append", default=[],
                   metavar="FILE", help="a translation of the term set to check against it "
                   "(repeatable; without FILE and --translation, the shipped translations "
                   "are checked)")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("export", help="write the whole set as JSON, YAML or a mystmd plugin",
                       description="Write the whole term set (with FILEs layered over it) "
                                   "as JSON or YAML, in a stable field order, or as a "
                                   "mystmd (Jupyter Book 2) plugin: --format mystmd "
                                   "--output DIR writes DIR/dlglossary.mjs.",
                       formatter_class=formatter)
    files_args(p, project)
    p.add_argument("--format", choices=("json", "yaml", "mystmd"), default="json",
                   help="output format (default: json); mystmd: a plugin for Jupyter Book 2")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="write to PATH instead of stdout (with --format mystmd: the folder "
                        "that gets dlglossary.mjs)")
    p.set_defaults(func=_cmd_export)

    from sphinxcontrib_dlglossary import lint

    lint.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # e.g. `dlglossary list | head`
        return 0
