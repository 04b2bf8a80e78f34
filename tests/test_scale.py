"""Many defined terms, few referenced: what a reader downloads, and what a rebuild redoes.

A project term file defines hundreds of terms; the pages reference three. The tooltip
file every content page loads holds those three; the glossary page, which links to many
terms from its entries, names a file of its own that holds every term it links to. A
rebuild with nothing changed renders no card, whatever the number of terms. No test here
is timed: they count what is in the files and what was rendered.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import sphinx

from common import TERMS, build_project

#: Terms in the project's term file.
COUNT = 300


def _title(i: int) -> str:
    return f"Widget {i:03d}"


def terms_yaml(count: int = COUNT) -> str:
    """*count* terms: every third definition references the next term, every fifth term
    has a related one, every tenth definition holds math, every fourth term has a tag."""
    lines = ["version: 1", "terms:"]
    for i in range(count):
        definition = f"The widget number {i} of the test set."
        if i % 3 == 0 and i + 1 < count:
            definition += f" See {{dlterm}}`{_title(i + 1).lower()}`."
        if i % 10 == 0:
            definition += f" Written $w_{{{i}}}$."
        lines += [f"  - key: widget-{i:03d}", f"    title: {_title(i)}",
                  f"    definition: {json.dumps(definition)}"]
        if i % 5 == 0:
            lines.append(f"    related: [widget-{(i + 7) % count:03d}]")
        if i % 4 == 0:
            lines.append("    tags: [evaluation]")
    return "\n".join(lines) + "\n"


CONF = "extensions = ['sphinxcontrib_dlglossary']\ndlglossary_term_files = ['terms.yaml']\n"
PAGES = {
    "conf.py": CONF,
    "terms.yaml": terms_yaml(),
    "index.rst": "Home\n====\n\nUses :dlterm:`widget 010` and :dlterm:`kernels`.\n\n"
                 ".. toctree::\n\n   other\n   glossary\n",
    "other.rst": "Other\n=====\n\nUses :dlterm:`Widget 020`.\n",
    "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
}
#: The terms the content pages reference.
REFERENCED = {"widget-010", "widget-020", "kernel"}


def terms_in(path: Path) -> dict[str, dict[str, str]]:
    """The cards of a tooltip definitions file: key -> {"t": title, "h": HTML}."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("window.dlglossaryTerms="), text[:80]
    return json.loads(text.partition("=")[2].rstrip().removesuffix(";"))


