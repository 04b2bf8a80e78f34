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
4. edits one page's references and rebuilds ``term`` and ``dl`` incrementally, R rounds
   interleaved: prints the HTML files written and the best and median time;

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
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import VARIANTS, Corpus, first_set_keys, generate  # noqa: E402

LABELS = {"plain": "plain", "term": ":term:", "dl": "dlglossary"}
#: Targets (issues "benchmarks/" and #16): build ratios, extra files per edit, bytes/ref,
#: gzip bytes, the glossary page's size, an edit's rebuild time.
MAX_RATIO = {1: 1.03, 0: 1.05}  # serial; parallel (any -j)
MAX_EXTRA_FILES = 1
MAX_GLOSSARY_BYTES = 800 * 1024
MAX_EDIT_RATIO = 1.5
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
    """Bytes of the output, its HTML, the glossary page, and the pages of all uses of
    much-used terms (``dlglossary-uses/``, which the glossary's entries link to)."""
    total = html = glossary = uses = 0
    for path in out.rglob("*"):
        if not path.is_file() or ".doctrees" in path.relative_to(out).parts:
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html":
            html += size
            if path.relative_to(out).as_posix() == "glossary.html":
                glossary = size
            elif path.relative_to(out).parts[0] == "dlglossary-uses":
                uses += size
    return {"output": total, "html": html, "glossary": glossary, "uses": uses}


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


def incremental(corpus: Corpus, outs: dict[str, Path], logs: Path, repeat: int,
                ) -> dict[str, dict[str, Any]]:
    """Edit one page's references and rebuild into the existing output, *repeat* rounds, the
    variants of *outs* interleaved in each round (so drift does not favour one); per variant,
    the HTML files the edit's rebuild wrote, and its best and median wall time."""
    times: dict[str, list[float]] = {v: [] for v in outs}
    written: dict[str, list[str]] = {v: [] for v in outs}
    for _ in range(repeat):
        for variant, out in outs.items():
            relpath, original, edited = corpus.edits[variant]
            page = corpus.src(variant) / relpath
            try:
                before = html_files(out)
                time.sleep(0.01)  # a distinct mtime for whatever this build writes
                page.write_text(edited, encoding="utf-8")
                build = run_sphinx(corpus.src(variant), out, 1, logs / f"inc-{variant}.log",
                                   fresh=False, variant=variant)
                after = html_files(out)
                written[variant] = sorted(f for f, mtime in after.items()
                                          if before.get(f) != mtime)
                times[variant].append(build.wall)
            finally:
                page.write_text(original, encoding="utf-8")  # and back, for the next round
            run_sphinx(corpus.src(variant), out, 1, logs / f"inc-{variant}-back.log",
                       fresh=False, variant=variant)
    return {v: {"written": written[v], "wall": min(times[v]),
                "median": statistics.median(times[v])} for v in outs}


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


