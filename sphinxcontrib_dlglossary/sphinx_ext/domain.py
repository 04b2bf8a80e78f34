"""The ``dl`` domain: the build's records, purged per document and merged across processes.

Read phase (per document, in any process): :mod:`.references` appends a :class:`TermUse`
per term reference, :mod:`.directive` a :class:`PageSpec` per glossary directive, and the
role notes each unknown reference; every record carries its docname, so ``clear_doc`` is
a filter and ``merge_domaindata`` copies the merged documents' records.

What follows from all records together (which page shows which term, where each term's
anchor is) is derived once after reading by :func:`.derive.derive` and stored here by
:mod:`.incremental`; the domain only resolves references with it.
"""

from __future__ import annotations

from collections.abc import Iterator, Set
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.errors import NoUri

from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.naming import one_line
from sphinxcontrib_dlglossary.sphinx_ext import links
from sphinxcontrib_dlglossary.sphinx_ext.role import dlterm_role

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = ["BACKLINK", "DLGlossaryDomain", "PageSpec", "TermUse"]

#: The reference type of a backlink (a glossary entry's link to a use): the target is
#: ``docname#node_id``.
BACKLINK = "use"


class TermUse(NamedTuple):
    """One ``dlterm`` reference, recorded when its page is read."""

    docname: str
    lineno: int
    key: str
    #: The id of the reference node: backlinks point here.
    node_id: str
    #: True for a link made by auto-linking, not written by the author.
    auto: bool = False
    #: The conditions of the ``only`` directives around the reference ("" if none): a
    #: builder whose tags do not meet them never writes it, so it is no backlink there.
    only: str = ""
    #: The title of the section the reference is in ("" at the top of the page).
    section: str = ""

    def written_by(self, tags: Any) -> bool:
        """Whether a builder with *tags* (a :class:`sphinx.util.tags.Tags`) writes it."""
        if not self.only:
            return True
        try:
            return bool(tags.eval_condition(self.only))
        except Exception:  # Sphinx warned about the expression when it read the page
            return True


class PageSpec(NamedTuple):
    """One ``dlglossary`` directive, recorded when its page is read."""

    docname: str
    #: Position among the directives of its page (0 for the first).
    position: int
    lineno: int
    used_only: bool
    tags: tuple[str, ...]
    backlinks: bool

    @property
    def filtered(self) -> bool:
        return self.used_only or bool(self.tags)


