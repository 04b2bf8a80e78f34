"""The ``dlglossary`` directive: the page that shows the terms, their backlinks and anchors.

At read time it only records a :class:`~.domain.PageSpec` and leaves a placeholder: which
terms it shows and who links to them are known after every page is read (see
:mod:`.glossary_page`). An unknown tag is a located warning, not a silently empty page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_dlglossary.core.collation import collation
from sphinxcontrib_dlglossary.core.words import parse_bool
from sphinxcontrib_dlglossary.sphinx_ext import internals, labels
from sphinxcontrib_dlglossary.sphinx_ext.derive import shown_keys
from sphinxcontrib_dlglossary.sphinx_ext.domain import PageSpec, get_domain
from sphinxcontrib_dlglossary.sphinx_ext.glossary_page import (
    MATH_IGNORE,
    TAGS,
    letter_anchor,
    letter_of,
    letter_prefix,
    shown_letter,
    tag_anchor,
)
from sphinxcontrib_dlglossary.sphinx_ext.nodes import dlglossary_letter, dlglossary_page
from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["DLGlossaryDirective", "setup"]

logger = logging.getLogger(__name__)


def _bool(argument: str | None) -> bool:
    """``true``/``false`` (also yes/no, on/off, 1/0); an empty value means true."""
    value = parse_bool(argument, empty=True)
    if value is None:
        raise ValueError(f"expected true or false, not {argument!r}")
    return value


class DLGlossaryDirective(SphinxDirective):
    """``.. dlglossary::`` with ``:used-only:``, ``:tags: a, b``, ``:backlinks: false`` and
    ``:letter-sections: false``."""

    has_content = False
    option_spec: ClassVar[dict[str, object]] = {
        "used-only": directives.flag,
        "tags": directives.unchanged,
        "backlinks": _bool,
        "letter-sections": _bool,
    }

    def run(self) -> list[nodes.Node]:
        domain = get_domain(self.env)
        tags = tuple(t.strip() for t in self.options.get("tags", "").replace(",", " ").split()
                     if t.strip())
        known = {tag for term in domain.termset for tag in term.tags}
        for tag in tags:
            if tag not in known:
                logger.warning("dlglossary: unknown tag %r (known tags: %s)", tag,
                               ", ".join(sorted(known)), location=self.get_location(),
                               type=WARNING_TYPE, subtype=DLWarning.DIRECTIVE.subtype)
        index = len(domain.pages.get(self.env.docname, []))
        spec = PageSpec(
            docname=self.env.docname, position=index, lineno=self.lineno,
            used_only="used-only" in self.options, tags=tags,
            backlinks=self.options.get("backlinks", True),
        )
        domain.note_page(spec)
        node = dlglossary_page(index=index, docname=self.env.docname)
        self.set_source_info(node)
        return [node, *self._letter_sections(spec)]

    def _letter_sections(self, spec: PageSpec) -> list[nodes.Node]:
        """A section per letter, so themes list the letters in the page's table of
        contents (which is made when the page is read).

        Only where the letters are known now (not ``:used-only:``, which depends on the
        other pages) and where a section may stand (the directive is not inside another
        element); elsewhere the letters are headings without sections (rubrics).
        """
        parent = internals.directive_parent(self.state)
        if spec.used_only or not self.options.get("letter-sections", True) \
                or not isinstance(parent, (nodes.section, nodes.document)):
            return []
        termset = get_domain(self.env).termset
        order = collation(self.config.language)
        letters: list[str] = []
        tagged = False
        for key in shown_keys(termset, spec, set(), order):
            letter = letter_of(termset.terms[key], order)
            tagged = tagged or bool(termset.terms[key].tags)
            if letter not in letters:
                letters.append(letter)
        letters.sort(key=lambda letter: letter != "#")  # symbols and digits first
        prefix = letter_prefix(spec.position)
        out: list[nodes.Node] = []
        for letter in letters:
            shown = shown_letter(letter)
            section = nodes.section(ids=[letter_anchor(prefix, letter)],
                                    classes=["dlglossary-letter-section", *MATH_IGNORE])
            section += nodes.title(shown, shown)
            section += dlglossary_letter(index=spec.position, docname=spec.docname,
                                         letter=letter)
            out.append(section)
        if tagged:  # where the tag chips lead
            section = nodes.section(ids=[tag_anchor(prefix)],
                                    classes=["dlglossary-tags-section", *MATH_IGNORE])
            section += nodes.title("", labels.terms_by_tag())
            section += dlglossary_letter(index=spec.position, docname=spec.docname,
                                         letter=TAGS)
            out.append(section)
        return out


def setup(app: Sphinx) -> None:
    app.add_directive("dlglossary", DLGlossaryDirective)
