"""What counts as a mention of a glossary term.

``dlglossary lint`` and the build-time auto-linker both ask this module, so they always
agree on what a mention is; which parts of a page are prose is :mod:`.prose`'s business
(and the scanners' of :mod:`sphinxcontrib_dlglossary.lint`).

:class:`Matcher` compiles every form of every term (title, aliases, variants, avoided
synonyms and their plurals, from the :class:`~.model.TermSet` lookup rules) into *one*
regular expression: a character trie, so the engine never tries the forms one by one, and
a greedy optional tail, so the longest form wins ("Convolutional Neural Network" over
"Neural Network"). A mention must stand alone: no word character, hyphen, ``.``, ``/``,
``@``, ``#`` or backslash before it, no word character, hyphen, ``(``, ``[``, ``=`` or
``@`` after it and no ``.``, ``/``, ``:`` or backslash followed by a word character, so
identifiers (``kernel_size``), file names (``kernel.py``), URLs, calls (``loss(x)``) and
hyphenated compounds ("U-Net-like", "non-differentiable") never match. Between the words
of a form any space, line break or hyphen is allowed, as in :func:`~.naming.normalize`.
Case rules:

* a word written in capitals in the data (``CNN``, ``MLP``) matches only exactly, so
  "cnn" and "Mlp" are not mentions;
* a *proper name* (one word with an inner capital such as ``U-Net`` or ``ConvNet``, or
  any camel-case word such as ``ResNet``) matches in any case, but a spelling other than
  the data's ("u-net", "Resnet") is reported as non-canonical;
* other forms match in any case, except an all-capitals spelling ("LOSS", a constant or
  shouting) and a capitalised word right after a capitalised word that does not start
  a sentence ("the Jupyter Kernel", "Linux Kernel"): part of a proper name.

A phrase a term lists in ``not_matching`` ("gradient boosting" for *gradient*, "batch
job" for *minibatch*) is never a mention: it is matched like a form, so it wins over the
shorter form inside it, and dropped.

A term marked ``everyday`` (its word has an everyday sense: kernel, loss, parameters) is
still found, but its mentions are flagged :attr:`Mention.everyday` and are never
"unlinked mentions" unless the project opts the term in.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sphinxcontrib_dlglossary.core.naming import normalize, plural

if TYPE_CHECKING:
    from sphinxcontrib_dlglossary.core.model import TermSet

__all__ = ["Kind", "Matcher", "Mention"]

Kind = Literal["canonical", "variant", "avoid"]

#: Between two words of a form: a hyphen or any run of white space (line breaks included).
_SEP = r"(?:[\-\u2010\u2011]|\s+)"
_SPLIT_RE = re.compile(r"[\s_\-\u2010-\u2014]+")
_BEFORE = r"(?<![\w\-\u2010\u2011./@#\\])"
_AFTER = r"(?![\w\-\u2010\u2011(\[=@]|[./:\\]\w)"
_END = object()
_UNSEEN: Any = object()
_PREV_WORD_RE = re.compile(r"([^\W\d_][\w'’]*)[ \t]*\n?[ \t]*$")


def _is_abbreviation(word: str) -> bool:
    """A word the data writes in capitals (CNN, MLP, "(MLP)"): matched exactly."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_proper(form: str) -> bool:
    """A name whose capitals matter: one word with an inner capital, or a camel-case word."""
    words = form.split()
    if any(re.search(r"[a-z][A-Z]", w) for w in words):
        return True
    return len(words) == 1 and not _is_abbreviation(form) and any(c.isupper() for c in form[1:])


def _skeleton(text: str) -> str:
    """*text* with hyphens and runs of white space each written one way."""
    return re.sub(r"\s+", " ", re.sub(r"[\u2010\u2011]", "-", text))


def _plural_spelling(form: str) -> str | None:
    """The plural of *form* as written (keeping its capitals), or None."""
    lower = plural(form.lower())
    if lower is None:
        return None
    if lower.startswith(form.lower()):
        return form + lower[len(form):]
    return form[: len(form) - 1] + lower[len(form) - 1:]  # -y → -ies


_RANK: dict[Kind, int] = {"canonical": 0, "variant": 1, "avoid": 2}


