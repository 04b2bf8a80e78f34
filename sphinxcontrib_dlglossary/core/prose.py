"""Where a page's prose is, and where it may be linked: the rules the build and lint share.

The build-time auto-linker walks a doctree, ``dlglossary lint`` scans sources; both ask
this module which nodes hold prose (:func:`is_prose_node`, :data:`SKIP_NODES`), which
directives have a prose body (:data:`PROSE_DIRECTIVES`), and how a block or page opts
out of auto-linking (:data:`NO_AUTOLINK`, :func:`autolink_off`). Nodes are read by their
``tagname`` and ``parent`` only, so this module needs no docutils.

Never prose: code and literal blocks, inline literals, math, links and references,
headings, rubrics, captions and legends, table header cells, definition terms, field
names and the metadata field list at the top of an rST page, substitution definitions,
comments, raw HTML, targets, and every role.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sphinxcontrib_dlglossary.core.words import parse_bool

__all__ = [
    "AUTOLINK_FIELD",
    "NO_AUTOLINK",
    "PROSE_DIRECTIVES",
    "SKIP_NODES",
    "autolink_off",
    "is_prose_node",
]

#: A block with this class is not auto-linked, and lint asks for no link there.
NO_AUTOLINK = "no-autolink"
#: The page metadata field that turns auto-linking off for a page.
AUTOLINK_FIELD = "dlglossary_autolink"

#: Sphinx (and sphinx-design) directives whose body is prose; their arguments are not.
PROSE_DIRECTIVES = frozenset({
    "admonition", "attention", "caution", "danger", "error", "hint", "important", "note",
    "tip", "warning", "seealso", "todo", "versionadded", "versionchanged", "deprecated",
    "versionremoved", "only", "container", "div", "topic", "sidebar", "margin", "epigraph",
    "highlights", "pull-quote", "compound", "hlist", "tab-set", "tab-item", "tab", "dropdown",
    "card", "grid", "grid-item", "grid-item-card",
})

#: Doctree node names whose text is never prose.
SKIP_NODES = frozenset({
    "title", "subtitle", "rubric", "caption", "legend", "field_name", "term", "classifier",
    "option_string", "option_argument", "literal_block", "doctest_block", "literal", "math",
    "math_block", "raw", "reference", "target", "substitution_definition",
    "substitution_reference", "comment", "abbreviation", "acronym", "attribution",
    "system_message", "problematic", "footnote_reference", "citation_reference", "label",
    "title_reference", "image", "thead", "meta", "docinfo", "generated", "inline",
    "pending_xref", "desc_signature", "desc_name", "desc_addname", "desc_annotation",
    "desc_parameterlist", "desc_type", "toctree", "compact_paragraph", "index", "glossary",
    "productionlist", "download_reference", "literal_emphasis", "literal_strong", "manpage",
    "number_reference", "versionmodified", "tabular_col_spec", "container_literal",
})


def autolink_off(name: str, value: str) -> bool:
    """Whether a page metadata field (*name*: *value*) turns auto-linking off."""
    return (name.strip().lower() == AUTOLINK_FIELD
            and parse_bool(value, empty=True) is False)


def is_prose_node(node: Any, skip: Collection[str] = SKIP_NODES) -> bool:
    """Whether the text of a docutils *node* is prose (see :data:`SKIP_NODES`).

    Also false inside the field list that opens a document (page metadata).
    """
    child = node
    parent = getattr(node, "parent", None)
    while parent is not None:
        if child.tagname in skip:
            return False
        if (child.tagname == "field_list" and parent.tagname == "document"
                and _first_body(parent) is child):
            return False
        child, parent = parent, parent.parent
    return True


def _first_body(document: Any) -> Any:
    for child in document.children:
        if child.tagname not in ("comment", "target", "substitution_definition"):
            return child
    return None
