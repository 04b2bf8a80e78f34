"""Output that must be right however the source is written (issue #12, cases 5, 8, 10).

Substitutions and ``rst_prolog`` (``:dlterm:`` works where ``:term:`` works), ``only``
(a use a builder leaves out is no backlink), titles whose first letter changes length
when upper-cased, an unknown term inside an included file, and one term failing to render.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from common import backlink_notes, backlinks, build_project, headword, letter_bar, term_links
from sphinxcontrib_dlglossary.sphinx_ext import glossary_page

GLOSSARY = "Glossary\n========\n\n.. dlglossary::\n"


def _dead_backlinks(outdir: Path, page: str = "glossary.html") -> list[str]:
    """Backlinks of *page* whose target id does not exist on the page they link to."""
    soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    dead = []
    links = soup.select("div.dlglossary-backlinks a[href]")
    assert links, "no backlinks to check"
    for a in links:
        file, _, anchor = str(a["href"]).partition("#")
        target = BeautifulSoup((outdir / file).read_text(encoding="utf-8"), "html.parser")
        if target.find(id=anchor) is None:
            dead.append(str(a["href"]))
    return dead


def test_substitutions_and_rst_prolog(tmp_path: Path) -> None:
    outdir, warnings = build_project(tmp_path, {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n"
                   "rst_prolog = '.. |pro| replace:: :dlterm:`kernel`\\n'\n",
        "index.rst": "Title\n=====\n\n.. |ep| replace:: :dlterm:`epoch`\n\n"
                     "Text |ep|, again |ep|, and |pro|.\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": GLOSSARY,
    })
    assert warnings == ""
    links = term_links((outdir / "index.html").read_text(encoding="utf-8"))
    assert [(text, href) for text, href, _ in links] == [
        ("epoch", "glossary.html#epoch"), ("epoch", "glossary.html#epoch"),
        ("kernel", "glossary.html#kernel")]
    page = (outdir / "glossary.html").read_text(encoding="utf-8")
    assert backlinks(page, "Epoch") == [("Title", "index.html#dlterm-1")]
    assert backlink_notes(page, "Epoch") == ["(2 uses)"]  # |ep| twice
    assert backlinks(page, "Kernel") == [("Title", "index.html#dlterm-3")]
    assert _dead_backlinks(outdir) == []


@pytest.mark.parametrize("builder", ["html", "latex"])
def test_a_use_inside_only_is_a_backlink_only_where_it_is_written(tmp_path: Path,
                                                                   builder: str) -> None:
    outdir, warnings = build_project(tmp_path, {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n",
        "index.rst": "Title\n=====\n\nAn :dlterm:`epoch`.\n\n.. only:: latex\n\n"
                     "   For print: :dlterm:`batch size`, :dlterm:`epoch`.\n\n"
                     ".. only:: html and not latex\n\n   On screen: :dlterm:`kernel`.\n\n"
                     ".. toctree::\n\n   glossary\n",
        "glossary.rst": GLOSSARY,
    }, builder)
    assert warnings == ""
    if builder == "html":
        page = (outdir / "glossary.html").read_text(encoding="utf-8")
        assert backlinks(page, "Batch size") == []
        assert backlinks(page, "Epoch") == [("Title", "index.html#dlterm-1")]
        assert backlinks(page, "Kernel") == [("Title", "index.html#dlterm-4")]
        assert _dead_backlinks(outdir) == []
    else:
        tex = next(outdir.glob("*.tex")).read_text(encoding="utf-8")
        # The print-only uses are written, and backlinked; the screen-only one is not.
        assert "For print:" in tex and "On screen:" not in tex
        assert re.search(r"Used on 1 page:.*dlterm-2", tex)  # batch size
        assert not re.search(r"dlterm-4", tex)


def test_titles_whose_letter_grows_when_upper_cased(tmp_path: Path) -> None:
    outdir, warnings = build_project(tmp_path, {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n"
                   "dlglossary_term_files = ['terms.yaml']\n",
        "terms.yaml": "terms:\n"
                      "  - {key: strasse, title: ßtraße, definition: A street.}\n"
                      "  - {key: fiber, title: ﬁber, definition: A thread.}\n"
                      "  - {key: sa, title: Sa, definition: Before ß.}\n"
                      "  - {key: st, title: Su, definition: After ß.}\n"
                      "  - {key: one, title: 1-bit, definition: A digit.}\n"
                      "  - {key: euro, title: € rate, definition: A symbol after z.}\n",
        "index.rst": "Title\n=====\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": GLOSSARY,
    })
    assert warnings == ""
    page = (outdir / "glossary.html").read_text(encoding="utf-8")
    bar = [text for text, _ in letter_bar(page)]
    assert len(bar) == len(set(bar)), bar
    assert "SS" not in bar and "FI" not in bar
    assert bar.index("#") == 0
    ids = Counter(tag["id"] for tag in BeautifulSoup(page, "html.parser").select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []
    soup = BeautifulSoup(page, "html.parser")
    def filed_under(letter: str) -> list[str]:
        rubric = soup.find(id=f"dlglossary-letter-{letter}")
        assert rubric is not None
        items = rubric.find_next("dl")
        assert items is not None
        return [headword(dt) for dt in items.select("dt")]

    under_s = filed_under("s")
    assert under_s.index("Sa") < under_s.index("ßtraße") < under_s.index("Su")
    assert "ﬁber" in filed_under("f")
    assert filed_under("other") == ["1-bit", "€ rate"]


def test_unknown_term_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    _, warnings = build_project(tmp_path, {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n"
                   "exclude_patterns = ['parts']\n",
        "index.rst": "Title\n=====\n\nFirst.\n\n.. include:: parts/inc.rst\n",
        "parts/inc.rst": "One.\n\nTwo with :dlterm:`kernal`.\n",
    })
    assert f"{tmp_path / 'parts' / 'inc.rst'}:3: WARNING: unknown term 'kernal'" in warnings


def test_one_term_failing_to_render_is_a_warning(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = glossary_page.entry

    def failing(termset, docname, term, *args, **kwargs):
        if term.key == "epoch":
            raise KeyError("candidates")
        return real(termset, docname, term, *args, **kwargs)

    monkeypatch.setattr(glossary_page, "entry", failing)
    outdir, warnings = build_project(tmp_path, {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n",
        "index.rst": "Title\n=====\n\n:dlterm:`epoch`\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": GLOSSARY,
    })
    assert ("glossary.rst: WARNING: the entry of term 'epoch' could not be rendered "
            "(KeyError: 'candidates'); its definition is shown as text "
            "[dlglossary.render]") in warnings
    page = (outdir / "glossary.html").read_text(encoding="utf-8")
    assert 'id="epoch"' in page and 'id="kernel"' in page