def profile(corpus: Corpus, root: Path, variant: str, *, again: bool = False) -> Path:
    """A cProfile (CPU clock) of one serial build of *variant*; the stats file.

    With *again*, of a second build with nothing changed (the first is not profiled).
    """
    prof = root / f"{variant}-serial{'-again' if again else ''}.prof"
    out = root / "_build" / f"{variant}-profile"
    if out.exists():
        shutil.rmtree(out)
    cmd = ["-b", "html", "-q", str(corpus.src(variant)), str(out)]
    if again:
        subprocess.run([sys.executable, "-m", "sphinx", *cmd], check=True,
                       stdout=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-c", PROFILER, str(prof), *cmd], check=True,
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


# -- the scale case: thousands of project terms ----------------------------------------------

#: Targets of the scale case (issue 12: "Linear at scale"): first build and a rebuild with
#: nothing changed, each against the same site written with Sphinx's ``glossary``.
MAX_SCALE_FIRST = 1.2
MAX_SCALE_AGAIN = 1.5
SCALE_VARIANTS = ("term", "dl")
#: Term-set size case: the same pages built with the first set's terms only, and the whole set.
SET_VARIANTS = ("dl-small", "dl")
#: "No measurable change" (issue #13): the whole set costs at most this much more CPU time.
MAX_SET_GROWTH = 1.03


def terms_in_file(path: Path) -> set[str]:
    """The keys a tooltip definitions file holds (``window.dlglossaryTerms={...};``)."""
    text = path.read_text(encoding="utf-8")
    data = text.partition("=")[2].rstrip().removesuffix(";")
    return set(json.loads(data))


def _terms_file_of(html: str) -> str | None:
    match = re.search(r'data-terms="(?:\.\./)*_static/([^"?]+)', html)
    return match.group(1) if match else None


def _linked_anchors(html: str) -> set[str]:
    """The anchors of the term links (``a.dlterm``) on a page."""
    found = set()
    for tag in re.findall(r"<a [^>]*>", html):
        anchor = re.search(r'href="[^"]*#([^"]+)"', tag)
        if anchor and re.search(r'class="[^"]*\bdlterm\b', tag):
            found.add(anchor.group(1))
    return found


def tooltip_files(out: Path, content_page: str) -> dict[str, Any]:
    """The definitions files a content page and the glossary page load: name, size, terms,
    and whether each holds every term its page links to."""
    result: dict[str, Any] = {}
    for label, page in (("content", content_page), ("glossary", "glossary.html")):
        html = (out / page).read_text(encoding="utf-8")
        name = _terms_file_of(html)
        if name is None:
            result[label] = None
            continue
        path = out / "_static" / name
        keys = terms_in_file(path)
        result[label] = {"name": name, "bytes": path.stat().st_size, "terms": len(keys),
                         "missing": sorted(_linked_anchors(html) - keys)}
    return result


def scale(args: argparse.Namespace) -> dict[str, Any]:
    """Build the scale corpus with ``:term:`` and with the extension: a first build into an
    empty folder, then a rebuild with nothing changed, R times each; the best of each."""
    root = _workdir(args).parent / f"scale-t{args.terms}-p{args.scale_pages}"
    print(f"writing the scale corpus ({args.terms} project terms, {args.scale_pages} pages) "
          f"to {root} ...", file=sys.stderr, flush=True)
    corpus = generate(root, args.scale_pages, args.seed, project_terms=args.terms,
                      referenced=args.scale_referenced, variants=SCALE_VARIANTS)
    logs = root / "_logs"
    logs.mkdir()
    builds: dict[str, list[tuple[Build, Build]]] = {v: [] for v in SCALE_VARIANTS}
    for rep in range(args.repeat):
        for variant in SCALE_VARIANTS[rep % 2:] + SCALE_VARIANTS[:rep % 2]:
            out = root / "_build" / variant
            first = run_sphinx(corpus.src(variant), out, 1, logs / f"scale-{variant}.log",
                               variant=variant)
            again = run_sphinx(corpus.src(variant), out, 1,
                               logs / f"scale-{variant}-again.log", fresh=False,
                               variant=variant)
            builds[variant].append((first, again))
            print(f"  scale run {rep + 1}/{args.repeat} {variant:5}: first {first.wall:6.2f} s "
                  f"(CPU {first.cpu:6.2f} s), nothing changed {again.wall:6.2f} s "
                  f"(CPU {again.cpu:6.2f} s)", file=sys.stderr, flush=True)
    best = {v: {"first_wall": min(b[0].wall for b in builds[v]),
                "first_cpu": min(b[0].cpu for b in builds[v]),
                "again_wall": min(b[1].wall for b in builds[v]),
                "again_cpu": min(b[1].cpu for b in builds[v]),
                "warnings": max(b[0].warnings + b[1].warnings for b in builds[v])}
            for v in SCALE_VARIANTS}
    content = corpus.edit_docname + ".html"
    result: dict[str, Any] = {
        "corpus": corpus.to_json(), "best": best,
        "builds": {v: [[asdict(a), asdict(b)] for a, b in builds[v]] for v in SCALE_VARIANTS},
        "glossary_bytes": {v: (root / "_build" / v / "glossary.html").stat().st_size
                           for v in SCALE_VARIANTS},
        "files": tooltip_files(root / "_build" / "dl", content),
        "content_terms": _content_terms(root / "_build" / "dl"),
    }
    if args.profile:
        print("  profiling the scale case (slow) ...", file=sys.stderr, flush=True)
        result["profile_first"] = profile_summary(profile(corpus, root, "term"),
                                                  profile(corpus, root, "dl"))
        result["profile_again"] = profile_summary(profile(corpus, root, "term", again=True),
                                                  profile(corpus, root, "dl", again=True))
    return result


def set_size(args: argparse.Namespace) -> dict[str, Any]:
    """Build one corpus whose pages use only the first term set's terms (49) twice: with the
    set cut back to those terms, and with the whole set (its glossary page shows them all).
    Serial first builds and an edit's rebuild, R times each; the best of each."""
    root = _workdir(args).parent / f"set-size-p{args.pages}"
    small = first_set_keys()
    print(f"writing the term-set size corpus ({args.pages} pages, references to "
          f"{len(small)} terms) to {root} ...", file=sys.stderr, flush=True)
    corpus = generate(root, args.pages, args.seed, variants=SET_VARIANTS, small_set=small)
    logs = root / "_logs"
    logs.mkdir()
    firsts: dict[str, list[Build]] = {v: [] for v in SET_VARIANTS}
    for rep in range(args.repeat):
        for variant in SET_VARIANTS[rep % 2:] + SET_VARIANTS[:rep % 2]:
            build = run_sphinx(corpus.src(variant), root / "_build" / variant, 1,
                               logs / f"{variant}.log", variant=variant)
            firsts[variant].append(build)
            print(f"  set-size run {rep + 1}/{args.repeat} {variant:8}: {build.wall:6.2f} s "
                  f"(CPU {build.cpu:6.2f} s)", file=sys.stderr, flush=True)
    result: dict[str, Any] = {"corpus": corpus.to_json(), "small_terms": len(small),
                              "builds": {v: [asdict(b) for b in firsts[v]] for v in SET_VARIANTS}}
    for variant in SET_VARIANTS:
        out = root / "_build" / variant
        builds = firsts[variant]
        result[variant] = {
            "wall": min(b.wall for b in builds), "cpu": min(b.cpu for b in builds),
            # run-to-run spread of the same build: what "measurable" is measured against
            "spread": max(b.cpu for b in builds) / min(b.cpu for b in builds) - 1,
            "warnings": max(b.warnings for b in builds),
            "glossary_bytes": (out / "glossary.html").stat().st_size,
            "glossary_terms": len(_entry_ids(out / "glossary.html")),
            "terms_file_bytes": (out / "_static" / "dlglossary-terms.js").stat().st_size,
            "edit": incremental(corpus, {variant: out}, logs, args.repeat)[variant]["wall"],
        }
    return result


def _entry_ids(page: Path) -> set[str]:
    """The ids of the entries a glossary page shows (not the tags of "Terms by tag")."""
    return {i for i in re.findall(r'<dt id="([^"]+)"', page.read_text(encoding="utf-8"))
            if not i.startswith("dlglossary-")}


def set_size_report(res: dict[str, Any], args: argparse.Namespace,
                    ) -> tuple[list[str], list[Any]]:
    """The term-set size table and its target check."""
    small, whole = res["dl-small"], res["dl"]
    corpus = res["corpus"]
    lines = ["", f"Term-set size: the same {corpus['pages']} pages ({corpus['references']} "
             f"references to {corpus['referenced_terms']} of the first set's "
             f"{res['small_terms']} terms), built with those terms only and with the whole "
             f"set of {corpus['terms']}; serial builds, best of {args.repeat}", ""]

    rows = [
        ["terms on the glossary page", str(small["glossary_terms"]),
         str(whole["glossary_terms"]), _ratio(whole["glossary_terms"], small["glossary_terms"])],
        ["first build, wall time (s)", f"{small['wall']:.2f}", f"{whole['wall']:.2f}",
         _ratio(whole["wall"], small["wall"])],
        ["first build, CPU time (s)", f"{small['cpu']:.2f}", f"{whole['cpu']:.2f}",
         _ratio(whole["cpu"], small["cpu"])],
        ["  spread of repeated builds", f"{small['spread']:.1%}", f"{whole['spread']:.1%}", ""],
        ["edit one page, wall time (s)", f"{small['edit']:.2f}", f"{whole['edit']:.2f}",
         _ratio(whole["edit"], small["edit"])],
        ["glossary page (KiB)", f"{small['glossary_bytes'] / 1024:.0f}",
         f"{whole['glossary_bytes'] / 1024:.0f}",
         _ratio(whole["glossary_bytes"], small["glossary_bytes"])],
        ["tooltip file of the pages (KiB)", f"{small['terms_file_bytes'] / 1024:.1f}",
         f"{whole['terms_file_bytes'] / 1024:.1f}",
         _ratio(whole["terms_file_bytes"], small["terms_file_bytes"])],
        ["warnings", str(small["warnings"]), str(whole["warnings"]), ""],
    ]
    lines += _table(["", f"{res['small_terms']} terms", f"{corpus['terms']} terms",
                     "whole / first"], rows)
    growth = whole["cpu"] / small["cpu"]
    checks = [(f"term-set size: first build with {corpus['terms']} terms <= {MAX_SET_GROWTH}x "
               f"with {res['small_terms']} (CPU time, serial)", f"{growth:.3f}x",
               growth <= MAX_SET_GROWTH)]
    return lines, checks


def _content_terms(out: Path) -> int:
    """How many terms the site's pages other than the glossary link to."""
    keys: set[str] = set()
    for page in out.rglob("*.html"):
        if page.name not in ("glossary.html", "genindex.html", "search.html"):
            keys |= _linked_anchors(page.read_text(encoding="utf-8"))
    return len(keys)


def scale_report(res: dict[str, Any], args: argparse.Namespace) -> tuple[list[str], list[Any]]:
    """The scale table and its target checks."""
    corpus, best = res["corpus"], res["best"]
    term, dl = best["term"], best["dl"]
    lines = ["", f"Scale: {corpus['terms']} terms ({args.terms} from a project term file), "
             f"{corpus['pages']} pages with {corpus['references']} references to "
             f"{corpus['referenced_terms']} of them, one full glossary page; serial builds, "
             f"best of {args.repeat}", ""]

    rows = [
        ["first build, wall time (s)", f"{term['first_wall']:.2f}", f"{dl['first_wall']:.2f}",
         _ratio(dl["first_wall"], term["first_wall"])],
        ["first build, CPU time (s)", f"{term['first_cpu']:.2f}", f"{dl['first_cpu']:.2f}",
         _ratio(dl["first_cpu"], term["first_cpu"])],
        ["nothing changed, wall time (s)", f"{term['again_wall']:.2f}",
         f"{dl['again_wall']:.2f}", _ratio(dl["again_wall"], term["again_wall"])],
        ["nothing changed, CPU time (s)", f"{term['again_cpu']:.2f}",
         f"{dl['again_cpu']:.2f}", _ratio(dl["again_cpu"], term["again_cpu"])],
        ["glossary page (KiB)", f"{res['glossary_bytes']['term'] / 1024:.0f}",
         f"{res['glossary_bytes']['dl'] / 1024:.0f}",
         _ratio(res["glossary_bytes"]["dl"], res["glossary_bytes"]["term"])],
    ]
    files = res["files"]
    for label, what in (("content", "a content page"), ("glossary", "the glossary page")):
        found = files.get(label)
        if found:
            rows.append([f"tooltip file of {what} (KiB)", "-", f"{found['bytes'] / 1024:.0f}",
                         found["name"]])
            rows.append(["  terms in it", "-", str(found["terms"]), ""])
    rows.append(["warnings", str(term["warnings"]), str(dl["warnings"]), ""])
    lines += _table(["", ":term:", "dlglossary", "dlglossary / :term:"], rows)

    # Judged on CPU time: these builds are serial, so on an idle machine CPU time is the
    # wall time, and other load on the machine does not count.
    checks = []
    for label, name, limit in (("first build", "first", MAX_SCALE_FIRST),
                               ("nothing changed", "again", MAX_SCALE_AGAIN)):
        cpu = dl[f"{name}_cpu"] / term[f"{name}_cpu"]
        wall = dl[f"{name}_wall"] / term[f"{name}_wall"]
        checks.append((f"scale: {label} <= {limit}x :term: (CPU time, serial)",
                       f"{cpu:.3f}x (wall time {wall:.3f}x)", cpu <= limit))
    site = files.get("content") or {}
    checks.append(("scale: the content pages' tooltip file holds only the terms they link to",
                   f"{site.get('terms', 0)} terms, {res['content_terms']} linked",
                   site.get("terms") == res["content_terms"] and not site.get("missing")))
    gloss = files.get("glossary") or {}
    checks.append(("scale: the glossary page's tooltip file holds every term it links to",
                   f"{len(gloss.get('missing', []))} missing" if gloss else "no file",
                   bool(gloss) and not gloss.get("missing")))
    return lines, checks


# -- report ----------------------------------------------------------------------------------


def _ratio(a: float, b: float) -> str:
    """*a* / *b* as a table cell ("-" when *b* is 0)."""
    return f"{a / b:.3f}" if b else "-"


def _mib(n: float) -> str:
    return f"{n / 1024 / 1024:.1f}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
            *[line(r) for r in rows]]


