"""What to check: :class:`Settings`, from the project's ``conf.py`` and pyproject.toml.

The build's own settings come from ``conf.py`` (:mod:`.project`, :meth:`Settings.apply_conf`);
``[tool.dlglossary.lint]`` in pyproject.toml holds the lint-only ones, and the command
line extends or replaces both (:mod:`.command`). The keys are described in :mod:`.rules`.
:func:`build_matcher` turns the settings into the term set's matcher.
"""

from __future__ import annotations

import fnmatch
import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sphinxcontrib_dlglossary.core import terms, translations
from sphinxcontrib_dlglossary.core.matcher import Matcher
from sphinxcontrib_dlglossary.core.terms import MAX_FILE_SIZE as _MAX_FILE_SIZE
from sphinxcontrib_dlglossary.lint.findings import CODES

if TYPE_CHECKING:
    from sphinxcontrib_dlglossary.lint.project import Project

__all__ = ["ConfigError", "Settings", "build_matcher", "find_config", "load_settings",
           "parse_codes"]

#: The keys of ``[tool.dlglossary.lint]``.
KEYS = ("select", "ignore", "term-files", "canonical", "exclude-paths", "everyday")
#: Keys renamed so that none can be read two ways (``exclude`` named path globs here
#: and term keys in ``conf.py``): the old name still works, with a note.
RENAMED = {"terms": "term-files", "exclude": "exclude-paths"}


class ConfigError(Exception):
    """The settings (pyproject.toml or options) are not usable."""


@dataclass
class Settings:
    """What to check and how; see :mod:`.rules` for the pyproject.toml keys."""

    select: frozenset[str] = frozenset(CODES)
    ignore: frozenset[str] = frozenset()
    #: Project term files, in order: ``conf.py``'s, pyproject.toml's, the command line's.
    terms: list[Path] = field(default_factory=list)
    canonical: bool = True
    #: Path globs of files not to check.
    exclude: list[str] = field(default_factory=list)
    everyday: frozenset[str] | bool = frozenset()
    #: Where relative paths in the settings start (the pyproject.toml's folder).
    root: Path = field(default_factory=Path.cwd)
    #: The project's ``conf.py``, read (None: no conf.py, or ``--no-conf``).
    project: Project | None = None
    #: ``dlglossary_exclude``: canonical terms the project leaves out.
    exclude_terms: frozenset[str] = frozenset()
    #: ``dlglossary_max_file_size``.
    max_file_size: int = _MAX_FILE_SIZE
    #: The translation of the term set the build shows (``dlglossary_translation`` and
    #: ``language``): (path, name in messages), or None for English.
    translation: tuple[str, str] | None = None
    #: ``dlglossary_autolink_exclude``: terms auto-linking never links (no DLG003).
    autolink_exclude: frozenset[str] = frozenset()
    #: ``dlglossary_autolink_scope``: where a first mention restarts, page or section.
    scope: str = "page"

    def apply_conf(self, project: Project) -> None:
        """Take the build's settings from *project* (before pyproject.toml's are added)."""
        values = project.values
        self.project = project
        self.terms = [project.srcdir / p for p in values["dlglossary_term_files"]] + \
            self.terms
        self.exclude_terms = frozenset(values["dlglossary_exclude"])
        self.max_file_size = values["dlglossary_max_file_size"]
        self.translation, _ = translations.chosen(values["dlglossary_translation"],
                                                  project.language, project.srcdir)
        self.autolink_exclude = frozenset(values["dlglossary_autolink_exclude"])
        self.scope = values["dlglossary_autolink_scope"]
        everyday = frozenset(values["dlglossary_autolink_everyday"])
        if everyday:
            self.everyday = True if self.everyday is True else \
                frozenset(self.everyday or ()) | everyday

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


def parse_codes(value: Any, where: str) -> frozenset[str]:
    """The codes a setting or option names (a list, or a comma-separated string; ``ALL``
    is every code).

    :raises ConfigError: for an unknown code or a value that is no list of codes.
    """
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


