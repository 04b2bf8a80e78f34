"""The glossary page: entries, letter bar, anchors, definitions, backlinks and options.

``test-basic`` has an rST ``.. dlglossary::`` page, ``test-containers`` a MyST one; the
expected term list is read from ``data/terms.yaml`` here, not through the package.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from common import (
    BY_TITLE,
    TERMS,
    backlink_notes,
    backlinks,
    body,
    build_project,
    entry,
    glossary_terms,
    ids,
    letter_bar,
    term_links,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from common import Built


@pytest.fixture(scope="module")
def basic(build: Callable[..., Built]) -> Built:
    return build("basic")


@pytest.fixture(scope="module")
def glossary(basic: Built) -> str:
    return basic.read("glossary.html")


# -- the full page -------------------------------------------------------------------------


def test_every_term_in_title_order(glossary: str) -> None:
    assert len(BY_TITLE) == 153
    assert glossary_terms(glossary) == BY_TITLE


def test_myst_directive_shows_every_term(build: Callable[..., Built]) -> None:
    built = build("containers")
    assert glossary_terms(built.read("glossary.html")) == BY_TITLE


def test_headword_is_bold_with_a_permalink(glossary: str) -> None:
    dt = body(glossary).select_one("dt#kernel")
    assert dt is not None
    assert [(c.name, c.get_text()) for c in dt.find_all(recursive=False)] == [
        ("strong", "Kernel"), ("a", "¶")]
    permalink = dt.select_one("a.headerlink")
    assert permalink is not None and permalink["href"] == "#kernel"
    assert permalink["title"] == "Link to this term"


def test_letter_bar_links_to_each_letter_heading(glossary: str) -> None:
    bar = letter_bar(glossary)
    letters = sorted({title[0].upper() for _, title in BY_TITLE})
    assert [letter for letter, _ in bar] == letters
    assert [href for _, href in bar] == [f"#dlglossary-letter-{x.lower()}" for x in letters]
    assert {href[1:] for _, href in bar} <= ids(glossary)
    # Letters no term starts with are there, greyed out, not links.
    element = body(glossary).select_one("p.dlglossary-letters")
    assert element is not None
    empty = [span.get_text() for span in element.select("span.dlglossary-letter-empty")]
    assert empty == sorted(set("ABCDEFGHIJKLMNOPQRSTUVWXYZ") - set(letters))
    bar_text = element.select_one("span.dlglossary-filter")
    assert bar_text is not None
    bar_text.extract()  # the filter box (hidden until the script shows it)
    assert element.get_text(" ", strip=True).split() == list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def test_filter_box_is_written_hidden_for_the_script(glossary: str) -> None:
    """The box is in the letter bar (so it stays in view), hidden until the runtime shows
    it, labelled, with a status region for the count, and its texts in the page."""
    box = body(glossary).select_one("p.dlglossary-letters > span.dlglossary-filter")
    assert box is not None
    assert box.has_attr("hidden")
    field = box.select_one("input")
    assert field is not None and field.get("type") == "search"
    label = box.select_one(f'label[for="{field["id"]}"]')
    assert label is not None and label.get_text() == "Filter terms"
    status = box.select_one('[role="status"]')
    assert status is not None and field.get("aria-describedby") == status.get("id")
    assert box["data-count"] == f"{{n}} of {len(TERMS)} terms"
    assert box["data-none"] == "No term matches"


def test_summary_leads_then_the_definition(glossary: str) -> None:
    paragraphs = entry(glossary, "Kernel").select("p")
    kernel = next(t for t in TERMS if t["key"] == "kernel")
    assert "dlglossary-summary" in paragraphs[0]["class"]
    assert paragraphs[0].get_text() == " ".join(kernel["summary"].split())
    assert paragraphs[1].get_text().startswith(
        "In a convolutional layer, a kernel is the array of learned weights")


@pytest.mark.parametrize(("title", "inline", "display"), [
    ("Bias", r"\(b\)",
     r"\[h = \sigma\left(\mathbf{w}^\top \mathbf{x} + b\right) = "
     r"\sigma\left(\sum_i w_i x_i + b\right),\]"),
    ("Multi-layer perceptron (MLP)",
     r"\(\hat{\mathbf{y}} = \mathbf{W}_2\,\sigma(\mathbf{W}_1\mathbf{x} + \mathbf{b}_1) "
     r"+ \mathbf{b}_2\)",
     r"\[\mathbf{h} = \sigma(\mathbf{W}\mathbf{x} + \mathbf{b}),\]"),
    ("Kernel", r"\(c_o \times c_i \times k \times k\)", None),
])
def test_math_in_definitions_is_rendered_as_math(glossary: str, title: str, inline: str,
                                                 display: str | None) -> None:
    definition = entry(glossary, title)
    assert inline in [span.get_text() for span in definition.select("span.math")]
    if display:
        assert display in [div.get_text().strip() for div in definition.select("div.math")]
    assert "$" not in definition.get_text()
    assert "mathjax" in glossary.split("</head>")[0]  # the page loads the math renderer


def test_links_between_terms_stay_on_the_page(glossary: str) -> None:
    mlp = entry(glossary, "Multi-layer perceptron (MLP)")
    assert ("neural network", "#neural-network", "") in term_links(mlp)
    hrefs = [href for _, href, _ in term_links(glossary)]
    assert hrefs
    assert all(href.startswith("#") for href in hrefs)
    assert {href[1:] for href in hrefs} <= ids(glossary)


def test_aliases_line(glossary: str) -> None:
    line = entry(glossary, "Kernel").select_one("p.dlglossary-aliases")
    assert line is not None
    assert line.get_text() == "Also: filter, convolution kernel"


def test_related_line_leaves_out_terms_the_text_links(glossary: str) -> None:
    shown = {key for key, _ in BY_TITLE}
    checked = 0
    page = body(glossary)  # parsed once: 153 entries
    for term in TERMS:
        dd = entry(page, term["title"])
        line = dd.select_one("p.dlglossary-related")
        in_text = {href[1:] for p in dd.select("p") if p is not line
                   and not {"dlglossary-related", "dlglossary-used-on"} & set(p.get("class") or [])
                   for _, href, _ in term_links(p)}
        expected = [k for k in term.get("related", []) if k in shown and k not in in_text]
        got = [href[1:] for _, href, _ in term_links(line)] if line is not None else []
        assert got == expected, term["key"]
        checked += bool(expected)
    assert checked > 20  # many entries keep a related line
    # Kernel's text links every related term: no line repeats them.
    assert entry(page, "Kernel").select_one("p.dlglossary-related") is None


def test_tags_are_chips(glossary: str) -> None:
    line = entry(glossary, "Kernel").select_one("p.dlglossary-tags")
    assert line is not None
    kernel = next(t for t in TERMS if t["key"] == "kernel")
    chips = line.select("a.dlglossary-tag")
    assert [c.get_text() for c in chips] == kernel["tags"]
    # Each chip leads to its tag in the terms-by-tag section, which links to the terms.
    page = body(glossary)
    for chip in chips:
        tag = page.select_one(f'dt[id="{str(chip["href"])[1:]}"]')
        assert tag is not None and tag.get_text() == chip.get_text()
        assert tag.find_parent("section", id="dlglossary-tags") is not None
        dd = tag.find_next_sibling("dd")
        assert dd is not None
        tagged = [t["key"] for t in sorted(TERMS, key=lambda t: t["title"].casefold())
                  if chip.get_text() in t.get("tags", [])]
        assert [str(a["href"])[1:] for a in dd.select("a.dlglossary-tag-term")] == tagged
    assert "Terms by tag" in [h.get_text().rstrip("¶") for h in page.select("h2")]


def test_structured_data(glossary: str) -> None:
    [script] = body(glossary).select('script[type="application/ld+json"]')
    data = json.loads(script.string or "")
    assert data["@type"] == "DefinedTermSet"
    terms = {t["termCode"]: t for t in data["hasDefinedTerm"]}
    assert len(terms) == 153
    assert terms["kernel"] == {
        "@type": "DefinedTerm", "termCode": "kernel", "name": "Kernel", "url": "#kernel",
        "description": " ".join(next(t for t in TERMS if t["key"] == "kernel")["summary"]
                                .split())}
    assert "<" not in (script.string or "")


# -- backlinks -----------------------------------------------------------------------------


def test_backlinks_in_toctree_order_and_document_order(glossary: str) -> None:
    # toctree: index, zoo, myst (not alphabetical); on index, kernel is used as
    # dlterm-1, dlterm-2 and (as "filter") dlterm-4: each page once, to its first use.
    assert backlinks(glossary, "Kernel") == [
        ("Home", "index.html#dlterm-1"),
        ("Zoo", "zoo.html#dlterm-2"),
        ("MyST page", "myst.html#dlterm-1"),
    ]


def test_backlinks_count_the_uses_on_a_page(glossary: str) -> None:
    box = entry(glossary, "Kernel").select_one("div.dlglossary-backlinks")
    assert box is not None
    assert box.get_text(" ", strip=True) == "Used on 3 pages: Home (3 uses) , Zoo , MyST page"
    assert backlink_notes(glossary, "Kernel") == ["(3 uses)", "", ""]


def test_many_pages_go_behind_a_disclosure(tmp_path: Path) -> None:
    pages = {f"p{i}.rst": f"Page {i}\n{'=' * (5 + len(str(i)))}\n\nA :dlterm:`kernel`.\n\n"
             f"Part\n----\n\nA :dlterm:`kernel` and :dlterm:`kernels`.\n" for i in range(8)}
    toc = "".join(f"   p{i}\n" for i in range(8))
    out, warnings = build_project(tmp_path, {
        "conf.py": 'extensions = ["sphinxcontrib_dlglossary"]\n',
        "index.rst": f"Home\n====\n\n.. toctree::\n\n{toc}   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n   :used-only:\n",
        **pages}, freshenv=True)
    assert "WARNING" not in warnings, warnings
    glossary = (out / "glossary.html").read_text("utf-8")
    box = entry(glossary, "Kernel").select_one("div.dlglossary-backlinks")
    assert box is not None
    shown = box.select_one("p.dlglossary-used-on")
    assert shown is not None
    assert [a.get_text() for a in shown.select("a")] == [f"Page {i}" for i in range(5)]
    details = box.select_one("details.dlglossary-more")
    assert details is not None
    assert details.summary.get_text() == "and 3 more pages"  # type: ignore[union-attr]
    assert [a.get_text() for a in details.select("a")] == [f"Page {i}" for i in range(5, 8)]
    assert backlink_notes(glossary, "Kernel") == ["(3 uses)"] * 5 + [""] * 3  # links only
    assert [h for _, h in backlinks(glossary, "Kernel")] == [
        f"p{i}.html#dlterm-1" for i in range(8)]


def _many_pages(count: int) -> dict[str, str]:
    """A project of *count* pages that use Kernel (three times each, from the second
    section on) and Epoch (once), and a glossary of the used terms."""
    pages = {f"p{i:02}.rst": f"Page {i}\n{'=' * (5 + len(str(i)))}\n\nIntro.\n\n"
             f"Part {i}\n{'-' * (5 + len(str(i)))}\n\nA :dlterm:`kernel`, :dlterm:`kernels`"
             " and :dlterm:`kernel`. An :dlterm:`epoch`.\n" for i in range(count)}
    toc = "".join(f"   p{i:02}\n" for i in range(count))
    return {"conf.py": 'extensions = ["sphinxcontrib_dlglossary"]\n',
            "index.rst": f"Home\n====\n\n.. toctree::\n\n{toc}   glossary\n",
            "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n   :used-only:\n",
            **pages}


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_a_much_used_term_links_to_a_page_of_all_uses(tmp_path: Path, builder: str) -> None:
    """Past 5 pages shown and 10 behind the disclosure, the entry links to a page that
    lists all 18 pages in reading order, each with its section and number of uses, and
    each link lands on the page's first use."""
    out, warnings = build_project(tmp_path, _many_pages(18), builder, freshenv=True)
    assert "WARNING" not in warnings, warnings
    html = "glossary/index.html" if builder == "dirhtml" else "glossary.html"
    glossary = (out / html).read_text("utf-8")
    box = entry(glossary, "Kernel").select_one("div.dlglossary-backlinks")
    assert box is not None
    details = box.select_one("details.dlglossary-more")
    assert details is not None
    assert details.summary.get_text() == "and 13 more pages"  # type: ignore[union-attr]
    assert [t for t, _ in backlinks(glossary, "Kernel")] == [f"Page {i}" for i in range(15)]
    [more] = box.select("p.dlglossary-all-uses a")
    assert more.get_text() == "All 18 pages that use Kernel"
    # The page of all uses, in the site's theme, next to the glossary.
    href = str(more["href"])
    path, _, anchor = href.partition("#")
    page = (out / html).parent / path
    if builder == "dirhtml":
        page = page / "index.html"
    text = page.resolve().read_text("utf-8")
    listing = body(text).select_one(f'ol[id="{anchor}"]')
    assert listing is not None
    assert body(text).select_one("h1").get_text() == "Pages that use Kernel"  # type: ignore[union-attr]
    items = listing.select("li")
    assert [li.a.get_text() for li in items] == [f"Page {i}" for i in range(18)]  # type: ignore[union-attr]
    assert [li.select_one("span.dlglossary-where").get_text() for li in items] == [  # type: ignore[union-attr]
        f"(Part {i}; 3 uses)" for i in range(18)]
    for li in items:  # each lands on the first use
        target, _, ref_id = str(li.a["href"]).partition("#")  # type: ignore[index]
        doc = (page.parent / target).resolve()
        if builder == "dirhtml":
            doc = doc / "index.html"
        found = body(doc.read_text("utf-8")).select_one(f'[id="{ref_id}"]')
        assert found is not None and "dlterm" in (found.get("class") or []), li
    back = body(text).select_one("p a")
    assert back is not None and str(back["href"]).endswith("#kernel")
    assert (page.parent / str(back["href"]).partition("#")[0]).resolve().exists()


