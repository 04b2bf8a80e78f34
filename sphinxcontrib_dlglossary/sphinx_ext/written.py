"""What the extension last wrote into the output, so that an unchanged file is not made again.

The terms files and ``dlglossary.json`` are written from the whole term set and every
page's records: at 5,000 terms, making them costs more than the rest of a rebuild with
nothing changed. Each is noted here with a *fingerprint* (a hash of everything it is made
from) and a *checksum* of the text written. The next build skips making a file whose
fingerprint is the same and whose text on disk still has that checksum (so a file deleted
or edited in the output is made again). Kept in the doctree folder, next to the pickled
environment, and cleared with it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.builders import Builder

__all__ = ["WrittenFiles", "checksum", "fingerprint"]

#: In the doctree folder: fingerprint and checksum of each file, by its path in the output.
STATE_FILE = "dlglossary-written.json"


def fingerprint(inputs: object) -> str:
    """A hash of *inputs* (anything JSON can write, other objects by their ``str``)."""
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def checksum(text: str) -> str:
    """A short hash of a file's text (it names the file in URLs: ``?v=...``)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


class WrittenFiles:
    """Fingerprint and checksum of each file the last build wrote."""

    def __init__(self, builder: Builder) -> None:
        self.outdir = Path(builder.outdir)
        self.path = Path(builder.doctreedir, STATE_FILE)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        self.files: dict[str, dict[str, str]] = data if isinstance(data, dict) else {}
        self.changed = False

    def _name(self, target: Path) -> str:
        return target.relative_to(self.outdir).as_posix()

    def up_to_date(self, target: Path, print_: str) -> str | None:
        """The checksum of *target* if it was written from *print_* and is unchanged."""
        known = self.files.get(self._name(target))
        if not isinstance(known, dict) or known.get("fingerprint") != print_:
            return None
        try:
            found = checksum(target.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None
        return found if found == known.get("checksum") else None

    def write(self, target: Path, print_: str, text: str) -> str:
        """Write *text* to *target* (unless it holds it already) and note it; its checksum."""
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        self.files[self._name(target)] = {"fingerprint": print_, "checksum": checksum(text)}
        self.changed = True
        return self.files[self._name(target)]["checksum"]

    def save(self) -> None:
        if self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.files, sort_keys=True), encoding="utf-8")
            self.changed = False
