"""Keys, titles and other names are clean, and what the command prints is escaped.

Issue 12, cases 4 and 10: a title with a line break forged entries in ``objects.inv``; a
key ``"mykey\\n"`` passed the slug pattern; a key with terminal escapes cleared the screen
during ``validate``; an escaped NUL in a title reached ``genindex.html``; look-alike forms
(full-width letters, a zero-width space, a soft hyphen) were accepted as new forms. Each
case here shows what the user sees: the located problem and exit status of
``dlglossary validate``, the build's error, ``objects.inv`` and the index page.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from common import build_project, inventory, warning_lines
from sphinxcontrib_dlglossary import cli
from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.naming import normalize, one_line, printable

FORGED = "Harmless\nos.path.join py:function 1 https://evil.example/pwn Injected"
NAME_RULE = "a name may not hold control characters, line breaks or invisible ones"


def validate(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str,
             *argv: str) -> tuple[int, list[str]]:
    """``dlglossary validate terms.yaml`` (over the canonical set) on *text*: the exit status
    and the lines printed."""
    path = tmp_path / "terms.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    status = cli.main(["validate", *argv, str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, [line.replace(f"{tmp_path}/", "") for line in (out + err).splitlines()]


def entry(key: str, title: str, extra: str = "") -> str:
    """A term entry in YAML; *key* and *title* are YAML double-quoted scalars."""
    return (f'  - key: "{key}"\n    title: "{title}"\n    definition: A term.\n'
            + textwrap.indent(extra, "    "))


# -- keys: a full match of the slug pattern ---------------------------------------------------


@pytest.mark.parametrize("key", ["mykey\\n", "mykey\\r\\n", "\\nmykey", "my\\nkey"])
def test_key_with_a_line_break_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          key: str) -> None:
    status, lines = validate(tmp_path, capsys, "terms:\n" + entry(key, "My key"))
    assert status == 1
    # The escapes the YAML source uses are the ones the message shows.
    assert lines == [
        f"error: terms.yaml:2: entry '{key}': field 'key': '{key}' is not a lowercase "
        "slug such as 'batch-size'",
        "1 problem found",
    ]


def test_schema_itself_refuses_a_trailing_line_break() -> None:
    # Any jsonschema user of data/schema.json, not only this package, gets the full match.
    validator = jsonschema.Draft202012Validator(terms.schema())
    good = {"terms": [{"key": "mykey", "title": "T", "definition": "D"}]}
    bad = {"terms": [{"key": "mykey\n", "title": "T", "definition": "D", "tags": ["a\n"]}]}
    assert validator.is_valid(good)
    assert [list(e.absolute_path) for e in validator.iter_errors(bad)] == [
        ["terms", 0, "key"], ["terms", 0, "tags", 0]]


# -- names: no control, line-break or invisible characters -----------------------------------


@pytest.mark.parametrize(
    ("title", "shown", "code"),
    [
        (FORGED.replace("\n", "\\n"), FORGED.replace("\n", "\\n"), "U+000A"),
        ("Tab\\there", "Tab\\there", "U+0009"),
        ("Nul\\0title", "Nul\\x00title", "U+0000"),
        ("Clear\\e[2J", "Clear\\x1b[2J", "U+001B"),
        ("Line\\Lsep", "Line\\u2028sep", "U+2028"),
        ("Para\\Psep", "Para\\u2029sep", "U+2029"),
        ("kernel\\u200b", "kernel\\u200b", "U+200B"),
        ("CNN\\u00ad", "CNN\\xad", "U+00AD"),
        ("Z\\u200dJ", "Z\\u200dJ", "U+200D"),
        ("\\ufeffBOM", "\\ufeffBOM", "U+FEFF"),
        ("evil\\u202etxt.exe", "evil\\u202etxt.exe", "U+202E"),
    ],
    ids=["newline", "tab", "nul", "escape", "line-sep", "para-sep", "zero-width-space",
         "soft-hyphen", "zwj", "bom", "bidi-override"],
)
def test_title_with_unsafe_character_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, shown: str, code: str
) -> None:
    status, lines = validate(tmp_path, capsys, "terms:\n" + entry("odd", title))
    assert status == 1
    assert lines == [
        f"error: terms.yaml:3: entry 'odd': field 'title': '{shown}' holds {code}: "
        f"{NAME_RULE}",
        "1 problem found",
    ]


@pytest.mark.parametrize("fld", ["aliases", "variants", "avoid"])
def test_other_forms_with_invisible_characters_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fld: str
) -> None:
    extra = f'{fld}: ["kernel\\u200b", "CNN\\u00ad", "fine"]\n'
    status, lines = validate(tmp_path, capsys, "terms:\n" + entry("odd", "Odd", extra))
    assert status == 1
    assert lines == [
        f"error: terms.yaml:5: entry 'odd': field '{fld}': 'kernel\\u200b' holds U+200B: "
        f"{NAME_RULE}",
        f"error: terms.yaml:5: entry 'odd': field '{fld}': 'CNN\\xad' holds U+00AD: "
        f"{NAME_RULE}",
        "2 problems found",
    ]


@pytest.mark.parametrize("fld", ["summary", "definition"])
def test_text_with_control_characters_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fld: str
) -> None:
    fields = {"definition": "A line.\\n\\n\\tAnother line.", "summary": "Fine."}
    fields[fld] = "Text with NUL \\0 and ESC \\e[2J."
    text = "terms:\n  - key: odd\n    title: Odd\n" + "".join(
        f'    {name}: "{value}"\n' for name, value in fields.items())
    status, lines = validate(tmp_path, capsys, text)
    assert status == 1
    assert lines == [
        f"error: terms.yaml:{4 if fld == 'definition' else 5}: entry 'odd': field '{fld}': "
        "holds U+0000, U+001B: a text may not hold control characters other than tabs and "
        "line breaks",
        "1 problem found",
    ]


# -- look-alikes: the same form, or refused ---------------------------------------------------


def test_full_width_look_alike_is_the_same_form(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert normalize("ｋernel") == normalize("KERNEL") == "kernel"
    found = terms.load_canonical().lookup("ｋｅｒｎｅｌｓ")
    assert found is not None and found.key == "kernel"
    status, lines = validate(tmp_path, capsys, "terms:\n" + entry("fw", "ｋernel"))
    assert status == 1
    assert len(lines) == 2 and lines[1] == "1 problem found"
    assert lines[0].startswith("error: terms.yaml:3: entry 'fw': field 'title': 'ｋernel' "
                               "would also name term 'kernel' (")
    assert lines[0].endswith("); a form must name one term")


def test_ligature_look_alike_is_the_same_form(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = "terms:\n" + entry("lig", "O", 'aliases: ["ﬁlter"]\n')
    status, lines = validate(tmp_path, capsys, text)
    assert status == 1
    assert lines[0].startswith("error: terms.yaml:5: entry 'lig': field 'aliases': 'ﬁlter' "
                               "would also name term 'kernel' (")


# -- the command escapes what it prints -------------------------------------------------------


def test_validate_prints_no_terminal_escape(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    text = "terms:\n" + entry("clear\\e[2J\\e[H", "Clear\\e[2J", 'aliases: ["a\\e]8;;x\\a"]\n')
    status, lines = validate(tmp_path, capsys, text)
    assert status == 1
    output = "\n".join(lines)
    assert "\x1b" not in output and "\x07" not in output
    assert lines == [
        "error: terms.yaml:2: entry 'clear\\x1b[2J\\x1b[H': field 'key': "
        "'clear\\x1b[2J\\x1b[H' is not a lowercase slug such as 'batch-size'",
        f"error: terms.yaml:3: entry 'clear\\x1b[2J\\x1b[H': field 'title': 'Clear\\x1b[2J' "
        f"holds U+001B: {NAME_RULE}",
        "error: terms.yaml:5: entry 'clear\\x1b[2J\\x1b[H': field 'aliases': "
        f"'a\\x1b]8;;x\\x07' holds U+001B, U+0007: {NAME_RULE}",
        "3 problems found",
    ]


def test_field_names_and_file_names_are_escaped(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "ok\x1b[2J.yaml"
    path.write_text("terms:\n" + entry("ok", "Ok"), encoding="utf-8")
    assert cli.main(["validate", "--standalone", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and out.endswith("ok\\x1b[2J.yaml: OK (1 terms)\n")
    path.write_text("terms:\n" + entry("ok", "Ok", '"ti\\etle": x\n'), encoding="utf-8")
    assert cli.main(["validate", "--standalone", str(path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "field 'ti\\x1btle': unknown field" in out


def test_show_escapes_an_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["show", "\x1b[2Jkernel"]) == 1
    _, err = capsys.readouterr()
    assert "\x1b" not in err and err.startswith("error: unknown term '\\x1b[2Jkernel'")


@given(st.text())
def test_printable_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    assert all(c.isprintable() for c in printable(text))


@given(st.text())
def test_one_line_never_starts_an_inventory_entry(text: str) -> None:
    # Sphinx reads objects.inv with str.splitlines(): every break it knows is gone.
    line = f"name std:term -1 glossary.html#x {one_line(text)}"
    assert line.splitlines() == [line]


# -- in a build: objects.inv and the index ----------------------------------------------------


def _project(term_entries: str) -> dict[str, str]:
    return {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary']\n"
                   "dlglossary_term_files = ['terms.yaml']\n",
        "terms.yaml": "terms:\n" + term_entries,
        "index.rst": "Index\n=====\n\n:dlterm:`fine`\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
    }


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A project whose term file forges an inventory entry, a key with a line break and a
    NUL in a title, next to one good term."""
    src = tmp_path_factory.mktemp("identifiers") / "src"
    outdir, warnings = build_project(src, _project(
        entry("harmless", FORGED.replace("\n", "\\n"))
        + entry("mykey\\n", "My key")
        + entry("nul", "Nul\\0title")
        + entry("fine", "Fine term")
    ))
    return outdir, warning_lines(warnings)


