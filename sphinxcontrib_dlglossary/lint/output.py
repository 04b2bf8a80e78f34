"""Findings as text, JSON, GitHub workflow commands or SARIF 2.1.0.

Text is ``path:line:col: CODE message``, lines and columns 1-based, columns counted in
characters; the other formats carry the end position too (exclusive).
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
        print(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}{fixable}", file=out)


def write_json(findings: Sequence[Finding], errors: Sequence[tuple[str, str]],
               out: TextIO) -> None:
    data = {
        "version": 1,
        "findings": [{
            "path": f.path, "line": f.line, "column": f.column, "end_line": f.end_line,
            "end_column": f.end_column, "code": f.code, "severity": f.severity,
            "message": f.message, "term": f.key, "text": f.text,
            "fix": None if f.fix is None else {"replacement": f.fix.new},
        } for f in findings],
        "errors": [{"path": p, "message": m} for p, m in errors],
    }
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_github(findings: Sequence[Finding], out: TextIO) -> None:
    """Workflow commands, which GitHub shows as annotations."""
    for f in findings:
        level = "error" if f.severity == "error" else "warning"
        props = (f"file={_github_escape(f.path, True)},line={f.line},col={f.column},"
                 f"endLine={f.end_line},endColumn={f.end_column},title={f.code}")
        print(f"::{level} {props}::{_github_escape(f.code + ' ' + f.message)}", file=out)


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
    region = {"startLine": f.line, "startColumn": f.column,
              "endLine": f.end_line, "endColumn": f.end_column}
    location = {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}
    result: dict[str, Any] = {
        "ruleId": f.code, "ruleIndex": rules.index(f.code), "level": f.severity,
        "message": {"text": f.message}, "locations": [location],
    }
    if f.fix is not None:
        result["fixes"] = [{
            "description": {"text": f"write {f.fix.new}"},
            "artifactChanges": [{"artifactLocation": {"uri": uri}, "replacements": [{
                "deletedRegion": region,
                "insertedContent": {"text": f.fix.new},
            }]}],
        }]
    return result
