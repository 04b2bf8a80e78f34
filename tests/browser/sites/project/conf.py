# Test project for tests/browser/test_sites.py: built once per theme (html_theme and
# mathjax_path come from confoverrides).
project = "dlglossary site test"
extensions = ["myst_parser", "sphinx.ext.mathjax", "sphinxcontrib_dlglossary"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
dlglossary_term_files = ["terms.yaml"]
dlglossary_tooltip_delay = 250
# Cards hold TeX for the page's MathJax: these tests check that MathJax typesets the card
# only, in every theme. The default, MathML, is tested in test_tooltip_mathml.py.
dlglossary_tooltip_math = "renderer"
html_theme = "alabaster"
