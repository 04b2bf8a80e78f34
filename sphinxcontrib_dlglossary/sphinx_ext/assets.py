"""Tooltip assets for HTML builders: one CSS, one JS, and the definitions the links need.

The runtime loads the definitions on the first hover or focus of a term link, from the
file its script tag names (``data-terms``): a classic script, not JSON, because browsers
refuse ``fetch()`` on ``file://``. There are at most two such files, written once per build
before any page (so their checksums are known):

* ``_static/dlglossary-terms.js`` holds the terms the site's pages link to, and nothing
  else: with thousands of terms in the project's term files, a page downloads the cards of
  the few hundred the site uses, not of every term;
* ``_static/dlglossary-glossary-terms.js`` holds the terms the glossary pages link to
  (their entries' related terms and the references in their definitions). Only glossary
  pages name it, and only when it holds a term the first file does not.

Rendering thousands of cards is the expensive part: a file is rendered again only when
what goes into it changed (its terms, their text, the builder and its configuration), a
fact remembered next to the environment. The CSS and runtime JS are added only to pages
that hold a term link, or show a glossary. Non-HTML builders get nothing from this module.

Math in a card is MathML by default (``dlglossary_tooltip_math = "mathml"``), converted
and sanitised when the file is written (:mod:`sphinxcontrib_dlglossary.core.mathml`):
browsers render it without a script, so a page does not load the math renderer for its
cards. With ``"renderer"`` a card holds TeX for the page's math renderer, which is then
loaded on every page that links a term with math.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.util import logging

from sphinxcontrib_dlglossary.core import mathml
from sphinxcontrib_dlglossary.core.rolesyntax import MYST_ROLE_RE, parse_role_body
from sphinxcontrib_dlglossary.sphinx_ext import definitions, internals, labels, links, written
from sphinxcontrib_dlglossary.sphinx_ext.definitions import TERM_REF_CLASS
from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder

    from sphinxcontrib_dlglossary.core.model import Term, TermSet
    from sphinxcontrib_dlglossary.sphinx_ext.domain import DLGlossaryDomain

__all__ = ["GLOSSARY_TERMS_FILE", "STATIC_DIR", "TERMS_FILE", "glossary_links",
           "linked_keys", "setup", "terms_script"]

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent.parent / "static"
#: The definitions the site's pages link to.
TERMS_FILE = "dlglossary-terms.js"
#: The definitions the glossary pages link to (when the first file lacks some).
GLOSSARY_TERMS_FILE = "dlglossary-glossary-terms.js"


def _is_html(builder: Builder) -> bool:
    return builder.format == "html" and hasattr(builder, "render_partial")


def _builder_inited(app: Sphinx) -> None:
    if not _is_html(app.builder) or not app.config.dlglossary_tooltips:
        return
    static = str(STATIC_DIR)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


# -- which terms ---------------------------------------------------------------------------


def glossary_links(termset: TermSet, key: str) -> set[str]:
    """The keys an entry of *key* on a glossary page links to: its related terms and the
    ``{dlterm}`` references in its definition (read from the text, as ``validate`` does)."""
    term = termset.terms.get(key)
    if term is None:
        return set()
    found = {k for k in term.related if k in termset.terms}
    for match in MYST_ROLE_RE.finditer(term.definition):
        body = parse_role_body(match.group("body"))
        target = None if body.suppressed else termset.lookup(body.target)
        if target is not None:
            found.add(target.key)
    return found


def linked_keys(domain: DLGlossaryDomain, docname: str) -> set[str]:
    """The terms page *docname* links to: its references (but those in an ``only`` this
    builder leaves out), and what its glossaries link to."""
    keys = {use.key for use in domain.uses.get(docname, ()) if domain.written(use)}
    for shown in domain.shown.get(docname, ()):
        for key in shown:
            keys |= glossary_links(domain.termset, key)
    return keys


@dataclass
class _TermFiles:
    """This build's terms files: checksums for ``?v=``, and which pages name which."""

    #: file name -> checksum of its content.
    checksums: dict[str, str] = field(default_factory=dict)
    #: Glossary page -> the keys it links to (computed once per build).
    glossary_keys: dict[str, set[str]] = field(default_factory=dict)

    def file_for(self, docname: str) -> str:
        if docname in self.glossary_keys and GLOSSARY_TERMS_FILE in self.checksums:
            return GLOSSARY_TERMS_FILE
        return TERMS_FILE


#: Per builder: the terms files of the current build.
_FILES: WeakKeyDictionary[Builder, _TermFiles] = WeakKeyDictionary()


# -- rendering -----------------------------------------------------------------------------


def _mathml(builder: Any) -> bool:
    """Whether cards hold math as MathML (``dlglossary_tooltip_math``), not TeX."""
    return getattr(builder.config, "dlglossary_tooltip_math", "mathml") == "mathml"


