"""The ``dl`` domain: every piece of build state, purged per document and merged across processes.

Read phase (per document, in any process): the role appends a :class:`TermUse` per reference
and the directive a :class:`PageSpec` per glossary directive, each carrying its docname, so
``clear_doc`` is a filter and ``merge_domaindata`` copies the merged documents' records.

Global phase (main process, after all reads and merges): :func:`env_updated` derives which
page shows which term and where each term's anchor is (``targets``), injects index entries,
and returns the documents whose output changed although their source did not: the glossary
pages (new backlinks) and pages whose links now point elsewhere. That closes the stale-page
hole sphinxcontrib-bibtex has. :func:`env_get_outdated` re-reads the pages that use a term
whose data changed in a term file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Set
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx.domains import Domain, ObjType
from sphinx.errors import NoUri
from sphinx.util import logging

from sphinxcontrib_dlglossary import roles, terms
from sphinxcontrib_dlglossary.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = ["DLGlossaryDomain", "PageSpec", "TermUse", "refnode", "setup", "use_anchor"]

logger = logging.getLogger(__name__)


class TermUse(NamedTuple):
    """One ``dlterm`` reference, recorded when its page is read."""

    docname: str
    lineno: int
    key: str
    #: The id of the reference node: backlinks point here.
    node_id: str
    #: True for a link made by auto-linking, not written by the author.
    auto: bool = False


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


def load_termset(app: Sphinx) -> terms.TermSet:
    """The term set of this project: canonical terms plus the project's term files.

    A problem in a term file is an error naming file, line, entry and field; the build goes on
    with every entry that can be used (see :func:`terms.load_with_problems`), so one bad
    entry loses nothing else.
    """
    config = app.config
    files, exclude = config.dlglossary_term_files, config.dlglossary_exclude
    termset, problems = terms.load_with_problems(files, exclude=exclude, root=app.confdir)
    for problem in problems:
        location = f"{problem.file}:{problem.line}" if problem.line else problem.file
        message = str(problem).removeprefix(location).removeprefix(": ")
        logger.error("%s", message, location=location, type=WARNING_TYPE,
                     subtype=DLWarning.DATA.subtype)
    return termset


def _builder_inited(app: Sphinx) -> None:
    # Loaded once in the main process, before reading: parallel readers inherit it.
    domain: DLGlossaryDomain = app.env.domains["dl"]  # type: ignore[assignment]
    domain._termset = load_termset(app)


def refnode(builder: Builder, fromdocname: str, todocname: str, anchor: str,
            child: nodes.Node) -> nodes.reference:
    """:func:`make_refnode`, also right for singlehtml (one page: the anchor alone).

    :raises NoUri: when the builder has no URI for *todocname*.
    """
    ref = nodes.reference("", "", internal=True)
    if fromdocname == todocname:
        ref["refid"] = anchor
    else:
        uri = _relative_uri(builder, fromdocname, todocname) + "#" + anchor
        if uri.count("#") > 1:
            uri = uri[uri.index("#", uri.index("#") + 1):]
        ref["refuri"] = uri
    ref += child
    return ref


_URIS: dict[tuple[int, str, str], str] = {}


def _relative_uri(builder: Builder, fromdocname: str, todocname: str) -> str:
    """``builder.get_relative_uri``, computed once per pair of pages in a build.

    Every reference on a page points at the same glossary page; each backlink on the
    glossary page at one of a few pages.
    """
    key = (id(builder), fromdocname, todocname)
    uri = _URIS.get(key)
    if uri is None:
        if len(_URIS) > 100_000:
            _URIS.clear()
        uri = _URIS[key] = builder.get_relative_uri(fromdocname, todocname)
    return uri


def use_anchor(builder: Builder, docname: str, node_id: str) -> str:
    """The HTML id of a reference: its node id, made unique per site where pages merge.

    Reference ids are numbered per page (``dlterm-3``); singlehtml puts every page into
    one, so there the page name goes in front.
    """
    if builder.name == "singlehtml":
        return f"{docname.replace('/', '-')}-{node_id}"
    return node_id


class DLGlossaryDomain(Domain):
    """Deep-learning glossary terms: references, glossary pages, targets, inventory."""

    name = "dl"
    label = "Deep-learning glossary"
    object_types = {"term": ObjType("glossary term", "term", searchprio=1)}  # noqa: RUF012
    roles = {"term": roles.dlterm_role}  # noqa: RUF012
    initial_data = {  # noqa: RUF012
        "uses": {},  # docname -> [TermUse]
        "unknown": {},  # docname -> [normalized text of unknown references]
        "pages": {},  # docname -> [PageSpec]
        # Derived in env-updated (main process), never merged:
        "targets": {},  # key -> (docname, anchor)
        "shown": {},  # docname -> [[key, ...] per directive]
        "order": [],  # docnames in toctree order
        "digests": {},  # key -> digest of the term data of the last build
        "fingerprint": "",
        "index": {},  # docname -> index entries we added to the index domain
        "std": {},  # std:term names we added -> (docname, anchor)
    }
    data_version = 1

    _termset: terms.TermSet | None = None
    #: This build's documents read again, and the ones only rewritten (see env_updated).
    _read_now: set[str] = set()  # noqa: RUF012 - replaced, never mutated
    _rewrite_only: set[str] = set()  # noqa: RUF012
    _toc_parents: dict[str, set[str]] = {}  # noqa: RUF012

    @property
    def termset(self) -> terms.TermSet:
        """The project's term set, loaded once per build process."""
        if self._termset is None:  # only before builder-inited
            self._termset = terms.load_canonical()
        return self._termset

    @property
    def uses(self) -> dict[str, list[TermUse]]:
        return self.data["uses"]

    @property
    def pages(self) -> dict[str, list[PageSpec]]:
        return self.data["pages"]

    @property
    def targets(self) -> dict[str, tuple[str, str]]:
        return self.data["targets"]

    # -- read phase ----------------------------------------------------------------------------

    def note_use(self, docname: str, key: str, lineno: int, document: nodes.document,
                 *, auto: bool = False) -> str:
        """Record a reference and return the id its node must carry."""
        uses = self.uses.setdefault(docname, [])
        number = len(uses) + 1
        node_id = f"dlterm-{number}"
        while node_id in document.ids:
            number += 1
            node_id = f"dlterm-{number}"
        uses.append(TermUse(docname, lineno, key, node_id, auto))
        return node_id

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
        found = self.target_of(target)
        if found is None:
            return None
        todocname, anchor = found
        try:
            ref = refnode(builder, fromdocname, todocname, anchor, nodes.Text(contnode.astext()))
        except NoUri:
            return None
        ref["classes"] = ["dlterm", *node.get("classes", [])]
        ref["ids"] = [use_anchor(builder, node.get("refdoc", fromdocname), i)
                      for i in node.get("ids", [])]
        return ref

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Builder,
                         target: str, node: pending_xref, contnode: nodes.Element,
                         ) -> list[tuple[str, nodes.reference]]:
        term = self.termset.lookup(target)
        ref = term and self.resolve_xref(env, fromdocname, builder, "term", term.key, node,
                                         contnode)
        return [("dl:term", ref)] if ref else []

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for key in sorted(self.targets):
            term = self.termset.terms.get(key)
            docname, anchor = self.targets[key]
            yield key, term.title if term else key, "term", docname, anchor, 1

    def get_full_qualified_name(self, node: nodes.Element) -> str | None:
        return node.get("reftarget")


