"""The ``dlterm`` role: finds the term, records the reference, leaves resolving to the domain.

``:dlterm:`kernel``` (rST) and ``{dlterm}`kernel``` (MyST); ``text <target>`` sets the link
text; ``!kernel`` writes the text without a link (and tells ``dlglossary lint`` the plain
mention is meant). The target resolves with :meth:`TermSet.lookup` (case, separators,
aliases, plurals). The role becomes a ``pending_xref`` that the domain resolves at write
time to the glossary page (or, through intersphinx, to another project's page).

The same role also runs when a definition is parsed outside a Sphinx build (to render the
glossary page and tooltips, see :mod:`.render`): there it only marks the term reference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.nodes import split_explicit_title

from sphinxcontrib_dlglossary.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from collections.abc import Sequence

    from docutils.parsers.rst.states import Inliner

    from sphinxcontrib_dlglossary.domain import DLGlossaryDomain

__all__ = ["TERM_REF_CLASS", "dlterm_role", "reference_node"]

logger = logging.getLogger(__name__)

#: Class of a term reference inside a definition parsed outside the build.
TERM_REF_CLASS = "dlterm-ref"


def reference_node(domain: DLGlossaryDomain, docname: str, key: str, text: str, lineno: int,
                   document: nodes.document, rawsource: str = "", *, auto: bool = False,
                   ) -> addnodes.pending_xref:
    """A recorded reference to *key*: the node the role (and auto-linking) put in a page."""
    node = addnodes.pending_xref(
        rawsource or text, nodes.inline(text, text), refdomain="dl", reftype="term",
        reftarget=key, refexplicit=True, refwarn=True, refdoc=docname,
    )
    if auto:
        node["classes"] = ["dlterm-auto"]
    node["ids"] = [domain.note_use(docname, key, lineno, document, auto=auto)]
    document.ids[node["ids"][0]] = node
    return node


def dlterm_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner,
                options: dict[str, Any] | None = None, content: Sequence[str] = (),
                ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``:dlterm:`text <target>```: a link to a glossary term."""
    from docutils.utils import unescape

    text = unescape(text)
    if text.startswith("!"):  # written as a term, on purpose not linked
        return [nodes.inline(rawtext, split_explicit_title(text[1:])[1])], []
    _, title, target = split_explicit_title(text)
    env = getattr(inliner.document.settings, "env", None)
    if env is None or "dl" not in env.domains:
        # A definition parsed by render.py: mark the reference, the caller links it.
        node = nodes.inline(rawtext, title, classes=[TERM_REF_CLASS])
        node["dlterm_target"] = target
        return [node], []
    domain: DLGlossaryDomain = env.domains["dl"]
    term = domain.termset.lookup(target)
    if term is None:
        from sphinxcontrib_dlglossary.terms import load_canonical

        hints = domain.termset.suggest(target)
        hint = f"; did you mean {' or '.join(repr(h) for h in hints)}?" if hints else ""
        canonical = load_canonical().lookup(target)
        if canonical is not None and canonical.key in env.config.dlglossary_exclude:
            hint = f" (term '{canonical.key}' is excluded by dlglossary_exclude)"
        logger.warning("unknown term %r%s", target, hint, location=(env.docname, lineno),
                       type=WARNING_TYPE, subtype=DLWarning.UNKNOWN_TERM.subtype)
        domain.note_unknown(env.docname, target)
        return [nodes.emphasis(rawtext, title, classes=["dlterm-unknown"])], []
    node = reference_node(domain, env.docname, term.key, title, lineno, inliner.document,
                          rawtext)
    node.source, node.line = inliner.reporter.get_source_and_line(lineno)
    return [node], []
