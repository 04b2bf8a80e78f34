"""Tests of the ``dlglossary`` command: list, show, validate, export, and bad term files.

Almost everything runs ``cli.main([...])`` in-process (fast); a few tests run the command in
a subprocess to prove the entry point works and that bad input never ends in a traceback.
Each bad-input case writes its term file into ``tmp_path`` from the text inline in the test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from sphinxcontrib_dlglossary import cli
from sphinxcontrib_dlglossary.core import terms

EXPECTED_TERMS = 153
REPO = Path(__file__).resolve().parent.parent
FIELD_ORDER = ["key", "title", "summary", "definition", "aliases", "variants", "avoid",
               "related", "tags", "everyday", "not_matching", "reading"]
CANONICAL = str(terms.canonical_file())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``dlglossary ARGV`` in-process: (exit status, stdout, stderr)."""
    try:
        status = cli.main(list(argv))
    except SystemExit as exc:  # argparse: --help, usage errors
        status = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


def python_m(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_dlglossary", *argv],
        capture_output=True, text=True, cwd=cwd, timeout=60, check=False,
    )


# -- the shipped set ---------------------------------------------------------------------------


def test_validate_shipped_set(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate")
    assert status == 0, out + err
    lines = out.strip().splitlines()
    assert lines[0] == (f"{CANONICAL}: OK ({EXPECTED_TERMS} terms, "
                        f"term set {terms.content_version()})")
    # and each shipped translation of the set
    assert [line.split(": OK")[0].rsplit("/", 1)[-1] for line in lines[1:]] == ["de.yaml"]


def test_list_shipped_set(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "list")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) >= EXPECTED_TERMS
    keys = [t.key for t in terms.load_canonical()]
    starts = [line.split()[0] for line in lines]
    assert starts == keys  # one line per term, in key order
    assert "convolutional-neural-network" in out and "CNN" in out
    assert f"{EXPECTED_TERMS} terms" in err


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("kernels", "kernel"),
        ("CNN", "convolutional-neural-network"),
        ("MLP", "multi-layer-perceptron-mlp"),
        ("weights", "weights-of-a-network"),
        ("U-Net", "u-net"),
        ("unet", "u-net"),
        ("Unet", "u-net"),
        ("mini-batch", "minibatch"),
        ("minibatches", "minibatch"),
        ("activation maps", "feature-maps"),
        ("activations", "activation"),
        ("epochs", "epoch"),
        ("Convolutional_Layer", "convolutional-layer"),
        ("convolutional-layers", "convolutional-layer"),
    ],
)
def test_show_resolves(capsys: pytest.CaptureFixture[str], name: str, key: str) -> None:
    status, out, err = run(capsys, "show", "--format", "json", name)
    assert status == 0, err
    assert json.loads(out)["key"] == key


def test_show_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "show", "CNN")
    assert status == 0
    assert out.startswith("Convolutional neural network (CNN)  [convolutional-neural-network]\n")
    assert "aliases: CNN, ConvNet, convolutional network" in out
    assert "{dlterm}" not in out  # references print as their text
    assert "main building blocks are convolutional layers, combined with activation" in out


def test_show_unknown_term_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "kernal")
    assert status == 1
    assert out == ""
    assert err == "error: unknown term 'kernal'; did you mean 'kernel'?\n"


def test_show_unknown_term_without_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "show", "qqqqqq")
    assert status == 1
    assert err == "error: unknown term 'qqqqqq'\n"


def test_show_several_terms_one_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "show", "kernel", "kernal", "CNN")
    assert status == 1
    assert "[kernel]" in out and "[convolutional-neural-network]" in out
    assert "did you mean 'kernel'?" in err


# -- export ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported() -> dict[str, str]:
    """The JSON and YAML exports of the shipped set (each run in-process once)."""
    import contextlib
    import io

    texts = {}
    for fmt in ("json", "yaml"):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            assert cli.main(["export", "--format", fmt]) == 0
        texts[fmt] = buffer.getvalue()
    return texts


