"""``--fix``: apply the fixable findings, verify the result by parsing it again, write it.

Only edits the scan allows are planned (see :attr:`.Piece.edit` and :attr:`.Piece.wrap`).
:func:`fix_text` then re-parses the result and returns it only if the edits are exactly
all that changed: every other character is still what it was and still where it was
(code still code, prose still prose), and each inserted role is a role. The file is
written in place, through links, keeping UTF-8 with its byte-order mark (if any), its
line breaks, its inode and its mode (:func:`.files.write_source`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sphinxcontrib_dlglossary.lint.findings import Edit, Finding
from sphinxcontrib_dlglossary.lint.source import Scan, Syntax

__all__ = ["FixError", "fix_text", "plan"]


class FixError(Exception):
    """An edit could not be verified; the file was left as it was."""


def plan(findings: Sequence[Finding]) -> list[Edit]:
    """The edits for the fixable findings: one per span (a respelt first mention is
    wrapped respelt), left to right, overlaps dropped."""
    spans: dict[tuple[int, int], Edit] = {}
    for f in findings:
        if f.fix is None:
            continue
        span = (f.fix.start, f.fix.end)
        if f.code == "DLG003":
            spans[span] = f.fix
        elif span not in spans:
            spans[span] = f.fix
    edits: list[Edit] = []
    for edit in sorted(spans.values(), key=lambda e: e.start):
        if edits and edit.start < edits[-1].end:
            continue
        edits.append(edit)
    return edits


def fix_text(text: str, syntax: Syntax, findings: Sequence[Finding],
             parsed: Scan | None = None, extensions: frozenset[str] | None = None) -> str:
    """*text* with the fixable findings fixed, verified by parsing the result again
    (MyST with the project's *extensions*).

    :raises FixError: when the result differs from the plan in anything but the edits.
    """
    # The scanner is looked up on the package, where a test may replace it.
    from sphinxcontrib_dlglossary import lint

    edits = plan(findings)
    if not edits:
        return text
    before = parsed or lint.scan(text, syntax, extensions)
    new, expected, inserted = _apply(text, edits, _classes(text, before))
    _verify(new, before, lint.scan(new, syntax, extensions), expected, inserted)
    return new


def _classes(text: str, sc: Scan) -> list[str]:
    """Per character: ``p`` prose, ``q`` prose where nothing is linked, ``m`` anything else."""
    out = ["m"] * len(text)
    for piece in sc.pieces:
        for start, end in piece.ranges():
            out[start:end] = ["p" if piece.link else "q"] * (end - start)
    return out


def _apply(text: str, edits: Sequence[Edit],
           classes: list[str]) -> tuple[str, list[str], set[tuple[int, str]]]:
    """*text* edited; the class of each of its characters the edits should leave (an
    inserted role is markup, a respelling takes the class of what it replaces); and each
    inserted role, as ``(offset, markup)``."""
    out: list[str] = []
    expected: list[str] = []
    inserted: set[tuple[int, str]] = set()
    pos = shift = 0
    for edit in edits:
        out.append(text[pos:edit.start])
        expected += classes[pos:edit.start]
        expected += ["m" if edit.role else classes[edit.start]] * len(edit.new)
        if edit.role:
            inserted.add((edit.start + shift, edit.new))
        out.append(edit.new)
        shift += len(edit.new) - (edit.end - edit.start)
        pos = edit.end
    out.append(text[pos:])
    expected += classes[pos:]
    return "".join(out), expected, inserted


def _verify(new: str, before: Scan, after: Scan, expected: list[str],
            inserted: set[tuple[int, str]]) -> None:
    """Raise :class:`FixError` unless *after*, the scan of the edited text *new*, differs
    from *before* by the edits alone."""
    if _classes(new, after) != expected:
        raise FixError("re-parsing the edited text shows changes beyond the edits")
    roles = {(r.start, new[r.start:r.end]) for r in after.roles}
    if not inserted <= roles or len(after.roles) != len(before.roles) + len(inserted):
        raise FixError("re-parsing the edited text does not show the inserted roles")
    if (after.glossary, after.autolink) != (before.glossary, before.autolink) \
            or len(after.comments) != len(before.comments):
        raise FixError("re-parsing the edited text shows changes beyond the edits")