def test_pages_of_all_uses_follow_incremental_builds(tmp_path: Path) -> None:
    """Written again when their text changed or when missing; an edit that changes no
    backlink leaves them alone, one that adds a use of Kernel writes Kernel's only."""
    files = _many_pages(18)
    out, _ = build_project(tmp_path, files, freshenv=True)
    page = out / "dlglossary-uses" / "kernel.html"
    other = out / "dlglossary-uses" / "epoch.html"
    first, epoch = page.stat().st_mtime_ns, other.stat().st_mtime_ns
    build_project(tmp_path, {"index.rst": files["index.rst"] + "\nMore words.\n"})
    assert page.stat().st_mtime_ns == first
    toc = files["index.rst"].replace("   glossary\n", "   p18\n   glossary\n")
    build_project(tmp_path, {"index.rst": toc, "p18.rst": "Page 18\n=======\n\nPart 18\n"
                             "-------\n\nA :dlterm:`kernel`.\n"})
    listing = body(page.read_text("utf-8")).select("ol li a")
    assert [a.get_text() for a in listing][-1] == "Page 18"
    assert other.stat().st_mtime_ns == epoch
    page.unlink()  # written again by the next build that writes pages
    build_project(tmp_path, {"index.rst": toc + "\nMore words.\n"})
    assert page.exists()
    build_project(tmp_path, html_theme="classic")  # Sphinx writes every page again
    assert other.stat().st_mtime_ns != epoch
    assert 'href="_static/classic.css' in other.read_text("utf-8").replace("../", "")


