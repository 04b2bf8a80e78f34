"""Every use of Sphinx internals, in one place, with the versions each was checked on.

The extension derives index entries, ``std:term`` objects and pages to rewrite *after*
reading (they depend on every page), where Sphinx offers no public API, so it writes a
little of other domains' data and of the environment directly. Each function below says
what it relies on; all were read in and tested against Sphinx 7.4.0, 7.4.7, 8.1.3, 8.2.3
and 9.0.4 (``tox``). When Sphinx changes one of these, only this module changes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import sphinx

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_dlglossary.sphinx_ext.derive import IndexEntry

__all__ = ["builder_without_write_started", "directive_parent", "hide_toc_parents",
           "html_render_settings", "images_from_site_root", "latex_label", "page_math_read",
           "page_needs_math",
           "replace_index_entries", "replace_std_terms", "restore_toc_parents"]


def replace_index_entries(env: BuildEnvironment, old: Mapping[str, list[IndexEntry]],
                          new: Mapping[str, list[IndexEntry]]) -> None:
    """Take the entries we added last build out of the general index; add *new*.

    Relies on ``env.domains["index"].data["entries"]``: docname -> list of 5-tuples
    (``IndexDomain.entries`` in ``sphinx/domains/index.py``, 7.4.7 to 9.0.4). The index
    builder reads it at write time, so entries added after reading are listed.
    """
    index = env.domains["index"].data.setdefault("entries", {})
    for docname, added in old.items():
        if docname in index:
            drop = set(map(tuple, added))
            index[docname] = [e for e in index[docname] if tuple(e) not in drop]
    for docname, entries in new.items():
        index.setdefault(docname, []).extend(entries)


def replace_std_terms(env: BuildEnvironment, old: Mapping[str, tuple[str, str]],
                      wanted: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Take out the ``std:term`` objects we added last build; add *wanted*, except names
    the project's own ``glossary`` defines (also in other capitals). Returns what was added.

    Relies on the std domain's ``data["objects"]`` ((objtype, name) -> (docname, labelid))
    and ``data["terms"]`` (lower-cased name -> (docname, labelid)), which
    ``StdDomain.objects`` and ``StdDomain._terms`` return and ``resolve_xref`` and
    ``get_objects`` read (``sphinx/domains/std/__init__.py``, 7.4.7 to 9.0.4).
    ``note_object`` cannot be used: it warns about duplicates and keeps no lower-cased
    name, and nothing public removes an object of a document that was not read again.
    """
    std = env.domains["std"]
    objects = std.data.setdefault("objects", {})
    lowered = std.data.setdefault("terms", {})
    for name, where in old.items():
        if objects.get(("term", name)) == tuple(where):
            del objects[("term", name)]
        if lowered.get(name.lower()) == tuple(where):
            del lowered[name.lower()]
    added: dict[str, tuple[str, str]] = {}
    for name, where in wanted.items():
        if ("term", name) in objects or name.lower() in lowered:
            continue
        objects[("term", name)] = lowered[name.lower()] = where
        added[name] = where
    return added


def hide_toc_parents(env: BuildEnvironment, docnames: set[str]) -> dict[str, set[str]]:
    """Keep Sphinx from rewriting the toctree parents of *docnames* in this write.

    When a page is written, Sphinx also writes the pages whose toctree lists it (its title
    may have changed): ``Builder.write`` (``_write_serial`` setup in 8.2+) reads
    ``env.files_to_rebuild`` (docname -> parents), 7.4.7 to 9.0.4. Pages we return from
    env-updated were not read again, so their titles did not change: we take them out of
    that map for the write (the environment was pickled before) and return what we took.
    """
    return {d: env.files_to_rebuild.pop(d) for d in sorted(docnames)
            if d in env.files_to_rebuild}


def restore_toc_parents(env: BuildEnvironment, saved: Mapping[str, set[str]]) -> None:
    """Put back what :func:`hide_toc_parents` took."""
    env.files_to_rebuild.update(saved)


@contextlib.contextmanager
def images_from_site_root(builder: Any) -> Iterator[None]:
    """Render with image paths relative to the site root (tooltips are site-wide).

    Relies on ``StandaloneHTMLBuilder.imgpath``, the prefix the HTML translator puts in
    front of image URIs (``sphinx/builders/html/__init__.py``, 7.4.7 to 9.0.4; set per
    page while writing, and read by ``render_partial``).
    """
    saved = getattr(builder, "imgpath", "")
    builder.imgpath = "_images"
    try:
        yield
    finally:
        builder.imgpath = saved


