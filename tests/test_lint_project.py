"""``dlglossary lint`` sees what the build sees: ``conf.py``, notebooks and includes.

One project in rST, MyST and a notebook, with a project term file and exclusions in
``conf.py``, an rST and a MyST include, proves the README's promise: for every page, the
mentions the build auto-links are the mentions lint reports as DLG003, and ``lint --fix``
followed by ``sphinx-build -W`` passes. The other tests take each case of the issue the
way a user meets it: on the command line.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from common import body
from sphinxcontrib_dlglossary import cli

pytest.importorskip("myst_nb")

CONF = """\
extensions = ["myst_nb", "sphinxcontrib_dlglossary"]
dlglossary_term_files = ["terms.yaml"]
dlglossary_exclude = ["gradient-descent"]
dlglossary_autolink = True
dlglossary_autolink_exclude = ["dropout"]
exclude_patterns = ["_build", "_parts"]
nb_execution_mode = "off"
"""

TERMS = """\
version: 1
terms:
  - key: teacher-forcing
    title: Teacher forcing
    definition: Training a sequence model on the true previous outputs instead of its own.
"""

INDEX = """\
Course
======

Teacher forcing trains a decoder. Gradient descent and dropout follow, and an
:dlterm:`epoch` passes.

.. include:: _parts/shared.rst

.. toctree::

   training
   notes
   glossary
"""

SHARED_RST = "Overfitting is common; so is a hidden layer.\n"

NOTES = """\
# Notes

Backpropagation and overfitting. {dlterm}`Teacher forcing <teacher-forcing>` again.

```{include} _parts/shared.md
```