@pytest.mark.parametrize("builder", ["singlehtml", "text"])
def test_one_document_builders_list_every_page(tmp_path: Path, builder: str) -> None:
    """singlehtml (and every builder but the page-per-file HTML ones) lists all 18 pages
    in the entry, and writes no page of all uses."""
    out, warnings = build_project(tmp_path, _many_pages(18), builder, freshenv=True)
    assert "WARNING" not in warnings, warnings
    assert not (out / "dlglossary-uses").exists()
    if builder == "singlehtml":
        page = (out / "index.html").read_text("utf-8")
        assert [t for t, _ in backlinks(page, "Kernel")] == [f"Page {i}" for i in range(18)]
        assert "All 18 pages" not in page
    else:
        text = (out / "glossary.txt").read_text("utf-8")
        assert "Used on 18 pages:" in text and "Page 17" in text
        assert "All 18 pages" not in text


def test_the_section_of_the_first_use_is_named(tmp_path: Path) -> None:
    out, _ = build_project(tmp_path, {
        "conf.py": 'extensions = ["sphinxcontrib_dlglossary"]\n',
        "index.rst": "Home\n====\n\nIntro.\n\nTraining\n--------\n\nAn :dlterm:`epoch`.\n\n"
                     ".. toctree::\n\n   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n   :used-only:\n"},
        freshenv=True)
    glossary = (out / "glossary.html").read_text("utf-8")
    assert backlinks(glossary, "Epoch") == [("Home", "index.html#dlterm-1")]
    assert backlink_notes(glossary, "Epoch") == ["(Training)"]


