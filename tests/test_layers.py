"""The package's layers: the core without Sphinx or docutils, and one rule per place.

The core (terms, lookup, matcher, role syntax, plain text) must import with Sphinx and
docutils unimportable, and the ``dlglossary`` commands other than ``lint`` must run
without Sphinx: both are run in a fresh interpreter whose import system refuses those
packages. The other tests check that the rules written once give one answer: the role
body syntax, plain text of a definition, and what :mod:`.derive` decides from records.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.plaintext import plain_text, summary_line
from sphinxcontrib_dlglossary.core.rolesyntax import parse_role_body
from sphinxcontrib_dlglossary.sphinx_ext import definitions
from sphinxcontrib_dlglossary.sphinx_ext.derive import (
    derive,
    in_reading_order,
    main_page,
    toctree_order,
)
from sphinxcontrib_dlglossary.sphinx_ext.domain import PageSpec, TermUse

PACKAGE = Path(terms.__file__).resolve().parents[1]

#: Run in a fresh interpreter: refuse to import the named packages, then run the code.
BLOCKER = textwrap.dedent("""\
    import importlib.abc, sys
    BLOCKED = {blocked!r}
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"blocked for this test: {{name}}", name=name)
            return None
    sys.meta_path.insert(0, Block())
""")


def run_blocked(blocked: tuple[str, ...], code: str,
                tmp_path: Path) -> subprocess.CompletedProcess[str]:
    script = BLOCKER.format(blocked=blocked) + textwrap.dedent(code)
    env = {**os.environ, "PYTHONPATH": ""}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120, check=False)


def test_the_blocker_blocks(tmp_path: Path) -> None:
    result = run_blocked(("docutils",), "import docutils", tmp_path)
    assert result.returncode == 1 and "blocked for this test: docutils" in result.stderr


def test_core_imports_and_works_without_sphinx_or_docutils(tmp_path: Path) -> None:
    result = run_blocked(("sphinx", "docutils", "myst_parser"), """
        import pkgutil, importlib, sys
        import sphinxcontrib_dlglossary.core as core
        names = [m.name for m in pkgutil.iter_modules(core.__path__)]
        for name in names:
            importlib.import_module("sphinxcontrib_dlglossary.core." + name)
        from sphinxcontrib_dlglossary.core import terms, matcher, plaintext
        termset = terms.load_canonical()
        found = matcher.Matcher(termset).find("A CNN slides kernels over images.")
        text = plaintext.plain_text(termset.terms["convolutional-neural-network"].definition)
        assert "{dlterm}" not in text
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("sphinx", "docutils"))
        import json
        print(json.dumps([len(names), len(termset), [m.key for m in found], loaded]))
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    count, size, keys, loaded = json.loads(result.stdout)
    assert count >= 8 and size == 153
    assert keys == ["convolutional-neural-network", "kernel"]
    assert loaded == []


