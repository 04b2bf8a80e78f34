"""Sphinx configuration for the sphinxcontrib-dlglossary documentation."""

from sphinxcontrib_dlglossary import __version__

project = "sphinxcontrib-dlglossary"
author = "sphinxcontrib-dlglossary developers"
copyright = "sphinxcontrib-dlglossary developers"
version = release = __version__

extensions = ["myst_parser", "sphinx_design", "sphinxcontrib_dlglossary"]
myst_enable_extensions = ["dollarmath", "colon_fence"]

exclude_patterns = ["_build"]

html_theme = "furo"
html_title = f"{project} {release}"
