"""The catalogue of hostile definitions built into a site, with every builder.

One project holds every case of :data:`test_definitions.CATALOGUE` as a term, a page that
references each, and a glossary page. A local HTTP server stands where an attacker's URL
would be, and a file holds a secret. The build must report each entry as an error naming
the term and the field, write every page, read no file, make no request, and publish
nothing of the secret.
"""

from __future__ import annotations

import http.server
import json
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_definitions import CATALOGUE, SECRET, URL

from common import build_project

TOKEN = "SECRET-TOKEN-0451"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = f"{TOKEN},from the network\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def attacker() -> Iterator[tuple[str, list[str]]]:
    """A URL on a local server, and the paths it was asked for."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/pwn", _Recorder.hits
    finally:
        server.shutdown()


def _project(tmp_path: Path, url: str) -> dict[str, str]:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{TOKEN}\n", encoding="utf-8")
    entries = []
    for case, definition, _ in CATALOGUE:
        text = definition.replace(SECRET, str(secret)).replace(URL, url)
        entries.append(f"  - key: {case}\n    title: Case {case}\n    definition: |\n"
                       + textwrap.indent(text, "      "))
    uses = " ".join(f":dlterm:`{case}`" for case, _, _ in CATALOGUE)
    return {
        "conf.py": "extensions = ['sphinxcontrib_dlglossary', 'sphinx.ext.mathjax']\n"
                   "dlglossary_term_files = ['hostile.yaml']\n"
                   "exclude_patterns = ['_build']\n",
        "hostile.yaml": "terms:\n" + "\n".join(entries) + "\n",
        "index.rst": f"Uses\n====\n\n{uses}\n\n.. toctree::\n\n   glossary\n",
        "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
    }


@pytest.mark.parametrize("builder", ["html", "singlehtml", "latex", "text", "man", "epub"])
def test_hostile_definitions_build(builder: str, tmp_path: Path,
                                   attacker: tuple[str, list[str]]) -> None:
    url, hits = attacker
    hits.clear()
    src = tmp_path / "src"
    outdir, warnings = build_project(src, _project(tmp_path, url), builder)
    # Each entry is an error naming file, entry and field; the build wrote everything.
    for case, _, refusal in CATALOGUE:
        assert f"entry '{case}': field 'definition': " in warnings, case
        assert refusal in warnings, case
    assert "Traceback" not in warnings
    written = [p for p in outdir.rglob("*") if p.is_file()]
    assert written
    # Nothing read, nothing fetched, nothing of the secret published.
    assert hits == []
    for path in written:
        assert TOKEN.encode() not in path.read_bytes(), path
    if builder == "html":
        page = (outdir / "glossary.html").read_text(encoding="utf-8")
        for case, _, _ in CATALOGUE:
            assert f'id="{case}"' in page, case
        # Refused definitions are shown as their text in a code block: no math element
        # holds \href, no link is javascript:.
        assert 'href="javascript:' not in page
        assert "<img" not in page.split('role="main"')[1]
        script = (outdir / "_static" / "dlglossary-terms.js").read_text(encoding="utf-8")
        cards = json.loads(script.partition("=")[2].rstrip().rstrip(";"))
        for case, _, _ in CATALOGUE:
            card = cards[case]["h"]
            assert card.startswith("<div class=\"highlight-text notranslate\">"), card
            assert 'class="math' not in card and "<a " not in card, card
