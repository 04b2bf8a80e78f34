"""Definitions are data: parse their MyST into docutils nodes, whatever the host page's parser.

A definition is parsed with MyST (``dollarmath`` on) into a document of its own, with the
Markdown-it HTML rules switched off: ``<b>`` in a term file stays the text ``<b>``, so no
raw HTML from any term file reaches a page. Before a node is made, the tokens are checked
with :func:`~sphinxcontrib_dlglossary.core.safemarkup.check_tokens`, the check
``dlglossary validate`` runs: a text that holds anything outside the safe subset (a
directive, another role, an image, a ``javascript:`` link, ``\\href`` in math …) is not
rendered at all but shown as its literal text in a code block (loading the term set
already reported it as an error naming the term and the field). File insertion and raw
output are switched off in the docutils settings as well, a second wall.

A ``{dlterm}`` role inside is read here, not through docutils' global role registry: it
becomes an ``inline.dlterm-ref`` node that
carries its target (:data:`TERM_REF_CLASS`), and callers turn it into a link (the glossary
page) or leave it as text (tooltips). So parsing works the same inside and outside a
build. Each text is parsed once per process, and in a build once per change of the text:
the parsed nodes are kept in the doctree folder (:func:`setup`), as Sphinx keeps the pages'
doctrees, so that rewriting the glossary page after an edit does not parse every
definition again.
"""

from __future__ import annotations

import functools
import pickle
from os import path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from sphinxcontrib_dlglossary.core.rolesyntax import ROLE_NAME, parse_role_body
from sphinxcontrib_dlglossary.core.safemarkup import allow_every_link, check_tokens

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["TERM_REF_CLASS", "literal_text", "parse", "setup", "term_refs"]

#: Class of a term reference inside a parsed definition; its target is ``dlterm_target``.
TERM_REF_CLASS = "dlterm-ref"


@functools.cache
def _renderer_class() -> type:
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer

    class DefinitionRenderer(DocutilsRenderer):
        """MyST's renderer, with the ``dlterm`` role answered here, set up once per process."""

        _set_up = False

        def setup_render(self, options: dict[str, Any], env: Any) -> None:
            # MyST's own setup makes a throwaway document with fresh docutils settings each
            # time (the default of options.get("document", ...)), about 1 ms: more than half of
            # a definition's parse, 5 s at 5,000 terms. The first call runs it, so every
            # attribute exists; later calls renew only what belongs to one document.
            if not self._set_up:
                super().setup_render(options, env)
                self._set_up = True
                return
            self.md_env = env
            self.md_options = options
            self.document = self.current_node = options["document"]
            self.reporter = self.document.reporter
            self._heading_offset = 0
            self._level_to_section = {0: self.document}
            self._heading_slugs = {}

        def render_myst_role(self, token: Any) -> None:
            if token.meta.get("name") != ROLE_NAME:
                super().render_myst_role(token)
                return
            body = parse_role_body(token.content)
            node = nodes.inline(f"{{{ROLE_NAME}}}`{token.content}`", body.text)
            if not body.suppressed:
                node["classes"] = [TERM_REF_CLASS]
                node["dlterm_target"] = body.target
            self.current_node += node

    return DefinitionRenderer


@functools.lru_cache(maxsize=1)
def _parser() -> Any:
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    md = create_md_parser(MdParserConfig(enable_extensions={"dollarmath"}), _renderer_class())
    # wordcount counts a page's words for its metadata: nothing a definition needs, and a
    # tenth of its parse.
    md.disable(["html_inline", "html_block", "wordcount"], ignoreInvalid=True)
    md.validateLink = allow_every_link  # type: ignore[method-assign]  # judged by check_tokens
    return md


@functools.lru_cache(maxsize=1)
def _settings() -> Any:
    """Docutils settings for a definition (made once: building them is the slow part)."""
    from myst_parser.mdit_to_docutils.base import make_document
    from myst_parser.parsers.docutils_ import Parser

    settings = make_document("<dlglossary definition>", parser_cls=Parser).settings
    settings.report_level = 5  # problems were reported when the data was checked
    settings.halt_level = 5
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    return settings


