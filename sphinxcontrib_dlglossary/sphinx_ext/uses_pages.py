"""Where a term is used: the uses of each term in reading order, and the pages that list
every use of a much-used term.

A glossary entry shows the first :data:`SHOWN_PAGES` pages that use its term and puts the
rest behind a disclosure. On a large site the disclosures would be most of the glossary
page (1.3 of its 1.85 MB at 1,000 pages), so where the builder writes one file per page
(``html``, ``dirhtml``, the serialising builders) a disclosure holds :data:`MORE_PAGES`
pages at most and ends with a link to ``dlglossary-uses/<key>``: a page, in the site's
theme, that lists every page using the term, each with the section of its first use and
the number of uses. Every use stays reachable from the entry; the glossary's size grows
with the number of terms, not with the site. Builders that write one document (singlehtml,
epub, LaTeX, text, man) list every page in the entry.

A page is written when its output is missing, when Sphinx writes every page (a new theme,
template or setting), and when its text changed: a digest of each page's text is kept in
the doctree folder. Only builds that write the glossary page can change it (the glossary
is written again whenever uses, titles or terms change), so the others skip the check.
An edit that moves one reference writes the pages of the terms it touched, not all.
"""

from __future__ import annotations

import hashlib
import json
from functools import partial
from html import escape
from os import path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinxcontrib_dlglossary.sphinx_ext import labels, links
from sphinxcontrib_dlglossary.sphinx_ext.derive import in_reading_order
from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_dlglossary.sphinx_ext.domain import DLGlossaryDomain, TermUse

__all__ = ["LIST_ID", "MORE_PAGES", "SHOWN_PAGES", "PageUses", "note_written", "pagename",
           "pages_using", "setup", "splits", "title_texts", "where_note"]

#: Pages a term's backlinks show before the rest go behind "and N more pages".
SHOWN_PAGES = 5
#: Pages the disclosure holds at most where the builder writes pages of all uses; the
#: disclosure then ends with a link to the term's page.
MORE_PAGES = 10
#: The folder of the pages of all uses (a page name no project is likely to have).
FOLDER = "dlglossary-uses"
#: The id of the list on a page of all uses (the glossary links to it).
LIST_ID = "dlglossary-uses"


#: Per environment, the pages written in the current build ("resolved") and the glossary
#: pages among them ("glossary").
_WRITTEN: WeakKeyDictionary[BuildEnvironment, dict[str, set[str]]] = WeakKeyDictionary()
#: The file in the doctree folder with the digest of each page of all uses written.
DIGESTS = "dlglossary-uses.json"


def note_written(env: BuildEnvironment, docname: str, *, glossary: bool = False) -> None:
    """*docname* is written in this build (its post-transforms ran); a glossary page if
    *glossary* (written, or its backlinks replaced: :mod:`.incremental`)."""
    written = _WRITTEN.setdefault(env, {"resolved": set(), "glossary": set()})
    written["glossary" if glossary else "resolved"].add(docname)


#: Each page that uses a term once, with its uses of the term in document order.
PageUses = tuple[str, list["TermUse"]]


def pages_using(domain: DLGlossaryDomain, page: str,
                linked: Callable[[str], bool] | None = None) -> dict[str, list[PageUses]]:
    """Per term, the pages that use it in reading order, each with its uses in document
    order: not *page* itself, not pages *linked* says no link can reach, and not uses
    inside ``only`` directives the builder leaves out."""
    out: dict[str, list[PageUses]] = {}
    left_out = domain.data.setdefault("left_out", set())
    for docname in in_reading_order(domain.uses, domain.order):
        if docname == page or (linked is not None and not linked(docname)):
            continue
        for use in domain.uses[docname]:
            if left_out and (docname, use.node_id) in left_out:
                continue
            grouped = out.setdefault(use.key, [])
            if grouped and grouped[-1][0] == docname:
                grouped[-1][1].append(use)
            else:
                grouped.append((docname, [use]))
    return out


def title_texts(titles: Mapping[str, nodes.Node]) -> Callable[[str], str]:
    """A page's title as text (its docname if it has none), made once per page: a list
    of every term's uses names the same pages thousands of times."""
    found: dict[str, str] = {}

    def title_of(docname: str) -> str:
        text = found.get(docname)
        if text is None:
            node = titles.get(docname)
            text = found[docname] = node.astext() if node else docname
        return text

    return title_of


def where_note(page_uses: Sequence[TermUse]) -> str:
    """" (Section; 3 uses)": where a page first uses a term and how often, or nothing."""
    first = page_uses[0]
    where = [first.section] if first.section else []
    if len(page_uses) > 1:
        where.append(labels.uses(len(page_uses)))
    return f" ({'; '.join(where)})" if where else ""


