"""The yes/no words a user may write in an option or in page metadata.

``dlglossary_autolink: false`` in a page's metadata, ``:backlinks: off`` on the directive
and the linter's reading of the same metadata all use :func:`parse_bool`.
"""

from __future__ import annotations

__all__ = ["OFF_WORDS", "ON_WORDS", "parse_bool"]

#: Words that mean "yes" (compared after stripping and lower-casing).
ON_WORDS = frozenset({"true", "yes", "on", "1"})
#: Words that mean "no".
OFF_WORDS = frozenset({"false", "no", "off", "0"})


def parse_bool(text: str | None, *, empty: bool = True) -> bool | None:
    """``True``/``False`` for a yes/no word, *empty* for no text, None for anything else."""
    value = (text or "").strip().lower()
    if not value:
        return empty
    if value in ON_WORDS:
        return True
    if value in OFF_WORDS:
        return False
    return None
