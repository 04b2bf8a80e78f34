"""The glossary page: how an entry and its backlinks look, in one module.

At read time the directive leaves a placeholder; after every page is read, this
post-transform replaces it with plain docutils nodes (a letter bar, one definition-list
entry per term with its anchor, definition, aliases, related terms and backlinks), so
every builder (HTML, LaTeX, text, man, epub) writes it with its own visitors. Links to
other terms are ``dl:term`` references, resolved like any other (this runs before
Sphinx's ``ReferencesResolver``). Backlinks are made here with the builder that
``write-started`` named (:func:`.links.builder_of`): thousands on a large site, so not
one reference each to resolve; outside a write they are ``dl:use`` references
(:data:`~.domain.BACKLINK`) that the domain resolves.

To change how an entry looks, change :func:`entry`; how backlinks look,
:func:`backlinks`.
"""

from __future__ import annotations

import json
from itertools import groupby
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from sphinxcontrib_dlglossary.core.plaintext import summary_line
from sphinxcontrib_dlglossary.sphinx_ext import definitions, internals, links
from sphinxcontrib_dlglossary.sphinx_ext.derive import in_reading_order
from sphinxcontrib_dlglossary.sphinx_ext.domain import BACKLINK, get_domain
from sphinxcontrib_dlglossary.sphinx_ext.nodes import dlglossary_letter, dlglossary_page
from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinxcontrib_dlglossary.core.model import Term
    from sphinxcontrib_dlglossary.sphinx_ext.domain import DLGlossaryDomain, PageSpec, TermUse

__all__ = ["GlossaryPageTransform", "backlinks", "entry", "setup", "structured_data"]

logger = logging.getLogger(__name__)

MATH_IGNORE = ("tex2jax_ignore", "mathjax_ignore")
_MATH_PROCESS = ["tex2jax_process", "mathjax_process"]


def letter_of(term: Term) -> str:
    """What a term is filed under: the first character of the text entries sort by (the
    casefolded title, so "ß…" files under s and "ﬁ…" under f), or "#" if not a letter."""
    first = term.title.casefold()[:1]
    return first if first.isalpha() else "#"


def shown_letter(letter: str) -> str:
    upper = letter.upper()
    return upper if len(upper) == 1 else letter


def _xref(reftype: str, target: str, child: nodes.Node, docname: str) -> addnodes.pending_xref:
    """A link the domain resolves (no warning if it cannot)."""
    return addnodes.pending_xref("", child, refdomain="dl", reftype=reftype, reftarget=target,
                                 refexplicit=True, refwarn=False, refdoc=docname)


def _term_link(key: str, text: str, docname: str) -> addnodes.pending_xref:
    return _xref("term", key, nodes.inline(text, text), docname)


def uses_by_term(domain: DLGlossaryDomain, page: str) -> dict[str, list[TermUse]]:
    """Uses per term, by page in reading order, then in document order (not *page*'s, and
    not those inside ``only`` directives the builder leaves out)."""
    out: dict[str, list[TermUse]] = {}
    for docname in in_reading_order(domain.uses, domain.order):
        if docname == page:
            continue
        for use in domain.uses[docname]:
            if domain.written(use):
                out.setdefault(use.key, []).append(use)
    return out