def _math_as_mathml(body: list[nodes.Node]) -> None:
    """Replace the math in *body* by MathML (:mod:`~sphinxcontrib_dlglossary.core.mathml`),
    or, where it cannot be converted, by its TeX as code (what the runtime shows when a page
    has no math renderer): either way, no math is left for a renderer to typeset."""
    def converted(node: nodes.Node) -> nodes.raw:
        tex, block = node.astext(), isinstance(node, nodes.math_block)
        markup = mathml.to_mathml(tex, block)
        if markup is None:
            kind = "dlg-tex dlg-block" if block else "dlg-tex"
            markup = f'<code class="{kind}">{html.escape(tex.strip())}</code>'
        return nodes.raw("", markup, format="html")

    def is_math(node: nodes.Node) -> bool:
        return isinstance(node, (nodes.math, nodes.math_block))

    for i, root in enumerate(body):
        if is_math(root):  # a top-level formula has no parent to replace it in
            body[i] = converted(root)
        elif isinstance(root, nodes.Element):
            for node in list(root.findall(is_math, include_self=False)):
                node.replace_self(converted(node))


def _card_nodes(term: Term, as_mathml: bool = False) -> list[nodes.Node]:
    """The nodes of a term's card: its tooltip text, term references left as text, math
    as MathML if *as_mathml*."""
    body = definitions.parse(term.tooltip)
    for ref in definitions.term_refs(body):
        ref.replace_self(nodes.inline(ref.astext(), ref.astext(), classes=[TERM_REF_CLASS]))
    if as_mathml:
        _math_as_mathml(body)
    return body


def tooltip_html(builder: Any, term: Term) -> str:
    """The term's tooltip text as HTML, rendered by the builder's own writer.

    Term references inside stay as ``<span class="dlterm-ref">``: a card holds no links
    but the "more" link to the entry. Math is MathML (``dlglossary_tooltip_math =
    "mathml"``), or written for the page's math renderer (``"renderer"``).
    """
    body = _card_nodes(term, _mathml(builder))
    try:
        with internals.images_from_site_root(builder):
            return "".join(builder.render_partial(node)["fragment"] for node in body).strip()
    except Exception as exc:  # a renderer failing must not lose the card: show the text
        logger.debug("dlglossary: tooltip of %r rendered as text: %s", term.key, exc)
        return f"<p>{html.escape(term.tooltip)}</p>"


#: Written between two cards rendered together. Text from term data is escaped on the way
#: out ("<" becomes "&lt;"), so no card holds it; if one did, the split would not add up
#: and the cards would be rendered one by one.
_CARD_BREAK = "<!--dlglossary-card-->"
#: Cards rendered in one pass of the writer: each pass costs a document, the writer's
#: transforms and a translator, more than a short card itself.
_BATCH = 250


def tooltips_html(builder: Any, terms: list[Term]) -> list[str]:
    """:func:`tooltip_html` of each of *terms*, rendered a batch at a time.

    The cards of a batch are the top-level nodes of one container, a raw break between
    two (and at both ends, so no paragraph is ever the container's only child, which the
    writer would leave without ``<p>``); the fragment is split at the breaks.
    """
    out: list[str] = []
    for start in range(0, len(terms), _BATCH):
        batch = terms[start:start + _BATCH]
        box = nodes.container()
        box += nodes.raw("", _CARD_BREAK, format="html")
        as_mathml = _mathml(builder)
        for term in batch:
            box.extend(_card_nodes(term, as_mathml))
            box += nodes.raw("", _CARD_BREAK, format="html")
        try:
            with internals.images_from_site_root(builder):
                fragment = builder.render_partial(box)["fragment"]
            parts = fragment.split(_CARD_BREAK)[1:-1]
        except Exception as exc:  # one card failing: render them one by one
            logger.debug("dlglossary: cards rendered one by one: %s", exc)
            parts = []
        if len(parts) == len(batch):
            out += [part.strip() for part in parts]
        else:
            out += [tooltip_html(builder, term) for term in batch]
    return out


def terms_script(builder: Builder, termset: TermSet, keys: Iterable[str],
                 rendered: dict[str, str] | None = None) -> str:
    """The content of a terms file: the title and tooltip of each of *keys*.

    :param rendered: tooltip text -> HTML already rendered in this build (updated).
    """
    rendered = {} if rendered is None else rendered
    chosen = [t for k in sorted(set(keys)) if (t := termset.terms.get(k)) is not None]
    todo = list({t.tooltip: t for t in chosen if t.tooltip not in rendered}.values())
    rendered.update(zip([t.tooltip for t in todo], tooltips_html(builder, todo), strict=True))
    payload = {t.key: {"t": t.title, "h": rendered[t.tooltip]} for t in chosen}
    # "</" and "<!--" never appear literally, so the data can't end the script early.
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = data.replace("</", "<\\/").replace("<!--", "<\\!--")
    return f"window.dlglossaryTerms={data};\n"


def _fingerprint(builder: Builder, termset: TermSet, keys: Iterable[str]) -> str:
    """What a terms file is rendered from: its terms' text, the builder, its settings."""
    from sphinxcontrib_dlglossary import __version__

    inputs: list[object] = [__version__, builder.name, internals.html_render_settings(builder)]
    if _mathml(builder):
        inputs.append(f"mathml {mathml.converter_version()}")
    inputs += [(k, t.title, t.tooltip) for k in sorted(keys) if (t := termset.terms.get(k))]
    return written.fingerprint(inputs)