def test_build_reports_each_unsafe_name(hostile_build: tuple[Path, list[str]]) -> None:
    _, lines = hostile_build
    forged = FORGED.replace("\n", "\\n")
    assert lines == [
        f"terms.yaml:3: ERROR: entry 'harmless': field 'title': '{forged}' holds U+000A: "
        f"{NAME_RULE} [dlglossary.data]",
        "terms.yaml:5: ERROR: entry 'mykey\\n': field 'key': 'mykey\\n' is not a lowercase "
        "slug such as 'batch-size' [dlglossary.data]",
        f"terms.yaml:9: ERROR: entry 'nul': field 'title': 'Nul\\x00title' holds U+0000: "
        f"{NAME_RULE} [dlglossary.data]",
    ]


def test_inventory_is_not_forged(hostile_build: tuple[Path, list[str]]) -> None:
    outdir, _ = hostile_build
    inv = inventory(outdir / "objects.inv")
    assert "py:function" not in inv
    assert not any("os.path.join" in name or "evil" in uri
                   for items in inv.values() for name, (uri, _) in items.items())
    assert inv["dl:term"]["fine"][1] == "Fine term"
    assert not {"harmless", "mykey", "mykey\n", "nul"} & set(inv["dl:term"])


def test_nul_never_reaches_the_index(hostile_build: tuple[Path, list[str]]) -> None:
    outdir, _ = hostile_build
    for page in ("genindex.html", "glossary.html", "searchindex.js"):
        text = (outdir / page).read_text(encoding="utf-8")
        assert "\x00" not in text and "Nul" not in text, page
    assert "Fine term" in (outdir / "genindex.html").read_text(encoding="utf-8")
    exported = (outdir / "dlglossary.json")
    if exported.exists():
        assert "Nul" not in json.dumps(json.loads(exported.read_text(encoding="utf-8")))


