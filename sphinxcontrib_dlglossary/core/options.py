"""Every ``dlglossary_*`` configuration value: its type, default, check and meaning.

Declared once, without Sphinx: the extension registers and checks them
(:mod:`sphinxcontrib_dlglossary.sphinx_ext.config`), ``dlglossary lint`` reads them from a
project's ``conf.py`` (:mod:`sphinxcontrib_dlglossary.lint.project`), and the docs render
their table from :data:`OPTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["OPTIONS", "Option", "checked"]


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_positive_int(value: Any) -> bool:
    return is_int(value) and value > 0


def is_strings(value: Any) -> bool:
    """A list or tuple of strings."""
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def is_scope(value: Any) -> bool:
    return value in ("page", "section")


def is_str(value: Any) -> bool:
    return isinstance(value, str)


def is_tooltip_math(value: Any) -> bool:
    return value in ("mathml", "renderer")


@dataclass(frozen=True)
class Option:
    """One configuration value."""

    name: str
    default: Any
    types: tuple[type, ...]
    rebuild: Literal["env", "html"]
    help: str
    example: str
    #: Whether a value is acceptable.
    check: Callable[[Any], bool]

    @property
    def expected(self) -> str:
        return " or ".join(t.__name__ for t in self.types)


OPTIONS: tuple[Option, ...] = (
    Option("dlglossary_term_files", [], (list, tuple), "env",
           "Project term files (YAML or JSON, same format as the shipped set), relative to "
           "the folder of conf.py. Their terms add to the canonical set; an entry with "
           "``override: true`` replaces the canonical term with the same key.",
           '["terms.yaml"]', is_strings),
    Option("dlglossary_exclude", [], (list, tuple), "env",
           "Keys of canonical terms this project leaves out (they do not resolve and are "
           "not shown).", '["tensor", "regression"]', is_strings),
    Option("dlglossary_max_file_size", 10 * 1024 * 1024, (int,), "env",
           "The largest project term file read, in bytes (10 MB by default); a larger one "
           "is an error naming the file, and its terms are left out.", "20_000_000",
           is_positive_int),
    Option("dlglossary_tooltips", True, (bool,), "html",
           "Show a card with the definition when a reader points at or focuses a term link "
           "(HTML builders only).", "False", is_bool),
    Option("dlglossary_tooltip_delay", 250, (int,), "html",
           "Milliseconds the pointer rests on a term link before its card appears.", "400",
           is_int),
    Option("dlglossary_tooltip_math", "mathml", (str,), "html",
           "How a card shows math: ``mathml`` writes it as MathML when the site is built, "
           "which browsers render without a script or network; ``renderer`` leaves the "
           "TeX to the page's math renderer (MathJax …), which is then loaded on every "
           "page that links a term with math.", '"renderer"', is_tooltip_math),
    Option("dlglossary_translation", "auto", (str,), "env",
           "The term set's language: ``auto`` shows the shipped translation for the site's "
           "``language`` (German for ``de`` or ``de_AT``; English where none ships), a "
           "language code picks a shipped one, ``\"\"`` keeps English, and a path (YAML or "
           "JSON, relative to the folder of conf.py) reads the project's own translation "
           "file. Translated names resolve as well as the English ones; anchors never "
           "change.", '"de"', is_str),
    Option("dlglossary_index", True, (bool,), "env",
           "List each term in the general index, with its aliases as \"see\" entries.",
           "False", is_bool),
    Option("dlglossary_std_terms", True, (bool,), "env",
           "Also publish each term as a Sphinx ``std:term`` (title and key) in "
           "``objects.inv``, so projects without this extension link to it with "
           "``:term:`` and intersphinx. Names the project's own ``glossary`` defines are "
           "kept.", "False", is_bool),
    Option("dlglossary_intersphinx", [], (list, tuple), "env",
           "Names of ``intersphinx_mapping`` entries to search, in order, for another "
           "project's glossary when this project has no ``dlglossary`` page showing the "
           "term. Empty: every inventory, in the order of ``intersphinx_mapping``.",
           '["course"]', is_strings),
    Option("dlglossary_autolink", False, (bool,), "env",
           "Turn the first plain mention of each term on a page into a term link (unless "
           "an explicit reference to it comes first). A page opts out with the metadata "
           "``dlglossary_autolink: false``, a block with the class ``no-autolink``.",
           "True", is_bool),
    Option("dlglossary_autolink_scope", "page", (str,), "env",
           "Where \"first mention\" restarts: ``page`` or ``section``.", '"section"',
           is_scope),
    Option("dlglossary_autolink_exclude", [], (list, tuple), "env",
           "Keys of terms that auto-linking never links.", '["tensor"]', is_strings),
    Option("dlglossary_autolink_everyday", [], (list, tuple), "env",
           "Keys of terms with an everyday sense (kernel, bias, loss...) that auto-linking "
           "may link anyway.", '["kernel"]', is_strings),
)


def checked(option: Option, value: Any) -> tuple[Any, bool]:
    """*value* if it passes *option*'s check, else the default; and whether it passed."""
    if option.check(value):
        return value, True
    return option.default, False
