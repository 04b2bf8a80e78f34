"""Suppression comments: ``dlglossary: disable-file``, ``disable-next-line``, ``disable-line``.

A comment names the codes it silences (``disable-file=DLG003,DLG004``), or silences
every code. ``disable-next-line`` applies to the next non-blank line, ``disable-line`` to
the comment's own line (an inline HTML comment in MyST), ``disable-file`` (or plain
``disable``) to the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sphinxcontrib_dlglossary.lint.findings import CODES, Finding
from sphinxcontrib_dlglossary.lint.source import SourceLines

__all__ = ["Suppressions", "read_suppressions"]

_DIRECTIVE_RE = re.compile(
    r"dlglossary:\s*(?P<action>disable-file|disable-next-line|disable-line|disable)"
    r"(?:\s*=\s*(?P<codes>[A-Za-z0-9_,\s]+))?\s*\Z")


@dataclass(frozen=True)
class Suppressions:
    """Codes silenced for the whole file, and per (1-based) line."""

    whole: frozenset[str] = frozenset()
    lines: dict[int, frozenset[str]] = field(default_factory=dict)

    def silences(self, finding: Finding) -> bool:
        """Whether a comment silences *finding*."""
        return finding.code in self.whole or finding.code in self.lines.get(finding.line, ())


def read_suppressions(comments: Iterable[tuple[int, int, str]],
                      lines: SourceLines) -> Suppressions:
    """The suppressions the *comments* (``(first line, last line, text)``) make."""
    whole: set[str] = set()
    per_line: dict[int, frozenset[str]] = {}
    for first, last, text in comments:
        match = _DIRECTIVE_RE.match(text.strip())
        if not match:
            continue
        codes = frozenset(c.strip().upper() for c in (match.group("codes") or "").split(",")
                          if c.strip()) or frozenset(CODES)
        action = match.group("action")
        if action in ("disable-file", "disable"):
            whole |= codes
            continue
        line = _next_line(last, lines) if action == "disable-next-line" else first
        per_line[line] = per_line.get(line, frozenset()) | codes
    return Suppressions(frozenset(whole), per_line)


def _next_line(line: int, lines: SourceLines) -> int:
    """The first non-blank line after *line*."""
    line += 1
    while line < len(lines.starts) and not lines.line_text(line).strip():
        line += 1
    return line