def _spellings(termset: TermSet) -> dict[str, tuple[str, Kind, tuple[str, ...]]]:
    """Normalized form -> (key, kind, its spellings in the data), keys left out.

    A form two terms claim (the term-file checks forbid it) goes to the first; a form a
    term lists twice counts as its most canonical kind.
    """
    out: dict[str, tuple[str, Kind, tuple[str, ...]]] = {}
    for term in termset:
        for form, field_kind in term.forms():
            if field_kind == "key":
                continue  # a slug, not prose; its words are the title's anyway
            kind: Kind = {"variants": "variant", "avoid": "avoid"}.get(
                field_kind, "canonical")  # type: ignore[assignment]
            norm = normalize(form)
            old = out.get(norm)
            if not norm or (old is not None and (
                    old[0] != term.key or _RANK[old[1]] < _RANK[kind])):
                continue
            if old is not None and old[1] == kind:
                out[norm] = (term.key, kind, (*old[2], form))
            else:
                out[norm] = (term.key, kind, (form,))
    return out


@dataclass(frozen=True)
class _Form:
    """What a normalized form stands for."""

    key: str
    kind: Kind
    #: The spellings of this form in the data (singular), for case checks and messages.
    spellings: tuple[str, ...]
    plural: bool
    proper: bool


class Mention(NamedTuple):
    """One mention of a term in a piece of text (offsets into that text)."""

    start: int
    end: int
    key: str
    #: The text as written.
    text: str
    #: ``canonical`` (title or alias as written), ``variant`` (a spelling to rewrite to
    #: :attr:`replacement`) or ``avoid`` (a synonym the data says to avoid).
    kind: Kind
    #: The term has an everyday sense and the project did not opt it in.
    everyday: bool = False
    #: What a fix writes instead (variants) or what to use (avoided synonyms).
    replacement: str | None = None

    @property
    def linkable(self) -> bool:
        """Whether the auto-linker may link this mention (and lint asks for a link)."""
        return self.kind != "avoid" and not self.everyday


class _Surface(NamedTuple):
    """What a surface text is, whatever its context."""

    key: str
    kind: Kind
    everyday: bool
    replacement: str | None
    #: A capitalised plain form: it is no mention inside a proper name ("Jupyter Kernel").
    contextual: bool


