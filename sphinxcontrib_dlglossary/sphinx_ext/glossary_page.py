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
from sphinx.util.texescape import escape as tex_escape

from sphinxcontrib_dlglossary.core.collation import Collation, collation
from sphinxcontrib_dlglossary.core.plaintext import summary_line
from sphinxcontrib_dlglossary.sphinx_ext import (
    definitions,
    internals,
    labels,
    links,
    term_translations,
    uses_pages,
)
from sphinxcontrib_dlglossary.sphinx_ext.domain import BACKLINK, get_domain
from sphinxcontrib_dlglossary.sphinx_ext.nodes import (
    dlglossary_backlinks,
    dlglossary_letter,
    dlglossary_page,
)
from sphinxcontrib_dlglossary.sphinx_ext.uses_pages import (
    MORE_PAGES,
    SHOWN_PAGES,
    PageUses,
    pages_using,
    where_note,
)
from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_dlglossary.core.model import Term
    from sphinxcontrib_dlglossary.sphinx_ext.domain import DLGlossaryDomain, PageSpec, TermUse

__all__ = ["GlossaryPageTransform", "backlinks", "backlinks_markups", "entry", "setup",
           "structured_data"]

logger = logging.getLogger(__name__)

MATH_IGNORE = ("tex2jax_ignore", "mathjax_ignore")
_MATH_PROCESS = ["tex2jax_process", "mathjax_process"]


def letter_of(term: Term, order: Collation) -> str:
    """What a term is filed under in the site's language (:mod:`.core.collation`): the
    first letter of what it sorts by ("Ähnlichkeit" under a, "ß…" under s), or "#"."""
    return order.letter(term.title, term.key)


def shown_letter(letter: str) -> str:
    upper = letter.upper()
    return upper if len(upper) == 1 else letter


def _xref(reftype: str, target: str, child: nodes.Node, docname: str) -> addnodes.pending_xref:
    """A link the domain resolves (no warning if it cannot)."""
    return addnodes.pending_xref("", child, refdomain="dl", reftype=reftype, reftarget=target,
                                 refexplicit=True, refwarn=False, refdoc=docname)


def _term_link(key: str, text: str, docname: str) -> addnodes.pending_xref:
    return _xref("term", key, nodes.inline(text, text), docname)


