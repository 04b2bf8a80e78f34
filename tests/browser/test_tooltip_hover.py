"""Mouse behaviour of the tooltip card (static fixture site)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def index(open_file, fixtures_dir):
    return open_file(fixtures_dir / "index.html")


def test_nothing_loaded_before_interest(index, page_log):
    assert index.locator('[role="tooltip"]').count() == 0
    assert index.evaluate("typeof window.dlglossaryTerms") == "undefined"
    assert (
        index.evaluate(
            "performance.getEntriesByType('resource').filter(e => e.name.includes('terms')).length"
        )
        == 0
    )
    page_log.assert_clean()


def test_hover_shows_after_delay_then_hides(index, page_log, tip):
    # measure in the page (immune to test-process latency): pointer arrival -> card visible
    index.evaluate(
        """() => {
          document.getElementById('t-kernel').addEventListener('pointerover', () => {
            window.__t0 = window.__t0 || performance.now();
            const poll = () => {
              const c = document.querySelector('[role=tooltip]');
              if (c && c.checkVisibility()) window.__t1 = performance.now();
              else requestAnimationFrame(poll);
            };
            poll();
          });
        }"""
    )
    tip.hover(index, "#t-kernel")
    card = tip.wait_shown(index)
    index.wait_for_function("() => window.__t1")
    assert index.evaluate("window.__t1 - window.__t0") >= 240, "card must wait for data-delay"
    assert card.locator(".dlg-title").inner_text() == "Kernel"
    assert "In the context of convolution" in card.inner_text()
    href = card.locator("a.dlg-more").get_attribute("href")
    assert href.endswith("/fixtures/glossary.html#kernel")
    assert card.get_attribute("id") in tip.described_by(index, "#t-kernel")
    assert index.locator('[role="tooltip"]').count() == 1

    index.mouse.move(1000, 740, steps=2)
    tip.wait_hidden(index, timeout=2000)
    assert tip.described_by(index, "#t-kernel") == []
    assert index.get_attribute("#t-kernel", "title") is None
    page_log.assert_clean()


def test_card_is_hoverable_and_selectable(index, page_log, tip):
    tip.hover(index, "#t-kernel")
    card = tip.wait_shown(index)
    cb = card.bounding_box()
    # cross the gap slowly onto the card, then stay
    index.mouse.move(cb["x"] + 20, cb["y"] + cb["height"] / 2, steps=8)
    index.wait_for_timeout(350)
    assert tip.visible(index)
    # select text inside the card
    title = card.locator(".dlg-title").bounding_box()
    index.mouse.move(title["x"] + 1, title["y"] + title["height"] / 2)
    index.mouse.down()
    index.mouse.move(title["x"] + title["width"] - 1, title["y"] + title["height"] / 2, steps=4)
    index.mouse.up()
    assert "Kernel" in index.evaluate("String(getSelection())")
    assert tip.visible(index)
    index.mouse.move(1000, 740, steps=4)
    tip.wait_hidden(index, timeout=2000)
    page_log.assert_clean()


def test_existing_describedby_is_preserved(index, tip):
    tip.hover(index, "#t-described")
    tip.wait_shown(index)
    assert tip.described_by(index, "#t-described") == ["note1", "dlglossary-tip"]
    index.keyboard.press("Escape")
    tip.wait_hidden(index)
    assert tip.described_by(index, "#t-described") == ["note1"]


def test_moving_to_another_term_switches_card(index, tip):
    tip.hover(index, "#t-kernel")
    card = tip.wait_shown(index)
    tip.hover(index, "#t-softmax")
    index.wait_for_function(
        "() => document.querySelector('.dlg-title').textContent === 'Softmax'", timeout=2000
    )
    assert tip.described_by(index, "#t-kernel") == []
    assert tip.described_by(index, "#t-softmax") == ["dlglossary-tip"]
    assert index.locator('[role="tooltip"]').count() == 1
    assert card.is_visible()


def test_escape_hides_while_hovering(index, tip):
    tip.hover(index, "#t-kernel")
    tip.wait_shown(index)
    index.keyboard.press("Escape")
    tip.wait_hidden(index, timeout=1500)
    index.wait_for_timeout(300)
    assert not tip.visible(index), "stays dismissed while the pointer rests on the link"


def test_escape_over_the_card_opens_no_card_for_the_link_it_uncovers(index, tip):
    """Escape with the pointer resting on the card: the browser then reports the link the card
    covered as hovered (pointerover without a move). No card opens until the pointer moves."""
    tip.hover(index, "#t-kernel")
    card = tip.wait_shown(index)
    # a point of the card above another term's link (the card covers the next lines)
    point = index.evaluate(
        """() => {
          const c = document.querySelector('[role=tooltip]').getBoundingClientRect();
          for (const a of document.querySelectorAll('a.dlterm')) {
            if (a.id === 't-kernel') continue;
            for (const r of a.getClientRects()) {
              const x = Math.max(r.left, c.left) + 2, y = (r.top + r.bottom) / 2;
              if (x < Math.min(r.right, c.right) - 2 && y > c.top + 2 && y < c.bottom - 2)
                return [x, y, a.id];
            }
          }
          return null; }"""
    )
    assert point, "the fixture needs a term link under the open card"
    x, y, covered = point
    cb = card.bounding_box()
    index.mouse.move(cb["x"] + 20, cb["y"] + 4, steps=8)  # across the gap onto the card
    index.mouse.move(x, y, steps=4)
    index.wait_for_timeout(350)
    assert index.locator(".dlg-title").inner_text() == "Kernel"
    index.evaluate(
        "() => { window.__over = [];"
        " document.addEventListener('pointerover', e => __over.push(e.target.id)); }"
    )
    index.keyboard.press("Escape")
    tip.wait_hidden(index, timeout=1500)
    index.wait_for_timeout(600)  # more than data-delay (250 ms)
    assert covered in index.evaluate("window.__over"), "the browser reported the uncovered link"
    assert not tip.visible(index), "a card opened under a pointer that did not move"
    index.mouse.move(x + 1, y)  # the pointer moves on the uncovered link: its card opens
    tip.wait_shown(index)
    assert tip.described_by(index, f"#{covered}") == ["dlglossary-tip"]


def test_unknown_term_shows_nothing(index, page_log, tip):
    tip.hover(index, "#t-unknown")
    index.wait_for_timeout(400)
    assert not tip.visible(index)
    page_log.assert_clean()


def test_intersphinx_link_uses_local_definition(index, page_log, tip):
    tip.hover(index, "#t-external")
    card = tip.wait_shown(index)
    assert card.locator(".dlg-title").inner_text() == "Kernel"
    assert card.locator("a.dlg-more").get_attribute("href") == (
        "https://other.site/glossary.html#kernel"
    )
    page_log.assert_clean()


def test_link_styles(index):
    style = index.evaluate(
        """() => {
          const s = id => getComputedStyle(document.getElementById(id));
          return {dotted: s('t-kernel').textDecorationStyle, autoColor: s('t-auto').color,
                  text: getComputedStyle(document.getElementById('p1')).color};
        }"""
    )
    assert style["dotted"] == "dotted"
    assert style["autoColor"] == style["text"]


def test_describedby_resolves_to_visible_tooltip_in_body(index, tip):
    tip.hover(index, "#t-softmax")
    tip.wait_shown(index)
    found = index.evaluate(
        """() => document.getElementById('t-softmax').getAttribute('aria-describedby')
              .split(' ').map(id => document.getElementById(id))
              .filter(e => e && e.getAttribute('role') === 'tooltip')
              .map(e => [e.checkVisibility(), e.parentElement === document.body])"""
    )
    assert found == [[True, True]]


def test_focus_loads_terms_lazily(index, page_log, tip):
    index.focus("#before")
    assert index.evaluate("typeof window.dlglossaryTerms") == "undefined"
    index.keyboard.press("Tab")
    tip.wait_shown(index)
    assert index.evaluate("typeof window.dlglossaryTerms") == "object"
    page_log.assert_clean()


def test_nested_page(open_file, fixtures_dir, page, page_log, tip):
    open_file(fixtures_dir / "sub" / "nested.html")
    tip.hover(page, "#t-kernel")
    card = tip.wait_shown(page)
    assert card.locator(".dlg-title").inner_text() == "Kernel"
    assert card.locator("a.dlg-more").evaluate("a => a.href") == (
        (fixtures_dir / "glossary.html").as_uri() + "#kernel"
    )
    page_log.assert_clean()


def test_without_popover_api(page, open_file, fixtures_dir, page_log, tip):
    """Browsers without the popover API: position: fixed + z-index, toggled with `hidden`."""
    page.add_init_script(
        "delete HTMLElement.prototype.showPopover;delete HTMLElement.prototype.hidePopover;"
    )
    open_file(fixtures_dir / "index.html")
    tip.hover(page, "#t-clipped")
    card = tip.wait_shown(page)
    assert card.get_attribute("popover") is None
    box = card.bounding_box()
    assert page.evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y).closest('[role=tooltip]')",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    page.keyboard.press("Escape")
    tip.wait_hidden(page, timeout=1500)
    assert card.evaluate("c => c.hidden") is True
    page_log.assert_clean()
