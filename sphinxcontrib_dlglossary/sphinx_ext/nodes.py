"""Our nodes: the placeholders a ``dlglossary`` directive leaves for the write phase.

The glossary page's content depends on every other page (backlinks, ``:used-only:``), so
the directive leaves :class:`dlglossary_page` and a post-transform replaces it with plain
docutils nodes before any writer sees it (and, for HTML, :class:`dlglossary_backlinks`).
The placeholders' visitors only matter if a builder writes a doctree without
post-transforms; they drop the node instead of failing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["dlglossary_backlinks", "dlglossary_letter", "dlglossary_page", "setup"]


class dlglossary_page(nodes.General, nodes.Element):
    """Where a glossary goes; attributes: ``index`` (position on the page)."""


class dlglossary_letter(nodes.General, nodes.Element):
    """Where the terms of one letter go, in that letter's section; attributes: ``index``
    (of the glossary on the page), ``docname`` and ``letter``."""


class dlglossary_backlinks(nodes.General, nodes.Element):
    """An entry's backlinks, for HTML builders only: ``html`` holds their markup, made in
    one pass (:func:`.glossary_page.backlinks_markup`), between two comments that let an
    edit elsewhere change them in the written page (:mod:`.incremental`). The class
    ``no-search`` keeps the page titles in them out of the search index."""


def _skip(self: nodes.NodeVisitor, node: nodes.Element) -> None:
    raise nodes.SkipNode


def _html(self: Any, node: nodes.Element) -> None:
    self.body.append(node["html"])
    raise nodes.SkipNode


def setup(app: Sphinx) -> None:
    visitors = {fmt: (_skip, None) for fmt in ("html", "latex", "text", "man", "texinfo")}
    app.add_node(dlglossary_page, **visitors)  # type: ignore[arg-type]
    app.add_node(dlglossary_letter, **visitors)  # type: ignore[arg-type]
    html = {**visitors, "html": (_html, None)}
    app.add_node(dlglossary_backlinks, **html)  # type: ignore[arg-type]
