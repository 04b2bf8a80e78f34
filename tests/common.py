"""Helpers named for what they find in built output, so tests read as what a reader sees.

HTML helpers look only at the document body (``div[role=main]``): the rest of the page is
theme noise. They return plain tuples and strings, which make readable assertion diffs.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sphinx
import yaml
from bs4 import BeautifulSoup, Tag
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors
from sphinx.util.inventory import InventoryFile

__all__ = [
    "BY_TITLE",
    "TERMS",
    "Built",
    "backlinks",
    "body",
    "entry",
    "glossary_terms",
    "ids",
    "index_entries",
    "index_see_entries",
    "inventory",
    "letter_bar",
    "plain",
    "term_links",
    "warning_lines",
]


if sphinx.version_info[:2] < (8, 0):
    # Before Sphinx 8.0 a warning ends in " [type.subtype]" only with show_warning_types on
    # (8.0 made it the default). The tests read a warning's type from its text, as
    # users of Sphinx 8 and later (and of 7.x with the setting on) see it; nothing else
    # about a build changes with this setting.
    _init = SphinxTestApp.__init__

    def _init_showing_types(self: SphinxTestApp, *args: Any, **kwargs: Any) -> None:
        kwargs["confoverrides"] = {"show_warning_types": True,
                                   **(kwargs.get("confoverrides") or {})}
        _init(self, *args, **kwargs)

    SphinxTestApp.__init__ = _init_showing_types  # type: ignore[method-assign,assignment]

#: The shipped term set, read with plain YAML (not through the package under test).
TERMS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "data" / "terms.yaml").read_text(encoding="utf-8")
)["terms"]
#: ``(key, title)`` of every shipped term, in the order a reader expects: by title.
BY_TITLE: list[tuple[str, str]] = sorted(
    ((t["key"], t["title"]) for t in TERMS), key=lambda kt: kt[1].casefold()
)


def plain(text: str) -> str:
    """*text* without ANSI colour codes (Sphinx colours warnings on a terminal)."""
    return strip_colors(text)


def warning_lines(text: str) -> list[str]:
    """The non-empty lines of a warning stream, colours stripped."""
    return [line for line in plain(text).splitlines() if line.strip()]


@dataclass
class Built:
    """A finished build: the app (for paths and env) and its warning stream."""

    app: SphinxTestApp
    #: Everything logged as a warning or error, colours stripped.
    warnings: str

    @property
    def srcdir(self) -> Path:
        return Path(self.app.srcdir)

    @property
    def outdir(self) -> Path:
        return Path(self.app.outdir)

    def read(self, name: str) -> str:
        """The text of an output file, e.g. ``"glossary.html"``."""
        return (self.outdir / name).read_text(encoding="utf-8")


def body(html: str | Tag) -> Tag:
    """The document body of an HTML page (or the element itself, if given one)."""
    if isinstance(html, Tag) and not isinstance(html, BeautifulSoup):
        return html
    soup = html if isinstance(html, BeautifulSoup) else BeautifulSoup(html, "html.parser")
    # div[role=main] in most themes; the PyData and Book themes (Jupyter Book) have the
    # document in article.bd-article
    main = (soup.select_one('div[role="main"]') or soup.select_one("article.bd-article")
            or soup.select_one("div.body"))
    assert main is not None, "no document body in page"
    return main


def term_links(html: str | Tag, within: str | None = None) -> list[tuple[str, str, str]]:
    """``(text, href, id)`` of every term link (``a.dlterm``), in document order.

    :param within: a CSS selector; only links inside elements it matches count.
    """
    root = body(html)
    scopes = root.select(within) if within else [root]
    return [
        (a.get_text(), str(a.get("href", "")), str(a.get("id", "")))
        for scope in scopes for a in scope.select("a.dlterm")
    ]


def headword(dt: Tag) -> str:
    """The title of a glossary entry's ``<dt>``, without its permalink (¶)."""
    return "".join(str(s) for s in dt.find_all(string=True)
                   if not s.find_parent("a", class_="headerlink"))


def glossary_terms(html: str | Tag) -> list[tuple[str, str]]:
    """``(id, title)`` of every entry on a glossary page, in page order."""
    return [(str(dt.get("id", "")), headword(dt))
            for dt in body(html).select("dl.dlglossary-list > dt")]


