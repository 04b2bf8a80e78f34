"""The ``dlterm`` role: finds the term, or warns; resolving is left to the domain.

``:dlterm:`kernel``` (rST) and ``{dlterm}`kernel``` (MyST); ``text <target>`` sets the link
text; ``!kernel`` writes the text without a link (and tells ``dlglossary lint`` the plain
mention is meant); the body is read by :func:`~.core.rolesyntax.parse_role_body`. The
target resolves with :meth:`~.core.model.TermSet.lookup` (case, separators, aliases,
plurals). A known term becomes a :func:`term_reference` node, which
:mod:`.references` numbers and records; the domain resolves it at write time to the
glossary page (or, through intersphinx, to another project's page).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.rolesyntax import parse_role_body
from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from collections.abc import Sequence

    from docutils.parsers.rst.states import Inliner
    from sphinx.environment import BuildEnvironment

__all__ = ["AUTO_CLASS", "dlterm_role", "term_reference"]

logger = logging.getLogger(__name__)

#: Class of a reference made by auto-linking.
AUTO_CLASS = "dlterm-auto"


def term_reference(key: str, text: str, docname: str, rawsource: str = "", *,
                   auto: bool = False) -> addnodes.pending_xref:
    """A reference to the term *key* showing *text*: what the role and auto-link insert."""
    node = addnodes.pending_xref(
        rawsource or text, nodes.inline(text, text), refdomain="dl", reftype="term",
        reftarget=key, refexplicit=True, refwarn=True, refdoc=docname,
    )
    if auto:
        node["classes"] = [AUTO_CLASS]
    return node


def unknown_term_message(env: BuildEnvironment, termset: terms.TermSet, target: str) -> str:
    """The warning for a reference to no known term: closest terms, or why it is gone."""
    hint = termset.hint(target)
    canonical = terms.load_canonical().lookup(target)
    if canonical is not None and canonical.key in env.config.dlglossary_exclude:
        hint = f" (term '{canonical.key}' is excluded by dlglossary_exclude)"
    return f"unknown term {target!r}{hint}"


def dlterm_role(name: str, rawtext: str, text: str, lineno: int, inliner: Inliner,
                options: dict[str, Any] | None = None, content: Sequence[str] = (),
                ) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``:dlterm:`text <target>```: a link to a glossary term."""
    from docutils.utils import unescape

    from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain

    body = parse_role_body(unescape(text))
    if body.suppressed:  # written as a term, on purpose not linked
        return [nodes.inline(rawtext, body.text)], []
    env: BuildEnvironment = inliner.document.settings.env
    domain = get_domain(env)
    term = domain.termset.lookup(body.target)
    # The file and line the role is written on (an included file's own, not the include's).
    source, line = inliner.reporter.get_source_and_line(lineno)
    if term is None:
        # docutils names an included file relative to the working directory.
        real = source and not source.startswith("<") and os.path.abspath(source)
        where = f"{real}:{line}" if real and line else (env.docname, lineno)
        logger.warning("%s", unknown_term_message(env, domain.termset, body.target),
                       location=where, type=WARNING_TYPE,
                       subtype=DLWarning.UNKNOWN_TERM.subtype)
        domain.note_unknown(env.docname, body.target)
        return [nodes.emphasis(rawtext, body.text, classes=["dlterm-unknown"])], []
    node = term_reference(term.key, body.text, env.docname, rawtext)
    node.source, node.line = source, line
    return [node], []
