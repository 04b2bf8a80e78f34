"""Our nodes: the placeholders a ``dlglossary`` directive leaves for the write phase.

The glossary page's content depends on every other page (backlinks, ``:used-only:``), so
the directive leaves :class:`dlglossary_page` and a post-transform replaces it with plain
docutils nodes before any writer sees it. The visitors below only matter if a builder
writes a doctree without post-transforms; they drop the node instead of failing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["dlglossary_letter", "dlglossary_page", "setup"]


class dlglossary_page(nodes.General, nodes.Element):
    """Where a glossary goes; attributes: ``index`` (position on the page)."""


class dlglossary_letter(nodes.General, nodes.Element):
    """Where the terms of one letter go, in that letter's section; attributes: ``index``
    (of the glossary on the page), ``docname`` and ``letter``."""


def _skip(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    visitors = {fmt: (_skip, None) for fmt in ("html", "latex", "text", "man", "texinfo")}
    app.add_node(dlglossary_page, **visitors)  # type: ignore[arg-type]
    app.add_node(dlglossary_letter, **visitors)  # type: ignore[arg-type]
