"""The matcher (what a mention is) and the prose scanner (which parts of a page are prose,
and where mentions may be linked)."""

from __future__ import annotations

import time

import pytest

from sphinxcontrib_dlglossary.core.matcher import Matcher, Mention
from sphinxcontrib_dlglossary.core.prose import SKIP_NODES, is_prose_node
from sphinxcontrib_dlglossary.core.terms import Term, TermSet, load_canonical
from sphinxcontrib_dlglossary.lint import mask, prose_regions, scan, syntax_of


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_canonical())


def spans(matcher: Matcher, text: str) -> list[tuple[str, str, str]]:
    return [(m.text, m.key, m.kind) for m in matcher.find(text)]


# -- the matcher -------------------------------------------------------------------------------


def test_find_gives_offsets_keys_and_kinds(matcher: Matcher) -> None:
    text = "A CNN reads a mini-batch."
    found = matcher.find(text)
    assert found == [
        Mention(2, 5, "convolutional-neural-network", "CNN", "canonical", False, None),
        Mention(14, 24, "minibatch", "mini-batch", "variant", False, "minibatch"),
    ]
    assert all(text[m.start:m.end] == m.text for m in found)


def test_longest_form_wins(matcher: Matcher) -> None:
    assert spans(matcher, "a convolutional neural network and a neural network") == [
        ("convolutional neural network", "convolutional-neural-network", "canonical"),
        ("neural network", "neural-network", "canonical"),
    ]
    assert spans(matcher, "the loss function")[0][0] == "loss function"


def test_plurals_and_line_breaks(matcher: Matcher) -> None:
    assert [m.text for m in matcher.find("Minibatches, capacities, CNNs, U-Nets.")] == [
        "Minibatches", "capacities", "CNNs", "U-Nets"]
    [m] = matcher.find("a convolutional\n   neural network")
    assert m.key == "convolutional-neural-network"


@pytest.mark.parametrize("text", [
    "a U-Net-like model", "kernel.py", "kernel_size", "loss(x)", "https://x.org/overfitting",
    "non-overfitting", "overfitting-prone", "#overfitting", "user@overfitting", "C:\\overfitting",
    "overfitting.rst", "hyperparameter=3", "overfitting[0]", "v2.overfitting",
    "Overfittingly", "lossy", "minibatchsize",
])
def test_never_inside_identifiers_files_urls_or_compounds(matcher: Matcher, text: str) -> None:
    assert matcher.find(text) == []


@pytest.mark.parametrize("text", [
    "(overfitting)", "overfitting.", "overfitting's", "“overfitting”", "overfitting—and",
    "overfitting, then", "'overfitting'", "overfitting: a", "overfitting;", "*overfitting*",
])
def test_punctuation_around_a_mention(matcher: Matcher, text: str) -> None:
    assert [m.text.lower() for m in matcher.find(text)] == ["overfitting"]


def test_abbreviations_match_exactly(matcher: Matcher) -> None:
    assert [m.text for m in matcher.find("CNN cnn Cnn CNNs MLP mlp Mlp MLPs")] == [
        "CNN", "CNNs", "MLP", "MLPs"]


def test_proper_names_keep_their_capitals(matcher: Matcher) -> None:
    found = matcher.find("U-Net, u-net, Unet, UNets, ResNet block, resnet block")
    assert [(m.text, m.kind, m.replacement) for m in found] == [
        ("U-Net", "canonical", None),
        ("u-net", "variant", "U-Net"),
        ("Unet", "variant", "U-Net"),
        ("UNets", "variant", "U-Nets"),
        ("ResNet block", "canonical", None),
        ("resnet block", "variant", "ResNet block"),
    ]


def test_other_forms_match_in_any_case_but_shouting(matcher: Matcher) -> None:
    assert [m.text for m in matcher.find("Overfitting overfitting OverFitting OVERFITTING")] == [
        "Overfitting", "overfitting", "OverFitting"]


