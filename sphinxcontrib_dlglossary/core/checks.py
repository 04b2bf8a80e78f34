"""What ``dlglossary validate`` rejects beyond the schema: one function per rule.

The schema (:mod:`.termfiles`) checks each entry on its own. The rules here look across
entries and files, in this order: a key is defined once (unless a later file overrides
it), every form names one term, related terms exist, no raw HTML, the summary and
definition hold only safe MyST (:mod:`.safemarkup`), references in a definition name
known terms, the tooltip text is short enough. To add a rule, write a
function that takes the entry (and what it needs) and returns problems, and call it from
:func:`check_entries`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

from sphinxcontrib_dlglossary.core.model import SUMMARY_MAX, TOOLTIP_MAX, Term
from sphinxcontrib_dlglossary.core.naming import normalize, plurals
from sphinxcontrib_dlglossary.core.rolesyntax import MYST_ROLE_RE, parse_role_body
from sphinxcontrib_dlglossary.core.safemarkup import check as check_markup
from sphinxcontrib_dlglossary.core.safemarkup import tex_outside_math
from sphinxcontrib_dlglossary.core.termfiles import Entry, Problem

__all__ = ["check_entries"]

#: What looks like an HTML tag or comment (a Markdown autolink ``<https://...>`` does not).
_HTML_RE = re.compile(r"<!--|<\s*/?\s*[A-Za-z][\w-]*(\s[^<>]*)?/?\s*>")
#: Inline code spans and backslash escapes: "<b>" there is text, not HTML.
_CODE_RE = re.compile(r"(`+)(?s:.+?)\1|\\<")
#: Fields whose text is checked for raw HTML.
_TEXT_FIELDS = ("title", "summary", "definition", "aliases", "variants", "avoid")

#: Normalized form -> (the entry that owns it, the form as written).
Owners = dict[str, tuple[Entry, str]]


def check_entries(entries: list[Entry], exclude: Iterable[str] = (), *,
                  editorial: Callable[[Entry], bool] = lambda entry: False,
                  vocabulary: Collection[str] = ()) -> tuple[list[Term], list[Problem]]:
    """The terms the entries define, and every problem across them.

    Later files override earlier ones only where an entry says ``override: true``.
    Entries for which *editorial* is true (the canonical set's, or every entry with
    ``validate --strict``) are held to the editorial rules too (:func:`editorial_rules`),
    with tags from *vocabulary*.
    """
    chosen, problems = unique_keys(entries)
    excluded = set(exclude)
    kept = {k: e for k, e in chosen.items() if k not in excluded}
    owners, form_problems = unique_forms(kept.values())
    problems += form_problems
    for entry in kept.values():
        term = entry.term()
        problems += related_exist(entry, term, kept, excluded)
        problems += no_raw_html(entry)
        problems += safe_markup(entry)
        problems += references_known(entry, owners, kept, excluded)
        problems += tooltip_length(entry, term)
        problems += not_matching_phrases(entry, term, owners)
        if editorial(entry):
            problems += editorial_rules(entry, term, vocabulary)
    problems.sort(key=lambda p: (p.file, p.line or 0))
    return [e.term() for e in kept.values()], problems


def unique_keys(entries: Iterable[Entry]) -> tuple[dict[str, Entry], list[Problem]]:
    """One entry per key: a repeated key is a problem unless a later file overrides it."""
    problems: list[Problem] = []
    chosen: dict[str, Entry] = {}
    for entry in entries:
        if not entry.valid or not entry.key:
            continue
        previous = chosen.get(entry.key)
        if previous is not None and not (entry.override and previous.file != entry.file):
            where = f"{previous.file}:{previous.line}"
            hint = "" if previous.file == entry.file else "; add 'override: true' to replace it"
            problems.append(entry.problem(f"duplicate key: already defined at {where}{hint}",
                                          "key"))
            continue
        if entry.override and previous is None:
            problems.append(entry.problem("'override: true' but there is no earlier term "
                                          "with this key to replace", "override"))
        chosen[entry.key] = entry
    return chosen, problems


def unique_forms(entries: Iterable[Entry]) -> tuple[Owners, list[Problem]]:
    """Every form (key, title, alias, variant, avoided synonym, plurals) names one term."""
    owners: Owners = {}
    problems: list[Problem] = []
    for entry in entries:
        for form, kind in entry.term().forms():
            clash = _claim(owners, entry, form)
            if clash is not None:
                fld = {"key": "key", "title": "title"}.get(kind, kind)
                problems.append(entry.problem(clash, fld))
    return owners, problems


def _claim(owners: Owners, entry: Entry, form: str) -> str | None:
    """Give *form* and its plurals to *entry*; the message if another term has one."""
    for name in (normalize(form), *plurals(normalize(form))):
        other = owners.setdefault(name, (entry, form))
        if other[0] is not entry:
            via = "" if name == normalize(form) else f" (as its plural '{name}')"
            return (f"{form!r}{via} would also name term '{other[0].key}' "
                    f"({other[0].file}:{other[0].line}); a form must name one term")
    return None


def related_exist(entry: Entry, term: Term, kept: Mapping[str, Entry],
                  excluded: set[str]) -> Iterator[Problem]:
    """Each related key names a term of the set (or one the project excluded)."""
    for rel in term.related:
        if rel not in kept and rel not in excluded:
            yield entry.problem(f"unknown related term '{rel}'", "related")


def no_raw_html(entry: Entry) -> Iterator[Problem]:
    """No HTML tags or comments in any text field (code spans and roles aside)."""
    for fld in _TEXT_FIELDS:
        value = entry.data.get(fld)
        texts = value if isinstance(value, list) else [value] if value else []
        if any(_HTML_RE.search(_CODE_RE.sub("", MYST_ROLE_RE.sub("", t))) for t in texts):
            yield entry.problem("raw HTML is not allowed; write MyST Markdown", fld)


def safe_markup(entry: Entry) -> Iterator[Problem]:
    """The summary and definition hold only the safe MyST subset (:mod:`.safemarkup`);
    names hold no TeX a page-wide math renderer would typeset."""
    for fld in ("title", "aliases", "variants", "avoid"):
        value = entry.data.get(fld)
        for name in value if isinstance(value, list) else [value]:
            reason = tex_outside_math(name) if isinstance(name, str) else None
            if reason is not None:
                yield entry.problem(reason, fld)
    for fld in ("summary", "definition"):
        text = entry.data.get(fld)
        if not isinstance(text, str):
            continue
        for refusal in check_markup(text):
            where = f"line {refusal.line} of the {fld}: " if "\n" in text.strip() else ""
            yield entry.problem(f"{where}{refusal.message}", fld)


def references_known(entry: Entry, owners: Owners, kept: Mapping[str, Entry],
                     excluded: set[str]) -> Iterator[Problem]:
    """Each ``{dlterm}`` in the summary and definition names a known term."""
    for fld in ("summary", "definition"):
        for match in MYST_ROLE_RE.finditer(entry.data.get(fld) or ""):
            target = parse_role_body(match.group("body")).target
            known = normalize(target) in owners or target in kept
            if not known and target not in excluded:
                yield entry.problem(f"reference to unknown term '{target}'", fld)


def tooltip_length(entry: Entry, term: Term) -> Iterator[Problem]:
    """The tooltip text (the summary, else the definition) fits a card."""
    if len(term.tooltip) > TOOLTIP_MAX:
        fld = "summary" if term.summary else "definition"
        yield entry.problem(
            f"the tooltip text is {len(term.tooltip)} characters; keep it within "
            f"{TOOLTIP_MAX} (add or shorten the summary)", fld)


def not_matching_phrases(entry: Entry, term: Term, owners: Owners) -> Iterator[Problem]:
    """Each ``not_matching`` phrase holds a form of its term and is no term's form."""
    own = {normalize(form) for form, _ in term.forms()}
    for phrase in term.not_matching:
        name = normalize(phrase)
        owner = owners.get(name)
        if owner is not None:
            yield entry.problem(f"{phrase!r} is a form of term '{owner[0].key}'; a phrase "
                                f"that must not match cannot also be a name", "not_matching")
        elif not any(_holds(name, form) for form in own):
            yield entry.problem(f"{phrase!r} holds no form of this term, so it can never "
                                f"match it; leave it out", "not_matching")


