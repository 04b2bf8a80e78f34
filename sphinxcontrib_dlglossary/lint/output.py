"""Findings as text, JSON, GitHub workflow commands or SARIF 2.1.0.

Text is ``path:line:col: CODE message``, lines and columns 1-based, columns counted in
characters; the other formats carry the end position too (exclusive). In a notebook the
line and column are the cell's: text says ``path:cell N:line:col``, JSON adds ``cell`` and
``cell_id``; GitHub and SARIF, which annotate lines of the file, point at the .ipynb
file's line where the cell's line is and name the cell in the message.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from sphinxcontrib_dlglossary import __version__
from sphinxcontrib_dlglossary.lint.findings import CODES, Finding

__all__ = ["FORMATS", "report", "write_github", "write_json", "write_sarif", "write_text"]

#: The output formats, the default first.
FORMATS = ("text", "json", "github", "sarif")


def report(fmt: str, findings: Sequence[Finding], errors: Sequence[tuple[str, str]],
           out: TextIO) -> None:
    """Write *findings* in the format *fmt*; JSON also lists the *errors* (path, message)."""
    if fmt == "json":
        write_json(findings, errors, out)
    elif fmt == "github":
        write_github(findings, out)
    elif fmt == "sarif":
        write_sarif(findings, out)
    else:
        write_text(findings, out)


def write_text(findings: Sequence[Finding], out: TextIO) -> None:
    for f in findings:
        fixable = " (fixable)" if f.fix else ""
        print(f"{f.where}: {f.code} {f.message}{fixable}", file=out)


def write_json(findings: Sequence[Finding], errors: Sequence[tuple[str, str]],
               out: TextIO) -> None:
    data = {
        "version": 1,
        "findings": [{
            "path": f.path, "line": f.line, "column": f.column, "end_line": f.end_line,
            "end_column": f.end_column, "code": f.code, "severity": f.severity,
            "message": f.message, "term": f.key, "text": f.text,
            "fix": None if f.fix is None else {"replacement": f.fix.new},
            **({} if f.cell is None else {"cell": f.cell, "cell_id": f.cell_id}),
        } for f in findings],
        "errors": [{"path": p, "message": m} for p, m in errors],
    }
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_github(findings: Sequence[Finding], out: TextIO) -> None:
    """Workflow commands, which GitHub shows as annotations."""
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        if f.cell is None:
            where = (f"line={f.line},col={f.column},endLine={f.end_line},"
                     f"endColumn={f.end_column},")
        else:
            where = f"line={f.file_line}," if f.file_line else ""
        props = f"file={_github_escape(f.path, True)},{where}title={f.code}"
        print(f"::{level} {props}::{_github_escape(f.code + ' ' + _message(f))}", file=out)


def _message(f: Finding) -> str:
    """The message, with the cell's position in front in a notebook."""
    if f.cell is None:
        return f.message
    return f"cell {f.cell}, line {f.line}, column {f.column}: {f.message}"


def _github_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def write_sarif(findings: Sequence[Finding], out: TextIO) -> None:
    rules = list(CODES)
    data = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "dlglossary", "version": __version__,
                "informationUri": "https://pypi.org/project/sphinxcontrib-dlglossary/",
                "rules": [{"id": code, "name": code,
                           "shortDescription": {"text": CODES[code][1]},
                           "defaultConfiguration": {"level": CODES[code][0]}}
                          for code in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "results": [_sarif_result(f, rules) for f in findings],
        }],
    }
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _sarif_result(f: Finding, rules: list[str]) -> dict[str, Any]:
    uri = Path(f.path).as_posix()
    region: dict[str, int] = {"startLine": f.line, "startColumn": f.column,
                              "endLine": f.end_line, "endColumn": f.end_column}
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    location: dict[str, Any] = {"physicalLocation": physical}
    if f.cell is None:
        physical["region"] = region
    else:  # the cell's lines are not the file's: the file's line, and the cell by name
        if f.file_line:
            physical["region"] = {"startLine": f.file_line}
        location["logicalLocations"] = [{"name": f"cell {f.cell}", "kind": "notebookCell"}]
        location["properties"] = {"cell": f.cell, "cellId": f.cell_id, **region}
    result: dict[str, Any] = {
        "ruleId": f.code, "ruleIndex": rules.index(f.code), "level": f.severity,
        "message": {"text": _message(f)}, "locations": [location],
    }
    if f.fix is not None and f.cell is None:
        result["fixes"] = [{
            "description": {"text": f"write {f.fix.new}"},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": [{
                "deletedRegion": region,
                "insertedContent": {"text": f.fix.new},
            }]}],
        }]
    return result
