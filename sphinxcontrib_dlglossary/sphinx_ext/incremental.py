"""Incremental builds: what to read again, what to write again, and nothing more.

* ``env-get-outdated``: a term-file edit re-reads the pages that reference a changed
  term (their link texts and warnings depend on it), and those whose unknown reference
  now resolves.
* ``env-updated`` (main process, after all reads and merges): :func:`.derive.derive`
  decides targets and shown terms, the index and ``std:term`` entries are replaced, and
  the pages whose output changed although their source did not are returned to be
  written again: the glossary pages (new backlinks) and pages whose links now point
  elsewhere. That closes the stale-page hole sphinxcontrib-bibtex has.
* ``write-started`` / ``build-finished``: a page we only rewrite was not read again, so
  its title did not change: its toctree parents are not rewritten for it.

The Sphinx internals these rely on are in :mod:`.internals`, with the versions checked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Set
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx.util import logging

from sphinxcontrib_dlglossary.core.collation import collation
from sphinxcontrib_dlglossary.sphinx_ext import internals, links
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

    rewrite = _pages_to_rewrite(env, domain, old_targets) & set(env.all_docs)
    build = _BUILDS.setdefault(env, _Build())
    build.rewrite_only = rewrite - build.read
    return sorted(rewrite)


def _pages_to_rewrite(env: BuildEnvironment, domain: DLGlossaryDomain,
                      old_targets: dict[str, tuple[str, str]]) -> set[str]:
    """Glossary pages whose content changed, and pages whose term links moved."""
    titles = {d: env.titles[d].astext() for d in domain.uses if d in env.titles}
    fingerprint = _digest([
        domain.shown, domain.targets, domain.order, titles, domain.data["digests"],
        domain.data.get("catalog_digest", ""),
        {d: [(u.key, u.node_id) for u in uses] for d, uses in sorted(domain.uses.items())},
    ])
    rewrite: set[str] = set()
    if fingerprint != domain.data["fingerprint"]:
        domain.data["fingerprint"] = fingerprint
        rewrite |= set(domain.shown)
    targets = domain.targets
    moved = {k for k in set(old_targets) | set(targets) if old_targets.get(k) != targets.get(k)}
    if moved:
        rewrite |= {d for d, uses in domain.uses.items() if any(u.key in moved for u in uses)}
    return rewrite


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
    app.connect("build-finished", _build_finished)
