"""Keyboard behaviour: focus shows, Escape hides without moving focus, Tab on hides."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def active_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_tab_focus_escape_and_tab_on(open_file, fixtures_dir, page, page_log, tip):
    open_file(fixtures_dir / "index.html")
    page.focus("#before")
    page.keyboard.press("Tab")
    assert active_id(page) == "t-kernel"
    card = tip.wait_shown(page)
    assert card.locator(".dlg-title").inner_text() == "Kernel"
    assert tip.described_by(page, "#t-kernel") == ["dlglossary-tip"]
    expect(page.locator("#t-kernel")).to_have_accessible_description(
        "Kernel In the context of convolution, a small matrix of learned weights slid over"
        " the input. See convolution."
    )  # the "more" link is aria-hidden: the description is title + definition only

    page.keyboard.press("Escape")
    tip.wait_hidden(page, timeout=1500)
    assert active_id(page) == "t-kernel"
    assert tip.described_by(page, "#t-kernel") == []

    page.keyboard.press("Tab")
    assert active_id(page) == "t-softmax"
    tip.wait_shown(page)
    assert card.locator(".dlg-title").inner_text() == "Softmax"
    assert tip.described_by(page, "#t-kernel") == []
    page_log.assert_clean()


def test_tab_on_to_plain_link_hides(open_file, fixtures_dir, page, page_log, tip):
    open_file(fixtures_dir / "index.html")
    page.focus("#t-unknown")  # no definition: no card
    page.keyboard.press("Tab")
    assert active_id(page) == "t-external"
    tip.wait_shown(page)
    page.keyboard.press("Tab")
    assert active_id(page) == "plain"
    tip.wait_hidden(page, timeout=1500)
    assert tip.described_by(page, "#t-external") == []
    page_log.assert_clean()


def test_card_is_not_in_tab_order(open_file, fixtures_dir, page, tip):
    open_file(fixtures_dir / "index.html")
    page.focus("#t-unknown")
    page.keyboard.press("Tab")
    tip.wait_shown(page)
    assert page.evaluate(
        "[...document.querySelectorAll('[role=tooltip] *')].every(e => e.tabIndex < 0)"
    )


def test_mouse_leaving_keeps_keyboard_card(open_file, fixtures_dir, page, tip):
    open_file(fixtures_dir / "index.html")
    page.focus("#before")
    page.keyboard.press("Tab")
    tip.wait_shown(page)
    tip.hover(page, "#t-kernel")
    page.mouse.move(1000, 740, steps=2)
    page.wait_for_timeout(350)
    assert tip.visible(page), "focused trigger keeps its card when the mouse passes by"
