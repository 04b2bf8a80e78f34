"""Every word the extension writes into a page, in the site's language.

The texts are messages of the extension's own catalog (``dlglossary``, in
``sphinxcontrib_dlglossary/locale/<language>/LC_MESSAGES``), loaded for the site's
``language`` as Sphinx loads its own (:func:`setup`); a language without a catalog, or a
message without a translation, gives the English text. Counts use the language's plural
forms. ``tools/catalogs.py`` extracts the messages of this module into
``locale/dlglossary.pot`` and compiles the ``.po`` files; a test holds the two in step.

Only this module holds the texts, so that a translator finds all of them in one place,
each with a comment where its context is not plain.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.locale import get_translator

from sphinxcontrib_dlglossary.sphinx_ext import internals

if TYPE_CHECKING:
    from sphinx.application import Sphinx

__all__ = ["CATALOG", "LOCALE_DIR", "setup"]

#: The gettext domain of the extension's messages.
CATALOG = "dlglossary"
#: Where the compiled catalogs ship, inside the package.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

def _(message: str, plural: str | None = None, count: int = 0) -> str:
    """The translation of *message*; with *plural*, of the form for *count* (the
    language's plural rule; Sphinx's own ``get_translation`` has no plurals since 9.0)."""
    translator = get_translator(CATALOG)  # English until setup() loaded the catalog
    if plural is None:
        return translator.gettext(message)
    return translator.ngettext(message, plural, count)


# -- a glossary entry -------------------------------------------------------------------

def also() -> str:
    #: TRANSLATORS: before a term's other names ("Also: ConvNet, CNNs").
    return _("Also:")


def related() -> str:
    #: TRANSLATORS: before links to related terms.
    return _("Related:")


def further_reading() -> str:
    #: TRANSLATORS: before links to books and papers about a term.
    return _("Further reading:")


def tags() -> str:
    #: TRANSLATORS: before a term's tags (topic words that link to the terms by tag).
    return _("Tags:")


def used_on(count: int) -> str:
    #: TRANSLATORS: before the links to the pages that use a term.
    return _("Used on %(count)d page:", "Used on %(count)d pages:", count) % {"count": count}


def more_pages(count: int) -> str:
    #: TRANSLATORS: opens a disclosure with the other pages that use a term.
    return _("and %(count)d more page", "and %(count)d more pages", count) % {"count": count}


def all_uses(count: int, title: str) -> str:
    #: TRANSLATORS: a link to a page listing every page that uses the term *title*.
    return (_("All %(count)d pages that use %(title)s", "All %(count)d pages that use %(title)s",
              count) % {"count": count, "title": title})


def uses(count: int) -> str:
    #: TRANSLATORS: how often one page uses a term, after the section: "(Training; 3 uses)".
    return _("%(count)d use", "%(count)d uses", count) % {"count": count}


def page_ref(page: str) -> str:
    #: TRANSLATORS: LaTeX/PDF: the page of a use, after its link (", p. 12"); %(page)s is
    #: the number.
    return _("p. %(page)s") % {"page": page}


# -- the glossary page ------------------------------------------------------------------

def no_terms() -> str:
    return _("No terms to show.")


def terms_by_tag() -> str:
    #: TRANSLATORS: the heading of the section that lists the terms of each tag.
    return _("Terms by tag")


def filter_label() -> str:
    #: TRANSLATORS: the label of the box that narrows the glossary as the reader types.
    return _("Filter terms")


def filter_count(total: int) -> str:
    #: TRANSLATORS: the filter's result; keep "{n}" as it is (the script puts the number
    #: of terms shown there), "%(total)d" is the number of all terms.
    return (_("{n} of %(total)d term", "{n} of %(total)d terms", total)
            % {"total": total})


def filter_none() -> str:
    #: TRANSLATORS: the filter's result when no term matches what the reader typed.
    return _("No term matches")


# -- a page of all uses -----------------------------------------------------------------

def uses_title(title: str) -> str:
    #: TRANSLATORS: the title of the page that lists every page using the term *title*.
    return _("Pages that use %(title)s") % {"title": title}


def uses_intro(count: int, link: str) -> str:
    #: TRANSLATORS: *link* is the term's title, linked to its glossary entry.
    return (_("%(count)d page uses %(link)s, in reading order: each page with the section "
              "of its first use and the number of uses.",
              "%(count)d pages use %(link)s, in reading order: each page with the section "
              "of its first use and the number of uses.", count)
            % {"count": count, "link": link})


# -- tooltips -----------------------------------------------------------------------------

def more() -> str:
    #: TRANSLATORS: the link at the end of a tooltip that leads to the glossary entry.
    return _("more")


def setup(app: Sphinx) -> None:
    """Load the catalog for the site's ``language`` (English without one)."""
    internals.forget_message_catalog(CATALOG)
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))
