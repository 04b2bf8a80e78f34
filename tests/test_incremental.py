"""Incremental and parallel builds: the glossary page is right without ``-E`` and with ``-j``.

Each test copies a small project to a temporary folder, builds it, edits sources the way an
author does, builds again in a new Sphinx application (as a second ``sphinx-build`` run
would), and looks at the written pages. "Written" is read off the files' modification times.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import sphinx

from common import build_project

PAGES = {
    "conf.py": 'extensions = ["myst_parser", "sphinxcontrib_dlglossary"]\n'
               'myst_enable_extensions = ["dollarmath"]\n',
    "index.rst": "Home\n====\n\nStart with :dlterm:`kernels <kernel>`.\n\n"
                 ".. toctree::\n\n   part\n   glossary\n",
    # The pages sit one level down, so their toctree parent is not the glossary's.
    "part.rst": "Part\n====\n\n.. toctree::\n\n   one\n   two\n",
    "one.rst": "One\n===\n\nA :dlterm:`CNN` has a :dlterm:`kernel`. Train in :dlterm:`epochs`.\n",
    "two.md": "# Two\n\nA {dlterm}`kernel` again and a {dlterm}`U-Net`.\n",
    "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build(src: Path, parallel: int = 0, **overrides: Any) -> tuple[Path, str]:
    return build_project(src, parallel=parallel, **overrides)


def snapshot(outdir: Path) -> dict[str, int]:
    return {p.relative_to(outdir).as_posix(): p.stat().st_mtime_ns
            for p in outdir.rglob("*.html")}


def written(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name, mtime in after.items() if before.get(name) != mtime}


def backlink_pages(html: str, key: str) -> list[str]:
    """Hrefs of the backlinks under the term *key* on a glossary page."""
    entry = html.split(f'<dt id="{key}">', 1)[1].split("</dd>", 1)[0]
    box = re.search(r'<div class="dlglossary-backlinks[^"]*">(.*)</div>', entry, re.S)
    return re.findall(r'href="([^"]+)"', box.group(1)) if box else []


@pytest.fixture
def project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    write(src, PAGES)
    return src


def glossary(outdir: Path) -> str:
    return (outdir / "glossary.html").read_text(encoding="utf-8")


def test_removing_a_reference_removes_its_backlink(project: Path) -> None:
    out, _ = build(project)
    assert backlink_pages(glossary(out), "kernel") == [
        "index.html#dlterm-1", "one.html#dlterm-2", "two.html#dlterm-1"]
    before = snapshot(out)
    write(project, {"two.md": "# Two\n\nNo kernel here, but a {dlterm}`U-Net`.\n"})
    out, warnings = build(project)
    assert warnings == ""
    assert backlink_pages(glossary(out), "kernel") == ["index.html#dlterm-1", "one.html#dlterm-2"]
    assert backlink_pages(glossary(out), "u-net") == ["two.html#dlterm-1"]
    # Sphinx rewrites the page, its toctree parent, genindex and search (before 8.2 also
    # the root document, on every build); we add the glossary page, and not the glossary's
    # own toctree parent (index).
    expected = {"two.html", "part.html", "glossary.html", "genindex.html", "search.html"}
    if sphinx.version_info[:2] < (8, 2):
        expected.add("index.html")
    assert written(before, snapshot(out)) == expected


def test_adding_and_deleting_a_page(project: Path) -> None:
    out, _ = build(project)
    write(project, {
        "three.rst": "Three\n=====\n\nA :dlterm:`minibatch` and a :dlterm:`kernel`.\n",
        "part.rst": PAGES["part.rst"].replace("   two\n", "   two\n   three\n"),
    })
    out, warnings = build(project)
    assert warnings == ""
    assert backlink_pages(glossary(out), "minibatch") == ["three.html#dlterm-1"]
    assert "three.html#dlterm-2" in backlink_pages(glossary(out), "kernel")

    (project / "three.rst").unlink()
    write(project, {"part.rst": PAGES["part.rst"]})
    out, warnings = build(project)
    assert backlink_pages(glossary(out), "minibatch") == []
    assert all("three.html" not in href for href in backlink_pages(glossary(out), "kernel"))


def _baseline_files() -> dict[str, str]:
    """The same project without the extension: references are plain emphasis."""
    files = {name: re.sub(r"(?::dlterm:|\{dlterm\})`([^`<]*?)(?:\s*<[^>]*>)?`", r"*\1*", text)
             for name, text in PAGES.items()}
    files["conf.py"] = 'extensions = ["myst_parser"]\n'
    files["glossary.rst"] = "Glossary\n========\n\nThe terms.\n"
    return files


def test_an_edit_rewrites_only_the_glossary_page_more_than_sphinx_does(tmp_path: Path) -> None:
    """Sphinx rewrites the page, genindex and search; we add the glossary page, nothing else."""
    results = {}
    for name, files, edit in (
        ("with", PAGES, {"one.rst": PAGES["one.rst"].replace(" Train in :dlterm:`epochs`.", "")}),
        ("without", _baseline_files(),
         {"one.rst": _baseline_files()["one.rst"].replace(" Train in *epochs*.", "")}),
    ):
        src = tmp_path / name
        write(src, files)
        out, _ = build(src)
        before = snapshot(out)
        write(src, edit)
        out, _ = build(src)
        results[name] = written(before, snapshot(out))
    assert results["with"] - results["without"] == {"glossary.html"}
    assert results["without"] <= results["with"]


def test_an_edit_that_moves_references_gives_the_glossary_page_a_full_build_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where an edit changes only backlinks, the glossary page is not written through
    Sphinx again: its backlinks are replaced in the written file. After each edit, the
    page's content is byte for byte what a build from scratch of the same sources writes.
    (Not its "previous page" link, which a new page before it changes: Sphinx leaves
    that stale on every page it does not write for its own reasons, with or without us.)"""

    def main_text(html: str) -> str:
        return html.split('<div class="body" role="main">', 1)[1].split(
            '<div class="sphinxsidebar"', 1)[0]

    from sphinxcontrib_dlglossary.sphinx_ext import glossary_page

    made: list[str] = []
    real = glossary_page.glossary

    def counting(domain: Any, spec: Any, *args: Any, **kwargs: Any) -> Any:
        made.append(spec.docname)
        return real(domain, spec, *args, **kwargs)

    monkeypatch.setattr(glossary_page, "glossary", counting)
    extra = {f"p{i}.rst": f"Page {i}\n======\n\nA :dlterm:`kernel` in page {i}.\n"
             for i in range(6)}
    pages = {**PAGES, **extra,
             "part.rst": PAGES["part.rst"] + "".join(f"   p{i}\n" for i in range(6)),
             "glossary.rst": PAGES["glossary.rst"] + "\nBy tag\n------\n\n"
                             ".. dlglossary::\n   :tags: training\n"}
    src = tmp_path / "src"
    write(src, pages)
    out, warnings = build(src)
    assert warnings == ""
    edits: list[tuple[str, dict[str, str], bool]] = [
        # epochs loses its only use, minibatch gets its first, kernel one use more
        ("references", {"one.rst": "One\n===\n\nA :dlterm:`CNN` has a :dlterm:`kernel` "
                                   "and a :dlterm:`kernel`. Train in :dlterm:`minibatches`.\n"},
         True),
        ("section", {"two.md": "# Two\n\n## Later on\n\nA {dlterm}`kernel` again and a "
                               "{dlterm}`U-Net`.\n"}, True),
        ("title", {"p3.rst": extra["p3.rst"].replace("Page 3\n", "Third\n")}, True),
        ("new page", {"p6.rst": "Page 6\n======\n\nA :dlterm:`kernel` and an "
                                ":dlterm:`epoch`.\n",
                      "part.rst": pages["part.rst"] + "   p6\n"}, True),
        ("term file", {"terms.yaml": "version: 1\nterms:\n  - key: cutout\n    title: "
                                     "Cutout\n    definition: Masking patches.\n",
                       "conf.py": PAGES["conf.py"]
                       + 'dlglossary_term_files = ["terms.yaml"]\n'}, False),
    ]
    for what, edit, spliced in edits:
        made.clear()
        write(src, edit)
        pages.update(edit)
        out, warnings = build(src)
        assert warnings == "", what
        assert ("glossary" not in made) is spliced, what
        fresh = tmp_path / what.replace(" ", "-")
        write(fresh, pages)
        fresh_out, _ = build(fresh)
        assert main_text(glossary(out)) == main_text(glossary(fresh_out)), what
    page = glossary(out)
    assert backlink_pages(page, "epoch") == ["p6.html#dlterm-2"]
    kernel = page.split('<dt id="kernel">', 1)[1].split("</dd>", 1)[0]
    assert "(Later on)" in kernel and ">Third<" in kernel, kernel
    assert "and 5 more pages" in kernel, kernel