# -- global phase ------------------------------------------------------------------------------


def _toctree_order(env: BuildEnvironment) -> list[str]:
    """Documents in reading order: a walk of the toctree from the root, then the rest."""
    order: list[str] = []
    seen: set[str] = set()
    stack = [env.config.root_doc]
    while stack:
        docname = stack.pop()
        if docname in seen or docname not in env.all_docs:
            continue
        seen.add(docname)
        order.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    order += sorted(set(env.all_docs) - seen)
    return order


def shown_keys(domain: DLGlossaryDomain, spec: PageSpec, used: Set[str]) -> list[str]:
    """The keys a directive shows, in display order (title, case-folded)."""
    chosen = [
        t for t in domain.termset
        if (not spec.tags or set(spec.tags) & set(t.tags))
        and (not spec.used_only or t.key in used)
    ]
    return [t.key for t in sorted(chosen, key=lambda t: (t.title.casefold(), t.key))]


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=list)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def env_get_outdated(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str],
                     removed: Set[str]) -> list[str]:
    """Re-read the pages whose references a term-file edit changed.

    A page that references a term whose data changed (or that referenced a then unknown
    term which now resolves) must be read again: its warnings and link texts depend on it.
    """
    domain: DLGlossaryDomain = env.domains["dl"]  # type: ignore[assignment]
    new = {t.key: t.digest() for t in domain.termset}
    old: dict[str, str] = domain.data["digests"]
    domain.data["digests"] = new
    if not old or old == new:
        return []
    changed_keys = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    forms = domain.termset.forms()
    stale = {
        docname for docname, uses in domain.uses.items()
        if any(u.key in changed_keys for u in uses)
    } | {
        docname for docname, texts in domain.data["unknown"].items()
        if any(text in forms for text in texts)
    }
    return sorted(stale - set(removed))