Teacher forcing once more.
"""

SHARED_MD = "A minibatch, and batch normalization.\n"

GLOSSARY = "# Glossary\n\n```{dlglossary}\n```\n"


def notebook(cells: list[tuple[str, str, dict[str, Any]]]) -> str:
    """A notebook as Jupyter writes it: ``(cell_type, source, metadata)`` per cell."""
    out = []
    for i, (kind, source, metadata) in enumerate(cells):
        cell: dict[str, Any] = {"cell_type": kind, "id": f"c{i}", "metadata": metadata,
                                "source": source.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=1, outputs=[
                {"name": "stdout", "output_type": "stream", "text": ["overfitting\n"]},
                {"data": {"image/png": "iVBORw0KGgo=\n", "text/plain": ["<Figure>"]},
                 "metadata": {}, "output_type": "display_data"}])
        out.append(cell)
    nb = {"cells": out, "metadata": {"kernelspec": {"display_name": "Python 3",
                                                    "language": "python", "name": "python3"},
                                     "language_info": {"name": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


TRAINING = notebook([
    ("markdown", "# Training\n\nEach minibatch goes through a hidden layer; teacher forcing "
                 "helps.\n", {}),
    ("code", "loss = train(model)  # overfitting here is code\n", {}),
    ("markdown", "Dropout is left alone. Early stopping ends the run.\n",
     {"tags": ["remove-cell"]}),
    ("markdown", "Early stopping ends the run; data augmentation helps.\n", {}),
    ("markdown", "Batch normalization is named here only.\n", {"tags": ["no-autolink"]}),
])

FILES = {
    "conf.py": CONF, "terms.yaml": TERMS, "index.rst": INDEX, "_parts/shared.rst": SHARED_RST,
    "notes.md": NOTES, "_parts/shared.md": SHARED_MD, "glossary.md": GLOSSARY,
    "training.ipynb": TRAINING,
}
PAGES = ("index.rst", "notes.md", "training.ipynb")


def build_project(src: Path, freshenv: bool = True, strict: bool = False
                  ) -> tuple[Path, str]:
    """Build *src* with ``sphinx-build`` in its own process (myst-nb changes Sphinx's
    defaults in the process it runs in); the output folder and the warnings. *strict*:
    ``-W``, warnings are errors."""
    out = src / "_build" / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-q", *(["-E"] if freshenv else []),
         *(["-W"] if strict else []), str(src), str(out)],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return out, proc.stderr


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def lint(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["lint", "--no-pyproject", *args])
    out, err = capsys.readouterr()
    return code, out, err


def lint_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    code, out, err = lint(capsys, "--format", "json", *args)
    assert code in (0, 1), err
    return json.loads(out)["findings"]


def auto_links(html: str) -> list[str]:
    """The text of each auto-made term link on a built page."""
    return [a.get_text() for a in body(html).select("a.dlterm-auto")]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    src = write(tmp_path / "docs", FILES)
    monkeypatch.chdir(tmp_path)
    return src


def test_the_build_auto_links_what_lint_reports(project: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out, warnings = build_project(project, freshenv=True)
    assert "WARNING" not in warnings, warnings
    for page in PAGES:
        linked = auto_links((out / Path(page).with_suffix(".html")).read_text("utf-8"))
        reported = [f["text"] for f in lint_json(capsys, f"docs/{page}")
                    if f["code"] == "DLG003"]
        assert Counter(reported) == Counter(linked), page
        assert linked, page  # each page has something to link
        if page == "training.ipynb":  # the cell tagged no-autolink, in both
            assert "Batch normalization" not in linked
    # What the issue names: the project's term is known, the excluded ones are not proposed.
    everything = lint_json(capsys)
    assert not [f for f in everything if f["code"] == "DLG001"]
    proposed = {f["term"] for f in everything if f["code"] == "DLG003"}
    assert "teacher-forcing" in proposed
    assert not {"gradient-descent", "dropout"} & proposed
    # A finding in an included file is reported once, at its own place.
    shared = [f for f in everything if f["path"] == "docs/_parts/shared.md"]
    assert [(f["line"], f["column"], f["text"]) for f in shared] == [
        (1, 3, "minibatch"), (1, 18, "batch normalization")]


def test_fix_then_a_strict_build_passes(project: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    before = json.loads((project / "training.ipynb").read_text("utf-8"))
    code, _, err = lint(capsys, "--fix")
    assert code == 0, err
    assert re.search(r"Fixed \d+ finding\(s\) in 5 file\(s\); nothing remains\.", err), err
    assert "{dlterm}`minibatch`" in (project / "_parts/shared.md").read_text("utf-8")
    assert ":dlterm:`Overfitting`" in (project / "_parts/shared.rst").read_text("utf-8")

    after = json.loads((project / "training.ipynb").read_text("utf-8"))
    changed = [i for i, (a, b) in enumerate(zip(before["cells"], after["cells"], strict=True))
               if a != b]
    assert changed == [0, 3]  # the markdown cells with mentions; never code or removed cells
    assert after["cells"][0]["source"][-1] == (
        "Each {dlterm}`minibatch` goes through a {dlterm}`hidden layer`; "
        "{dlterm}`teacher forcing` helps.\n")
    for a, b in zip(before["cells"], after["cells"], strict=True):
        assert {k: v for k, v in a.items() if k != "source"} == \
            {k: v for k, v in b.items() if k != "source"}
    nbformat = pytest.importorskip("nbformat")
    nbformat.validate(nbformat.reads((project / "training.ipynb").read_text("utf-8"),
                                     as_version=4))

    _, warnings = build_project(project, freshenv=True, strict=True)  # fails on a warning
    assert "WARNING" not in warnings and "ERROR" not in warnings, warnings
    assert lint(capsys)[0] == 0


def test_fix_changes_only_the_markdown_lines_it_must(project: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    raw = (project / "training.ipynb").read_text("utf-8")
    assert lint(capsys, "--fix", "docs/training.ipynb")[0] == 0
    new = (project / "training.ipynb").read_text("utf-8")
    changed = [(a, b) for a, b in zip(raw.splitlines(), new.splitlines(), strict=True)
               if a != b]
    assert len(changed) == 2  # one line in each of two cells: the rest byte for byte
    assert new.endswith("}\n") and len(raw.splitlines()) == len(new.splitlines())


def test_without_conf_lint_does_not_know_the_project(project: Path,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    (project / "more.md").write_text("{dlterm}`teacher forcing`, {dlterm}`dropout`.\n",
                                     "utf-8")
    assert lint(capsys, "docs/more.md")[0] == 0
    code, out, _ = lint(capsys, "--no-conf", "docs/more.md")
    assert code == 1
    assert "DLG001 unknown term 'teacher forcing'" in out
    # Named explicitly, or by folder: the same conf.py.
    assert lint(capsys, "--conf", "docs", "docs/more.md")[0] == 0


def test_an_excluded_term_in_a_role_says_why(project: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (project / "more.md").write_text("A {dlterm}`gradient descent` step.\n", "utf-8")
    code, out, _ = lint(capsys, "docs/more.md")
    assert code == 1
    assert ("docs/more.md:1:12: DLG001 unknown term 'gradient descent' in a dlterm role "
            "(term 'gradient-descent' is excluded by dlglossary_exclude)") in out


def test_notebook_findings_carry_the_cell(project: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    (project / "training.ipynb").write_text(notebook([
        ("code", "x = 1\n", {}),
        ("markdown", "# Title\n\nUse a {dlterm}`kernal` here.\n", {}),
    ]), "utf-8")
    code, out, _ = lint(capsys, "--select", "DLG001", "docs/training.ipynb")
    assert code == 1
    assert out == ("docs/training.ipynb:cell 2:3:16: DLG001 unknown term 'kernal' in a "
                   "dlterm role; did you mean 'kernel'?\n")
    [found] = lint_json(capsys, "--select", "DLG001", "docs/training.ipynb")
    assert (found["cell"], found["cell_id"], found["line"], found["column"]) == (2, "c1", 3, 16)
    raw_lines = (project / "training.ipynb").read_text("utf-8").splitlines()
    _, github, _ = lint(capsys, "--format", "github", "--select", "DLG001",
                        "docs/training.ipynb")
    line = int(re.search(r",line=(\d+),", github).group(1))  # type: ignore[union-attr]
    assert "kernal" in raw_lines[line - 1]
    assert "cell 2, line 3, column 16: unknown term" in github
    _, sarif, _ = lint(capsys, "--format", "sarif", "--select", "DLG001",
                       "docs/training.ipynb")
    [result] = json.loads(sarif)["runs"][0]["results"]
    [location] = result["locations"]
    assert location["physicalLocation"]["region"] == {"startLine": line}
    assert location["logicalLocations"] == [{"name": "cell 2", "kind": "notebookCell"}]
    assert location["properties"]["cell"] == 2


def test_the_build_reports_the_same_unknown_term_in_the_notebook(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "training.ipynb").write_text(notebook([
        ("markdown", "# Training\n\nA {dlterm}`kernal`.\n", {})]), "utf-8")
    _, warnings = build_project(project, freshenv=True)
    assert "unknown term 'kernal'; did you mean 'kernel'?" in warnings
    code, out, _ = lint(capsys)  # no path: the project
    assert code == 1
    assert "docs/training.ipynb:cell 1:3:12: DLG001 unknown term 'kernal'" in out


def test_notebook_opt_outs(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cells: list[tuple[str, str, dict[str, Any]]] = [
        ("markdown", "A minibatch and {dlterm}`kernal`.\n", {"tags": ["dlglossary-disable"]}),
        ("markdown", "A hidden layer and {dlterm}`kernal`.\n",
         {"dlglossary": {"disable": ["DLG001"]}}),
        ("markdown", "<!-- dlglossary: disable-next-line -->\nOverfitting.\n\nDropout, "
                     "backpropagation, {dlterm}`kernal`.\n", {}),
    ]
    (project / "training.ipynb").write_text(notebook(cells), "utf-8")
    found = lint_json(capsys, "docs/training.ipynb")
    assert [(f["cell"], f["code"], f["text"]) for f in found] == [
        (2, "DLG003", "hidden layer"), (3, "DLG003", "backpropagation"),
        (3, "DLG001", "kernal")]
    # The whole notebook: lint metadata, or the page's auto-link opt-out (myst-nb hands
    # the notebook's metadata to the page, so the build skips it too).
    nb = json.loads(notebook(cells))
    nb["metadata"]["dlglossary"] = {"disable": ["DLG003"]}
    (project / "training.ipynb").write_text(json.dumps(nb, indent=1), "utf-8")
    assert [f["code"] for f in lint_json(capsys, "docs/training.ipynb")] == ["DLG001"]
    nb["metadata"] = {"dlglossary_autolink": False}
    (project / "training.ipynb").write_text(json.dumps(nb, indent=1), "utf-8")
    assert [f["code"] for f in lint_json(capsys, "docs/training.ipynb")] == ["DLG001"]


def test_text_notebooks_stay_markdown(project: Path, capsys: pytest.CaptureFixture[str]
                                      ) -> None:
    (project / "text.md").write_text(
        "---\njupytext:\n  text_representation:\n    format_name: myst\nkernelspec:\n"
        "  name: python3\n  display_name: Python 3\n---\n\n# Text notebook\n\n"
        "A minibatch.\n\n```{code-cell} python\nminibatch = 3\n```\n", "utf-8")
    found = lint_json(capsys, "docs/text.md")
    assert [(f["line"], f["text"]) for f in found] == [(12, "minibatch")]


def test_an_included_file_is_fixed_once_for_two_pages(project: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    (project / "more.md").write_text("# More\n\n```{include} _parts/shared.md\n```\n", "utf-8")
    found = [f for f in lint_json(capsys) if f["path"] == "docs/_parts/shared.md"]
    assert len(found) == 2  # included by notes.md and more.md, reported once
    lint(capsys, "--fix", "--select", "DLG003")
    assert (project / "_parts/shared.md").read_text("utf-8") == \
        "A {dlterm}`minibatch`, and {dlterm}`batch normalization`.\n"


def test_include_problems_are_notes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "more.rst").write_text(
        "More\n====\n\n.. include:: missing.rst\n\n.. include:: more.rst\n\n"
        ".. include:: _parts/shared.rst\n   :literal:\n", "utf-8")
    code, out, err = lint(capsys, "docs/more.rst")
    assert "docs/more.rst:4: note: include 'missing.rst' not followed: cannot read" in err
    assert "docs/more.rst:6: note: include 'more.rst' not followed: includes itself" in err
    assert "Overfitting" not in out  # a literal include is code
    assert code == 0


def test_section_scope_follows_the_build(project: Path, capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    write(project, {
        "conf.py": CONF + 'dlglossary_autolink_scope = "section"\n',
        "index.rst": "Course\n======\n\nA minibatch.\n\nPart\n----\n\nA minibatch and "
                     ":dlterm:`overfitting`; overfitting.\n\nOther\n-----\n\nOverfitting "
                     "and a minibatch.\n\n.. toctree::\n\n   glossary\n",
    })
    for name in ("notes.md", "training.ipynb"):
        (project / name).unlink()
    out, warnings = build_project(project, freshenv=True)
    assert "WARNING" not in warnings, warnings
    linked = auto_links((out / "index.html").read_text("utf-8"))
    reported = [f["text"] for f in lint_json(capsys, "docs/index.rst")
                if f["code"] == "DLG003"]
    assert reported == linked == ["minibatch", "minibatch", "Overfitting", "minibatch"]


def test_conf_errors_are_messages(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "conf.py").write_text('extensions = []\nraise ValueError("no theme")\n',
                                     "utf-8")
    code, _, err = lint(capsys)
    assert code == 2
    assert err.strip() == (f"error: {project / 'conf.py'}:2: running conf.py raised "
                           "ValueError: no theme (use --no-conf to lint without it)")
    assert "Traceback" not in err
    (project / "conf.py").write_text("extensions = [\n", "utf-8")
    code, _, err = lint(capsys)
    assert code == 2 and "conf.py:1: syntax error" in err
    assert lint(capsys, "--no-conf", "docs/index.rst")[0] == 1


def test_conf_values_are_checked_as_the_build_checks_them(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "conf.py").write_text(CONF + 'dlglossary_autolink_exclude = "dropout"\n',
                                     "utf-8")
    code, _, err = lint(capsys, "docs/index.rst")
    assert "dlglossary_autolink_exclude = 'dropout' is not valid" in err
    assert code == 1


def test_conf_is_found_below_the_repository(project: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    # Run from the repository's top folder: docs/conf.py is the project.
    code, _, err = lint(capsys)
    assert code == 1
    assert "in 5 file(s)" in err


def test_renamed_settings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("pyproject.toml").write_text(
        '[tool.dlglossary.lint]\nexclude = ["docs/_parts"]\n', "utf-8")
    capsys.readouterr()
    code = cli.main(["lint", "--select", "DLG003"])
    out, err = capsys.readouterr()
    assert "'exclude' is now called 'exclude-paths'" in err
    assert code == 1 and "_parts" in out  # included files are still checked through pages
    Path("pyproject.toml").write_text(
        '[tool.dlglossary.lint]\nexclude = ["a"]\nexclude-paths = ["b"]\n', "utf-8")
    assert cli.main(["lint"]) == 2
    assert "keep one" in capsys.readouterr().err


def test_project_suffixes_and_patterns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {
        "conf.py": 'source_suffix = {".rst": "restructuredtext", ".txt": '
                   '"restructuredtext"}\nexclude_patterns = ["drafts/**", "old.rst"]\n',
        "a.txt": "A minibatch.\n", "b.rst": "A minibatch.\n", "old.rst": "A minibatch.\n",
        "drafts/c.rst": "A minibatch.\n", "d.md": "A minibatch.\n",
    })
    monkeypatch.chdir(tmp_path)
    found = lint_json(capsys)
    assert sorted({f["path"] for f in found}) == ["a.txt", "b.rst"]


def test_text_output_is_unchanged_for_plain_files(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "p.md"
    page.write_text("A minibatch.\n", "utf-8")
    _, out, _ = lint(capsys, "--no-conf", str(page))
    assert out == (f"{page}:1:3: DLG003 first mention of 'Minibatch' on this page is not "
                   "linked; write {dlterm}`minibatch` (fixable)\n")


def test_worker_processes_give_the_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    pages = {f"p{i:03d}.{'md' if i % 2 else 'rst'}":
             f"A minibatch, {'{dlterm}`kernal`' if i % 7 == 0 else 'a hidden layer'}.\n"
             for i in range(40)}
    write(tmp_path, {**pages, "part.md": "Overfitting.\n",
                     "p001.md": "A minibatch.\n\n```{include} part.md\n```\n",
                     "p003.md": "Dropout.\n\n```{include} part.md\n```\n"})
    monkeypatch.chdir(tmp_path)
    serial = lint(capsys, "--no-conf", "--jobs", "1", ".")
    parallel = lint(capsys, "--no-conf", "--jobs", "3", ".")
    assert serial == parallel
    assert serial[1].count("part.md:1:1: DLG003") == 1
    assert serial[1].count("DLG001") == 3  # in the MyST pages: rST sees no role there
    assert lint(capsys, "--no-conf", "--jobs", "3", "--fix", ".")[0] == 1  # DLG001 remains
    assert lint(capsys, "--no-conf", "--jobs", "3", "--select", "DLG003", ".")[0] == 0


def test_a_notebook_s_own_myst_settings(project: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    """myst-nb parses a notebook with its metadata's ``myst`` settings: without dollarmath,
    ``$...$`` is text, so a term in it is a mention, for the build and for lint."""
    (project / "conf.py").write_text(CONF + 'myst_enable_extensions = ["dollarmath"]\n',
                                     "utf-8")
    cells = notebook([("markdown", "# Costs\n\nThe cost is $a minibatch$ here.\n", {})])
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({}, []), ({"myst": {"enable_extensions": []}}, ["minibatch"])]
    for metadata, expected in cases:
        nb = json.loads(cells)
        nb["metadata"].update(metadata)
        (project / "training.ipynb").write_text(json.dumps(nb, indent=1), "utf-8")
        out, warnings = build_project(project)
        assert "WARNING" not in warnings, warnings
        linked = auto_links((out / "training.html").read_text("utf-8"))
        reported = [f["text"] for f in lint_json(capsys, "docs/training.ipynb")]
        assert linked == reported == expected, metadata


def test_a_page_s_own_myst_settings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "conf.py").write_text(CONF + 'myst_enable_extensions = ["dollarmath"]\n',
                                     "utf-8")
    page = "---\nmyst:\n  enable_extensions: []\n---\n# Costs\n\nIt is $a minibatch$.\n"
    (project / "costs.md").write_text(page, "utf-8")
    assert [f["text"] for f in lint_json(capsys, "docs/costs.md")] == ["minibatch"]
    (project / "costs.md").write_text(page.replace("[]", "[dollarmath]"), "utf-8")
    assert lint_json(capsys, "docs/costs.md") == []
