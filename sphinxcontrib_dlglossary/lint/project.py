"""The Sphinx project lint checks: its ``conf.py``, read as ``sphinx-build`` reads it.

Lint applies every ``dlglossary_*`` value the build would (term files relative to the
folder of ``conf.py``, excluded terms, auto-link settings), and picks the pages the build
reads: files with a source suffix (``source_suffix``, plus ``.md`` for myst-parser and
``.md``/``.ipynb`` for myst-nb), within ``include_patterns`` and not in
``exclude_patterns``. MyST extensions come from ``myst_enable_extensions``.

Reading ``conf.py`` runs it, as ``sphinx-build`` does: in its folder, with ``__file__``
and ``tags`` set. ``--no-conf`` skips it. An error in it is reported with its type,
message and line, never as a traceback. A value that fails its check is the default, as
in the build, with a note.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sphinxcontrib_dlglossary.core.options import OPTIONS, checked
from sphinxcontrib_dlglossary.lint.settings import ConfigError

__all__ = ["Project", "find_conf", "read_conf"]

#: Where ``conf.py`` usually sits below a repository's top folder (sphinx-quickstart).
_USUAL_FOLDERS = ("docs", "doc", "docs/source", "doc/source")


class _Tags:
    """What ``conf.py`` may use of Sphinx's ``tags`` (no tag is set, as for a plain build)."""

    def __init__(self) -> None:
        self._tags: set[str] = set()

    def has(self, tag: str) -> bool:
        return tag in self._tags

    __contains__ = has

    def add(self, tag: str) -> None:
        self._tags.add(tag)

    def remove(self, tag: str) -> None:
        self._tags.discard(tag)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._tags))

    def eval_condition(self, condition: str) -> bool:
        return False


@dataclass
class Project:
    """What lint takes from a project's ``conf.py``."""

    conf: Path
    #: The values of ``conf.py``'s ``dlglossary_*`` settings (checked; defaults filled in).
    values: dict[str, Any] = field(default_factory=dict)
    #: Source suffixes of pages, each with its syntax: ``rst``, ``myst`` or ``notebook``.
    suffixes: dict[str, str] = field(default_factory=dict)
    include_patterns: list[str] = field(default_factory=lambda: ["**"])
    exclude_patterns: list[str] = field(default_factory=list)
    #: ``myst_enable_extensions``, or None where myst-parser is not used.
    myst_extensions: frozenset[str] | None = None
    #: Sphinx's ``language`` (None: not set).
    language: str | None = None

    @property
    def srcdir(self) -> Path:
        return self.conf.parent

    def is_page(self, path: Path) -> bool:
        """Whether the build reads *path* as a page (by suffix and the patterns)."""
        if self.syntax_of(path) is None:
            return False
        try:
            rel = path.resolve().relative_to(self.srcdir.resolve()).as_posix()
        except ValueError:
            return True  # outside the project: named on the command line
        # A pattern that matches a folder excludes what is in it, as Sphinx prunes it.
        parts = rel.split("/")
        folders = ["/".join(parts[:i]) for i in range(1, len(parts))]
        return (any(_matches(rel, p) for p in self.include_patterns)
                and not any(_matches(c, p) for p in self.exclude_patterns
                            for c in (rel, *folders)))

    def syntax_of(self, path: Path) -> str | None:
        """``rst``, ``myst`` or ``notebook``, by the longest matching source suffix."""
        name = path.name.lower()
        for suffix in sorted(self.suffixes, key=len, reverse=True):
            if name.endswith(suffix.lower()):
                return self.suffixes[suffix]
        return None


def find_conf(start: Path) -> Path | None:
    """The ``conf.py`` of the project *start* is in: in *start* or a folder above, else
    in a usual docs folder below *start*."""
    start = start.resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "conf.py").is_file():
            return candidate / "conf.py"
    for below in _USUAL_FOLDERS:
        if (folder / below / "conf.py").is_file():
            return folder / below / "conf.py"
    return None


