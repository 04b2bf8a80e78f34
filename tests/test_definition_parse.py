"""Definitions parse the same on the set-up-once renderer as on MyST's own setup.

:mod:`~sphinxcontrib_dlglossary.sphinx_ext.definitions` sets MyST's renderer up once per
process and renews only one document's state for each later text (MyST's setup makes a
throwaway document each time, more than half the cost of a parse). These tests hold that
shortcut to MyST's result, for every text of the canonical set, on whatever MyST is installed.
"""

from __future__ import annotations

import pytest

from sphinxcontrib_dlglossary.core.terms import load
from sphinxcontrib_dlglossary.sphinx_ext import definitions

TEXTS = sorted({text for term in load() for text in (term.definition, term.summary) if text})
#: Texts whose state could leak into the next one if a render were not renewed.
STATEFUL = [
    "Loss $L$ and\n\n$$\nL = \\sum_i \\ell_i\n$$\n\nafter.",
    "See [the paper][ref] and {dlterm}`kernel` and {dlterm}`!epoch`.\n\n[ref]: https://example.org/a",
    "1. one\n2. two\n   - nested *em* **strong** `code`\n",
    "Plain [ref] text, with no definition of ref in this text.",
]


def _fresh(text: str) -> str:
    """*text* parsed by a renderer that runs MyST's own setup (as on its first use)."""
    renderer = definitions._parser().renderer
    renderer._set_up = False
    try:
        return definitions._parse(text).pformat()
    finally:
        renderer._set_up = True


def test_canonical_set_has_texts() -> None:
    assert len(TEXTS) > 250


@pytest.mark.parametrize("text", TEXTS + STATEFUL)
def test_parse_matches_mysts_own_setup(text: str) -> None:
    definitions._parse("warm up")  # the renderer has been set up before
    assert definitions._parse(text).pformat() == _fresh(text)


def test_texts_do_not_leak_into_each_other() -> None:
    alone = {text: _fresh(text) for text in STATEFUL}
    for text in STATEFUL + list(reversed(STATEFUL)):
        assert definitions._parse(text).pformat() == alone[text]
    # a link reference defined in one text does not resolve a link in the next
    assert "refuri" not in definitions._parse(STATEFUL[3]).pformat()
