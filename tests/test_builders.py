"""Every builder a project may use: clean build, the reference and the glossary in its output.

``test-basic`` is built with each builder; HTML-format builders (singlehtml, dirhtml, epub)
get the tooltip assets, the others none.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from common import build_project, glossary_terms, ids, term_links

if TYPE_CHECKING:
    from collections.abc import Callable

    from common import Built

#: EPUB3 wants a version and a copyright: without them Sphinx warns, whatever the extension.
EPUB = {"version": "1", "copyright": "2025, the authors"}
BUILDERS: dict[str, dict[str, Any]] = {
    "latex": {}, "text": {}, "man": {}, "texinfo": {}, "epub": EPUB, "singlehtml": {},
    "dirhtml": {},
}
NOT_HTML = ["latex", "text", "man", "texinfo"]
#: Words from the start of the Kernel definition, after its first link "convolutional
#: layer" (wrapped at word boundaries by some writers).
KERNEL_DEFINITION = "a kernel is the array of learned"



@pytest.fixture(scope="module")
def built(build: Callable[..., Built]) -> Callable[[str], Built]:
    def _built(buildername: str) -> Built:
        return build("basic", buildername, **BUILDERS[buildername])
    return _built


def output(built: Built, suffix: str) -> str:
    """The text of every output file ending in *suffix*, joined."""
    files = sorted(built.outdir.rglob(f"*{suffix}"))
    assert files, f"no *{suffix} in {built.outdir}"
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def flat(text: str) -> str:
    """*text* with line breaks and runs of spaces as one space (writers wrap lines)."""
    return " ".join(text.split())


@pytest.mark.parametrize("buildername", list(BUILDERS))
def test_builds_without_warnings(built: Callable[[str], Built], buildername: str) -> None:
    assert built(buildername).warnings == ""


@pytest.mark.parametrize("buildername", NOT_HTML)
def test_no_tooltip_assets_outside_html(built: Callable[[str], Built], buildername: str,
                                        ) -> None:
    assert sorted(built(buildername).outdir.rglob("dlglossary*")) == []


def test_latex_reference_is_a_hyperref_to_the_entry(built: Callable[[str], Built]) -> None:
    tex = output(built("latex"), ".tex")
    assert r"{\hyperref[\detokenize{glossary:kernel}]{\sphinxcrossref{kernels}}}" in tex


def test_latex_has_the_glossary_entries(built: Callable[[str], Built]) -> None:
    tex = output(built("latex"), ".tex")
    assert r"\label{\detokenize{glossary:kernel}}" in tex
    assert KERNEL_DEFINITION in flat(tex)


def test_text_has_reference_text_and_definitions(built: Callable[[str], Built]) -> None:
    text = built("text")
    assert "A kernel slides over the image; kernels are learned." in flat(text.read("index.txt"))
    glossary = flat(text.read("glossary.txt"))
    assert "**Kernel** The small array of learned weights that a convolutional layer" in glossary
    assert f"output channel. In a convolutional layer, {KERNEL_DEFINITION}" in glossary
    assert "Used on 3 pages: Home (3 uses), Zoo, MyST page" in glossary.replace("*", "")


def test_text_labels_read_cleanly(built: Callable[[str], Built]) -> None:
    glossary = flat(built("text").read("glossary.txt"))
    assert "**Kernel**" in glossary  # the headword is bold
    assert "**Also:** *filter*, *convolution kernel*" in glossary
    assert "**Tags:** convolution layers" in glossary
    # Adam: the terms its text links are not repeated under Related.
    assert "**Related:** Optimizer, Learning rate, Warmup" in glossary


@pytest.mark.parametrize(("buildername", "suffix"), [
    pytest.param("man", ".1"),
    pytest.param("texinfo", ".texi"),
])
def test_glossary_definitions_in_the_output(built: Callable[[str], Built], buildername: str,
                                            suffix: str) -> None:
    assert KERNEL_DEFINITION in flat(output(built(buildername), suffix).replace("\\", ""))


def test_singlehtml_links_are_in_page_anchors(built: Callable[[str], Built]) -> None:
    links = term_links(built("singlehtml").read("index.html"))
    assert ("kernels", "#kernel", "index-dlterm-2") in links
    assert all(href.count("#") == 1 and href.startswith("#") for _, href, _ in links)


def test_singlehtml_links_land_on_glossary_entries(built: Callable[[str], Built]) -> None:
    page = built("singlehtml").read("index.html")
    assert ("kernel", "Kernel") in glossary_terms(page)
    assert {href[1:] for _, href, _ in term_links(page)} <= ids(page)


def test_dirhtml_links_and_backlinks(built: Callable[[str], Built]) -> None:
    site = built("dirhtml")
    assert ("kernel", "../glossary/#kernel", "dlterm-2") in term_links(site.read("zoo/index.html"))
    glossary = site.read("glossary/index.html")
    assert '<a href="../zoo/#dlterm-2">Zoo</a>' in glossary


def test_epub_links_and_glossary(built: Callable[[str], Built]) -> None:
    book = built("epub")
    assert ("kernels", "glossary.xhtml#kernel", "dlterm-2") in term_links(
        book.read("index.xhtml"))
    assert ("kernel", "Kernel") in glossary_terms(book.read("glossary.xhtml"))


def test_singlehtml_reference_ids_are_unique(built: Callable[[str], Built]) -> None:
    page = built("singlehtml").read("index.html")
    links = [link for link in term_links(page) if link[2]]  # the glossary's own have no id
    assert len(links) == 8  # 4 on index, 2 on zoo, 2 on myst
    assert len({id_ for _, _, id_ in links}) == len(links)
    # Backlinks land on those ids.
    assert "#zoo-dlterm-2" in page and all(f'id="{id_}"' in page for _, _, id_ in links)


def test_latex_backlinks_skip_pages_outside_the_document(tmp_path: Path) -> None:
    """A page the PDF does not hold (an orphan) is no backlink in it; HTML lists it."""
    files = {
        "conf.py": 'extensions = ["sphinxcontrib_dlglossary"]\n',
        "index.rst": "Home\n====\n\nA :dlterm:`kernel`.\n\n.. toctree::\n\n   glossary\n",
        "orphan.rst": ":orphan:\n\nStray page\n==========\n\nAn orphan :dlterm:`kernel`.\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n   :used-only:\n",
    }
    latex, warnings = build_project(tmp_path / "latex", files, "latex")
    assert warnings == ""
    tex = flat(output_files(latex, ".tex"))
    assert "Used on 1 page:" in tex and "Home" in tex
    # A printed book gives the page number of the use, by its label.
    assert r"p.~\pageref{\detokenize{index:dlterm-1}}" in tex
    assert r"\label{\detokenize{index:dlterm-1}}" in tex
    assert "Stray page" not in tex
    html, warnings = build_project(tmp_path / "html", files, "html")
    assert warnings == ""
    page = (html / "glossary.html").read_text(encoding="utf-8")
    assert "Stray page" in page and 'href="orphan.html#dlterm-1"' in page


def output_files(outdir: Path, suffix: str) -> str:
    return "\n".join(f.read_text(encoding="utf-8") for f in sorted(outdir.rglob(f"*{suffix}")))
