"""Terms shared across projects: one project's glossary serves another through intersphinx.

Two small projects are built one after the other: ``course`` has the glossary page; ``lab``
has the extension and an ``intersphinx_mapping`` to ``course`` but no glossary page. The
``lab`` pages link to ``course``'s anchors and carry local tooltips, with no warning.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from common import build_project
from sphinxcontrib_dlglossary.sphinx_ext import jsonexport

COURSE = {
    "conf.py": 'project = "Course"\nextensions = ["sphinxcontrib_dlglossary"]\n',
    "index.rst": "Course\n======\n\nA :dlterm:`kernel` twice: :dlterm:`kernels`.\n\n"
                 ".. toctree::\n\n   glossary\n",
    "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
}
LAB_CONF = (
    'project = "Lab"\n'
    'extensions = ["myst_parser", "sphinx.ext.intersphinx", "sphinxcontrib_dlglossary"]\n'
    'intersphinx_mapping = {"course": ("https://course.example/docs/", "{inv}")}\n'
)
LAB_PAGES = {
    "index.md": "# Lab\n\nOur {dlterm}`kernels <kernel>` and {dlterm}`CNN`.\n\n"
                "Plain Sphinx: {external+course:dl:term}`kernel`.\n",
}


def build(src: Path, files: dict[str, str]) -> tuple[Path, str]:
    return build_project(src, files)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir, warnings = build(tmp_path_factory.mktemp("course"), COURSE)
    assert warnings == ""
    return outdir


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="([^"]*)" href="([^"]+)"[^>]*>', html)


def test_a_project_without_glossary_links_to_the_other_projects_anchors(
    course: Path, tmp_path: Path
) -> None:
    conf = LAB_CONF.replace("{inv}", str(course / "objects.inv"))
    outdir, warnings = build(tmp_path, {"conf.py": conf, **LAB_PAGES})
    assert warnings == ""
    html = (outdir / "index.html").read_text(encoding="utf-8")
    found = links(html)
    assert ("dlterm reference external",
            "https://course.example/docs/glossary.html#kernel") in found
    assert ("dlterm reference external",
            "https://course.example/docs/glossary.html#convolutional-neural-network") in found
    # No "(in Course)" native title over our tooltip on the dlterm links.
    assert 'title="(in Course' not in html.split("Plain Sphinx")[0]
    # Local tooltips: the runtime and the shipped definitions of the used terms.
    assert "_static/dlglossary.min.js" in html
    terms_js = (outdir / "_static" / "dlglossary-terms.js").read_text(encoding="utf-8")
    assert '"kernel":{' in terms_js and '"convolutional-neural-network":{' in terms_js
    # The plain intersphinx role reaches the same anchor.
    assert "https://course.example/docs/glossary.html#kernel" in html.split("Plain Sphinx")[1]


def test_the_local_glossary_page_wins_over_intersphinx(course: Path, tmp_path: Path) -> None:
    conf = LAB_CONF.replace("{inv}", str(course / "objects.inv"))
    pages = {**LAB_PAGES, "glossary.md": "# Terms\n\n```{dlglossary}\n```\n",
             "index.md": LAB_PAGES["index.md"] + "\n```{toctree}\nglossary\n```\n"}
    outdir, warnings = build(tmp_path, {"conf.py": conf, **pages})
    assert warnings == ""
    found = links((outdir / "index.html").read_text(encoding="utf-8"))
    assert ("dlterm reference internal", "glossary.html#kernel") in found


def test_dlglossary_intersphinx_chooses_the_inventory(course: Path, tmp_path: Path) -> None:
    conf = (LAB_CONF.replace("{inv}", str(course / "objects.inv"))
            + 'intersphinx_mapping["mirror"] = ("https://mirror.example/", "{inv}")\n'
            .replace("{inv}", str(course / "objects.inv"))
            + 'dlglossary_intersphinx = ["mirror"]\n')
    outdir, warnings = build(tmp_path, {"conf.py": conf, **LAB_PAGES})
    assert warnings == ""
    found = links((outdir / "index.html").read_text(encoding="utf-8"))
    assert ("dlterm reference external", "https://mirror.example/glossary.html#kernel") in found


def test_without_glossary_or_inventory_a_clear_warning(tmp_path: Path) -> None:
    conf = 'extensions = ["myst_parser", "sphinxcontrib_dlglossary"]\n'
    outdir, warnings = build(tmp_path, {"conf.py": conf, **LAB_PAGES})
    assert re.search(
        r"index\.md:3: WARNING: no glossary page shows term 'kernel': add a page with the "
        r"dlglossary directive, or an intersphinx_mapping entry for a project that has one "
        r"\[dlglossary\.no_glossary\]", warnings), warnings
    html = (outdir / "index.html").read_text(encoding="utf-8")
    assert "Our kernels and" in re.sub(r"<[^>]+>", "", html)


def test_dlglossary_json_matches_its_schema_and_the_page(course: Path) -> None:
    data = json.loads((course / jsonexport.FILENAME).read_text(encoding="utf-8"))
    from importlib import resources

    # The schema the installed package ships (the wheel's copy when testing a wheel).
    schema = json.loads(resources.files("sphinxcontrib_dlglossary.data")
                        .joinpath("dlglossary-json.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["project"] == "Course" and data["glossary"] == "glossary.html"
    assert len(data["terms"]) == 153
    kernel = next(t for t in data["terms"] if t["key"] == "kernel")
    assert kernel["url"] == "glossary.html#kernel"
    assert kernel["used_by"] == [{"page": "index", "title": "Course",
                                  "url": "index.html#dlterm-1", "count": 2}]
    assert "<" not in kernel["summary"] and "{dlterm}" not in json.dumps(data)
    glossary_html = (course / "glossary.html").read_text(encoding="utf-8")
    for term in data["terms"]:
        assert f'id="{term["url"].split("#")[1]}"' in glossary_html


def test_plain_sphinx_links_with_term_and_intersphinx(course: Path, tmp_path: Path) -> None:
    """A project without the extension: :term: falls back to the other site's std:term."""
    conf = ('extensions = ["sphinx.ext.intersphinx"]\n'
            'intersphinx_mapping = {"course": ("https://course.example/docs/", "%s")}\n'
            % (course / "objects.inv"))
    page = ("Plain\n=====\n\n:term:`kernel` and :external+course:term:`Convolutional "
            "neural network (CNN)` and :term:`multi-layer-perceptron-mlp`.\n")
    outdir, warnings = build(tmp_path, {"conf.py": conf, "index.rst": page})
    assert warnings == ""
    html = (outdir / "index.html").read_text(encoding="utf-8")
    hrefs = [href for _, href in links(html) if href.startswith("https:")]
    assert hrefs == [
        "https://course.example/docs/glossary.html#kernel",
        "https://course.example/docs/glossary.html#convolutional-neural-network",
        "https://course.example/docs/glossary.html#multi-layer-perceptron-mlp",
    ]