class Matcher:
    """Finds mentions of the terms of a :class:`~.model.TermSet` in plain text.

    Build one per term set and reuse it: construction compiles one regular expression.

    :param include_everyday: keys of ``everyday`` terms whose mentions count as linkable
        anyway, or ``True`` for all of them.
    """

    def __init__(self, termset: TermSet, *,
                 include_everyday: Collection[str] | bool = frozenset()) -> None:
        self.termset = termset
        spellings = _spellings(termset)
        self._forms: dict[str, _Form] = {}
        for norm, (key, kind, spelled) in spellings.items():
            proper = any(_is_proper(s) for s in spelled)
            self._forms[norm] = _Form(key, kind, spelled, False, proper)
        for norm, (key, kind, spelled) in spellings.items():
            many = plural(norm)
            if many and many not in self._forms:
                self._forms[many] = _Form(key, kind, spelled, True, self._forms[norm].proper)
        if include_everyday is True:
            self._everyday: frozenset[str] = frozenset()
        else:
            opted = frozenset(include_everyday or ())
            self._everyday = frozenset(t.key for t in termset if t.everyday and t.key not in opted)
        # Phrases a term lists as never its mention ("gradient boosting") are matched
        # too, so the longest match consumes them, and then dropped.
        blocked = [p for t in termset for p in t.not_matching]
        self._blocked = frozenset(
            name for p in blocked for name in (normalize(p), plural(normalize(p))) if name)
        self.pattern = self._compile(
            [*(s for _, _, spelled in spellings.values() for s in spelled), *blocked])
        self._cache: dict[str, _Surface | None] = {}

    # - building the expression -

    @staticmethod
    def _units(form: str) -> Iterator[list[tuple[str, str]]]:
        """The form as trie units (singular, then plural), each ``(how, char)``."""
        words = [w for w in _SPLIT_RE.split(form.strip()) if w]
        if not words:
            return
        last = _plural_spelling(words[-1])
        for tail in filter(None, (words[-1], last)):
            units: list[tuple[str, str]] = []
            for i, word in enumerate([*words[:-1], tail]):
                if i:
                    units.append(("sep", ""))
                how = "exact" if _is_abbreviation(words[i]) else "fold"
                units += [(how, c if how == "exact" else c.lower()) for c in word]
            yield units

    def _compile(self, forms: Iterable[str]) -> re.Pattern[str]:
        trie: dict[Any, Any] = {}
        for form in forms:
            for units in self._units(form):
                node = trie
                for unit in units:
                    node = node.setdefault(unit, {})
                node[_END] = True
        body = self._emit(trie) or r"(?!x)x"
        return re.compile(f"{_BEFORE}(?:{body}){_AFTER}", re.IGNORECASE)

    def _emit(self, node: dict[Any, Any]) -> str:
        """The expression for a trie node; a finished form's tail is greedy-optional."""
        alts = []
        # Exact (case-sensitive) units before folded ones, so "CNN" is tried as written.
        for unit in sorted((u for u in node if u is not _END), key=lambda u: (u[0] != "exact", u)):
            how, char = unit
            if how == "sep":
                head = _SEP
            elif how == "exact":
                head = f"(?-i:{re.escape(char)})"
            else:
                head = re.escape(char)
            alts.append(head + self._emit(node[unit]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if _END in node:
            return f"(?:{body})?"
        return body

    # - matching -

    def find(self, text: str) -> list[Mention]:
        """Every mention in *text*, left to right, longest first, with offsets into *text*."""
        out: list[Mention] = []
        cache = self._cache
        for match in self.pattern.finditer(text):
            surface = match.group()
            what = cache.get(surface, _UNSEEN)
            if what is _UNSEEN:
                if len(cache) > 50_000:
                    cache.clear()
                what = cache[surface] = self._surface(surface)
            if what is None or (what.contextual and self._in_proper_name(
                    text, match.start(), out[-1].end if out else 0)):
                continue
            out.append(Mention(match.start(), match.end(), what.key, surface, what.kind,
                               what.everyday, what.replacement))
        return out

    def linkable(self, text: str) -> list[Mention]:
        """The mentions the auto-linker may link (not avoided, not everyday unless opted in)."""
        return [m for m in self.find(text) if m.linkable]

    def _surface(self, surface: str) -> _Surface | None:
        if normalize(surface) in self._blocked:
            return None  # a phrase a term says is not its mention
        info = self._forms.get(normalize(surface))
        if info is None:  # pragma: no cover - the expression only holds known forms
            return None
        abbreviation = any(_is_abbreviation(s) for s in info.spellings)
        if _is_abbreviation(surface) and not abbreviation:
            return None  # "LOSS", "BATCH": a constant or shouting, not the term
        kind, replacement = self._respelling(info, surface)
        contextual = surface[:1].isupper() and not info.proper and not abbreviation
        return _Surface(info.key, kind, info.key in self._everyday, replacement, contextual)

    def _respelling(self, info: _Form, surface: str) -> tuple[Kind, str | None]:
        """The kind of *surface* and what a fix writes instead (None: nothing to fix).

        A proper name in other capitals ("u-net") is a variant of its canonical spelling.
        """
        if info.proper and info.kind == "canonical":
            spelled = info.spellings
            if info.plural:
                spelled = tuple(p for p in map(_plural_spelling, spelled) if p)
            if _skeleton(surface) not in {_skeleton(s) for s in spelled}:
                return "variant", self._styled(info.spellings[0], surface, info.plural,
                                               proper=True)
        if info.kind == "canonical":
            return "canonical", None
        title = self.termset.terms[info.key].title
        return info.kind, self._styled(title, surface, info.plural, proper=_is_proper(title))

    @staticmethod
    def _in_proper_name(text: str, start: int, floor: int) -> bool:
        """Whether a capitalised word at *start* follows a capitalised word inside a
        sentence ("the Jupyter Kernel"): then it is part of a name, not a mention.

        *floor* is the end of the mention found before (0 if none). A word right after
        that mention, or at the start of *text*, may start a sentence, so the rule is off:
        this way wrapping a mention in a role, which splits the text, never changes the
        answer (``--fix`` stays idempotent).
        """
        prev = _PREV_WORD_RE.search(text, max(floor, start - 80), start)
        if prev is None or not prev.group(1)[:1].isupper():
            return False
        before = prev.start()
        while before > floor and text[before - 1].isspace():
            before -= 1
        return before > floor and text[before - 1] not in ".!?:"

    @staticmethod
    def _styled(target: str, surface: str, many: bool, *, proper: bool) -> str:
        """*target* written to replace *surface*: plural kept, sentence capital kept."""
        if many:
            target = _plural_spelling(target) or target
        if not proper:
            target = " ".join(w if _is_abbreviation(w) else w.lower() for w in target.split(" "))
            if surface[:1].isupper():
                target = target[:1].upper() + target[1:]
        return target