def report(results: dict[str, Any], args: argparse.Namespace) -> tuple[str, bool]:
    """The whole report, and whether every target is met."""
    m = results["machine"]
    lines = [
        f"Machine: {m['cpus']} CPUs, {m['cpu']}, {m['ram']} RAM, {m['os']}; load average "
        f"{results['load'][0]:.1f} at the start, {results['load'][1]:.1f} at the end.",
        f"Versions: Python {m['python']}, Sphinx {m['sphinx']}, docutils {m['docutils']}, "
        f"myst-parser {m['myst-parser']}, sphinxcontrib-dlglossary "
        f"{m['sphinxcontrib-dlglossary']} (git {m['commit']}).",
        *([] if results["code"][0] == results["code"][1] else [
            "", "WARNING: the extension's files changed during the run: these figures mix "
            "two versions of it. Run again."]),
    ]
    checks: list[tuple[str, str, bool]] = []
    if "best" in results:
        main_lines, checks = _main_report(results, args)
        lines = [main_lines[0], *lines, *main_lines[1:]]
    if results.get("set_size"):
        size_lines, size_checks = set_size_report(results["set_size"], args)
        lines += size_lines
        checks += size_checks
    if results.get("scale"):
        scale_lines, scale_checks = scale_report(results["scale"], args)
        lines += scale_lines
        checks += scale_checks
    lines += ["", "Targets", ""]
    lines += _table(["target", "measured", "met"],
                    [[name, value, "yes" if ok else "NO"] for name, value, ok in checks])
    profiles = [("one serial build", results.get("profile"))]
    if results.get("scale"):
        profiles += [("the scale case's first build", results["scale"].get("profile_first")),
                     ("the scale case's rebuild with nothing changed",
                      results["scale"].get("profile_again"))]
    for what, prof in profiles:
        if prof:
            lines += _profile_tables(what, prof)
    return "\n".join(lines), all(ok for _, _, ok in checks)


