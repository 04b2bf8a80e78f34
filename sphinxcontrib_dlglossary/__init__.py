"""sphinxcontrib-dlglossary: one canonical deep-learning glossary for Sphinx and MyST docs.

The package has three layers: :mod:`.core` (terms, lookup, matcher; no Sphinx, no
docutils), :mod:`.lint` (``dlglossary lint``; no Sphinx) and :mod:`.sphinx_ext` (the
extension). ``extensions = ["sphinxcontrib_dlglossary"]`` loads the last one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the extension (see :mod:`.sphinx_ext`)."""
    from sphinxcontrib_dlglossary.sphinx_ext import setup as setup_extension

    return setup_extension(app)
