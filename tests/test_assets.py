"""Tooltip assets: only on pages with a term link, one site-wide terms file, off by config."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from common import build_project

PAGES = {
    "conf.py": 'extensions = ["sphinxcontrib_dlglossary"]\n',
    "index.rst": "Home\n====\n\nA :dlterm:`kernel`.\n\n.. toctree::\n\n   plain\n   sub/deep\n"
                 "   glossary\n",
    "plain.rst": "Plain\n=====\n\nNo term links here.\n",
    "sub/deep.rst": "Deep\n====\n\nAn :dlterm:`MLP`.\n",
    "glossary.rst": "Glossary\n========\n\n.. dlglossary::\n",
}


def build(src: Path, builder: str = "html", **overrides: Any) -> Path:
    outdir, warnings = build_project(src, PAGES, builder, **overrides)
    assert warnings == ""
    return outdir


def script_tag(html: str) -> str | None:
    match = re.search(r"<script [^>]*dlglossary\.min\.js[^>]*>", html)
    return match.group() if match else None


def test_runtime_only_on_pages_with_term_links(tmp_path: Path) -> None:
    out = build(tmp_path)
    index = (out / "index.html").read_text(encoding="utf-8")
    tag = script_tag(index)
    assert tag is not None and 'defer="defer"' in tag and 'data-delay="250"' in tag
    assert re.search(r'src="_static/dlglossary\.min\.js\?v=[0-9a-f]{8}"', tag)
    assert re.search(r'data-terms="_static/dlglossary-terms\.js\?v=[0-9a-f]{8}"', tag)
    assert "_static/dlglossary.min.css?v=" in index
    assert script_tag((out / "plain.html").read_text(encoding="utf-8")) is None
    deep = script_tag((out / "sub" / "deep.html").read_text(encoding="utf-8"))
    assert deep is not None and 'data-terms="../_static/dlglossary-terms.js?v=' in deep
    terms = (out / "_static" / "dlglossary-terms.js").read_text(encoding="utf-8")
    assert terms.startswith("window.dlglossaryTerms={")
    # Every page shares that one file: no definition text is inlined into pages.
    assert "slides over its input; it spans all input channels" in terms
    assert "slides over its input; it spans all input channels" not in index


def test_tooltips_off_and_delay(tmp_path: Path) -> None:
    out = build(tmp_path / "off", dlglossary_tooltips=False)
    assert script_tag((out / "index.html").read_text(encoding="utf-8")) is None
    assert not (out / "_static" / "dlglossary-terms.js").exists()
    assert not (out / "_static" / "dlglossary.min.js").exists()
    out = build(tmp_path / "slow", dlglossary_tooltip_delay=600)
    assert 'data-delay="600"' in (script_tag((out / "index.html").read_text("utf-8")) or "")


@pytest.mark.parametrize("builder", ["latex", "text", "man"])
def test_non_html_builders_get_no_assets(tmp_path: Path, builder: str) -> None:
    out = build(tmp_path, builder)
    assert not list(out.rglob("dlglossary*.js")) and not list(out.rglob("dlglossary*.css"))
