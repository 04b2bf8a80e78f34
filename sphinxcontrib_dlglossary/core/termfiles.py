"""Reading a term file: YAML or JSON, checked against ``data/schema.json``, located.

:func:`read_entries` turns one file into entries that remember the line of every field,
and into :class:`Problem` objects for whatever is wrong with the file on its own (syntax,
encoding, schema). Problems that involve several entries or files are :mod:`.checks`'.
Every problem names the file, the line, the entry and the field; nothing a user writes in
a term file ends in a traceback.

A term file is data from anyone who can open a pull request, so reading it is bounded: it
must be a regular file (a FIFO or a device would block or never end) of at most
:data:`MAX_FILE_SIZE` bytes, with no YAML aliases (a few hundred bytes of them expand to
gigabytes) and lists and mappings nested at most :data:`MAX_DEPTH` deep, checked before
anything recursive (the YAML constructor, ``json.loads``) sees the text. Names hold no
control, line-break or invisible characters (:func:`.naming.unsafe_characters`).
"""

from __future__ import annotations

import functools
import json
import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sphinxcontrib_dlglossary.core.datafiles import data_dir
from sphinxcontrib_dlglossary.core.model import Term
from sphinxcontrib_dlglossary.core.naming import printable, unsafe_characters

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_SIZE",
    "Entry",
    "Problem",
    "TermSetError",
    "read_entries",
    "schema",
]

#: The largest term file read, in bytes, unless the caller gives another limit (the
#: canonical set is about 26 KB; 5,000 project terms about 2 MB).
MAX_FILE_SIZE = 10 * 1024 * 1024
#: The deepest nesting of lists and mappings in a term file (a term file needs 4).
MAX_DEPTH = 20
#: Fields that hold a name, on one line; keys, tags and related keys are slugs (schema).
_NAME_FIELDS = ("title", "aliases", "variants", "avoid", "not_matching")
#: Fields that hold MyST text, on as many lines as they need.
_TEXT_FIELDS = ("summary", "definition")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a term file, located as precisely as the file allows."""

    file: str
    message: str
    line: int | None = None
    entry: str | None = None
    field: str | None = None

    @property
    def where(self) -> str:
        """``file:line``, or the file alone, escaped for a terminal."""
        return printable(self.file if self.line is None else f"{self.file}:{self.line}")

    @property
    def what(self) -> str:
        """The entry, the field and the message, escaped for a terminal."""
        parts = [f"entry {self.entry}"] if self.entry else []
        if self.field:
            parts.append(f"field '{self.field}'")
        return printable(": ".join([*parts, self.message]))

    def __str__(self) -> str:
        """The problem on one line, with what a terminal would act on escaped."""
        return f"{self.where}: {self.what}"


class TermSetError(Exception):
    """A term set could not be loaded; :attr:`problems` says every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


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


def _not_regular(display: str, mode: int) -> Problem:
    """The problem with a file that is not a regular file, saying what it is."""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
             (stat.S_ISSOCK, "a socket"))
    kind = next((name for test, name in kinds if test(mode)), "a special file")
    return Problem(display, f"cannot read {kind}: a term file must be a regular file")


def _read_bytes(path: Path, display: str, max_size: int) -> tuple[bytes | None, list[Problem]]:
    """The bytes of a regular file of at most *max_size* bytes; else why not, located.

    ``stat`` tells a FIFO, a device or a folder before anything opens it (opening a FIFO
    blocks, reading ``/dev/zero`` never ends); the file is opened without blocking and
    checked again, and at most *max_size* + 1 bytes are read, so neither a file swapped
    in after the check nor one that grows while read (or a ``/proc`` file, whose size is 0)
    is read past the limit.
    """
    too_big = Problem(display, f"the file is larger than {max_size:,} bytes, the most a "
                               f"term file may have")
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, [_not_regular(display, info.st_mode)]
        if info.st_size > max_size:
            return None, [too_big]
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        with open(os.open(path, flags), "rb") as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if not stat.S_ISREG(mode):  # swapped for something else since the check
                return None, [_not_regular(display, mode)]
            raw = stream.read(max_size + 1)
    except OSError as exc:
        return None, [Problem(display, f"cannot read the file: {exc.strerror or exc}")]
    return (None, [too_big]) if len(raw) > max_size else (raw, [])


def _too_deep(display: str, line: int | None) -> Problem:
    return Problem(display, f"lists and mappings are nested more than {MAX_DEPTH} levels "
                            f"deep; a term file needs 4", line)


