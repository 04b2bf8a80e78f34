"""The term set in another language: translation files, their checks, and applying them.

A translation file (format: ``data/translation.schema.json``) gives, for canonical keys,
the title, summary and definition in one language and the names a writer of that
language uses (aliases, with their plurals: only English plurals are derived). The
package ships the translations in ``data/translations/<language>.yaml``; a site whose
``language`` is one of them gets it without a setting (``dlglossary_translation``).

Applied to a term set (:func:`apply`), a translated term shows the translated title,
summary and definition; it keeps its key (so anchors and links are the same in every
language), tags, related terms and reading; and it answers to its translated names as
well as to all its English ones, so a German page may write ``{dlterm}`Faltungsschicht```
or ``{dlterm}`convolutional layer```. A term the file does not list stays in English.

:func:`check` is what ``dlglossary validate`` runs on a translation: the schema, unknown
keys, a missing summary where the canonical term has one, the same safe MyST as in the
canonical set, references to known terms, and no name that would name two terms.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sphinxcontrib_dlglossary.core import checks
from sphinxcontrib_dlglossary.core.datafiles import data_dir
from sphinxcontrib_dlglossary.core.model import TOOLTIP_MAX, Term, TermSet
from sphinxcontrib_dlglossary.core.naming import normalize, plurals
from sphinxcontrib_dlglossary.core.termfiles import (
    MAX_FILE_SIZE,
    TRANSLATION_SCHEMA,
    Entry,
    Problem,
    read_entries,
    unsafe_text,
)

__all__ = ["Translation", "apply", "check", "chosen", "for_language", "load_shipped", "read",
           "shipped", "translate"]

#: The fields a translation gives; the others come from the canonical term.
FIELDS = ("title", "summary", "definition", "aliases")


@dataclass(frozen=True)
class Translation:
    """The translated terms of one file, by key (only entries that passed the schema)."""

    language: str
    #: The content version of the canonical set it was made from ("" if not said).
    translates: str
    file: str
    entries: tuple[Entry, ...]

    @property
    def by_key(self) -> dict[str, Entry]:
        return {e.key: e for e in self.entries if e.valid and e.key}


def shipped() -> dict[str, Path]:
    """The translations the package ships: language -> file."""
    folder = data_dir().joinpath("translations")
    if not folder.is_dir():  # pragma: no cover - the folder ships with the package
        return {}
    return {Path(f.name).stem: Path(str(f)) for f in folder.iterdir()
            if f.name.endswith(".yaml")}


def for_language(language: str | None) -> str | None:
    """The shipped translation for a Sphinx ``language`` ("de", "de_AT", "pt-BR"): the
    language itself, else its base language; None for English or none shipped."""
    if not language:
        return None
    name = language.replace("-", "_")
    available = shipped()
    for candidate in (name, name.split("_")[0].lower()):
        if candidate in available:
            return candidate
    return None


def chosen(setting: str, language: str | None, root: Path | str,
           ) -> tuple[tuple[str, str] | None, str | None]:
    """Which translation a project shows, from ``dlglossary_translation`` (*setting*) and
    Sphinx's ``language``: ((path, name in messages), or None for English; a note when
    the setting names a language nothing ships for)."""
    setting = setting.strip()
    if setting.endswith((".yaml", ".yml", ".json")):
        return (str(Path(root, setting)), setting), None
    if not setting or setting.replace("-", "_") in ("en", "en_US", "en_GB"):
        return None, None
    found = for_language(language if setting == "auto" else setting)
    if found is None:
        if setting == "auto":
            return None, None
        known = ", ".join(sorted(shipped())) or "none"
        return None, (f"dlglossary_translation = {setting!r}: no shipped translation of the "
                      f"term set in this language (shipped: {known}); showing English")
    path = str(shipped()[found])
    return (path, path), None


def translate(termset: TermSet, path: str, display: str, max_size: int = MAX_FILE_SIZE,
              ) -> tuple[TermSet, list[Problem]]:
    """*termset* in the language of the translation file at *path*, and its problems
    (the schema's and :func:`check`'s)."""
    found, problems = read(Path(path), display, max_size)
    if found is None:
        return termset, problems
    return apply(termset, found), [*problems, *check(found, termset)]


def read(path: Path, display: str | None = None, max_size: int = MAX_FILE_SIZE,
         ) -> tuple[Translation | None, list[Problem]]:
    """A translation file, and the problems of its syntax and schema."""
    display = display or str(path)
    header: dict[str, object] = {}
    entries, problems = read_entries(path, display, max_size, TRANSLATION_SCHEMA, header)
    if not entries and problems:
        return None, problems
    return Translation(str(header.get("language", "")), str(header.get("translates", "")),
                       display, tuple(entries)), problems


def check(translation: Translation, termset: TermSet) -> list[Problem]:
    """Every problem of *translation* against *termset* beyond the schema, in file order."""
    problems: list[Problem] = []
    seen: dict[str, Entry] = {}
    for entry in translation.entries:
        if not entry.valid or not entry.key:
            continue
        if entry.key in seen:
            first = seen[entry.key]
            problems.append(entry.problem(
                f"duplicate key: already translated at {first.file}:{first.line}", "key"))
            continue
        seen[entry.key] = entry
        unsafe = unsafe_text(entry)
        if unsafe:  # read_entries() found these already in a file; not in other sources
            entry.valid = False
            problems += unsafe
            continue
        term = termset.terms.get(entry.key)
        if term is None:
            hint = termset.hint(entry.key)
            problems.append(entry.problem(f"unknown key '{entry.key}': the term set has no "
                                          f"such term{hint}", "key"))
            continue
        if term.summary and not entry.data.get("summary"):
            problems.append(entry.problem("missing field: the canonical term has a summary, "
                                          "so its translation needs one (tooltips show it)",
                                          "summary"))
        problems += checks.no_raw_html(entry)
        problems += checks.safe_markup(entry)
        problems += _references_known(entry, termset)
        tooltip = entry.data.get("summary") or entry.data.get("definition") or ""
        if len(tooltip) > TOOLTIP_MAX:
            fld = "summary" if entry.data.get("summary") else "definition"
            problems.append(entry.problem(f"the tooltip text is {len(tooltip)} characters, "
                                          f"more than {TOOLTIP_MAX}", fld))
    problems += _names_clash(seen, termset)
    problems.sort(key=lambda p: (p.line or 0))
    return problems


def _references_known(entry: Entry, termset: TermSet) -> list[Problem]:
    from sphinxcontrib_dlglossary.core.rolesyntax import MYST_ROLE_RE, parse_role_body

    out = []
    for fld in ("summary", "definition"):
        for match in MYST_ROLE_RE.finditer(entry.data.get(fld) or ""):
            target = parse_role_body(match.group("body")).target
            if termset.resolve(target) is None:
                out.append(entry.problem(f"reference to unknown term '{target}'", fld))
    return out


def _names_clash(entries: Mapping[str, Entry], termset: TermSet) -> list[Problem]:
    """A translated title or alias (or its plural) that names another term, in this
    language or in English: a name must name one term."""
    owners: dict[str, tuple[str, str]] = {}  # normalized name -> (key, where)
    for term in termset:
        for form, _kind in term.forms():
            for name in (normalize(form), *plurals(normalize(form))):
                owners.setdefault(name, (term.key, "the English forms"))
    problems = []
    for key, entry in entries.items():
        names: list[tuple[str, object]] = [("title", entry.data.get("title"))]
        names += [("aliases", a) for a in entry.data.get("aliases") or []]
        for fld, value in names:
            if not isinstance(value, str):
                continue
            for form in dict.fromkeys((normalize(value), *plurals(normalize(value)))):
                owner = owners.setdefault(form, (key, f"{entry.file}:{entry.line}"))
                if owner[0] != key:
                    via = "" if form == normalize(value) else f" (as its plural '{form}')"
                    problems.append(entry.problem(
                        f"{value!r}{via} would also name term '{owner[0]}' ({owner[1]}); "
                        "a name must name one term", fld))
                    break
    return problems


def apply(termset: TermSet, translation: Translation) -> TermSet:
    """*termset* with the translated fields of *translation* (terms it does not list,
    and entries with problems of the schema, stay as they are).

    A translated name that would name another term is left out (``validate`` reports
    it); the English title becomes an alias, so every English form still resolves.
    """
    taken: dict[str, str] = {}
    for term in termset:
        for form, _kind in term.forms():
            for name in (normalize(form), *plurals(normalize(form))):
                taken.setdefault(name, term.key)
    terms: list[Term] = []
    by_key = translation.by_key
    for term in termset:
        entry = by_key.get(term.key)
        if entry is None:
            terms.append(term)
            continue
        data = entry.data
        names = [n for n in (data.get("title"), *(data.get("aliases") or []))
                 if isinstance(n, str)]
        own = [n for n in names if _claim(taken, n, term.key)]
        title = data["title"] if data["title"] in own else term.title
        english = (term.title,) if title != term.title else ()
        aliases = tuple(dict.fromkeys(
            [*(n for n in own if n != title), *english, *term.aliases]))
        terms.append(dataclasses.replace(
            term, title=title, aliases=aliases, summary=data.get("summary") or term.summary,
            definition=data["definition"], source=entry.file, line=entry.line))
    return TermSet(terms, termset.version)


def _claim(taken: dict[str, str], name: str, key: str) -> bool:
    """Whether *name* (and its plurals) is free for *key*, or already *key*'s; claims it."""
    forms = (normalize(name), *plurals(normalize(name)))
    if any(taken.get(f, key) != key for f in forms):
        return False
    for form in forms:
        taken.setdefault(form, key)
    return True


@functools.cache
def load_shipped(language: str) -> Translation:
    """A shipped translation (read once per process)."""
    translation, _ = read(shipped()[language])
    assert translation is not None, language
    return translation