def terms_file(outdir: Path, page: str) -> Path:
    """The definitions file *page*'s tooltip script names (``data-terms``), checking that
    its ``?v=`` is the file's checksum (so a browser never keeps an old copy)."""
    html = (outdir / page).read_text(encoding="utf-8")
    found = re.search(r'<script [^>]*data-terms="((?:\.\./)*_static/[^"?]+)\?v=(\w+)"', html)
    assert found is not None, f"no tooltip script on {page}"
    path = (outdir / page).parent / found.group(1)
    digest = hashlib.sha1(path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()
    assert found.group(2) == digest[:8], page
    return path.resolve()


def term_link_anchors(html: str) -> set[str]:
    """The terms a page's term links (``a.dlterm``) point at."""
    tags = re.findall(r"<a [^>]*>", html)
    return {m.group(1) for tag in tags if re.search(r'class="[^"]*\bdlterm\b', tag)
            if (m := re.search(r'href="[^"]*#([^"]+)"', tag))}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir, warnings = build_project(tmp_path_factory.mktemp("scale") / "src", PAGES)
    assert warnings == ""
    return outdir


def test_content_pages_load_only_the_referenced_terms(site: Path) -> None:
    for page in ("index.html", "other.html"):
        path = terms_file(site, page)
        assert path == (site / "_static" / "dlglossary-terms.js").resolve()
    cards = terms_in(site / "_static" / "dlglossary-terms.js")
    assert set(cards) == REFERENCED  # not the 349 terms the project defines
    assert cards["widget-010"]["t"] == "Widget 010"
    assert "The widget number 10 of the test set." in cards["widget-010"]["h"]


def test_the_glossary_page_loads_the_terms_its_entries_link_to(site: Path) -> None:
    html = (site / "glossary.html").read_text(encoding="utf-8")
    path = terms_file(site, "glossary.html")
    assert path.name == "dlglossary-glossary-terms.js"
    cards = terms_in(path)
    linked = term_link_anchors(html)
    # Its entries link to related terms and to the terms their definitions reference:
    # every one has a card, and nothing else is in the file. The terms-by-tag list links
    # to entries without a tooltip, as the letter bar does (75 widgets have a tag).
    assert "widget-001" in linked and "widget-007" in linked  # a reference, a related term
    assert set(cards) == linked
    assert 'class="dlglossary-tag-term reference internal" href="#widget-004"' in html
    assert len(cards) < COUNT + len(TERMS)
    assert cards["widget-001"]["t"] == "Widget 001"
    assert "The widget number 1 of the test set." in cards["widget-001"]["h"]
    # Widget 12 (related to widget 5) references widget 13: in a card that is text.
    assert '<span class="dlterm-ref">widget 013</span>' in cards["widget-012"]["h"]


def test_a_reference_the_builder_leaves_out_gets_no_card(tmp_path: Path) -> None:
    pages = {**PAGES, "other.rst": PAGES["other.rst"] + "\n.. only:: latex\n\n"
                                                       "   In print: :dlterm:`widget 030`.\n"}
    outdir, warnings = build_project(tmp_path, pages)
    assert warnings == ""
    assert set(terms_in(terms_file(outdir, "other.html"))) == REFERENCED


def test_a_glossary_that_links_to_nothing_new_uses_the_site_file(tmp_path: Path) -> None:
    # Widgets 11 and 22 reference no term and have no related one; the glossary shows
    # only them (the canonical terms' entries would link to their related terms).
    pages = {**PAGES, "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n   :used-only:\n",
             "index.rst": "Home\n====\n\nUses :dlterm:`widget 011`.\n\n"
                          ".. toctree::\n\n   other\n   glossary\n",
             "other.rst": "Other\n=====\n\nUses :dlterm:`widget 022`.\n"}
    outdir, warnings = build_project(tmp_path, pages,
                                     dlglossary_exclude=[t["key"] for t in TERMS])
    assert warnings == ""
    assert terms_file(outdir, "glossary.html").name == "dlglossary-terms.js"
    assert set(terms_in(outdir / "_static" / "dlglossary-terms.js")) == {"widget-011",
                                                                          "widget-022"}
    assert not (outdir / "_static" / "dlglossary-glossary-terms.js").exists()


def test_singlehtml_loads_one_file_with_every_linked_term(tmp_path: Path) -> None:
    outdir, warnings = build_project(tmp_path, PAGES, "singlehtml")
    assert warnings == ""
    path = terms_file(outdir, "index.html")
    assert path.name == "dlglossary-terms.js"
    html = (outdir / "index.html").read_text(encoding="utf-8")
    cards = terms_in(path)
    assert REFERENCED <= set(cards) and term_link_anchors(html) <= set(cards)


class RenderCount:
    """Counts the cards the build renders (wraps ``assets.tooltips_html``)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from sphinxcontrib_dlglossary.sphinx_ext import assets

        self.keys: list[str] = []
        real = assets.tooltips_html

        def counting(builder: Any, terms: list[Any]) -> list[str]:
            self.keys += [t.key for t in terms]
            return real(builder, terms)

        monkeypatch.setattr(assets, "tooltips_html", counting)


def _mtimes(outdir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (outdir / "_static").glob("dlglossary*terms.js")}


def test_a_rebuild_with_nothing_changed_renders_no_card(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = RenderCount(monkeypatch)
    outdir, _ = build_project(tmp_path, PAGES)
    site = set(terms_in(outdir / "_static" / "dlglossary-terms.js"))
    gloss = set(terms_in(outdir / "_static" / "dlglossary-glossary-terms.js"))
    # Each card once, though both files hold some terms.
    assert sorted(rendered.keys) == sorted(site | gloss)
    before = _mtimes(outdir)

    rendered.keys.clear()
    outdir, warnings = build_project(tmp_path)
    assert warnings == ""
    assert rendered.keys == []  # however many terms the project defines
    assert _mtimes(outdir) == before

    # A file that went missing is written again (and only its cards rendered), when Sphinx
    # writes anything on a build with nothing changed: before 8.2 it stops before writing
    # ("no targets are out of date"), and does not restore its own static files either.
    (outdir / "_static" / "dlglossary-terms.js").unlink()
    (outdir / "_static" / "basic.css").unlink()
    outdir, _ = build_project(tmp_path)
    if not (outdir / "_static" / "basic.css").exists():
        assert sphinx.version_info[:2] < (8, 2) and rendered.keys == []
        return
    assert sorted(rendered.keys) == sorted(site)
    assert set(terms_in(outdir / "_static" / "dlglossary-terms.js")) == site


def test_editing_a_referenced_term_renders_its_file_again(tmp_path: Path) -> None:
    outdir, _ = build_project(tmp_path, PAGES)
    old = terms_file(outdir, "index.html").read_text(encoding="utf-8")
    edited = PAGES["terms.yaml"].replace("The widget number 10 of", "The tenth widget of")
    outdir, warnings = build_project(tmp_path, {"terms.yaml": edited})
    assert warnings == ""
    path = terms_file(outdir, "index.html")  # and its ?v= follows the new content
    assert path.read_text(encoding="utf-8") != old
    assert "The tenth widget of the test set." in terms_in(path)["widget-010"]["h"]


def test_parallel_readers_share_one_compiled_matcher(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """With auto-linking, the matcher over every term's forms is compiled once, in the
    main process, not once in each process that reads a chunk of pages."""
    import os

    from sphinxcontrib_dlglossary.sphinx_ext import autolink

    made = tmp_path / "matchers.txt"

    class Counting(autolink.Matcher):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            with made.open("a", encoding="utf-8") as stream:
                stream.write(f"{os.getpid()}\n")
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(autolink, "Matcher", Counting)
    pages = {**PAGES, **{f"page{i}.rst": f"Page {i}\n======\n\nA widget 0{i}0 here.\n"
                         for i in range(1, 9)}}
    pages["index.rst"] += "".join(f"   page{i}\n" for i in range(1, 9))
    outdir, warnings = build_project(tmp_path / "src", pages, parallel=2,
                                     dlglossary_autolink=True)
    assert warnings == ""
    assert made.read_text(encoding="utf-8").split() == [str(os.getpid())]
    assert "widget-030" in term_link_anchors((outdir / "page3.html").read_text("utf-8"))