#: A JSON string (skipped: brackets inside it are text) or a bracket.
_JSON_TOKEN_RE = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def _json_depth(text: str, display: str) -> Problem | None:
    """A problem if *text* nests deeper than :data:`MAX_DEPTH`, found without recursing
    (``json.loads`` recurses once per level and fails with ``RecursionError``)."""
    depth = 0
    for match in _JSON_TOKEN_RE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _too_deep(display, text.count("\n", 0, match.start()) + 1)
        elif token in "]}":
            depth -= 1
    return None


def _yaml_structure(text: str, display: str) -> Problem | None:
    """A problem if *text* uses a YAML alias or nests deeper than :data:`MAX_DEPTH`.

    Looks at the parser's events only: nothing is composed or expanded yet, so an alias
    bomb is refused at its first alias, and deep nesting before the recursive
    constructor sees it. Syntax errors raise ``MarkedYAMLError`` as loading would.
    """
    parser = _BaseLoader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                return Problem(display, f"YAML aliases are not allowed (*{event.anchor}); "
                                        f"write the value out", line)
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    return _too_deep(display, line)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    finally:
        parser.dispose()
    return None


def _read(path: Path, display: str, max_size: int) -> tuple[Any, list[Problem]]:
    """Parse one term file; syntax and encoding problems come back as located problems."""
    raw, problems = _read_bytes(path, display, max_size)
    if raw is None:
        return None, problems
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(display, f"not UTF-8 text (byte 0x{raw[exc.start]:02x})", line)]
    if not text.strip():
        return None, [Problem(display, "the file is empty; expected a mapping with 'terms'")]
    if path.suffix.lower() == ".json":
        deep = _json_depth(text, display)
        if deep is not None:
            return None, [deep]
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            return None, [Problem(display, f"invalid JSON: {exc.msg} (column {exc.colno})",
                                  exc.lineno)]
    loader = None
    try:
        refused = _yaml_structure(text, display)
        if refused is not None:
            return None, [refused]
        loader = _LocatingLoader(text, display, problems)
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        lineno = mark.line + 1 if mark else None
        what = " ".join(filter(None, [exc.context, exc.problem]))
        return None, [Problem(display, f"invalid YAML: {what}", lineno)]
    except yaml.YAMLError as exc:  # pragma: no cover - other reader errors
        return None, [Problem(display, f"invalid YAML: {exc}")]
    except RecursionError:  # pragma: no cover - _yaml_structure bounds the depth first
        return None, [_too_deep(display, None)]
    finally:
        if loader is not None:
            loader.dispose()
    return data, problems


#: The schema of a term file, and of a translation of the term set (``data/``).
TERM_SCHEMA = "schema.json"
TRANSLATION_SCHEMA = "translation.schema.json"


@functools.cache
def schema(name: str = TERM_SCHEMA) -> dict[str, Any]:
    """A JSON Schema of ``data/``: a term file's (``schema.json``) by default."""
    text = data_dir().joinpath(name).read_text(
        encoding="utf-8"
    )
    return json.loads(text)


@functools.cache
def _validator(name: str = TERM_SCHEMA) -> Any:
    import jsonschema  # imported here: only validation needs it

    # The schema's local "$ref"s are put in place first: resolving a reference costs more
    # than checking what it names, and there are six per entry (a third of the load time
    # of 5,000 terms). Errors read the same; only their schema_path differs.
    return jsonschema.Draft202012Validator(_inline_refs(schema(name)))


def _inline_refs(node: Any, defs: dict[str, Any] | None = None, depth: int = 0) -> Any:
    """*node* with every ``{"$ref": "#/$defs/NAME"}`` replaced by what it names."""
    if defs is None:
        defs = node.get("$defs", {})
    if depth > 32:  # the shipped schema is not recursive; a recursive one keeps its refs
        return node
    if isinstance(node, list):
        return [_inline_refs(item, defs, depth + 1) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref[8:] in defs:
        rest = {k: v for k, v in node.items() if k != "$ref"}
        target = _inline_refs(defs[ref[8:]], defs, depth + 1)
        if set(rest) & set(target) - {"description", "$comment"}:  # both must hold
            return {**rest, "allOf": [target]} if "allOf" not in rest else node
        return {**target, **rest}
    return {k: (v if k == "$defs" else _inline_refs(v, defs, depth + 1)) for k, v in node.items()}


def _schema_message(error: Any, schema_name: str = TERM_SCHEMA) -> tuple[str | None, str]:
    """A (field, message) pair from a jsonschema error, in words a term author knows."""
    path = list(error.absolute_path)
    fld = str(path[2]) if len(path) > 2 else (str(path[0]) if len(path) == 1 else None)
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind == "required":
        missing = re.search(r"'([^']+)'", error.message)
        return (missing.group(1) if missing else fld), "missing (it is required)"
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return (extra[0] if extra else fld), (f"unknown field (see data/{schema_name} for "
                                              "the fields)")
    if kind == "type":
        names = {"array": "a list", "string": "text", "boolean": "true or false",
                 "object": "a mapping", "integer": "a number"}
        return fld, f"must be {names.get(expected, expected)}, not {_type_name(value)}"
    if kind in ("minLength", "pattern") and isinstance(value, str) and not value.strip():
        return fld, "must not be empty"
    if kind == "maxLength":
        return fld, f"is {len(value)} characters long; at most {expected} are allowed"
    if kind == "pattern" and expected.startswith("^https?"):
        return fld, f"{value!r} is not an https: or http: URL"
    if kind == "pattern" and "\\." in expected:
        return fld, f"{value!r} is not a version such as '2.0.0'"
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
class Entry:
    """One term entry of a file, with where it stands."""

    data: dict[str, Any]
    file: str
    index: int
    line: int
    field_lines: dict[str, int]
    override: bool = False
    valid: bool = True
    #: The ``content_version`` of the file the entry is in ("" if it has none).
    version: str = ""

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
            not_matching=tuple(d.get("not_matching", ())),
            reading=tuple((r["title"], r["url"]) for r in d.get("reading", ())),
            source=self.file, line=self.line,
        )