def _parse(fmt: str, text: str) -> Any:
    return json.loads(text) if fmt == "json" else yaml.safe_load(text)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_parses(exported: dict[str, str], fmt: str) -> None:
    data = _parse(fmt, exported[fmt])
    assert list(data) == ["version", "content_version", "terms"]
    assert data["version"] == 1
    assert data["content_version"] == terms.content_version()
    keys = [t["key"] for t in data["terms"]]
    assert len(keys) == EXPECTED_TERMS
    assert keys == sorted(keys)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_field_order(exported: dict[str, str], fmt: str) -> None:
    for term in _parse(fmt, exported[fmt])["terms"]:
        assert list(term) == [f for f in FIELD_ORDER if f in term], term["key"]
        # only present fields: nothing empty, no 'everyday: false'
        assert all(value not in ("", [], False, None) for value in term.values()), term["key"]
    data = _parse(fmt, exported[fmt])
    # the order is really exercised: some term has all of key..tags and everyday
    assert any(set(FIELD_ORDER) - {"variants", "avoid"} <= set(t) for t in data["terms"])


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_is_stable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exported: dict[str, str], fmt: str
) -> None:
    status, out, _ = run(capsys, "export", "--format", fmt)
    assert status == 0
    assert out.encode("utf-8") == exported[fmt].encode("utf-8")
    target = tmp_path / f"out.{fmt}"
    assert run(capsys, "export", "--format", fmt, "-o", str(target))[0] == 0
    assert target.read_bytes() == exported[fmt].encode("utf-8")


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_matches_the_shipped_data(exported: dict[str, str], fmt: str) -> None:
    source = yaml.safe_load((REPO / "data" / "terms.yaml").read_text("utf-8"))
    by_key = {t["key"]: t for t in source["terms"]}
    for term in _parse(fmt, exported[fmt])["terms"]:
        original = {k: v for k, v in by_key[term["key"]].items() if v not in ("", [], False)}
        assert term == original


def test_json_export_validates_against_schema(exported: dict[str, str]) -> None:
    schema = json.loads((REPO / "data" / "schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(exported["json"]))


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_export_round_trips_standalone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exported: dict[str, str], fmt: str
) -> None:
    path = tmp_path / f"export.{fmt}"
    path.write_text(exported[fmt], encoding="utf-8")
    status, out, err = run(capsys, "validate", "--standalone", str(path))
    assert status == 0, out + err
    assert out.strip() == f"{path}: OK ({EXPECTED_TERMS} terms, term set {terms.content_version()})"
    status, again, _ = run(capsys, "export", "--standalone", "--format", fmt, str(path))
    assert status == 0
    assert again == exported[fmt]


# -- entry point and help ----------------------------------------------------------------------


def test_python_m_list() -> None:
    proc = python_m("list")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) >= EXPECTED_TERMS
    assert proc.stdout.startswith("accuracy ")


SUBCOMMANDS = ["list", "show", "validate", "export"]
if find_spec("sphinxcontrib_dlglossary.lint") is not None:  # pragma: no cover - optional
    SUBCOMMANDS.append("lint")


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_subcommand_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    status, out, err = run(capsys, command, "--help")
    assert status == 0
    assert out.startswith(f"usage: dlglossary {command}"), out[:80]
    assert err == ""


def test_main_help_and_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "--help")
    assert status == 0 and out.startswith("usage: dlglossary")
    status, _, err = run(capsys, "frobnicate")
    assert status == 2 and "usage: dlglossary" in err


# -- bad term files ----------------------------------------------------------------------------

Check = Callable[..., tuple[int, str]]
PROBLEM_RE = re.compile(
    r"error: (?P<file>[^:\n]+)(:(?P<line>\d+))?(: entry (?P<entry>'[^'\n]*'|#\d+))?"
    r"(: field '(?P<field>[^'\n]+)')?: (?P<message>.+)"
)


@pytest.fixture
def check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Check:
    """Write one term file into tmp_path (the cwd) and run ``dlglossary validate`` on it."""
    monkeypatch.chdir(tmp_path)

    def check_(name: str, content: str | bytes, *extra: str) -> tuple[int, str]:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        status, out, err = run(capsys, "validate", *extra, name)
        assert "Traceback" not in out + err
        return status, out + err

    return check_


