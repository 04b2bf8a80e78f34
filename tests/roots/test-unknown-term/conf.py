extensions = ["myst_parser", "sphinxcontrib_dlglossary"]