class GlossaryPageTransform(SphinxPostTransform):
    """Replace each ``dlglossary_page`` placeholder with the glossary it stands for."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain = get_domain(self.env)
        uses_pages.note_written(self.env, self.env.docname)
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
            if term_translations.is_gettext(builder):
                self._messages(domain, node, spec)
                continue
            pages = _Pages(self.env.titles, builder, docname, collation(self.config.language))
            letters = {place["letter"]: place for place in self.document.findall(
                dlglossary_letter) if place["docname"] == docname
                and place["index"] == node["index"]}
            made = glossary(domain, spec, pages, letters)
            uses_pages.note_written(self.env, docname, glossary=True)
            # With letter sections, the letter bar stands beside them, in the page's
            # section, so that it stays in view over all of them (a sticky element sticks
            # within its parent only).
            node.replace_self(made.children if letters else made)


    def _messages(self, domain: DLGlossaryDomain, node: dlglossary_page,
                  spec: PageSpec) -> None:
        """``-b gettext``: the texts of the terms instead of the entries (and no letter
        sections: a letter is no message)."""
        keys = domain.shown.get(spec.docname, [])[spec.position]
        node.replace_self(term_translations.messages_node(
            domain.english, keys, str(self.env.doc2path(spec.docname)), spec.lineno))
        for place in list(self.document.findall(dlglossary_letter)):
            if place["docname"] == spec.docname and place["index"] == spec.position:
                section = place.parent
                section.parent.remove(section)


class _Pages:
    """What backlinks need to know of the pages they link to: titles, and which ones the
    builder writes (a page left out of a LaTeX document gets no backlink)."""

    def __init__(self, titles: Mapping[str, nodes.Node], builder: Builder | None,
                 here: str, order: Collation | None = None) -> None:
        self.titles = titles
        self.builder = builder
        self.here = here
        #: How the site's language orders and files the entries.
        self.order = order or collation(None)

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

    def html(self) -> bool:
        """Whether the builder writes HTML (backlinks are then written as HTML here)."""
        return self.builder is not None and self.builder.format == "html"

    def splits(self) -> bool:
        """Whether the builder writes pages of all uses (:mod:`.uses_pages`)."""
        return self.builder is not None and uses_pages.splits(self.builder)

    def href(self, docname: str, use: TermUse) -> str:
        """The URI of *use* on *docname* (write phase only)."""
        assert self.builder is not None
        return links.href(self.builder, self.here, docname,
                          links.use_anchor(self.builder, docname, use.node_id))

    def all_uses_href(self, key: str) -> str:
        """The URI of the page of all uses of *key* ("All 312 pages that use Kernel")."""
        assert self.builder is not None
        return links.href(self.builder, self.here, uses_pages.pagename(key),
                          uses_pages.LIST_ID)

    def page_number(self, docname: str, node_id: str) -> list[nodes.Node]:
        """LaTeX: ", p. 12", the page of the reference; nothing for other builders."""
        if self.builder is None or self.builder.format != "latex":
            return []
        label = internals.latex_label(f"{docname}:{node_id}")
        # The translated words are text (escaped for LaTeX); the number is \pageref, tied
        # to the word before it.
        words = tex_escape(labels.page_ref("\x00")).replace(" \x00", "~\x00")
        return [nodes.raw("", ", " + words.replace("\x00", f"\\pageref{{{label}}}"),
                          format="latex")]

    def term(self, domain: DLGlossaryDomain, key: str, text: str) -> nodes.Element:
        """A link to the entry of *key*, made here in the write phase as :meth:`link` is
        (an entry links a dozen terms: thousands of references on a large glossary);
        otherwise a ``dl:term`` reference the domain resolves. Text if nothing shows it."""
        if self.builder is None:
            return _term_link(key, text, self.here)
        ref = domain.term_link(self.builder, self.here, key, text)
        return ref if ref is not None else nodes.inline(text, text)


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
        root += nodes.paragraph("", labels.no_terms(), classes=["dlglossary-empty"])
        for unused in sections.values():
            unused.parent.parent.remove(unused.parent)
        return root
    # no-search: Sphinx's search index skips these (the page titles of backlinks would
    # otherwise make the glossary a hit for every page's words).
    letters = nodes.paragraph(classes=["dlglossary-letters", "no-search"])
    root += letters
    theme = getattr(pages.builder.config, "html_theme", "") if pages.builder else ""
    letters += filter_box(prefix, len(entries), theme)
    backlinks = pages_using(domain, docname, pages.linked) if spec.backlinks else {}
    # Entries come sorted by casefolded title, so each letter is one run; what is not a
    # letter (digits, symbols: before and after the letters) is gathered first.
    order = pages.order
    entries.sort(key=lambda t: letter_of(t, order) != "#")
    groups = [(letter, list(group))
              for letter, group in groupby(entries, key=lambda t: letter_of(t, order))]
    present = {letter for letter, _ in groups}
    alphabet = order.alphabet()
    bar = [*(["#"] if "#" in present else []), *alphabet,
           *sorted(present - set(alphabet) - {"#"}, key=order.letter_order)]
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
            uses = backlinks.get(term.key, []) if spec.backlinks else None
            items += _entry_or_text(domain, docname, term, owns_anchor, uses, pages, prefix)
        for math in wrapper.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))):
            math["classes"] += _MATH_PROCESS
        if letter in sections:  # the letter's section, made when the page was read
            sections.pop(letter).replace_self(wrapper)
            continue
        shown = shown_letter(letter)
        root += nodes.rubric(shown, shown, ids=[letter_anchor(prefix, letter)],
                             classes=["dlglossary-letter"])
        root += wrapper
    by_tag = tag_index(domain, entries, prefix, pages)
    if TAGS in sections:  # the section the directive made for it
        sections.pop(TAGS).replace_self(by_tag)
    elif by_tag.children:
        root += nodes.rubric("", labels.terms_by_tag(), ids=[tag_anchor(prefix)],
                             classes=["dlglossary-letter"])
        root += by_tag
    for unused in sections.values():  # a letter with no term now: no section
        unused.parent.parent.remove(unused.parent)
    root += structured_data(entries, lambda t: domain.target_of(t.key) == (docname, t.key))
    return root


#: What keeps the letter bar in view on a glossary page, beside the runtime stylesheet (so
#: that the tooltip pages do not load it): a sticky element sticks within its nearest
#: ancestor that scrolls, so no ancestor of the bar scrolls (pydata-sphinx-theme and
#: sphinx-book-theme scroll their article sideways, furo and the RTD theme their content
#: on phones); they clip sideways instead (``clip`` makes no scroll container), and wide
#: display math scrolls in its own box. (A flex item that scrolled could shrink below its
#: content's width; min-width: 0 keeps that.)
STICKY = (":has(.dlglossary-letters){overflow-x:clip!important;overflow-y:visible!important;"
          "min-width:0}.dlglossary-list :is(div.math,mjx-container[display=true]){overflow-x:auto}")
#: Themes with a sticky header of their own: the bar stays below it (measured in Chromium:
#: pydata's header is 80 px high, the book theme's article header 48 to 56 px, furo's
#: phone header 3rem below 63em), and so do the letters it jumps to. Other themes: set
#: --dlg-sticky-top on body.
STICKY_TOP = {
    "pydata_sphinx_theme": "body{--dlg-sticky-top:5rem}",
    "sphinx_book_theme": "body{--dlg-sticky-top:3.5rem}",
    "furo": "@media (max-width:63em){body{--dlg-sticky-top:3rem}}",
}


def filter_box(prefix: str, total: int, theme: str = "") -> nodes.raw:
    """The filter of the entries (HTML builders only), at the start of the letter bar so
    that it stays in view with it. Hidden until the runtime script shows it: without
    script the page is whole and there is no box that does nothing. The texts are here,
    not in the script, so that they can follow the site's language. With it, the
    glossary page's own rules for the sticky bar (:data:`STICKY`)."""
    style = STICKY + STICKY_TOP.get(theme, "")
    count = _esc(labels.filter_count(total))
    box = (f"<style>{style}</style>"
           f'<span class="dlglossary-filter" hidden data-count="{count}" '
           f'data-none="{_esc(labels.filter_none())}"><label for="{prefix}-filter">'
           f"{_esc(labels.filter_label())}</label> "
           f'<input id="{prefix}-filter" type="search" autocomplete="off" '
           f'spellcheck="false" aria-describedby="{prefix}-filter-count"> '
           f'<span id="{prefix}-filter-count" class="dlglossary-count" role="status">'
           "</span></span> ")
    return nodes.raw("", box, format="html")


