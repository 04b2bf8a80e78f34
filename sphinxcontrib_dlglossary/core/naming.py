"""How a name is compared, which characters it may hold, and how it is shown safely.

Every part of the package (lookup, the term-file checks, the matcher, lint and the
mystmd export) compares names through :func:`normalize` and :func:`plurals`, so "Neural
networks", "neural-network", "NEURAL_NETWORK" and the full-width "ｎｅｕｒａｌ ｎｅｔｗｏｒｋ"
name the same term everywhere. :func:`unsafe_characters` is the one rule for which
characters a name (or a text field) may not hold, :func:`one_line` the one way a name is
made safe for a line-based format such as ``objects.inv``, and :func:`printable` the one
way text is escaped before a terminal sees it.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "SEPARATORS_RE",
    "normalize",
    "one_line",
    "plural",
    "plurals",
    "printable",
    "unsafe_characters",
]

#: What separates the words of a name: white space, underscores, hyphens and dashes.
SEPARATORS_RE = re.compile(r"[\s_\-\u2010-\u2014]+")

#: Unicode categories a name may not hold: control characters (NUL, ESC, tab, line
#: breaks), line and paragraph separators, and invisible format characters (zero-width
#: space and joiners, soft hyphen, byte-order mark, bidirectional controls), which would
#: make a look-alike of another name.
_NAME_UNSAFE = frozenset({"Cc", "Zl", "Zp", "Cf"})
#: What a multi-line text (a summary, a definition) may hold of those: tab and line breaks.
_TEXT_ALLOWED = frozenset("\t\n\r")
#: Everything ``str.splitlines`` splits at, and other control characters.
_BREAKS_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def normalize(text: str) -> str:
    """The lookup form of *text*: NFKC, case-folded, with spaces, hyphens and underscores
    equal.

    NFKC folds compatibility forms (full-width letters, ligatures, superscripts), so a
    look-alike such as "ｋernel" is the same form as "kernel", never a new one.
    """
    if text.isascii():  # NFKC leaves ASCII as it is
        folded = text.casefold()
    else:
        folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return SEPARATORS_RE.sub(" ", folded).strip()


def unsafe_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The characters of *text* a name may not hold, each once, as ``U+XXXX`` codes.

    :param multiline: *text* is a summary or definition: tabs and line breaks are allowed,
        and format characters too (only control characters are refused).
    """
    if text.isprintable() and text.isascii():  # the common case, answered fast
        return []
    found: dict[str, None] = {}
    for char in text:
        category = unicodedata.category(char)
        if multiline:
            bad = category == "Cc" and char not in _TEXT_ALLOWED
        else:
            bad = category in _NAME_UNSAFE
        if bad:
            found[f"U+{ord(char):04X}"] = None
    return list(found)


def one_line(text: str) -> str:
    """*text* with each run of control characters and line breaks made one space.

    For formats with one entry per line (``objects.inv``): whatever a term file holds,
    a name written through this never starts a new entry.
    """
    return _BREAKS_RE.sub(" ", text).strip()


def printable(text: str) -> str:
    """*text* with each character a terminal would act on or hide written as an escape.

    ESC becomes ``\\x1b``, a line break ``\\n``, a zero-width space ``\\u200b``: what a
    term file holds is shown, never executed by the terminal.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


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
