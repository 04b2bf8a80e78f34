"""A term and a set of terms, with the one lookup every part of the package uses.

:meth:`TermSet.lookup` resolves a key, title, alias or variant, in any case, with
spaces, hyphens and underscores equal, and their regular plurals; :meth:`TermSet.hint`
is the "did you mean" every message about an unknown term ends with.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sphinxcontrib_dlglossary.core.naming import normalize, plurals

__all__ = ["FIELDS", "SUMMARY_MAX", "TOOLTIP_MAX", "Term", "TermSet"]

#: Fields of a term, in the order they are exported and shown.
FIELDS = (
    "key",
    "title",
    "summary",
    "definition",
    "aliases",
    "variants",
    "avoid",
    "related",
    "tags",
    "everyday",
    "not_matching",
    "reading",
)
#: The longest text a tooltip shows: a longer definition needs a summary.
TOOLTIP_MAX = 350
#: The longest summary of a canonical term (one sentence).
SUMMARY_MAX = 160


@dataclass(frozen=True)
class Term:
    """One glossary term, as read from a term file."""

    key: str
    title: str
    definition: str
    summary: str = ""
    aliases: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    everyday: bool = False
    #: Phrases holding a form of this term that must never count as a mention of it
    #: ("gradient boosting" for *gradient*): auto-link and lint skip them.
    not_matching: tuple[str, ...] = ()
    #: Further reading: ``(title, https URL)`` pairs.
    reading: tuple[tuple[str, str], ...] = ()
    #: The file this term came from (for messages) and the line of its entry.
    source: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    @property
    def tooltip(self) -> str:
        """The MyST text a tooltip shows: the summary, else the definition."""
        return self.summary or self.definition

    def forms(self) -> Iterator[tuple[str, str]]:
        """``(form, kind)`` for every name this term answers to, written as in the data."""
        yield self.key, "key"
        yield self.title, "title"
        for kind in ("aliases", "variants", "avoid"):
            for form in getattr(self, kind):
                yield form, kind

    def to_dict(self) -> dict[str, Any]:
        """The term as plain data in the schema's field order, leaving out empty fields."""
        out: dict[str, Any] = {}
        for name in FIELDS:
            value = getattr(self, name)
            if value in ("", (), False):
                continue
            if name == "reading":
                value = [{"title": t, "url": u} for t, u in value]
            out[name] = list(value) if isinstance(value, tuple) else value
        return out

    def digest(self) -> str:
        """A hash of the term's content: tells the build which terms changed."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


class TermSet:
    """Validated terms, with the lookup every part of the extension uses."""

    def __init__(self, terms: Iterable[Term], version: str = "") -> None:
        self.terms: dict[str, Term] = {t.key: t for t in sorted(terms, key=lambda t: t.key)}
        #: The content version of the canonical set these terms build on ("" if none).
        self.version = version
        #: normalized form -> key; every form belongs to exactly one term (load() checks).
        self._forms: dict[str, str] = {}
        #: normalized form -> the spelling to suggest (key first, plurals never).
        self._spelling: dict[str, str] = {}
        for term in self.terms.values():
            for form, kind in term.forms():
                for name in (normalize(form), *plurals(normalize(form))):
                    self._forms.setdefault(name, term.key)
                self._spelling.setdefault(normalize(form), form if kind != "key" else term.key)

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def __contains__(self, key: object) -> bool:
        return key in self.terms

    def lookup(self, text: str) -> Term | None:
        """The term *text* names (key, title, alias, variant, or their plurals), or None."""
        key = self._forms.get(normalize(text))
        return self.terms[key] if key else None

    def resolve(self, name: str) -> Term | None:
        """The term with the key *name*, else the one *name* names (:meth:`lookup`)."""
        return self.terms.get(name) or self.lookup(name)

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Up to *limit* known spellings closest to *text*, one per term, best first."""
        matches = difflib.get_close_matches(normalize(text), self._spelling, n=12, cutoff=0.6)
        seen: set[str] = set()
        out: list[str] = []
        for form in matches:
            key = self._forms[form]
            if key not in seen:
                seen.add(key)
                out.append(self._spelling[form])
        return out[:limit]

    def hint(self, text: str, otherwise: str = "") -> str:
        """"; did you mean 'a' or 'b'?" for an unknown *text*, else *otherwise*."""
        found = self.suggest(text)
        if not found:
            return otherwise
        return f"; did you mean {' or '.join(repr(h) for h in found)}?"

    def forms(self) -> dict[str, str]:
        """Every normalized lookup form (plurals included) and the key it resolves to."""
        return dict(self._forms)

    def spellings(self) -> dict[str, str]:
        """Every normalized form :meth:`suggest` may offer, and how it is written (the
        key for a key, never a plural), in the order :meth:`suggest` reads them."""
        return dict(self._spelling)

    def to_dict(self) -> dict[str, Any]:
        """The whole set as plain data, in the term-file format."""
        head: dict[str, Any] = {"version": 1}
        if self.version:
            head["content_version"] = self.version
        return {**head, "terms": [t.to_dict() for t in self]}