def entry(html: str | Tag, title: str) -> Tag:
    """The definition (``<dd>``) of the glossary entry titled *title*."""
    for dt in body(html).select("dl.dlglossary-list > dt"):
        if headword(dt) == title:
            dd = dt.find_next_sibling("dd")
            assert isinstance(dd, Tag)
            return dd
    raise AssertionError(f"no glossary entry titled {title!r}")


def backlinks(html: str | Tag, title: str) -> list[tuple[str, str]]:
    """``(text, href)`` of each page in the "Used on" lines of entry *title* (those
    shown and those behind "and N more pages"); [] if none. Each page is one link, to
    its first use of the term."""
    box = entry(html, title).select_one("div.dlglossary-backlinks")
    if box is None:
        return []
    return [(a.get_text(), str(a.get("href", ""))) for a in box.select("a")
            if a.find_parent("p", class_="dlglossary-all-uses") is None]


def backlink_notes(html: str | Tag, title: str) -> list[str]:
    """What follows each page's link in the backlinks of *title*: "(Section; 3 uses)"."""
    box = entry(html, title).select_one("div.dlglossary-backlinks")
    if box is None:
        return []
    out = []
    for a in box.select("a"):
        if a.find_parent("p", class_="dlglossary-all-uses") is not None:
            continue
        note = a.find_next_sibling()
        out.append(note.get_text().strip() if note is not None and
                   "dlglossary-where" in (note.get("class") or []) else "")
    return out


def letter_bar(html: str | Tag) -> list[tuple[str, str]]:
    """``(letter, href)`` of the links in a glossary page's letter bar."""
    bar = body(html).select_one("p.dlglossary-letters")
    assert bar is not None, "no letter bar"
    return [(a.get_text(), str(a.get("href", ""))) for a in bar.select("a")]


def ids(html: str | Tag) -> set[str]:
    """Every ``id`` in the body."""
    return {str(el["id"]) for el in body(html).select("[id]")}


def index_entries(html: str | Tag) -> list[tuple[str, str]]:
    """``(text, href)`` of the linked entries of a general index page (``genindex.html``)."""
    table = body(html).select("table.genindextable a")
    return [(a.get_text(), str(a.get("href", ""))) for a in table]


def index_see_entries(html: str | Tag) -> dict[str, str]:
    """``{entry: "see X"}`` for the cross-reference entries of a general index page."""
    out: dict[str, str] = {}
    for li in body(html).select("table.genindextable li"):
        sub = li.select_one("ul > li")
        own = li.find(string=True, recursive=False)
        if sub is not None and own is not None and " ".join(sub.get_text().split()).startswith(
                "see "):
            out[own.strip()] = " ".join(sub.get_text().split())
    return out


def inventory(path: Path) -> dict[str, dict[str, tuple[str, str]]]:
    """``{type: {name: (uri, display name)}}`` of an ``objects.inv``."""
    with path.open("rb") as stream:
        data = InventoryFile.load(stream, "", posixpath.join)
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for typ, items in data.items():
        for name, item in items.items():
            if hasattr(item, "uri"):  # Sphinx >= 8.2
                out.setdefault(typ, {})[name] = (item.uri, item.display_name)
            else:  # a (project, version, uri, display name) tuple
                out.setdefault(typ, {})[name] = (str(item[2]), str(item[3]))
    return out


def build_project(srcdir: Path, files: dict[str, str] | None = None, builder: str = "html",
                  *, parallel: int = 0, freshenv: bool = False,
                  **confoverrides: Any) -> tuple[Path, str]:
    """Write *files* into *srcdir*, build it as ``sphinx-build`` would (a new application,
    so a second call is an incremental build), and return the output folder and the
    warnings, without colours."""
    from io import StringIO

    for name, text in (files or {}).items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    warnings = StringIO()
    app = SphinxTestApp(builder, srcdir=srcdir, warning=warnings, parallel=parallel,
                        freshenv=freshenv, confoverrides=confoverrides or None)
    try:
        app.build()
    finally:
        app.cleanup()
    return app.outdir, strip_colors(warnings.getvalue())


def offline_mathjax() -> Path | None:
    """The MathJax 3 of ``sphinx-mathjax-offline`` (``tex-chtml.js``), for sites that must
    load nothing from the network; None if it is not installed."""
    import importlib.util

    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        return None
    js = Path(next(iter(spec.submodule_search_locations)), "static", "mathjax", "tex-chtml.js")
    return js.resolve() if js.is_file() else None
