"""The Sphinx extension: the ``dlterm`` role, the ``dlglossary`` page, tooltips, backlinks.

Data flows one way: the core's term set (:mod:`.project_terms`) → the role, auto-link
and directive record into the domain (:mod:`.domain`, read phase) → :mod:`.derive` decides
targets and shown terms after reading (:mod:`.incremental`) → the glossary page and links
are written (:mod:`.glossary_page`, :mod:`.links`) → tooltip assets and the JSON export.
Sphinx internals are touched in :mod:`.internals` only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__all__ = ["setup"]


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register config, node, domain, role, directive, transforms, events and assets."""
    from sphinxcontrib_dlglossary import __version__
    from sphinxcontrib_dlglossary.sphinx_ext import (
        assets,
        autolink,
        config,
        definitions,
        directive,
        glossary_page,
        incremental,
        intersphinx,
        jsonexport,
        labels,
        nodes,
        project_terms,
        references,
        role,
        term_translations,
        uses_pages,
    )
    from sphinxcontrib_dlglossary.sphinx_ext.domain import DLGlossaryDomain

    config.setup(app)                    # dlglossary_* values, checked on config-inited
    labels.setup(app)                    # the words we write, in the site's language
    nodes.setup(app)                     # the glossary placeholder node
    app.add_domain(DLGlossaryDomain)     # records, resolving, the inventory
    project_terms.setup(app)             # the term set, loaded on builder-inited
    app.add_role("dlterm", role.dlterm_role)
    directive.setup(app)                 # .. dlglossary::
    autolink.setup(app)                  # read phase: first mentions become references
    references.setup(app)                # read phase: number and record every reference
    term_translations.setup(app)         # after reading: the site's .po translations
    incremental.setup(app)               # after reading: derive; what to re-read, rewrite
    glossary_page.setup(app)             # write phase: entries and backlinks
    definitions.setup(app)               # parsed definitions, kept between builds
    uses_pages.setup(app)                # HTML: a page of all uses of a much-used term
    intersphinx.setup(app)               # references no local page resolves
    assets.setup(app)                    # tooltip CSS, JS and the terms script
    jsonexport.setup(app)                # dlglossary.json next to the glossary page
    return {
        "version": __version__,
        "env_version": 4,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
