"""sphinxcontrib-dlglossary: one canonical deep-learning glossary for Sphinx and MyST docs."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the extension: config, nodes, domain, role, directive, transforms, assets."""
    from sphinxcontrib_dlglossary import (
        assets,
        autolink,
        config,
        directives,
        domain,
        jsonexport,
        nodes,
        references,
        transforms,
    )

    config.setup(app)
    nodes.setup(app)
    domain.setup(app)
    directives.setup(app)
    autolink.setup(app)
    transforms.setup(app)
    references.setup(app)
    assets.setup(app)
    jsonexport.setup(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
