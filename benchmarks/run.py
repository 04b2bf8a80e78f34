"""Build a generated course-docs corpus three ways and print what the extension costs.

    python benchmarks/run.py [--pages N] [--jobs J] [--repeat R] [--profile]

1. writes a corpus of N pages (see ``corpus.py``) as three projects: ``plain`` (no
   references), ``term`` (Sphinx's ``glossary`` + ``:term:``) and ``dl`` (``:dlterm:`` + a
   ``dlglossary`` page, tooltips and backlinks on);
2. builds each serially and with ``-j J``, R times, interleaved, each build a fresh
   ``python -m sphinx -b html -q`` process into an empty output folder; keeps the best wall
   time and the peak RSS of that build (largest process, workers included);
3. prints the tables: build time, ratio dl / term, peak RSS, output size, HTML bytes added
   per reference, tooltip asset size (raw and gzip);
4. edits one page's references and rebuilds ``term`` and ``dl`` incrementally: prints the
   HTML files written and the time;

then checks the targets. ``--profile`` also profiles one serial ``dl`` build (cProfile) and
prints the extension's share. Run it with the Python that has Sphinx and the extension.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import VARIANTS, Corpus, generate  # noqa: E402

LABELS = {"plain": "plain", "term": ":term:", "dl": "dlglossary"}
#: Targets (issue: "benchmarks/"): build ratio, extra files per edit, bytes/ref, gzip bytes.
MAX_RATIO = 1.05
MAX_EXTRA_FILES = 1
MAX_BYTES_PER_REF = 150
MAX_RUNTIME_GZIP = 4096


@dataclass
class Build:
    variant: str
    jobs: int
    wall: float
    #: CPU time (user + system) of the build's processes, in seconds.
    cpu: float
    #: Peak resident set size in KiB: the largest of the build's processes.
    maxrss: int
    warnings: int
    returncode: int


def run_sphinx(src: Path, out: Path, jobs: int, log: Path, *, fresh: bool = True,
               variant: str = "") -> Build:
    """One ``sphinx-build`` in its own process; wall time and peak RSS from ``wait4``."""
    if fresh and out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q"]
    if jobs > 1:
        cmd += ["-j", str(jobs)]
    cmd += [str(src), str(out)]
    with log.open("w", encoding="utf-8") as stream:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=stream, stderr=subprocess.STDOUT)
        # wait4's usage covers the process and the workers it waited for: ru_maxrss is the
        # largest of them.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        sys.exit(f"build failed ({' '.join(cmd)}):\n{text[-3000:]}")
    warnings = sum(1 for line in text.splitlines() if "WARNING" in line or "ERROR" in line)
    cpu = usage.ru_utime + usage.ru_stime
    return Build(variant, jobs, wall, cpu, usage.ru_maxrss, warnings, proc.returncode)


def html_files(out: Path) -> dict[str, int]:
    """HTML file (relative path) -> modification time in ns."""
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*.html")
            if ".doctrees" not in p.parts}


def sizes(out: Path) -> dict[str, int]:
    total = html = glossary = 0
    for path in out.rglob("*"):
        if not path.is_file() or ".doctrees" in path.relative_to(out).parts:
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html":
            html += size
            if path.relative_to(out).as_posix() == "glossary.html":
                glossary = size
    return {"output": total, "html": html, "glossary": glossary}


def asset_sizes(out: Path, page: str) -> dict[str, tuple[int, int]]:
    """Raw and gzip size of each ``_static/dlglossary*`` file that *page* loads.

    Read from the page's HTML (stylesheet, script and its ``data-terms`` file), so what is
    measured is what a reader downloads, minified or not.
    """
    html = (out / page).read_text(encoding="utf-8")
    names = dict.fromkeys(re.findall(r"_static/(dlglossary[^\"'?\s]*)", html))
    result = {}
    for name in names:
        data = (out / "_static" / name).read_bytes()
        result[name] = (len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))
    return result


def _is_data(name: str) -> bool:
    """The definitions file (loaded on first hover), not the runtime."""
    return "terms" in name


def package_fingerprint() -> str:
    """A hash of the extension's code and static files: did it change during the run?"""
    import hashlib

    import sphinxcontrib_dlglossary

    folder = Path(sphinxcontrib_dlglossary.__file__).parent
    digest = hashlib.sha1()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=HERE,
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "commit": commit,
        "cpus": str(os.cpu_count()), "cpu": cpu, "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(), "sphinx": version("sphinx"),
        "docutils": version("docutils"), "myst-parser": version("myst-parser"),
        "sphinxcontrib-dlglossary": version("sphinxcontrib-dlglossary"),
    }


