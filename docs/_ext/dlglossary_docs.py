"""Directives for this documentation only: content generated from the extension's code.

Nothing here is part of sphinxcontrib-dlglossary. Each directive reads the code at build time,
so the docs cannot drift from it, and a build with ``-W`` fails when they would:

``dlglossary-config-table``
    The table of every configuration value, from
    ``sphinxcontrib_dlglossary.core.options.OPTIONS``.
    Each name becomes a ``confval`` target (``{confval}`dlglossary_tooltips```).
``dlglossary-warnings-table``
    Every warning subtype of ``DLWarning`` with the docstring under its member in
    ``warnings.py`` (read with :mod:`ast`: enum members keep no docstrings of their own).
    Each code becomes a ``dlwarning`` target (``{dlwarning}`dlglossary.data```).
``dlglossary-schema-table``
    The fields of a term, with type and description, from ``data/schema.json``.
``dlglossary-tags-table``
    Every tag of the build's term set (canonical and project terms), with its terms linked.
``dlglossary-cli-help [COMMAND]``
    ``dlglossary --help`` (no argument) or ``dlglossary COMMAND --help``, from ``cli._parser()``.
    A command of the parser that no page shows is a warning.
``dlglossary-cli``
    Runs a ``dlglossary ...`` command line (the argument) in the folder of ``conf.py`` and
    shows it with its output; an exit status other than ``:returncode:`` (0) is a warning.
    ``:max-lines: N`` shortens long output; the shipped set's path shows as data/terms.yaml.
``dlglossary-example``
    A live example for MyST pages: MyST source, a line ``+++``, then the same in rST. Shows
    both sources in synchronised tabs, each followed by what it renders to.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import inspect
import io
import os
import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxcontrib_dlglossary import cli
from sphinxcontrib_dlglossary.core import options as dl_config
from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.sphinx_ext import warnings as dl_warnings

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: ``rST literal``, `Markdown code` and {role}`text` (shown as written): the markup of the
#: help texts, docstrings and schema descriptions.
_LITERAL_RE = re.compile(r"``(.+?)``|(\{[\w:-]+\}`[^`]+`)|`([^`]+)`")
#: Width of the generated ``--help`` texts, so they do not depend on the terminal.
HELP_COLUMNS = "88"


def inline(text: str) -> list[nodes.Node]:
    """Text with its code spans as literal nodes, the rest as plain text."""
    out: list[nodes.Node] = []
    text = " ".join(text.split())
    pos = 0
    for match in _LITERAL_RE.finditer(text):
        if match.start() > pos:
            out.append(nodes.Text(text[pos:match.start()]))
        code = next(group for group in match.groups() if group)
        out.append(nodes.literal(code, code))
        pos = match.end()
    if pos < len(text):
        out.append(nodes.Text(text[pos:]))
    return out


def table(headers: list[str], rows: list[list[list[nodes.Node]]], widths: list[int],
          classes: list[str]) -> nodes.table:
    """A docutils table; each cell is a list of inline nodes (put in one paragraph)."""
    result = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    result += group
    group.extend(nodes.colspec(colwidth=w) for w in widths)

    def row(cells: list[list[nodes.Node]]) -> nodes.row:
        out = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph("", "", *cell)
            out += entry
        return out

    head = nodes.thead()
    head += row([[nodes.Text(h)] for h in headers])
    group += head
    body = nodes.tbody()
    body.extend(row(cells) for cells in rows)
    group += body
    return result


def _python(value: Any) -> str:
    """A default as it is written in ``conf.py``."""
    return f'"{value}"' if isinstance(value, str) else repr(value)


class ConfigTable(SphinxDirective):
    """Every ``dlglossary_*`` configuration value, from ``config.OPTIONS``."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(inspect.getfile(dl_config))
        std = self.env.domains["std"]
        rows = []
        for option in dl_config.OPTIONS:
            node_id = f"confval-{option.name}"
            name = nodes.literal(option.name, option.name)
            target = nodes.inline("", "", name, ids=[node_id])
            std.note_object("confval", option.name, node_id, location=(self.env.docname,
                                                                        self.lineno))
            example = f"{option.name} = {option.example}"
            rows.append([
                [target],
                [nodes.Text(" or ".join(t.__name__ for t in option.types))],
                [nodes.literal(_python(option.default), _python(option.default))],
                [nodes.Text(option.rebuild)],
                [*inline(option.help), nodes.Text(" Example: "),
                 nodes.literal(example, example)],
            ])
        return [table(["Name", "Type", "Default", "Rebuild", "Meaning and example"], rows,
                      [22, 9, 8, 7, 54], ["dl-config-table"])]


def warning_docstrings() -> dict[str, str]:
    """Member name -> the string literal that follows it in ``class DLWarning``."""
    source = Path(inspect.getfile(dl_warnings)).read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.ClassDef) and node.name == "DLWarning"):
            continue
        for stmt, after in zip(node.body, node.body[1:], strict=False):
            if (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)
                    and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)):
                found[stmt.targets[0].id] = inspect.cleandoc(after.value.value)
    return found