def test_capitalised_word_inside_a_proper_name(matcher: Matcher) -> None:
    # "Acme": a name that no term lists in not_matching (as it lists "Jupyter kernel").
    assert matcher.find("Restart the Acme Kernel now.") == []
    assert matcher.find("Restart the Acme kernel now.")[0].text == "kernel"
    # After a sentence ends, a capitalised word starts a new one.
    assert [m.text for m in matcher.find("It is Acme. Kernel sizes vary.")] == ["Kernel"]
    # A mention before is no name: "CNN Overfitting" has two mentions.
    assert [m.text for m in matcher.find("a CNN Overfitting check")] == ["CNN", "Overfitting"]


def test_variant_replacement_keeps_plural_and_capital(matcher: Matcher) -> None:
    found = matcher.find("Mini-batches and hyper-parameters; Regularisation.")
    assert [m.replacement for m in found] == ["Minibatches", "hyperparameters", "Regularization"]


def test_everyday_terms_are_found_but_not_linkable(matcher: Matcher) -> None:
    [kernel] = matcher.find("the kernel")
    assert kernel.everyday and not kernel.linkable
    assert matcher.linkable("the kernel and the minibatch")[0].key == "minibatch"
    opted = Matcher(load_canonical(), include_everyday={"kernel"})
    assert [m.key for m in opted.linkable("the kernel and the loss")] == ["kernel"]
    everything = Matcher(load_canonical(), include_everyday=True)
    assert [m.key for m in everything.linkable("the kernel and the loss")] == ["kernel", "loss"]


def test_avoided_synonyms() -> None:
    termset = TermSet([
        Term("dropout", "Dropout", "Zeroing activations.", avoid=("dilution",)),
        Term("convnet", "ConvNet", "A network.", variants=("conv net",)),
    ])
    matcher = Matcher(termset)
    found = matcher.find("Dilution, dilutions, a conv net and a ConvNet.")
    assert [(m.text, m.kind, m.replacement, m.linkable) for m in found] == [
        ("Dilution", "avoid", "Dropout", False),
        ("dilutions", "avoid", "dropouts", False),
        ("conv net", "variant", "ConvNet", True),
        ("ConvNet", "canonical", None, True),
    ]


def test_empty_term_set_matches_nothing() -> None:
    assert Matcher(TermSet([])).find("anything at all") == []


def test_fast_enough(matcher: Matcher) -> None:
    text = ("A convolutional neural network trains on a mini-batch with a loss function; "
            "the kernel.py file and https://example.com/overfitting are not terms. ") * 2500
    start = time.perf_counter()
    found = matcher.find(text)
    assert len(found) == 2500 * 3
    assert time.perf_counter() - start < 2.0  # ~400 kB; about 0.05 s on a laptop


# -- the scanner -------------------------------------------------------------------------------


def test_syntax_of() -> None:
    assert syntax_of("a/b.rst") == "rst" and syntax_of("B.MD") == "myst"
    assert syntax_of("x.py") is None


RST = """\
Title kernel
============

Prose kernel with ``kernel`` and :math:`kernel` and `kernel <https://x/kernel>`_.

.. code-block:: python

   kernel = 1

* item kernel
  continued kernel
"""

MYST = """\
---
front: kernel
---
# Title kernel

Prose kernel with `kernel` and $kernel$ and [kernel](https://x/kernel).

```python
kernel = 1
```

> quoted kernel
> continued kernel
"""


@pytest.mark.parametrize("text, syntax, expected", [
    (RST, "rst", ["Prose kernel with ", " and ", " and ", ".", "item kernel",
                  "continued kernel"]),
    (MYST, "myst", ["Prose kernel with ", " and ", " and ", ".", "quoted kernel",
                    "continued kernel"]),
])
def test_prose_regions(text: str, syntax: str, expected: list[str]) -> None:
    regions = prose_regions(text, syntax)  # type: ignore[arg-type]
    assert [text[a:b] for a, b in regions] == expected


