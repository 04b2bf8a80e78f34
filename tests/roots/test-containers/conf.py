extensions = ["myst_parser", "sphinx_design", "sphinxcontrib_dlglossary"]