@pytest.mark.parametrize("argv", [
    ["list"], ["show", "kernels", "CNN"], ["show", "--format", "json", "mlp"], ["validate"],
    ["export", "--format", "json"], ["export", "--format", "yaml"], ["--help"],
])
def test_commands_run_without_sphinx(argv: list[str], tmp_path: Path) -> None:
    result = run_blocked(("sphinx",), f"""
        import sys
        from sphinxcontrib_dlglossary.cli import main
        try:
            status = main({argv!r})
        except SystemExit as exc:
            status = exc.code
        assert not [m for m in sys.modules if m.split(".")[0] == "sphinx"]
        sys.exit(status)
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert "Traceback" not in result.stderr


def test_the_mystmd_export_runs_without_sphinx_or_docutils(tmp_path: Path) -> None:
    result = run_blocked(("sphinx", "docutils"), """
        import sys
        from sphinxcontrib_dlglossary.cli import main
        status = main(["export", "--format", "mystmd", "--output", "book"])
        assert not [m for m in sys.modules if m.split(".")[0] in ("sphinx", "docutils")]
        sys.exit(status)
    """, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "book" / "dlglossary.mjs").stat().st_size > 100_000
    assert "Traceback" not in result.stderr


def test_no_module_of_the_core_or_linter_imports_sphinx() -> None:
    for folder in ("core", "lint", "mystmd"):
        for path in sorted((PACKAGE / folder).glob("*.py")):
            source = path.read_text(encoding="utf-8")
            assert not re.search(r"^\s*(from|import) sphinx\b(?!contrib)", source, re.M), path
    for path in sorted((PACKAGE / "core").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) docutils\b", source, re.M), path


def test_no_module_uses_the_private_app_attribute() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\b_app\b|\.app\.builder|\bself\.app\b", source), path


@pytest.mark.parametrize(("body", "text", "target", "suppressed"), [
    ("kernel", "kernel", "kernel", False),
    ("kernels <kernel>", "kernels", "kernel", False),
    ("the\nkernels  < kernel >", "the\nkernels", "kernel", False),
    ("!kernel", "kernel", "kernel", True),
    ("!our kernels <kernel>", "our kernels", "kernel", True),
    ("<kernel>", "<kernel>", "<kernel>", False),  # no text: not the explicit form
])
def test_role_body(body: str, text: str, target: str, suppressed: bool) -> None:
    parsed = parse_role_body(body)
    assert (parsed.text, parsed.target, parsed.suppressed) == (text, target, suppressed)
    assert body[slice(*parsed.text_span)] == text
    assert body[slice(*parsed.target_span)].strip() == target


def test_plain_text_of_a_definition() -> None:
    myst = textwrap.dedent("""\
        A **convolution** slides {dlterm}`kernels <kernel>` over an
        [image](https://example.org) with `stride` $s$:

        1. one
        2. {dlterm}`!two`

        $$
        y = w * x
        $$
    """)
    assert plain_text(myst) == (
        "A convolution slides kernels over an image with stride $s$:\n\n"
        "1. one\n2. two\n\n$$\ny = w * x\n$$")
    assert summary_line(myst) == (
        "A convolution slides kernels over an image with stride $s$: 1. one 2. two "
        "$$ y = w * x $$")


def test_show_and_json_export_share_the_plain_text(tmp_path: Path) -> None:
    """`dlglossary show` prints the definition's plain text; dlglossary.json's summary is
    the same text on one line."""
    termset = terms.load_canonical()
    for term in termset:
        assert summary_line(term.tooltip) == " ".join(plain_text(term.tooltip).split())
        assert "{dlterm}" not in plain_text(term.definition)


def test_definitions_parse_their_role_outside_a_build() -> None:
    """Not through docutils' global role registry: outside a build the text is kept."""
    body = definitions.parse("A {dlterm}`kernel` here, {dlterm}`!plain` there.")
    assert body[0].astext() == "A kernel here, plain there."
    refs = definitions.term_refs(body)
    assert [(r.astext(), r["dlterm_target"]) for r in refs] == [("kernel", "kernel")]


def _spec(docname: str, position: int = 0, *, used_only: bool = False,
          tags: tuple[str, ...] = ()) -> PageSpec:
    return PageSpec(docname, position, 1, used_only, tags, True)


def test_derive_targets_shown_terms_and_duplicates() -> None:
    termset = terms.load_canonical()
    pages = {"used": [_spec("used", used_only=True)], "zfull": [_spec("zfull")],
             "glossary": [_spec("glossary")]}
    uses = {"intro": [TermUse("intro", 3, "kernel", "dlterm-1")]}
    derived = derive(termset, pages, uses)
    assert derived.shown["used"] == [["kernel"]]
    assert len(derived.shown["glossary"][0]) == len(termset) == len(derived.targets)
    assert derived.targets["kernel"] == ("glossary", "kernel")  # full pages first, by name
    assert [(a.docname, b.docname) for a, b in derived.duplicates] == [("glossary", "zfull")]
    kernel = termset.terms["kernel"]
    assert ("single", kernel.title, "kernel", "main", None) in derived.index["glossary"]
    assert derived.std[kernel.title] == derived.std["kernel"] == ("glossary", "kernel")
    assert main_page(pages) == pages["glossary"][0]
    off = derive(termset, pages, uses, index=False, std_terms=False)
    assert off.index == {} and off.std == {} and off.targets == derived.targets


def test_reading_order() -> None:
    includes = {"index": ["b", "a"], "a": ["a1"]}
    order = toctree_order("index", includes, ["index", "a", "a1", "b", "orphan", "lost"])
    assert order == ["index", "b", "a", "a1", "lost", "orphan"]
    assert in_reading_order(["orphan", "a1", "zzz", "index"], order) == [
        "index", "a1", "orphan", "zzz"]


def test_json_of_derived_uses_is_stable() -> None:
    """Two derivations of the same records are equal (builds are reproducible)."""
    termset = terms.load_canonical()
    pages = {"g": [_spec("g", tags=("cnn",))]}
    first = derive(termset, pages, {})
    second = derive(termset, dict(reversed(list(pages.items()))), {})
    assert json.dumps(first.__dict__, default=list) == json.dumps(second.__dict__, default=list)
