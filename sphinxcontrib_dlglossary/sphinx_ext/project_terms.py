"""The project's term set: the canonical terms, the project's term files, its exclusions.

Loaded once per build, in the main process on ``builder-inited`` (parallel readers
inherit it). A problem in a term file is an error naming file, line, entry and field; the
build goes on with every entry that can be used (:func:`~.core.terms.load_with_problems`),
so one bad entry loses nothing else. A problem with no line (a missing file, one too
large) names the file by its real path: Sphinx would take a location without a line for a
document name and add the source suffix.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from sphinx.util import logging

from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.naming import printable
from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain
from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["load_termset", "setup"]

logger = logging.getLogger(__name__)


def load_termset(app: Sphinx) -> terms.TermSet:
    """The term set of this project; each problem in its files logged as an error."""
    config = app.config
    files, exclude = config.dlglossary_term_files, config.dlglossary_exclude
    termset, problems = terms.load_with_problems(files, exclude=exclude, root=app.confdir,
                                                 max_file_size=config.dlglossary_max_file_size)
    for problem in problems:
        if problem.line:
            logger.error("%s", problem.what, location=problem.where, type=WARNING_TYPE,
                         subtype=DLWarning.DATA.subtype)
        else:
            path = printable(os.path.join(app.confdir, problem.file))
            logger.error("%s: %s", path, problem.what, type=WARNING_TYPE,
                         subtype=DLWarning.DATA.subtype)
    return termset


def _builder_inited(app: Sphinx) -> None:
    get_domain(app.env).termset = load_termset(app)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
