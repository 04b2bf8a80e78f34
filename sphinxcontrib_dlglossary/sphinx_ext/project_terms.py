"""The project's term set: the canonical terms, the project's term files, its exclusions.

Loaded once per build, in the main process on ``builder-inited`` (parallel readers
inherit it). A problem in a term file is an error naming file, line, entry and field; the
build goes on with every entry that can be used (:func:`~.core.terms.load_with_problems`),
so one bad entry loses nothing else. A problem with no line (a missing file, one too
large) names the file by its real path: Sphinx would take a location without a line for a
document name and add the source suffix.

Checking a large term file (schema, safe markup, forms) costs about a millisecond a term,
so the result is kept in the environment with a digest of everything it depends on: a
rebuild with unchanged term files reuses it (and reports its problems again).
"""

from __future__ import annotations

import hashlib
import os
import stat
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

from sphinxcontrib_dlglossary.core import terms, translations
from sphinxcontrib_dlglossary.core.naming import printable
from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain
from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["load_termset", "setup"]

logger = logging.getLogger(__name__)


def translation_file(app: Sphinx) -> tuple[str, str] | None:
    """(path, name in messages) of the translation of the term set this site shows, or
    None for English (``dlglossary_translation``)."""
    found, note = translations.chosen(app.config.dlglossary_translation,
                                      app.config.language, app.confdir)
    if note is not None:
        logger.warning("%s", note, type=WARNING_TYPE, subtype=DLWarning.CONFIG.subtype)
    return found


def _digest(app: Sphinx, translation: tuple[str, str] | None) -> str | None:
    """A digest of the term files' bytes and the settings that read them; None if a file
    is not a regular file within the size limit (then it is read, and reported, anew)."""
    from sphinxcontrib_dlglossary import __version__

    config = app.config
    limit = config.dlglossary_max_file_size
    digest = hashlib.sha256(repr((__version__, sorted(config.dlglossary_exclude), limit,
                                  list(config.dlglossary_term_files), translation,
                                  )).encode())
    paths: list[str] = [str(terms.canonical_file()),
             *(os.path.join(app.confdir, f) for f in config.dlglossary_term_files),
             *([translation[0]] if translation else [])]
    for path in paths:
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            with open(path, "rb") as handle:
                digest.update(handle.read(limit + 1))
        except OSError:
            return None
        digest.update(b"\0")
    return digest.hexdigest()


def load_termset(app: Sphinx) -> tuple[terms.TermSet, terms.TermSet]:
    """The term set of this project, in English and in the site's language (the shipped
    or the project's translation; the same set without one); each problem in its files
    logged as an error. (References resolve in the translated set, which answers to the
    English names too; ``-b gettext`` extracts the English texts.)"""
    config = app.config
    domain_data: dict[str, Any] = get_domain(app.env).data
    translation = translation_file(app)
    key = _digest(app, translation)
    cached = domain_data.get("termset_cache")
    if key is not None and cached is not None and cached[0] == key:
        english, termset, problems = cached[1], cached[2], cached[3]
    else:
        files, exclude = config.dlglossary_term_files, config.dlglossary_exclude
        english, problems = terms.load_with_problems(
            files, exclude=exclude, root=app.confdir,
            max_file_size=config.dlglossary_max_file_size)
        termset = english
        if translation is not None:
            termset, more = translations.translate(english, *translation,
                                                   config.dlglossary_max_file_size)
            problems = [*problems, *more]
        domain_data["termset_cache"] = (key, english, termset, problems) if key else None
    for problem in problems:
        if problem.line:
            logger.error("%s", problem.what, location=problem.where, type=WARNING_TYPE,
                         subtype=DLWarning.DATA.subtype)
        else:
            path = printable(os.path.join(app.confdir, problem.file))
            logger.error("%s: %s", path, problem.what, type=WARNING_TYPE,
                         subtype=DLWarning.DATA.subtype)
    return english, termset


def _builder_inited(app: Sphinx) -> None:
    domain = get_domain(app.env)
    domain.english, domain.termset = load_termset(app)


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", _builder_inited)
