"""``dlglossary lint``: check and fix the terminology of rST and MyST sources, no build needed.

What the command checks, how to fix, suppress and configure it is told in :mod:`.rules`.
The package, from the source text up:

* :mod:`.source`: what a scan finds (:class:`Scan`, :class:`Piece`, :class:`Role`);
* :mod:`.rst`, :mod:`.myst`: the scanners, one per syntax, each on its real parser;
* :mod:`.scanner`: :func:`scan` (either syntax), :func:`prose_regions`, :func:`mask`;
* :mod:`.findings`: the codes (:data:`CODES`), :class:`Finding` and :class:`Edit`;
* :mod:`.rules`: :func:`check_text`, one function per rule;
* :mod:`.suppress`: the ``dlglossary: disable...`` comments;
* :mod:`.fix`: :func:`plan` and :func:`fix_text`, verified by parsing again;
* :mod:`.files`: the files read (regular, size-capped) and written (in place, through
  links);
* :mod:`.settings`: :class:`Settings` from pyproject.toml, and the matcher they give;
* :mod:`.output`: text, JSON, GitHub and SARIF;
* :mod:`.command`: the command line.

What is prose and what a mention is are the build's rules too
(:mod:`sphinxcontrib_dlglossary.core.prose`, :mod:`sphinxcontrib_dlglossary.core.matcher`).
Nothing here imports Sphinx; docutils, markdown-it-py and myst-parser are imported when
the first file is scanned.
"""

from __future__ import annotations

from sphinxcontrib_dlglossary.core.matcher import Matcher
from sphinxcontrib_dlglossary.lint import output
from sphinxcontrib_dlglossary.lint.command import (
    FileResult,
    add_parser,
    iter_files,
    lint_file,
    run,
)
from sphinxcontrib_dlglossary.lint.findings import CODES, Edit, Finding
from sphinxcontrib_dlglossary.lint.fix import FixError, fix_text, plan
from sphinxcontrib_dlglossary.lint.rules import check_text
from sphinxcontrib_dlglossary.lint.scanner import mask, prose_regions, scan, syntax_of
from sphinxcontrib_dlglossary.lint.settings import (
    ConfigError,
    Settings,
    build_matcher,
    find_config,
    load_settings,
)
from sphinxcontrib_dlglossary.lint.settings import _toml_module as _toml_module
from sphinxcontrib_dlglossary.lint.source import Piece, Role, Scan, Syntax

# ``scan``, ``fix_text`` and ``_toml_module`` are looked up here when they are used
# (by fix_text, lint_file and load_settings), so a test can replace them on the package.

#: The text output, for tests.
_text = output.write_text

__all__ = [
    "CODES",
    "ConfigError",
    "Edit",
    "FileResult",
    "Finding",
    "FixError",
    "Matcher",
    "Piece",
    "Role",
    "Scan",
    "Settings",
    "Syntax",
    "add_parser",
    "build_matcher",
    "check_text",
    "find_config",
    "fix_text",
    "iter_files",
    "lint_file",
    "load_settings",
    "mask",
    "plan",
    "prose_regions",
    "run",
    "scan",
    "syntax_of",
]