def test_each_backlink_lands_on_its_reference(basic: Built, glossary: str) -> None:
    for _, href in backlinks(glossary, "Kernel"):
        name, _, anchor = href.partition("#")
        target = body(basic.read(name)).select_one(f'[id="{anchor}"]')
        assert target is not None, href
        assert target.get("href") == "glossary.html#kernel", href


def test_backlinks_of_a_term_used_once(glossary: str) -> None:
    assert backlinks(glossary, "Epoch") == [("MyST page", "myst.html#dlterm-2")]
    assert backlinks(glossary, "Tensor") == [("Zoo", "zoo.html#dlterm-1")]


def test_unused_term_has_no_backlinks(glossary: str) -> None:
    assert backlinks(glossary, "Activation function") == []
    assert entry(glossary, "Activation function").select_one("div.dlglossary-backlinks") is None


def test_myst_glossary_backlinks(build: Callable[..., Built]) -> None:
    html = build("containers").read("glossary.html")
    assert backlinks(html, "Kernel") == [("rST containers", "rst.html#dlterm-1"),
                                         ("MyST containers", "md.html#dlterm-1")]


# -- options -------------------------------------------------------------------------------


def test_used_only_shows_referenced_terms(build: Callable[..., Built]) -> None:
    built = build("used-only")
    assert built.warnings == ""
    assert glossary_terms(built.read("glossary.html")) == [
        ("convolutional-neural-network", "Convolutional neural network (CNN)"),
        ("epoch", "Epoch"),
        ("kernel", "Kernel"),
    ]