class WarningsTable(SphinxDirective):
    """Every warning subtype, from ``DLWarning`` and the docstrings in ``warnings.py``."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(inspect.getfile(dl_warnings))
        docs = warning_docstrings()
        std = self.env.domains["std"]
        rows = []
        for member in dl_warnings.DLWarning:
            doc = docs.get(member.name)
            if not doc:
                logger.warning("DLWarning.%s has no docstring in warnings.py", member.name,
                               location=(self.env.docname, self.lineno))
                doc = ""
            code = member.code
            node_id = f"warning-{member.subtype.replace('_', '-')}"
            std.note_object("dlwarning", code, node_id, location=(self.env.docname,
                                                                   self.lineno))
            rows.append([[nodes.inline("", "", nodes.literal(code, code), ids=[node_id])],
                         inline(doc)])
        return [table(["In suppress_warnings", "Reported when"], rows, [30, 70],
                      ["dl-warnings-table"])]


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


@contextlib.contextmanager
def _columns() -> Any:
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        yield
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def _console(text: str) -> nodes.literal_block:
    block = nodes.literal_block(text, text)
    block["language"] = "text"
    return block


class CliHelp(SphinxDirective):
    """``dlglossary [COMMAND] --help``, generated from the parser."""

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(inspect.getfile(cli))
        parser = cli._parser()
        if self.arguments:
            name = self.arguments[0]
            commands = _commands(parser)
            if name not in commands:
                logger.warning("dlglossary has no command %r (it has: %s)", name,
                               ", ".join(commands), location=(self.env.docname, self.lineno))
                return []
            self.env.dlglossary_docs_cli.setdefault(self.env.docname, set()).add(name)
            parser = commands[name]
            command = f"dlglossary {name} --help"
        else:
            command = "dlglossary --help"
        with _columns():
            text = parser.format_help()
        return [_console(f"$ {command}\n{text.rstrip()}")]


class CliRun(SphinxDirective):
    """Run ``dlglossary ...`` in the folder of conf.py and show the command and its output."""

    required_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[dict[str, Any]] = {
        "returncode": directives.nonnegative_int,
        "max-lines": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        argv = shlex.split(self.arguments[0])
        if argv[:1] != ["dlglossary"]:
            logger.warning("dlglossary-cli: the command must start with 'dlglossary'",
                           location=(self.env.docname, self.lineno))
            return []
        self.env.note_dependency(str(terms.canonical_file()))
        for arg in argv[1:]:
            if not arg.startswith("-") and Path(self.env.srcdir, arg).is_file():
                self.env.note_dependency(str(Path(self.env.srcdir, arg)))
        out = io.StringIO()
        cwd = os.getcwd()
        os.chdir(self.env.srcdir)
        try:
            with _columns(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                try:
                    status = cli.main(argv[1:])
                except SystemExit as exc:
                    status = exc.code if isinstance(exc.code, int) else 1
        finally:
            os.chdir(cwd)
        expected = self.options.get("returncode", 0)
        if status != expected:
            logger.warning("%r exited with %s, not %s:\n%s", self.arguments[0], status,
                           expected, out.getvalue(), location=(self.env.docname, self.lineno))
        # The shipped set's path depends on the machine: show it as in the source tree.
        text = out.getvalue().replace(str(terms.canonical_file()), "data/terms.yaml")
        lines = text.rstrip().splitlines()
        limit = self.options.get("max-lines")
        if limit and len(lines) > limit:
            lines = [*lines[:limit], f"... ({len(lines) - limit} more lines)"]
        return [_console("\n".join([f"$ {self.arguments[0]}", *lines]))]


class Example(SphinxDirective):
    """MyST source, ``+++``, rST source: both shown in tabs, each with its rendered result."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        lines = list(self.content)
        if "+++" not in lines:
            logger.warning("dlglossary-example: expected MyST, a line '+++', then rST",
                           location=(self.env.docname, self.lineno))
            return []
        cut = lines.index("+++")
        myst, rst = "\n".join(lines[:cut]).strip("\n"), "\n".join(lines[cut + 1:]).strip("\n")
        text = "\n".join([
            "::::::::{tab-set}", ":sync-group: markup", ":class: dl-example", "",
            ":::::::{tab-item} MyST", ":sync: myst", "",
            "``````markdown", myst, "``````", "",
            "::::::{container} dl-example-result", "", myst, "", "::::::", "",
            ":::::::", "",
            ":::::::{tab-item} reStructuredText", ":sync: rst", "",
            "``````rst", rst, "``````", "",
            "::::::{container} dl-example-result", "",
            "``````{eval-rst}", rst, "``````", "",
            "::::::", "",
            ":::::::", "",
            "::::::::",
        ])
        container = nodes.container()
        self.state.nested_parse(StringList(text.splitlines(), source=self.env.docname),
                                self.content_offset - 1, container)
        return container.children


