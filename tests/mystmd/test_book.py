"""A Jupyter Book 2 (mystmd) book with the exported plugin, built as a reader meets it.

``tests/mystmd/book`` has three MyST pages, a notebook and a glossary page; each test
reads the page JSON that ``myst build --site`` writes (``_build/site/content/*.json``),
which is what the book theme renders, and what ``myst`` printed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from mystmd_book import Book, text_of, walk

from sphinxcontrib_dlglossary.core import terms

pytestmark = pytest.mark.mystmd


@pytest.fixture(scope="module")
def book(build_book: Any) -> Book:
    return build_book("main")


def term_refs(page: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for n in walk(page["mdast"]) if n.get("type") == "crossReference"
            and n.get("dlterm")]


def entries(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """key -> {"term": definitionTerm, "description": definitionDescription}."""
    found: dict[str, dict[str, Any]] = {}
    for node in walk(page["mdast"]):
        key = node.get("dlglossaryEntry")
        if key:
            part = "term" if node["type"] == "definitionTerm" else "description"
            found.setdefault(key, {})[part] = node
    return found


def test_the_book_builds_and_loads_the_plugin(book: Book) -> None:
    assert book.returncode == 0, book.output
    assert "sphinxcontrib-dlglossary (dlglossary.mjs) loaded: 1 directive, 1 role" in book.output


def test_plural_abbreviation_and_hyphenated_forms_resolve_to_glossary_cross_references(
        book: Book) -> None:
    found = {(text_of(n), n["identifier"]) for slug in ("index", "convolutions", "training",
                                                         "notebook")
             for n in term_refs(book.page(slug))}
    assert {("CNN", "convolutional-neural-network"), ("kernels", "kernel"),
            ("minibatches", "minibatch"), ("the kernel", "kernel"),
            ("Neural-Networks", "neural-network"), ("neural network", "neural-network"),
            ("weights", "weights-of-a-network")} <= found
    for slug in ("index", "convolutions", "training", "notebook"):
        for ref in term_refs(book.page(slug)):
            # Resolved by mystmd to the entry on the glossary page, like the built-in {term}.
            assert ref["resolved"] is True and ref["kind"] == "definitionTerm"
            assert ref["url"] == "/glossary" and ref["html_id"] == ref["identifier"]


def test_a_suppressed_reference_is_plain_text(book: Book) -> None:
    page = book.page("training")
    assert "the word kernel stays plain text" in " ".join(text_of(page["mdast"]).split())
    assert [text_of(r) for r in term_refs(page)].count("kernel") == 0


def test_an_unknown_term_warns_at_its_page_and_line_with_the_closest_terms(book: Book) -> None:
    line = next(i for i, text in enumerate(
        (book.root / "convolutions.md").read_text().splitlines(), 1) if "kernal" in text)
    assert re.search(rf"convolutions\.md:{line}:\d+ unknown term 'kernal'; did you mean "
                     r"'kernel'\?", book.output), book.output
    # The text stays, marked, not linked.
    page = book.page("convolutions")
    marked = [n for n in walk(page["mdast"]) if n.get("class") == "dlterm-unknown"]
    assert [text_of(n) for n in marked] == ["kernal"]
    assert "kernal" not in {text_of(r) for r in term_refs(page)}
    # No other warning: every reference resolved, no page target went missing.
    warnings = [line for line in book.output.splitlines() if "⚠" in line or "⛔" in line]
    assert len(warnings) == 1, warnings


def test_the_glossary_has_every_term_with_the_sphinx_anchors_in_the_sphinx_order(
        book: Book) -> None:
    canonical = terms.load_canonical()
    found = entries(book.page("glossary"))
    assert set(found) == set(canonical.terms)
    ids = [n["html_id"] for n in walk(book.page("glossary")["mdast"])
           if n.get("type") == "definitionTerm"]
    # The anchors are the keys, as on the Sphinx glossary page (#kernel), in its order.
    titles = [canonical.terms[k].title for k in ids]
    assert titles == sorted(titles, key=lambda t: t.casefold())
    assert found["kernel"]["term"]["identifier"] == "kernel"
    assert text_of(found["kernel"]["term"]) == "Kernel"


def test_an_entry_has_its_definition_with_math_aliases_related_terms_and_tags(
        book: Book) -> None:
    canonical = terms.load_canonical()
    term = canonical.lookup("MLP")
    assert term is not None
    mlp = entries(book.page("glossary"))[term.key]["description"]
    text = " ".join(text_of(mlp).split())
    assert term.summary.split()[0] in text
    math = [n for n in walk(mlp) if n.get("type") in ("inlineMath", "math")]
    assert math and all("katex" in n.get("html", "") for n in math)  # rendered at build
    assert "Also: " + term.aliases[0] in text
    linked = {n["identifier"] for n in walk(mlp) if n.get("type") == "crossReference"}
    assert linked and all(n.get("resolved") for n in walk(mlp)
                          if n.get("type") == "crossReference")
    for key in term.related:
        assert key in linked  # in the text or on the Related line, once
    assert "Tags:" in text
    tags = [n["value"] for n in walk(mlp) if n.get("type") == "inlineCode"]
    assert tags == list(term.tags)


def test_the_glossary_links_back_to_each_page_that_uses_a_term(book: Book) -> None:
    found = entries(book.page("glossary"))

    def backlinks(key: str) -> list[tuple[str, str]]:
        return [(n["url"], text_of(n)) for n in walk(found[key]["description"])
                if n.get("type") == "link" and n.get("internal")]

    assert backlinks("kernel") == [("/convolutions", "Convolutions"), ("/training", "Training")]
    assert backlinks("convolutional-neural-network") == [("/", "A small course")]
    assert backlinks("minibatch") == [("/training", "Training")]
    assert backlinks("neural-network") == [("/training", "Training"),
                                           ("/notebook", "A notebook")]
    kernel = " ".join(text_of(found["kernel"]["description"]).split())
    # The section of the first use and the number of uses, as in Sphinx.
    assert "Used on 2 pages: Convolutions (Filters; 2 uses), Training" in kernel
    # A term no page uses has no backlinks; the glossary's own links are no uses.
    assert backlinks("dropout") == []
    assert "Used on" not in text_of(found["dropout"]["description"])


def test_tags_and_used_only_choose_the_terms_as_in_sphinx(build_book: Any) -> None:
    book = build_book("filtered", files={"glossary.md": (
        "# Glossary\n\n```{dlglossary}\n:used-only:\n```\n\n"
        "## Optimisation\n\n```{dlglossary}\n:tags: optimization\n:backlinks: false\n```\n")})
    assert book.returncode == 0, book.output
    canonical = terms.load_canonical()
    glossary = book.page("glossary")
    lists = [n for n in walk(glossary["mdast"]) if n.get("dlglossary")]
    assert len(lists) == 2
    used = {e.get("dlglossaryEntry") for e in walk(lists[0]) if e.get("type") == "definitionTerm"}
    assert used == {"convolutional-neural-network", "kernel", "minibatch", "neural-network",
                    "weights-of-a-network"}
    tagged = {e.get("dlglossaryEntry") for e in walk(lists[1])
              if e.get("type") == "definitionTerm"}
    assert tagged == {t.key for t in canonical if "optimization" in t.tags}
    assert not any("Used on" in text_of(n) for n in walk(lists[1]))


def no_further_reading(data: dict[str, Any]) -> None:
    """--strict checks every web link; offline, the further-reading links would be errors
    that end the build before its summary: take them out."""
    for term in data["terms"].values():
        term["reading"] = []


@pytest.fixture(scope="module")
def strict_book(build_book: Any) -> Book:
    """The book with a second glossary of an unknown tag, built with ``--strict``."""
    return build_book("strict", files={"glossary.md": (
        "# Glossary\n\n```{dlglossary}\n```\n\n"
        "## Optimisation\n\n```{dlglossary}\n:tags: optimisation\n```\n")},
        tamper=no_further_reading, build_args=("--strict",))


def test_an_unknown_tag_warns_with_the_known_tags(strict_book: Book) -> None:
    assert re.search(r"glossary\.md:8(:\d+)? dlglossary: unknown tag 'optimisation' \(known "
                     r"tags: .*optimization", strict_book.output), strict_book.output


def test_the_warnings_are_in_the_strict_builds_summary(strict_book: Book) -> None:
    """``myst build --strict`` lists each page's warnings at the end: the plugin's are
    there (a role's own warnings would be printed while parsing, but not listed)."""
    book = strict_book
    assert book.returncode == 0, book.output
    summary = book.output[book.output.rindex("Built 5 pages"):]
    listed = {page: [line.strip() for line in notes.splitlines()] for page, notes in
              re.findall(r"^(\S+\.md)\n((?:  - .*\n)+)", summary, flags=re.M)}
    assert listed.keys() == {"convolutions.md", "glossary.md"}, summary
    assert listed["convolutions.md"] == [
        "- ⚠️  unknown term 'kernal'; did you mean 'kernel'?"], summary
    assert len(listed["glossary.md"]) == 1, summary
    assert listed["glossary.md"][0].startswith(
        "- ⚠️  dlglossary: unknown tag 'optimisation' (known tags: "), summary


def test_project_term_files_are_exported_with_the_canonical_set(build_book: Any) -> None:
    book = build_book("project", files={
        "terms.yaml": ("version: 1\nterms:\n  - key: saliency-map\n    title: Saliency map\n"
                       "    summary: A map of how much each input pixel moves the output.\n"
                       "    definition: A map of the gradient of the output with respect "
                       "to each input pixel, $|\\partial y / \\partial x|$.\n"
                       "    aliases: [saliency maps]\n"),
        "training.md": "# Training\n\nA {dlterm}`saliency maps` shows it.\n"},
        export_args=("terms.yaml",))
    assert book.returncode == 0, book.output
    [ref] = [r for r in walk(book.page("training")["mdast"]) if r.get("dlterm")]
    assert ref["identifier"] == "saliency-map" and ref["resolved"]
    assert "saliency-map" in entries(book.page("glossary"))


def test_a_definition_outside_the_safe_subset_is_cut_down_by_the_plugin_too(
        build_book: Any) -> None:
    """The export refuses such a term (tests/test_cli.py); should one reach the plugin
    anyway, what mystmd parses of it keeps only the safe node types: no file is
    included, no HTML or image is written, no other role or directive runs, and no link
    but http(s) is made."""
    secret = "TOP-SECRET-FILE-CONTENT"

    def hostile(data: dict[str, Any]) -> None:
        data["terms"]["kernel"]["definition"] = (
            "Kernel text.\n\n```{include} secret.txt\n```\n\n<script>alert(1)</script>\n\n"
            "[click](javascript:alert(1)) ![x](https://example.org/x.png) "
            "{raw:html}`<b>raw</b>` {dlterm}`weights` [ok](https://example.org/)\n\n"
            "```{raw} html\n<iframe src=x></iframe>\n```\n")

    book = build_book("hostile", files={"secret.txt": secret}, tamper=hostile)
    assert book.returncode == 0, book.output
    kernel = entries(book.page("glossary"))["kernel"]["description"]
    kinds = {n["type"] for n in walk(kernel)}
    assert not kinds & {"include", "html", "image", "raw", "mystDirective", "iframe"}
    text = text_of(kernel)
    assert "Kernel text." in text and secret not in text
    assert secret not in (book.root / "_build" / "site" / "content" / "glossary.json").read_text()
    urls = [n.get("url", "") for n in walk(kernel) if n["type"] == "link"]
    assert "https://example.org/" in urls
    assert not [u for u in urls if u.startswith("javascript")]
    assert "weights-of-a-network" in {n.get("identifier") for n in walk(kernel)}