def _main_report(results: dict[str, Any], args: argparse.Namespace,
                 ) -> tuple[list[str], list[tuple[str, str, bool]]]:
    """The tables of the course corpus (its first line describes it) and its checks."""
    corpus = results["corpus"]
    best: dict[tuple[str, int], dict[str, Any]] = results["best"]
    size: dict[str, dict[str, int]] = results["sizes"]
    jobs = args.jobs
    lines = [
        f"Corpus: {corpus['pages']} pages ({corpus['pages'] - corpus['myst_pages']} rST, "
        f"{corpus['myst_pages']} MyST) + {corpus['documents'] - corpus['pages']} index and "
        f"glossary pages, {corpus['references']} term references, "
        f"seed {args.seed}; best of {args.repeat} builds (lowest of each figure).",
        "",
        "Full build",
        "",
    ]
    refs = corpus["references"]

    rows = []
    for j in (1, jobs):
        label = "serial" if j == 1 else f"-j {j}"
        walls = {v: best[(v, j)]["wall"] for v in VARIANTS}
        rows.append([f"wall time, {label} (s)", *(f"{walls[v]:.2f}" for v in VARIANTS),
                     _ratio(walls["dl"], walls["term"])])
    for j in (1, jobs):
        label = "serial" if j == 1 else f"-j {j}"
        cpus = {v: best[(v, j)]["cpu"] for v in VARIANTS}
        rows.append([f"CPU time, {label} (s)", *(f"{cpus[v]:.2f}" for v in VARIANTS),
                     _ratio(cpus["dl"], cpus["term"])])
    for j in (1, jobs):
        label = "serial" if j == 1 else f"-j {j}"
        rss = {v: best[(v, j)]["maxrss"] for v in VARIANTS}
        rows.append([f"peak RSS, {label} (MiB)", *(f"{rss[v] / 1024:.0f}" for v in VARIANTS),
                     _ratio(rss["dl"], rss["term"])])
    rows.append(["output size (MiB)", *(_mib(size[v]["output"]) for v in VARIANTS),
                 _ratio(size["dl"]["output"], size["term"]["output"])])
    rows.append(["HTML size (MiB)", *(_mib(size[v]["html"]) for v in VARIANTS),
                 _ratio(size["dl"]["html"], size["term"]["html"])])
    rows.append(["glossary page (KiB)", *(f"{size[v]['glossary'] / 1024:.0f}" for v in VARIANTS),
                 _ratio(size["dl"]["glossary"], size["term"]["glossary"])])
    rows.append(["pages of all uses (KiB)", *(f"{size[v].get('uses', 0) / 1024:.0f}"
                                             for v in VARIANTS), ""])
    # What references add to the pages that hold them: not the glossary, not the uses pages
    per_ref = {
        v: ((size[v]["html"] - size[v]["glossary"] - size[v].get("uses", 0))
            - (size["plain"]["html"] - size["plain"]["glossary"])) / refs
        for v in ("term", "dl")
    }
    rows.append(["HTML bytes per reference", "-", f"{per_ref['term']:.0f}",
                 f"{per_ref['dl']:.0f}", _ratio(per_ref["dl"], per_ref["term"])])
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
        ["wall time, best (s)", f"{inc['term']['wall']:.2f}", f"{inc['dl']['wall']:.2f}"],
        ["wall time, median (s)", f"{inc['term']['median']:.2f}",
         f"{inc['dl']['median']:.2f}"],
    ]
    lines += _table(["", ":term:", "dlglossary"], rows)

    extra = sorted(set(inc["dl"]["written"]) - set(inc["term"]["written"]))
    checks = []
    for j in (1, jobs):
        r = best[("dl", j)]["wall"] / best[("term", j)]["wall"]
        c = best[("dl", j)]["cpu"] / best[("term", j)]["cpu"]
        label = "serial" if j == 1 else f"-j {j}"
        most = MAX_RATIO[1 if j == 1 else 0]
        checks.append((f"full build {label} <= {most}x :term: (wall time)",
                       f"{r:.3f}x (CPU time {c:.3f}x)", r <= most))
    uses = [f for f in extra if f.startswith("dlglossary-uses/")]
    others = [f for f in extra if f not in uses]
    checks.append((
        f"one edit writes <= {MAX_EXTRA_FILES} HTML file more than :term: (the glossary page),"
        " and the pages of all uses of the terms it touched",
        f"+{len(others)}" + (f" ({', '.join(others)})" if others else "")
        + f", {len(uses)} pages of all uses",
        len(others) <= MAX_EXTRA_FILES and set(others) <= {"glossary.html"},
    ))
    edit = inc["dl"]["wall"] / inc["term"]["wall"]
    median = inc["dl"]["median"] / inc["term"]["median"]
    checks.append((f"one edit's rebuild <= {MAX_EDIT_RATIO}x :term: (wall time)",
                   f"{edit:.2f}x best, {median:.2f}x median", edit <= MAX_EDIT_RATIO))
    checks.append((f"glossary page <= {MAX_GLOSSARY_BYTES // 1024} KiB",
                   f"{size['dl']['glossary'] / 1024:.0f} KiB",
                   size["dl"]["glossary"] <= MAX_GLOSSARY_BYTES))
    checks.append((f"<= {MAX_BYTES_PER_REF} bytes of HTML per reference",
                   f"{per_ref['dl']:.0f}", per_ref["dl"] <= MAX_BYTES_PER_REF))
    checks.append((f"runtime JS + CSS < {MAX_RUNTIME_GZIP} bytes gzip", f"{runtime_gz}",
                   runtime_gz < MAX_RUNTIME_GZIP))
    return lines, checks


