"""The ``dlterm`` role as a reader meets it: link text, target, class and id.

rST and MyST pages of one project (``test-basic``), the same references inside
admonitions, tables, lists and sphinx-design containers (``test-containers``), and a
project without MyST-Parser (``test-rst-only``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from common import body, build_project, term_links

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from common import Built


@pytest.fixture(scope="module")
def basic(build: Callable[..., Built]) -> Built:
    return build("basic")


@pytest.fixture(scope="module")
def containers(build: Callable[..., Built]) -> Built:
    return build("containers")


def test_rst_references_link_to_their_glossary_entries(basic: Built) -> None:
    assert term_links(basic.read("index.html")) == [
        ("kernel", "glossary.html#kernel", "dlterm-1"),
        ("kernels", "glossary.html#kernel", "dlterm-2"),
        ("CNN", "glossary.html#convolutional-neural-network", "dlterm-3"),
        ("filter", "glossary.html#kernel", "dlterm-4"),
    ]


def test_myst_references_link_to_their_glossary_entries(basic: Built) -> None:
    assert term_links(basic.read("myst.html")) == [
        ("kernel", "glossary.html#kernel", "dlterm-1"),
        ("epochs", "glossary.html#epoch", "dlterm-2"),
    ]


def test_every_link_into_the_glossary_is_a_term_link(basic: Built) -> None:
    # term_links() finds links by the dlterm class: a link without it would go unseen above.
    for pagename in ("index.html", "zoo.html", "myst.html"):
        main = body(basic.read(pagename))
        # (A toctree lists the glossary's letter sections: those links are navigation.)
        into_glossary = [a for a in main.select('a[href^="glossary.html#"]')
                         if not a.find_parent(class_="toctree-wrapper")]
        assert into_glossary
        assert all("dlterm" in a.get_attribute_list("class") for a in into_glossary), pagename


def test_link_ids_are_unique_on_a_page(basic: Built) -> None:
    links = term_links(basic.read("index.html"))
    assert len({id_ for _, _, id_ in links}) == len(links)


CONTAINERS = {
    "admonition": ("div.admonition", ("kernel", "glossary.html#kernel", "dlterm-1")),
    "table": ("table", ("epochs", "glossary.html#epoch", "dlterm-2")),
    "bullet list": ("ul", ("tensors", "glossary.html#tensor", "dlterm-3")),
    "tab-set": ("div.sd-tab-set",
                ("CNN", "glossary.html#convolutional-neural-network", "dlterm-4")),
    "card": ("div.sd-card", ("bias", "glossary.html#bias", "dlterm-5")),
    "dropdown": ("details.sd-dropdown",
                 ("MLP", "glossary.html#multi-layer-perceptron-mlp", "dlterm-6")),
}


@pytest.mark.parametrize("pagename", ["rst.html", "md.html"])
@pytest.mark.parametrize("container", list(CONTAINERS))
def test_reference_inside_a_container(containers: Built, pagename: str, container: str,
                                      ) -> None:
    selector, link = CONTAINERS[container]
    assert term_links(containers.read(pagename), within=selector) == [link]


def test_containers_build_without_warnings(containers: Built) -> None:
    assert containers.warnings == ""


def test_project_without_myst_parser(build: Callable[..., Built]) -> None:
    built = build("rst-only")
    assert built.warnings == ""
    assert term_links(built.read("index.html")) == [
        ("kernel", "glossary.html#kernel", "dlterm-1"),
        ("kernels", "glossary.html#kernel", "dlterm-2"),
        ("CNN", "glossary.html#convolutional-neural-network", "dlterm-3"),
    ]
    # Definitions are MyST even here: the math in them still renders as math.
    glossary = body(built.read("glossary.html"))
    assert glossary.select_one('dt[id="kernel"]') is not None
    assert glossary.select("span.math")


def test_any_role_finds_terms_by_any_name(tmp_path: Path) -> None:
    """``:any:`` resolves a term by title, alias or plural, like ``dlterm``."""
    files = {
        "conf.py": 'extensions = ["sphinxcontrib_dlglossary"]\n',
        "index.rst": "Home\n====\n\n:any:`CNNs` and :any:`kernel`.\n\n.. toctree::\n\n"
                     "   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
    }
    outdir, warnings = build_project(tmp_path, files)
    assert warnings == ""
    html = (outdir / "index.html").read_text(encoding="utf-8")
    assert 'href="glossary.html#convolutional-neural-network"' in html
    assert 'href="glossary.html#kernel"' in html
