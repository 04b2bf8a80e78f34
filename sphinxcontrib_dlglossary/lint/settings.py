"""What to check: :class:`Settings`, read from ``[tool.dlglossary.lint]`` in pyproject.toml.

The keys are described in :mod:`.rules`; the command line extends or replaces them
(:mod:`.command`). :func:`build_matcher` turns the settings into the term set's matcher.
"""

from __future__ import annotations

import fnmatch
import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.matcher import Matcher
from sphinxcontrib_dlglossary.lint.findings import CODES

__all__ = ["ConfigError", "Settings", "build_matcher", "find_config", "load_settings",
           "parse_codes"]

#: The keys of ``[tool.dlglossary.lint]``.
KEYS = ("select", "ignore", "terms", "canonical", "exclude", "everyday")


class ConfigError(Exception):
    """The settings (pyproject.toml or options) are not usable."""


@dataclass
class Settings:
    """What to check and how; see :mod:`.rules` for the pyproject.toml keys."""

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


def load_settings(config: Path | None, err: TextIO = sys.stderr) -> Settings:
    """Settings from ``[tool.dlglossary.lint]`` of *config* (defaults when None).

    :raises ConfigError: when the file cannot be read or a setting is wrong.
    """
    if config is None:
        return Settings()
    settings = Settings(root=config.parent)
    table = _read_table(config, err)
    if table is not None:
        _apply_table(settings, table, f"{config}: [tool.dlglossary.lint]")
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
            term = termset.resolve(name)
            if term is None:
                raise ConfigError(f"everyday: unknown term {name!r}")
            keys.add(term.key)
        everyday = frozenset(keys)
    return Matcher(termset, include_everyday=everyday)


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


def _apply_table(settings: Settings, table: Any, where: str) -> None:
    """Set *settings* from the table; *where* names it in messages."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: "
                          f"{', '.join(KEYS)})")
    if "select" in table:
        settings.select = parse_codes(table["select"], f"{where} select")
    if "ignore" in table:
        settings.ignore = parse_codes(table["ignore"], f"{where} ignore")
    settings.terms = [Path(p) for p in _strings(table, "terms", where)]
    settings.exclude = _strings(table, "exclude", where)
    canonical = table.get("canonical", True)
    if not isinstance(canonical, bool):
        raise ConfigError(f"{where} canonical: expected true or false")
    settings.canonical = canonical
    settings.everyday = _everyday(table.get("everyday", []), where)


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

