"""Notebooks: ``{dlterm}`` in Jupyter notebooks through myst-nb, and a Jupyter Book 1 book.

Jupyter Book 1 is a Sphinx project: it reads notebooks with myst-nb, and its
``_config.yml`` adds extensions with ``sphinx: extra_extensions``. These tests build what
a course author writes: a notebook whose markdown cells use terms, and a glossary page.
They run where myst-nb (and, for the book, Jupyter Book 1) is installed: ``tox -e jb1``;
elsewhere they are skipped.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from common import backlinks, body, term_links

#: A notebook (nbformat 4) with two markdown cells that use terms, one code cell, no outputs.
NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": [
            "# Training\n", "\n",
            "Each {dlterm}`epoch` passes over the data once; the {dlterm}`loss` falls.\n"]},
        {"cell_type": "code", "id": "setup", "execution_count": None, "metadata": {},
         "outputs": [],
         "source": ["epochs = 3  # {dlterm}`kernel` in code is not a reference"]},
        {"cell_type": "markdown", "id": "mlp", "metadata": {}, "source": [
            "An {dlterm}`MLP` computes $h = f(Wx + b)$.\n"]},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}
GLOSSARY = "# Glossary\n\n```{dlglossary}\n```\n"


def _notebook_checks(out: Path) -> None:
    """What a reader of the built notebook and glossary pages sees."""
    page = (out / "training.html").read_text(encoding="utf-8")
    assert [(text, href) for text, href, _ in term_links(page)] == [
        ("epoch", "glossary.html#epoch"), ("loss", "glossary.html#loss"),
        ("MLP", "glossary.html#multi-layer-perceptron-mlp")]
    assert "{dlterm}`kernel`" in body(page).get_text()  # code cells are code
    glossary = (out / "glossary.html").read_text(encoding="utf-8")
    assert [href for _, href in backlinks(glossary, "Epoch")] == ["training.html#dlterm-1"]
    assert [href for _, href in backlinks(glossary, "Loss")] == ["training.html#dlterm-2"]
    # The glossary page holds math (MLP's definition): the math renderer is loaded there,
    # and on the notebook, which holds math of its own (its MLP card needs none).
    for html in (glossary, page):
        assert "mathjax" in html.lower()
    assert "dlglossary.min.js" in page


def test_notebook_through_myst_nb(tmp_path: Path) -> None:
    pytest.importorskip("myst_nb")
    src = tmp_path / "src"
    files = {
        "conf.py": 'extensions = ["myst_nb", "sphinxcontrib_dlglossary"]\n'
                   'nb_execution_mode = "off"\n'
                   'myst_enable_extensions = ["dollarmath"]\n',
        "index.md": "# Course\n\n```{toctree}\ntraining\nglossary\n```\n",
        "training.ipynb": json.dumps(NOTEBOOK),
        "glossary.md": GLOSSARY,
    }
    for name, text in files.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    # As an author runs it, in a process of its own: myst-nb and myst-parser register
    # their parsers once per process, which other tests' applications have already done.
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src),
                           str(tmp_path / "out")], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr == ""
    _notebook_checks(tmp_path / "out")


def test_jupyter_book_1_builds_a_book_with_terms(tmp_path: Path) -> None:
    pytest.importorskip("jupyter_book")
    book = tmp_path / "book"
    book.mkdir()
    (book / "_config.yml").write_text(
        "title: A course\n"
        "execute:\n  execute_notebooks: 'off'\n"
        "sphinx:\n  extra_extensions:\n    - sphinxcontrib_dlglossary\n", encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n- file: training\n- file: glossary\n",
        encoding="utf-8")
    (book / "intro.md").write_text("# A course\n\nStart with a {dlterm}`kernel`.\n",
                                   encoding="utf-8")
    (book / "training.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    (book / "glossary.md").write_text(GLOSSARY, encoding="utf-8")
    cli = shutil.which("jupyter-book", path=str(Path(sys.executable).parent))
    assert cli is not None
    proc = subprocess.run([cli, "build", str(book)], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "WARNING" not in proc.stdout + proc.stderr, proc.stdout[-3000:]
    _notebook_checks(book / "_build" / "html")
