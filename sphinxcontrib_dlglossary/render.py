"""Definitions are data: parse their MyST into docutils nodes, whatever the host page's parser.

Definitions are parsed with MyST (``dollarmath`` on) into a document of their own, with the
Markdown-it HTML rules switched off: ``<b>`` in a term file stays the text ``<b>``, so no
raw HTML from any term file reaches a page. Term references inside a definition come back
as ``inline.dlterm-ref`` nodes carrying their target; callers turn them into links (the
glossary page) or leave them as text (tooltips). Each text is parsed once per process.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from docutils import nodes

from sphinxcontrib_dlglossary.roles import TERM_REF_CLASS

__all__ = ["parse", "term_refs"]


@functools.lru_cache(maxsize=1)
def _parser():
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from myst_parser.parsers.mdit import create_md_parser

    md = create_md_parser(MdParserConfig(enable_extensions={"dollarmath"}), DocutilsRenderer)
    md.disable(["html_inline", "html_block"], ignoreInvalid=True)
    return md


@functools.lru_cache(maxsize=1)
def _settings() -> Any:
    """Docutils settings for a definition (made once: building them is the slow part)."""
    from myst_parser.mdit_to_docutils.base import make_document
    from myst_parser.parsers.docutils_ import Parser

    settings = make_document("<dlglossary definition>", parser_cls=Parser).settings
    settings.report_level = 5  # problems were reported when the data was checked
    settings.halt_level = 5
    return settings


@functools.lru_cache(maxsize=1024)
def _parse(text: str) -> nodes.document:
    from docutils.utils import new_document

    document = new_document("<dlglossary definition>", _settings())
    md = _parser()
    md.options["document"] = document
    md.render(text)
    for node in list(document.findall(nodes.system_message)):
        node.parent.remove(node)
    for node in list(document.findall(nodes.raw)):  # never, with the HTML rules off
        node.replace_self(nodes.Text(node.astext()))
    for node in document.findall(nodes.math_block):
        node["number"] = None
        node["nowrap"] = False
        node["label"] = None
    return document


def parse(text: str) -> list[nodes.Node]:
    """The body nodes of a MyST text (a fresh copy each call: callers may change them)."""
    return [copy.deepcopy(child) for child in _parse(text).children]


def term_refs(tree: list[nodes.Node]) -> list[nodes.inline]:
    """The term references in parsed nodes."""
    return [
        node for root in tree if isinstance(root, nodes.Element)
        for node in root.findall(nodes.inline) if TERM_REF_CLASS in node["classes"]
    ]
