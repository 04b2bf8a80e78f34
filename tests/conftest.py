"""Shared fixtures: Sphinx's test fixtures, the test roots, and one build per root.

Each ``tests/roots/test-<name>/`` is a small project. Tests that only read output use
:func:`build`, which builds a root once per session (per builder and config) in a fresh
copy, so many assertions share one build; tests that need their own app use
``@pytest.mark.sphinx("html", testroot="<name>")`` and Sphinx's ``app`` fixture.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from common import Built, plain

pytest_plugins = ("sphinx.testing.fixtures",)


collect_ignore = ["roots"]

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot="basic")`` finds ``test-basic``."""
    return ROOTS


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Built]:
    """``build(testroot, buildername="html", **confoverrides)``: the root built once.

    Each distinct call builds a fresh copy of the root (fresh environment, own output
    folder) the first time and returns the cached :class:`Built` afterwards, so a test
    module's assertions share one build and builds never see each other's state.
    """
    cache: dict[tuple[str, str, str], Built] = {}

    def _build(testroot: str, buildername: str = "html", **confoverrides: Any) -> Built:
        key = (testroot, buildername, repr(sorted(confoverrides.items())))
        if key not in cache:
            tmp = tmp_path_factory.mktemp(f"{testroot}-{buildername}")
            srcdir = tmp / "src"
            shutil.copytree(ROOTS / f"test-{testroot}", srcdir)
            app = SphinxTestApp(buildername, srcdir=srcdir, builddir=tmp / "build",
                                freshenv=True, confoverrides=confoverrides,
                                status=StringIO(), warning=StringIO())
            try:
                app.build()
            finally:
                app.cleanup()
            cache[key] = Built(app, plain(app.warning.getvalue()))
        return cache[key]

    return _build
