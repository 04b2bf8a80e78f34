extensions = ["sphinxcontrib_dlglossary"]
dlglossary_term_files = ["terms.yaml"]
dlglossary_exclude = ["tensor"]