def find_config(start: Path) -> Path | None:
    """The nearest ``pyproject.toml`` at or above *start*."""
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_settings(config: Path | None, err: TextIO = sys.stderr,
                  base: Settings | None = None) -> Settings:
    """Settings from ``[tool.dlglossary.lint]`` of *config* (none when None), added to
    *base* (the defaults, or what ``conf.py`` gave).

    :raises ConfigError: when the file cannot be read or a setting is wrong.
    """
    settings = base or Settings()
    if config is None:
        return settings
    settings.root = config.parent
    table = _read_table(config, err)
    if table is not None:
        _apply_table(settings, table, f"{config}: [tool.dlglossary.lint]", err)
    return settings


def build_matcher(settings: Settings) -> Matcher:
    """The term set of *settings*, as a matcher.

    :raises terms.TermSetError: when a term file has problems.
    :raises ConfigError: when ``everyday`` names an unknown term.
    """
    termset = terms.load([relative(settings.root / p) for p in settings.terms],
                         canonical=settings.canonical, exclude=settings.exclude_terms,
                         max_file_size=settings.max_file_size)
    if settings.translation is not None:  # its names resolve, as in the build
        termset, problems = translations.translate(termset, *settings.translation,
                                                   settings.max_file_size)
        if problems:
            raise terms.TermSetError(problems)
    everyday: frozenset[str] | bool = settings.everyday
    if not isinstance(everyday, bool):
        keys = set()
        for name in everyday:
            term = termset.resolve(name)
            if term is None:
                raise ConfigError(f"everyday: unknown term {name!r}")
            keys.add(term.key)
        everyday = frozenset(keys)
    return Matcher(termset, include_everyday=everyday)


def relative(path: Path) -> str:
    """*path* as messages show it: relative to the current folder when under it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _toml_module() -> Any:
    """tomllib (Python 3.11+), else tomli if installed, else None."""
    for name in ("tomllib", "tomli"):
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError:
            continue
    return None


def _read_table(config: Path, err: TextIO) -> Any:
    """The ``[tool.dlglossary.lint]`` table of *config* (empty if there is none), or None
    when there is no TOML reader (said on *err* if the file mentions dlglossary)."""
    try:
        raw = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{config}: cannot read: {exc}") from exc
    # The reader is looked up on the package, where a test may replace it.
    from sphinxcontrib_dlglossary import lint

    tomllib = lint._toml_module()
    if tomllib is None:
        if "dlglossary" in raw:
            print(f"{config}: settings ignored: reading TOML on Python 3.10 needs the "
                  "'tomli' package", file=err)
        return None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config}: invalid TOML: {exc}") from exc
    return data.get("tool", {}).get("dlglossary", {}).get("lint", {})


def _apply_table(settings: Settings, table: Any, where: str, err: TextIO) -> None:
    """Set *settings* from the table; *where* names it in messages."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    for old, new in RENAMED.items():
        if old in table:
            if new in table:
                raise ConfigError(f"{where}: {old!r} and {new!r} both given; {old!r} is "
                                  f"the old name of {new!r}, keep one")
            print(f"{where}: note: {old!r} is now called {new!r}", file=err)
            table = {**table, new: table[old]}
            del table[old]
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: "
                          f"{', '.join(KEYS)})")
    if "select" in table:
        settings.select = parse_codes(table["select"], f"{where} select")
    if "ignore" in table:
        settings.ignore = parse_codes(table["ignore"], f"{where} ignore")
    settings.terms += [settings.root / p for p in _strings(table, "term-files", where)]
    settings.exclude = _strings(table, "exclude-paths", where)
    canonical = table.get("canonical", True)
    if not isinstance(canonical, bool):
        raise ConfigError(f"{where} canonical: expected true or false")
    settings.canonical = canonical
    everyday = _everyday(table.get("everyday", []), where)
    if everyday is True or settings.everyday is True:
        settings.everyday = True
    else:
        settings.everyday = frozenset(settings.everyday or ()) | frozenset(everyday or ())


def _strings(table: dict[str, Any], name: str, where: str) -> list[str]:
    value = table.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} {name}: expected a list of strings")
    return list(value)


def _everyday(value: Any, where: str) -> frozenset[str] | bool:
    if isinstance(value, bool):
        return value or frozenset()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return frozenset(value)
    raise ConfigError(f"{where} everyday: expected a list of term keys, or true")