def test_inventory_is_one_line_per_entry_even_past_validation(tmp_path: Path) -> None:
    """A term that skipped validation (put into the set by other code) still writes one
    inventory line: its title is made one line, a key with a break is left out."""
    conf = textwrap.dedent('''
        from sphinxcontrib_dlglossary.core.model import Term, TermSet
        from sphinxcontrib_dlglossary.sphinx_ext.domain import get_domain
        extensions = ["sphinxcontrib_dlglossary"]
        FORGED = "Harmless\\nos.path.join py:function 1 https://evil.example/pwn Injected"

        def _inject(app):
            domain = get_domain(app.env)
            extra = [Term(key="harmless", title=FORGED, definition="Text."),
                     Term(key="bad\\nkey", title="Bad key", definition="Text.")]
            domain.termset = TermSet([*domain.termset.terms.values(), *extra])

        def setup(app):
            app.connect("builder-inited", _inject, priority=900)
    ''')
    outdir, _ = build_project(tmp_path, {
        "conf.py": conf,
        "index.rst": "Title\n=====\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
    })
    inv = inventory(outdir / "objects.inv")
    assert "py:function" not in inv
    assert not any("os.path.join" in name for names in inv.values() for name in names)
    assert inv["dl:term"]["harmless"][1].startswith("Harmless os.path.join")
    assert not any("\n" in name or "bad" in name for name in inv["dl:term"])
    assert not any("\n" in name for names in inv.values() for name in names)
