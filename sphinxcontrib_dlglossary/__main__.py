"""``python -m sphinxcontrib_dlglossary``: the same as the ``dlglossary`` command."""

import sys

from sphinxcontrib_dlglossary.cli import main

sys.exit(main())