def test_mask_keeps_offsets_and_line_breaks() -> None:
    masked = mask(MYST.replace("\n", "\r\n"), "myst", fill="#")
    assert len(masked) == len(MYST.replace("\n", "\r\n"))
    assert masked.count("\r\n") == MYST.count("\n")
    assert "# Title" not in masked and "Prose kernel with ###" in masked


def test_pieces_map_to_the_source() -> None:
    text = "- a list item\n  and its convolutional\n  neural network\n"
    [piece] = scan(text, "myst").pieces
    assert piece.text == "a list item\nand its convolutional\nneural network"
    offset = piece.text.index("neural")
    assert text[piece.source(offset):].startswith("neural network")


def test_roles_comments_and_the_glossary_page() -> None:
    rst = ".. dlglossary: disable-file\n\nA :dlterm:`kernels <kernel>` and :dlterm:`!loss`.\n"
    found = scan(rst, "rst")
    assert [(r.target, r.suppressed, rst[r.start:r.end]) for r in found.roles] == [
        ("kernel", False, ":dlterm:`kernels <kernel>`"), ("loss", True, ":dlterm:`!loss`")]
    assert found.comments == [(1, 1, "dlglossary: disable-file")]
    assert not found.glossary
    myst = "% dlglossary: disable-file\n\nA {dlterm}`kernel`.\n\n```{dlglossary}\n```\n"
    found = scan(myst, "myst")
    assert [myst[r.start:r.end] for r in found.roles] == ["{dlterm}`kernel`"]
    assert found.comments == [(1, 1, "dlglossary: disable-file")]
    assert found.glossary


def test_a_glossary_directive_shown_as_code_is_no_glossary_page() -> None:
    assert not scan("Example:\n\n```rst\n.. dlglossary::\n```\n", "myst").glossary
    assert not scan("Example::\n\n   .. dlglossary::\n", "rst").glossary


def test_docutils_registries_are_restored() -> None:
    from docutils.parsers.rst import directives, roles

    before = directives._directives, roles._roles
    scan(".. note:: x\n\n.. code-block:: python\n\n   x\n\n:ref:`x`\n", "rst")
    assert (directives._directives, roles._roles) == before
    assert directives._directives is before[0] and roles._roles is before[1]


def test_is_prose_node_agrees_with_the_scanner() -> None:
    from docutils import nodes
    from docutils.core import publish_doctree

    doctree = publish_doctree(RST.replace(".. code-block:: python", ".. code:: python"),
                              settings_overrides={"report_level": 5})
    texts = [(t.astext(), is_prose_node(t)) for t in doctree.findall(nodes.Text)]
    assert ("Title kernel", False) in texts
    assert ("kernel", False) in texts  # the literal, the math, the link
    assert ("Prose kernel with ", True) in texts
    assert "title" in SKIP_NODES and "pending_xref" in SKIP_NODES


@pytest.mark.parametrize("text, syntax", [
    (":dlglossary_autolink: false\n\n.. rst-class:: no-autolink\n\nQuiet.\n\nLoud.\n", "rst"),
    ("---\ndlglossary_autolink: false\n---\n{.no-autolink}\nQuiet.\n\nLoud.\n", "myst"),
])
def test_opt_outs_of_auto_linking(text: str, syntax: str) -> None:
    found = scan(text, syntax)  # type: ignore[arg-type]
    assert not found.autolink
    assert [(p.text, p.link) for p in found.pieces] == [("Quiet.", False), ("Loud.", True)]
    assert scan("Loud.\n", syntax).autolink  # type: ignore[arg-type]
    # The content of rst-class is prose, and a class on a block covers what is nested in it.
    assert [(p.text, p.link) for p in scan(
        ".. rst-class:: no-autolink\n\n   - Quiet.\n\n     .. note:: Quiet.\n", "rst").pieces
    ] == [("Quiet.", False), ("Quiet.", False)]