def _schema_type(spec: dict[str, Any], defs: dict[str, Any], many: bool = False) -> str:
    """A schema property's value in words (*many*: as the items of a list)."""
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        merged = {**defs[name], **{k: v for k, v in spec.items() if k != "$ref"}}
        if name == "key":
            return "keys (lowercase slugs)" if many else "a lowercase slug such as batch-size"
        words = "texts" if many else "text"
        if "maxLength" in merged:
            words += f", {'each ' if many else ''}at most {merged['maxLength']} characters"
        return words
    if spec.get("type") == "array":
        return "list of " + _schema_type(spec["items"], defs, many=True)
    if "const" in spec:
        return f"always {spec['const']}"
    return {"boolean": "true or false", "string": "text"}.get(spec.get("type", ""), "")


class SchemaTable(SphinxDirective):
    """The fields of a term, from ``data/schema.json``."""

    def run(self) -> list[nodes.Node]:
        schema = terms.schema()
        self.env.note_dependency(str(terms.canonical_file().with_name("schema.json")))
        defs = schema["$defs"]
        term = defs["term"]
        rows = []
        for name, spec in term["properties"].items():
            required = "yes" if name in term.get("required", ()) else ""
            rows.append([[nodes.literal(name, name)], [nodes.Text(_schema_type(spec, defs))],
                         [nodes.Text(required)], inline(spec.get("description", ""))])
        return [table(["Field", "Value", "Required", "Meaning"], rows, [12, 26, 8, 54],
                      ["dl-schema-table"])]


class TagsTable(SphinxDirective):
    """Every tag of the vocabulary (``data/tags.yaml``), what it covers, and this build's
    terms that have it (linked); a project's own tags follow."""

    def run(self) -> list[nodes.Node]:
        from sphinx import addnodes

        from sphinxcontrib_dlglossary.core.terms import tag_vocabulary

        termset = self.env.domains["dl"].termset
        by_tag: dict[str, list[Any]] = {}
        for term in termset:
            for tag in term.tags:
                by_tag.setdefault(tag, []).append(term)
        vocabulary = tag_vocabulary()
        rows = []
        for tag in [*vocabulary, *sorted(set(by_tag) - set(vocabulary))]:
            cell: list[nodes.Node] = []
            found = sorted(by_tag.get(tag, []), key=lambda t: t.title.casefold())
            for i, term in enumerate(found):
                if i:
                    cell.append(nodes.Text(", "))
                # A link like the glossary page's own: no backlink, no warning.
                cell.append(addnodes.pending_xref(
                    "", nodes.inline(term.title, term.title), refdomain="dl", reftype="term",
                    reftarget=term.key, refexplicit=True, refwarn=False,
                    refdoc=self.env.docname))
            about = vocabulary.get(tag, "(a tag of this project)")
            rows.append([[nodes.literal(tag, tag)], [nodes.Text(about)],
                         [nodes.Text(str(len(found)))], cell])
        return [table(["Tag", "Covers", "Count", "Terms"], rows, [12, 24, 6, 58],
                      ["dl-tags-table"])]


# -- a command of the CLI that no page documents is a warning -----------------------------


def _env_before_read_docs(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    if not hasattr(env, "dlglossary_docs_cli"):
        env.dlglossary_docs_cli = {}


def _purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "dlglossary_docs_cli", {}).pop(docname, None)


def _merge(app: Sphinx, env: BuildEnvironment, docnames: set[str],
           other: BuildEnvironment) -> None:
    for docname in docnames:
        if docname in getattr(other, "dlglossary_docs_cli", {}):
            env.dlglossary_docs_cli[docname] = other.dlglossary_docs_cli[docname]


def _check_cli(app: Sphinx, env: BuildEnvironment) -> None:
    shown = set().union(*getattr(env, "dlglossary_docs_cli", {}).values())
    missing = sorted(set(_commands(cli._parser())) - shown)
    if missing:
        logger.warning("dlglossary command(s) not documented (add a dlglossary-cli-help "
                       "directive): %s", ", ".join(missing))


def setup(app: Sphinx) -> dict[str, Any]:
    # Targets for the generated rows: {dlwarning}`dlglossary.data` links to its row.
    app.add_object_type("dlwarning", "dlwarning", objname="dlglossary warning",
                        indextemplate="pair: %s; warning")
    app.add_directive("dlglossary-config-table", ConfigTable)
    app.add_directive("dlglossary-warnings-table", WarningsTable)
    app.add_directive("dlglossary-schema-table", SchemaTable)
    app.add_directive("dlglossary-tags-table", TagsTable)
    app.add_directive("dlglossary-cli-help", CliHelp)
    app.add_directive("dlglossary-cli", CliRun)
    app.add_directive("dlglossary-example", Example)
    app.connect("env-before-read-docs", _env_before_read_docs)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check_cli)
    return {"version": "0", "parallel_read_safe": True, "parallel_write_safe": True}
