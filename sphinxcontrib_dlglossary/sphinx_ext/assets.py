"""Tooltip assets for HTML builders: one CSS, one JS, and one site-wide file of definitions.

``_static/dlglossary-terms.js`` holds the rendered tooltip of every term the site uses. It
is written once per build, before any page (so its checksum is known), and loaded by the
runtime on the first hover or focus of a term link. A classic script, not JSON: browsers
refuse ``fetch()`` on ``file://``. The CSS and runtime JS are added only to pages that hold
a term link. Non-HTML builders get nothing from this module.
"""

from __future__ import annotations

import hashlib
import html
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.util import logging

from sphinxcontrib_dlglossary.sphinx_ext import definitions, internals, links
from sphinxcontrib_dlglossary.sphinx_ext.definitions import TERM_REF_CLASS
from sphinxcontrib_dlglossary.sphinx_ext.derive import used_keys
from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinxcontrib_dlglossary.core.model import Term
    from sphinxcontrib_dlglossary.sphinx_ext.domain import DLGlossaryDomain

__all__ = ["STATIC_DIR", "TERMS_FILE", "setup"]

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent.parent / "static"
TERMS_FILE = "dlglossary-terms.js"


def _is_html(builder: Builder) -> bool:
    return builder.format == "html" and hasattr(builder, "render_partial")


def _builder_inited(app: Sphinx) -> None:
    if not _is_html(app.builder) or not app.config.dlglossary_tooltips:
        return
    static = str(STATIC_DIR)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def tooltip_html(builder: Any, term: Term) -> str:
    """The term's tooltip text as HTML, rendered by the builder's own writer.

    Term references inside stay as ``<span class="dlterm-ref">``: a card holds no links
    but the "more" link to the entry. Math is written for the page's math renderer.
    """
    body = definitions.parse(term.tooltip)
    for ref in definitions.term_refs(body):
        ref.replace_self(nodes.inline(ref.astext(), ref.astext(), classes=[TERM_REF_CLASS]))
    try:
        with internals.images_from_site_root(builder):
            return "".join(builder.render_partial(node)["fragment"] for node in body).strip()
    except Exception as exc:  # a renderer failing must not lose the card: show the text
        logger.debug("dlglossary: tooltip of %r rendered as text: %s", term.key, exc)
        return f"<p>{html.escape(term.tooltip)}</p>"


def terms_script(builder: Builder, domain: DLGlossaryDomain) -> str:
    """The content of ``dlglossary-terms.js``: the tooltips of every term the site links to.

    That is every referenced term, and every term a glossary page shows (its entries link
    to their related terms).
    """
    payload: dict[str, dict[str, str]] = {}
    for key in sorted(set(used_keys(domain.uses)) | set(domain.targets)):
        term = domain.termset.terms.get(key)
        if term is not None:
            payload[key] = {"t": term.title, "h": tooltip_html(builder, term)}
    # "</" and "<!--" never appear literally, so the data can't end the script early.
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    return f"window.dlglossaryTerms={data};\n"


#: Per builder: the checksum of this build's terms script (for its ``?v=`` in pages).
_CHECKSUMS: WeakKeyDictionary[Builder, str] = WeakKeyDictionary()


def _write_started(app: Sphinx, builder: Builder) -> None:
    if not _is_html(builder) or not app.config.dlglossary_tooltips:
        return
    target = Path(builder.outdir, "_static", TERMS_FILE)
    target.parent.mkdir(parents=True, exist_ok=True)
    text = terms_script(builder, get_domain(builder.env))
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    _CHECKSUMS[builder] = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _page_keys(app: Sphinx, domain: DLGlossaryDomain, pagename: str,
               doctree: nodes.document) -> set[str]:
    """The terms a page links to: from the domain's records (no walk over the page),
    except on singlehtml, where one page holds every document."""
    if links.assembles_pages(app.builder):
        found = [n for n in doctree.findall(nodes.reference) if "dlterm" in n["classes"]]
        return {(n.get("refuri") or "#" + n.get("refid", "")).rpartition("#")[2]
                for n in found}
    keys = {use.key for use in domain.uses.get(pagename, ())}
    for shown in domain.data["shown"].get(pagename, ()):
        keys.update(shown)
    return keys


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: nodes.document | None) -> None:
    """Add the tooltip runtime to pages that hold a term link."""
    if doctree is None or not app.config.dlglossary_tooltips or not _is_html(app.builder):
        return
    domain = get_domain(app.env)
    keys = _page_keys(app, domain, pagename, doctree)
    if not keys:
        return
    checksum = _CHECKSUMS.get(app.builder, "")
    terms_url = context["pathto"](f"_static/{TERMS_FILE}", 1) + f"?v={checksum}"
    # The minified copies of static/dlglossary.{css,js} (tools/minify.py writes them).
    app.add_css_file("dlglossary.min.css")
    app.add_js_file("dlglossary.min.js", loading_method="defer",
                    **{"data-terms": terms_url,
                       "data-delay": str(app.config.dlglossary_tooltip_delay)})
    # A term with math needs the page's math renderer even if the page has no math itself.
    terms = domain.termset.terms
    if any("$" in terms[k].tooltip for k in keys if k in terms):
        context["has_maths_elements"] = True


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
    app.connect("write-started", _write_started)
    # Before sphinx.ext.mathjax's handler (500), which reads has_maths_elements.
    app.connect("html-page-context", _page_context, priority=400)
