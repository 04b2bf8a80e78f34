"""The warning type and subtypes this extension emits, so users can filter them.

Every warning carries ``type="dlglossary"`` and one of the subtypes below; silence one with
``suppress_warnings = ["dlglossary.unknown_term"]`` (or all with ``"dlglossary"``).
"""

from __future__ import annotations

from enum import Enum

__all__ = ["WARNING_TYPE", "DLWarning"]

WARNING_TYPE = "dlglossary"


class DLWarning(Enum):
    """Warning subtypes, each with the situation it reports."""

    UNKNOWN_TERM = "unknown_term"
    """A ``dlterm`` reference names no known term (the message suggests close ones)."""
    NO_GLOSSARY = "no_glossary"
    """A term is referenced but no ``dlglossary`` page (nor intersphinx inventory) shows it."""
    DUPLICATE_PAGE = "duplicate_page"
    """Two ``dlglossary`` directives without filters: references link to the first one."""
    DATA = "data"
    """A term file has a problem (file, line, entry and field are named)."""
    CONFIG = "config"
    """A ``dlglossary_*`` configuration value has the wrong type; its default is used."""
    DIRECTIVE = "directive"
    """A ``dlglossary`` directive option is wrong (e.g. an unknown tag)."""
    RENDER = "render"
    """A term's entry could not be rendered; it is shown as text and the build goes on."""

    @property
    def subtype(self) -> str:
        return self.value

    @property
    def code(self) -> str:
        """What to put in ``suppress_warnings``."""
        return f"{WARNING_TYPE}.{self.value}"
