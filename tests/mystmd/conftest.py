"""What the mystmd tests need: Node.js, mystmd, and the plugin written by the export.

Node comes from the system (Debian's ``nodejs``); mystmd from the npm registry, which
``.ci/run`` installs into ``.mystmd/`` at the repository's root
(``npm install --prefix .mystmd mystmd``). Another install is found through the
``DLGLOSSARY_MYST`` environment variable (the path of a ``myst`` executable) or ``PATH``.
Without them these tests are *skipped* locally and *fail* under ``CI=true``, as the
browser tests do.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mystmd_book import Book

from sphinxcontrib_dlglossary import mystmd
from sphinxcontrib_dlglossary.core import terms

REPO = Path(__file__).resolve().parents[2]
BOOK = Path(__file__).parent / "book"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"mystmd tests cannot run under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def node() -> str:
    """The ``node`` executable."""
    found = shutil.which("node")
    if found is None:
        _unavailable("no `node` on PATH (apt-get install nodejs)")
    assert found is not None
    return found


@pytest.fixture(scope="session")
def myst(node: str) -> str:
    """The ``myst`` executable of mystmd."""
    candidates = [os.environ.get("DLGLOSSARY_MYST", ""),
                  str(REPO / ".mystmd" / "node_modules" / ".bin" / "myst"),
                  shutil.which("myst") or ""]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    _unavailable("mystmd is not installed (npm install --prefix .mystmd mystmd)")
    raise AssertionError  # pragma: no cover


@pytest.fixture(scope="session")
def plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``dlglossary.mjs`` for the canonical term set."""
    return mystmd.write_plugin(terms.load_canonical(), tmp_path_factory.mktemp("plugin"))


@pytest.fixture(scope="session")
def build_book(myst: str, tmp_path_factory: pytest.TempPathFactory,
               ) -> Callable[..., Book]:
    """``build_book(name, files={...}, export_args=[...], tamper=f, build_args=[...])``:
    the book in ``tests/mystmd/book`` (with *files* added or replaced), its plugin
    exported by the command line (its data then changed by *tamper*), built with
    ``myst build --site`` (and *build_args*) against a local stub template (no network)."""
    cache: dict[str, Book] = {}

    def _build(name: str, files: dict[str, str] | None = None,
               export_args: tuple[str, ...] = (),
               tamper: Callable[[dict[str, Any]], None] | None = None,
               build_args: tuple[str, ...] = ()) -> Book:
        if name in cache:
            return cache[name]
        root = tmp_path_factory.mktemp(f"book-{name}")
        shutil.copytree(BOOK, root, dirs_exist_ok=True)
        for relpath, content in (files or {}).items():
            (root / relpath).parent.mkdir(parents=True, exist_ok=True)
            (root / relpath).write_text(content, encoding="utf-8")
        from sphinxcontrib_dlglossary.cli import main

        # As a user runs it, in the book's folder (term files are relative to it).
        cwd = os.getcwd()
        os.chdir(root)
        try:
            assert main(["export", "--format", "mystmd", "--output", ".", *export_args]) == 0
        finally:
            os.chdir(cwd)
        if tamper is not None:  # change the plugin's data, as no export would write it
            plugin = root / "dlglossary.mjs"
            head, data, tail = re.split(r"^const DATA = (\{.*\});$",
                                        plugin.read_text(encoding="utf-8"), maxsplit=1,
                                        flags=re.M)
            changed = json.loads(data)
            tamper(changed)
            plugin.write_text(f"{head}const DATA = {json.dumps(changed)};{tail}",
                              encoding="utf-8")
        env = {**os.environ, "NO_COLOR": "1", "CI": "true"}
        result = subprocess.run([myst, "build", "--site", *build_args], cwd=root,
                                capture_output=True, text=True, timeout=300, env=env,
                                check=False)
        cache[name] = Book(root, result.stdout + result.stderr, result.returncode)
        return cache[name]

    return _build
