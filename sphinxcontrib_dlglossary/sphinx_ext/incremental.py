"""Incremental builds: what to read again, what to write again, and nothing more.

* ``env-get-outdated``: a term-file edit re-reads the pages that reference a changed
  term (their link texts and warnings depend on it), and those whose unknown reference
  now resolves.
* ``env-updated`` (main process, after all reads and merges): :func:`.derive.derive`
  decides targets and shown terms, the index and ``std:term`` entries are replaced, and
  the pages whose output changed although their source did not are returned to be
  written again: the glossary pages and pages whose links now point elsewhere. That
  closes the stale-page hole sphinxcontrib-bibtex has.
* ``html-collect-pages`` (main process, after every page is written): where only the
  backlinks of a glossary page changed (an edit that adds, moves or drops a reference,
  the common case) and the builder writes one HTML file per page, the page is not
  written again through Sphinx: the backlinks in its HTML file, between the comments
  :func:`.glossary_page.backlinks_markup` leaves, are replaced by what writing the page
  would give now, byte for byte. The page's search entry does not change: backlinks are
  not indexed.
* ``write-started`` / ``build-finished``: a page we only rewrite was not read again, so
  its title did not change: its toctree parents are not rewritten for it.

The Sphinx internals these rely on are in :mod:`.internals`, with the versions checked.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx.util import logging

from sphinxcontrib_dlglossary.core.collation import collation
from sphinxcontrib_dlglossary.sphinx_ext import glossary_page, internals, links, uses_pages
from sphinxcontrib_dlglossary.sphinx_ext.derive import derive, toctree_order
from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain
from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_dlglossary.sphinx_ext.domain import DLGlossaryDomain

__all__ = ["setup"]

logger = logging.getLogger(__name__)


@dataclass
class _Build:
    """What one build remembers between its events (never pickled)."""

    #: Documents read in this build.
    read: set[str] = field(default_factory=set)
    #: Documents returned from env-updated that were not read.
    rewrite_only: set[str] = field(default_factory=set)
    #: What internals.hide_toc_parents took, to put back.
    toc_parents: dict[str, set[str]] = field(default_factory=dict)
    #: Glossary pages whose backlinks are replaced in their HTML file (not written).
    splice: set[str] = field(default_factory=set)


_BUILDS: WeakKeyDictionary[BuildEnvironment, _Build] = WeakKeyDictionary()


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=list)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def env_get_outdated(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str],
                     removed: Set[str]) -> list[str]:
    """Re-read the pages whose references a term-file edit changed."""
    domain = get_domain(env)
    new = {t.key: t.digest() for t in domain.termset}
    old: dict[str, str] = domain.data["digests"]
    domain.data["digests"] = new
    if not old or old == new:
        return []
    changed_keys = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    forms = domain.termset.forms()
    stale = {
        docname for docname, uses in domain.uses.items()
        if any(u.key in changed_keys for u in uses)
    } | {
        docname for docname, texts in domain.data["unknown"].items()
        if any(text in forms for text in texts)
    }
    return sorted(stale - set(removed))


def _before_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _BUILDS[env] = _Build(read=set(docnames))


def env_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Derive targets and shown terms after all documents are read; return pages to rewrite."""
    domain = get_domain(env)
    config = env.config
    # Uses inside ``only`` directives this builder leaves out do not count as uses here.
    domain.data["left_out"] = {(u.docname, u.node_id) for uses in domain.uses.values()
                               for u in uses if not u.written_by(app.builder.tags)}
    written = {docname: [u for u in uses if domain.written(u)]
               for docname, uses in domain.uses.items()}
    derived = derive(domain.termset, domain.pages, written,
                     index=config.dlglossary_index, std_terms=config.dlglossary_std_terms,
                     order=collation(config.language))
    for first, other in derived.duplicates:
        logger.warning(
            "a second full glossary page (dlglossary directive without :tags: or "
            ":used-only:); term references link to the first one, in %r",
            first.docname, location=(other.docname, other.lineno), type=WARNING_TYPE,
            subtype=DLWarning.DUPLICATE_PAGE.subtype,
        )
    old_targets = dict(domain.targets)
    domain.data["targets"] = derived.targets
    domain.data["shown"] = derived.shown
    domain.data["order"] = toctree_order(config.root_doc, env.toctree_includes, env.all_docs)
    internals.replace_index_entries(env, domain.data["index"], derived.index)
    domain.data["index"] = derived.index
    domain.data["std"] = internals.replace_std_terms(env, domain.data["std"], derived.std)

    build = _BUILDS.setdefault(env, _Build())
    rewrite = _pages_to_rewrite(app, env, domain, old_targets, build) & set(env.all_docs)
    build.rewrite_only = rewrite - build.read
    return sorted(rewrite)