def _write_terms_file(builder: Builder, state: written.WrittenFiles, name: str,
                      termset: TermSet, keys: set[str], rendered: dict[str, str]) -> str:
    """Write one terms file unless it is up to date; its checksum."""
    target = Path(builder.outdir, "_static", name)
    fingerprint = _fingerprint(builder, termset, keys)
    checksum = state.up_to_date(target, fingerprint)
    if checksum is not None:
        return checksum
    return state.write(target, fingerprint, terms_script(builder, termset, keys, rendered))


def _write_started(app: Sphinx, builder: Builder) -> None:
    if not _is_html(builder) or not app.config.dlglossary_tooltips:
        return
    domain = get_domain(builder.env)
    files = _FILES[builder] = _TermFiles()
    glossary_pages = set(domain.shown) & set(builder.env.all_docs)
    files.glossary_keys = {d: linked_keys(domain, d) for d in sorted(glossary_pages)}
    site = {use.key for docname, uses in domain.uses.items() if docname not in glossary_pages
            for use in uses if domain.written(use)}
    extra = set().union(*files.glossary_keys.values())
    if links.assembles_pages(builder):  # singlehtml: one page holds every link
        site |= extra
        extra = set()
    state = written.WrittenFiles(builder)
    rendered: dict[str, str] = {}  # both files render a shared term once
    files.checksums[TERMS_FILE] = _write_terms_file(builder, state, TERMS_FILE,
                                                    domain.termset, site, rendered)
    if not extra <= site:
        files.checksums[GLOSSARY_TERMS_FILE] = _write_terms_file(
            builder, state, GLOSSARY_TERMS_FILE, domain.termset, extra, rendered)
    state.save()


# -- pages ---------------------------------------------------------------------------------


def _page_keys(app: Sphinx, domain: DLGlossaryDomain, files: _TermFiles, pagename: str,
               doctree: nodes.document) -> set[str]:
    """The terms a page links to: from the domain's records (no walk over the page),
    except on singlehtml, where one page holds every document."""
    if links.assembles_pages(app.builder):
        found = [n for n in doctree.findall(nodes.reference) if "dlterm" in n["classes"]]
        return {(n.get("refuri") or "#" + n.get("refid", "")).rpartition("#")[2]
                for n in found}
    return files.glossary_keys.get(pagename) or linked_keys(domain, pagename)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: nodes.document | None) -> None:
    """Add the tooltip runtime to pages that hold a term link or show a glossary, and the
    math renderer to pages whose entries hold math, or whose tooltips hold math for it
    (``dlglossary_tooltip_math = "renderer"``; MathML needs no renderer)."""
    if doctree is None or not _is_html(app.builder):
        return
    domain = get_domain(app.env)
    terms = domain.termset.terms
    shown = domain.shown.get(pagename, ())
    # A glossary page's entries were put in after the page was read.
    if any("$" in terms[k].definition for keys in shown for k in keys if k in terms):
        internals.page_needs_math(app.env, pagename, context)
    if not app.config.dlglossary_tooltips:
        return
    if app.builder not in _FILES:  # singlehtml before Sphinx 8.1 emits no write-started
        _write_started(app, app.builder)
    files = _FILES[app.builder]
    keys = _page_keys(app, domain, files, pagename, doctree)
    if not keys and not any(shown):
        return
    name = files.file_for(pagename)
    terms_url = context["pathto"](f"_static/{name}", 1) + f"?v={files.checksums[name]}"
    # The minified copies of static/dlglossary.{css,js} (tools/minify.py writes them).
    app.add_css_file("dlglossary.min.css")
    attributes = {"data-terms": terms_url,
                  "data-delay": str(app.config.dlglossary_tooltip_delay)}
    if labels.more() != "more":  # the script's own word
        attributes["data-more"] = labels.more()
    app.add_js_file("dlglossary.min.js", loading_method="defer", **attributes)
    # A card with TeX needs the page's math renderer even if the page has no math itself.
    if not _mathml(app.builder) and any("$" in terms[k].tooltip for k in keys if k in terms):
        internals.page_needs_math(app.env, pagename, context)


def _page_context_read(app: Sphinx, pagename: str, templatename: str,
                       context: dict[str, Any], doctree: Any) -> None:
    """After sphinx.ext.mathjax has decided: the math flag of this page is not left for
    the pages written after it (Sphinx < 8.2)."""
    internals.page_math_read(app.env, pagename)


def _build_finished(app: Sphinx, exception: BaseException | None) -> None:
    _FILES.pop(app.builder, None)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
    app.connect("write-started", _write_started)
    # Before sphinx.ext.mathjax's handler (500), which reads has_maths_elements.
    app.connect("html-page-context", _page_context, priority=400)
    app.connect("html-page-context", _page_context_read, priority=600)
    app.connect("build-finished", _build_finished)
