"""Fuzzing term files and definitions: validation and a build never end in a traceback.

Issue 12 asks that whatever a term file holds becomes a located problem, never an
exception: ``validate`` returns problems instead of raising, and a build either succeeds
or reports errors and warnings, on every builder. Two generators feed it:

* YAML-ish structures (mappings, lists, text with control characters, unicode, very long
  text, deep nesting, small alias trees), written as YAML or JSON, or as raw text;
* definitions from a grammar of MyST fragments: emphasis, lists, math (with MathJax and
  TeX macros that act), ``{dlterm}`` references, roles, directives (``{include}``,
  ``{raw}``, ``{csv-table}``, ``{toctree}`` …), raw HTML, links with many URL schemes,
  footnotes and images.

The validation part runs 200 examples; the build part, a tiny project built per example
(HTML, text or LaTeX), 25, three in four of them term files the schema accepts with
definitions that mostly validate, so the renderer gets to work (the statistics, with
``--hypothesis-show-statistics``, say how many). About 20 s in all while nothing fails;
shrinking a failing build can take minutes. No Hypothesis database is written.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from common import plain
from sphinxcontrib_dlglossary import cli
from sphinxcontrib_dlglossary.core import terms

# -- YAML-ish structures -----------------------------------------------------------------------

#: Text with what a term file should never hold: control characters, line breaks, NUL,
#: terminal escapes, bidi and zero-width characters, look-alikes, surrogate-free unicode.
NASTY = st.sampled_from([
    "", " ", "\n", "\r\n", "\t", "\x00", "\x1b[2J\x1b[H", "\x1b]8;;https://evil\x07x",
    "\u200b", "\u202e", "\u00ad", "\ufeff", "ｋernel", "ß", "ﬁ", "İ", "kernel\n",
    "Harmless\nos.path.join py:function 1 https://evil.example/pwn Injected",
    "mykey\n", "a" * 81, "kernel", "epoch", "{dlterm}`kernel`", "<script>", "&amp;",
    "%", "#", "*", "&a", "!!python/object:os.system", "~", "null", "yes", "1e3",
])
TEXT = st.one_of(
    st.text(max_size=40),
    NASTY,
    st.builds(lambda c, n: c * n, st.sampled_from("ab\n\x00é*[{"),
              st.sampled_from([2, 81, 351, 5_000, 50_000])),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT)
STRUCTURES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20,
)

#: The fields of a term, each given a value of the right shape or of any shape.
KEYS = st.one_of(st.sampled_from(["fuzz-a", "fuzz-b", "kernel", "epoch"]), TEXT)
FORMS = st.one_of(st.text(min_size=1, max_size=20), NASTY)


#: Keys a valid entry may have (three, so entries can relate to and reference each other).
FUZZ_KEYS = st.sampled_from(["fuzz-a", "fuzz-b", "fuzz-c"])


# -- MyST definitions --------------------------------------------------------------------------

WORDS = st.one_of(st.sampled_from(["the", "kernel", "Ωmega", "naïve", "x", "é", "1"]),
                  st.text(max_size=8), NASTY)
URLS = st.builds(
    "{}{}".format,
    st.sampled_from(["https://", "http://", "javascript:", "JaVaScRiPt:", "data:text/html,",
                     "vbscript:", "file:///", "mailto:", "ftp://", "//", "", "#", "ftp:",
                     "java\tscript:", " javascript:", "&#106;avascript:"]),
    st.sampled_from(["example.com/x", "alert(1)", "etc/passwd", "<b>x</b>", "a b", ")",
                     "127.0.0.1:9/x"]),
)
TEX = st.one_of(
    st.sampled_from([
        r"f(x)", r"\frac{a}{b}", r"x^2", r"\sum_i x_i", r"\href{javascript:alert(1)}{f(x)}",
        r"\style{background:url(https://example.com/x)}{x}", r"\class{x}{y}",
        r"\cssId{x}{y}", r"\unicode{x41}", r"\require{html}", r"\input{/etc/passwd}",
        r"\def\x{y}\x", r"\url{https://x}", r"\text{$x$}", r"\\", r"\begin{matrix}a\end{matrix}",
        "{" * 50 + "x" + "}" * 50, "x\n\ny", "$",
    ]),
    st.text(max_size=10),
)
ROLES = st.sampled_from(["dlterm", "dlterm", "ref", "doc", "raw-html", "math", "sub", "abbr",
                         "eval-rst", "term", "index", "download", "any", "numref", "nope"])
DIRECTIVES = st.sampled_from([
    "```{include} /etc/hostname\n```",
    "```{include} /etc/hostname\n:literal:\n```",
    "```{include} missing.md\n```",
    "```{literalinclude} conf.py\n```",
    "```{raw} html\n<script>alert(1)</script>\n```",
    "```{raw} html\n:file: /etc/hostname\n```",
    "```{raw} html\n:url: http://127.0.0.1:9/x\n```",
    "```{csv-table}\n:url: http://127.0.0.1:9/x\n```",
    "```{csv-table}\n:file: /etc/hostname\n```",
    "```{math}\nx^2\n```",
    "```{toctree}\nindex\n```",
    "```{index} single: x\n```",
    "```{versionadded} 1.0\n```",
    "```{contents}\n```",
    "```{eval-rst}\n.. raw:: html\n\n   <b>x</b>\n```",
    "```{tab-set}\n```",
    "```{image} x.png\n```",
    "```{figure} https://example.com/x.png\ncaption\n```",
    "```{note}\ntext\n```",
    "```{code-block} python\nprint(1)\n```",
    "```{dlglossary}\n```",
    "```{nope}\n```",
    "```python\nx = 1\n```",
    "    indented code",
    ":::{note}\nx\n:::",
])
HTML = st.sampled_from(["<b>x</b>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                        "<!-- c -->", "<a href='javascript:alert(1)'>x</a>", "&lt;", "<br>",
                        "<style>*{background:url(https://x)}</style>", "</div>"])


def _inline(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        inner.map("*{}*".format), inner.map("**{}**".format), inner.map("_{}_".format),
        inner.map("`{}`".format), inner.map("~~{}~~".format),
        st.builds("[{}]({})".format, inner, URLS),
        st.builds("![{}]({})".format, inner, URLS),
        URLS.map("<{}>".format),
        st.builds("{{{}}}`{}`".format, ROLES, WORDS),
        st.builds("{{dlterm}}`{} <{}>`".format, WORDS, KEYS),
        TEX.map("${}$".format), TEX.map("$${}$$".format),
        st.builds("{} {}".format, inner, inner),
    )


INLINE = st.recursive(st.one_of(WORDS, HTML), _inline, max_leaves=12)
BLOCKS = st.one_of(
    INLINE,
    INLINE.map("- {}".format), INLINE.map("1. {}".format), INLINE.map("> {}".format),
    INLINE.map("# {}".format), INLINE.map("{}\n---".format),
    st.builds("{}[^1]\n\n[^1]: {}".format, INLINE, INLINE),
    st.builds("[^{}]".format, WORDS),
    TEX.map("$$\n{}\n$$".format),
    DIRECTIVES,
    st.builds("| {} | {} |\n| - | - |\n| x | y |".format, INLINE, INLINE),
    st.builds("({})=\n{}".format, WORDS, INLINE),
    st.builds("% {}".format, INLINE),
    st.integers(1, 400).map(lambda n: "*" * n + "x" + "*" * n),
    st.integers(1, 300).map(lambda n: "".join(f"{'  ' * i}- x\n" for i in range(n))),
    st.integers(1, 300).map(lambda n: ">" * n + " x"),
    st.integers(1, 300).map(lambda n: "[" * n + "x" + "](https://x)" * n),
)
ANY_DEFINITIONS = st.lists(BLOCKS, min_size=1, max_size=5).map("\n\n".join)

# What a definition may hold, with awkward content, so the renderer gets to work on
# definitions that validate.
SAFE_WORDS = st.one_of(
    st.sampled_from(["the", "kernel", "Ωmega", "naïve", "x", "1", "a\\*b", "50%", "<", "&"]),
    st.text(st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters="<>"),
            min_size=1, max_size=12).filter(str.strip),
)
SAFE_TEX = st.sampled_from([r"f(x)", r"\frac{a}{b}", r"x^2", r"\sum_{i=1}^n x_i", r"\alpha",
                            r"\mathbf{W}", r"\text{naïve}", r"a < b", r"x_{\max}", "{" * 12 + "x"
                            + "}" * 12, r"\begin{pmatrix}a & b\end{pmatrix}"])
SAFE_URLS = st.builds("https://example.com/{}".format,
                      st.sampled_from(["", "a?b=c&d=e", "%3Cscript%3E", "x#frag", "\u00e9",
                                       "a_(b)", "'\"", "a b"]))


def _safe_inline(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        inner.map("*{}*".format), inner.map("**{}**".format), inner.map("`{}`".format),
        st.builds("[{}]({})".format, inner, SAFE_URLS), SAFE_URLS.map("<{}>".format),
        st.builds("{{dlterm}}`{}`".format, st.sampled_from(
            ["kernel", "epochs", "Minibatch", "!kernel", "the kernel <kernel>"])),
        st.builds("{{dlterm}}`{} <epoch>`".format, SAFE_WORDS),
        SAFE_TEX.map("${}$".format), st.builds("{} {}".format, inner, inner),
    )


SAFE_INLINE = st.recursive(SAFE_WORDS, _safe_inline, max_leaves=10)
SAFE_BLOCKS = st.one_of(
    SAFE_INLINE, SAFE_INLINE.map("- {}".format), SAFE_INLINE.map("1. {}".format),
    st.builds("- {}\n  - {}\n    1. {}".format, SAFE_INLINE, SAFE_INLINE, SAFE_INLINE),
    SAFE_TEX.map("$$\n{}\n$$".format), SAFE_INLINE.map("```python\n{}\n```".format),
    st.integers(1, 8).map(lambda n: "*" * n + "x" + "*" * n),
    st.integers(1, 7).map(lambda n: "".join(f"{'  ' * i}- x\n" for i in range(n))),
)
SAFE_DEFINITIONS = st.lists(SAFE_BLOCKS, min_size=1, max_size=4).map("\n\n".join)
#: Definitions: as often what validates as anything.
DEFINITIONS = st.one_of(SAFE_DEFINITIONS, ANY_DEFINITIONS)


#: Forms the schema accepts (the checks after it may still refuse some).
GOOD_FORMS = st.text(st.characters(categories=["L", "N", "Zs", "Pd"]), min_size=1,
                     max_size=20).filter(str.strip)


def valid_entries(definitions: st.SearchStrategy[str],
                  forms: st.SearchStrategy[str] = FORMS) -> st.SearchStrategy[dict[str, Any]]:
    """A term shaped as the schema asks, so its definition and forms reach the checks and
    the renderer."""
    return st.fixed_dictionaries(
        {"key": FUZZ_KEYS, "title": forms, "definition": definitions},
        optional={
            "summary": definitions, "aliases": st.lists(forms, max_size=3, unique=True),
            "variants": st.lists(forms, max_size=2, unique=True),
            "related": st.lists(FUZZ_KEYS, max_size=2, unique=True),
            "tags": st.lists(FUZZ_KEYS, max_size=2, unique=True),
            "everyday": st.booleans(),
        })


def wild_entries(definitions: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A term: right-shaped fields mostly, any value sometimes, an unknown field rarely."""
    def field(right: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(right, right, right, STRUCTURES)

    return st.fixed_dictionaries(
        {"key": field(KEYS), "title": field(FORMS), "definition": field(definitions)},
        optional={
            "summary": field(definitions), "aliases": field(st.lists(FORMS, max_size=3)),
            "variants": field(st.lists(FORMS, max_size=2)),
            "avoid": field(st.lists(FORMS, max_size=2)),
            "related": field(st.lists(KEYS, max_size=2)),
            "tags": field(st.lists(KEYS, max_size=2)),
            "everyday": field(st.booleans()), "override": field(st.booleans()),
            "nope": STRUCTURES,
        })


def valid_files(definitions: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    """A term file the schema accepts, with distinct keys, and definitions that mostly
    validate: what a build renders."""
    mostly_safe = st.one_of(SAFE_DEFINITIONS, SAFE_DEFINITIONS, SAFE_DEFINITIONS, definitions)
    return st.fixed_dictionaries({
        "version": st.just(1),
        "terms": st.lists(valid_entries(mostly_safe, GOOD_FORMS), min_size=1, max_size=3,
                          unique_by=lambda e: e["key"]),
    })


def term_files(definitions: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """The data of a term file: mostly shaped like one (most entries valid), sometimes
    anything."""
    entry = st.one_of(valid_entries(definitions), valid_entries(definitions),
                      wild_entries(definitions))
    shaped = st.fixed_dictionaries(
        {"terms": st.lists(entry, min_size=1, max_size=3)},
        optional={"version": st.one_of(st.just(1), st.just(1), SCALARS)})
    return st.one_of(shaped, shaped, shaped, STRUCTURES)


#: PyYAML's C emitter where there is one: the Python one is slow on long text.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _nested(n: int, kind: str) -> str:
    if kind == "json":
        return '{"terms": ' + "[" * n + "]" * n + "}"
    if kind == "flow":
        return "terms: " + "[" * n + "]" * n + "\n"
    if kind == "block":
        return "terms:\n" + "".join(f"{'  ' * (i + 1)}- \n" for i in range(n))
    return "terms:\n  - key: x\n    title: x\n    definition: " + "{a: " * n + "b" + "}" * n


def _aliases(depth: int, width: int) -> str:
    """A small alias tree: *width* ** *depth* nodes once expanded (at most 3,125 here)."""
    lines = ["a0: &a0 [x]"]
    for i in range(1, depth + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]")
    lines.append(f"terms: *a{depth}")
    return "\n".join(lines) + "\n"


@st.composite
def file_texts(draw: st.DrawFn, definitions: st.SearchStrategy[str],
               valid: int = 0) -> tuple[str, str]:
    """``(suffix, text)`` of a term file: of seven kinds, plus *valid* shares of files the
    schema accepts."""
    how = draw(st.sampled_from(["yaml", "yaml", "yaml", "json", "raw", "nested", "aliases",
                                *["valid"] * valid]))
    if how == "valid":
        # YAML: JSON is read by the YAML reader, which refuses a whole file for what
        # YAML does not allow (a surrogate pair escape, a raw C1 control character).
        data = draw(valid_files(definitions))
        return ".yaml", yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
    if how == "raw":
        return draw(st.sampled_from([".yaml", ".json"])), draw(st.text(max_size=200))
    if how == "nested":
        kind = draw(st.sampled_from(["json", "flow", "block", "mapping"]))
        return (".json" if kind == "json" else ".yaml"), _nested(draw(st.integers(1, 1500)), kind)
    if how == "aliases":
        return ".yaml", _aliases(draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    data = draw(term_files(definitions))
    if how == "json":
        return ".json", json.dumps(data, ensure_ascii=draw(st.booleans()))
    return ".yaml", yaml.dump(data, Dumper=_DUMPER, allow_unicode=draw(st.booleans()),
                              sort_keys=False)


#: No "explain" phase: re-running a build to explain a failure takes minutes.
PHASES = (Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink)
SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large,
                HealthCheck.large_base_example]


def _write(folder: Path, suffix: str, text: str) -> Path:
    path = folder / f"terms{suffix}"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


# -- validation --------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None, database=None, phases=PHASES,
          suppress_health_check=SLOW_IS_FINE)
@given(file=file_texts(DEFINITIONS, valid=2),
       canonical=st.sampled_from([False, False, False, True]))  # the shipped set is slow
def test_validate_returns_problems_never_raises(
        file: tuple[str, str], canonical: bool, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = _write(tmp_path_factory.mktemp("validate"), *file)

    termset, problems = terms.load_with_problems([path], canonical=canonical)

    assert all(str(p) for p in problems)
    shipped = len(terms.load_canonical()) if canonical else 0
    event(f"{len(termset) - shipped} term(s) loaded")
    # The command prints every problem and exits 0 or 1.
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        args = ["validate", str(path)] if canonical else ["validate", "--standalone", str(path)]
        code = cli.main(args)
    assert code in (0, 1), out.getvalue()
    assert "Traceback" not in out.getvalue()


# -- a build -----------------------------------------------------------------------------------

CONF = """\
extensions = ["sphinxcontrib_dlglossary"]
dlglossary_term_files = ["terms{suffix}"]
dlglossary_exclude = {exclude!r}
"""
#: The shipped terms the pages and the safe definitions name; the rest are left out of
#: the build, which then spends its time on the fuzzed terms.
KEPT = ("kernel", "epoch", "minibatch")
INDEX = """\
Home
====

A :dlterm:`fuzz-a`, a :dlterm:`fuzz-b`, a :dlterm:`kernel` and an :dlterm:`epoch`.

.. toctree::

   glossary
"""
GLOSSARY = "Glossary\n========\n\n.. dlglossary::\n"
#: What each builder must still write, however bad the term file.
WRITTEN = {"html": "glossary.html", "text": "glossary.txt", "latex": "*.tex"}


@settings(max_examples=25, deadline=None, database=None, phases=PHASES,
          suppress_health_check=SLOW_IS_FINE)
@given(file=file_texts(DEFINITIONS, valid=21),
       builder=st.sampled_from(["html", "html", "text", "latex"]))
def test_build_reports_never_raises(file: tuple[str, str], builder: str,
                                    tmp_path_factory: pytest.TempPathFactory) -> None:
    tmp = tmp_path_factory.mktemp("build")
    src = tmp / "src"
    src.mkdir()
    exclude = sorted(t.key for t in terms.load_canonical() if t.key not in KEPT)
    (src / "conf.py").write_text(CONF.format(suffix=file[0], exclude=exclude), encoding="utf-8")
    (src / "index.rst").write_text(INDEX, encoding="utf-8")
    (src / "glossary.rst").write_text(GLOSSARY, encoding="utf-8")
    path = _write(src, *file)
    # Read alone (the shipped set is slow to load), so a reference to a shipped term is
    # "unknown" here, and not counted as a refusal.
    termset, problems = terms.load_with_problems([path], canonical=False)
    refused = " ".join(p.entry or "" for p in problems if p.field in ("definition", "summary")
                       and not p.message.startswith("reference to unknown term"))
    rendered = [k for k in ("fuzz-a", "fuzz-b", "fuzz-c") if k in termset and k not in refused]
    event(f"{len(rendered)} fuzzed definition(s) that validate")
    warnings = io.StringIO()
    app = SphinxTestApp(builder, srcdir=src, builddir=tmp / "build", freshenv=True,
                        status=io.StringIO(), warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()

    assert "Traceback" not in plain(warnings.getvalue())
    assert list(Path(app.outdir).glob(WRITTEN[builder])), plain(warnings.getvalue())