def _pages_to_rewrite(app: Sphinx, env: BuildEnvironment, domain: DLGlossaryDomain,
                      old_targets: dict[str, tuple[str, str]], build: _Build) -> set[str]:
    """Glossary pages whose content changed, and pages whose term links moved. Glossary
    pages whose backlinks alone changed go to *build*'s splice instead, where they can."""
    fingerprint = _digest([
        domain.shown, domain.targets, domain.data["digests"],
        domain.data.get("catalog_digest", ""),
    ])
    titles = {d: env.titles[d].astext() for d in domain.uses if d in env.titles}
    uses_fingerprint = _digest([
        domain.order, titles, sorted(domain.data["left_out"]),
        {d: [(u.key, u.node_id, u.section) for u in uses]
         for d, uses in sorted(domain.uses.items())},
    ])
    rewrite: set[str] = set()
    if fingerprint != domain.data["fingerprint"]:
        rewrite |= set(domain.shown)
    elif uses_fingerprint != domain.data.get("uses_fingerprint"):
        glossaries = set(domain.shown) - build.read
        build.splice = {d for d in glossaries if _spliceable(app.builder, domain, d)}
        for docname in build.splice:  # its pages of all uses follow its new backlinks
            uses_pages.note_written(env, docname, glossary=True)
        rewrite |= glossaries - build.splice
    domain.data["fingerprint"] = fingerprint
    domain.data["uses_fingerprint"] = uses_fingerprint
    targets = domain.targets
    moved = {k for k in set(old_targets) | set(targets) if old_targets.get(k) != targets.get(k)}
    if moved:
        rewrite |= {d for d, uses in domain.uses.items() if any(u.key in moved for u in uses)}
    return rewrite


#: An entry's backlinks in a written page: (prefix, key) and the markup between.
_USES = re.compile(re.escape(glossary_page.USES_OPEN).replace(
    re.escape("{prefix}"), "([a-z0-9-]+)").replace(re.escape("{key}"), "([a-z0-9-]+)")
    + ".*?" + re.escape(glossary_page.USES_CLOSE), re.S)


def _outfile(builder: Builder, docname: str) -> str | None:
    """The HTML file *builder* writes *docname* to (HTML builders have a method for it)."""
    outfilename = getattr(builder, "get_outfilename", None)
    return str(outfilename(docname)) if outfilename is not None else None


def _html_file(builder: Builder, docname: str) -> str | None:
    """The HTML of *docname* as the last build wrote it (None if there is none)."""
    outfile = _outfile(builder, docname)
    if outfile is None:
        return None
    try:
        with open(outfile, encoding="utf-8", newline="") as f:
            return f.read()
    except (OSError, UnicodeDecodeError):
        return None


def _spliceable(builder: Builder, domain: DLGlossaryDomain, docname: str) -> bool:
    """Whether the backlinks of glossary page *docname* can be replaced in its HTML file:
    the builder writes a file per page, and the file holds the place of every entry's
    backlinks, once each (else it is written again)."""
    if not uses_pages.splits(builder):
        return False
    text = _html_file(builder, docname)
    if text is None:
        return False
    expected = [(glossary_page.letter_prefix(spec.position), key)
                for spec in domain.pages.get(docname, []) if spec.backlinks
                for key in domain.shown.get(docname, [])[spec.position]
                if key in domain.termset.terms]
    found = _USES.findall(text)
    return (len(found) == len(expected) == text.count(glossary_page.USES_CLOSE)
            and set(found) == set(expected))


def _made(made: dict[tuple[str, str], str], match: re.Match[str]) -> str:
    return made.get((match[1], match[2]), match[0])


def _splice(app: Sphinx) -> list[Any]:
    """``html-collect-pages``: the new backlinks into the glossary pages not written."""
    build = _BUILDS.get(app.env)
    for docname in sorted(build.splice if build is not None else ()):
        text = _html_file(app.builder, docname)
        if text is None:  # pragma: no cover - checked in env-updated
            continue
        made = glossary_page.backlinks_markups(app.env, app.builder, docname)
        new = _USES.sub(functools.partial(_made, made), text)
        outfile = _outfile(app.builder, docname)
        if new != text and outfile is not None:
            with open(outfile, "w", encoding="utf-8", errors="xmlcharrefreplace",
                      newline="") as f:
                f.write(new)
    return []


def _write_started(app: Sphinx, builder: Builder) -> None:
    links.note_builder(builder)
    build = _BUILDS.setdefault(builder.env, _Build())
    build.toc_parents = internals.hide_toc_parents(builder.env, build.rewrite_only)


def _build_finished(app: Sphinx, exception: BaseException | None) -> None:
    build = _BUILDS.pop(app.env, None)
    if build is not None:
        internals.restore_toc_parents(app.env, build.toc_parents)


def setup(app: Sphinx) -> None:
    app.connect("env-get-outdated", env_get_outdated)
    app.connect("env-before-read-docs", _before_read)
    app.connect("env-updated", env_updated)
    # Early, so the builder is known before other write-started listeners (assets) run.
    app.connect("write-started", _write_started, priority=100)
    app.connect("html-collect-pages", _splice)
    app.connect("build-finished", _build_finished)