#: The placeholder "letter" of the section that lists the terms by tag.
TAGS = "tags"


def tag_anchor(prefix: str, tag: str | None = None) -> str:
    """The anchor of the terms-by-tag section, or of one tag in it (tags are keys)."""
    return f"{prefix}-tags" if tag is None else f"{prefix}-tag-{tag}"


def tag_index(domain: DLGlossaryDomain, entries: Sequence[Term], prefix: str,
              pages: _Pages) -> nodes.definition_list:
    """Each tag of the shown terms (by name) and links to its terms (by title): where a
    tag chip leads. Empty when no shown term has a tag."""
    tags: dict[str, list[Term]] = {}
    for term in entries:
        for tag in term.tags:
            tags.setdefault(tag, []).append(term)
    index = nodes.definition_list(classes=["dlglossary-tag-index"])
    for tag in sorted(tags):
        item = nodes.definition_list_item()
        item += nodes.term(tag, tag, ids=[tag_anchor(prefix, tag)])
        para = nodes.paragraph()
        for i, term in enumerate(tags[tag]):
            para += nodes.Text(", " if i else "")
            link = pages.term(domain, term.key, term.title)
            if isinstance(link, nodes.reference):
                # A list to find entries by, like the letter bar: links without a tooltip
                # (a tag's terms are not what the page's definitions file is made for).
                link["classes"] = ["dlglossary-tag-term"]
            para += link
        item += nodes.definition("", para)
        index += item
    return index


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
                   uses: Sequence[PageUses] | None, pages: _Pages, prefix: str | None = None,
                   ) -> nodes.definition_list_item:
    """:func:`entry`; if making it fails, a warning naming the term and its text as is."""
    try:
        return entry(domain, docname, term, owns_anchor, uses, pages, prefix)
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
          uses: Sequence[PageUses] | None, pages: _Pages, prefix: str | None = None,
          ) -> nodes.definition_list_item:
    """One term: its bold title (with the anchor), the summary as the lead, the definition,
    aliases, related terms the text does not link, further reading, tags (chips that link
    to the tag's terms in the glossary of *prefix*, if given), backlinks (*uses*: None
    where the glossary shows none)."""
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
        para += [nodes.strong("", labels.also()), nodes.Text(" ")]
        for i, alias in enumerate(term.aliases):
            para += nodes.Text(", " if i else "")
            para += nodes.emphasis(alias, alias)
        definition += para
    related = [k for k in term.related if k in termset.terms and k not in linked]
    if related:
        para = nodes.paragraph(classes=["dlglossary-related"])
        para += [nodes.strong("", labels.related()), nodes.Text(" ")]
        for i, key in enumerate(related):
            para += nodes.Text(", " if i else "")
            para += pages.term(domain, key, termset.terms[key].title)
        definition += para
    reading = [(title, url) for title, url in term.reading
               if url.startswith(("https://", "http://"))]  # the schema's rule, once more
    if reading:
        para = nodes.paragraph(classes=["dlglossary-reading"])
        para += [nodes.strong("", labels.further_reading()), nodes.Text(" ")]
        for i, (title, url) in enumerate(reading):
            para += nodes.Text("; " if i else "")
            para += nodes.reference(title, title, refuri=url)
        definition += para
    if term.tags:
        para = nodes.paragraph(classes=["dlglossary-tags", "no-search"])
        para += [nodes.strong("", labels.tags()), nodes.Text(" ")]
        for i, tag in enumerate(term.tags):
            para += nodes.Text(" " if i else "")
            if prefix is None:
                para += nodes.inline(tag, tag, classes=["dlglossary-tag"])
            else:
                para += nodes.reference(tag, tag, refid=tag_anchor(prefix, tag),
                                        internal=True, classes=["dlglossary-tag"])
        definition += para
    if uses is not None and pages.html():  # the place of the box, even without uses
        definition += dlglossary_backlinks(
            "", html=backlinks_markup(uses, pages, term, prefix or letter_prefix(0)),
            classes=["no-search"])
    elif uses:
        definition += backlinks(uses, pages, term)
    return item