def html_render_settings(builder: Any) -> str:
    """What, besides a definition's text, decides how an HTML builder renders it.

    Relies on ``StandaloneHTMLBuilder.build_info`` (its ``config_hash`` and ``tags_hash``,
    the digests Sphinx compares to decide whether every page must be written again) and
    ``math_renderer_name`` (``sphinx/builders/html/__init__.py``, 7.4.7 to 9.0.4). Other
    builders give what they have; an empty part only means fewer reasons to re-render.
    """
    info = getattr(builder, "build_info", None)
    parts = [getattr(info, "config_hash", ""), getattr(info, "tags_hash", ""),
             str(getattr(builder, "math_renderer_name", "") or "")]
    return " ".join(parts)


def page_needs_math(env: BuildEnvironment, pagename: str, context: dict[str, Any]) -> None:
    """Have ``sphinx.ext.mathjax`` load the math renderer on *pagename* (call it in
    ``html-page-context`` before the handler of ``sphinx.ext.mathjax``, priority 500).

    Sphinx 8.2 and later read the page context's ``has_maths_elements``. Sphinx 7.4 to 8.1
    ask the math domain's ``has_equations(pagename)``, which reads
    ``data["has_equations"][pagename]``, set when the page was read: a page whose math
    comes from the glossary (its entries, or tooltips of terms it links to) is not flagged
    there, so it is flagged here, in the writing process only (the environment was pickled
    before writing, so nothing of this is kept).
    """
    context["has_maths_elements"] = True
    if sphinx.version_info[:2] < (8, 2):
        flags = env.get_domain("math").data.setdefault("has_equations", {})
        if not flags.get(pagename):
            flags[pagename] = True
            _FLAGGED.add(pagename)


#: Pages :func:`page_needs_math` flagged in this process, until :func:`page_math_read`.
_FLAGGED: set[str] = set()


def page_math_read(env: BuildEnvironment, pagename: str) -> None:
    """Take back the flag :func:`page_needs_math` set, once ``sphinx.ext.mathjax`` has
    read it (call it in ``html-page-context`` after priority 500).

    Sphinx 7.4 to 8.1 also load the renderer on every page whose toctree holds a page
    with equations (``has_equations`` follows ``toctree_includes``): a flag left on the
    glossary page would load MathJax on the pages above it, written after it.
    """
    if pagename in _FLAGGED:
        _FLAGGED.discard(pagename)
        env.get_domain("math").data.setdefault("has_equations", {})[pagename] = False


def builder_without_write_started(env: BuildEnvironment) -> Any | None:
    """The builder writing *env*, for the builders that do not announce it.

    Before Sphinx 8.1 the singlehtml, LaTeX, Texinfo and man builders override
    ``Builder.write`` and emit no ``write-started`` (8.1 moved them to
    ``write_documents``); there the builder is read off the application (``env.app``,
    only on those versions) once the build resolves references. None in the read phase,
    and on Sphinx 8.1 and later.
    """
    if sphinx.version_info[:2] >= (8, 1):
        return None
    from sphinx.util.build_phase import BuildPhase

    app = env.app
    return app.builder if app.phase >= BuildPhase.RESOLVING else None


def latex_label(target: str) -> str:
    """The LaTeX label Sphinx's LaTeX writer gives *target* (``docname:id``), for
    ``\\pageref``: ``LaTeXTranslator.idescape`` (``sphinx/writers/latex.py``, the same in
    7.4.0 to 9.0.4), which is a method of the translator, not reachable from a
    transform."""
    from sphinx.util.texescape import tex_replace_map

    escaped = target.translate(tex_replace_map)
    escaped = escaped.encode("ascii", "backslashreplace").decode("ascii")
    return f"\\detokenize{{{escaped.replace(chr(92), '_')}}}"


def directive_parent(state: Any) -> Any:
    """The element a directive's nodes go into, or None if it cannot be told.

    docutils' ``RSTState.parent``. MyST runs directives with a ``MockState`` that has no
    ``parent`` (it raises ``MockingError``); its renderer's ``current_node`` is the same
    thing (``myst_parser/mocking.py``, ``MockState._renderer``, 3.0.0 to 5.2.0).
    """
    try:
        return state.parent
    except Exception:
        renderer = getattr(state, "_renderer", None)
        return getattr(renderer, "current_node", None)


def forget_message_catalog(catalog: str) -> None:
    """Sphinx keeps one translator per message catalog and process, and a second
    ``add_message_catalog`` adds its language as a fallback of the first: a process that
    builds sites in two languages (tests, a server that rebuilds) would keep the first.
    Forget ours before it is loaded for a build."""
    from sphinx import locale

    locale.translators.pop(("general", catalog), None)
