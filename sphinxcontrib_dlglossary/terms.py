"""The term set: read term files, check them, and look terms up.

This module holds the data side of the extension and imports nothing from Sphinx, so the
``dlglossary`` command starts fast and a term file can be checked without a build. The
Sphinx side (the domain, the role, the glossary page) and the CLI both use :func:`load` and
:meth:`TermSet.lookup`, so a word resolves the same way everywhere.

A term file is YAML (or JSON) that matches ``data/schema.json``. Every problem found in a
file becomes a :class:`Problem` that names the file, the line, the entry and the field;
nothing a user writes in a term file ends in a traceback.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "Problem",
    "Term",
    "TermSet",
    "TermSetError",
    "canonical_file",
    "load",
    "load_canonical",
    "load_with_problems",
    "normalize",
    "plural",
    "plurals",
    "schema",
]

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
)
#: The longest text a tooltip shows: a longer definition needs a summary.
TOOLTIP_MAX = 350

_ROLE_RE = re.compile(r"\{dlterm\}`(?P<body>[^`]*)`")
#: What looks like an HTML tag or comment (a Markdown autolink ``<https://...>`` does not).
_HTML_RE = re.compile(r"<!--|<\s*/?\s*[A-Za-z][\w-]*(\s[^<>]*)?/?\s*>")
#: Inline code spans and backslash escapes: "<b>" there is text, not HTML.
_CODE_RE = re.compile(r"(`+)(?s:.+?)\1|\\<")
_SEPARATORS_RE = re.compile(r"[\s_\-\u2010-\u2014]+")


def normalize(text: str) -> str:
    """The lookup form of *text*: case-folded, with spaces, hyphens and underscores equal."""
    return _SEPARATORS_RE.sub(" ", text.casefold()).strip()


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


def role_target(body: str) -> str:
    """The target of a ``dlterm`` role body: ``text <target>`` or just ``target``."""
    body = body.lstrip("!~")
    match = re.fullmatch(r"(?s)(.*?)\s*<([^<>]+)>\s*", body)
    return match.group(2).strip() if match else body.strip()


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
            out[name] = list(value) if isinstance(value, tuple) else value
        return out

    def digest(self) -> str:
        """A hash of the term's content: tells the build which terms changed."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a term file, located as precisely as the file allows."""

    file: str
    message: str
    line: int | None = None
    entry: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.entry:
            parts.append(f"entry {self.entry}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join([*parts, self.message])


class TermSetError(Exception):
    """A term set could not be loaded; :attr:`problems` says every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TermSet:
    """Validated terms, with the lookup every part of the extension uses."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: dict[str, Term] = {t.key: t for t in sorted(terms, key=lambda t: t.key)}
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

    def forms(self) -> dict[str, str]:
        """Every normalized lookup form (plurals included) and the key it resolves to."""
        return dict(self._forms)

    def to_dict(self) -> dict[str, Any]:
        """The whole set as plain data, in the term-file format."""
        return {"version": 1, "terms": [t.to_dict() for t in self]}


# -- reading files -----------------------------------------------------------------------------


class _Node(dict):
    """A mapping read from YAML that remembers its line and the line of each field."""

    line: int = 0
    field_lines: dict[str, int]
    #: (field, line) of each field named a second time in this mapping
    repeated: list[tuple[str, int]]


class _Seq(list):
    """A sequence read from YAML that remembers the line of each item."""

    item_lines: list[int]


#: The C parser where PyYAML has it (it reports the same marks), else the Python one.
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LocatingLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """A safe YAML loader that records lines and reports repeated fields in a mapping."""

    def __init__(self, stream: str, path: str, problems: list[Problem]) -> None:
        super().__init__(stream)
        self._path = path
        self._problems = problems

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> _Node:
        out = _Node()
        out.line = node.start_mark.line + 1
        out.field_lines = {}
        out.repeated = []
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):  # 1:, true:, ? [a, b]: a field name is text
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key)
            line = key_node.start_mark.line + 1
            if key in out:
                out.repeated.append((key, line))
            out[key] = self.construct_object(value_node, deep=True)
            out.field_lines[str(key)] = line
        return out


def _construct_seq(loader: _LocatingLoader, node: yaml.SequenceNode) -> _Seq:
    out = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_LocatingLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_LocatingLoader.add_constructor(
    "tag:yaml.org,2002:map",
    lambda loader, node: loader.construct_mapping(node),
)


