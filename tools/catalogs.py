"""Keep the extension's message catalogs in step with its texts.

    python tools/catalogs.py          # write locale/dlglossary.pot, update every .po, compile .mo
    python tools/catalogs.py --check  # exit 1 if any of them is out of date (a test runs this)
    python tools/catalogs.py --init fr  # start the catalog of a new language

The messages are the calls of ``_`` in ``sphinx_ext/labels.py`` (one argument: a message;
three: singular, plural, count), with the ``#: TRANSLATORS:`` comment above each as the
note for translators. Each ``locale/<language>/LC_MESSAGES/dlglossary.po`` gains the new
messages (untranslated) and loses the old ones; its ``.mo`` is compiled next to it, and
both ship in the wheel. Babel (a dependency of Sphinx) reads and writes the files.
"""

from __future__ import annotations

import ast
import io
import sys
from datetime import datetime, timezone
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "sphinxcontrib_dlglossary"
SOURCE = PACKAGE / "sphinx_ext" / "labels.py"
LOCALE = PACKAGE / "locale"
DOMAIN = "dlglossary"
#: A fixed date, so that the files change only when the messages do.
DATE = datetime(2026, 12, 3, tzinfo=timezone.utc)


def messages() -> list[tuple[str | tuple[str, str], int, list[str]]]:
    """(message or (singular, plural), line, translator comments) of each ``_`` call."""
    text = SOURCE.read_text(encoding="utf-8")
    lines = text.splitlines()
    out = []
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "_"):
            continue
        args = [a.value for a in node.args if isinstance(a, ast.Constant)]
        message: str | tuple[str, str] = args[0] if len(node.args) == 1 else (args[0], args[1])
        comments: list[str] = []
        i = node.lineno - 2  # the lines above the statement that holds the call
        while i >= 0 and lines[i].strip().startswith("#:"):
            comments.insert(0, lines[i].strip()[2:].strip())
            i -= 1
        note = " ".join(comments)
        out.append((message, node.lineno, [note.removeprefix("TRANSLATORS:").strip()]
                    if note else []))
    return sorted(out, key=lambda m: m[1])


def template() -> object:
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="sphinxcontrib-dlglossary", domain=DOMAIN, charset="utf-8",
                      creation_date=DATE, revision_date=DATE, fuzzy=False)
    for message, line, comments in messages():
        catalog.add(message, locations=[(SOURCE.relative_to(PACKAGE).as_posix(), line)],
                    auto_comments=comments)
    return catalog


def _po_bytes(catalog: object) -> bytes:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    # No line numbers: the catalogs change when the messages do, not when labels.py moves.
    write_po(buf, catalog, width=100, omit_header=False, sort_output=False,
             include_previous=False, include_lineno=False)
    return buf.getvalue()


def _mo_bytes(catalog: object) -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def wanted() -> dict[Path, bytes]:
    """Each catalog file and the bytes it should hold."""
    from babel.messages.pofile import read_po

    pot = template()
    files = {LOCALE / f"{DOMAIN}.pot": _po_bytes(pot)}
    for po_path in sorted(LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=po_path.parent.parent.name, domain=DOMAIN)
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        catalog.revision_date = DATE
        catalog.creation_date = DATE
        catalog.fuzzy = False
        files[po_path] = _po_bytes(catalog)
        files[po_path.with_suffix(".mo")] = _mo_bytes(catalog)
    return files


def init(language: str) -> Path:
    """A new, untranslated catalog for *language*, with its plural rules (from Babel)."""
    from babel.messages.pofile import read_po

    po_path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if po_path.exists():
        raise SystemExit(f"{po_path} exists")
    catalog = read_po(io.BytesIO(_po_bytes(template())), locale=language, domain=DOMAIN)
    po_path.parent.mkdir(parents=True)
    po_path.write_bytes(_po_bytes(catalog))
    return po_path


def main(argv: list[str]) -> int:
    if argv[:1] == ["--init"] and len(argv) == 2:
        print(init(argv[1]))
        argv = []
    stale = [p for p, data in wanted().items() if not p.exists() or p.read_bytes() != data]
    if "--check" in argv:
        for path in stale:
            print(f"out of date: {path.relative_to(PACKAGE.parent)} (python tools/catalogs.py)")
        return 1 if stale else 0
    for path, data in wanted().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
