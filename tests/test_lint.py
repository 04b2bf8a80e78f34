"""``dlglossary lint``: golden rST/MyST twins, the command line, fixing, and properties.

The golden files live in ``tests/lint/``: ``case.rst`` and ``case.md`` are twins (the same
content in each syntax), ``case.rst.out`` is what lint prints, and ``case.rst.fixed`` is
the file after ``--fix`` (absent when fixing changes nothing). After a deliberate change,
rewrite them with ``DLGLOSSARY_REGEN=1 pytest tests/test_lint.py`` and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinxcontrib_dlglossary import cli, lint
from sphinxcontrib_dlglossary.core.matcher import Matcher
from sphinxcontrib_dlglossary.lint import Syntax, prose_regions, syntax_of

HERE = Path(__file__).parent / "lint"
CASES = sorted(p for p in HERE.iterdir() if p.suffix in (".rst", ".md"))
STEMS = sorted({p.stem for p in CASES})

#: Everyday sentences that must stay silent with the default settings.
EVERYDAY = [
    "Restart the Jupyter kernel before you run the cells.",
    "Pass the function parameters by keyword, and one parameter more.",
    "Add a regression test for this bug.",
    "JPEG compression is lossy.",
    "The Linux Kernel and the Jupyter Kernel are not terms here.",
    "Tensor cores, metric units and the loss of data.",
    "Apply a filter to the query, then wait one more epoch.",
    "The weights of the parcels are printed on the label.",
    "The bias of the survey, the augmentation of the budget and the server capacity.",
    "A classifier of documents, the activation energy, and a differentiable map.",
    "Generalize the function; the pooling of resources.",
    "A U-Net-like decoder reads kernel.py and writes overfitting_score.",
    "See https://example.com/overfitting/loss for the details.",
    "The LOSS constant and a lower-case cnn.",
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return lint.build_matcher(lint.Settings(terms=[Path("terms.yaml")], root=HERE))


def render(findings: list[lint.Finding]) -> str:
    out = io.StringIO()
    lint._text(findings, out)
    return out.getvalue()


def golden(path: Path, actual: str) -> None:
    if os.environ.get("DLGLOSSARY_REGEN"):
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.read_text(encoding="utf-8") == actual, f"{path.name} differs"


# -- golden twins ------------------------------------------------------------------------------


@pytest.mark.parametrize("source", CASES, ids=lambda p: p.name)
def test_golden(source: Path, matcher: Matcher) -> None:
    text = source.read_text(encoding="utf-8")
    syntax = syntax_of(source.name)
    assert syntax is not None
    findings = lint.check_text(text, syntax, matcher, source.name)
    golden(source.with_name(source.name + ".out"), render(findings))
    fixed = lint.fix_text(text, syntax, findings)
    fixed_path = source.with_name(source.name + ".fixed")
    if fixed != text:
        golden(fixed_path, fixed)
    else:
        assert not fixed_path.exists(), f"{fixed_path.name}: fixing changes nothing now"
    # Round trip: what is left after fixing is not fixable, and fixing again is a no-op.
    again = lint.check_text(fixed, syntax, matcher, source.name)
    assert not [f for f in again if f.fix]
    assert lint.fix_text(fixed, syntax, again) == fixed


@pytest.mark.parametrize("stem", STEMS)
def test_twins_agree(stem: str, matcher: Matcher) -> None:
    """The rST and MyST twin of a case give the same findings, text for text."""
    found = {}
    for suffix in (".rst", ".md"):
        path = HERE / (stem + suffix)
        syntax = syntax_of(path.name)
        assert syntax is not None
        findings = lint.check_text(path.read_text(encoding="utf-8"), syntax, matcher)
        found[suffix] = [(f.code, f.text) for f in findings]
    assert found[".rst"] == found[".md"]


def test_every_excluded_context_has_twins() -> None:
    contexts = {"inline-literal", "literal-block", "code-block", "math", "links", "headings",
                "captions", "directive-args", "substitutions", "comments", "raw-html",
                "metadata", "glossary-page", "definitions"}
    for stem in contexts:
        assert (HERE / f"{stem}.rst").is_file() and (HERE / f"{stem}.md").is_file(), stem
        # The probe term appears only in the excluded context and one prose control line,
        # so the only finding (if any) is about that control line.
        out = (HERE / f"{stem}.rst.out").read_text(encoding="utf-8")
        assert "over-fitting" not in out


@pytest.mark.parametrize("syntax", ["rst", "myst"])
@pytest.mark.parametrize("sentence", EVERYDAY)
def test_everyday_sentences_stay_silent(sentence: str, syntax: Syntax, matcher: Matcher) -> None:
    assert lint.check_text(sentence + "\n", syntax, matcher) == []


def test_everyday_terms_can_be_opted_in() -> None:
    opted = lint.build_matcher(lint.Settings(everyday=frozenset({"kernel"})))
    found = lint.check_text("The kernel slides over the image.\n", "rst", opted)
    assert [(f.code, f.key) for f in found] == [("DLG003", "kernel")]
    everything = lint.build_matcher(lint.Settings(everyday=True))
    found = lint.check_text("A loss and its kernel.\n", "myst", everything)
    assert [f.key for f in found] == ["loss", "kernel"]


# -- checking details --------------------------------------------------------------------------


def test_positions_are_exact_with_crlf_and_non_ascii(matcher: Matcher) -> None:
    text = "Ünïcode line.\r\nThe café’s mini-batch\r\nand a Unet.\r\n"
    findings = lint.check_text(text, "myst", matcher)
    lines = text.split("\r\n")
    for f in findings:
        assert lines[f.line - 1][f.column - 1:f.column - 1 + len(f.text)] == f.text
        assert text[f.start:f.end] == f.text
    assert [(f.code, f.line, f.column) for f in findings][:2] == [("DLG002", 2, 12),
                                                                  ("DLG003", 2, 12)]


def test_role_before_the_first_mention_counts_as_the_link(matcher: Matcher) -> None:
    text = "A :dlterm:`minibatch` first; then a minibatch and minibatches.\n"
    assert lint.check_text(text, "rst", matcher) == []
    text = "A minibatch first; then :dlterm:`minibatch`.\n"
    assert [f.code for f in lint.check_text(text, "rst", matcher)] == ["DLG003"]


def test_suppressed_role_is_not_the_first_mention(matcher: Matcher) -> None:
    text = "Not this {dlterm}`!minibatch`, but this minibatch.\n"
    [finding] = lint.check_text(text, "myst", matcher)
    assert (finding.code, finding.column) == ("DLG003", 41)


def test_role_text_that_would_not_resolve_gets_a_key(matcher: Matcher) -> None:
    [finding] = lint.check_text("Fully\nconnected.\n\nA U-Net.\n", "myst", matcher)
    assert finding.fix is not None and finding.fix.new == "{dlterm}`U-Net`"


@pytest.mark.parametrize("text, syntax, fixed", [
    ("A convolutional\nneural network.\n", "rst",
     "A :dlterm:`convolutional\nneural network`.\n"),
    ("- A convolutional\n  neural network.\n", "rst",
     "- A :dlterm:`convolutional\n  neural network`.\n"),
    ("> A convolutional\n> neural network.\n", "myst",
     "> A {dlterm}`convolutional\n> neural network`.\n"),
])
def test_mention_across_lines_is_wrapped_as_it_stands(text: str, syntax: Syntax, fixed: str,
                                                      matcher: Matcher) -> None:
    [finding] = lint.check_text(text, syntax, matcher)
    assert (finding.line, finding.end_line) == (1, 2)
    assert "write :dlterm:`convolutional neural network`" in finding.message or \
        "write {dlterm}`convolutional neural network`" in finding.message
    assert lint.fix_text(text, syntax, [finding]) == fixed


def test_variant_across_lines_is_not_respelt(matcher: Matcher) -> None:
    findings = lint.check_text("A hyper\nparameter.\n", "myst", matcher)
    assert [(f.code, f.fix) for f in findings] == [("DLG002", None), ("DLG003", None)]
    assert findings[0].message == ("'hyper parameter' is not the canonical spelling; "
                                   "write 'hyperparameter'")


def test_rst_inline_markup_rules_decide_wrapping(matcher: Matcher) -> None:
    # "minibatch" follows a character after which rST would not see a role start.
    [finding] = lint.check_text("x*minibatch for a test.\n", "rst", matcher)
    assert finding.fix is None
    [finding] = lint.check_text("(minibatch) for a test.\n", "rst", matcher)
    assert finding.fix is not None


@pytest.mark.parametrize("text, syntax", [
    (":dlglossary_autolink: false\n\nT\n=\n\nA minibatch.\n", "rst"),
    (":DLGlossary_Autolink: Off\n\nT\n=\n\nA minibatch.\n", "rst"),
    ("Text first.\n\n:dlglossary_autolink: 0\n\nT\n=\n\nA minibatch.\n", "rst"),
    ("---\ndlglossary_autolink: no\n---\nA minibatch.\n", "myst"),
    ("---\ndlglossary_autolink: 'false'\n---\nA minibatch.\n", "myst"),
    (":dlglossary_autolink: false\n\nA minibatch.\n", "myst"),
])
def test_page_opt_out_silences_dlg003_only(text: str, syntax: Syntax, matcher: Matcher) -> None:
    spelt = text.replace("A minibatch.", "A mini-batch.")
    assert [f.code for f in lint.check_text(spelt, syntax, matcher)] == ["DLG002"]
    assert lint.check_text(text, syntax, matcher) == []


@pytest.mark.parametrize("text, syntax", [
    (":dlglossary_autolink: true\n\nT\n=\n\nA minibatch.\n", "rst"),
    ("T\n=\n\n:dlglossary_autolink: false\n\nA minibatch.\n", "rst"),  # in a section
    (".. note::\n\n   :dlglossary_autolink: false\n\nA minibatch.\n", "rst"),
    ("---\ndlglossary_autolink: [false]\n---\nA minibatch.\n", "myst"),
    ("> :dlglossary_autolink: false\n\nA minibatch.\n", "myst"),
    ("Text `dlglossary_autolink: false`.\n\nA minibatch.\n", "myst"),
])
def test_what_is_no_page_opt_out(text: str, syntax: Syntax, matcher: Matcher) -> None:
    assert [f.code for f in lint.check_text(text, syntax, matcher)] == ["DLG003"]


@pytest.mark.parametrize("text, syntax", [
    (".. rst-class:: no-autolink\n\nA :dlterm:`minibatch`.\n\nA minibatch.\n", "rst"),
    ("{.no-autolink}\nA {dlterm}`minibatch`.\n\nA minibatch.\n", "myst"),
])
def test_a_role_in_a_no_autolink_block_still_links_the_term(text: str, syntax: Syntax,
                                                           matcher: Matcher) -> None:
    assert lint.check_text(text, syntax, matcher) == []  # as the build: the role came first


@pytest.mark.parametrize("text, syntax", [
    (".. rst-class:: no-autolink\n\n.. rst-class:: other\n\nA minibatch.\n", "rst"),
    (".. rst-class:: no-autolink\n\n.. index:: single: x\n\nA minibatch.\n", "rst"),
    ("- .. rst-class:: no-autolink\n\nA minibatch.\n", "rst"),  # ascends to the next
    ("{.no-autolink}\n- item\n\n  A minibatch.\n", "myst"),
    ("::: no-autolink\nA minibatch.\n:::\n", "myst"),
    ("```{tip}\n---\nclass: [a, no-autolink]\n---\nA minibatch.\n```\n", "myst"),
    ("{.no-autolink}\n# Section\n\nA minibatch.\n\n## Sub\n\nA minibatch.\n", "myst"),
])
def test_more_no_autolink_blocks(text: str, syntax: Syntax, matcher: Matcher) -> None:
    assert lint.check_text(text, syntax, matcher) == []
    spelt = text.replace("A minibatch.", "A mini-batch.")
    assert {f.code for f in lint.check_text(spelt, syntax, matcher)} == {"DLG002"}


@pytest.mark.parametrize("text, syntax", [
    (".. rst-class:: no-autolink\n\n.. code-block:: text\n\n   x\n\nA minibatch.\n", "rst"),
    (".. rst-class:: other\n\nA minibatch.\n", "rst"),
    ("{.no-autolink}\n```{note}\nA minibatch.\n```\n", "myst"),  # myst ignores it there
    ("{.no-autolink}\n# Section\n\nText.\n\n# Next\n\nA minibatch.\n", "myst"),
    ("> {.no-autolink}\n> ## Rubric\n\nA minibatch.\n", "myst"),  # a rubric, no section
])
def test_what_is_no_no_autolink_block(text: str, syntax: Syntax, matcher: Matcher) -> None:
    assert [f.code for f in lint.check_text(text, syntax, matcher)] == ["DLG003"]


def test_dlg003_keeps_the_spelling_when_dlg002_is_not_selected(matcher: Matcher) -> None:
    text = "A mini-batch.\n"
    [f] = lint.check_text(text, "myst", matcher, codes=["DLG003"])
    assert f.fix is not None and f.fix.new == "{dlterm}`mini-batch`"
    both = lint.check_text(text, "myst", matcher)
    assert lint.fix_text(text, "myst", both) == "A {dlterm}`minibatch`.\n"


# -- fixing ------------------------------------------------------------------------------------


def test_fix_refuses_an_edit_it_cannot_verify(matcher: Matcher,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    text = "A minibatch.\n"
    findings = lint.check_text(text, "myst", matcher)
    real = lint.scan

    def broken(source: str, syntax: Syntax,
               extensions: frozenset[str] | None = None) -> lint.Scan:
        out = real(source, syntax, extensions)
        out.pieces = out.pieces[:-1]  # the re-parse "sees" prose vanish
        return out

    monkeypatch.setattr(lint, "scan", broken)
    with pytest.raises(lint.FixError):
        lint.fix_text(text, "myst", findings)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def run(*args: str) -> int:
    return cli.main(["lint", "--no-config", *args])


def test_fix_keeps_bom_crlf_and_second_fix_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "page.rst"
    path.write_bytes(b"\xef\xbb\xbfTitle\r\n=====\r\n\r\nA mini-batch and a Unet.\r\n")
    assert run("--fix", str(path)) == 0
    fixed = path.read_bytes()
    assert fixed == (b"\xef\xbb\xbfTitle\r\n=====\r\n\r\n"
                     b"A :dlterm:`minibatch` and a :dlterm:`U-Net`.\r\n")
    assert run("--fix", str(path)) == 0
    assert path.read_bytes() == fixed


def test_fix_leaves_the_file_untouched_when_verification_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "page.md", "A minibatch.\n")

    def refuse(*args: object, **kwargs: object) -> str:
        raise lint.FixError("re-parsing the edited text shows changes beyond the edits")

    monkeypatch.setattr(lint, "fix_text", refuse)
    assert run("--fix", str(path)) == 2
    assert path.read_text() == "A minibatch.\n"
    assert "not fixed: re-parsing" in capsys.readouterr().err


def test_fix_leaves_a_file_changed_meanwhile(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "page.md", "A minibatch.\n")
    real = lint.fix_text

    def meanwhile(*args: object, **kwargs: object) -> str:
        path.write_text("Someone else's edit.\n")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(lint, "fix_text", meanwhile)
    assert run("--fix", str(path)) == 2
    assert path.read_text() == "Someone else's edit.\n"
    assert not list(tmp_path.glob(".*.tmp"))


def test_diff_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "page.md", "A mini-batch.\n")
    assert run("--diff", str(path)) == 1
    out = capsys.readouterr().out
    assert "-A mini-batch.\n+A {dlterm}`minibatch`.\n" in out
    assert path.read_text() == "A mini-batch.\n"


# -- command line ------------------------------------------------------------------------------


def test_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = write(tmp_path / "clean.rst", "Nothing to see.\n")
    dirty = write(tmp_path / "dirty.md", "A {dlterm}`kernl`.\n")
    assert run(str(clean)) == 0
    assert run(str(dirty)) == 1
    assert run("--exit-zero", str(dirty)) == 0
    assert run(str(tmp_path / "missing.rst")) == 2
    assert run(str(write(tmp_path / "notes.docx", "x"))) == 2
    latin = tmp_path / "latin.rst"
    latin.write_bytes("caf\xe9\n".encode("latin-1"))
    assert run(str(latin)) == 2
    err = capsys.readouterr().err
    assert "no such file" in err and "not a reStructuredText" in err and "not UTF-8" in err
    with pytest.raises(SystemExit) as exc:
        cli.main(["lint", "--conf", "x", "--no-conf"])  # options that exclude each other
    assert exc.value.code == 2


def test_text_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "docs" / "a.md", "# Title\n\nSee the {dlterm}`kernl` and a mini-batch.\n")
    assert run("docs") == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "docs/a.md:3:18: DLG001 unknown term 'kernl' in a dlterm role; did you mean 'kernel' "
        "or 'token'?",
        "docs/a.md:3:31: DLG002 'mini-batch' is not the canonical spelling; write 'minibatch'"
        " (fixable)",
        "docs/a.md:3:31: DLG003 first mention of 'Minibatch' on this page is not linked; "
        "write {dlterm}`minibatch` (fixable)",
    ]
    assert "3 finding(s) (2 fixable) in 1 file(s)" in err


def test_json_github_and_sarif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.rst", "A :dlterm:`kernl`, a mini-batch.\n")
    assert run("--format", "json", "a.rst") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1 and data["errors"] == []
    first = data["findings"][0]
    assert first == {"path": "a.rst", "line": 1, "column": 12, "end_line": 1, "end_column": 17,
                     "code": "DLG001", "severity": "error",
                     "message": "unknown term 'kernl' in a dlterm role; did you mean 'kernel' "
                                "or 'token'?",
                     "term": None, "text": "kernl", "fix": None}
    assert data["findings"][1]["fix"] == {"replacement": "minibatch"}

    assert run("--format", "github", "a.rst") == 1
    lines = capsys.readouterr().out.splitlines()
    pattern = re.compile(r"::(error|warning) file=a\.rst,line=\d+,col=\d+,endLine=\d+,"
                         r"endColumn=\d+,title=DLG00\d::DLG00\d .+")
    assert lines and all(pattern.fullmatch(line) for line in lines)
    assert lines[0].startswith("::error file=a.rst,line=1,col=12,endLine=1,endColumn=17,")

    assert run("--format", "sarif", "a.rst") == 1
    sarif = json.loads(capsys.readouterr().out)
    assert sarif["version"] == "2.1.0"
    sarif_run = sarif["runs"][0]
    assert [r["id"] for r in sarif_run["tool"]["driver"]["rules"]] == list(lint.CODES)
    result = sarif_run["results"][0]
    assert result["ruleId"] == "DLG001" and result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 1, "startColumn": 12, "endLine": 1, "endColumn": 17}
    assert sarif_run["results"][1]["fixes"][0]["artifactChanges"][0]["replacements"][0][
        "insertedContent"] == {"text": "minibatch"}


def test_pyproject_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.dlglossary.lint]\n"
        'ignore = ["DLG001"]\n'
        'terms = ["terms/project.yaml"]\n'
        'exclude = ["docs/legacy", "*.txt"]\n'
        'everyday = ["kernel"]\n')
    write(tmp_path / "terms" / "project.yaml",
          "version: 1\nterms:\n  - key: dropout\n    override: true\n    title: Dropout\n"
          "    definition: Zeroing activations.\n    avoid: [dilution]\n")
    write(tmp_path / "docs" / "a.md", "A {dlterm}`kernl`, a kernel and a dilution.\n")
    write(tmp_path / "docs" / "legacy" / "old.md", "A mini-batch.\n")
    write(tmp_path / "docs" / "notes.txt", "A mini-batch.\n")
    monkeypatch.chdir(tmp_path / "docs")  # the settings are found upwards
    assert cli.main(["lint", "."]) == 1
    out = capsys.readouterr().out
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == ["DLG003", "DLG004"]
    # Excluded even when named explicitly (as pre-commit does).
    assert cli.main(["lint", "legacy/old.md", "notes.txt"]) == 0
    # Options replace select/ignore.
    assert cli.main(["lint", "--select", "DLG001", "a.md"]) == 1
    assert "DLG001" in capsys.readouterr().out


@pytest.mark.parametrize("toml, message", [
    ('[tool.dlglossary.lint]\nselct = ["DLG001"]\n', "unknown setting 'selct'"),
    ('[tool.dlglossary.lint]\nselect = ["DLG999"]\n', "unknown code 'DLG999'"),
    ('[tool.dlglossary.lint]\neveryday = ["kernal"]\n', "unknown term 'kernal'"),
    ('[tool.dlglossary.lint]\nterms = ["missing.yaml"]\n', "missing.yaml"),
    ("[tool.dlglossary.lint\n", "invalid TOML"),
])
def test_bad_settings_exit_2(toml: str, message: str, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text(toml)
    write(tmp_path / "a.md", "Text.\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lint", "a.md"]) == 2
    assert message in capsys.readouterr().err


def test_settings_without_a_toml_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.dlglossary.lint]\nselect = ["DLG001"]\n')
    monkeypatch.setattr(lint, "_toml_module", lambda: None)
    err = io.StringIO()
    assert lint.load_settings(config, err).codes == frozenset(lint.CODES)
    assert "needs the 'tomli' package" in err.getvalue()


def test_glossary_page_is_skipped(tmp_path: Path) -> None:
    page = write(tmp_path / "glossary.md", "# Glossary\n\nA {dlterm}`kernl`.\n\n"
                 "```{dlglossary}\n```\n")
    assert run(str(page)) == 0


# -- properties --------------------------------------------------------------------------------

_WORDS = ["the", "a", "model", "and", "of", "overfitting", "over-fitting", "mini-batch",
          "minibatches", "Unet", "U-Net", "CNN", "hyperparameter", "hyper-parameter",
          "neural network", "convolutional neural network", "kernel", "loss", "regularisation",
          "backprop", "(overfitting)", "overfitting's", "U-Net-like", "kernel.py", "Mini-batch"]
_INLINE = {
    "rst": ["``{w} m{i}``", ":math:`{w} m{i}`", "`{w} m{i} <https://example.com/{i}>`_",
            ":ref:`{w} m{i}`", "|s{i}|", "*{w}* m{i}"],
    "myst": ["`{w} m{i}`", "${w} m{i}$", "[{w} m{i}](https://example.com/{i})",
             "{{ref}}`{w} m{i}`", "<span>{w} m{i}</span>", "![{w} m{i}](x.png)"],
}
_BLOCKS = {
    "rst": ["{w} m{i}\n{u}", "Code::\n\n   {w} m{i}", ".. code-block:: python\n\n   {w} m{i}",
            ".. math::\n\n   {w} m{i}", ".. {w} m{i}", ".. |s{i}| replace:: {w} m{i}",
            ".. raw:: html\n\n   <b>{w} m{i}</b>", ".. figure:: x.png\n\n   {w} m{i}"],
    "myst": ["# {w} m{i}", "```\n{w} m{i}\n```", "$$\n{w} m{i}\n$$", "% {w} m{i}",
             "<div>\n{w} m{i}\n</div>", "```{{note}} {w} m{i}\nbody\n```",
             "```{{figure}} x.png\n{w} m{i}\n```"],
}
_MASKED_PART = re.compile(r"\*\S+\* ")  # rST emphasis is prose: only "m{i}" is kept as is


@st.composite
def documents(draw: st.DrawFn, syntax: Syntax) -> tuple[str, list[str]]:
    """A document and the masked fragments in it, in order (each unique by its m<i>)."""
    blocks: list[str] = []
    masked: list[str] = []
    counter = iter(range(10_000))
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            words: list[str] = []
            for _ in range(draw(st.integers(1, 12))):
                if draw(st.integers(0, 3)) == 0:
                    i, w = next(counter), draw(st.sampled_from(_WORDS))
                    fragment = draw(st.sampled_from(_INLINE[syntax])).format(w=w, i=i)
                    words.append(fragment)
                    masked.append(_MASKED_PART.sub("", fragment))
                else:
                    words.append(draw(st.sampled_from(_WORDS)))
            sep = draw(st.sampled_from([" ", "\n"]))
            blocks.append(sep.join(words) + ".")
        else:
            i, w = next(counter), draw(st.sampled_from(_WORDS))
            title = f"{w} m{i}"
            block = draw(st.sampled_from(_BLOCKS[syntax])).format(w=w, i=i, u="=" * len(title))
            blocks.append(block)
            masked.append(block.split("\n")[-1] if "::" in block.split("\n")[0] else block)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = "\n\n".join(blocks) + "\n"
    return text.replace("\n", newline), [m.replace("\n", newline) for m in masked]


def _check_property(text: str, masked: list[str], syntax: Syntax, matcher: Matcher) -> None:
    findings = lint.check_text(text, syntax, matcher)
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    for f in findings:  # every position slices exactly the reported text
        assert text[starts[f.line - 1] + f.column - 1:][:len(f.text)] == f.text
    prose = prose_regions(text, syntax)
    for edit in lint.plan(findings):  # edits lie inside prose, by the scanner's own account
        assert any(a <= edit.start and edit.end <= b for a, b in prose), edit
    fixed = lint.fix_text(text, syntax, findings)
    at = 0
    for fragment in masked:  # every masked fragment survives, byte for byte, in order
        found = fixed.find(fragment, at)
        assert found >= 0, (fragment, fixed)
        at = found + len(fragment)
    again = lint.check_text(fixed, syntax, matcher)
    assert lint.fix_text(fixed, syntax, again) == fixed


_PROPERTY = settings(max_examples=60, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


@_PROPERTY
@given(doc=documents("rst"))
def test_fix_never_touches_masked_regions_rst(doc: tuple[str, list[str]],
                                              matcher: Matcher) -> None:
    _check_property(*doc, "rst", matcher)


@_PROPERTY
@given(doc=documents("myst"))
def test_fix_never_touches_masked_regions_myst(doc: tuple[str, list[str]],
                                               matcher: Matcher) -> None:
    _check_property(*doc, "myst", matcher)