def problems(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error: ")]


def expect(
    status: int,
    output: str,
    file: str,
    line: int | None,
    entry: str | None,
    field: str | None,
    *words: str,
    count: int | None = 1,
) -> str:
    """Assert exit status 1 and a problem located exactly so, whose message has *words*.

    With *count*, also assert that many problems and the final ``N problem(s) found``.
    Returns the problem's line.
    """
    assert status == 1, output
    prefix = f"error: {file}"
    prefix += f":{line}" if line is not None else ""
    prefix += f": entry {entry}" if entry else ""
    prefix += f": field '{field}'" if field else ""
    prefix += ": "
    found = [p for p in problems(output) if p.startswith(prefix)]
    assert found, f"no problem starting {prefix!r} in:\n{output}"
    match = PROBLEM_RE.fullmatch(found[0])
    assert match and match["file"] == file, found[0]
    assert (match["line"] and int(match["line"])) == line, found[0]  # the whole location
    assert match["entry"] == entry and match["field"] == field, found[0]
    for word in words:
        assert word.lower() in match["message"].lower(), found[0]
    if count is not None:
        assert len(problems(output)) == count, output
        assert output.rstrip("\n").splitlines()[-1] == (
            f"{count} problem{'s' if count != 1 else ''} found"
        )
    return found[0]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("""\
            version: 1
            terms:
              - key: foo
                title: Foo: bar
                definition: A foo.
        """, 4),
        ("""\
            version: 1
            terms:
              - key: foo
                title: Foo
               definition: A foo.
        """, 5),
    ],
    ids=["colon-in-value", "bad-indent"],
)
def test_yaml_syntax_error(check: Check, text: str, line: int) -> None:
    status, output = check("syntax.yaml", text)
    expect(status, output, "syntax.yaml", line, None, None, "invalid YAML")


def test_json_syntax_error(check: Check) -> None:
    status, output = check("bad.json", """\
        {"version": 1, "terms": [
          {"key": "foo", "title": "Foo",
           "definition": "A foo.",}
        ]}
    """)
    expect(status, output, "bad.json", 3, None, None, "invalid JSON", "column")


def test_json_file_schema_problem(check: Check) -> None:
    status, output = check("typed.json", """\
        {"version": 1, "terms": [
          {"key": "foo",
           "title": "Foo",
           "definition": "A foo.",
           "aliases": "foos"}
        ]}
    """)
    expect(status, output, "typed.json", 5, "'foo'", "aliases", "list")


def test_wrong_type(check: Check) -> None:
    status, output = check("type.yaml", """\
        terms:
          - key: kernel-size
            title: Kernel size
            definition: The size of a kernel.
            aliases: kernels sizes
    """)
    expect(status, output, "type.yaml", 5, "'kernel-size'", "aliases", "must be a list", "text")


def test_missing_field(check: Check) -> None:
    status, output = check("missing.yaml", """\
        terms:
          - key: foo
            title: Foo
    """)
    expect(status, output, "missing.yaml", 2, "'foo'", "definition", "required")


def test_unknown_field(check: Check) -> None:
    status, output = check("typo.yaml", """\
        terms:
          - key: foo
            titel: Foo
            title: Foo
            definition: A foo.
    """)
    expect(status, output, "typo.yaml", 3, "'foo'", "titel", "unknown field")


def test_unknown_top_level_field(check: Check) -> None:
    status, output = check("top.yaml", """\
        version: 1
        term: []
        terms: []
    """)
    expect(status, output, "top.yaml", 2, None, "term", "unknown field")


def test_duplicate_key_in_one_file(check: Check) -> None:
    status, output = check("dup.yaml", """\
        terms:
          - key: foo
            title: Foo
            definition: A foo.
          - key: foo
            title: Other foo
            definition: Another foo.
    """)
    problem = expect(status, output, "dup.yaml", 5, "'foo'", "key", "duplicate", "dup.yaml:2")
    assert "override" not in problem  # override never applies within one file


