"""What the warning stream says: where, what, and which ``suppress_warnings`` code.

Good input gives an empty stream; each bad input gives one exact, located message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from common import TERMS, glossary_terms, plain, term_links, warning_lines

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.testing.util import SphinxTestApp

    from common import Built


@pytest.mark.parametrize("testroot", ["basic", "containers", "rst-only", "used-only", "tags"])
def test_good_input_builds_without_warnings(build: Callable[..., Built], testroot: str) -> None:
    assert build(testroot).warnings == ""


# -- unknown terms -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unknown(build: Callable[..., Built]) -> Built:
    return build("unknown-term")


def test_unknown_term_is_located_in_rst_and_myst(unknown: Built) -> None:
    rst, md = unknown.srcdir / "index.rst", unknown.srcdir / "page.md"
    assert warning_lines(unknown.warnings) == [
        f"{rst}:6: WARNING: unknown term 'kernal'; did you mean 'kernel'? "
        "[dlglossary.unknown_term]",
        f"{md}:5: WARNING: unknown term 'kernal'; did you mean 'kernel'? "
        "[dlglossary.unknown_term]",
    ]


def test_unknown_term_renders_as_emphasis(unknown: Built) -> None:
    for pagename in ("index.html", "page.html"):
        assert '<em class="dlterm-unknown">kernal</em>' in unknown.read(pagename)
    # The known term next to it still links.
    assert term_links(unknown.read("index.html")) == [
        ("kernel", "glossary.html#kernel", "dlterm-1")
    ]


@pytest.mark.sphinx("html", testroot="unknown-term", freshenv=True,
                    confoverrides={"suppress_warnings": ["dlglossary.unknown_term"]})
def test_unknown_term_warning_can_be_suppressed(app: SphinxTestApp) -> None:
    app.build()
    assert plain(app.warning.getvalue()) == ""
    assert '<em class="dlterm-unknown">kernal</em>' in (app.outdir / "index.html").read_text()


# -- glossary pages --------------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="no-glossary", freshenv=True)
def test_reference_without_glossary_page_warns(app: SphinxTestApp) -> None:
    app.build()
    assert warning_lines(app.warning.getvalue()) == [
        f"{app.srcdir / 'index.rst'}:4: WARNING: no glossary page shows term 'kernel': add a "
        "page with the dlglossary directive, or an intersphinx_mapping entry for a project "
        "that has one [dlglossary.no_glossary]"
    ]
    # The reader still sees the text, unlinked.
    html = (app.outdir / "index.html").read_text()
    assert term_links(html) == []
    assert ">kernel</span> without a glossary page" in html


@pytest.fixture(scope="module")
def duplicate(build: Callable[..., Built]) -> Built:
    return build("duplicate-page")


def test_second_full_glossary_page_warns(duplicate: Built) -> None:
    assert warning_lines(duplicate.warnings) == [
        f"{duplicate.srcdir / 'glossary-b.rst'}:4: WARNING: a second full glossary page "
        "(dlglossary directive without :tags: or :used-only:); term references link to the "
        "first one, in 'glossary-a' [dlglossary.duplicate_page]"
    ]


def test_links_go_to_the_first_glossary_page_by_docname(duplicate: Built) -> None:
    # The toctree lists glossary-b first; docname order picks glossary-a.
    assert term_links(duplicate.read("index.html")) == [
        ("kernel", "glossary-a.html#kernel", "dlterm-1")
    ]
    assert ("kernel", "Kernel") in glossary_terms(duplicate.read("glossary-a.html"))
    # The second page still lists the terms, without claiming their anchors.
    assert ("", "Kernel") in glossary_terms(duplicate.read("glossary-b.html"))


# -- broken project term file ----------------------------------------------------------------


@pytest.fixture(scope="module")
def broken(build: Callable[..., Built]) -> Built:
    return build("broken-terms")


def test_broken_term_file_errors_name_file_line_entry_and_field(broken: Built) -> None:
    lines = warning_lines(broken.warnings)
    assert ("terms.yaml:8: ERROR: entry 'hop': field 'definition': missing (it is "
            "required) [dlglossary.data]") in lines
    clash = [line for line in lines if line.startswith(
        "terms.yaml:6: ERROR: entry 'window': field 'aliases': 'filter' would also name "
        "term 'kernel' ("
    )]
    assert len(clash) == 1
    assert clash[0].endswith("); a form must name one term [dlglossary.data]")
    assert all(line.endswith("[dlglossary.data]") for line in lines)
    assert "Traceback" not in broken.warnings
    assert "Traceback" not in broken.app.status.getvalue()


def test_broken_term_file_keeps_the_other_terms(broken: Built) -> None:
    assert term_links(broken.read("index.html")) == [
        ("kernel", "glossary.html#kernel", "dlterm-1"),
        ("spacing", "glossary.html#spacing", "dlterm-2"),
        ("filter", "glossary.html#kernel", "dlterm-3"),  # the canonical owner keeps 'filter'
    ]
    keys = [key for key, _ in glossary_terms(broken.read("glossary.html"))]
    assert "spacing" in keys
    assert "hop" not in keys  # the entry with a missing field is left out
    canonical = {t["key"] for t in TERMS}
    assert canonical <= set(keys)  # every shipped term is still there