def backlinks(grouped: Sequence[PageUses], pages: _Pages,
              term: Term | None = None) -> nodes.Element:
    """"Used on 3 pages: Training (Optimizers; 3 uses), Zoo, …": each page once, in reading
    order, linking to its first use, with the section of that use and the number of uses.
    After :data:`SHOWN_PAGES` pages the rest sit behind a disclosure (HTML ``details``;
    other builders list them all), as links only. Where the builder writes pages of all
    uses, the disclosure holds :data:`MORE_PAGES` at most and ends with a link to the
    term's page of all uses, so that the glossary's size does not grow with the site's.
    LaTeX gives the page number of the first use.

    HTML builders get the box as HTML made here: a glossary's backlinks are thousands of
    links, most of its nodes, and every transform, the HTML writer and the search index
    would walk them on each rebuild of the page (an edit that moves a reference)."""
    count = len(grouped)
    shown, rest = grouped[:SHOWN_PAGES], grouped[SHOWN_PAGES:]
    if pages.html():
        return dlglossary_backlinks("", html=_backlinks_html(grouped, pages, term),
                                    classes=["no-search"])
    box = nodes.container(classes=["dlglossary-backlinks", "no-search"])
    head = nodes.paragraph(classes=["dlglossary-used-on"])
    head += nodes.strong("", labels.used_on(count))
    box += head
    head += nodes.Text(" ")
    _page_items(head, shown, pages)
    if rest:  # the disclosure, where the builder writes HTML; all pages elsewhere
        box += nodes.raw("", '<details class="dlglossary-more"><summary>'
                         f"{_esc(labels.more_pages(len(rest)))}</summary>", format="html")
        para = nodes.paragraph(classes=["dlglossary-more-pages"])
        _page_items(para, rest, pages, notes=False)
        box += para
        box += nodes.raw("", "</details>", format="html")
    return box


def _esc(text: str) -> str:
    """Text and attribute values as docutils' HTML writer encodes them."""
    return text.translate(_HTML_SPECIAL)


_HTML_SPECIAL = {ord("&"): "&amp;", ord("<"): "&lt;", ord('"'): "&quot;", ord(">"): "&gt;",
                 ord("@"): "&#64;"}


