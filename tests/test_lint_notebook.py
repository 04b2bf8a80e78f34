"""Lint's notebook reader and writer (:mod:`sphinxcontrib_dlglossary.lint.notebook`).

The notebooks are written the way nbformat and other tools write them (indentation, key
order, escaping, line ends); a rewrite must change only the edited lines of the file.
"""

from __future__ import annotations

import copy
import difflib
import json
from typing import Any

import pytest

from sphinxcontrib_dlglossary.lint.notebook import (
    MAX_DEPTH,
    NotebookError,
    json_line,
    read_notebook,
    rewrite,
)

#: A small PNG, as nbformat stores it: base64 with line breaks.
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJ"
       "RU5ErkJggg==\n")


def notebook() -> dict[str, Any]:
    """A notebook with markdown cells, a code cell with outputs, metadata and escapes."""
    return {
        "cells": [
            {"cell_type": "markdown", "id": "intro", "metadata": {"tags": ["intro", "x"]},
             "source": ["# Über das Training\n", "\n",
                        "Each epoch passes over the data once.\n",
                        'A "quoted" term, a tab\there and a backslash \\ too.\n',
                        "Café — 東京 ✓"]},
            {"cell_type": "code", "execution_count": 3, "id": "setup",
             "metadata": {"collapsed": False, "tags": "not-a-list"},
             "outputs": [
                 {"name": "stdout", "output_type": "stream",
                  "text": ["epoch 1\n", "\x1b[31mloss\x1b[0m 0.5\n"]},
                 {"data": {"image/png": PNG,
                           "text/html": ["<b>loss</b>\n", "<i>curve</i>"],
                           "text/plain": ["<Figure size 640x480 with 1 Axes>"]},
                  "metadata": {"needs_background": "light"},
                  "output_type": "display_data"}],
             "source": ["for epoch in range(3):\n", "    print('epoch', epoch)"]},
            {"cell_type": "markdown", "id": "mlp", "metadata": {},
             "source": ["An MLP computes $h = f(Wx + b)$.\n", "\n", "The loss falls.\n"]},
            {"cell_type": "raw", "id": "raw", "metadata": {}, "source": ["raw text"]},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"},
                     "language_info": {"name": "python", "version": "3.11.7"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def nbformat_style(doc: dict[str, Any], **options: Any) -> str:
    """*doc* written as nbformat writes it, unless *options* say otherwise."""
    settings: dict[str, Any] = {"indent": 1, "sort_keys": True, "ensure_ascii": False}
    settings.update(options)
    return json.dumps(doc, **settings) + "\n"


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """The lines that differ between two texts, as (removed, added) pairs."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True),
                              after.splitlines(keepends=True)))
    removed = [line[2:] for line in diff if line.startswith("- ")]
    added = [line[2:] for line in diff if line.startswith("+ ")]
    assert len(removed) == len(added)
    return list(zip(removed, added, strict=True))


def edit(raw: str, index: int, old: str, new: str) -> tuple[str, str]:
    """Replace *old* by *new* in the source of cell *index*; the result and the new text."""
    nb = read_notebook(raw)
    cell = next(cell for cell in nb.cells if cell.index == index)
    assert old in cell.text
    text = cell.text.replace(old, new, 1)
    return rewrite(nb, {index: text}), text


def expected_doc(doc: dict[str, Any], index: int, text: str) -> dict[str, Any]:
    """*doc* with the source of cell *index* set to *text*, in its layout."""
    doc = copy.deepcopy(doc)
    cell = doc["cells"][index]
    cell["source"] = text if isinstance(cell["source"], str) else text.splitlines(True)
    return doc


# -- reading -----------------------------------------------------------------------------


def test_read_markdown_cells() -> None:
    raw = nbformat_style(notebook())
    nb = read_notebook(raw)
    assert nb.raw == raw
    assert nb.cell_count == 4
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert [cell.index for cell in nb.cells] == [0, 2]
    assert [cell.number for cell in nb.cells] == [1, 3]
    assert [cell.id for cell in nb.cells] == ["intro", "mlp"]
    assert nb.cells[0].tags == ("intro", "x")
    assert nb.cells[1].tags == ()
    assert nb.cells[0].text == "".join(notebook()["cells"][0]["source"])
    assert nb.cells[1].text == "An MLP computes $h = f(Wx + b)$.\n\nThe loss falls.\n"
    assert nb.cells[0].metadata == {"tags": ["intro", "x"]}


def test_read_string_source_and_missing_fields() -> None:
    doc = {"cells": [{"cell_type": "markdown", "metadata": {"tags": [1, 2]},
                      "source": "# Title\n\nText"},
                     {"cell_type": "markdown", "source": []}],
           "nbformat": 4, "nbformat_minor": 4}
    nb = read_notebook(json.dumps(doc))
    first, second = nb.cells
    assert (first.id, first.text, first.tags) == (None, "# Title\n\nText", ())
    assert (second.text, second.metadata) == ("", {})
    assert nb.metadata == {}


@pytest.mark.parametrize(("raw", "message"), [
    ('{\n "nbformat": 4,\n "cells": \n}', "invalid JSON at line 4, column 1: Expecting value"),
    ('{\n "nbformat": 4,\n "cells": []\n', "invalid JSON at line 4, column 1: Expecting ',' "
                                           "delimiter"),
    ('{"nbformat": 4, "cells": ["x]}', "invalid JSON at line 1, column 27: Unterminated string"),
    ('{"nbformat": 4, "cells": [],}', "invalid JSON at line 1, column 28: Illegal trailing "
                                      "comma"),
    ('{"nbformat": 4, "cells": []} []', "invalid JSON at line 1, column 30: Extra data"),
    ("", "invalid JSON at line 1, column 1: Expecting value"),
    ("[]", "not a notebook: the top level is not a JSON object"),
    ('{"nbformat": 3, "worksheets": []}', "not an nbformat 4 notebook (nbformat: 3)"),
    ('{"nbformat": "4", "cells": []}', 'not an nbformat 4 notebook (nbformat: "4")'),
    ('{"cells": []}', "not an nbformat 4 notebook (no nbformat)"),
    ('{"nbformat": 4}', 'not a notebook: no "cells"'),
    ('{"nbformat": 4, "cells": {}}', "cells: expected a list"),
    ('{"nbformat": 4, "cells": [{}, 3]}', "cells[1]: expected an object"),
    ('{"nbformat": 4, "cells": [{"cell_type": "code", "source": 1},'
     ' {"cell_type": "markdown", "source": 1}]}',
     "cells[1].source: expected a string or a list of strings"),
    ('{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": ["a", null]}]}',
     "cells[0].source: expected a string or a list of strings"),
    ('{"nbformat": 4, "cells": [{"cell_type": "markdown", "source": {"a": "b"}}]}',
     "cells[0].source: expected a string or a list of strings"),
    ('{"nbformat": 4, "cells": [{"cell_type": "markdown"}]}', "cells[0].source: missing"),
])
def test_read_errors(raw: str, message: str) -> None:
    with pytest.raises(NotebookError) as info:
        read_notebook(raw)
    assert str(info.value).startswith(message)


def test_invalid_json_position_is_jsons() -> None:
    raw = nbformat_style(notebook()).replace('"nbformat": 4', '"nbformat": 4 4')
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(raw)
    with pytest.raises(NotebookError) as info:
        read_notebook(raw)
    err = expected.value
    assert str(info.value) == f"invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"


def test_invalid_json_inside_outputs() -> None:
    raw = nbformat_style(notebook()).replace('"epoch 1\\n"', '"epoch 1\\q"')
    with pytest.raises(NotebookError, match=r"invalid JSON at line \d+, column \d+: Invalid "):
        read_notebook(raw)


def test_nested_too_deeply() -> None:
    ok = MAX_DEPTH - 3  # the top level, "cells" and the cell are three levels
    doc = '{"nbformat": 4, "cells": [{"metadata": %s1%s}]}'
    read_notebook(doc % ("[" * ok, "]" * ok))
    with pytest.raises(NotebookError, match="nested too deeply"):
        read_notebook(doc % ("[" * (ok + 1), "]" * (ok + 1)))
    with pytest.raises(NotebookError, match="nested too deeply"):
        read_notebook(doc % ("[" * 200_000, "]" * 200_000))
    # Brackets inside strings do not count.
    read_notebook(doc % ('["' + "[{" * 1000 + '", ', "]"))


def test_invalid_json_in_linear_time() -> None:
    # An unterminated string followed by many escaped quotes: no quadratic scan.
    raw = '{"nbformat": 4, "cells": [], "x": "' + '\\"' * 200_000
    with pytest.raises(NotebookError, match="Unterminated string"):
        read_notebook(raw)
    raw = '{"nbformat": 4, "cells": [], "x": ' + "1" * 5000 + "}"
    with pytest.raises(NotebookError, match="invalid JSON at line 1, column 35: "):
        read_notebook(raw)


# -- rewriting ---------------------------------------------------------------------------


def test_rewrite_identity() -> None:
    raw = nbformat_style(notebook())
    nb = read_notebook(raw)
    assert rewrite(nb, {}) == raw
    assert rewrite(nb, {cell.index: cell.text for cell in nb.cells}) == raw


def test_rewrite_one_line_nbformat_style() -> None:
    doc = notebook()
    raw = nbformat_style(doc)
    result, text = edit(raw, 0, "Each epoch", "Each {dlterm}`epoch`")
    [(before, after)] = changed_lines(raw, result)
    assert before == '    "Each epoch passes over the data once.\\n",\n'
    assert after == '    "Each {dlterm}`epoch` passes over the data once.\\n",\n'
    assert json.loads(result) == expected_doc(doc, 0, text)


def test_rewrite_line_with_escapes_and_non_ascii() -> None:
    doc = notebook()
    raw = nbformat_style(doc)
    result, text = edit(raw, 0, 'A "quoted" term', 'A "quoted" {dlterm}`term`')
    [(_, after)] = changed_lines(raw, result)
    assert after == ('    "A \\"quoted\\" {dlterm}`term`, a tab\\there and a backslash '
                     '\\\\ too.\\n",\n')
    result2, text2 = edit(result, 0, "Café", "{dlterm}`Café`")
    [(_, after)] = changed_lines(result, result2)
    assert after == '    "{dlterm}`Café` — 東京 ✓"\n'
    assert json.loads(result2) == expected_doc(expected_doc(doc, 0, text), 0, text2)


@pytest.mark.parametrize("options", [
    {"indent": 2},
    {"indent": 4, "sort_keys": False},
    {"indent": "\t"},
    {"indent": 1, "separators": (",", ": ")},
])
def test_rewrite_one_line_other_styles(options: dict[str, Any]) -> None:
    doc = notebook()
    raw = nbformat_style(doc, **options)
    result, text = edit(raw, 2, "The loss", "The {dlterm}`loss`")
    assert len(changed_lines(raw, result)) == 1
    assert json.loads(result) == expected_doc(doc, 2, text)


def test_rewrite_keeps_key_order() -> None:
    doc = notebook()
    doc = {"nbformat_minor": 5, "metadata": doc["metadata"], "nbformat": 4,
           "cells": [{"source": cell["source"], "metadata": cell["metadata"],
                      **{k: v for k, v in reversed(cell.items()) if k not in ("source",
                                                                                 "metadata")}}
                     for cell in doc["cells"]]}
    raw = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
    result, text = edit(raw, 2, "The loss", "The {dlterm}`loss`")
    assert len(changed_lines(raw, result)) == 1
    assert list(json.loads(result)) == list(doc)
    assert json.loads(result) == expected_doc(doc, 2, text)


def test_rewrite_crlf() -> None:
    doc = notebook()
    raw = nbformat_style(doc).replace("\n", "\r\n")
    result, text = edit(raw, 2, "The loss", "The {dlterm}`loss`")
    assert len(changed_lines(raw, result)) == 1
    assert result.count("\r\n") == raw.count("\r\n")
    assert result.replace("\r\n", "").count("\n") == 0
    assert json.loads(result) == expected_doc(doc, 2, text)


def test_rewrite_no_trailing_newline() -> None:
    doc = notebook()
    raw = nbformat_style(doc)[:-1]
    result, text = edit(raw, 2, "The loss", "The {dlterm}`loss`")
    assert not result.endswith("\n")
    assert len(changed_lines(raw, result)) == 1
    assert json.loads(result) == expected_doc(doc, 2, text)


def test_rewrite_string_source() -> None:
    doc = notebook()
    doc["cells"][2]["source"] = "".join(doc["cells"][2]["source"])
    raw = nbformat_style(doc)
    result, text = edit(raw, 2, "The loss", "The {dlterm}`loss`")
    [(before, after)] = changed_lines(raw, result)
    assert before == '   "source": "An MLP computes $h = f(Wx + b)$.\\n\\nThe loss falls.\\n"\n'
    assert after == ('   "source": "An MLP computes $h = f(Wx + b)$.\\n\\n'
                     'The {dlterm}`loss` falls.\\n"\n')
    assert json.loads(result) == expected_doc(doc, 2, text)


def test_rewrite_ascii_escaped_file() -> None:
    doc = notebook()
    raw = nbformat_style(doc, ensure_ascii=True)
    assert raw.isascii()
    result, text = edit(raw, 0, "Café", "{dlterm}`Café`")
    [(_, after)] = changed_lines(raw, result)
    assert after == '    "{dlterm}`Caf\\u00e9` \\u2014 \\u6771\\u4eac \\u2713"\n'
    assert result.isascii()
    result2, _ = edit(result, 0, "Each epoch", "Each {dlterm}`epoch`")
    # The untouched lines keep their escapes: only the edited line differs.
    assert len(changed_lines(result, result2)) == 1
    assert json.loads(result) == expected_doc(doc, 0, text)


def test_rewrite_ascii_file_without_non_ascii_escapes() -> None:
    # nbformat escapes control characters (an ANSI colour: \u001b) even with
    # ensure_ascii=False; that alone does not make the file escape non-ASCII characters.
    doc = notebook()
    doc["cells"][0]["source"] = ["Plain text\n"]
    raw = nbformat_style(doc)
    assert raw.isascii() and "\\u001b" in raw
    result, _ = edit(raw, 0, "Plain", "Café")
    [(_, after)] = changed_lines(raw, result)
    assert after == '    "Café text\\n"\n'


def test_rewrite_several_cells() -> None:
    doc = notebook()
    raw = nbformat_style(doc)
    nb = read_notebook(raw)
    first, second = nb.cells
    texts = {first.index: first.text.replace("epoch", "EPOCH").replace("Über", "Ueber"),
             second.index: second.text.replace("MLP", "{dlterm}`MLP`")}
    result = rewrite(nb, texts)
    assert len(changed_lines(raw, result)) == 3
    want = expected_doc(expected_doc(doc, 0, texts[0]), 2, texts[2])
    assert json.loads(result) == want


def test_rewrite_line_count_must_match() -> None:
    nb = read_notebook(nbformat_style(notebook()))
    cell = nb.cells[1]
    with pytest.raises(NotebookError, match="cell 3: the new source has 4 lines, the old 3"):
        rewrite(nb, {cell.index: cell.text + "More.\n"})
    with pytest.raises(NotebookError, match="has 2 lines"):
        rewrite(nb, {cell.index: cell.text.replace("\n\n", "\n")})


def test_rewrite_not_a_markdown_cell() -> None:
    nb = read_notebook(nbformat_style(notebook()))
    with pytest.raises(KeyError):
        rewrite(nb, {1: "x"})


def test_rewrite_irregular_list() -> None:
    # Elements that are not one line each: the element boundaries stay where they were.
    doc = {"cells": [{"cell_type": "markdown", "metadata": {},
                      "source": ["The ", "loss falls.\nThe ", "epoch", " ends.\n", "Last"]}],
           "nbformat": 4, "nbformat_minor": 5}
    raw = nbformat_style(doc)
    nb = read_notebook(raw)
    text = nb.cells[0].text.replace("loss", "{dlterm}`loss`").replace("Last", "Final")
    result = rewrite(nb, {0: text})
    source = json.loads(result)["cells"][0]["source"]
    assert source == ["The ", "{dlterm}`loss` falls.\nThe ", "epoch", " ends.\n", "Final"]
    assert len(changed_lines(raw, result)) == 2
    # A changed line with a boundary inside: the text is right, the element count kept.
    text = nb.cells[0].text.replace("The epoch ends", "An epoch stops")
    source = json.loads(rewrite(nb, {0: text}))["cells"][0]["source"]
    assert len(source) == 5 and "".join(source) == text


def test_rewrite_crlf_inside_sources() -> None:
    doc = {"cells": [{"cell_type": "markdown", "metadata": {},
                      "source": ["One line\r\n", "Two lines\r\n", "Three"]}],
           "nbformat": 4, "nbformat_minor": 5}
    raw = nbformat_style(doc)
    result, _ = edit(raw, 0, "Two", "2")
    assert len(changed_lines(raw, result)) == 1
    assert json.loads(result)["cells"][0]["source"] == ["One line\r\n", "2 lines\r\n", "Three"]


def test_rewrite_valid_for_nbformat() -> None:
    nbformat = pytest.importorskip("nbformat")
    doc = notebook()
    doc["cells"][1]["metadata"]["tags"] = ["setup"]
    raw = nbformat_style(doc)
    result, _ = edit(raw, 0, "Each epoch", "Each {dlterm}`epoch`")
    nbformat.validate(nbformat.reads(result, as_version=4))


# -- file lines --------------------------------------------------------------------------


def test_json_line() -> None:
    raw = nbformat_style(notebook())
    nb = read_notebook(raw)
    file_lines = raw.splitlines()
    for cell in nb.cells:
        for number, line in enumerate(cell.text.splitlines(keepends=True), 1):
            found = json_line(nb, cell.index, number)
            assert found is not None
            assert file_lines[found - 1].strip().rstrip(",") == json.dumps(line,
                                                                           ensure_ascii=False)
        assert json_line(nb, cell.index, 0) is None
        assert json_line(nb, cell.index, len(cell.text.splitlines()) + 1) is None


def test_json_line_crlf_file() -> None:
    raw = nbformat_style(notebook()).replace("\n", "\r\n")
    nb = read_notebook(raw)
    found = json_line(nb, 2, 3)
    assert found is not None
    assert raw.split("\r\n")[found - 1] == '    "The loss falls.\\n"'


def test_json_line_unknown() -> None:
    doc = notebook()
    doc["cells"][2]["source"] = "".join(doc["cells"][2]["source"])
    doc["cells"].append({"cell_type": "markdown", "metadata": {},
                         "source": ["one ", "line\n", "two\n"]})
    nb = read_notebook(nbformat_style(doc))
    assert json_line(nb, 2, 1) is None  # a single string
    assert json_line(nb, 4, 1) is not None
    assert json_line(nb, 4, 2) is not None
    compact = read_notebook(json.dumps(notebook()))
    assert json_line(compact, 0, 1) is None  # several strings on one line
    irregular = {"cells": [{"cell_type": "markdown", "source": ["a\nb", "c\n"]}],
                 "nbformat": 4}
    nb = read_notebook(json.dumps(irregular, indent=1))
    assert json_line(nb, 0, 1) == 6
    assert json_line(nb, 0, 2) is None  # starts inside a string


# -- size --------------------------------------------------------------------------------


def test_many_cells() -> None:
    doc = notebook()
    doc["cells"] = [copy.deepcopy(doc["cells"][i % 4]) for i in range(5000)]
    raw = nbformat_style(doc)
    nb = read_notebook(raw)
    assert nb.cell_count == 5000
    assert len(nb.cells) == 2500
    last = nb.cells[-1]
    assert last.index == 4998
    result, _ = edit(raw, last.index, "The loss", "The {dlterm}`loss`")
    assert len(changed_lines(raw, result)) == 1
    line = json_line(nb, last.index, 3)
    assert line is not None
    assert raw.splitlines()[line - 1] == '    "The loss falls.\\n"'