def test_duplicate_key_of_canonical_term(check: Check) -> None:
    status, output = check("kernel.yaml", """\
        terms:
          - key: kernel
            title: Kernel
            definition: Our own kernel.
    """)
    canonical_line = terms.load_canonical().terms["kernel"].line
    expect(status, output, "kernel.yaml", 2, "'kernel'", "key", "duplicate",
           f"{CANONICAL}:{canonical_line}", "override: true")


def test_override_of_canonical_term(check: Check, capsys: pytest.CaptureFixture[str]) -> None:
    status, output = check("kernel.yaml", """\
        terms:
          - key: kernel
            title: Kernel
            definition: Our own kernel.
            override: true
    """)
    assert status == 0, output
    assert output.strip() == (f"kernel.yaml: OK ({EXPECTED_TERMS} terms, "
                              f"term set {terms.content_version()})")
    status, out, _ = run(capsys, "show", "--format", "json", "--file", "kernel.yaml", "kernels")
    assert status == 0
    assert json.loads(out)["definition"] == "Our own kernel."
    assert "aliases" not in json.loads(out)  # replaced, not merged


def test_override_without_canonical_term(check: Check) -> None:
    status, output = check("over.yaml", """\
        terms:
          - key: foo
            title: Foo
            definition: A foo.
            override: true
    """)
    expect(status, output, "over.yaml", 5, "'foo'", "override", "no earlier term")


def test_alias_clash_with_canonical_term(check: Check) -> None:
    status, output = check("clash.yaml", """\
        terms:
          - key: cellular-neural-network
            title: Cellular Neural Network
            definition: A grid of locally connected cells.
            aliases: [CNN]
    """)
    expect(status, output, "clash.yaml", 5, "'cellular-neural-network'", "aliases",
           "'CNN'", "convolutional-neural-network", count=None)


def test_alias_clash_is_one_problem(check: Check) -> None:
    status, output = check("clash.yaml", """\
        terms:
          - key: cellular-neural-network
            title: Cellular Neural Network
            definition: A grid of locally connected cells.
            aliases: [CNN]
    """)
    expect(status, output, "clash.yaml", 5, "'cellular-neural-network'", "aliases", "'CNN'")


def test_clash_with_a_generated_plural(check: Check) -> None:
    # 'tensors' is the generated plural of the canonical term 'tensor'
    status, output = check("plural.yaml", """\
        terms:
          - key: torch-tensors
            title: Torch tensors
            definition: PyTorch's arrays.
            aliases: [tensors]
    """)
    expect(status, output, "plural.yaml", 5, "'torch-tensors'", "aliases", "'tensors'",
           "'tensor'")


def test_clash_of_own_generated_plural(check: Check) -> None:
    # the plural of 'network weight' is the canonical alias 'network weights'
    status, output = check("plural.yaml", """\
        terms:
          - key: weight-of-a-layer
            title: Weight of a layer
            definition: One number of a layer.
            aliases: [network weight]
    """)
    expect(status, output, "plural.yaml", 5, "'weight-of-a-layer'", "aliases",
           "'network weight'", "plural 'network weights'", "weights-of-a-network")


def test_unknown_related_term(check: Check) -> None:
    status, output = check("related.yaml", """\
        terms:
          - key: foo
            title: Foo
            definition: A foo.
            related: [kernel, no-such-term]
    """)
    expect(status, output, "related.yaml", 5, "'foo'", "related", "'no-such-term'")


@pytest.mark.parametrize("role", ["{dlterm}`foo`", "{dlterm}`a foo <foo>`"])
def test_reference_to_unknown_term(check: Check, role: str) -> None:
    status, output = check("ref.yaml", f"""\
        terms:
          - key: bar
            title: Bar
            definition: A bar, unlike {role}.
    """)
    expect(status, output, "ref.yaml", 4, "'bar'", "definition", "unknown term 'foo'")


def test_reference_to_known_forms_is_fine(check: Check) -> None:
    status, output = check("ref.yaml", """\
        terms:
          - key: bar
            title: Bar
            summary: Like {dlterm}`kernels` in a {dlterm}`CNN`.
            definition: Like {dlterm}`!bar` and {dlterm}`a kernel <kernel>`.
    """)
    assert status == 0, output