def test_editing_a_term_file_rebuilds_the_pages_that_use_the_term(tmp_path: Path) -> None:
    src = tmp_path / "src"
    terms = ("version: 1\nterms:\n  - key: cutout\n    title: Cutout\n"
             "    definition: Randomly masking square patches of training images.\n")
    write(src, {**PAGES, "terms.yaml": terms,
                "two.md": PAGES["two.md"] + "\nUse {dlterm}`cutout`.\n",
                "conf.py": PAGES["conf.py"] + 'dlglossary_term_files = ["terms.yaml"]\n'})
    out, warnings = build(src)
    assert warnings == ""
    before = snapshot(out)
    write(src, {"terms.yaml": terms.replace("Randomly masking", "Randomly erasing")})
    out, warnings = build(src)
    changed = written(before, snapshot(out))
    assert {"two.html", "glossary.html"} <= changed
    assert "one.html" not in changed  # uses no changed term
    assert "Randomly erasing square patches" in glossary(out)
    terms_js = (out / "_static" / "dlglossary-terms.js").read_text(encoding="utf-8")
    assert "Randomly erasing square patches" in terms_js


def test_a_new_term_resolves_a_reference_that_was_unknown(tmp_path: Path) -> None:
    src = tmp_path / "src"
    empty = "version: 1\nterms: []\n"
    write(src, {**PAGES, "terms.yaml": empty,
                "two.md": PAGES["two.md"] + "\nUse {dlterm}`cutout`.\n",
                "conf.py": PAGES["conf.py"] + 'dlglossary_term_files = ["terms.yaml"]\n'})
    out, warnings = build(src)
    assert "unknown term 'cutout'" in warnings
    write(src, {"terms.yaml": "version: 1\nterms:\n  - key: cutout\n    title: Cutout\n"
                              "    definition: Randomly masking square patches of images.\n"})
    out, warnings = build(src)
    assert warnings == ""
    assert 'href="glossary.html#cutout"' in (out / "two.html").read_text("utf-8")


