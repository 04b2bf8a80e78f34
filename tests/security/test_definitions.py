"""Definitions are data: the catalogue of hostile and careless definitions, and their fate.

Each case is a definition a term file could hold (issue #12, cases 1, 2, 3, 5 and 10) and
the words ``dlglossary validate`` must refuse it with. The same catalogue is built into a
site (:mod:`test_hostile_build`): nothing is read, fetched or run, every page is written.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from docutils import nodes

from sphinxcontrib_dlglossary import cli
from sphinxcontrib_dlglossary.core.safemarkup import check
from sphinxcontrib_dlglossary.sphinx_ext import definitions

#: Stands for a file an attacker wants published (the tests write a secret there).
SECRET = "@SECRET@"
#: Stands for a URL an attacker wants the build to fetch.
URL = "@URL@"

#: (case, definition, what the refusal says)
CATALOGUE: list[tuple[str, str, str]] = [
    # 1. local files published
    ("include", f"```{{include}} {SECRET}\n```", "the directive {include} is not allowed"),
    ("include-literal", f"```{{include}} {SECRET}\n:literal:\n```", "directive {include}"),
    ("raw-file", f"```{{raw}} html\n:file: {SECRET}\n```", "the directive {raw}"),
    ("csv-file", f"```{{csv-table}}\n:file: {SECRET}\n```", "the directive {csv-table}"),
    ("literalinclude", f"```{{literalinclude}} {SECRET}\n```", "directive {literalinclude}"),
    ("eval-rst", f"```{{eval-rst}}\n.. include:: {SECRET}\n```", "the directive {eval-rst}"),
    # 2. requests at build time
    ("raw-url", f"```{{raw}} html\n:url: {URL}\n```", "the directive {raw}"),
    ("csv-url", f"```{{csv-table}}\n:url: {URL}\n```", "the directive {csv-table}"),
    # 3. script and requests through math
    ("math-href", "A formula $\\href{javascript:alert(document.domain)}{f(x)}$.",
     "the TeX command \\href is not allowed"),
    ("math-style", f"$$\n\\style{{background:url({URL})}}{{x}}\n$$", "TeX command \\style"),
    ("math-class", "$\\class{dlg-tip}{x}$", "TeX command \\class"),
    ("math-cssid", "$\\cssId{dlglossary-tip}{x}$", "TeX command \\cssId"),
    ("math-unicode", f"$\\unicode[{URL}]{{x41}}$", "TeX command \\unicode"),
    ("math-require", "$\\require{action}\\toggle{a}{b}\\endtoggle$", "TeX command \\require"),
    ("math-bbox", f"$\\bbox[background:url({URL})]{{x}}$", "TeX command \\bbox"),
    ("math-input", f"$\\input{{{SECRET}}}$", "TeX command \\input"),
    ("math-catcode", "$\\catcode`\\^=7 x$", "TeX command \\catcode"),
    ("math-caret", "$^^5chref{x}{y}$", "TeX '^^' character codes"),
    # TeX in plain text, which MathJax typesets when it scans a page
    ("text-tex-paren", "Click \\\\(\\href{javascript:alert(4)}{t}\\\\).",
     "'\\(' outside math is read as TeX by MathJax"),
    ("text-tex-dollars", "\\$\\$\\style{background:url(@URL@)}{v}\\$\\$",
     "'$$' outside math is read as TeX"),
    ("text-tex-begin", "\\begin{array}x\\end{array}", "'\\begin{' outside math"),
    # links that are not http(s)
    ("link-javascript", "[click](javascript:alert(1))", "links must be http: or https: URLs"),
    ("link-data", "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
     "links must be http: or https: URLs"),
    ("autolink-file", "<file:///etc/passwd>", "links must be http: or https: URLs"),
    ("link-relative", "[x](../secrets.html)", "links must be http: or https: URLs"),
    # 5. elements that aborted the build
    ("image", "![logo](https://example.org/x.png)", "an image is not allowed"),
    ("footnote", "A claim[^1].\n\n[^1]: A note.", "a footnote is not allowed"),
    ("math-directive", "```{math}\nx^2\n```", "the directive {math}"),
    ("toctree", "```{toctree}\nindex\n```", "the directive {toctree}"),
    ("index", "```{index} kernel\n```", "the directive {index}"),
    ("versionadded", "```{versionadded} 1.0\n```", "the directive {versionadded}"),
    ("tab-set", "````{tab-set}\n```{tab-item} A\nx\n```\n````", "the directive {tab-set}"),
    ("contents", "```{contents}\n```", "the directive {contents}"),
    ("deep-emphasis", "*" * 200 + "x" + "*" * 200, "nested more than 16 levels"),
    ("deep-list", "\n".join("  " * i + "- x" for i in range(40)), "nested more than 16"),
    # 10. roles that vanished silently
    ("role-ref", "See {ref}`genindex`.", "the role {ref} is not allowed"),
    ("role-doc", "See {doc}`index`.", "the role {doc} is not allowed"),
    ("role-raw-html", "{raw-html}`<script>alert(1)</script>`", "the role {raw-html}"),
    # other structure a card cannot hold
    ("heading", "# A heading", "a heading is not allowed"),
    ("table", "| a | b |\n|---|---|\n| 1 | 2 |", "a table is not allowed"),
    ("myst-target", "(here)=\nText.", "a MyST target"),
    ("myst-comment", "% of the samples are noise.", "a MyST comment"),
]

#: Definitions that must stay valid (the subset is not empty).
ALLOWED = [
    "Plain text with *emphasis*, **strong** and `code`.",
    "A {dlterm}`kernel` and {dlterm}`the epochs <epoch>`; math $\\frac{a}{b}$ and "
    "$\\mathbf{x}^\\top \\sum_i \\alpha_i$.",
    "See [the paper](https://arxiv.org/abs/1512.03385) or <http://example.org>.",
    "- one\n- two\n\n1. first\n2. second",
    "```python\nx = 1\n```",
    "$$\n\\begin{aligned} y &= Wx + b \\end{aligned}\n$$",
]


def _fill(text: str, secret: Path, url: str) -> str:
    return text.replace(SECRET, str(secret)).replace(URL, url)


def _term_file(definition: str) -> str:
    block = textwrap.indent(definition, "      ")
    return f"terms:\n  - key: hostile\n    title: Hostile\n    definition: |\n{block}\n"


@pytest.mark.parametrize(("case", "definition", "refusal"), CATALOGUE,
                         ids=[c[0] for c in CATALOGUE])
def test_validate_refuses(case: str, definition: str, refusal: str, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    """``dlglossary validate`` exits 1 and names file, line, entry, field and the reason."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN-0451\n", encoding="utf-8")
    path = tmp_path / "terms.yaml"
    path.write_text(_term_file(_fill(definition, secret, "http://127.0.0.1:9/x")),
                    encoding="utf-8")
    status = cli.main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert status == 1
    lines = [line for line in (out + err).splitlines() if refusal in line]
    assert lines, out + err
    assert f"{path}:4: entry 'hostile': field 'definition': " in lines[0]
    assert "SECRET-TOKEN" not in out + err