def splits(builder: Builder) -> bool:
    """Whether *builder* writes the pages of all uses: HTML, one file per page."""
    return (builder.format == "html" and builder.name != "singlehtml"
            and not builder.name.startswith("epub"))


def pagename(key: str) -> str:
    """The page listing every use of *key* (keys are lower-case ASCII words and hyphens)."""
    return f"{FOLDER}/{key}"


def _collect(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: a page for each term whose entry shows backlinks and that
    more pages use than its disclosure holds."""
    builder = app.builder
    if not splits(builder):
        return
    domain = get_domain(app.env)
    written = _WRITTEN.get(app.env, {"resolved": set(), "glossary": set()})
    everything = not set(app.env.all_docs) - written["resolved"]
    store = path.join(str(app.doctreedir), DIGESTS)
    try:
        with open(store, encoding="utf-8") as f:
            old = json.load(f)
    except (OSError, ValueError):
        old = {}
    digests = {} if not isinstance(old, dict) else old
    title_of = title_texts(app.env.titles)
    for docname in sorted(domain.pages):
        specs = [s for s in domain.pages[docname] if s.backlinks]
        if not specs:
            continue
        fresh = docname in written["glossary"]
        uses = pages_using(domain, docname, partial(links.has_uri, builder, docname))
        shown = domain.shown.get(docname, [])
        for spec in specs:
            keys = shown[spec.position] if spec.position < len(shown) else []
            for key in keys:
                term = domain.termset.terms.get(key)
                if term is None or domain.target_of(key) != (docname, key):
                    continue
                grouped = uses.get(key, [])
                name = pagename(key)
                if len(grouped) <= SHOWN_PAGES + MORE_PAGES or (
                        not fresh and _exists(builder, name)):
                    continue
                # What the page's text is made of (its URIs follow from the builder and the
                # page names): cheaper to compare than the text itself.
                made_of = repr((builder.name, docname, term.title, [
                    (d, u[0].node_id, u[0].section, len(u), title_of(d))
                    for d, u in grouped]))
                digest = hashlib.sha256(made_of.encode()).hexdigest()
                if everything or digests.get(name) != digest or not _exists(builder, name):
                    digests[name] = digest
                    yield _page(builder, domain, docname, key, term.title, grouped)
    try:
        with open(store, "w", encoding="utf-8") as f:
            json.dump(digests, f, sort_keys=True)
    except OSError:  # the pages are written; the next build writes them again
        pass


def _exists(builder: Builder, name: str) -> bool:
    outfile = getattr(builder, "get_outfilename", None)
    return outfile is not None and path.exists(outfile(name))


def _page(builder: Builder, domain: DLGlossaryDomain, glossary: str, key: str, title: str,
          grouped: Sequence[tuple[str, list[TermUse]]]) -> tuple[str, dict[str, Any], str]:
    """The page of all uses of *key*: a heading, a link back to the entry, the list."""
    here = pagename(key)
    titles = builder.env.titles
    items = []
    for docname, page_uses in grouped:
        first = page_uses[0]
        uri = links.relative_uri(builder, here, docname) + "#" + links.use_anchor(
            builder, docname, first.node_id)
        node = titles.get(docname)
        text = node.astext() if node else docname
        where = where_note(page_uses)
        note = f' <span class="dlglossary-where">{escape(where.strip())}</span>' if where else ""
        items.append(f'<li><a class="reference internal" href="{escape(uri)}">'
                     f"{escape(text)}</a>{note}</li>")
    entry = links.relative_uri(builder, here, glossary) + "#" + key
    count = len(grouped)
    link = f'<a class="reference internal" href="{escape(entry)}">{escape(title)}</a>'
    # The translated sentence is text; only the link in it is markup.
    intro = escape(labels.uses_intro(count, "\x00")).replace("\x00", link)
    body = (
        f'<section id="{FOLDER}-{key}">\n<h1>{escape(labels.uses_title(title))}</h1>\n'
        f"<p>{intro}</p>\n"
        f'<ol id="{LIST_ID}" class="dlglossary-uses-list">\n' + "\n".join(items)
        + "\n</ol>\n</section>\n")
    context = {"title": labels.uses_title(title), "body": body, "parents": [],
               "display_toc": False, "toc": ""}
    return here, context, "page.html"


def _build_finished(app: Sphinx, exception: BaseException | None) -> None:
    _WRITTEN.pop(app.env, None)


def setup(app: Sphinx) -> None:
    app.connect("html-collect-pages", _collect)
    app.connect("build-finished", _build_finished)
