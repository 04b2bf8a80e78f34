"""The lookup rules must not drift between Python and JavaScript.

Every form of every shipped term (key, title, aliases, variants, avoided spellings and
their plurals), written the ways authors write them (cases, hyphens, underscores, spaces,
full-width letters, in ``text <target>`` and ``!`` role bodies), and a misspelling of each,
goes through the Python rules (:mod:`.core.naming`, :mod:`.core.rolesyntax`,
:meth:`.TermSet.lookup`, the unknown-term warning) and through the exported plugin's
JavaScript, in Node; the answers must be the same.
"""

from __future__ import annotations

import json
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from sphinxcontrib_dlglossary.core import terms
from sphinxcontrib_dlglossary.core.naming import normalize, plurals
from sphinxcontrib_dlglossary.core.rolesyntax import parse_role_body

pytestmark = pytest.mark.mystmd

#: Reads [kind, text] pairs on stdin, answers with the plugin's functions on stdout.
RUNNER = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const plugin = await import(pathToFileURL(process.argv[2]).href);
const inputs = JSON.parse(readFileSync(0, "utf8"));
const answer = ([kind, text]) => {
  if (kind === "normalize") return plugin.normalize(text);
  if (kind === "lookup") return plugin.lookup(text);
  if (kind === "warning") return plugin.unknownTermMessage(text);
  const body = plugin.parseRoleBody(text);
  return [body.text, body.target, body.suppressed, body.explicit,
          body.suppressed ? null : plugin.lookup(body.target)];
};
process.stdout.write(JSON.stringify(inputs.map(answer)));
"""


def python_answer(kind: str, text: str, termset: terms.TermSet) -> Any:
    if kind == "normalize":
        return normalize(text)
    if kind == "lookup":
        term = termset.lookup(text)
        return term.key if term else None
    if kind == "warning":
        return f"unknown term {text!r}{termset.hint(text)}"
    body = parse_role_body(text)
    term = None if body.suppressed else termset.lookup(body.target)
    return [body.text, body.target, body.suppressed, body.explicit,
            term.key if term else None]


def full_width(text: str) -> str:
    """ASCII letters as their full-width forms (NFKC folds them back)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def written_ways(form: str) -> list[str]:
    """How an author may write *form*."""
    spaced = form.replace("-", " ")
    return [form, form.upper(), form.title(), form.lower(), spaced,
            form.replace(" ", "-"), form.replace(" ", "_"), f"  {form}  ",
            spaced.replace(" ", "\u2013"), full_width(form),
            unicodedata.normalize("NFD", form)]


def misspelt(form: str) -> str:
    """*form* with two neighbouring letters swapped (or a letter doubled)."""
    middle = len(form) // 2
    if len(form) > 3 and form[middle - 1] != form[middle]:
        return form[:middle - 1] + form[middle] + form[middle - 1] + form[middle + 1:]
    return form + form[-1:]


def inputs(termset: terms.TermSet) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for term in termset:
        for form, _kind in term.forms():
            for way in {w: None for f in (form, *plurals(normalize(form)))
                        for w in written_ways(f)}:
                out += [("normalize", way), ("lookup", way)]
            out += [("body", form), ("body", f"!{form}"), ("body", f"the {form} <{form}>"),
                    ("body", f"~{form}"), ("body", f"{form.upper()}s <{term.key}>"),
                    ("lookup", misspelt(form)), ("warning", misspelt(form))]
    out += [("normalize", s) for s in ("", "  ", "Straße", "ΣΊΣΥΦΟΣ", "ﬁlter", "İstanbul",
                                       "a\u00a0b", "x\u2028y", "Ǆ", "ﬀ", "\u1e9e")]
    out += [("body", s) for s in ("", "!", " <kernel>", "a <b> c", "text <>", "x <y",
                                  "\n kernel \n", "!!kernel", "~!kernel")]
    out += [("warning", s) for s in ("zzzz", "it's", 'say "x"', "kernal\x1b[31m", "")]
    return out


def test_every_form_of_every_shipped_term_resolves_the_same_in_python_and_javascript(
        node: str, plugin: Path, tmp_path: Path) -> None:
    termset = terms.load_canonical()
    asked = inputs(termset)
    runner = tmp_path / "runner.mjs"
    runner.write_text(RUNNER, encoding="utf-8")
    result = subprocess.run([node, str(runner), str(plugin)], input=json.dumps(asked),
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    javascript = json.loads(result.stdout)
    python = [python_answer(kind, text, termset) for kind, text in asked]
    differ = [(kind, text, p, j)
              for (kind, text), p, j in zip(asked, python, javascript, strict=True) if p != j]
    assert not differ, f"{len(differ)} of {len(asked)} differ, first ones: {differ[:10]}"
    # The comparison covers every form of every term, each written many ways.
    forms = sum(1 for t in termset for _ in t.forms())
    assert len(asked) > 20 * forms
    resolved = {j for (kind, _), j in zip(asked, javascript, strict=True) if kind == "lookup" and j}
    assert resolved == set(termset.terms)