@pytest.mark.parametrize("html", ["A <b>x</b> foo.", "A foo <script>alert(1)</script>",
                                  "A foo<br/>and more.", "A foo <!-- note -->"])
def test_raw_html_in_definition(check: Check, html: str) -> None:
    status, output = check("html.yaml", f"""\
        terms:
          - key: foo
            title: Foo
            definition: "{html}"
    """)
    expect(status, output, "html.yaml", 4, "'foo'", "definition", "raw HTML")


def test_raw_html_in_block_definition(check: Check) -> None:
    status, output = check("html.yaml", """\
        terms:
          - key: foo
            title: Foo
            aliases: [bar]
            definition: |-
              A foo.
              <script>alert(1)</script>
    """)
    expect(status, output, "html.yaml", 5, "'foo'", "definition", "raw HTML")


def test_markdown_autolink_and_math_are_not_html(check: Check) -> None:
    status, output = check("ok.yaml", """\
        terms:
          - key: foo
            title: Foo
            definition: "See <https://example.org>; $a < b$ and $x<y$."
    """)
    assert status == 0, output


@pytest.mark.parametrize("title", ['""', '"   "'], ids=["empty", "blank"])
def test_empty_title(check: Check, title: str) -> None:
    status, output = check("title.yaml", f"""\
        terms:
          - key: foo
            title: {title}
            definition: A foo.
    """)
    expect(status, output, "title.yaml", 3, "'foo'", "title", "empty", count=None)


def test_empty_title_is_one_problem(check: Check) -> None:
    status, output = check("title.yaml", """\
        terms:
          - key: foo
            title: ""
            definition: A foo.
    """)
    expect(status, output, "title.yaml", 3, "'foo'", "title", "empty")


@pytest.mark.parametrize("text", ["", "\n\n   \n"], ids=["empty", "whitespace"])
def test_empty_file(check: Check, text: str) -> None:
    status, output = check("empty.yaml", text)
    expect(status, output, "empty.yaml", None, None, None, "empty")


def test_top_level_list(check: Check) -> None:
    status, output = check("list.yaml", """\
        - key: foo
          title: Foo
          definition: A foo.
    """)
    expect(status, output, "list.yaml", 1, None, None, "mapping", "list")


def test_missing_terms(check: Check) -> None:
    status, output = check("noterms.yaml", "version: 1\n")
    expect(status, output, "noterms.yaml", 1, None, "terms", "required")


def test_non_utf8(check: Check) -> None:
    status, output = check("latin1.yaml", (
        b"terms:\n"
        b"  - key: cafe\n"
        b"    title: Caf\xe9\n"
        b"    definition: A place.\n"
    ))
    expect(status, output, "latin1.yaml", 3, None, None, "UTF-8", "0xe9")


def test_long_tooltip_without_summary(check: Check) -> None:
    status, output = check("long.yaml", f"""\
        terms:
          - key: foo
            title: Foo
            definition: {"word " * 70}and more.
    """)
    expect(status, output, "long.yaml", 4, "'foo'", "definition", "tooltip", "350", "summary")


def test_long_definition_with_summary_is_fine(check: Check) -> None:
    status, output = check("long.yaml", f"""\
        terms:
          - key: foo
            title: Foo
            summary: A short foo.
            definition: {"word " * 70}and more.
    """)
    assert status == 0, output


def test_long_summary(check: Check) -> None:
    status, output = check("long.yaml", f"""\
        terms:
          - key: foo
            title: Foo
            summary: {"word " * 70}and more.
            definition: A foo.
    """)
    expect(status, output, "long.yaml", 4, "'foo'", "summary", "350")


def test_repeated_field(check: Check) -> None:
    status, output = check("repeat.yaml", """\
        terms:
          - key: foo
            title: Foo
            title: Foo again
            definition: A foo.
    """)
    assert status == 1
    [problem] = problems(output)
    assert problem.startswith("error: repeat.yaml:4: ")
    assert "field 'title': " in problem and "repeated" in problem


