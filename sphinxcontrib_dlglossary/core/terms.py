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
from importlib import resources
from pathlib import Path

from sphinxcontrib_dlglossary.core.checks import check_entries
from sphinxcontrib_dlglossary.core.model import FIELDS, TOOLTIP_MAX, Term, TermSet
from sphinxcontrib_dlglossary.core.naming import normalize, plural, plurals
from sphinxcontrib_dlglossary.core.rolesyntax import parse_role_body
from sphinxcontrib_dlglossary.core.termfiles import (
    Entry,
    Problem,
    TermSetError,
    read_entries,
    schema,
)

__all__ = [
    "FIELDS",
    "TOOLTIP_MAX",
    "Problem",
    "Term",
    "TermSet",
    "TermSetError",
    "canonical_file",
    "load",
    "load_canonical",
    "load_with_problems",
    "normalize",
    "parse_role_body",
    "plural",
    "plurals",
    "schema",
]


def canonical_file() -> Path:
    """Where the shipped term set is (inside the installed package, or the checkout)."""
    return Path(str(resources.files("sphinxcontrib_dlglossary.data").joinpath("terms.yaml")))


def load_with_problems(
    paths: Sequence[str | Path] = (),
    *,
    canonical: bool = True,
    exclude: Iterable[str] = (),
    root: str | Path | None = None,
) -> tuple[TermSet, list[Problem]]:
    """Load what can be loaded, and say what could not.

    The set leaves out entries that break the schema and repeated keys; it keeps entries
    with other problems (raw HTML is shown as text anyway, an unknown related key is
    skipped, and where two entries claim one form the first gets it). A build uses this,
    so one bad entry loses nothing else.
    """
    files: list[tuple[Path, str]] = []
    if canonical:
        files.append((canonical_file(), str(canonical_file())))
    for p in paths:
        path = Path(root, p) if root is not None else Path(p)
        files.append((path, str(p)))
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path, display in files:
        found, bad = read_entries(path, display)
        entries += found
        problems += bad
    found_terms, bad = check_entries(entries, exclude)
    order = {display: index for index, (_, display) in enumerate(files)}
    unique = list(dict.fromkeys(problems + bad))
    unique.sort(key=lambda p: (order.get(p.file, len(order)), p.line or 0))
    return TermSet(found_terms), unique


def load(
    paths: Sequence[str | Path] = (),
    *,
    canonical: bool = True,
    exclude: Iterable[str] = (),
    root: str | Path | None = None,
) -> TermSet:
    """Load the canonical set (unless *canonical* is false) and then each file in *paths*.

    :param exclude: canonical keys to leave out.
    :param root: relative *paths* are read from here, and named relative to it in messages.
    :raises TermSetError: with every problem found, in file order.
    """
    termset, problems = load_with_problems(paths, canonical=canonical, exclude=exclude,
                                           root=root)
    if problems:
        raise TermSetError(problems)
    return termset


@functools.cache
def load_canonical() -> TermSet:
    """The shipped term set (read once per process)."""
    return load()