def read_conf(conf: Path, err: TextIO = sys.stderr) -> Project:
    """Run *conf* as Sphinx does and take what lint needs from it.

    :raises ConfigError: when it cannot be read or raises an error.
    """
    namespace = _run(conf)
    project = Project(conf)
    for option in OPTIONS:
        value = namespace.get(option.name, option.default)
        project.values[option.name], ok = checked(option, value)
        if not ok:
            print(f"{conf}: note: {option.name} = {value!r} is not valid (expected "
                  f"{option.expected}); using the default {option.default!r}, as the "
                  "build does", file=err)
    language = namespace.get("language")
    project.language = language if isinstance(language, str) else None
    extensions = [e for e in namespace.get("extensions", []) if isinstance(e, str)]
    project.suffixes = _suffixes(namespace.get("source_suffix"), extensions)
    project.include_patterns = _patterns(namespace.get("include_patterns", ["**"]))
    project.exclude_patterns = _patterns(namespace.get("exclude_patterns", []))
    if any(e in ("myst_parser", "myst_nb") for e in extensions):
        given = namespace.get("myst_enable_extensions", ())
        project.myst_extensions = frozenset(str(e) for e in given
                                            if isinstance(given, (list, tuple, set)))
    return project


def _run(conf: Path) -> dict[str, Any]:
    """The namespace *conf* leaves, run in its folder with ``__file__`` and ``tags``."""
    try:
        code = compile(conf.read_bytes(), str(conf), "exec")
    except OSError as exc:
        raise ConfigError(f"{conf}: cannot read: {exc.strerror or exc}") from exc
    except SyntaxError as exc:
        raise ConfigError(f"{conf}:{exc.lineno}: syntax error: {exc.msg}") from exc
    namespace: dict[str, Any] = {"__file__": str(conf), "tags": _Tags()}
    saved_argv, saved_cwd = sys.argv[:], os.getcwd()
    try:
        os.chdir(conf.parent)
        exec(code, namespace)  # conf.py is run, as sphinx-build runs it
    except SystemExit as exc:
        raise ConfigError(f"{conf}: conf.py called sys.exit({exc.code!r})") from exc
    except Exception as exc:  # the user's code: say where, not a traceback
        line = _line_in(conf, exc)
        raise ConfigError(f"{conf}{line}: running conf.py raised "
                          f"{type(exc).__name__}: {exc} (use --no-conf to lint without "
                          "it)") from exc
    finally:
        sys.argv[:] = saved_argv
        os.chdir(saved_cwd)
    return namespace


def _line_in(conf: Path, exc: BaseException) -> str:
    """``:LINE`` of the last frame of *exc* in *conf*, or ``""``."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__)
             if f.filename == str(conf)]
    return f":{lines[-1]}" if lines and lines[-1] else ""


def _suffixes(given: Any, extensions: Iterable[str]) -> dict[str, str]:
    """Source suffixes and their syntax, as Sphinx and the parser extensions set them."""
    out: dict[str, str] = {}
    if isinstance(given, str):
        out[given] = "rst"
    elif isinstance(given, (list, tuple)):
        out.update((s, "rst") for s in given if isinstance(s, str))
    elif isinstance(given, dict):
        for suffix, kind in given.items():
            if isinstance(suffix, str):
                out[suffix] = _syntax_of_filetype(str(kind), suffix)
    else:
        out[".rst"] = "rst"
    extensions = set(extensions)
    if extensions & {"myst_parser", "myst_nb"}:
        for suffix in list(out):
            if suffix.lower() in (".md", ".markdown"):
                out[suffix] = "myst"
        out.setdefault(".md", "myst")
    if "myst_nb" in extensions:
        out.setdefault(".ipynb", "notebook")
    return out


def _syntax_of_filetype(kind: str, suffix: str) -> str:
    if suffix.lower() == ".ipynb" or kind in ("jupyter_notebook", "ipynb"):
        return "notebook"
    if kind in ("markdown", "myst-nb", "myst_nb", "mystnb"):
        return "myst"
    return "rst"


def _patterns(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [p for p in value if isinstance(p, str)]
    return []


def _matches(path: str, pattern: str) -> bool:
    """Whether the relative *path* matches a Sphinx pattern (``**`` any folders, ``*`` and
    ``?`` within one name, ``[...]`` a class)."""
    return _compile(pattern).match(path) is not None


_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    if pattern not in _CACHE:
        out, i = [], 0
        while i < len(pattern):
            c = pattern[i]
            if pattern.startswith("**", i):
                out.append(".*")
                i += 2
                continue
            if c == "*":
                out.append("[^/]*")
            elif c == "?":
                out.append("[^/]")
            elif c == "[" and (j := pattern.find("]", i + 1)) > i + 1:
                body = pattern[i + 1:j]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
                i = j + 1
                continue
            else:
                out.append(re.escape(c))
            i += 1
        _CACHE[pattern] = re.compile("".join(out) + r"\Z")
    return _CACHE[pattern]
