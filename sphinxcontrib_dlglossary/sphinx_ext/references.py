"""Number and record a page's term references, once, in document order.

The role and auto-linking only insert :func:`~.role.term_reference` nodes. This
transform runs after both (auto-linking is at priority 750): it gives each reference
node the id ``dlterm-N`` (N counting from 1 in document order, skipping ids the page
already has) and records a :class:`~.domain.TermUse` per node, so backlinks list a
page's references in reading order and point at these ids. A reference inside ``only``
directives records their conditions: a builder that leaves it out makes no backlink to it.

References inside a substitution definition are not numbered there: docutils copies
them to each substitution reference first (priority 220), and each copy is a use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from sphinxcontrib_dlglossary.sphinx_ext.domain import TermUse, get_domain
from sphinxcontrib_dlglossary.sphinx_ext.role import AUTO_CLASS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

__all__ = ["ReferenceRecorder", "setup", "term_references"]


def _is_term_reference(node: nodes.Node) -> bool:
    return (isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "dl"
            and node.get("reftype") == "term")


def term_references(document: nodes.document) -> Iterator[addnodes.pending_xref]:
    """The page's term references in document order (not those in substitution
    definitions, which are copies' templates)."""
    for node in document.findall(_is_term_reference):
        parent = node.parent
        while parent is not None and not isinstance(parent, nodes.substitution_definition):
            parent = parent.parent
        if parent is None:
            yield node


def _only(node: nodes.Node) -> str:
    """The conditions of the ``only`` directives around *node*, joined with "and"."""
    found = []
    parent = node.parent
    while parent is not None:
        if isinstance(parent, addnodes.only):
            found.append(f"({parent['expr']})")
        parent = parent.parent
    return " and ".join(reversed(found))


def _line(node: nodes.Node | None) -> int:
    while node is not None:
        if node.line:
            return node.line
        node = node.parent
    return 0


def _section_title(node: nodes.Node | None) -> str:
    """The title of the innermost section around *node*, or "" for the page's own (its
    first section: the backlink names the page already)."""
    while node is not None:
        if isinstance(node, nodes.section):
            if isinstance(node.parent, nodes.document) and node is next(
                    (c for c in node.parent.children if isinstance(c, nodes.section)), None):
                return ""  # the page's first section (rst_prolog may stand before it)
            title = node.next_node(nodes.title)
            return title.astext() if title is not None else ""
        node = node.parent
    return ""


class ReferenceRecorder(SphinxTransform):
    """Give each term reference its id and record it in the domain."""

    default_priority = 760

    def apply(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        docname = self.env.docname
        number = 0
        for node in term_references(self.document):
            if node.get("ids"):  # an id of its own (MyST attributes): backlinks use it
                node_id = node["ids"][0]
            else:
                number += 1
                while f"dlterm-{number}" in self.document.ids:
                    number += 1
                node_id = f"dlterm-{number}"
                node["ids"] = [node_id]
                self.document.ids[node_id] = node
            domain.note_use(TermUse(docname, _line(node), node["reftarget"], node_id,
                                    AUTO_CLASS in node.get("classes", ()), _only(node),
                                    _section_title(node)))


def setup(app: Sphinx) -> None:
    app.add_transform(ReferenceRecorder)