class DLGlossaryDomain(Domain):
    """Deep-learning glossary terms: references, glossary pages, targets, inventory."""

    name = "dl"
    label = "Deep-learning glossary"
    object_types = {"term": ObjType("glossary term", "term", searchprio=1)}  # noqa: RUF012
    roles = {"term": dlterm_role}  # noqa: RUF012
    initial_data = {  # noqa: RUF012
        # Records, per document (purged and merged):
        "uses": {},  # docname -> [TermUse]
        "unknown": {},  # docname -> [normalized text of unknown references]
        "pages": {},  # docname -> [PageSpec]
        # Derived after reading, in the main process (see incremental.py), never merged:
        "targets": {},  # key -> (docname, anchor)
        "shown": {},  # docname -> [[key, ...] per directive]
        "order": [],  # docnames in toctree order
        "digests": {},  # key -> digest of the term data of the last build
        "fingerprint": "",  # digest of what the glossary pages show but backlinks
        "uses_fingerprint": "",  # digest of what their backlinks show
        "index": {},  # docname -> index entries added to the index domain
        "std": {},  # std:term names added to the std domain -> (docname, anchor)
        "left_out": set(),  # (docname, node_id) of uses in ``only`` this builder drops
    }
    data_version = 6

    #: The project's term set; loaded on builder-inited (see incremental.py).
    _termset: terms.TermSet | None = None
    #: The same in English, before any translation (:mod:`.term_translations`).
    _english: terms.TermSet | None = None

    @property
    def termset(self) -> terms.TermSet:
        """The project's term set, loaded once per build process."""
        if self._termset is None:  # only before builder-inited
            self._termset = terms.load_canonical()
        return self._termset

    @termset.setter
    def termset(self, value: terms.TermSet) -> None:
        self._termset = value

    @property
    def english(self) -> terms.TermSet:
        """The term set before translations (the messages ``-b gettext`` extracts)."""
        return self._english if self._english is not None else self.termset

    @english.setter
    def english(self, value: terms.TermSet) -> None:
        self._english = value

    @property
    def uses(self) -> dict[str, list[TermUse]]:
        return self.data["uses"]

    @property
    def pages(self) -> dict[str, list[PageSpec]]:
        return self.data["pages"]

    @property
    def targets(self) -> dict[str, tuple[str, str]]:
        return self.data["targets"]

    @property
    def shown(self) -> dict[str, list[list[str]]]:
        return self.data["shown"]

    @property
    def order(self) -> list[str]:
        return self.data["order"]

    def written(self, use: TermUse) -> bool:
        """Whether this build's builder writes *use* (it is not in an ``only`` it drops)."""
        return (use.docname, use.node_id) not in self.data.setdefault("left_out", set())

    # -- read phase ----------------------------------------------------------------------------

    def note_use(self, use: TermUse) -> None:
        self.uses.setdefault(use.docname, []).append(use)

    def note_unknown(self, docname: str, text: str) -> None:
        self.data["unknown"].setdefault(docname, []).append(terms.normalize(text))

    def note_page(self, spec: PageSpec) -> None:
        self.pages.setdefault(spec.docname, []).append(spec)

    def clear_doc(self, docname: str) -> None:
        for name in ("uses", "unknown", "pages"):
            self.data[name].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for name in ("uses", "unknown", "pages"):
            for docname in docnames:
                if docname in otherdata[name]:
                    self.data[name][docname] = otherdata[name][docname]

    # -- resolving -----------------------------------------------------------------------------

    def target_of(self, key: str) -> tuple[str, str] | None:
        target = self.targets.get(key)
        return (target[0], target[1]) if target else None

    def resolve_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                     typ: str, target: str, node: pending_xref, contnode: nodes.Element,
                     ) -> nodes.reference | None:
        if typ == BACKLINK:
            return self._resolve_backlink(builder, fromdocname, target, contnode)
        ref = self.term_link(builder, fromdocname, target, contnode.astext())
        if ref is None:
            return None
        ref["classes"] += node.get("classes", [])
        ref["ids"] = [links.use_anchor(builder, node.get("refdoc", fromdocname), i)
                      for i in node.get("ids", [])]
        return ref

    def term_link(self, builder: Builder, fromdocname: str, key: str, text: str,
                  ) -> nodes.reference | None:
        """A link from *fromdocname* to the entry of *key*; None if no page the builder
        writes shows it."""
        found = self.target_of(key)
        if found is None:
            return None
        try:
            ref = links.refnode(builder, fromdocname, *found, nodes.Text(text))
        except NoUri:
            return None
        ref["classes"] = ["dlterm"]
        return ref

    def _resolve_backlink(self, builder: Builder, fromdocname: str, target: str,
                          contnode: nodes.Element) -> nodes.reference | None:
        docname, _, node_id = target.rpartition("#")
        anchor = links.use_anchor(builder, docname, node_id)
        try:
            return links.refnode(builder, fromdocname, docname, anchor, contnode)
        except NoUri:
            return None

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                         target: str, node: pending_xref, contnode: nodes.Element,
                         ) -> list[tuple[str, nodes.reference]]:
        term = self.termset.lookup(target)
        ref = term and self.resolve_xref(env, fromdocname, builder, "term", term.key, node,
                                         contnode)
        return [("dl:term", ref)] if ref else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """The inventory's entries: one line each in ``objects.inv``, whatever a term file
        holds (a key or anchor that is not one word is left out; a title is made one line)."""
        for key in sorted(self.targets):
            term = self.termset.terms.get(key)
            docname, anchor = self.targets[key]
            if not _one_word(key) or not _one_word(anchor):
                continue
            yield key, one_line(term.title) if term else key, "term", docname, anchor, 1

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        return node.get("reftarget")


def _one_word(text: str) -> bool:
    return bool(text) and text == one_line(text) and " " not in text


def get_domain(env: BuildEnvironment) -> DLGlossaryDomain:
    """The ``dl`` domain of *env*."""
    return env.domains["dl"]  # type: ignore[return-value]