def test_repeated_field_names_the_entry(check: Check) -> None:
    status, output = check("repeat.yaml", """\
        terms:
          - key: foo
            title: Foo
            title: Foo again
            definition: A foo.
    """)
    expect(status, output, "repeat.yaml", 4, "'foo'", "title", "repeated")


def test_bad_key_slug(check: Check) -> None:
    status, output = check("slug.yaml", """\
        terms:
          - key: weight-sharing
            title: Weight sharing
            definition: One kernel used at every position.
          - key: Kernel Size
            title: Kernel Size
            definition: The size of a kernel.
    """)
    expect(status, output, "slug.yaml", 5, "'Kernel Size'", "key", "slug")


def test_entry_without_key_is_named_by_number(check: Check) -> None:
    status, output = check("nokey.yaml", """\
        terms:
          - key: weight-sharing
            title: Weight sharing
            definition: One kernel used at every position.
          - title: Padding
            definition: Values added around an image.
    """)
    expect(status, output, "nokey.yaml", 5, "#2", "key", "required")


def test_entry_that_is_not_a_mapping(check: Check) -> None:
    status, output = check("notmap.yaml", """\
        terms:
          - key: weight-sharing
            title: Weight sharing
            definition: One kernel used at every position.
          - just some text
    """)
    assert status == 1
    [problem] = problems(output)
    assert problem.startswith("error: notmap.yaml:") and ": entry #2: " in problem
    assert "mapping" in problem


def test_entry_that_is_not_a_mapping_has_its_line(check: Check) -> None:
    status, output = check("notmap.yaml", """\
        terms:
          - key: weight-sharing
            title: Weight sharing
            definition: One kernel used at every position.
          - just some text
    """)
    expect(status, output, "notmap.yaml", 5, "#2", None, "mapping")


MANY = """\
    terms:
      - key: foo
        title: Foo
        definition: A foo.
        aliases: CNN
      - key: bar
        title: Bar
        definition: A <b>bar</b>.
        related: [nope]
      - title: Baz
        definition: A baz.
"""


def test_several_problems(check: Check) -> None:
    status, output = check("many.yaml", MANY)
    assert status == 1
    expect(status, output, "many.yaml", 5, "'foo'", "aliases", "list", count=4)
    expect(status, output, "many.yaml", 8, "'bar'", "definition", "raw HTML", count=4)
    expect(status, output, "many.yaml", 9, "'bar'", "related", "'nope'", count=4)
    expect(status, output, "many.yaml", 10, "#3", "key", "required", count=4)
    assert output.splitlines()[-1] == "4 problems found"


def test_several_problems_in_file_order(check: Check) -> None:
    _, output = check("many.yaml", MANY)
    lines = [int(PROBLEM_RE.fullmatch(p)["line"]) for p in problems(output)]  # type: ignore[index]
    assert lines == sorted(lines)


def test_problems_in_two_files(check: Check) -> None:
    check("a.yaml", "terms:\n  - key: a\n    title: A\n    definition: <i>a</i>\n")
    status, output = check("b.yaml", "terms: []\n", "a.yaml")  # validate a.yaml b.yaml
    expect(status, output, "a.yaml", 4, "'a'", "definition", "raw HTML")


def test_list_and_show_report_problems_too(
    check: Check, capsys: pytest.CaptureFixture[str]
) -> None:
    check("bad.yaml", "terms:\n  - key: a\n    title: A\n")
    for argv in (["list", "bad.yaml"], ["show", "--file", "bad.yaml", "kernel"],
                 ["export", "bad.yaml"]):
        status, out, err = run(capsys, *argv)
        assert status == 1, argv
        assert out == ""
        assert "error: bad.yaml:2: entry 'a': field 'definition': " in err
        assert err.endswith("1 problem found\n")