def test_tags_show_tagged_terms_without_backlinks(build: Callable[..., Built]) -> None:
    built = build("tags")
    assert built.warnings == ""
    tagged = [(k, t) for k, t in BY_TITLE
              if "convolution" in next(x for x in TERMS if x["key"] == k).get("tags", [])]
    assert len(tagged) == 18
    html = built.read("glossary.html")
    assert glossary_terms(html) == tagged
    # Kernel is referenced, yet `:backlinks: false` leaves out the "Used on" line.
    assert ("kernel", "glossary.html#kernel", "dlterm-1") in term_links(built.read("index.html"))
    assert body(html).select("div.dlglossary-backlinks") == []


def test_bad_backlinks_value_is_an_error_at_the_directive(build: Callable[..., Built]) -> None:
    built = build("bad-directive")
    path = built.srcdir / "glossary.rst"
    assert f'{path}:4: ERROR: Error in "dlglossary" directive:' in built.warnings
    assert "expected true or false, not 'maybe'" in built.warnings


def test_unknown_tag_warns(build: Callable[..., Built]) -> None:
    built = build("bad-directive")
    path = built.srcdir / "tags.rst"
    assert (f"{path}:4: WARNING: dlglossary: unknown tag 'nonesuch' (known tags: "
            "activations, architecture, attention, convolution, data, evaluation, fundamentals, "
            "generative, layers, learning-settings, losses, math, optimization, regularization, "
            "representation, segmentation, sequences, training, vision) "
            "[dlglossary.directive]") in built.warnings.splitlines()


