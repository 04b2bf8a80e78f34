"""``dlglossary.json``: the glossary as data, written next to the glossary page.

For search indexes, other tools, and projects without Sphinx: every term the page shows,
with its title, plain-text summary, the URL of its entry and the pages that use it. URLs
are relative to the site root, or absolute when ``html_baseurl`` is set. The format is
``data/dlglossary-json.schema.json``. Written for HTML builders with pages (html, dirhtml).
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.errors import NoUri

from sphinxcontrib_dlglossary.core.plaintext import summary_line
from sphinxcontrib_dlglossary.sphinx_ext import written
from sphinxcontrib_dlglossary.sphinx_ext.derive import in_reading_order, main_page
from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain
from sphinxcontrib_dlglossary.sphinx_ext.uses_pages import title_texts

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from sphinxcontrib_dlglossary.sphinx_ext.domain import DLGlossaryDomain

__all__ = ["FILENAME", "glossary_data", "setup"]

FILENAME = "dlglossary.json"


def glossary_data(app: Sphinx, domain: DLGlossaryDomain, *, summaries: bool = True
                  ) -> tuple[str, dict[str, Any]] | None:
    """(docname of the main glossary page, the data), or None without a local glossary.

    Without *summaries*, each term's ``summary`` is its tooltip's source text, not yet made
    plain (the slow part): enough to tell whether anything changed.
    """
    if not domain.targets:
        return None
    builder = app.builder
    main = main_page(domain.pages)
    if main is None:  # pragma: no cover - targets come from a page
        return None
    base = app.config.html_baseurl.rstrip("/") + "/" if app.config.html_baseurl else ""
    uses_by_key: dict[str, dict[str, list[str]]] = {}
    for docname in in_reading_order(domain.uses, domain.order):
        for use in domain.uses[docname]:
            uses_by_key.setdefault(use.key, {}).setdefault(docname, []).append(use.node_id)

    page_urls: dict[str, str] = {}

    def url(docname: str, anchor: str) -> str:
        page_url = page_urls.get(docname)
        if page_url is None:
            page_url = page_urls[docname] = base + builder.get_target_uri(docname) + "#"
        return page_url + anchor

    title_of = title_texts(app.env.titles)
    terms = []
    for key, (docname, anchor) in sorted(domain.targets.items()):
        term = domain.termset.terms[key]
        used_by = []
        for page, ids in uses_by_key.get(key, {}).items():
            try:
                page_url = url(page, ids[0])
            except NoUri:
                continue
            used_by.append({"page": page, "title": title_of(page), "url": page_url,
                            "count": len(ids)})
        terms.append({
            "key": key, "title": term.title,
            "summary": summary_line(term.tooltip) if summaries else term.tooltip,
            "url": url(docname, anchor), "aliases": list(term.aliases),
            "tags": list(term.tags), "used_by": used_by,
        })
    data = {"version": 1, "project": app.config.project,
            "term_set_version": domain.termset.version,
            "glossary": base + builder.get_target_uri(main.docname), "terms": terms}
    return main.docname, data


def _build_finished(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.name not in ("html", "dirhtml"):
        return
    domain = get_domain(app.env)
    found = glossary_data(app, domain, summaries=False)
    if found is None:
        return
    main, data = found
    folder = posixpath.dirname(app.builder.get_target_uri(main).rstrip("/"))
    if app.builder.name == "dirhtml" and main != app.config.root_doc:
        folder = app.builder.get_target_uri(main).rstrip("/")
    target = Path(app.builder.outdir, folder, FILENAME)
    from sphinxcontrib_dlglossary import __version__

    state = written.WrittenFiles(app.builder)
    made_from = written.fingerprint([__version__, data])
    if state.up_to_date(target, made_from) is not None:
        return
    for term in data["terms"]:
        term["summary"] = summary_line(term["summary"])
    # Compact: json's C encoder only runs without indent (1.7 s at 1,000 pages with it).
    state.write(target, made_from,
                json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    state.save()


def setup(app: Sphinx) -> None:
    app.connect("build-finished", _build_finished)
