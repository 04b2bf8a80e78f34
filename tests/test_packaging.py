"""The canonical term set ships in the wheel, the sdist and the editable install.

The term set lives in the top-level ``data/`` folder and is mapped to the subpackage
``sphinxcontrib_dlglossary.data`` (see ``[tool.setuptools]`` in pyproject.toml). These tests
build the sdist and the wheel with ``python -m build``, look inside them, install each into
a fresh virtual environment and load the terms there, and check the editable install of the
interpreter running the tests.

How the fresh environments are made, and why:

* ``python -m build`` runs in its default isolated mode. The test environment's own
  setuptools may be too old for pyproject.toml (an SPDX ``license`` string needs
  setuptools >= 77), so ``--no-isolation`` is not robust; the isolated build fetches
  setuptools from the package index (or pip's cache) and takes a few seconds.
* Each install target is a plain venv created ``--without-pip`` (no ensurepip: faster) and
  filled by this interpreter's pip through ``pip --python <venv python>``, *with*
  dependencies. So nothing from the test environment or the checkout leaks in (no
  ``--system-site-packages``, no editable finder), and a dependency missing from
  ``[project] dependencies`` would fail here. With pip's cache warm (it is, right after
  ``pip install -e .[test]``) each install takes a few seconds.
* Commands inside the venvs run with ``python -I`` from an empty directory, so neither the
  checkout nor PYTHONPATH is on ``sys.path``.

Together they take about 15-25 seconds and need the package index (or a warm pip cache).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.repo]

REPO = Path(__file__).resolve().parent.parent
DIST_NAME = "sphinxcontrib-dlglossary"
EXPECTED_TERMS = 153

WHEEL_FILES = [
    "sphinxcontrib_dlglossary/__init__.py",
    "sphinxcontrib_dlglossary/core/terms.py",
    "sphinxcontrib_dlglossary/lint/__init__.py",
    "sphinxcontrib_dlglossary/sphinx_ext/__init__.py",
    "sphinxcontrib_dlglossary/sphinx_ext/glossary_page.py",
    "sphinxcontrib_dlglossary/py.typed",
    "sphinxcontrib_dlglossary/data/__init__.py",
    "sphinxcontrib_dlglossary/data/terms.yaml",
    "sphinxcontrib_dlglossary/data/schema.json",
    "sphinxcontrib_dlglossary/data/tags.yaml",
    "sphinxcontrib_dlglossary/static/dlglossary.js",
    "sphinxcontrib_dlglossary/static/dlglossary.min.js",
    "sphinxcontrib_dlglossary/static/dlglossary.min.css",
    "sphinxcontrib_dlglossary/data/dlglossary-json.schema.json",
    "sphinxcontrib_dlglossary/data/translation.schema.json",
    "sphinxcontrib_dlglossary/data/translations/de.yaml",
    "sphinxcontrib_dlglossary/locale/dlglossary.pot",
    "sphinxcontrib_dlglossary/locale/de/LC_MESSAGES/dlglossary.mo",
    "sphinxcontrib_dlglossary/locale/zh_CN/LC_MESSAGES/dlglossary.mo",
    "sphinxcontrib_dlglossary/mystmd/__init__.py",
    "sphinxcontrib_dlglossary/mystmd/lookup.mjs",
    "sphinxcontrib_dlglossary/mystmd/plugin.mjs",
]
SDIST_FILES = [
    "pyproject.toml",
    "README.md",
    "data/__init__.py",
    "data/terms.yaml",
    "data/schema.json",
    "data/tags.yaml",
    "sphinxcontrib_dlglossary/__init__.py",
    "sphinxcontrib_dlglossary/static/dlglossary.js",
]

# Printed as JSON by the probe: where the data subpackage is, and how many terms load.
PROBE = """\
import importlib.resources, json
import sphinxcontrib_dlglossary
from sphinxcontrib_dlglossary.core.terms import load_canonical
print(json.dumps({
    "package": sphinxcontrib_dlglossary.__file__,
    "data": str(importlib.resources.files("sphinxcontrib_dlglossary.data")),
    "terms_yaml": importlib.resources.files("sphinxcontrib_dlglossary.data")
    .joinpath("terms.yaml").is_file(),
    "count": len(load_canonical().terms),
}))
"""


def run(cmd: Sequence[str | os.PathLike[str]], cwd: Path, timeout: float = 180) -> str:
    """Run a command; on failure, fail the test with its whole output."""
    proc = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if proc.returncode != 0:
        pytest.fail(
            f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stdout}",
            pytrace=False,
        )
    return proc.stdout


def probe(python: Path | str, cwd: Path) -> dict[str, object]:
    out = run([python, "-I", "-c", PROBE], cwd=cwd)
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the sdist, and the wheel from the sdist, once for this module."""
    if not (REPO / "pyproject.toml").is_file():
        pytest.skip("not running from a source checkout")
    outdir = tmp_path_factory.mktemp("dist")
    # The sdist build writes an egg-info into the checkout (git-ignored); remove it again
    # unless it was already there (an editable install leaves one too).
    egg_info = REPO / "sphinxcontrib_dlglossary.egg-info"
    had_egg_info = egg_info.exists()
    try:
        run([sys.executable, "-m", "build", "--outdir", outdir, REPO], cwd=REPO, timeout=300)
    finally:
        if not had_egg_info:
            shutil.rmtree(egg_info, ignore_errors=True)
    wheels = sorted(outdir.glob("*.whl"))
    sdists = sorted(outdir.glob("*.tar.gz"))
    assert len(wheels) == 1, wheels
    assert len(sdists) == 1, sdists
    return {"wheel": wheels[0], "sdist": sdists[0]}


