"""The benchmark still runs: ``benchmarks/run.py`` at 10 pages, one build of each kind.

Not a timed test: it checks that the corpus builds cleanly three ways and that every row of
the report is there, so the script cannot rot between the times someone runs it for real.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.repo

REPO = Path(__file__).resolve().parent.parent
RUN = REPO / "benchmarks" / "run.py"

ROWS = [
    "wall time, serial (s)",
    "wall time, -j 2 (s)",
    "CPU time, serial (s)",
    "CPU time, -j 2 (s)",
    "peak RSS, serial (MiB)",
    "peak RSS, -j 2 (MiB)",
    "output size (MiB)",
    "HTML size (MiB)",
    "glossary page (KiB)",
    "HTML bytes per reference",
    "warnings",
    "runtime JS + CSS",
    "HTML files written",
    "wall time, best (s)",
    "wall time, median (s)",
]


def _row(text: str, label: str) -> list[str]:
    """The cells of the table row that starts with *label*."""
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in:\n{text}")


def test_benchmark_runs_at_ten_pages(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, str(RUN), "--pages", "10", "--repeat", "1", "--terms", "300",
         "--workdir", str(tmp_path / "corpus"), "--json", str(report)],
        capture_output=True, text=True, timeout=300, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = proc.stdout
    for label in ROWS:
        _row(out, label)
    assert "Targets" in out

    # The three projects build without a warning.
    assert _row(out, "warnings")[:3] == ["0", "0", "0"]
    # Every build produced a time; references add bytes in both linked variants.
    for label in ("wall time, serial (s)", "wall time, -j 2 (s)"):
        assert all(float(cell) > 0 for cell in _row(out, label)[:3])
    _, term_bytes, dl_bytes, _ = _row(out, "HTML bytes per reference")
    assert float(term_bytes) > 0 and float(dl_bytes) > 0

    data = json.loads(report.read_text(encoding="utf-8"))
    corpus = data["corpus"]
    assert corpus["pages"] == 10
    assert 16 * 10 <= corpus["references"] <= 24 * 10
    assert 0 < corpus["myst_pages"] < 10
    # The edited page is written again by both incremental builds.
    edited = corpus["edit_docname"] + ".html"
    for variant in ("term", "dl"):
        assert edited in data["incremental"][variant]["written"]
        assert 0 < data["incremental"][variant]["wall"] <= data["incremental"][variant]["median"]
    # The tooltip runtime (a script and a stylesheet) and the definitions file are measured.
    assets = data["assets"]
    assert any(n.endswith(".js") and "terms" not in n for n in assets), assets
    assert any(n.endswith(".css") for n in assets), assets
    assert any("terms" in n for n in assets), assets
    assert all(raw > gz > 0 for raw, gz in assets.values()), assets
    assert re.search(r"\| runtime JS \+ CSS +\| \d+ +\| \d+ +\|", out)

    # The term-set size case: the same pages, with the first set's 49 terms and the whole set.
    size = data["set_size"]
    assert size["small_terms"] == 49
    assert _row(out, "terms on the glossary page")[:2] == ["49", str(size["corpus"]["terms"])]
    assert size["corpus"]["terms"] >= 150
    assert size["corpus"]["referenced_terms"] <= 49
    assert size["dl-small"]["warnings"] == size["dl"]["warnings"] == 0
    assert all(float(cell) > 0 for cell in _row(out, "edit one page, wall time (s)")[:2])
    assert "term-set size: first build with" in out


def test_lint_benchmark_runs(tmp_path: Path) -> None:
    """``benchmarks/lint.py`` at 20 pages: the table is there and lint ran to its end."""
    proc = subprocess.run([sys.executable, str(REPO / "benchmarks" / "lint.py"), "--pages",
                           "20", "--repeat", "1", "--workdir", str(tmp_path / "corpus")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"corpus: 20 pages \(\d+ MyST\)", proc.stdout), proc.stdout
    best = re.search(r"^best +([\d.]+) +([\d.]+) +([\d.]+)", proc.stdout, re.M)
    assert best is not None, proc.stdout
    assert 0 < float(best.group(3)) < 1000  # peak MB was read from the process
