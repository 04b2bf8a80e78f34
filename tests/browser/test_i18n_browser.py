"""A German site in Chromium (issue #17): the card of a term link shows the German title
and summary and a German "more" link; the glossary page's labels, filter and letters are
German; an anchor of the English glossary lands on the same entry.

Opened from ``file://`` with every network request refused. Screenshots go to
``test-output/screenshots/i18n-de-{card,glossary}.png``.
"""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
DE = {t["key"]: t for t in yaml.safe_load(
    (ROOT / "data" / "translations" / "de.yaml").read_text("utf-8"))["terms"]}
FILES = {
    "conf.py": 'extensions = ["myst_parser", "sphinxcontrib_dlglossary"]\n'
               'myst_enable_extensions = ["dollarmath"]\n'
               'language = "de"\n'
               'dlglossary_tooltip_delay = 50\n',
    "index.md": "# Kurs\n\n```{toctree}\nnetze\nglossar\n```\n",
    "netze.md": "# Netze\n\nEine {dlterm}`Faltungsschicht` schiebt ihre "
                "{dlterm}`Faltungskerne <kernel>` über die Eingabe.\n",
    "glossar.md": "# Glossar\n\n```{dlglossary}\n```\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("i18n-de") / "src"
    for name, text in FILES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    warning = StringIO()
    app = SphinxTestApp("html", srcdir=src, builddir=src.parent / "build", freshenv=True,
                        status=StringIO(), warning=warning)
    try:
        app.build()
    finally:
        app.cleanup()
    assert strip_colors(warning.getvalue()) == ""
    return Path(app.outdir)


def offline(page: Any) -> list[str]:
    """Refuse every request that is not a local file; the URLs that were attempted."""
    attempted: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            attempted.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return attempted


def test_german_card_offline(site: Path, make_page: Any, tip: Any) -> None:
    page = make_page()
    attempted = offline(page)
    page.goto((site / "netze.html").as_uri(), wait_until="load")
    tip.hover(page, 'a.dlterm[href$="glossar.html#convolutional-layer"]')
    card = tip.wait_shown(page)
    page.wait_for_timeout(200)
    assert card.locator(".dlg-title").inner_text() == DE["convolutional-layer"]["title"]
    body = card.locator(".dlg-body").inner_text()
    assert body.split()[:3] == DE["convolutional-layer"]["summary"].split()[:3]
    assert card.locator(".dlg-more").inner_text() == "mehr"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(SCREENSHOTS / "i18n-de-card.png"), animations="disabled")
    assert attempted == []


def test_german_glossary_page_and_english_anchors(site: Path, make_page: Any) -> None:
    page = make_page()
    attempted = offline(page)
    # an anchor of the English glossary (#kernel) lands on the German entry
    page.goto((site / "glossar.html").as_uri() + "#kernel", wait_until="load")
    target = page.locator("dt:target")
    assert target.count() == 1
    assert target.locator("strong").inner_text() == DE["kernel"]["title"]
    entry = page.locator("dt#kernel + dd")
    text = entry.inner_text()
    assert "Auch:" in text and "Verwendet auf 1 Seite:" in text
    # the filter: German label and count, narrowing by a German alias
    box = page.locator("input[type=search]")
    assert page.locator("label[for]").first.inner_text() == "Begriffe filtern"
    box.fill("Faltungskern")
    status = page.locator(".dlglossary-count")
    page.wait_for_function("() => document.querySelector('.dlglossary-count').textContent")
    assert re.fullmatch(r"\d+ von 153 Begriffen", status.inner_text())
    assert page.locator("dt#kernel").is_visible()
    page.locator("dt#kernel").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "i18n-de-glossary.png"))
    # The glossary page keeps the site's math renderer for its entries (Sphinx's default
    # mathjax_path, refused here); nothing else is asked for.
    assert all(url.startswith("https://cdn.jsdelivr.net/npm/mathjax") for url in attempted)