def unsafe_text(entry: Entry) -> list[Problem]:
    """Names on one line with no control or invisible character; texts with no control
    character but tabs and line breaks.

    A title with a line break would write extra lines into ``objects.inv``, one with ESC
    would act on the terminal of whoever runs ``dlglossary``, and one with a zero-width
    space or soft hyphen would be a look-alike of another term (NFKC folding, in
    :func:`.naming.normalize`, makes the visible look-alikes the same form instead).
    """
    problems: list[Problem] = []
    reading = entry.data.get("reading")
    links = [r for r in reading if isinstance(r, dict)] if isinstance(reading, list) else []
    for fld, value in [*((f, entry.data.get(f)) for f in (*_NAME_FIELDS, *_TEXT_FIELDS)),
                       *(("reading", [r.get("title"), r.get("url")]) for r in links)]:
        for text in value if isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            found = unsafe_characters(text, multiline=fld in _TEXT_FIELDS)
            if not found:
                continue
            if fld in _TEXT_FIELDS:
                rule = "a text may not hold control characters other than tabs and line breaks"
                shown = ""
            else:
                rule = "a name may not hold control characters, line breaks or invisible ones"
                shown = f"{text!r} "
            problems.append(entry.problem(f"{shown}holds {', '.join(found)}: {rule}", fld))
    return problems


def read_entries(path: Path, display: str, max_size: int = MAX_FILE_SIZE,
                 schema_name: str = TERM_SCHEMA, header: dict[str, Any] | None = None,
                 ) -> tuple[list[Entry], list[Problem]]:
    """The entries of one file, each checked against the schema and for unsafe text.

    :param max_size: the largest file read, in bytes.
    :param schema_name: the schema in ``data/`` the file follows (a term file's, or a
        translation's: :data:`TRANSLATION_SCHEMA`).
    :param header: filled with the file's other top-level fields (``language`` …).
    """
    data, problems = _read(path, display, max_size)
    if data is None:
        return [], problems
    if header is not None and isinstance(data, dict):
        header.update((k, v) for k, v in data.items() if k != "terms")
    if not isinstance(data, dict):
        return [], [*problems, Problem(display, f"expected a mapping with 'terms', "
                                                f"not {_type_name(data)}", 1)]
    validator = _validator(schema_name)
    entries: list[Entry] = []
    terms = data.get("terms")
    for index, item in enumerate(terms if isinstance(terms, list) else []):
        if isinstance(item, _Node):
            entry = Entry(dict(item), display, index, item.line, item.field_lines)
            entries.append(entry)
            problems += [Problem(display, "repeated field (a mapping may name it once)",
                                 line, entry.label, f) for f, line in item.repeated]
    problems += [Problem(display, "repeated field (a mapping may name it once)", line, field=f)
                 for f, line in getattr(data, "repeated", [])]
    lines = getattr(data, "field_lines", {})
    item_lines = getattr(terms, "item_lines", [])
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        path_ = list(error.absolute_path)
        fld, message = _schema_message(error, schema_name)
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
    version = data.get("content_version")
    for entry in entries:
        entry.override = bool(entry.data.get("override"))
        entry.version = version if isinstance(version, str) else ""
        unsafe = unsafe_text(entry)
        if unsafe:  # left out of the set, like an entry that breaks the schema
            entry.valid = False
            problems += unsafe
    return entries, problems
