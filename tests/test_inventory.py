"""What other projects and the index see: ``objects.inv`` and the general index."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from common import TERMS, index_entries, index_see_entries, inventory

if TYPE_CHECKING:
    from collections.abc import Callable

    from common import Built


@pytest.fixture(scope="module")
def basic(build: Callable[..., Built]) -> Built:
    return build("basic")


def test_inventory_lists_every_term(basic: Built) -> None:
    terms = inventory(basic.outdir / "objects.inv")["dl:term"]
    assert len(terms) == 153
    assert terms == {t["key"]: (f"glossary.html#{t['key']}", t["title"]) for t in TERMS}


def test_inventory_entry_of_kernel(basic: Built) -> None:
    assert inventory(basic.outdir / "objects.inv")["dl:term"]["kernel"] == (
        "glossary.html#kernel", "Kernel"
    )


def test_used_only_inventory_lists_used_terms(build: Callable[..., Built]) -> None:
    built = build("used-only")
    assert inventory(built.outdir / "objects.inv")["dl:term"] == {
        "convolutional-neural-network": ("glossary.html#convolutional-neural-network",
                                         "Convolutional neural network (CNN)"),
        "epoch": ("glossary.html#epoch", "Epoch"),
        "kernel": ("glossary.html#kernel", "Kernel"),
    }


def test_general_index_lists_each_term(basic: Built) -> None:
    entries = index_entries(basic.read("genindex.html"))
    assert ("Kernel", "glossary.html#kernel") in entries
    titles = {t["title"] for t in TERMS}
    assert titles <= {text for text, _ in entries}


def test_general_index_points_aliases_at_their_term(basic: Built) -> None:
    see = index_see_entries(basic.read("genindex.html"))
    assert see["filter"] == "see Kernel"
    assert see["CNN"] == "see Convolutional neural network (CNN)"
    assert see["MLP"] == "see Multi-layer perceptron (MLP)"
