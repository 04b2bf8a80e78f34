"""The term set's front door: load the canonical set and a project's term files.

:func:`load` reads the shipped set (``data/terms.yaml``) and then each project file,
each checked against the schema (:mod:`.termfiles`) and the rules across entries
(:mod:`.checks`). Everything a caller needs from the core is importable here, so
``from sphinxcontrib_dlglossary.core import terms`` is the one import most code needs.
This layer imports neither Sphinx nor docutils.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from sphinxcontrib_dlglossary.core.checks import check_entries
from sphinxcontrib_dlglossary.core.datafiles import data_dir
from sphinxcontrib_dlglossary.core.model import FIELDS, TOOLTIP_MAX, Term, TermSet
from sphinxcontrib_dlglossary.core.naming import normalize, plural, plurals
from sphinxcontrib_dlglossary.core.rolesyntax import parse_role_body
from sphinxcontrib_dlglossary.core.termfiles import (
    MAX_FILE_SIZE,
    Entry,
    Problem,
    TermSetError,
    read_entries,
    schema,
)

__all__ = [
    "FIELDS",
    "MAX_FILE_SIZE",
    "TOOLTIP_MAX",
    "Problem",
    "Term",
    "TermSet",
    "TermSetError",
    "canonical_file",
    "content_version",
    "load",
    "load_canonical",
    "load_with_problems",
    "normalize",
    "parse_role_body",
    "plural",
    "plurals",
    "schema",
    "tag_vocabulary",
]


def canonical_file() -> Path:
    """Where the shipped term set is (inside the installed package, or the checkout)."""
    return Path(str(data_dir().joinpath("terms.yaml")))


@functools.cache
def _package_yaml(name: str) -> Any:
    """A YAML file of the package's own data (trusted, read once)."""
    text = data_dir().joinpath(name).read_text(
        encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def content_version() -> str:
    """The content version of the shipped term set (``content_version`` in its file)."""
    return str(_package_yaml("terms.yaml").get("content_version", ""))


def tag_vocabulary() -> dict[str, str]:
    """The canonical tags, each with what it covers (``data/tags.yaml``), in order."""
    return {str(k): str(v) for k, v in _package_yaml("tags.yaml").items()}


def load_with_problems(
    paths: Sequence[str | Path] = (),
    *,
    canonical: bool = True,
    exclude: Iterable[str] = (),
    root: str | Path | None = None,
    max_file_size: int = MAX_FILE_SIZE,
    strict: bool = False,
) -> tuple[TermSet, list[Problem]]:
    """Load what can be loaded, and say what could not.

    The set leaves out entries that break the schema or hold unsafe characters, and
    repeated keys; it keeps entries with other problems (raw HTML is shown as text anyway,
    an unknown related key is skipped, and where two entries claim one form the first gets
    it). A build uses this, so one bad entry loses nothing else.

    :param max_file_size: the largest file of *paths* read, in bytes; the shipped set is
        package data and always read (within :data:`MAX_FILE_SIZE`).
    :param strict: hold the entries of *paths* to the canonical set's editorial rules
        (summary, tags from the vocabulary), as the shipped set always is.
    """
    #: (path, name in messages, size limit) of each file, in order.
    files: list[tuple[Path, str, int]] = []
    if canonical:
        files.append((canonical_file(), str(canonical_file()), MAX_FILE_SIZE))
    for p in paths:
        path = Path(root, p) if root is not None else Path(p)
        files.append((path, str(p), max_file_size))
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path, display, limit in files:
        found, bad = read_entries(path, display, limit)
        entries += found
        problems += bad
    shipped = str(canonical_file())
    found_terms, bad = check_entries(
        entries, exclude, editorial=lambda entry: strict or entry.file == shipped,
        vocabulary=tag_vocabulary())
    order = {display: index for index, (_, display, _) in enumerate(files)}
    unique = list(dict.fromkeys(problems + bad))
    unique.sort(key=lambda p: (order.get(p.file, len(order)), p.line or 0))
    # The shipped set's version; read on its own (a standalone export), a file's own.
    version = next((e.version for e in entries
                    if e.version and (e.file == shipped or not canonical)), "")
    if canonical and not version:  # pragma: no cover - the shipped file has its version
        version = content_version()
    return TermSet(found_terms, version), unique


def load(
    paths: Sequence[str | Path] = (),
    *,
    canonical: bool = True,
    exclude: Iterable[str] = (),
    root: str | Path | None = None,
    max_file_size: int = MAX_FILE_SIZE,
    strict: bool = False,
) -> TermSet:
    """Load the canonical set (unless *canonical* is false) and then each file in *paths*.

    :param exclude: canonical keys to leave out.
    :param root: relative *paths* are read from here, and named relative to it in messages.
    :param max_file_size: the largest file of *paths* read, in bytes (a larger one is a
        problem).
    :param strict: hold *paths* to the shipped set's editorial rules too.
    :raises TermSetError: with every problem found, in file order.
    """
    termset, problems = load_with_problems(paths, canonical=canonical, exclude=exclude,
                                           root=root, max_file_size=max_file_size,
                                           strict=strict)
    if problems:
        raise TermSetError(problems)
    return termset


@functools.cache
def load_canonical() -> TermSet:
    """The shipped term set (read once per process)."""
    return load()
