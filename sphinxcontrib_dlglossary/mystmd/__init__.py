"""The term set as a mystmd (Jupyter Book 2) plugin: ``dlglossary export --format mystmd``.

mystmd is a Node.js tool, not Sphinx: its plugins are ES modules. :func:`plugin_source`
writes one file, ``dlglossary.mjs``, that needs nothing but Node: the term data (the
canonical set with the project's term files layered over it, as every export takes them),
the lookup rules of :mod:`.core.naming` and :mod:`.core.rolesyntax` ported line by line
(``lookup.mjs``), and the ``{dlterm}`` role, the ``dlglossary`` directive and the
transform that writes backlinks (``plugin.mjs``).

What JavaScript's Unicode tables would answer differently from Python's (which characters
separate words, how a character is case-folded) is computed here and shipped as data, so
that a name resolves to the same term in both; ``tests/mystmd`` runs every form of every
shipped term through both and compares.

Term data is data here too: only terms that passed the term-file checks (the safe MyST
subset of :mod:`.core.safemarkup` included) are exported, and the plugin keeps only the
node types that subset can produce from what mystmd parses.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

from sphinxcontrib_dlglossary import __version__
from sphinxcontrib_dlglossary.core.collation import collation
from sphinxcontrib_dlglossary.core.model import TermSet
from sphinxcontrib_dlglossary.core.naming import SEPARATORS_RE

__all__ = ["PLUGIN_NAME", "plugin_data", "plugin_source", "write_plugin"]

#: The file ``--output DIR`` gets, and ``myst.yml`` lists under ``project: plugins:``.
PLUGIN_NAME = "dlglossary.mjs"


def _every_character() -> str:
    """Every code point but the surrogates, in order."""
    return "".join(map(chr, (*range(0xD800), *range(0xE000, 0x110000))))


@functools.cache
def _separator_class() -> str:
    """SEPARATORS_RE as a JavaScript regular expression (``u`` flag): the characters
    Python's ``\\s`` matches are listed, not left to JavaScript's own ``\\s``."""
    everything = _every_character()
    parts = []
    for run in SEPARATORS_RE.finditer(everything):  # runs of consecutive code points
        first, last = ord(everything[run.start()]), ord(everything[run.end() - 1])
        if last - first != run.end() - run.start() - 1:  # pragma: no cover - surrogates
            raise AssertionError("a run of separators across the surrogates")
        parts.append(f"\\u{{{first:x}}}" if first == last
                     else f"\\u{{{first:x}}}-\\u{{{last:x}}}")
    return "[" + "".join(parts) + "]+"


@functools.cache
def _casefold_table() -> dict[str, str]:
    """The characters whose ``casefold()`` is not their ``lower()`` (``ß`` -> ``ss``,
    ``ς`` -> ``σ``): JavaScript has ``toLowerCase()`` only."""
    return {char: char.casefold() for char in _every_character()
            if char.casefold() != char.lower()}


def plugin_data(termset: TermSet) -> dict[str, Any]:
    """What the plugin needs of *termset*, as plain data."""
    order = collation(None)
    keys = [t.key for t in sorted(termset, key=lambda t: order.sort_key(t.title, t.key))]
    return {
        "version": __version__,
        "content_version": termset.version,
        "terms": {t.key: t.to_dict() for t in termset},
        # The order of the English Sphinx glossary.
        "order": keys,
        "forms": termset.forms(),
        "spelling": termset.spellings(),
        "separators": _separator_class(),
        "casefold": _casefold_table(),
    }


def _module(name: str) -> str:
    return (resources.files(__package__) / name).read_text(encoding="utf-8")


def plugin_source(termset: TermSet) -> str:
    """The text of ``dlglossary.mjs``: data, lookup rules, plugin."""
    # JSON is a JavaScript expression; ASCII only, so that no line separator or other
    # character can end or change the literal.
    data = json.dumps(plugin_data(termset), ensure_ascii=True, sort_keys=False,
                      separators=(",", ":"))
    head = (f"// dlglossary.mjs: the sphinxcontrib-dlglossary term set as a mystmd plugin.\n"
            f"// Written by `dlglossary export --format mystmd` (sphinxcontrib-dlglossary "
            f"{__version__}); do not edit, export again.\n"
            f"// In myst.yml:  project: {{plugins: [{PLUGIN_NAME}]}}\n\n")
    return (head + f"const DATA = {data};\n\n" + _module("lookup.mjs") + "\n"
            + _module("plugin.mjs"))


def write_plugin(termset: TermSet, outdir: Path) -> Path:
    """Write ``outdir/dlglossary.mjs`` (making *outdir*); return its path."""
    outdir.mkdir(parents=True, exist_ok=True)
    path = outdir / PLUGIN_NAME
    path.write_text(plugin_source(termset), encoding="utf-8")
    return path
