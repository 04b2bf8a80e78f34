"""Links and URLs: the one module that knows how builders address pages and anchors.

Everything that writes a link (term references, backlinks, the glossary page's own
links, tooltip assets, ``dlglossary.json``) asks here, so the special cases live once:

* singlehtml puts every page into one: a link to another page is its anchor alone, and
  reference ids are prefixed with their page's name to stay unique (:func:`use_anchor`);
* builders that assemble every page into one doctree (singlehtml, LaTeX, texinfo, man)
  need the glossary placeholder looked for in every tree (:func:`assembles_pages`);
* ``builder.get_relative_uri`` is computed once per pair of pages and build: every
  reference on a page points at the same glossary page, each backlink on the glossary
  page at one of a few pages.

A transform is not handed the builder; :func:`note_builder` (on ``write-started``)
remembers which builder writes an environment, so transforms ask :func:`builder_of`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.errors import NoUri

from sphinxcontrib_dlglossary.sphinx_ext import internals

if TYPE_CHECKING:
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

__all__ = [
    "assembles_pages",
    "builder_of",
    "has_uri",
    "href",
    "note_builder",
    "refnode",
    "relative_uri",
    "use_anchor",
]

#: The builder writing each environment (set on write-started).
_WRITING: WeakKeyDictionary[BuildEnvironment, Builder] = WeakKeyDictionary()
#: Per builder: (fromdocname, todocname) -> relative URI, for the current build.
_URIS: WeakKeyDictionary[Builder, dict[tuple[str, str], str]] = WeakKeyDictionary()


def note_builder(builder: Builder) -> None:
    """A build starts writing: remember its builder; forget URIs of an earlier build."""
    _WRITING[builder.env] = builder
    _URIS[builder] = {}


def builder_of(env: BuildEnvironment) -> Builder | None:
    """The builder writing *env*, or None outside the write phase."""
    builder = _WRITING.get(env)
    if builder is None:
        builder = internals.builder_without_write_started(env)
        if builder is not None:
            note_builder(builder)
    return builder


def assembles_pages(builder: Builder) -> bool:
    """Whether the builder writes one tree of all pages (not one output per page)."""
    return builder.format != "html" or builder.name == "singlehtml"


def relative_uri(builder: Builder, fromdocname: str, todocname: str) -> str:
    """``builder.get_relative_uri``, computed once per pair of pages in a build."""
    cache = _URIS.setdefault(builder, {})
    uri = cache.get((fromdocname, todocname))
    if uri is None:
        uri = cache[fromdocname, todocname] = builder.get_relative_uri(fromdocname, todocname)
    return uri


def has_uri(builder: Builder | None, fromdocname: str, todocname: str) -> bool:
    """Whether the builder links *todocname* from *fromdocname* (True if no builder is
    known: the reference then resolves, or falls back to its text, at write time)."""
    if builder is None:
        return True
    try:
        relative_uri(builder, fromdocname, todocname)
    except NoUri:
        return False
    return True


def href(builder: Builder, fromdocname: str, todocname: str, anchor: str) -> str:
    """The URI of *anchor* on *todocname* from *fromdocname*: the anchor alone on the same
    page, and for singlehtml (where every page is one).

    :raises NoUri: when the builder has no URI for *todocname*.
    """
    if fromdocname == todocname:
        return "#" + anchor
    uri = relative_uri(builder, fromdocname, todocname) + "#" + anchor
    if uri.count("#") > 1:
        uri = uri[uri.index("#", uri.index("#") + 1):]
    return uri


def refnode(builder: Builder, fromdocname: str, todocname: str, anchor: str,
            child: nodes.Node) -> nodes.reference:
    """A link to *anchor* on *todocname* (:func:`href`).

    :raises NoUri: when the builder has no URI for *todocname*.
    """
    ref = nodes.reference("", "", internal=True)
    uri = href(builder, fromdocname, todocname, anchor)
    if uri.startswith("#"):
        ref["refid"] = uri[1:]
    else:
        ref["refuri"] = uri
    ref += child
    return ref


def use_anchor(builder: Builder, docname: str, node_id: str) -> str:
    """The HTML id of a reference: its node id, made unique per site where pages merge.

    Reference ids are numbered per page (``dlterm-3``); singlehtml puts every page into
    one, so there the page name goes in front.
    """
    if builder.name == "singlehtml":
        return f"{docname.replace('/', '-')}-{node_id}"
    return node_id