class GlossaryPageTransform(SphinxPostTransform):
    """Replace each ``dlglossary_page`` placeholder with the glossary it stands for."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        if not domain.pages:
            return
        # A page without the directive has no placeholder: skip the walk, except where a
        # builder assembles every page into one tree (singlehtml, latex, texinfo, man).
        builder = links.builder_of(self.env)
        if (builder is not None and not links.assembles_pages(builder)
                and self.env.docname not in domain.pages):
            return
        for node in list(self.document.findall(dlglossary_page)):
            # The page the directive is on: not the current document when a builder
            # assembles all pages into one tree.
            docname = node.get("docname", self.env.docname)
            specs = {s.position: s for s in domain.pages.get(docname, [])}
            spec = specs.get(node["index"])
            if spec is None:  # pragma: no cover - the directive always records one
                node.parent.remove(node)
                continue
            pages = _Pages(self.env.titles, builder, docname)
            letters = {place["letter"]: place for place in self.document.findall(
                dlglossary_letter) if place["docname"] == docname
                and place["index"] == node["index"]}
            made = glossary(domain, spec, pages, letters)
            # With letter sections, the letter bar stands beside them, in the page's
            # section, so that it stays in view over all of them (a sticky element sticks
            # within its parent only).
            node.replace_self(made.children if letters else made)


class _Pages:
    """What backlinks need to know of the pages they link to: titles, and which ones the
    builder writes (a page left out of a LaTeX document gets no backlink)."""

    def __init__(self, titles: Mapping[str, nodes.Node], builder: Builder | None,
                 here: str) -> None:
        self.titles = titles
        self.builder = builder
        self.here = here

    def title(self, docname: str) -> str:
        node = self.titles.get(docname)
        return node.astext() if node else docname

    def linked(self, docname: str) -> bool:
        return links.has_uri(self.builder, self.here, docname)

    def link(self, docname: str, node_id: str, text: str) -> nodes.Element:
        """A link to the reference *node_id* on *docname*.

        In the write phase the builder is known and the link is made here (a glossary
        page holds one per reference: thousands on a large site). Otherwise it is a
        ``dl:use`` reference to ``docname#node_id`` that the domain resolves.
        """
        if self.builder is None:
            return _xref(BACKLINK, f"{docname}#{node_id}", nodes.Text(text), self.here)
        anchor = links.use_anchor(self.builder, docname, node_id)
        return links.refnode(self.builder, self.here, docname, anchor, nodes.Text(text))

    def page_number(self, docname: str, node_id: str) -> list[nodes.Node]:
        """LaTeX: ", p. 12", the page of the reference; nothing for other builders."""
        if self.builder is None or self.builder.format != "latex":
            return []
        label = internals.latex_label(f"{docname}:{node_id}")
        return [nodes.raw("", f", p.~\\pageref{{{label}}}", format="latex")]

    def term(self, domain: DLGlossaryDomain, key: str, text: str) -> nodes.Element:
        """A link to the entry of *key*, made here in the write phase as :meth:`link` is
        (an entry links a dozen terms: thousands of references on a large glossary);
        otherwise a ``dl:term`` reference the domain resolves. Text if nothing shows it."""
        if self.builder is None:
            return _term_link(key, text, self.here)
        ref = domain.term_link(self.builder, self.here, key, text)
        return ref if ref is not None else nodes.inline(text, text)


#: The letters the bar always shows (greyed out where no term files under one).
ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def glossary(domain: DLGlossaryDomain, spec: PageSpec, pages: _Pages,
             places: Mapping[str, dlglossary_letter] | None = None) -> nodes.container:
    """The nodes of one glossary directive: a letter bar, then entries by letter, then the
    terms as schema.org data (HTML). The entries of a letter go into its section where
    the directive made one (*places*: letter -> placeholder), else after a rubric."""
    sections: dict[str, dlglossary_letter] = dict(places or {})
    docname = spec.docname
    keys = domain.shown.get(docname, [])[spec.position]
    termset = domain.termset
    entries = [termset.terms[k] for k in keys if k in termset.terms]
    prefix = letter_prefix(spec.position)
    # A page-wide math renderer (MathJax) typesets only the math nodes of the glossary,
    # never TeX-like text in it (MathJax 2 and 3 class names, and MyST's).
    root = nodes.container(classes=["dlglossary", *MATH_IGNORE])
    if not entries:
        root += nodes.paragraph("", "No terms to show.", classes=["dlglossary-empty"])
        for unused in sections.values():
            unused.parent.parent.remove(unused.parent)
        return root
    # no-search: Sphinx's search index skips these (the page titles of backlinks would
    # otherwise make the glossary a hit for every page's words).
    letters = nodes.paragraph(classes=["dlglossary-letters", "no-search"])
    root += letters
    backlinks = uses_by_term(domain, docname) if spec.backlinks else {}
    # Entries come sorted by casefolded title, so each letter is one run; what is not a
    # letter (digits, symbols: before and after the letters) is gathered first.
    entries.sort(key=lambda t: letter_of(t) != "#")
    groups = [(letter, list(group)) for letter, group in groupby(entries, key=letter_of)]
    present = {letter for letter, _ in groups}
    bar = [*(["#"] if "#" in present else []), *ALPHABET,
           *sorted(present - set(ALPHABET) - {"#"})]
    for i, letter in enumerate(sorted(set(bar), key=bar.index)):
        shown = shown_letter(letter)
        if i:
            letters += nodes.Text(" ")
        if letter in present:
            letters += nodes.reference("", shown, refid=letter_anchor(prefix, letter),
                                       internal=True)
        else:  # greyed out: no term under this letter
            letters += nodes.inline(shown, shown, classes=["dlglossary-letter-empty"])
    for letter, group in groups:
        # Sphinx's own glossary node: every builder knows it, and HTML gives each term a
        # permalink ("Link to this term", html_permalinks).
        wrapper = addnodes.glossary()
        items = nodes.definition_list(classes=["glossary", "dlglossary-list"])
        wrapper += items
        for term in group:
            owns_anchor = domain.target_of(term.key) == (docname, term.key)
            items += _entry_or_text(domain, docname, term, owns_anchor,
                                    backlinks.get(term.key, []), pages)
        for math in wrapper.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
            math["classes"] += _MATH_PROCESS
        if letter in sections:  # the letter's section, made when the page was read
            sections.pop(letter).replace_self(wrapper)
            continue
        shown = shown_letter(letter)
        root += nodes.rubric(shown, shown, ids=[letter_anchor(prefix, letter)],
                             classes=["dlglossary-letter"])
        root += wrapper
    for unused in sections.values():  # a letter with no term now: no section
        unused.parent.parent.remove(unused.parent)
    root += structured_data(entries, lambda t: domain.target_of(t.key) == (docname, t.key))
    return root


def letter_prefix(position: int) -> str:
    """What the anchors of a glossary's letters start with (the first on a page: none)."""
    return "dlglossary" if position == 0 else f"dlglossary-{position}"


