"""``dlglossary lint`` on the benchmark corpus: time and memory of one run.

Generates the ``dl`` project of the corpus (:mod:`corpus`, 1,000 pages by default, with
its ``conf.py``) and runs ``python -m sphinxcontrib_dlglossary lint`` on it, each run in
a fresh process, as a user runs it. Prints, per run, wall time, CPU time (user + system)
and peak memory (maximum resident set size) of that process, then the best of the runs.
Target (issue #15): under 5 s and 60 MB.

    python benchmarks/lint.py                   # 1,000 pages, 3 runs
    python benchmarks/lint.py --pages 300 --repeat 5
    python benchmarks/lint.py --package /path/to/other/checkout   # compare a version

``--package`` runs the package found in another checkout (its folder is put first on
``PYTHONPATH``), with the same corpus, so a change can be measured before and after.
Extra arguments after ``--`` go to ``dlglossary lint`` (e.g. ``-- --no-conf``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import corpus  # noqa: E402


def run_once(src: Path, package: Path, extra: list[str]) -> tuple[float, float, float, int]:
    """Wall s, CPU s, peak MB and exit status of one lint run in a new process."""
    env = {**os.environ, "PYTHONPATH": str(package)}
    # --no-config: the old name of --no-pyproject, which versions before it know too.
    command = [sys.executable, "-m", "sphinxcontrib_dlglossary", "lint", "--no-config",
               *extra, str(src)]
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(command, env=env, stdout=null, stderr=subprocess.PIPE,
                                cwd=src.parent)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode() if proc.stderr else ""
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"lint failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="pages in the corpus (1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best counts (3)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--package", type=Path, default=HERE.parent,
                        help="the checkout whose package is run (this one)")
    parser.add_argument("--workdir", type=Path, help="where the corpus goes (a temp folder)")
    parser.add_argument("extra", nargs="*", help="arguments for dlglossary lint, after --")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="dlglossary-lint-bench-") as tmp:
        root = args.workdir or Path(tmp) / "corpus"
        built = corpus.generate(root, pages=args.pages, seed=args.seed, variants=("dl",))
        src = built.src("dl")
        files = sum(1 for p in src.rglob("*") if p.suffix in (".rst", ".md"))
        print(f"corpus: {built.pages} pages ({built.myst_pages} MyST), {files} files, "
              f"{built.references} references; package: {args.package}")
        print(f"{'run':>4} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'exit':>5}")
        runs = []
        for i in range(args.repeat):
            wall, cpu, peak, status = run_once(src, args.package.resolve(), args.extra)
            runs.append((wall, cpu, peak))
            print(f"{i + 1:>4} {wall:>8.2f} {cpu:>8.2f} {peak:>8.1f} {status:>5}")
        print(f"best {min(r[0] for r in runs):>8.2f} {min(r[1] for r in runs):>8.2f} "
              f"{min(r[2] for r in runs):>8.1f}   (target: under 5 s and 60 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