def incremental(corpus: Corpus, variant: str, out: Path, logs: Path, repeat: int,
                ) -> dict[str, Any]:
    """Edit one page's references, rebuild into the existing output; what was written."""
    relpath, original, edited = corpus.edits[variant]
    page = corpus.src(variant) / relpath
    times: list[float] = []
    written: list[str] = []
    try:
        for _ in range(repeat):
            before = html_files(out)
            time.sleep(0.01)  # a distinct mtime for whatever this build writes
            page.write_text(edited, encoding="utf-8")
            build = run_sphinx(corpus.src(variant), out, 1, logs / f"inc-{variant}.log",
                               fresh=False, variant=variant)
            after = html_files(out)
            written = sorted(f for f, mtime in after.items() if before.get(f) != mtime)
            times.append(build.wall)
            page.write_text(original, encoding="utf-8")  # and back, for the next round
            run_sphinx(corpus.src(variant), out, 1, logs / f"inc-{variant}-back.log",
                       fresh=False, variant=variant)
    finally:
        page.write_text(original, encoding="utf-8")
    return {"written": written, "wall": min(times)}


#: Runs sphinx-build under cProfile with a CPU-time clock: other load on the machine does not
#: count (a wall clock would charge it to whatever function was running).
PROFILER = """
import cProfile, sys, time
from sphinx.cmd.build import main
profiler = cProfile.Profile(time.process_time)
profiler.enable()
try:
    status = main(sys.argv[2:])
finally:
    profiler.disable()
    profiler.dump_stats(sys.argv[1])
sys.exit(status)
"""

#: Build phases compared in the profile: (label, file suffix, function name).
PHASES = (
    ("whole build", "sphinx/cmd/build.py", "build_main"),
    ("Sphinx() setup: extensions, config, term set", "sphinx/application.py", "__init__"),
    ("read sources (parse, transforms)", "sphinx/builders/__init__.py", "read"),
    ("pickle environment", "~", "<built-in method _pickle.dump>"),
    ("write documents", "sphinx/builders/__init__.py", "write"),
    ("  resolve references, post-transforms", "sphinx/environment/__init__.py",
     "get_and_resolve_doctree"),
    ("  HTML translation (write_doc)", "sphinx/builders/html/__init__.py", "write_doc"),
    ("  templates (handle_page)", "sphinx/builders/html/__init__.py", "handle_page"),
    ("  search index (feed)", "sphinx/search/__init__.py", "feed"),
    ("finish: indices, static files, search", "sphinx/builders/html/__init__.py", "finish"),
    ("event handlers (all extensions)", "sphinx/events.py", "emit"),
)
PACKAGE = "sphinxcontrib_dlglossary"


def profile(corpus: Corpus, root: Path, variant: str) -> Path:
    """A cProfile (CPU clock) of one serial build of *variant*; the stats file."""
    prof = root / f"{variant}-serial.prof"
    out = root / "_build" / f"{variant}-profile"
    if out.exists():
        shutil.rmtree(out)
    subprocess.run([sys.executable, "-c", PROFILER, str(prof), "-b", "html", "-q",
                    str(corpus.src(variant)), str(out)], check=True,
                   stdout=subprocess.DEVNULL)
    return prof


