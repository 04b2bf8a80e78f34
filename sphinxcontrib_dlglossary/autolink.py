"""Opt-in auto-linking: the first plain mention of each term on a page becomes a term link.

Off unless ``dlglossary_autolink = True``. It runs in the read phase, on each page's doctree,
and records every link it makes in the domain exactly like an explicit ``dlterm`` reference
(with ``auto=True``), so backlinks, ``:used-only:``, ``-j`` and incremental builds treat
both the same. What counts as a mention (:mod:`.matcher`) and what is prose (:mod:`.prose`)
come from the modules ``dlglossary lint`` uses too, so the build links exactly the mentions
lint reports as
unlinked (DLG003): the first linkable mention of a term on the page, unless an explicit
reference to that term comes before it.

Opt-outs: a page sets ``dlglossary_autolink: false`` in its metadata (rST field list at the
top, MyST front matter); a block with the class ``no-autolink`` (rST ``.. rst-class::``,
MyST attributes) is skipped; ``dlglossary_autolink_exclude`` lists keys never auto-linked;
terms flagged ``everyday`` in the data are linked only if listed in
``dlglossary_autolink_everyday``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from sphinxcontrib_dlglossary.matcher import Matcher
from sphinxcontrib_dlglossary.nodes import dlglossary_page
from sphinxcontrib_dlglossary.prose import NO_AUTOLINK, is_prose_node
from sphinxcontrib_dlglossary.roles import reference_node

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_dlglossary.domain import DLGlossaryDomain

__all__ = ["OPT_OUT_CLASS", "AutoLinkTransform", "setup"]

#: A block with this class is not auto-linked (lint reads the same name).
OPT_OUT_CLASS = NO_AUTOLINK
_OFF = ("false", "no", "off", "0")


def _page_opted_out(document: nodes.document) -> bool:
    for field in document.findall(nodes.field):
        if not isinstance(field.parent, (nodes.docinfo, nodes.field_list)):
            continue
        if field.parent.parent is not document:
            continue
        name = field[0].astext().strip().lower()
        if name == "dlglossary_autolink" and field[1].astext().strip().lower() in _OFF:
            return True
    return False


def _opted_out_block(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if OPT_OUT_CLASS in parent.get("classes", ()):
            return True
        parent = parent.parent
    return False


def _merge_text_runs(document: nodes.document) -> None:
    """Join adjacent Text siblings (MyST makes one per line), so mentions over a line
    break are found as lint finds them in the source."""
    for element in document.findall(nodes.Element):
        children = element.children
        i = 0
        while i < len(children) - 1:
            if isinstance(children[i], nodes.Text) and isinstance(children[i + 1], nodes.Text):
                joined = nodes.Text(children[i].astext() + children[i + 1].astext())
                element.replace(children[i], joined)
                element.remove(children[i + 1])
                continue
            i += 1


def _line(node: nodes.Node) -> int:
    while node is not None:
        if node.line:
            return node.line
        node = node.parent
    return 0


class AutoLinkTransform(SphinxTransform):
    """Link the first plain mention of each term on the page (see the module docstring)."""

    # After docinfo (340) and substitutions (220): page metadata is readable and
    # substituted text is in place.
    default_priority = 750

    def apply(self, **kwargs: Any) -> None:
        if not self.config.dlglossary_autolink:
            return
        document = self.document
        if _page_opted_out(document) or next(document.findall(dlglossary_page), None):
            return
        domain: DLGlossaryDomain = self.env.domains["dl"]  # type: ignore[assignment]
        matcher = self._matcher(domain)
        exclude = set(self.config.dlglossary_autolink_exclude)
        per_section = self.config.dlglossary_autolink_scope == "section"
        _merge_text_runs(document)

        linked: dict[nodes.Node | None, set[str]] = {}
        seen: dict[nodes.Node | None, set[str]] = {}
        events = [n for n in document.findall(
            lambda n: isinstance(n, nodes.Text) or (
                isinstance(n, addnodes.pending_xref) and n.get("refdomain") == "dl"))]
        for node in events:
            scope = self._scope(node) if per_section else None
            if isinstance(node, addnodes.pending_xref):
                linked.setdefault(scope, set()).add(node["reftarget"])
                continue
            if not is_prose_node(node) or _opted_out_block(node):
                continue
            done, before = seen.setdefault(scope, set()), linked.setdefault(scope, set())
            chosen = []
            for mention in matcher.linkable(node.astext()):
                if mention.key in done:
                    continue
                done.add(mention.key)
                if mention.key not in before and mention.key not in exclude:
                    chosen.append(mention)
            if chosen:
                self._link(domain, node, chosen)
        self._sort_uses(domain)

    def _sort_uses(self, domain: DLGlossaryDomain) -> None:
        """Number the page's references in document order again, and order its uses so.

        The role recorded the explicit references while parsing, before these; backlinks
        list a page's references in document order, and ids read best in that order too.
        """
        refs = [n for n in self.document.findall(addnodes.pending_xref)
                if n.get("refdomain") == "dl" and n.get("ids")]
        renamed = {n["ids"][0]: f"dlterm-{i}" for i, n in enumerate(refs, start=1)}
        for node in refs:
            self.document.ids.pop(node["ids"][0], None)
        for node in refs:
            node["ids"] = [renamed[node["ids"][0]]]
            self.document.ids[node["ids"][0]] = node
        uses = domain.uses.get(self.env.docname, [])
        uses[:] = sorted((u._replace(node_id=renamed.get(u.node_id, u.node_id)) for u in uses),
                         key=lambda u: int(u.node_id.rpartition("-")[2]))

    def _matcher(self, domain: DLGlossaryDomain) -> Matcher:
        everyday = tuple(sorted(self.config.dlglossary_autolink_everyday))
        cached = getattr(domain, "_autolink_matcher", None)
        if cached is None or cached[0] != (id(domain.termset), everyday):
            matcher = Matcher(domain.termset, include_everyday=frozenset(everyday))
            cached = ((id(domain.termset), everyday), matcher)
            domain._autolink_matcher = cached  # type: ignore[attr-defined]
        return cached[1]

    @staticmethod
    def _scope(node: nodes.Node) -> nodes.Node | None:
        parent = node.parent
        while parent is not None and not isinstance(parent, nodes.section):
            parent = parent.parent
        return parent

    def _link(self, domain: DLGlossaryDomain, node: nodes.Text, mentions: list[Any]) -> None:
        text, pieces, at = node.astext(), [], 0
        lineno = _line(node.parent)
        for mention in mentions:
            pieces.append(nodes.Text(text[at:mention.start]))
            pieces.append(reference_node(domain, self.env.docname, mention.key,
                                         text[mention.start:mention.end], lineno,
                                         self.document, auto=True))
            at = mention.end
        pieces.append(nodes.Text(text[at:]))
        node.parent.replace(node, [p for p in pieces if not isinstance(p, nodes.Text)
                                   or p.astext()])


def setup(app: Sphinx) -> None:
    app.add_transform(AutoLinkTransform)
