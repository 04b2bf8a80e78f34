"""``dlglossary lint --fix`` on a real project, checked by building it before and after.

The fix only wraps first mentions in the role of each file's own syntax, so the text the
reader sees must not change, the -W build must stay clean, the number of term links must
rise by exactly the number of fixes, and a second ``--fix`` must change nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from common import build_project
from sphinxcontrib_dlglossary import cli

PAGES = {
    "conf.py": 'extensions = ["myst_parser", "sphinxcontrib_dlglossary"]\n',
    "index.rst": """Course
======

A convolutional neural network stacks convolutional layers; each epoch
runs over the training set in minibatches, and :dlterm:`backpropagation` computes the
gradients. Backpropagation again, and ``gradient descent`` in code.

.. note::

   Overfitting shows on the validation set.

.. toctree::

   training
   glossary
""",
    "training.md": """# Training

We use early stopping and data augmentation. A hidden layer feeds a
latent space. Transfer learning comes later; early stopping once more.

| Idea | Note |
| --- | --- |
| Regularization | fights overfitting |
""",
    "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
}


def build(src: Path, builder: str) -> tuple[Path, str]:
    return build_project(src, builder=builder, freshenv=True)


def texts(outdir: Path) -> dict[str, str]:
    """The text output of the pages (the glossary page gains backlinks, as it should)."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(outdir.glob("*.txt"))
            if p.name != "glossary.txt"}


def link_count(outdir: Path) -> int:
    return sum(len(re.findall(r'<a class="dlterm[ "]', p.read_text(encoding="utf-8")))
               for p in outdir.glob("*.html") if p.name != "glossary.html")


def lint(src: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    files = [str(src / "index.rst"), str(src / "training.md")]
    code = cli.main(["lint", "--no-config", "--select", "DLG003", *args, *files])
    return code, capsys.readouterr().out


def test_fix_then_build_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, text in PAGES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    text_before, warnings = build(tmp_path, "text")
    assert warnings == ""
    before_text = texts(text_before)
    html_before, _ = build(tmp_path, "html")
    links_before = link_count(html_before)

    code, report = lint(tmp_path, capsys=capsys)
    assert code == 1
    findings = [line for line in report.splitlines() if " DLG003 " in line]
    assert len(findings) == 13, report

    code, _ = lint(tmp_path, "--fix", capsys=capsys)
    fixed = {name: (tmp_path / name).read_text(encoding="utf-8") for name in PAGES}
    assert ":dlterm:`convolutional neural network`" in fixed["index.rst"]
    assert "{dlterm}`early stopping`" in fixed["training.md"]

    text_after, warnings = build(tmp_path, "text")
    assert warnings == ""  # the -W build stays clean
    assert texts(text_after) == before_text
    html_after, _ = build(tmp_path, "html")
    assert link_count(html_after) == links_before + len(findings)

    code, report = lint(tmp_path, "--fix", capsys=capsys)
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in PAGES} == fixed
    code, report = lint(tmp_path, capsys=capsys)
    assert code == 0, report