def venv_with(target: Path, tmp_path: Path) -> Path:
    """A plain venv (no system site-packages) with ``target`` and its dependencies."""
    env_dir = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", env_dir], cwd=tmp_path)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", target],
        cwd=tmp_path,
        timeout=300,
    )
    return python


def check_installed(python: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "empty"
    workdir.mkdir(parents=True)
    result = probe(python, workdir)
    assert result["count"] == EXPECTED_TERMS
    assert result["terms_yaml"] is True
    site = python.parent.parent
    # The data comes from the venv's own copy, not from the checkout.
    for key in ("package", "data"):
        assert Path(str(result[key])).resolve().is_relative_to(site.resolve()), result
    # The console script is installed and starts.
    script = python.parent / ("dlglossary.exe" if os.name == "nt" else "dlglossary")
    assert script.exists()
    run([script, "--help"], cwd=workdir)


def test_wheel_contents(dists: dict[str, Path]) -> None:
    with zipfile.ZipFile(dists["wheel"]) as whl:
        names = set(whl.namelist())
        missing = [name for name in WHEEL_FILES if name not in names]
        assert not missing, f"missing from the wheel: {missing}"
        shipped = whl.read("sphinxcontrib_dlglossary/data/terms.yaml")
    assert shipped == (REPO / "data" / "terms.yaml").read_bytes(), "terms.yaml differs"
    # data/ is only shipped under the package, never as a top-level `data` package,
    # and neither tests nor docs end up in the wheel.
    stray = sorted(
        name
        for name in names
        if not name.startswith(("sphinxcontrib_dlglossary/", "sphinxcontrib_dlglossary-"))
    )
    assert not stray, f"unexpected files in the wheel: {stray}"


def test_sdist_contents(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as sdist:
        names = sdist.getnames()
    roots = {name.split("/", 1)[0] for name in names}
    assert len(roots) == 1, roots
    relative = {name.split("/", 1)[1] for name in names if "/" in name}
    missing = [name for name in SDIST_FILES if name not in relative]
    assert not missing, f"missing from the sdist: {missing}"


def test_sdist_and_wheel_install_and_load_terms(dists: dict[str, Path],
                                                tmp_path: Path) -> None:
    """The sdist with its dependencies into a fresh venv, then the wheel over it (the same
    dependencies: one install of them, not two)."""
    python = venv_with(dists["sdist"], tmp_path)
    check_installed(python, tmp_path / "from-sdist")
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
         "--force-reinstall", dists["wheel"]], cwd=tmp_path, timeout=300)
    installer = run([python, "-I", "-c", "import importlib.metadata as m; print(m.distribution("
                     f"{DIST_NAME!r}).read_text('direct_url.json'))"], cwd=tmp_path)
    assert dists["wheel"].name in installer, installer  # the wheel replaced the sdist's build
    check_installed(python, tmp_path / "from-wheel")
    # From the checkout's root, `python -m` puts the source tree first on sys.path: its
    # package has no `data` subpackage (data/ is mapped into it only when installed), and
    # the data are read from the checkout's data/ folder instead.
    listed = run([python, "-m", "sphinxcontrib_dlglossary", "list"], cwd=REPO)
    lines = listed.splitlines()  # the count goes to stderr, so it may come first
    assert f"{EXPECTED_TERMS} terms" in lines and len(lines) == EXPECTED_TERMS + 1
    project = tmp_path / "site"
    project.mkdir()
    (project / "conf.py").write_text('extensions = ["sphinxcontrib_dlglossary"]\n')
    (project / "index.rst").write_text("Home\n====\n\nA :dlterm:`kernel`.\n\n"
                                       ".. dlglossary::\n")
    run([python, "-m", "sphinx", "-q", "-b", "html", project, tmp_path / "out"], cwd=REPO)
    # (The benchmark builds with `python -m sphinx` from the checkout too: as above.)
    assert 'id="kernel"' in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


def _is_editable_install() -> bool:
    # Look at every copy of the metadata: with `python -m pytest` the checkout is on
    # sys.path, and an egg-info there (no direct_url.json) may come first.
    for dist in metadata.distributions(name=DIST_NAME):
        direct_url = json.loads(dist.read_text("direct_url.json") or "{}")
        if direct_url.get("dir_info", {}).get("editable", False):
            return True
    return False


def test_editable_install_reads_repo_data(tmp_path: Path) -> None:
    if not _is_editable_install():
        pytest.skip(f"{DIST_NAME} is not installed editable here (pip install -e .)")
    # A fresh process started outside the checkout, so only the installed editable
    # finder, not the current directory, can make the package importable.
    result = probe(sys.executable, tmp_path)
    assert result["count"] == EXPECTED_TERMS
    assert result["terms_yaml"] is True
    assert Path(str(result["data"])).resolve() == (REPO / "data").resolve()
    assert (
        Path(str(result["package"])).resolve().parent
        == (REPO / "sphinxcontrib_dlglossary").resolve()
    )
