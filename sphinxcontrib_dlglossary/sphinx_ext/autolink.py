"""Opt-in auto-linking: the first plain mention of each term on a page becomes a term link.

Off unless ``dlglossary_autolink = True``. It runs in the read phase, on each page's doctree,
and inserts the same reference node as an explicit ``dlterm`` role (marked as automatic),
which :mod:`.references` numbers and records, so backlinks, ``:used-only:``, ``-j`` and
incremental builds treat both the same. What counts as a mention
(:mod:`~sphinxcontrib_dlglossary.core.matcher`) and what is prose
(:mod:`~sphinxcontrib_dlglossary.core.prose`) come from the core that ``dlglossary lint``
uses too, so the build links exactly the mentions lint reports as unlinked (DLG003): the
first linkable mention of a term on the page, unless an explicit reference to that term
comes before it.

Opt-outs: a page sets ``dlglossary_autolink: false`` in its metadata (rST field list at the
top, MyST front matter); a block with the class ``no-autolink`` (rST ``.. rst-class::``,
MyST attributes) is skipped; ``dlglossary_autolink_exclude`` lists keys never auto-linked;
terms flagged ``everyday`` in the data are linked only if listed in
``dlglossary_autolink_everyday``.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from sphinxcontrib_dlglossary.core.matcher import Matcher, Mention
from sphinxcontrib_dlglossary.core.prose import NO_AUTOLINK, autolink_off, is_prose_node
from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain
from sphinxcontrib_dlglossary.sphinx_ext.nodes import dlglossary_page
from sphinxcontrib_dlglossary.sphinx_ext.role import term_reference

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_dlglossary.core.model import TermSet

__all__ = ["OPT_OUT_CLASS", "AutoLinkTransform", "setup"]

#: A block with this class is not auto-linked (lint reads the same name).
OPT_OUT_CLASS = NO_AUTOLINK

#: One matcher per term set and everyday opt-ins (compiling one costs a regular expression
#: over every form).
_MATCHERS: WeakKeyDictionary[TermSet, dict[frozenset[str], Matcher]] = WeakKeyDictionary()


def matcher_for(termset: TermSet, everyday: Collection[str]) -> Matcher:
    """The matcher of *termset* with the *everyday* terms opted in, made once."""
    cached = _MATCHERS.setdefault(termset, {})
    key = frozenset(everyday)
    if key not in cached:
        cached[key] = Matcher(termset, include_everyday=key)
    return cached[key]


def _page_opted_out(document: nodes.document) -> bool:
    for field in document.findall(nodes.field):
        if not isinstance(field.parent, (nodes.docinfo, nodes.field_list)):
            continue
        if field.parent.parent is not document:
            continue
        if autolink_off(field[0].astext(), field[1].astext()):
            return True
    return False


#: Classes of elements whose text is never linked: an opted-out block, and the text of a
#: ``dlterm`` role that names no term (a role, as lint sees it, not prose).
_NOT_LINKED = frozenset({OPT_OUT_CLASS, "dlterm-unknown"})


def _opted_out_block(node: nodes.Node) -> bool:
    parent = node.parent
    while parent is not None:
        if _NOT_LINKED.intersection(parent.get("classes", ())):
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
        matcher = matcher_for(get_domain(self.env).termset,
                              self.config.dlglossary_autolink_everyday)
        exclude = set(self.config.dlglossary_autolink_exclude)
        per_section = self.config.dlglossary_autolink_scope == "section"
        _merge_text_runs(document)
        cells_off = _opted_out_cells(self.env)

        linked: dict[nodes.Node | None, set[str]] = {}  # explicit references, per scope
        seen: dict[nodes.Node | None, set[str]] = {}  # terms met (linked or not), per scope
        for node in list(document.findall(_is_event)):
            scope = _section_of(node) if per_section else None
            if isinstance(node, addnodes.pending_xref):
                linked.setdefault(scope, set()).add(node["reftarget"])
            elif is_prose_node(node) and not _opted_out_block(node) \
                    and not (cells_off and cells_off(node)):
                chosen = _first_mentions(matcher.linkable(node.astext()),
                                         seen.setdefault(scope, set()),
                                         linked.get(scope, set()) | exclude)
                if chosen:
                    self._link(node, chosen)

    def _link(self, node: nodes.Text, mentions: list[Mention]) -> None:
        text, pieces, at = node.astext(), [], 0
        for mention in mentions:
            pieces.append(nodes.Text(text[at:mention.start]))
            pieces.append(term_reference(mention.key, text[mention.start:mention.end],
                                         self.env.docname, auto=True))
            at = mention.end
        pieces.append(nodes.Text(text[at:]))
        node.parent.replace(node, [p for p in pieces if not isinstance(p, nodes.Text)
                                   or p.astext()])


def _opted_out_cells(env: BuildEnvironment) -> Callable[[nodes.Node], bool] | None:
    """For a notebook with markdown cells tagged ``no-autolink``: whether a node comes
    from one of them (None for any other page).

    myst-nb keeps no cell boundary in the doctree, but numbers the lines of cell *i* from
    ``source_map[i]`` (its metadata, for text notebooks) or else ``(i + 1) * 10000``; a
    node's line tells its cell. Lint reads the same tag (:mod:`..lint.page`).
    """
    path = str(env.doc2path(env.docname))
    if not path.endswith(".ipynb"):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = json.load(handle)
        cells = notebook["cells"]
        tagged = {i for i, cell in enumerate(cells)
                  if OPT_OUT_CLASS in (cell.get("metadata", {}).get("tags") or ())}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not tagged:
        return None
    smap = notebook.get("metadata", {}).get("source_map")
    starts = [int(s) + 1 for s in smap] if isinstance(smap, list) else \
        [(i + 1) * 10000 + 1 for i in range(len(cells))]

    def opted_out(node: nodes.Node) -> bool:
        line = None
        while node is not None and line is None:
            line = getattr(node, "line", None)
            node = node.parent
        if not line:
            return False
        return bisect.bisect_right(starts, line) - 1 in tagged

    return opted_out


def _is_event(node: nodes.Node) -> bool:
    """Text, or an explicit term reference (after which the term is linked already)."""
    return isinstance(node, nodes.Text) or (
        isinstance(node, addnodes.pending_xref) and node.get("refdomain") == "dl")


def _first_mentions(mentions: list[Mention], seen: set[str], skip: set[str]) -> list[Mention]:
    """The mentions of terms not met before in the scope (noting them), except *skip*."""
    chosen = []
    for mention in mentions:
        if mention.key in seen:
            continue
        seen.add(mention.key)
        if mention.key not in skip:
            chosen.append(mention)
    return chosen


def _section_of(node: nodes.Node) -> nodes.Node | None:
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.section):
        parent = parent.parent
    return parent


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Compile the matcher in the main process, before ``-j`` forks its readers.

    Each reading process would otherwise compile its own: seconds with thousands of
    terms, once for every chunk of documents Sphinx hands out. Forked readers inherit it.
    """
    if app.config.dlglossary_autolink and docnames:
        matcher_for(get_domain(env).termset, app.config.dlglossary_autolink_everyday)


def setup(app: Sphinx) -> None:
    app.add_transform(AutoLinkTransform)
    app.connect("env-before-read-docs", _before_read)
