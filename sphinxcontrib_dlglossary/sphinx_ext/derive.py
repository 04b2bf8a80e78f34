"""What follows from all records together: a pure function of the domain's records.

After every page is read (and, with ``-j``, merged), :func:`derive` decides which terms
each glossary directive shows, where each term's anchor is (the first full glossary page
that shows it), and which index and ``std:term`` entries the shown terms get. It takes
plain data and returns plain data, so it is tested without a build; :mod:`.incremental`
calls it and stores the result. The rules that more than one part of the extension needs
live here once: which page is the main glossary page (:func:`main_page`), reading order
(:func:`toctree_order`, :func:`in_reading_order`) and which terms a directive shows
(:func:`shown_keys`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sphinxcontrib_dlglossary.core.collation import Collation, collation
from sphinxcontrib_dlglossary.core.naming import normalize, one_line

if TYPE_CHECKING:
    from sphinxcontrib_dlglossary.core.model import TermSet
    from sphinxcontrib_dlglossary.sphinx_ext.domain import PageSpec, TermUse

__all__ = [
    "Derived",
    "IndexEntry",
    "derive",
    "in_reading_order",
    "main_page",
    "shown_keys",
    "toctree_order",
    "used_keys",
]

#: An entry of Sphinx's general index: (type, text, anchor, main, key).
IndexEntry = tuple[str, str, str, str, "str | None"]


@dataclass
class Derived:
    """Everything :func:`derive` decides."""

    #: key -> (docname, anchor) of the entry references link to.
    targets: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: docname -> the keys each of its directives shows, in display order.
    shown: dict[str, list[list[str]]] = field(default_factory=dict)
    #: Full glossary pages after the first: (the first, the other).
    duplicates: list[tuple[PageSpec, PageSpec]] = field(default_factory=list)
    #: docname -> general index entries for the terms whose anchor is there.
    index: dict[str, list[IndexEntry]] = field(default_factory=dict)
    #: ``std:term`` names to publish -> (docname, anchor), titles before keys.
    std: dict[str, tuple[str, str]] = field(default_factory=dict)


def _page_order(spec: PageSpec) -> tuple[bool, str, int]:
    """Full pages before filtered ones, then by page and position: the first wins."""
    return (spec.filtered, spec.docname, spec.position)


def main_page(pages: Mapping[str, Sequence[PageSpec]]) -> PageSpec | None:
    """The glossary directive references link to first (a full one, if any)."""
    specs = [spec for specs in pages.values() for spec in specs]
    return min(specs, key=_page_order) if specs else None


def used_keys(uses: Mapping[str, Sequence[TermUse]],
              docnames: Iterable[str] | None = None) -> list[str]:
    """Keys referenced anywhere (or in *docnames*), sorted."""
    docs = uses if docnames is None else {d: uses.get(d, []) for d in docnames}
    return sorted({u.key for found in docs.values() for u in found})


def shown_keys(termset: TermSet, spec: PageSpec, used: Set[str],
               order: Collation | None = None) -> list[str]:
    """The keys a directive shows, in display order (by title, in the order of the
    site's language: :mod:`~sphinxcontrib_dlglossary.core.collation`)."""
    order = order or collation(None)
    chosen = [
        t for t in termset
        if (not spec.tags or set(spec.tags) & set(t.tags))
        and (not spec.used_only or t.key in used)
    ]
    return [t.key for t in sorted(chosen, key=lambda t: order.sort_key(t.title, t.key))]


def toctree_order(root: str, includes: Mapping[str, Sequence[str]],
                  all_docs: Iterable[str]) -> list[str]:
    """Documents in reading order: a walk of the toctree from *root*, then the rest."""
    known = set(all_docs)
    order: list[str] = []
    seen: set[str] = set()
    stack = [root]
    while stack:
        docname = stack.pop()
        if docname in seen or docname not in known:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(includes.get(docname, [])))
    order += sorted(known - seen)
    return order


def in_reading_order(docnames: Iterable[str], order: Sequence[str]) -> list[str]:
    """*docnames* sorted as a reader meets them (*order*), unknown ones last by name."""
    rank = {d: i for i, d in enumerate(order)}
    return sorted(docnames, key=lambda d: (rank.get(d, len(rank)), d))


def derive(termset: TermSet, pages: Mapping[str, Sequence[PageSpec]],
           uses: Mapping[str, Sequence[TermUse]], *, index: bool = True,
           std_terms: bool = True, order: Collation | None = None) -> Derived:
    """Decide shown terms, targets, duplicates, index and std entries from the records."""
    out = Derived()
    used = set(used_keys(uses))
    specs = sorted((spec for found in pages.values() for spec in found), key=_page_order)
    full = [s for s in specs if not s.filtered]
    out.duplicates = [(full[0], other) for other in full[1:]]
    for spec in sorted(specs, key=lambda s: (s.docname, s.position)):
        out.shown.setdefault(spec.docname, []).append(shown_keys(termset, spec, used, order))
    for spec in specs:
        for key in out.shown[spec.docname][spec.position]:
            out.targets.setdefault(key, (spec.docname, key))
    if index:
        out.index = index_entries(termset, out.targets)
    if std_terms:
        for key, where in sorted(out.targets.items()):
            for name in (one_line(termset.terms[key].title), one_line(key)):
                if _reads_back(name):
                    out.std.setdefault(name, where)
    return out


#: How Sphinx reads an ``objects.inv`` line (``sphinx.util.inventory``, 7.4 to 9.0).
_INVENTORY_LINE = re.compile(r"(.+?)\s+(\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)")


def _reads_back(name: str) -> bool:
    """Whether a ``std:term`` name is read back from ``objects.inv`` as itself.

    A name may hold spaces, and the reader takes the shortest name it can: a title such as
    "Harmless os.path.join py:function 1 https://…" would read as a Python function. Such
    a title gets no ``std:term`` name (its key still has one).
    """
    match = _INVENTORY_LINE.match(f"{name} std:term -1 page.html#anchor -")
    return bool(name) and match is not None and match.group(1) == name


def index_entries(termset: TermSet, targets: Mapping[str, tuple[str, str]],
                  ) -> dict[str, list[IndexEntry]]:
    """Each shown term in the general index, its aliases as "see" entries, per page."""
    by_doc: dict[str, list[IndexEntry]] = {}
    for key, (docname, anchor) in sorted(targets.items()):
        term = termset.terms[key]
        entries = by_doc.setdefault(docname, [])
        entries.append(("single", term.title, anchor, "main", None))
        for alias in term.aliases:
            if normalize(alias) != normalize(term.title):
                entries.append(("see", f"{alias}; {term.title}", anchor, "", None))
    return by_doc
