"""Write phase: fill each glossary page from the domain, after every page has been read.

:class:`GlossaryPageTransform` replaces the directive's placeholder with plain docutils
nodes (a letter bar, one definition-list entry per term with its anchor, definition,
aliases, related terms and backlinks), so every builder (HTML, LaTeX, text, man, epub)
writes it with its own visitors. It runs before Sphinx's ``ReferencesResolver`` so the
term links inside definitions resolve like any other reference.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import NoUri
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinxcontrib_dlglossary import render
from sphinxcontrib_dlglossary.domain import refnode, shown_keys, use_anchor
from sphinxcontrib_dlglossary.nodes import dlglossary_page

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_dlglossary.domain import DLGlossaryDomain, PageSpec, TermUse
    from sphinxcontrib_dlglossary.terms import Term

__all__ = ["GlossaryPageTransform", "setup"]


def _letter(term: Term) -> str:
    first = term.title[:1].upper()
    return first if first.isalpha() else "#"


def _xref(key: str, child: nodes.Node, docname: str) -> addnodes.pending_xref:
    """A link to another term, resolved by Sphinx like any ``dlterm`` (no warning if absent)."""
    node = addnodes.pending_xref("", child, refdomain="dl", reftype="term", reftarget=key,
                                 refexplicit=True, refwarn=False, refdoc=docname)
    return node


class GlossaryPageTransform(SphinxPostTransform):
    """Replace each ``dlglossary_page`` placeholder with the glossary it stands for."""

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        domain: DLGlossaryDomain = self.env.domains["dl"]  # type: ignore[assignment]
        if not domain.pages:
            return
        # A page without the directive has no placeholder: skip the walk, except where a
        # builder assembles every page into one tree (singlehtml, latex, texinfo, man).
        builder = (getattr(self.env, "_app", None) or self.app).builder
        per_page = builder.format == "html" and builder.name != "singlehtml"
        if per_page and self.env.docname not in domain.pages:
            return
        placeholders = list(self.document.findall(dlglossary_page))
        if not placeholders:
            return
        for node in placeholders:
            # The page the directive is on: not the current document when a builder
            # (latex, singlehtml, man, texinfo) assembles all pages into one tree.
            docname = node.get("docname", self.env.docname)
            specs = {s.position: s for s in domain.pages.get(docname, [])}
            spec = specs.get(node["index"])
            if spec is None:  # pragma: no cover - the directive always records one
                node.parent.remove(node)
                continue
            node.replace_self(self.glossary(domain, spec))

    def glossary(self, domain: DLGlossaryDomain, spec: PageSpec) -> nodes.container:
        docname = spec.docname
        shown = domain.data["shown"].get(docname, [])
        if spec.position < len(shown):
            keys = shown[spec.position]
        else:  # pragma: no cover - env-updated derives every page
            keys = shown_keys(domain, spec, {u.key for us in domain.uses.values() for u in us})
        termset = domain.termset
        entries = [termset.terms[k] for k in keys if k in termset.terms]
        prefix = "dlglossary" if spec.position == 0 else f"dlglossary-{spec.position}"
        root = nodes.container(classes=["dlglossary"])
        if not entries:
            root += nodes.paragraph("", "No terms to show.", classes=["dlglossary-empty"])
            return root
        # no-search: Sphinx's search index skips these (the page titles of backlinks would
        # otherwise make the glossary a hit for every page's words).
        letters = nodes.paragraph(classes=["dlglossary-letters", "no-search"])
        root += letters
        backlinks = self._backlinks(domain, docname) if spec.backlinks else {}
        for letter, group in groupby(entries, key=_letter):
            anchor = f"{prefix}-letter-{letter.lower() if letter != '#' else 'other'}"
            if len(letters):
                letters += nodes.Text(" ")
            letters += nodes.reference("", letter, refid=anchor, internal=True)
            heading = nodes.rubric(letter, letter, ids=[anchor],
                                   classes=["dlglossary-letter"])
            root += heading
            items = nodes.definition_list(classes=["glossary", "dlglossary-list"])
            root += items
            for term in group:
                owns_anchor = domain.target_of(term.key) == (docname, term.key)
                items += self._entry(spec, term, owns_anchor, backlinks.get(term.key, []))
        return root

    def _entry(self, spec: PageSpec, term: Term, owns_anchor: bool, uses: list[TermUse],
               ) -> nodes.definition_list_item:
        docname = spec.docname
        item = nodes.definition_list_item(classes=["dlglossary-entry"])
        item += nodes.term(term.title, term.title, ids=[term.key] if owns_anchor else [])
        definition = nodes.definition()
        item += definition
        body = render.parse(term.definition)
        for ref in render.term_refs(body):
            target = self.env.domains["dl"].termset.lookup(ref["dlterm_target"])  # type: ignore[attr-defined]
            if target is not None:
                link = _xref(target.key, nodes.inline(ref.astext(), ref.astext()), docname)
                ref.parent.replace(ref, link)
        definition.extend(body)
        if term.aliases:
            para = nodes.paragraph(classes=["dlglossary-aliases"])
            para += [nodes.strong("", "Also:"), nodes.Text(" ")]
            for i, alias in enumerate(term.aliases):
                para += nodes.Text(", " if i else "")
                para += nodes.emphasis(alias, alias)
            definition += para
        if term.related:
            para = nodes.paragraph(classes=["dlglossary-related"])
            para += [nodes.strong("", "Related:"), nodes.Text(" ")]
            termset = self.env.domains["dl"].termset  # type: ignore[attr-defined]
            for i, key in enumerate(k for k in term.related if k in termset.terms):
                para += nodes.Text(", " if i else "")
                title = termset.terms[key].title
                para += _xref(key, nodes.inline(title, title), docname)
            definition += para
        if uses:
            definition += self._backlink_paragraph(docname, uses)
        return item

    def _backlinks(self, domain: DLGlossaryDomain, page: str) -> dict[str, list[TermUse]]:
        """Uses per term, by page in toctree order, then in document order."""
        rank = {d: i for i, d in enumerate(domain.data["order"])}
        out: dict[str, list[TermUse]] = {}
        for docname in sorted(domain.uses, key=lambda d: (rank.get(d, len(rank)), d)):
            if docname == page:
                continue
            for use in domain.uses[docname]:
                out.setdefault(use.key, []).append(use)
        return out

    def _backlink_paragraph(self, here: str, uses: list[TermUse]) -> nodes.paragraph:
        """"Used on: Page A ² ³, Page B": the title links to the first use, numbers to others."""
        # Sphinx's own post-transforms reach the builder the same way (.app is deprecated).
        app = getattr(self.env, "_app", None) or self.app
        builder = app.builder
        para = nodes.paragraph(classes=["dlglossary-backlinks", "no-search"])
        para += [nodes.strong("", "Used on:"), nodes.Text(" ")]
        first = True
        for docname, group in groupby(uses, key=lambda u: u.docname):
            group_uses = list(group)
            title_node = self.env.titles.get(docname)
            title = title_node.astext() if title_node else docname
            try:
                link = refnode(builder, here, docname,
                               use_anchor(builder, docname, group_uses[0].node_id),
                               nodes.Text(title))
            except NoUri:
                continue
            para += nodes.Text("" if first else ", ")
            first = False
            para += link
            # One URI per page: the other references differ only in their anchor.
            base = link.get("refuri", "").rpartition("#")[0]
            for number, use in enumerate(group_uses[1:], start=2):
                anchor = use_anchor(builder, docname, use.node_id)
                more = nodes.reference("", str(number), internal=True)
                if "refuri" in link:
                    more["refuri"] = f"{base}#{anchor}"
                else:
                    more["refid"] = anchor
                para += nodes.Text(" ")
                para += nodes.superscript("", "", more)
        return para


def setup(app: Sphinx) -> None:
    app.add_post_transform(GlossaryPageTransform)
