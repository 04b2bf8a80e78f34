"""Definitions never execute anything; the title is text."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

HOSTILE_TITLE = '<img src=x onerror="window.pwned=1">'


def test_hostile_term_is_inert_text(page, open_file, fixtures_dir, page_log, tip):
    open_file(fixtures_dir / "index.html")
    tip.hover(page, "#t-hostile")
    card = tip.wait_shown(page)
    page.wait_for_timeout(100)
    assert card.locator(".dlg-title").inner_text() == HOSTILE_TITLE
    assert "<script>alert(1)</script><img src=x onerror=alert(1)>" in card.inner_text()
    assert card.locator("img, script").count() == 0
    assert page.evaluate("typeof window.pwned") == "undefined"
    page_log.assert_clean()  # includes: no dialog opened


def test_unsafe_markup_is_stripped(page, open_file, fixtures_dir, page_log, tip):
    open_file(fixtures_dir / "index.html")
    tip.hover(page, "#t-attrs")
    card = tip.wait_shown(page)
    found = card.evaluate(
        """c => ({
          scripts: c.querySelectorAll('script, style').length,
          handlers: [...c.querySelectorAll('*')].flatMap(e => [...e.attributes])
                      .filter(a => /^on/i.test(a.name)).length,
          js: [...c.querySelectorAll('[href], [src]')]
                 .filter(e => /^(javascript|data:text)/i.test(e.getAttribute('href') ||
                                                             e.getAttribute('src'))).length,
        })"""
    )
    assert found == {"scripts": 0, "handlers": 0, "js": 0}
    card.locator(".dlg-body a").click()
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.evaluate("getComputedStyle(document.body).display") == "block"
    assert page_log.blocked == [] and page_log.page_errors == [] and page_log.dialogs == []