def letter_anchor(prefix: str, letter: str) -> str:
    return f"{prefix}-letter-{letter if letter != '#' else 'other'}"


def structured_data(entries: Sequence[Term], anchored: Any) -> nodes.raw:
    """The terms as a schema.org ``DefinedTermSet`` (JSON-LD, HTML builders only): name,
    plain-text description and anchor of each term the page shows with its anchor."""
    data = {
        "@context": "https://schema.org",
        "@type": "DefinedTermSet",
        "hasDefinedTerm": [
            {"@type": "DefinedTerm", "termCode": t.key, "name": t.title,
             "description": summary_line(t.tooltip), "url": f"#{t.key}"}
            for t in entries if anchored(t)],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Nothing in it can end the script element or open a comment in it.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return nodes.raw("", f'<script type="application/ld+json">{text}</script>\n',
                     format="html")


def _entry_or_text(domain: DLGlossaryDomain, docname: str, term: Term, owns_anchor: bool,
                   uses: Sequence[TermUse], pages: _Pages) -> nodes.definition_list_item:
    """:func:`entry`; if making it fails, a warning naming the term and its text as is."""
    try:
        return entry(domain, docname, term, owns_anchor, uses, pages)
    except Exception as exc:  # one term's failure must not cost the page or the build
        logger.warning("the entry of term %r could not be rendered (%s: %s); its "
                       "definition is shown as text", term.key, type(exc).__name__, exc,
                       location=(docname, None), type=WARNING_TYPE,
                       subtype=DLWarning.RENDER.subtype)
        item = nodes.definition_list_item(classes=["dlglossary-entry"])
        item += nodes.term(term.title, term.title, ids=[term.key] if owns_anchor else [])
        item += nodes.definition("", definitions.literal_text(term.definition))
        return item


def entry(domain: DLGlossaryDomain, docname: str, term: Term, owns_anchor: bool,
          uses: Sequence[TermUse], pages: _Pages) -> nodes.definition_list_item:
    """One term: its bold title (with the anchor), the summary as the lead, the definition,
    aliases, related terms the text does not link, further reading, tags, backlinks."""
    termset = domain.termset
    item = nodes.definition_list_item(classes=["dlglossary-entry"])
    item += nodes.term(term.title, "", nodes.strong(term.title, term.title),
                       ids=[term.key] if owns_anchor else [])
    definition = nodes.definition()
    item += definition
    linked: set[str] = set()
    parts = []
    if term.summary:
        lead = definitions.parse(term.summary)
        for node in lead:
            if isinstance(node, nodes.Element):
                node["classes"].append("dlglossary-summary")
        parts.append(lead)
    parts.append(definitions.parse(term.definition))
    for body in parts:
        for ref in definitions.term_refs(body):
            target = termset.lookup(ref["dlterm_target"])
            if target is not None:
                linked.add(target.key)
                ref.parent.replace(ref, pages.term(domain, target.key, ref.astext()))
        definition.extend(body)
    if term.aliases:
        para = nodes.paragraph(classes=["dlglossary-aliases"])
        para += [nodes.strong("", "Also:"), nodes.Text(" ")]
        for i, alias in enumerate(term.aliases):
            para += nodes.Text(", " if i else "")
            para += nodes.emphasis(alias, alias)
        definition += para
    related = [k for k in term.related if k in termset.terms and k not in linked]
    if related:
        para = nodes.paragraph(classes=["dlglossary-related"])
        para += [nodes.strong("", "Related:"), nodes.Text(" ")]
        for i, key in enumerate(related):
            para += nodes.Text(", " if i else "")
            para += pages.term(domain, key, termset.terms[key].title)
        definition += para
    reading = [(title, url) for title, url in term.reading
               if url.startswith(("https://", "http://"))]  # the schema's rule, once more
    if reading:
        para = nodes.paragraph(classes=["dlglossary-reading"])
        para += [nodes.strong("", "Further reading:"), nodes.Text(" ")]
        for i, (title, url) in enumerate(reading):
            para += nodes.Text("; " if i else "")
            para += nodes.reference(title, title, refuri=url)
        definition += para
    if term.tags:
        para = nodes.paragraph(classes=["dlglossary-tags", "no-search"])
        para += [nodes.strong("", "Tags:"), nodes.Text(" ")]
        for i, tag in enumerate(term.tags):
            para += nodes.Text(" " if i else "")
            para += nodes.inline(tag, tag, classes=["dlglossary-tag"])
        definition += para
    uses = [u for u in uses if pages.linked(u.docname)]
    if uses:
        definition += backlinks(docname, uses, pages)
    return item


#: Pages a term's backlinks show before the rest go behind "and N more pages".
SHOWN_PAGES = 5


def backlinks(here: str, uses: Sequence[TermUse], pages: _Pages) -> nodes.container:
    """"Used on 3 pages: Training (Optimizers; 3 uses), Zoo, …": each page once, in reading
    order, linking to its first use, with the section of that use and the number of uses.
    After :data:`SHOWN_PAGES` pages the rest sit behind a disclosure (HTML ``details``;
    other builders list them all), as links only: on a large site they are most of the
    page. LaTeX gives the page number of the first use."""
    by_page = [(docname, list(group)) for docname, group in groupby(uses, lambda u: u.docname)]
    box = nodes.container(classes=["dlglossary-backlinks", "no-search"])
    count = len(by_page)
    head = nodes.paragraph(classes=["dlglossary-used-on"])
    head += nodes.strong("", f"Used on {count} page{'s' if count != 1 else ''}:")
    box += head
    shown, rest = by_page[:SHOWN_PAGES], by_page[SHOWN_PAGES:]
    head += nodes.Text(" ")
    _page_items(head, shown, pages)
    if rest:
        more = len(rest)
        box += nodes.raw("", '<details class="dlglossary-more"><summary>and '
                         f'{more} more page{"s" if more != 1 else ""}</summary>',
                         format="html")
        para = nodes.paragraph(classes=["dlglossary-more-pages"])
        _page_items(para, rest, pages, notes=False)  # the page stays small: links only
        box += para
        box += nodes.raw("", "</details>", format="html")
    return box


def _page_items(para: nodes.paragraph, by_page: Sequence[tuple[str, list[TermUse]]],
                pages: _Pages, *, notes: bool = True) -> None:
    """Each page: a link to its first use (in LaTeX with its page number) and, with
    *notes*, "(Section; 3 uses)"."""
    for i, (docname, page_uses) in enumerate(by_page):
        first = page_uses[0]
        para += nodes.Text(", " if i else "")
        para += pages.link(docname, first.node_id, pages.title(docname))
        para += pages.page_number(docname, first.node_id)
        if not notes:
            continue
        where = [first.section] if first.section else []
        if len(page_uses) > 1:
            where.append(f"{len(page_uses)} uses")
        if where:
            para += nodes.inline("", f" ({'; '.join(where)})", classes=["dlglossary-where"])


def setup(app: Sphinx) -> None:
    app.add_post_transform(GlossaryPageTransform)
