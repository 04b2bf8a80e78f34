"""Alphabetical order and the letters of a glossary, in the site's language.

A reader of a German glossary looks for "Ähnlichkeit" under A, a French one for "Époque"
under E: accented letters sort and file with their base letter (DIN 5007-1, and the
practice of French, Portuguese and English dictionaries); "ß" sorts as "ss". Spanish files
"ñ" as a letter of its own, after "n" (the Real Academia's alphabet), and so does the
letter bar. Letters of other alphabets (Greek, Cyrillic) file under themselves, after
the Latin ones.

Chinese, Japanese and Korean have no alphabetical index a program can derive from the
title alone (Chinese dictionaries order by pinyin or strokes, Japanese by the reading in
kana, both of which need data no title carries). A glossary in those languages is ordered
by the term's key, its canonical English name, and filed under the key's letter, so that
its entries stand in the order of the English glossary and a reader who knows the English
term finds it; the shown titles are in the site's language.

Pure functions of the language code (``de``, ``de_AT``, ``pt-BR``): no locale of the
operating system is used, so every machine sorts a glossary the same way.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["Collation", "collation"]

#: Languages without an alphabetical index derivable from a title (see the module text).
BY_KEY = frozenset({"zh", "ja", "ko"})
#: Per language, letters that are letters of their own, not their base letter + accent;
#: each sorts right after the letter named.
OWN_LETTERS = {"es": {"ñ": "n"}}
#: Letters a casefold or an accent strip does not turn into their sort form.
_EXPAND = {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i"}


def _base(language: str | None) -> str:
    return (language or "en").replace("-", "_").split("_")[0].lower()


@dataclass(frozen=True)
class Collation:
    """How one language orders and files titles."""

    language: str
    #: Entries ordered by key (not by title), filed under the key's letter.
    by_key: bool
    #: Letters of their own (``ñ``) -> the letter they follow (``n``).
    own_letters: dict[str, str]

    def fold(self, text: str) -> str:
        """*text* as it sorts: casefolded, accents removed, except the language's own
        letters, which sort right after their base letter."""
        out = []
        for char in text.casefold():
            if char in self.own_letters:
                # "n" + a character above every letter: after all "n…", before "o".
                out.append(self.own_letters[char] + "\U0010ffff")
                continue
            char = _EXPAND.get(char, char)
            decomposed = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in decomposed if not unicodedata.combining(c)))
        return "".join(out)

    def sort_key(self, title: str, key: str) -> tuple[str, str, str]:
        """Entries sort by this: the folded text, then as written (so that "Resume"
        and "Résumé" always come in one order), then the key."""
        text = key.replace("-", " ") if self.by_key else title
        return (self.fold(text), text.casefold(), key)

    def letter(self, title: str, key: str) -> str:
        """What an entry files under: its first letter as it sorts (lower case), the
        language's own letter where it has one, or ``#`` if not a letter."""
        text = key if self.by_key else title
        first = text.casefold()[:1]
        if not first:
            return "#"
        if first in self.own_letters:
            return first
        folded = self.fold(first)[:1]
        return folded if folded.isalpha() else "#"

    def alphabet(self) -> list[str]:
        """The letters the bar always shows, in order: a to z, with the language's own
        letters after their base letter."""
        letters = list("abcdefghijklmnopqrstuvwxyz")
        for own, after in sorted(self.own_letters.items(), key=lambda kv: kv[1]):
            letters.insert(letters.index(after) + 1, own)
        return letters

    def letter_order(self, letter: str) -> str:
        """Sorts the letters of the bar: the Latin ones in alphabet order, then others."""
        return self.fold(letter)


def collation(language: str | None) -> Collation:
    """The collation of a Sphinx ``language`` value (None: English)."""
    base = _base(language)
    return Collation(language=base, by_key=base in BY_KEY,
                     own_letters=dict(OWN_LETTERS.get(base, {})))