def profile_summary(term_prof: Path, dl_prof: Path, top: int = 15) -> dict[str, Any]:
    """Phases of both builds side by side, and the extension's most expensive functions."""
    import pstats

    def stats(path: Path) -> dict[Any, Any]:
        return pstats.Stats(str(path)).stats  # type: ignore[attr-defined]

    term, dl = stats(term_prof), stats(dl_prof)

    def cumulative(data: dict[Any, Any], suffix: str, func: str) -> float:
        return sum(v[3] for (f, _, name), v in data.items()
                   if name == func and f.replace("\\", "/").endswith(suffix))

    phases = [(label, cumulative(term, suffix, func), cumulative(dl, suffix, func))
              for label, suffix, func in PHASES]
    # Time in the extension: its functions that no other function of it called.
    ours = {k: v for k, v in dl.items() if PACKAGE in k[0]}
    entry = sum(v[3] for v in ours.values()
                if not any(PACKAGE in caller[0] for caller in v[4]))
    phases.append((f"{PACKAGE} code (incl. what it calls)", 0.0, entry))
    functions = sorted(
        ((f"{Path(f).stem}.py:{line}({name})", v[3], v[2], v[1])
         for (f, line, name), v in ours.items()), key=lambda r: -r[1])[:top]
    return {"phases": phases, "functions": functions}


# -- report ----------------------------------------------------------------------------------


def _mib(n: float) -> str:
    return f"{n / 1024 / 1024:.1f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
            *[line(r) for r in rows]]