def _holds(phrase: str, form: str) -> bool:
    return f" {form} " in f" {phrase} " or any(
        f" {plural} " in f" {phrase} " for plural in plurals(form))


#: A sentence end: ".", "!" or "?" before a space or the end (not in "e.g." or "i.e.").
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\betc)(?<!\bal)[.!?](?=\s|$)")
#: Signs of a second sense: "also …", or numbered senses "1." / "(1)" / "(a)".
_SECOND_SENSE = re.compile(r"\balso\b|(?:^|\s)(?:\d\.|\(\d\)|\([a-c]\))\s", re.IGNORECASE)


def editorial_rules(entry: Entry, term: Term, vocabulary: Collection[str]) -> Iterator[Problem]:
    """The canonical set's rules: a summary of one plain sentence with one sense, at most
    :data:`~.model.SUMMARY_MAX` characters, and at least one tag, each from the vocabulary."""
    summary = " ".join(term.summary.split())
    if not summary:
        yield entry.problem("missing: every canonical term has a one-sentence summary for "
                            "its tooltip", "summary")
    else:
        prose = _CODE_RE.sub("code", re.sub(r"\$[^$]*\$", "x", MYST_ROLE_RE.sub("term", summary)))
        if len(summary) > SUMMARY_MAX:
            yield entry.problem(f"is {len(summary)} characters long; a summary has at most "
                                f"{SUMMARY_MAX}", "summary")
        ends = _SENTENCE_END.findall(prose)
        if len(ends) != 1 or not prose.endswith((".", "!", "?")):
            yield entry.problem("must be one sentence, ending with a full stop", "summary")
        if _SECOND_SENSE.search(prose):
            yield entry.problem("gives a second sense ('also', or numbered senses); a "
                                "summary holds one sense", "summary")
    if not term.tags:
        yield entry.problem("missing: every canonical term has at least one tag", "tags")
    unknown = [t for t in term.tags if t not in vocabulary]
    if unknown:
        yield entry.problem(f"{', '.join(map(repr, unknown))} not in the tag vocabulary "
                            f"(data/tags.yaml): {', '.join(vocabulary)}", "tags")