@pytest.mark.parametrize("definition", ALLOWED)
def test_safe_subset_is_allowed(definition: str) -> None:
    assert check(definition) == []


@pytest.mark.parametrize(("case", "definition", "refusal"), CATALOGUE,
                         ids=[c[0] for c in CATALOGUE])
def test_renderer_refuses_without_validation(case: str, definition: str, refusal: str,
                                             tmp_path: Path) -> None:
    """A path that skipped validation still gets only the text, in a code block."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN-0451\n", encoding="utf-8")
    text = _fill(definition, secret, "http://127.0.0.1:9/x")
    body = definitions.parse(text)
    assert len(body) == 1
    assert isinstance(body[0], nodes.literal_block)
    assert body[0].astext() == text


def test_refusal_names_the_line_of_a_long_definition(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text(_term_file("First paragraph.\n\nSecond, with {ref}`x`."), encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "field 'definition': line 3 of the definition: the role {ref} is not allowed" \
        in out + err


def test_titles_hold_no_tex(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The glossary page shows titles as text; MathJax must find no TeX there either."""
    path = tmp_path / "terms.yaml"
    path.write_text("terms:\n  - key: hostile\n    title: 'Title \\(\\href{javascript:x}{t}\\)'\n"
                    "    aliases: ['$$\\style{x}{y}$$']\n"
                    "    definition: A fine definition.\n", encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert f"{path}:3: entry 'hostile': field 'title': '\\(' outside math" in out + err
    assert f"{path}:4: entry 'hostile': field 'aliases': '$$' outside math" in out + err


def test_summary_is_checked_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "terms.yaml"
    path.write_text("terms:\n  - key: hostile\n    title: Hostile\n"
                    "    summary: 'Short $\\href{javascript:x}{y}$'\n"
                    "    definition: A fine definition.\n", encoding="utf-8")
    assert cli.main(["validate", str(path)]) == 1
    out, err = capsys.readouterr()
    assert f"{path}:4: entry 'hostile': field 'summary': the TeX command \\href" in out + err


def test_a_refused_definition_stays_refused_when_its_check_is_remembered(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The check of a text is made once per process: the second ``validate`` of the same
    hostile file in this process must refuse it with the same message, and a caller that
    changes the list it got must not change what the next caller gets."""
    case, definition, refusal = next(c for c in CATALOGUE if "{" in c[1] or "<" in c[1])
    text = _fill(definition, tmp_path / "secret.txt", "http://127.0.0.1:9/x")
    first = check(text)
    assert first, case
    first.clear()  # the caller's list only
    assert check(text) and any(refusal in r.message for r in check(text)), case
    path = tmp_path / "terms.yaml"
    path.write_text(_term_file(text), encoding="utf-8")
    reports = []
    for _ in range(2):
        status = cli.main(["validate", str(path)])
        out, err = capsys.readouterr()
        assert status == 1
        reports.append([line for line in (out + err).splitlines() if refusal in line])
    assert reports[0] and reports[0] == reports[1]
