"""Touch: first tap shows the card, a second tap (or "more") navigates, tap elsewhere closes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 700}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def phone(make_page, open_file, fixtures_dir):
    pg = make_page(**PHONE)
    return open_file(fixtures_dir / "index.html", pg)


def test_first_tap_shows_second_tap_navigates(phone, tip):
    url = phone.url
    phone.tap("#t-kernel")
    card = tip.wait_shown(phone)
    phone.wait_for_timeout(150)
    assert phone.url == url, "first tap must not navigate"
    assert card.locator(".dlg-title").inner_text() == "Kernel"
    assert tip.described_by(phone, "#t-kernel") == ["dlglossary-tip"]
    box, link = card.bounding_box(), tip.box(phone, "#t-kernel")
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert box["y"] >= link["y"] + link["height"]

    with phone.expect_navigation():
        phone.tap("#t-kernel")
    assert phone.url.endswith("/fixtures/glossary.html#kernel")
    phone.dlg_log.assert_clean()


def test_tap_other_term_switches_and_tap_elsewhere_closes(phone, tip):
    url = phone.url
    phone.tap("#t-kernel")
    card = tip.wait_shown(phone)
    phone.tap("#t-softmax")
    phone.wait_for_function(
        "() => document.querySelector('.dlg-title').textContent === 'Softmax'", timeout=2000
    )
    assert card.is_visible()
    assert phone.url == url
    assert tip.described_by(phone, "#t-kernel") == []
    phone.tap("#note1")
    tip.wait_hidden(phone, timeout=2000)
    assert tip.described_by(phone, "#t-softmax") == []
    phone.dlg_log.assert_clean()


def test_more_link_navigates(phone, tip):
    phone.tap("#t-softmax")
    card = tip.wait_shown(phone)
    with phone.expect_navigation():
        card.locator("a.dlg-more").tap()
    assert phone.url.endswith("/fixtures/glossary.html#softmax")


def test_term_without_definition_navigates_on_first_tap(phone):
    phone.tap("#t-kernel")  # loads the terms
    phone.wait_for_function("() => !!window.dlglossaryTerms")
    with phone.expect_navigation():
        phone.tap("#t-unknown")
    assert phone.url.endswith("/fixtures/glossary.html#no-such-term")


def test_keyboard_enter_after_touch_navigates(phone):
    phone.tap("#note1")
    phone.focus("#t-kernel")
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.url.endswith("/fixtures/glossary.html#kernel")


def test_tap_before_terms_load(phone, tip):
    """A tap that lands before the terms file has loaded waits for it: the card then shows, or,
    for a link without a definition, the link is followed."""
    gate: list = []
    phone.route("**/dlglossary-terms.js*", lambda r: gate.append(r))
    url = phone.url
    phone.tap("#t-kernel")
    phone.wait_for_timeout(100)
    assert phone.url == url and not tip.visible(phone) and len(gate) == 1
    gate.pop().continue_()
    tip.wait_shown(phone)
    assert phone.url == url


def test_tap_before_terms_load_on_undefined_term_navigates(phone):
    gate: list = []
    phone.route("**/dlglossary-terms.js*", lambda r: gate.append(r))
    phone.tap("#t-unknown")
    phone.wait_for_timeout(100)
    assert len(gate) == 1
    with phone.expect_navigation():
        gate.pop().continue_()
    assert phone.url.endswith("/fixtures/glossary.html#no-such-term")
    phone.dlg_log.assert_clean()
