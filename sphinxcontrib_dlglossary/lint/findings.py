"""The codes the linter reports, a finding, and the edit that fixes one."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CODES", "Edit", "Finding"]

#: Every code: (severity, short description).
CODES: dict[str, tuple[str, str]] = {
    "DLG001": ("error", "unknown term in a dlterm role"),
    "DLG002": ("warning", "non-canonical spelling of a known term"),
    "DLG003": ("warning", "first plain mention of a term on a page is not linked"),
    "DLG004": ("warning", "synonym the term data marks to avoid"),
}


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` by :attr:`new`."""

    start: int
    end: int
    new: str
    #: The edit wraps the text in a ``dlterm`` role.
    role: bool = False


@dataclass(frozen=True)
class Finding:
    """One finding, located in its file."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    #: The term concerned (None for an unknown term).
    key: str | None
    #: The text in question, as written.
    text: str
    start: int
    end: int
    #: The edit ``--fix`` would make, or None.
    fix: Edit | None = None
    #: In a notebook: the cell (1-based, counting every cell), its id, and the line of
    #: the .ipynb file where the finding's line of the cell is (None if unknown); the
    #: line, column and offsets are then the cell's.
    cell: int | None = None
    cell_id: str | None = None
    file_line: int | None = None

    @property
    def where(self) -> str:
        """``path:line:col``, or ``path:cell N:line:col`` in a notebook."""
        cell = f"cell {self.cell}:" if self.cell is not None else ""
        return f"{self.path}:{cell}{self.line}:{self.column}"

    @property
    def severity(self) -> str:
        return CODES[self.code][0]