def test_serial_and_parallel_builds_give_the_same_glossary_page(tmp_path: Path) -> None:
    pages = dict(PAGES)
    names = [f"p{i:02d}" for i in range(12)]
    for i, name in enumerate(names):
        pages[f"{name}.rst"] = (f"Page {i}\n=======\n\n:dlterm:`kernel` :dlterm:`CNN` "
                                f":dlterm:`epochs` {':dlterm:`tensor`' if i % 2 else ''}\n")
    pages["part.rst"] = PAGES["part.rst"] + "".join(f"   {n}\n" for n in names)
    pages_html: list[str] = []
    inventories: list[bytes] = []
    for parallel in (0, 2):
        src = tmp_path / f"j{parallel}"
        write(src, pages)
        out, warnings = build(src, parallel=parallel)
        assert warnings == ""
        pages_html.append(glossary(out))
        inventories.append((out / "objects.inv").read_bytes())
    assert pages_html[0] == pages_html[1]
    assert inventories[0] == inventories[1]
    assert len(backlink_pages(pages_html[0], "kernel")) == 3 + 12


def test_two_builds_give_identical_output(tmp_path: Path) -> None:
    trees = []
    for run in ("a", "b"):
        src = tmp_path / run
        write(src, PAGES)
        out, _ = build(src)
        trees.append({p.relative_to(out).as_posix(): p.read_bytes()
                      for p in sorted(out.rglob("*"))
                      if p.is_file() and p.suffix in (".html", ".js", ".inv")})
        shutil.rmtree(src / "_build" / "doctrees", ignore_errors=True)
    assert trees[0].keys() == trees[1].keys()
    differing = [name for name in trees[0] if trees[0][name] != trees[1][name]]
    assert differing == []