def _read(path: Path, display: str) -> tuple[Any, list[Problem]]:
    """Parse one term file; syntax and encoding problems come back as located problems."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, f"cannot read the file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(display, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line)]
    if not text.strip():
        return None, [Problem(display, "the file is empty; expected a mapping with 'terms'")]
    problems: list[Problem] = []
    if path.suffix.lower() == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return None, [Problem(display, f"invalid JSON: {exc.msg} (column {exc.colno})",
                                  exc.lineno)]
    loader = _LocatingLoader(text, display, problems)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        lineno = mark.line + 1 if mark else None
        what = " ".join(filter(None, [exc.context, exc.problem]))
        return None, [Problem(display, f"invalid YAML: {what}", lineno)]
    except yaml.YAMLError as exc:  # pragma: no cover - other reader errors
        return None, [Problem(display, f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    return data, problems


@functools.cache
def schema() -> dict[str, Any]:
    """The JSON Schema of a term file (``data/schema.json``)."""
    text = resources.files("sphinxcontrib_dlglossary.data").joinpath("schema.json").read_text(
        encoding="utf-8"
    )
    return json.loads(text)


@functools.cache
def _validator() -> Any:
    import jsonschema  # imported here: only validation needs it

    return jsonschema.Draft202012Validator(schema())


def _schema_message(error: Any) -> tuple[str | None, str]:
    """A (field, message) pair from a jsonschema error, in words a term author knows."""
    path = list(error.absolute_path)
    fld = str(path[2]) if len(path) > 2 else (str(path[0]) if len(path) == 1 else None)
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind == "required":
        missing = re.search(r"'([^']+)'", error.message)
        return (missing.group(1) if missing else fld), "missing (it is required)"
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return (extra[0] if extra else fld), "unknown field (see data/schema.json for the fields)"
    if kind == "type":
        names = {"array": "a list", "string": "text", "boolean": "true or false",
                 "object": "a mapping", "integer": "a number"}
        return fld, f"must be {names.get(expected, expected)}, not {_type_name(value)}"
    if kind in ("minLength", "pattern") and isinstance(value, str) and not value.strip():
        return fld, "must not be empty"
    if kind == "maxLength":
        return fld, f"is {len(value)} characters long; at most {expected} are allowed"
    if kind == "pattern":
        return fld, f"{value!r} is not a lowercase slug such as 'batch-size'"
    if kind == "uniqueItems":
        return fld, "lists the same item twice"
    if kind == "const":
        return fld, f"must be {expected!r}, not {value!r}"
    return fld, error.message


def _type_name(value: Any) -> str:
    names = {dict: "a mapping", list: "a list", str: "text", bool: "true/false",
             int: "a number", float: "a number", type(None): "nothing"}
    return next((n for t, n in names.items() if isinstance(value, t)), type(value).__name__)


@dataclass
class _Entry:
    """One term entry of a file, with where it stands."""

    data: dict[str, Any]
    file: str
    index: int
    line: int
    field_lines: dict[str, int]
    override: bool = False
    valid: bool = True

    @property
    def key(self) -> str:
        key = self.data.get("key")
        return key if isinstance(key, str) and key else ""

    @property
    def label(self) -> str:
        return f"'{self.key}'" if self.key else f"#{self.index + 1}"

    def problem(self, message: str, fld: str | None = None) -> Problem:
        line = self.field_lines.get(fld, self.line) if fld else self.line
        return Problem(self.file, message, line, self.label, fld)

    def term(self) -> Term:
        d = self.data
        return Term(
            key=d["key"], title=d["title"], definition=d["definition"],
            summary=d.get("summary", ""),
            aliases=tuple(d.get("aliases", ())), variants=tuple(d.get("variants", ())),
            avoid=tuple(d.get("avoid", ())), related=tuple(d.get("related", ())),
            tags=tuple(d.get("tags", ())), everyday=bool(d.get("everyday", False)),
            source=self.file, line=self.line,
        )


def _entries(path: Path, display: str) -> tuple[list[_Entry], list[Problem]]:
    """The entries of one file, each checked against the schema."""
    data, problems = _read(path, display)
    if data is None:
        return [], problems
    if not isinstance(data, dict):
        return [], [*problems, Problem(display, f"expected a mapping with 'terms', "
                                                f"not {_type_name(data)}", 1)]
    validator = _validator()
    entries: list[_Entry] = []
    terms = data.get("terms")
    for index, item in enumerate(terms if isinstance(terms, list) else []):
        if isinstance(item, _Node):
            entry = _Entry(dict(item), display, index, item.line, item.field_lines)
            entries.append(entry)
            problems += [Problem(display, "repeated field (a mapping may name it once)",
                                 line, entry.label, f) for f, line in item.repeated]
    problems += [Problem(display, "repeated field (a mapping may name it once)", line, field=f)
                 for f, line in getattr(data, "repeated", [])]
    lines = getattr(data, "field_lines", {})
    item_lines = getattr(terms, "item_lines", [])
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path_ = list(error.absolute_path)
        fld, message = _schema_message(error)
        if len(path_) >= 2 and path_[0] == "terms" and isinstance(path_[1], int):
            found = next((e for e in entries if e.index == path_[1]), None)
            if found is None:
                line = item_lines[path_[1]] if path_[1] < len(item_lines) else lines.get("terms")
                problems.append(Problem(display, f"each term must be a mapping, not "
                                        f"{_type_name(error.instance)}", line,
                                        f"#{path_[1] + 1}"))
                continue
            found.valid = False
            problems.append(found.problem(message, fld))
        else:
            problems.append(Problem(display, message, lines.get(fld or "", 1), field=fld))
    for entry in entries:
        entry.override = bool(entry.data.get("override"))
    return entries, problems


def _check(entries: list[_Entry], exclude: Iterable[str] = ()) -> tuple[list[Term], list[Problem]]:
    """Check entries across files: keys, forms, references, raw HTML, tooltip length.

    Later files override earlier ones only where an entry says ``override: true``.
    """
    problems: list[Problem] = []
    chosen: dict[str, _Entry] = {}
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
    excluded = set(exclude)
    kept = {k: e for k, e in chosen.items() if k not in excluded}

    owners: dict[str, tuple[_Entry, str]] = {}
    for entry in kept.values():
        term = entry.term()
        for form, kind in term.forms():
            fld = {"key": "key", "title": "title"}.get(kind, kind)
            for name in (normalize(form), *plurals(normalize(form))):
                other = owners.setdefault(name, (entry, form))
                if other[0] is not entry:
                    via = "" if name == normalize(form) else f" (as its plural '{name}')"
                    problems.append(entry.problem(
                        f"{form!r}{via} would also name term '{other[0].key}' "
                        f"({other[0].file}:{other[0].line}); a form must name one term", fld))
                    break  # one problem per form, not one more for its plural
    for entry in kept.values():
        term = entry.term()
        for rel in term.related:
            if rel not in kept and rel not in excluded:
                problems.append(entry.problem(f"unknown related term '{rel}'", "related"))
        for fld in ("title", "summary", "definition", *("aliases", "variants", "avoid")):
            value = entry.data.get(fld)
            texts = value if isinstance(value, list) else [value] if value else []
            for text in texts:
                if _HTML_RE.search(_CODE_RE.sub("", _ROLE_RE.sub("", text))):
                    problems.append(entry.problem("raw HTML is not allowed; write MyST "
                                                  "Markdown", fld))
                    break
        for fld in ("summary", "definition"):
            for match in _ROLE_RE.finditer(entry.data.get(fld) or ""):
                target = role_target(match.group("body"))
                known = normalize(target) in owners or target in kept
                if not known and target not in excluded:
                    problems.append(entry.problem(f"reference to unknown term '{target}'", fld))
        if len(term.tooltip) > TOOLTIP_MAX:
            fld = "summary" if term.summary else "definition"
            problems.append(entry.problem(
                f"the tooltip text is {len(term.tooltip)} characters; keep it within "
                f"{TOOLTIP_MAX} (add or shorten the summary)", fld))
    problems.sort(key=lambda p: (p.file, p.line or 0))
    return [e.term() for e in kept.values()], problems


def canonical_file() -> Path:
    """Where the shipped term set is (inside the installed package, or the checkout)."""
    return Path(str(resources.files("sphinxcontrib_dlglossary.data").joinpath("terms.yaml")))


def load_with_problems(
    paths: Sequence[str | Path] = (),
    *,
    canonical: bool = True,
    exclude: Iterable[str] = (),
    root: str | Path | None = None,
) -> tuple[TermSet, list[Problem]]:
    """Load what can be loaded, and say what could not.

    The set leaves out entries that break the schema and repeated keys; it keeps entries
    with other problems (raw HTML is shown as text anyway, an unknown related key is
    skipped, and where two entries claim one form the first gets it). A build uses this,
    so one bad entry loses nothing else.
    """
    files: list[tuple[Path, str]] = []
    if canonical:
        files.append((canonical_file(), str(canonical_file())))
    for p in paths:
        path = Path(root, p) if root is not None else Path(p)
        files.append((path, str(p)))
    entries: list[_Entry] = []
    problems: list[Problem] = []
    for path, display in files:
        found, bad = _entries(path, display)
        entries += found
        problems += bad
    found_terms, bad = _check(entries, exclude)
    order = {display: index for index, (_, display) in enumerate(files)}
    unique = list(dict.fromkeys(problems + bad))
    unique.sort(key=lambda p: (order.get(p.file, len(order)), p.line or 0))
    return TermSet(found_terms), unique


def load(
    paths: Sequence[str | Path] = (),
    *,
    canonical: bool = True,
    exclude: Iterable[str] = (),
    root: str | Path | None = None,
) -> TermSet:
    """Load the canonical set (unless *canonical* is false) and then each file in *paths*.

    :param exclude: canonical keys to leave out.
    :param root: relative *paths* are read from here, and named relative to it in messages.
    :raises TermSetError: with every problem found, in file order.
    """
    termset, problems = load_with_problems(paths, canonical=canonical, exclude=exclude,
                                           root=root)
    if problems:
        raise TermSetError(problems)
    return termset


@functools.cache
def load_canonical() -> TermSet:
    """The shipped term set (read once per process)."""
    return load()
