"""Term texts translated the Sphinx way: ``-b gettext`` extracts them, the site's ``.po``
files translate them.

A glossary's entries are made in the write phase, after Sphinx's i18n transform has
translated the page as it was read, so Sphinx alone would neither extract nor translate
them. Here:

* For the gettext builder, a glossary holds a :class:`dlglossary_messages` node instead
  of its entries: the title, summary and definition of each term it shows, as written in
  the term data (MyST), one message each, located at the directive. They go into the
  page's catalog (``glossary.pot``, or the compact one) with the page's own text, so
  ``sphinx-intl update`` brings them to every ``.po`` file.
* In a build with ``language`` and ``locale_dirs``, once the pages are read
  (``env-updated``), the compiled catalogs of the glossary pages (the ``.mo`` files
  Sphinx makes from the ``.po`` files) are read, and each term text translated there
  replaces the text of the term set: on the glossary page, in tooltips and in
  ``dlglossary.json``. A translated title also resolves in references (the English forms
  still do). Untranslated texts stay in English, or in the shipped translation of the
  language. A translated summary or definition is parsed as term data is: only the safe
  MyST subset renders, anything else is shown as its text.

Sphinx makes the glossary page depend on its catalog, so an edited ``.po`` file re-reads
that page, and with it the translations here.
"""

from __future__ import annotations

import gettext
import os
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from sphinxcontrib_dlglossary.core import translations
from sphinxcontrib_dlglossary.core.termfiles import Entry
from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain
from sphinxcontrib_dlglossary.sphinx_ext.warnings import WARNING_TYPE, DLWarning

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from sphinxcontrib_dlglossary.core.model import TermSet

__all__ = ["dlglossary_messages", "is_gettext", "messages_node", "setup"]

logger = logging.getLogger(__name__)


class dlglossary_messages(nodes.General, nodes.Element, addnodes.translatable):
    """The texts of a glossary's terms, as messages for the gettext builder; attribute
    ``messages``. Nothing else writes it (it exists in the gettext builder's tree only)."""

    def preserve_original_messages(self) -> None:
        pass

    def apply_translated_message(self, original_message: str,
                                 translated_message: str) -> None:
        pass  # translations are applied to the term set (see the module text)

    def extract_original_messages(self) -> list[str]:
        return list(self["messages"])


def is_gettext(builder: Builder | None) -> bool:
    """Whether *builder* extracts messages (``-b gettext``)."""
    return builder is not None and builder.name == "gettext"


def messages_node(termset: TermSet, keys: Iterable[str], source: str, line: int,
                  ) -> dlglossary_messages:
    """The messages of the terms *keys*: title, summary, definition, each once."""
    texts: list[str] = []
    for key in keys:
        term = termset.terms.get(key)
        if term is not None:
            texts += [t for t in (term.title, term.summary, term.definition) if t]
    node = dlglossary_messages(messages=list(dict.fromkeys(texts)))
    node.source, node.line = source, line
    node.uid = ""  # the gettext builder records one per message
    return node


def _catalog(app: Sphinx, textdomains: Iterable[str]) -> gettext.NullTranslations | None:
    """The compiled catalogs of *textdomains* in the site's locale folders (the language,
    then its base language), as one translator; None if there are none."""
    language = app.config.language.replace("-", "_")
    languages = [language, language.split("_")[0]] if "_" in language else [language]
    translator = gettext.NullTranslations()
    found = False
    for textdomain in sorted(set(textdomains)):
        for folder in app.config.locale_dirs:
            for lang in languages:
                mo = os.path.join(app.srcdir, folder, lang, "LC_MESSAGES", f"{textdomain}.mo")
                try:
                    with open(mo, "rb") as f:
                        translator.add_fallback(gettext.GNUTranslations(f))
                except (OSError, ValueError):  # none, or not a catalog: nothing translated
                    continue
                found = True
    return translator if found else None


def translated(english: TermSet, current: TermSet,
               translate: gettext.NullTranslations) -> tuple[translations.Translation, int]:
    """A translation (of *current*, the term set the site shows) made of the catalog's
    translations of the English texts, and the number of texts translated."""
    entries: list[Entry] = []
    count = 0
    for term in english:
        now = current.terms.get(term.key)
        if now is None:
            continue
        data: dict[str, Any] = {"key": term.key}
        for field in ("title", "summary", "definition"):
            text = getattr(term, field)
            found = translate.gettext(text) if text else ""
            if found and found != text:
                count += 1
                data[field] = found
        if len(data) > 1:
            data.setdefault("title", now.title)
            data.setdefault("definition", now.definition)
            if now.summary:
                data.setdefault("summary", now.summary)
            entries.append(Entry(data, "<the site's message catalogs>", len(entries), 0, {}))
    return translations.Translation("", "", "<the site's message catalogs>",
                                    tuple(entries)), count


def _env_updated(app: Sphinx, env: BuildEnvironment) -> None:
    """Translate the term set from the catalogs of the glossary pages (before the targets
    and shown terms are derived from it)."""
    config = app.config
    if not config.language or not config.locale_dirs or is_gettext(app.builder):
        return
    domain = get_domain(env)
    textdomains = [docname_to_domain(d, config.gettext_compact) for d in domain.pages]
    translate = _catalog(app, textdomains)
    if translate is None:
        domain.data["catalog_digest"] = ""
        return
    found, count = translated(domain.english, domain.termset, translate)
    for problem in translations.check(found, domain.english):
        logger.warning("a translation in the message catalogs of %s: %s",
                       ", ".join(sorted(set(textdomains))), problem.what, type=WARNING_TYPE,
                       subtype=DLWarning.DATA.subtype)
    if count:
        domain.termset = translations.apply(domain.termset, found)
    # What the glossary pages are made of changed with the catalogs: incremental.py
    # compares this.
    domain.data["catalog_digest"] = repr(sorted(
        (e.key, sorted(e.data.items())) for e in found.entries))


def setup(app: Sphinx) -> None:
    # Before incremental.py derives targets and shown terms (priority 500).
    app.connect("env-updated", _env_updated, priority=400)
