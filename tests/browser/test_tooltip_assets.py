"""Budget and theme plumbing of the static assets."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[2] / "sphinxcontrib_dlglossary" / "static"


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def test_runtime_size_budget():
    # The commented source (the card's sanitiser is documented line by line, #12).
    assert gz(STATIC / "dlglossary.js") < 4.5 * 1024
    assert gz(STATIC / "dlglossary.css") < 1.25 * 1024  # with the glossary page's rules
    # What pages load: the minified pair stays under 4 KB gzip together.
    assert gz(STATIC / "dlglossary.min.js") + gz(STATIC / "dlglossary.min.css") < 4 * 1024


@pytest.mark.repo
def test_minified_copies_are_up_to_date():
    """Pages load static/dlglossary.min.*; they must match the reviewed sources."""
    import subprocess
    import sys

    script = STATIC.parents[1] / "tools" / "minify.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_no_remote_urls_in_assets():
    for name in ("dlglossary.js", "dlglossary.css", "dlglossary.min.js", "dlglossary.min.css"):
        text = (STATIC / name).read_text()
        assert "http://" not in text and "https://" not in text and "//cdn" not in text
        assert "fetch(" not in text and "XMLHttpRequest" not in text


THEMES = {
    # theme-like variables -> expected card background / text colour
    "none (alabaster, rtd)": ("", "rgb(255, 255, 255)", "rgb(34, 34, 34)"),
    "furo dark": (
        "body{--color-background-primary:#131416;--color-foreground-primary:#cfd0d0}",
        "rgb(19, 20, 22)",
        "rgb(207, 208, 208)",
    ),
    "pydata dark": (
        "html{--pst-color-background:#14181e;--pst-color-text-base:#ced6dd}",
        "rgb(20, 24, 30)",
        "rgb(206, 214, 221)",
    ),
    "user override": (
        "body{--color-background-primary:#131416} :root{--dlg-bg:#fdf6e3;--dlg-fg:#073642}",
        "rgb(253, 246, 227)",
        "rgb(7, 54, 66)",
    ),
}


@pytest.mark.browser
def test_theme_variables(make_page, open_file, fixtures_dir, tip):
    # a dark OS preference must not darken themes that have no dark mode
    page = make_page(color_scheme="dark")
    open_file(fixtures_dir / "index.html", page)
    page.evaluate("document.head.append(Object.assign(document.createElement('style'), {id: 'v'}))")
    for theme, (css, bg, fg) in THEMES.items():
        page.evaluate("css => { document.getElementById('v').textContent = css; }", css)
        tip.hover(page, "#t-relu")
        card = tip.wait_shown(page)
        got = card.evaluate(
            "c => [getComputedStyle(c).backgroundColor, getComputedStyle(c).color,"
            " c.classList.contains('dlg-dark')]"
        )
        assert got == [bg, fg, bg in ("rgb(19, 20, 22)", "rgb(20, 24, 30)")], theme
        page.keyboard.press("Escape")
        tip.wait_hidden(page)
        page.mouse.move(1000, 740)
    page.dlg_log.assert_clean()


@pytest.mark.browser
def test_reduced_motion_and_forced_colors(make_page, open_file, fixtures_dir, tip):
    page = make_page(reduced_motion="reduce", forced_colors="active")
    open_file(fixtures_dir / "index.html", page)
    tip.hover(page, "#t-kernel")
    card = tip.wait_shown(page)
    anim, border = card.evaluate(
        "c => [getComputedStyle(c).animationName, getComputedStyle(c).borderTopStyle]"
    )
    assert anim == "none"
    assert border == "solid"
    page.dlg_log.assert_clean()