def test_dlglossary_json_follows_every_change_and_is_not_remade_without_one(
        project: Path) -> None:
    """dlglossary.json is made only when what it is made from changed (or the file did)."""
    out, _ = build(project)
    data_file = out / "dlglossary.json"

    def kernel_pages() -> list[tuple[str, str, int]]:
        data = json.loads(data_file.read_text(encoding="utf-8"))
        term = next(t for t in data["terms"] if t["key"] == "kernel")
        return [(u["page"], u["title"], u["count"]) for u in term["used_by"]]

    assert kernel_pages() == [("index", "Home", 1), ("one", "One", 1), ("two", "Two", 1)]
    made = data_file.stat().st_mtime_ns
    build(project)
    assert data_file.stat().st_mtime_ns == made  # nothing changed: not made again
    write(project, {"two.md": "# Second\n\nA {dlterm}`kernel`, {dlterm}`kernels` and a "
                              "{dlterm}`U-Net`.\n"})
    build(project)
    assert kernel_pages() == [("index", "Home", 1), ("one", "One", 1), ("two", "Second", 2)]
    data_file.write_text("{}", encoding="utf-8")  # edited (or damaged) in the output
    build(project)
    assert kernel_pages()[2] == ("two", "Second", 2)
    data_file.unlink()
    build(project)
    assert kernel_pages()[2] == ("two", "Second", 2)


def test_definitions_parsed_in_one_build_are_kept_for_the_next(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rewriting the glossary page after an edit takes its definitions from the doctree
    folder, as a new ``sphinx-build`` process would (no text is parsed again); a store
    that cannot be read is parsed again, with the same page. (The glossary page's source
    is written too: an edit that changes backlinks only would not write the page.)"""
    from sphinxcontrib_dlglossary.sphinx_ext import definitions

    out, warnings = build(project)
    assert warnings == ""
    first = glossary(out)
    store = out.parent / "doctrees" / definitions.STORE_NAME
    assert store.stat().st_size > 0
    parsed: list[str] = []
    parse = definitions._parse

    def counting(text: str) -> Any:
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr(definitions, "_parse", counting)
    monkeypatch.setattr(definitions, "_PARSED", {})  # a new process
    write(project, {"two.md": PAGES["two.md"] + "\nAnd one more {dlterm}`kernel`.\n",
                    "glossary.rst": PAGES["glossary.rst"]})
    out, warnings = build(project)
    assert warnings == ""
    assert parsed == []
    assert glossary(out) != first  # rewritten: the kernel's backlink notes changed
    assert "two.html" in " ".join(backlink_pages(glossary(out), "kernel"))

    store.write_bytes(b"not a pickle")
    monkeypatch.setattr(definitions, "_PARSED", {})
    write(project, {"two.md": PAGES["two.md"], "glossary.rst": PAGES["glossary.rst"]})
    out, warnings = build(project)
    assert warnings == ""
    assert parsed  # parsed again
    assert glossary(out) == first