def _parse(text: str) -> nodes.document:
    from docutils.utils import new_document

    document = new_document("<dlglossary definition>", _settings())
    md = _parser()
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    if check_tokens(tokens):
        document += literal_text(text)
        return document
    md.options["document"] = document
    md.renderer.render(tokens, md.options, env)
    for node in list(document.findall(_tidied)):  # one walk
        if isinstance(node, nodes.system_message):
            node.parent.remove(node)
        elif isinstance(node, nodes.raw):  # never, with the HTML rules off
            node.replace_self(nodes.Text(node.astext()))
        else:
            node["number"] = None
            node["nowrap"] = False
            node["label"] = None
    return document


def _tidied(node: nodes.Node) -> bool:
    """The nodes :func:`_parse` changes: warnings, raw output, numbered display math."""
    return isinstance(node, (nodes.system_message, nodes.raw, nodes.math_block))


def literal_text(text: str) -> nodes.literal_block:
    """*text* as it is written, in a code block: no markup, and no math renderer reads it."""
    return nodes.literal_block(text, text, language="text")


#: Each text parsed, as its body nodes (detached from their document: they pickle alone).
#: One entry per text: a bounded cache thrashed at 5,000 terms.
_PARSED: dict[str, list[nodes.Node]] = {}
#: The file that keeps parses between builds (set for each build), the texts it holds
#: (None: not read yet) and the texts parsed or taken from :data:`_PARSED` in this build.
_STORE: dict[str, Any] = {"file": None, "held": None, "used": set()}
STORE_NAME = "dlglossary-definitions.pickle"


def parse(text: str) -> list[nodes.Node]:
    """The body nodes of a MyST text (a fresh copy each call: callers may change them)."""
    body = _PARSED.get(text)
    if body is None:
        _load_store()
        body = _PARSED.get(text)
    if body is None:
        # Node.deepcopy copies the node and its children, without its parent: copy.deepcopy
        # would follow .parent and copy the whole document.
        body = _PARSED[text] = [child.deepcopy() for child in _parse(text).children]
        for root in body:  # nor the document: the page's, through the parent, once inserted
            for node in root.findall():
                node._document = None
    _STORE["used"].add(text)
    return [child.deepcopy() for child in body]


def _store_key() -> tuple[str, ...]:
    """Changes with the nodes a text gives: our parse rules, docutils, MyST."""
    import docutils
    import myst_parser

    from sphinxcontrib_dlglossary import __version__

    return ("dlglossary definitions 1", __version__, docutils.__version__,
            myst_parser.__version__)


def _load_store() -> None:
    """Read the kept parses once per build (a missing, old or unreadable file is no
    error: the texts are parsed again)."""
    if _STORE["held"] is not None or _STORE["file"] is None:
        return
    _STORE["held"] = set()
    try:
        with open(_STORE["file"], "rb") as f:
            key, parsed = pickle.load(f)
    except Exception:  # a cache: anything wrong with it means parse again
        return
    if key == _store_key() and isinstance(parsed, dict):
        _STORE["held"] = set(parsed)
        for text, body in parsed.items():
            _PARSED.setdefault(text, body)


def _use_store(app: Sphinx) -> None:
    _STORE.update(file=path.join(str(app.doctreedir), STORE_NAME), held=None, used=set())


def _save_store(app: Sphinx, exception: BaseException | None) -> None:
    """Keep the parses of the current term set's texts, if this build used one that the
    file does not hold."""
    used = _STORE["used"]
    if not used or _STORE["file"] is None or exception is not None:
        return
    _load_store()
    if used <= _STORE["held"]:
        return
    from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain

    terms = get_domain(app.env).termset.terms.values()
    texts = {text for t in terms for text in (t.summary, t.definition, t.tooltip)}
    kept = {text: body for text, body in _PARSED.items() if text in texts}
    try:
        with open(_STORE["file"], "wb") as f:
            pickle.dump((_store_key(), kept), f, pickle.HIGHEST_PROTOCOL)
    except (OSError, pickle.PicklingError):  # the next build parses again
        return
    _STORE["held"] = set(kept)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _use_store)
    app.connect("build-finished", _save_store)


def term_refs(tree: list[nodes.Node]) -> list[nodes.inline]:
    """The term references in parsed nodes."""
    return [
        node for root in tree if isinstance(root, nodes.Element)
        for node in root.findall(nodes.inline) if TERM_REF_CLASS in node["classes"]
    ]