def env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Derive targets and shown terms after all documents are read; return pages to rewrite."""
    domain: DLGlossaryDomain = env.domains["dl"]  # type: ignore[assignment]
    used = {u.key for uses in domain.uses.values() for u in uses}
    specs = sorted(
        (spec for specs in domain.pages.values() for spec in specs),
        key=lambda s: (s.filtered, s.docname, s.position),
    )
    unfiltered = [s for s in specs if not s.filtered]
    if len(unfiltered) > 1:
        first = unfiltered[0]
        for other in unfiltered[1:]:
            logger.warning(
                "a second full glossary page (dlglossary directive without :tags: or "
                ":used-only:); term references link to the first one, in %r",
                first.docname, location=(other.docname, other.lineno), type=WARNING_TYPE,
                subtype=DLWarning.DUPLICATE_PAGE.subtype,
            )
    targets: dict[str, tuple[str, str]] = {}
    shown: dict[str, list[list[str]]] = {}
    for spec in sorted(specs, key=lambda s: (s.docname, s.position)):
        shown.setdefault(spec.docname, []).append(shown_keys(domain, spec, used))
    for spec in specs:
        for key in shown[spec.docname][spec.position]:
            targets.setdefault(key, (spec.docname, key))
    old_targets = dict(domain.targets)
    domain.data["targets"] = targets
    domain.data["shown"] = shown
    domain.data["order"] = order = _toctree_order(env)
    _update_index(env, domain)
    _update_std_terms(env, domain)

    # What the glossary pages show: if this changed, they are written again.
    titles = {d: env.titles[d].astext() for d in domain.uses if d in env.titles}
    fingerprint = _digest([
        shown, targets, order, titles, domain.data["digests"],
        {d: [(u.key, u.node_id) for u in uses] for d, uses in sorted(domain.uses.items())},
    ])
    rewrite: set[str] = set()
    if fingerprint != domain.data["fingerprint"]:
        domain.data["fingerprint"] = fingerprint
        rewrite |= set(shown)
    moved = {k for k in set(old_targets) | set(targets) if old_targets.get(k) != targets.get(k)}
    if moved:
        rewrite |= {d for d, uses in domain.uses.items() if any(u.key in moved for u in uses)}
    rewrite &= set(env.all_docs)
    domain._rewrite_only = rewrite - domain._read_now
    return sorted(rewrite)


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    domain: DLGlossaryDomain = env.domains["dl"]  # type: ignore[assignment]
    domain._read_now = set(docnames)


def _write_started(app: Sphinx, builder: Builder) -> None:
    """Keep Sphinx from rewriting the toctree parents of pages we only rewrite.

    Sphinx writes, with every written page, the pages whose toctree lists it, since its
    title may have changed. A page we return from env-updated was not read again (only its
    backlinks or links changed), so its title did not: we hide it from that rule for this
    write, and put it back when the build ends. (The environment was pickled before.)
    """
    env = builder.env
    _URIS.clear()  # a new build: URIs of the last one may not hold
    domain: DLGlossaryDomain = env.domains["dl"]  # type: ignore[assignment]
    domain._toc_parents = {d: env.files_to_rebuild.pop(d) for d in sorted(domain._rewrite_only)
                           if d in env.files_to_rebuild}


def _build_finished(app: Sphinx, exception: BaseException | None) -> None:
    domain: DLGlossaryDomain = app.env.domains["dl"]  # type: ignore[assignment]
    app.env.files_to_rebuild.update(domain._toc_parents)
    domain._toc_parents = {}


def _update_index(env: BuildEnvironment, domain: DLGlossaryDomain) -> None:
    """Put each shown term (and its aliases as "see" entries) into the general index.

    The entries are derived after reading (a ``:used-only:`` page shows terms that depend on
    other pages), so they are added to the index domain here, replacing the ones this
    function added in the previous build.
    """
    index: dict[str, list[tuple[str, str, str, str, str | None]]]
    index = env.domains["index"].data.setdefault("entries", {})
    for docname, added in domain.data["index"].items():
        if docname in index:
            index[docname] = [e for e in index[docname] if tuple(e) not in set(map(tuple, added))]
    domain.data["index"] = {}
    if not env.config.dlglossary_index:
        return
    by_doc: dict[str, list[tuple[str, str, str, str, str | None]]] = {}
    for key, (docname, anchor) in sorted(domain.targets.items()):
        term = domain.termset.terms[key]
        entries = by_doc.setdefault(docname, [])
        entries.append(("single", term.title, anchor, "main", None))
        for alias in term.aliases:
            if terms.normalize(alias) != terms.normalize(term.title):
                entries.append(("see", f"{alias}; {term.title}", anchor, "", None))
    for docname, entries in by_doc.items():
        index.setdefault(docname, []).extend(entries)
        domain.data["index"][docname] = entries


def _update_std_terms(env: BuildEnvironment, domain: DLGlossaryDomain) -> None:
    """Also publish each shown term as a ``std:term`` (its title and key).

    Then a project *without* this extension links to our glossary with plain Sphinx:
    ``:term:`Kernel``` falls back to intersphinx, and ``:external+proj:term:`kernel```
    works. Names the project's own ``glossary`` directive defines are left alone. Like the
    index entries, they are derived after reading and replace last build's.
    """
    std = env.domains["std"]
    objects = std.data.setdefault("objects", {})
    lowered = std.data.setdefault("terms", {})
    for name, where in domain.data["std"].items():
        if objects.get(("term", name)) == tuple(where):
            del objects[("term", name)]
        if lowered.get(name.lower()) == tuple(where):
            del lowered[name.lower()]
    domain.data["std"] = {}
    if not env.config.dlglossary_std_terms:
        return
    for key, (docname, anchor) in sorted(domain.targets.items()):
        for name in dict.fromkeys((domain.termset.terms[key].title, key)):
            if ("term", name) in objects or name.lower() in lowered:
                continue
            objects[("term", name)] = lowered[name.lower()] = (docname, anchor)
            domain.data["std"][name] = (docname, anchor)


def used_keys(domain: DLGlossaryDomain, docnames: Iterable[str] | None = None) -> list[str]:
    """Keys referenced anywhere (or in *docnames*), sorted."""
    docs = domain.uses if docnames is None else {d: domain.uses.get(d, []) for d in docnames}
    return sorted({u.key for uses in docs.values() for u in uses})


def setup(app: Sphinx) -> None:
    app.add_domain(DLGlossaryDomain)
    app.add_role("dlterm", roles.dlterm_role)
    app.connect("builder-inited", _builder_inited)
    app.connect("env-get-outdated", env_get_outdated)
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-updated", env_updated)
    app.connect("write-started", _write_started)
    app.connect("build-finished", _build_finished)
