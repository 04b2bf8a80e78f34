"""Term references that this project's glossary cannot resolve: intersphinx, then a warning.

A term shown on a local ``dlglossary`` page always wins (the domain resolves it). Otherwise
:func:`missing_reference` asks the intersphinx inventories named in
``dlglossary_intersphinx`` (in that order; empty: every inventory, in the order of
``intersphinx_mapping``) for the term's ``dl:term`` entry, so a project without a glossary
page of its own links to another project's. It runs before intersphinx's own handler so the
link keeps the ``dlterm`` class and the id its backlink needs, and no "(in project)" title
shadows the tooltip. What nothing resolves gets one warning, :func:`warn_missing`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util import logging

from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from sphinx.addnodes import pending_xref
    from sphinx.application import Sphinx
    from sphinx.domains import Domain
    from sphinx.environment import BuildEnvironment

__all__ = ["setup"]

logger = logging.getLogger(__name__)


def _inventories(app: Sphinx) -> list[str]:
    names = list(app.config.dlglossary_intersphinx)
    if names:
        return names
    mapping = getattr(app.config, "intersphinx_mapping", None) or {}
    return list(mapping)


def missing_reference(app: Sphinx, env: BuildEnvironment, node: pending_xref,
                      contnode: nodes.Element) -> nodes.reference | None:
    """Resolve a ``dl:term`` reference through another project's inventory."""
    if (node.get("refdomain") != "dl" or node.get("reftype") != "term"
            or "sphinx.ext.intersphinx" not in app.extensions):
        return None
    from sphinx.ext import intersphinx

    for name in _inventories(app):
        if not intersphinx.inventory_exists(env, name):
            continue
        found = intersphinx.resolve_reference_in_inventory(env, name, node, contnode)
        if found is None:
            continue
        ref = nodes.reference("", "", nodes.Text(contnode.astext()), internal=False,
                              refuri=found["refuri"])
        ref["classes"] = ["dlterm", *node.get("classes", [])]
        ref["ids"] = list(node.get("ids", []))
        return ref
    return None


def warn_missing(app: Sphinx, domain: Domain, node: pending_xref) -> bool | None:
    """One clear warning for a known term that no glossary page shows."""
    if domain is None or domain.name != "dl":
        return None
    if node.get("refwarn"):
        logger.warning(
            "no glossary page shows term '%s': add a page with the dlglossary directive, or "
            "an intersphinx_mapping entry for a project that has one", node["reftarget"],
            location=node, type=WARNING_TYPE, subtype=DLWarning.NO_GLOSSARY.subtype,
        )
    return True


def setup(app: Sphinx) -> None:
    # Before sphinx.ext.intersphinx's own handler (priority 500).
    app.connect("missing-reference", missing_reference, priority=400)
    app.connect("warn-missing-reference", warn_missing)