def report(results: dict[str, Any], args: argparse.Namespace) -> tuple[str, bool]:
    corpus = results["corpus"]
    best: dict[tuple[str, int], dict[str, Any]] = results["best"]
    size: dict[str, dict[str, int]] = results["sizes"]
    jobs = args.jobs
    m = results["machine"]
    lines = [
        f"Corpus: {corpus['pages']} pages ({corpus['pages'] - corpus['myst_pages']} rST, "
        f"{corpus['myst_pages']} MyST) + {corpus['documents'] - corpus['pages']} index and "
        f"glossary pages, {corpus['references']} term references, "
        f"seed {args.seed}; best of {args.repeat} builds (lowest of each figure).",
        f"Machine: {m['cpus']} CPUs, {m['cpu']}, {m['ram']} RAM, {m['os']}; load average "
        f"{results['load'][0]:.1f} at the start, {results['load'][1]:.1f} at the end.",
        f"Versions: Python {m['python']}, Sphinx {m['sphinx']}, docutils {m['docutils']}, "
        f"myst-parser {m['myst-parser']}, sphinxcontrib-dlglossary "
        f"{m['sphinxcontrib-dlglossary']} (git {m['commit']}).",
        *([] if results["code"][0] == results["code"][1] else [
            "", "WARNING: the extension's files changed during the run: these figures mix "
            "two versions of it. Run again."]),
        "",
        "Full build",
        "",
    ]
    refs = corpus["references"]

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.3f}" if b else "-"

    rows = []
    for j in (1, jobs):
        label = "serial" if j == 1 else f"-j {j}"
        walls = {v: best[(v, j)]["wall"] for v in VARIANTS}
        rows.append([f"wall time, {label} (s)", *(f"{walls[v]:.2f}" for v in VARIANTS),
                     ratio(walls["dl"], walls["term"])])
    for j in (1, jobs):
        label = "serial" if j == 1 else f"-j {j}"
        cpus = {v: best[(v, j)]["cpu"] for v in VARIANTS}
        rows.append([f"CPU time, {label} (s)", *(f"{cpus[v]:.2f}" for v in VARIANTS),
                     ratio(cpus["dl"], cpus["term"])])
    for j in (1, jobs):
        label = "serial" if j == 1 else f"-j {j}"
        rss = {v: best[(v, j)]["maxrss"] for v in VARIANTS}
        rows.append([f"peak RSS, {label} (MiB)", *(f"{rss[v] / 1024:.0f}" for v in VARIANTS),
                     ratio(rss["dl"], rss["term"])])
    rows.append(["output size (MiB)", *(_mib(size[v]["output"]) for v in VARIANTS),
                 ratio(size["dl"]["output"], size["term"]["output"])])
    rows.append(["HTML size (MiB)", *(_mib(size[v]["html"]) for v in VARIANTS),
                 ratio(size["dl"]["html"], size["term"]["html"])])
    rows.append(["glossary page (KiB)", *(f"{size[v]['glossary'] / 1024:.0f}" for v in VARIANTS),
                 ratio(size["dl"]["glossary"], size["term"]["glossary"])])
    per_ref = {
        v: ((size[v]["html"] - size[v]["glossary"]) - (size["plain"]["html"]
            - size["plain"]["glossary"])) / refs for v in ("term", "dl")
    }
    rows.append(["HTML bytes per reference", "-", f"{per_ref['term']:.0f}",
                 f"{per_ref['dl']:.0f}", ratio(per_ref["dl"], per_ref["term"])])
    warn = {v: max(b["warnings"] for k, b in best.items() if k[0] == v) for v in VARIANTS}
    rows.append(["warnings", *(str(warn[v]) for v in VARIANTS), ""])
    lines += _table(["", *(LABELS[v] for v in VARIANTS), "dlglossary / :term:"], rows)

    assets: dict[str, tuple[int, int]] = results["assets"]
    runtime = [size for name, size in assets.items() if not _is_data(name)]
    runtime_gz = sum(a[1] for a in runtime)
    rows = [[name + (" (definitions, on first hover)" if _is_data(name) else ""), str(raw),
             str(gz)] for name, (raw, gz) in assets.items()]
    rows.append(["runtime JS + CSS", str(sum(a[0] for a in runtime)), str(runtime_gz)])
    rows.append(["all files", str(sum(a[0] for a in assets.values())),
                 str(sum(a[1] for a in assets.values()))])
    lines += ["", "Tooltip assets a page loads (bytes; gzip -9, each file on its own)", ""]
    lines += _table(["file", "raw", "gzip"], rows)

    inc: dict[str, dict[str, Any]] = results["incremental"]
    lines += ["", f"Incremental: edit the references of {corpus['edit_docname']}, rebuild "
              "serially", ""]
    rows = [
        ["HTML files written", str(len(inc["term"]["written"])),
         str(len(inc["dl"]["written"]))],
        ["files", ", ".join(inc["term"]["written"]), ", ".join(inc["dl"]["written"])],
        ["wall time (s)", f"{inc['term']['wall']:.2f}", f"{inc['dl']['wall']:.2f}"],
    ]
    lines += _table(["", ":term:", "dlglossary"], rows)

    extra = sorted(set(inc["dl"]["written"]) - set(inc["term"]["written"]))
    checks = []
    for j in (1, jobs):
        r = best[("dl", j)]["wall"] / best[("term", j)]["wall"]
        c = best[("dl", j)]["cpu"] / best[("term", j)]["cpu"]
        label = "serial" if j == 1 else f"-j {j}"
        checks.append((f"full build {label} <= {MAX_RATIO}x :term: (wall time)",
                       f"{r:.3f}x (CPU time {c:.3f}x)", r <= MAX_RATIO))
    checks.append((
        f"one edit writes <= {MAX_EXTRA_FILES} HTML file more than :term: (the glossary page)",
        f"+{len(inc['dl']['written']) - len(inc['term']['written'])}"
        + (f" ({', '.join(extra)})" if extra else ""),
        len(inc["dl"]["written"]) - len(inc["term"]["written"]) <= MAX_EXTRA_FILES
        and set(extra) <= {"glossary.html"},
    ))
    checks.append((f"<= {MAX_BYTES_PER_REF} bytes of HTML per reference",
                   f"{per_ref['dl']:.0f}", per_ref["dl"] <= MAX_BYTES_PER_REF))
    checks.append((f"runtime JS + CSS < {MAX_RUNTIME_GZIP} bytes gzip", f"{runtime_gz}",
                   runtime_gz < MAX_RUNTIME_GZIP))
    lines += ["", "Targets", ""]
    lines += _table(["target", "measured", "met"],
                    [[name, value, "yes" if ok else "NO"] for name, value, ok in checks])

    prof = results.get("profile")
    if prof:
        lines += ["", "Profile of one serial build (cProfile with a CPU clock; the profiler "
                  "inflates every figure, compare them with each other only)", ""]
        lines += _table(["phase (cumulative CPU s)", ":term:", "dlglossary", "difference"],
                        [[label, f"{a:.2f}" if a else "", f"{b:.2f}",
                          f"{b - a:+.2f}" if a else ""]
                         for label, a, b in prof["phases"]])
        lines += ["", f"Most expensive functions of {PACKAGE} (cumulative CPU s)", ""]
        lines += _table(["function", "cumulative", "own", "calls"],
                        [[name, f"{ct:.2f}", f"{tt:.2f}", str(n)]
                         for name, ct, tt, n in prof["functions"]])
    return "\n".join(lines), all(ok for _, _, ok in checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300, help="pages in the corpus (300)")
    parser.add_argument("--jobs", type=int, default=2, help="-j of the parallel builds (2)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="builds of each kind; the best time counts (3)")
    parser.add_argument("--seed", type=int, default=2024, help="corpus seed (2024)")
    parser.add_argument("--workdir", type=Path,
                        help="where the corpus and builds go, replaced on each run "
                             "(benchmarks/_corpus/pN, git-ignored)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one serial dlglossary build with cProfile")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args(argv)
    if args.jobs < 2:
        parser.error("--jobs must be 2 or more (serial builds always run)")

    root: Path = (args.workdir or HERE / "_corpus" / f"p{args.pages}").resolve()
    print(f"writing {args.pages} pages to {root} ...", file=sys.stderr, flush=True)
    corpus = generate(root, args.pages, args.seed)
    logs = root / "_logs"
    logs.mkdir(parents=True, exist_ok=True)

    load_start = os.getloadavg()[0]
    code_start = package_fingerprint()
    builds: list[Build] = []
    for rep in range(args.repeat):
        for j in (1, args.jobs):
            # Rotate the order so drift (caches, other load) does not favour one variant.
            order = VARIANTS[rep % 3:] + VARIANTS[:rep % 3]
            for variant in order:
                out = root / "_build" / f"{variant}-j{j}"
                build = run_sphinx(corpus.src(variant), out, j,
                                   logs / f"{variant}-j{j}.log", variant=variant)
                builds.append(build)
                print(f"  run {rep + 1}/{args.repeat} {variant:5} -j {j}: {build.wall:6.2f} s"
                      f" (CPU {build.cpu:6.2f} s) {build.maxrss / 1024:5.0f} MiB",
                      file=sys.stderr, flush=True)
    # Best of the runs: the lowest of each figure (time, CPU time, memory) on its own.
    best: dict[tuple[str, int], dict[str, Any]] = {}
    for b in builds:
        key = (b.variant, b.jobs)
        if key not in best:
            best[key] = asdict(b)
            continue
        for name in ("wall", "cpu", "maxrss"):
            best[key][name] = min(best[key][name], getattr(b, name))
        best[key]["warnings"] = max(best[key]["warnings"], b.warnings)

    results: dict[str, Any] = {
        "corpus": corpus.to_json(), "machine": machine(), "best": best,
        "sizes": {v: sizes(root / "_build" / f"{v}-j1") for v in VARIANTS},
        "assets": asset_sizes(root / "_build" / "dl-j1", corpus.edit_docname + ".html"),
    }
    print("  incremental builds ...", file=sys.stderr, flush=True)
    results["incremental"] = {
        v: incremental(corpus, v, root / "_build" / f"{v}-j1", logs, args.repeat)
        for v in ("term", "dl")
    }
    if args.profile:
        print("  profiling (slow) ...", file=sys.stderr, flush=True)
        results["profile"] = profile_summary(profile(corpus, root, "term"),
                                             profile(corpus, root, "dl"))
    results["load"] = (load_start, os.getloadavg()[0])
    results["code"] = (code_start, package_fingerprint())
    text, _ = report(results, args)
    print(text)
    if args.json:
        data = dict(results, best={f"{v}-j{j}": b for (v, j), b in best.items()},
                    builds=[asdict(b) for b in builds])
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
