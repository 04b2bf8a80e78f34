extensions = ["sphinxcontrib_dlglossary"]
