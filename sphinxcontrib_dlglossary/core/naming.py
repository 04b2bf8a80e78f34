"""How a name is compared: the normal form of a term name and its regular plurals.

Every part of the package (lookup, the term-file checks, the matcher, lint and the
mystmd export) compares names through :func:`normalize` and :func:`plurals`, so "Neural
networks", "neural-network" and "NEURAL_NETWORK" name the same term everywhere.
"""

from __future__ import annotations

import re

__all__ = ["SEPARATORS_RE", "normalize", "plural", "plurals"]

#: What separates the words of a name: white space, underscores, hyphens and dashes.
SEPARATORS_RE = re.compile(r"[\s_\-\u2010-\u2014]+")


def normalize(text: str) -> str:
    """The lookup form of *text*: case-folded, with spaces, hyphens and underscores equal."""
    return SEPARATORS_RE.sub(" ", text.casefold()).strip()


def plural(form: str) -> str | None:
    """The regular English plural of a (normalized) form, or None if it ends in no letter."""
    if not form[-1:].isalpha():
        return None
    if re.search(r"(s|x|z|ch|sh)$", form):
        return form + "es"
    if re.search(r"[^aeiou]y$", form):
        return form[:-1] + "ies"
    return form + "s"


def plurals(form: str) -> tuple[str, ...]:
    """Every regular plural of a (normalized) form: "epochs" and "patches" both resolve."""
    first = plural(form)
    if first is None:
        return ()
    if form.endswith("ch"):  # epoch -> epochs (a hard "ch"), patch -> patches
        return (first, form + "s")
    return (first,)