def test_missing_file(check: Check, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", "no-such-file.yaml")
    assert status == 1
    assert out.startswith("error: no-such-file.yaml: cannot read the file")


# -- bugs: inputs that end in a traceback or a wrong message -----------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        "1: a\n    zz: b",  # int and str keys: sorted() TypeError in _schema_message
        "? [a, b]\n    : c",  # a list as a key: unhashable, TypeError in construct_mapping
        "1: a\n    true: b",  # True == 1: reported as a 'repeated field'
    ],
    ids=["int-and-text", "list-key", "int-and-bool"],
)
def test_non_text_field_names(check: Check, extra: str) -> None:
    text = "terms:\n  - key: foo\n    title: Foo\n    definition: A foo.\n    " + extra + "\n"
    status, output = check("keys.yaml", text.encode("utf-8"))
    assert status == 1
    assert "error: keys.yaml:" in output and "field" in output
    assert "repeated" not in output


def test_type_name_of_a_mapping(check: Check) -> None:
    status, output = check("alias.yaml", """\
        terms:
          - key: foo
            title: Foo
            definition: A foo.
            aliases: [{name: bar}]
    """)
    expect(status, output, "alias.yaml", 5, "'foo'", "aliases", "not a mapping")


def test_validate_standalone_without_files(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "validate", "--standalone")
    assert status != 0
    assert "OK" not in out


# -- no traceback from the real command --------------------------------------------------------


def test_bad_files_in_a_subprocess(tmp_path: Path) -> None:
    (tmp_path / "syntax.yaml").write_text("terms:\n  - key: foo\n    title: Foo: bar\n",
                                          encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"terms": [}\n', encoding="utf-8")
    (tmp_path / "latin1.yaml").write_bytes(b"terms:\n  - key: x\n    title: \xe9\n")
    (tmp_path / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    names = ["syntax.yaml", "bad.json", "latin1.yaml", "list.yaml", "empty.yaml"]
    proc = python_m("validate", *names, cwd=tmp_path)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Traceback" not in output
    assert [p.split(":")[1].strip() for p in problems(output)] == names
    assert output.splitlines()[-1] == "5 problems found"


def test_export_mystmd_writes_the_plugin_into_a_folder(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, "export", "--format", "mystmd", "--output",
                           str(tmp_path / "book"))
    assert status == 0 and out == ""
    plugin = tmp_path / "book" / "dlglossary.mjs"
    assert f"wrote {plugin} ({EXPECTED_TERMS} terms)" in err
    assert "plugins: [dlglossary.mjs]" in err
    text = plugin.read_text(encoding="utf-8")
    assert text.isascii()  # no character in the data can end the literal or the line
    literal = re.search(r"^const DATA = (\{.*\});$", text, re.M)
    assert literal is not None
    data = json.loads(literal.group(1))
    assert sorted(data["terms"]) == sorted(t.key for t in terms.load_canonical())
    assert "export default {" in text
    # The same data gives the same file.
    assert run(capsys, "export", "--format", "mystmd", "-o", str(tmp_path / "again"))[0] == 0
    assert (tmp_path / "again" / "dlglossary.mjs").read_bytes() == plugin.read_bytes()


def test_export_mystmd_needs_a_folder(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    status, out, err = run(capsys, "export", "--format", "mystmd")
    assert status == 2 and out == ""
    assert "--format mystmd writes a folder: give it with --output DIR" in err
    afile = tmp_path / "a.txt"
    afile.write_text("x", encoding="utf-8")
    status, _, err = run(capsys, "export", "--format", "mystmd", "--output", str(afile))
    assert status == 2 and f"{afile} is a file" in err and "Traceback" not in err


def test_export_mystmd_refuses_a_broken_term_file(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    """A definition outside the safe subset never reaches the plugin: the export stops
    with the file, entry and field, and writes nothing."""
    bad = tmp_path / "terms.yaml"
    bad.write_text("version: 1\nterms:\n  - key: leak\n    title: Leak\n"
                   "    summary: A term that tries to include a file.\n"
                   "    definition: |\n      ```{include} /etc/passwd\n      ```\n",
                   encoding="utf-8")
    status, _, err = run(capsys, "export", "--format", "mystmd", "--output",
                         str(tmp_path / "out"), str(bad))
    assert status == 1
    assert "terms.yaml" in err and "leak" in err and "definition" in err
    assert not (tmp_path / "out").exists()