# -- project term files ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def project(build: Callable[..., Built]) -> Built:
    return build("term-files")


def test_project_term_is_shown_and_resolves(project: Built) -> None:
    html = project.read("glossary.html")
    assert ("grouped-convolution", "Grouped convolution") in glossary_terms(html)
    assert entry(html, "Grouped convolution").p.get_text() == (  # type: ignore[union-attr]
        "A convolution whose channels are split into groups, each kernel reading only its "
        "own group."
    )
    assert term_links(project.read("index.html"))[0] == (
        "group convolution", "glossary.html#grouped-convolution", "dlterm-1"
    )


def test_override_replaces_the_definition(project: Built) -> None:
    definition = entry(project.read("glossary.html"), "Kernel")
    assert definition.p.get_text() == (  # type: ignore[union-attr]
        "In this project, the small weight window of a convolution."
    )
    assert "In a convolutional layer" not in definition.get_text()


def test_excluded_term_is_neither_shown_nor_linked(project: Built) -> None:
    html = project.read("glossary.html")
    assert "tensor" not in [key for key, _ in glossary_terms(html)]
    assert len(glossary_terms(html)) == 153  # 153 - tensor + grouped-convolution
    path = project.srcdir / "index.rst"
    assert project.warnings.splitlines() == [
        f"{path}:6: WARNING: unknown term 'tensor' (term 'tensor' is excluded by "
            "dlglossary_exclude) [dlglossary.unknown_term]"
    ]
    assert '<em class="dlterm-unknown">tensor</em>' in project.read("index.html")


def test_letters_are_sections_in_the_page_contents(tmp_path: Path) -> None:
    """Themes list the letters in the page's table of contents (made when the page is
    read); the letter bar stands beside the sections, so it stays in view over them."""
    out, warnings = build_project(tmp_path, {
        "conf.py": 'extensions = ["sphinxcontrib_dlglossary"]\n'
                   'html_sidebars = {"**": ["localtoc.html"]}\n',
        "index.rst": "Home\n====\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n   :tags: segmentation\n",
    }, freshenv=True)
    assert warnings == ""
    html = (out / "glossary.html").read_text("utf-8")
    page = body(html)
    sections = page.select("section.dlglossary-letter-section")
    letters = [s.find(["h2", "h3"]).get_text().rstrip("¶") for s in sections]  # type: ignore[union-attr]
    assert letters == sorted({t["title"][0].upper() for t in TERMS
                              if "segmentation" in t.get("tags", [])})
    assert [s["id"] for s in sections] == [f"dlglossary-letter-{x.lower()}" for x in letters]
    assert all(s.select("dl.dlglossary-list > dt") for s in sections)
    toc = BeautifulSoup(html, "html.parser").select_one("div.sphinxsidebar")
    assert toc is not None
    assert [a["href"] for a in toc.select("a") if "letter" in str(a["href"])] == [
        f"#dlglossary-letter-{x.lower()}" for x in letters]
    bar = page.select_one("p.dlglossary-letters")
    assert bar is not None and bar.parent is sections[0].parent  # beside the sections


def test_used_only_letters_are_headings(build: Callable[..., Built]) -> None:
    """With :used-only:, the letters are known only after every page is read: headings
    (rubrics) without sections."""
    html = build("used-only").read("glossary.html")
    assert body(html).select("section.dlglossary-letter-section") == []
    assert body(html).select("p.rubric.dlglossary-letter")


def test_letter_sections_can_be_turned_off(tmp_path: Path) -> None:
    out, warnings = build_project(tmp_path, {
        "conf.py": 'extensions = ["sphinxcontrib_dlglossary"]\n',
        "index.rst": "Home\n====\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n   :tags: segmentation\n"
                        "   :letter-sections: false\n",
    }, freshenv=True)
    assert warnings == ""
    page = body((out / "glossary.html").read_text("utf-8"))
    assert page.select("section.dlglossary-letter-section") == []
    assert page.select("p.rubric.dlglossary-letter")
    index = body((out / "index.html").read_text("utf-8"))
    assert not index.select('a[href^="glossary.html#dlglossary-letter"]')