#: The comments around an entry's backlinks in an HTML page: ``<!--dlglossary-uses
#: {prefix} {key}-->…<!--/dlglossary-uses-->`` (a prefix is :func:`letter_prefix`, a key
#: lower-case ASCII letters, digits and hyphens).
USES_OPEN = "<!--dlglossary-uses {prefix} {key}-->"
USES_CLOSE = "<!--/dlglossary-uses-->"


def backlinks_markup(grouped: Sequence[PageUses], pages: _Pages, term: Term,
                     prefix: str) -> str:
    """An entry's backlinks as HTML (nothing between the comments if no page uses the
    term), in the glossary of *prefix*: what :class:`.nodes.dlglossary_backlinks`
    writes, and what an edit elsewhere writes in its place (:func:`backlinks_markups`)."""
    box = _backlinks_html(grouped, pages, term) if grouped else ""
    return f"{USES_OPEN.format(prefix=prefix, key=term.key)}{box}{USES_CLOSE}"


def backlinks_markups(env: BuildEnvironment, builder: Builder, docname: str,
                      ) -> dict[tuple[str, str], str]:
    """(prefix, key) -> :func:`backlinks_markup` of every entry with backlinks on
    glossary page *docname*, as writing the page with *builder* now would make it."""
    domain = get_domain(env)
    pages = _Pages(env.titles, builder, docname, collation(env.config.language))
    grouped: dict[str, list[PageUses]] | None = None
    out: dict[tuple[str, str], str] = {}
    for spec in domain.pages.get(docname, []):
        if not spec.backlinks:
            continue
        if grouped is None:
            grouped = pages_using(domain, docname, pages.linked)
        prefix = letter_prefix(spec.position)
        for key in domain.shown.get(docname, [])[spec.position]:
            term = domain.termset.terms.get(key)
            if term is not None:
                out[prefix, key] = backlinks_markup(grouped.get(key, []), pages, term, prefix)
    return out


def _backlinks_html(grouped: Sequence[PageUses], pages: _Pages, term: Term | None) -> str:
    """:func:`backlinks` for HTML builders: the markup the nodes would give, but for the
    page links' classes."""
    count = len(grouped)
    shown, rest = grouped[:SHOWN_PAGES], grouped[SHOWN_PAGES:]
    everything = term is not None and len(rest) > MORE_PAGES and pages.splits()
    listed = rest[:MORE_PAGES] if everything else rest

    def items(group: Sequence[PageUses], notes: bool) -> str:
        out = []
        for docname, page_uses in group:
            uri = pages.href(docname, page_uses[0])
            # Plain links, without Sphinx's "reference internal" (27 bytes a link: 66 KB
            # of a 1,000-page site's glossary page); themes give them their link style.
            link = f'<a href="{_esc(uri)}">{_esc(pages.title(docname))}</a>'
            where = where_note(page_uses) if notes else ""
            if where:
                link += f'<span class="dlglossary-where">{_esc(where)}</span>'
            out.append(link)
        return ", ".join(out)

    html = ['<div class="dlglossary-backlinks no-search">\n'
            f'<p class="dlglossary-used-on"><strong>{_esc(labels.used_on(count))}</strong> '
            f"{items(shown, True)}</p>\n"]
    if listed:
        html.append('<details class="dlglossary-more"><summary>'
                    f"{_esc(labels.more_pages(len(rest)))}</summary>"
                    f'<p class="dlglossary-more-pages">{items(listed, False)}</p>\n')
        if everything and term is not None:
            uri = pages.all_uses_href(term.key)
            html.append(f'<p class="dlglossary-all-uses"><a class="reference internal" '
                        f'href="{_esc(uri)}">{_esc(labels.all_uses(count, term.title))}'
                        "</a></p>\n")
        html.append("</details>")
    html.append("</div>\n")
    return "".join(html)


def _page_items(para: nodes.paragraph, by_page: Sequence[PageUses],
                pages: _Pages, *, notes: bool = True) -> None:
    """Each page: a link to its first use (in LaTeX with its page number) and, with
    *notes*, "(Section; 3 uses)"."""
    for i, (docname, page_uses) in enumerate(by_page):
        first = page_uses[0]
        para += nodes.Text(", " if i else "")
        para += pages.link(docname, first.node_id, pages.title(docname))
        para += pages.page_number(docname, first.node_id)
        where = where_note(page_uses) if notes else ""
        if where:
            para += nodes.inline("", where, classes=["dlglossary-where"])


def setup(app: Sphinx) -> None:
    app.add_post_transform(GlossaryPageTransform)
