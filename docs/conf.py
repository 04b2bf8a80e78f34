"""Sphinx configuration for the sphinxcontrib-dlglossary documentation.

The docs are built with the extension itself: every term link, glossary page and tooltip
below is live, so a broken feature breaks this build (CI runs it with ``-nW``).
"""

import sys
from pathlib import Path

from sphinxcontrib_dlglossary import __version__

# Docs-only directives that generate the config table, warnings list and CLI help from code.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinxcontrib-dlglossary"
author = "sphinxcontrib-dlglossary developers"
copyright = "sphinxcontrib-dlglossary developers"
version = release = __version__

extensions = ["myst_parser", "sphinx_design", "sphinxcontrib_dlglossary", "dlglossary_docs"]
myst_enable_extensions = ["dollarmath", "colon_fence", "deflist", "fieldlist", "attrs_block"]
myst_heading_anchors = 3

exclude_patterns = ["_build", "examples"]

# The extension: the canonical set plus this project's own terms (see terms.md).
dlglossary_term_files = ["project-terms.yaml"]
# Dogfood auto-linking: first plain mentions of terms become links (see consistency.md).
dlglossary_autolink = True

html_theme = "furo"
html_title = f"{project} {release}"
html_static_path = ["_static"]
html_css_files = ["dlglossary-docs.css"]
