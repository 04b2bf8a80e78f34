"""Opt-in auto-linking: first mentions become term links, exactly where lint reports them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from common import build_project
from sphinxcontrib_dlglossary import lint
from sphinxcontrib_dlglossary.core.matcher import Matcher
from sphinxcontrib_dlglossary.core.terms import load_canonical

PAGES = {
    "conf.py": 'extensions = ["myst_parser", "sphinxcontrib_dlglossary"]\n'
               'myst_enable_extensions = ["attrs_block", "colon_fence"]\n'
               "dlglossary_autolink = True\n",
    "index.rst": """Home
==========

A convolutional neural network stacks convolutional layers. A CNN learns; an
epoch is one pass over the training set. The kernel stays plain (an everyday word), and
:dlterm:`U-Net` is linked explicitly before U-Net is mentioned. ``Backpropagation`` in code.

.. rst-class:: no-autolink

   Backpropagation in an opted-out block stays plain.

Backpropagation computes gradients over a minibatch.

.. note:: Overfitting inside an admonition is prose.

Restart the Jupyter kernel; check function parameters and run a regression test. Lossy.

.. rst-class:: no-autolink

A residual block here is opted out.

.. container:: no-autolink

   Dropout of a hidden layer, opted out too.

.. rst-class:: no-autolink

.. code-block:: text

   code

A residual block after the opted-out code block is linked.

.. toctree::

   page
   quiet
   quiet-rst
   glossary
""",
    "page.md": """# Page about hidden layers

A hidden layer feeds the next; gradient descent
updates the weights of a network. {dlterm}`Minibatches <minibatch>` come first here, and
a minibatch later is not linked. `gradient descent` in code.

Another hidden layer, not linked again.

{.no-autolink}
Early stopping in an opted-out paragraph.

:::{container} no-autolink
Transfer learning in an opted-out container.
:::

{.no-autolink}
## An opted-out section

Transfer learning and early stopping are not linked here.

## The next section

Transfer learning is linked here at last, and so is early stopping.
""",
    "quiet-rst.rst": ":dlglossary_autolink: false\n\nQuiet rST\n=========\n\n"
                     "Overfitting is not linked here either.\n",
    "quiet.md": "---\ndlglossary_autolink: false\n---\n# Quiet\n\nOverfitting is not linked "
                "here.\n",
    "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
}


def build(src: Path, **overrides: Any) -> tuple[Path, str]:
    return build_project(src, PAGES, **overrides)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    src = tmp_path_factory.mktemp("autolink")
    outdir, warnings = build(src)
    return src, outdir, warnings


def auto_links(html: str) -> list[tuple[str, str]]:
    """(key, text) of each auto-link on a page, in order."""
    return [(href.rpartition("#")[2], text) for href, text in re.findall(
        r'<a class="dlterm dlterm-auto reference internal" href="([^"]+)"[^>]*>([^<]*)</a>',
        html)]


def test_first_mentions_are_linked_and_quieter(site: tuple[Path, Path, str]) -> None:
    _, outdir, warnings = site
    assert warnings == ""
    index = (outdir / "index.html").read_text(encoding="utf-8")
    assert auto_links(index) == [
        ("convolutional-neural-network", "convolutional neural network"),
        ("convolutional-layer", "convolutional layers"),
        ("training-set", "training set"),
        ("backpropagation", "Backpropagation"),
        ("gradient", "gradients"),
        ("minibatch", "minibatch"),
        ("overfitting", "Overfitting"),
        ("residual-block", "residual block"),
    ]
    # Explicit reference first: U-Net is not auto-linked; everyday words never are.
    assert index.count("glossary.html#u-net") == 1
    assert "glossary.html#kernel" not in index and "glossary.html#epoch" not in index
    assert "glossary.html#parameters" not in index and "glossary.html#regression" not in index
    assert "glossary.html#loss" not in index


def test_opt_outs_per_page_and_per_block(site: tuple[Path, Path, str]) -> None:
    _, outdir, _ = site
    quiet = (outdir / "quiet.html").read_text(encoding="utf-8")
    assert "dlterm" not in quiet.split('role="main"')[-1].split("</article>")[0]
    index = (outdir / "index.html").read_text(encoding="utf-8")
    assert "Backpropagation in an opted-out block" in index


def test_myst_page_and_explicit_reference_first(site: tuple[Path, Path, str]) -> None:
    _, outdir, _ = site
    page = (outdir / "page.html").read_text(encoding="utf-8")
    assert auto_links(page) == [
        ("hidden-layer", "hidden layer"),
        ("gradient-descent", "gradient descent"),
        ("transfer-learning", "Transfer learning"),
        ("early-stopping", "early stopping"),
    ]  # "weights" is an everyday word: not linked


def test_auto_links_have_backlinks_in_document_order(site: tuple[Path, Path, str]) -> None:
    _, outdir, _ = site
    glossary = (outdir / "glossary.html").read_text(encoding="utf-8")
    entry = glossary.split('<dt id="backpropagation">', 1)[1].split("</dd>", 1)[0]
    assert 'href="index.html#dlterm-' in entry
    ids = [int(i) for i in re.findall(r'id="dlterm-(\d+)"', (outdir / "index.html")
                                      .read_text(encoding="utf-8"))]
    assert ids == sorted(ids)  # numbered in document order


def test_the_build_links_exactly_what_lint_reports(site: tuple[Path, Path, str]) -> None:
    """Build auto-links and lint's DLG003 findings are the same set on one project."""
    src, outdir, _ = site
    matcher = Matcher(load_canonical())
    from_lint = set()
    pages: tuple[tuple[str, lint.Syntax], ...] = (
        ("index.rst", "rst"), ("page.md", "myst"), ("quiet.md", "myst"),
        ("quiet-rst.rst", "rst"))
    for name, syntax in pages:
        text = (src / name).read_text(encoding="utf-8")
        for finding in lint.check_text(text, syntax, matcher, codes=["DLG003"]):
            from_lint.add((name.split(".")[0], finding.key, " ".join(finding.text.split())))
    from_build = {
        (page, key, " ".join(text.split()))
        for page in ("index", "page", "quiet", "quiet-rst")
        for key, text in auto_links((outdir / f"{page}.html").read_text(encoding="utf-8"))
    }
    assert from_build == from_lint
    assert len(from_build) == 12


def test_off_by_default(tmp_path: Path) -> None:
    outdir, warnings = build(tmp_path, dlglossary_autolink=False)
    assert warnings == ""
    assert auto_links((outdir / "index.html").read_text(encoding="utf-8")) == []


def test_everyday_opt_in_and_per_term_exclude(tmp_path: Path) -> None:
    outdir, _ = build(tmp_path, dlglossary_autolink_everyday=["epoch"],
                      dlglossary_autolink_exclude=["training-set"])
    keys = [k for k, _ in auto_links((outdir / "index.html").read_text(encoding="utf-8"))]
    assert "epoch" in keys and "training-set" not in keys and "kernel" not in keys


def test_parallel_build_gives_the_same_auto_links_and_backlinks(
    site: tuple[Path, Path, str], tmp_path: Path
) -> None:
    _, serial, _ = site
    outdir, _ = build_project(tmp_path, PAGES, parallel=2)
    for page in ("glossary.html", "index.html", "page.html"):
        assert (outdir / page).read_bytes() == (serial / page).read_bytes(), page