def _profile_tables(what: str, prof: dict[str, Any]) -> list[str]:
    lines = ["", f"Profile of {what} (cProfile with a CPU clock; the profiler inflates every "
             "figure, compare them with each other only)", ""]
    lines += _table(["phase (cumulative CPU s)", ":term:", "dlglossary", "difference"],
                    [[label, f"{a:.2f}" if a else "", f"{b:.2f}", f"{b - a:+.2f}" if a else ""]
                     for label, a, b in prof["phases"]])
    lines += ["", f"Most expensive functions of {PACKAGE} (cumulative CPU s)", ""]
    lines += _table(["function", "cumulative", "own", "calls"],
                    [[name, f"{ct:.2f}", f"{tt:.2f}", str(n)]
                     for name, ct, tt, n in prof["functions"]])
    return lines


def _workdir(args: argparse.Namespace) -> Path:
    return (args.workdir or HERE / "_corpus" / f"p{args.pages}").resolve()


def course(args: argparse.Namespace, results: dict[str, Any]) -> list[Build]:
    """Build the course corpus three ways, serially and with ``-j``; rebuild after an edit.
    Adds the figures to *results*; returns every build."""
    root = _workdir(args)
    print(f"writing {args.pages} pages to {root} ...", file=sys.stderr, flush=True)
    corpus = generate(root, args.pages, args.seed)
    logs = root / "_logs"
    logs.mkdir(parents=True, exist_ok=True)

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

    results.update({
        "corpus": corpus.to_json(), "best": best,
        "sizes": {v: sizes(root / "_build" / f"{v}-j1") for v in VARIANTS},
        "assets": asset_sizes(root / "_build" / "dl-j1", corpus.edit_docname + ".html"),
    })
    print("  incremental builds ...", file=sys.stderr, flush=True)
    results["incremental"] = incremental(
        corpus, {v: root / "_build" / f"{v}-j1" for v in ("term", "dl")}, logs, args.repeat)
    if args.profile:
        print("  profiling (slow) ...", file=sys.stderr, flush=True)
        results["profile"] = profile_summary(profile(corpus, root, "term"),
                                             profile(corpus, root, "dl"))
    return builds


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
    parser.add_argument("--terms", type=int, default=5000,
                        help="project terms of the scale case (5000; 0 leaves it out)")
    parser.add_argument("--scale-pages", type=int,
                        help="pages of the scale case (as many as --pages)")
    parser.add_argument("--scale-referenced", type=int, default=500,
                        help="terms the scale case's pages draw their references from (500)")
    parser.add_argument("--scale-only", action="store_true",
                        help="build the scale case only, not the course corpus")
    parser.add_argument("--no-set-size", dest="set_size", action="store_false",
                        help="leave out the term-set size case (the same pages with the "
                             "first set's 49 terms and with the whole set)")
    parser.add_argument("--set-size-only", action="store_true",
                        help="build the term-set size case only")
    args = parser.parse_args(argv)
    if args.jobs < 2:
        parser.error("--jobs must be 2 or more (serial builds always run)")
    if args.scale_pages is None:
        args.scale_pages = args.pages
    if args.terms < 0 or args.scale_pages < 1 or args.scale_referenced < 1:
        parser.error("--terms must be 0 or more, --scale-pages and --scale-referenced 1 or more")
    if args.scale_only and not args.terms:
        parser.error("--scale-only needs --terms N (N > 0)")

    load_start = os.getloadavg()[0]
    code_start = package_fingerprint()
    results: dict[str, Any] = {"machine": machine()}
    builds: list[Build] = []
    if not (args.scale_only or args.set_size_only):
        builds = course(args, results)
    if args.set_size and not args.scale_only:
        results["set_size"] = set_size(args)
    if args.terms and not args.set_size_only:
        results["scale"] = scale(args)
    results["load"] = (load_start, os.getloadavg()[0])
    results["code"] = (code_start, package_fingerprint())
    text, _ = report(results, args)
    print(text)
    if args.json:
        best = results.get("best", {})
        data = dict(results, best={f"{v}-j{j}": b for (v, j), b in best.items()},
                    builds=[asdict(b) for b in builds])
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
