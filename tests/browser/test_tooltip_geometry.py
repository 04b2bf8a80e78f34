"""Placement: inside the viewport, never over the link, flips above, follows scrolling."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MARGIN = 8 - 0.5  # runtime keeps ~8 px from the viewport edges


def overlap(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def check_placement(page, tip, link_sel, vw, vh):
    card = tip.wait_shown(page)
    page.wait_for_timeout(50)  # one frame for the ResizeObserver pass
    box, link = card.bounding_box(), tip.box(page, link_sel)
    why = (link_sel, box, link)
    assert box["x"] >= MARGIN and box["y"] >= MARGIN, why
    assert box["x"] + box["width"] <= vw - MARGIN, why
    assert box["y"] + box["height"] <= vh - MARGIN, why
    assert not overlap(box, link), why
    # really on top: the card's centre hit-tests to the card
    assert page.evaluate(
        """([x, y]) => !!document.elementFromPoint(x, y).closest('[role=tooltip]')""",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    return box, link


EDGE_LINKS = [
    "top-left",
    "top-right",
    "left",
    "right",
    "bottom-left",
    "bottom-right",
    "top",
    "bottom",
    "middle",
]


@pytest.mark.parametrize("viewport", [(1024, 768), (360, 640)], ids=["desktop", "phone"])
def test_edges(make_page, open_file, fixtures_dir, tip, viewport):
    vw, vh = viewport
    page = make_page(viewport={"width": vw, "height": vh})
    open_file(fixtures_dir / "edges.html", page)
    for link in EDGE_LINKS:
        tip.hover(page, f"#{link}")
        box, lb = check_placement(page, tip, f"#{link}", vw, vh)
        assert tip.described_by(page, f"#{link}") == ["dlglossary-tip"], link
        if link.startswith("bottom"):
            assert box["y"] + box["height"] <= lb["y"], f"{link}: flips above near the bottom"
        else:
            assert box["y"] >= lb["y"] + lb["height"], f"{link}: below the link by default"
        assert box["width"] <= min(32 * 16, 0.9 * vw) + 0.5, link
        assert box["height"] <= vh / 2 + 0.5, link
        page.keyboard.press("Escape")
        tip.wait_hidden(page, timeout=1500)
    page.dlg_log.assert_clean()


def test_long_definition_scrolls_inside_card(page, open_file, fixtures_dir, tip):
    open_file(fixtures_dir / "edges.html")
    tip.hover(page, "#middle")
    card = tip.wait_shown(page)
    assert card.evaluate("c => c.scrollHeight > c.clientHeight")
    assert card.evaluate("c => getComputedStyle(c).overflowY") == "auto"
    box = card.bounding_box()
    page.mouse.move(box["x"] + 30, box["y"] + 30, steps=6)
    page.mouse.wheel(0, 120)
    page.wait_for_function("() => document.getElementById('dlglossary-tip').scrollTop > 0")
    top = card.evaluate("c => c.scrollTop")
    page.wait_for_timeout(250)
    assert tip.visible(page)
    assert card.evaluate("c => c.scrollTop") == top, "re-placing must not reset the scroll"
    page.keyboard.press("Escape")
    tip.wait_hidden(page)
    tip.hover(page, "#top")  # shown anew: starts at the top
    tip.wait_shown(page)
    page.wait_for_timeout(50)
    assert card.evaluate("c => c.scrollTop") == 0


def test_wrapped_link_uses_hovered_line(page, open_file, fixtures_dir, tip):
    open_file(fixtures_dir / "index.html")
    rects = page.evaluate(
        "[...document.getElementById('t-wrapped').getClientRects()]"
        ".map(r => ({x: r.x, y: r.y, w: r.width, h: r.height}))"
    )
    assert len(rects) >= 2, "fixture link should wrap"
    last = rects[-1]
    page.mouse.move(last["x"] + last["w"] / 2, last["y"] + last["h"] / 2, steps=2)
    box = tip.wait_shown(page).bounding_box()
    assert box["y"] >= last["y"] + last["h"] - 0.5
    assert box["y"] - (last["y"] + last["h"]) < 12


def test_escapes_clipping_container_and_fixed_bars(page, open_file, fixtures_dir, tip):
    open_file(fixtures_dir / "index.html")
    tip.hover(page, "#t-clipped")
    check_placement(page, tip, "#t-clipped", 1024, 768)
    page.keyboard.press("Escape")
    tip.wait_hidden(page)
    # an opaque fixed bar with a high z-index (like a theme's bottom navigation), and the
    # link just above it: the card opens below the link, over the bar, and must stay on top
    page.evaluate(
        """() => {
          const bar = document.createElement('div');
          bar.style.cssText = 'position:fixed;left:0;right:0;bottom:0;height:120px;'
            + 'z-index:2147483647;background:#333';
          document.body.append(bar);
          const r = document.getElementById('t-bottom').getBoundingClientRect();
          scrollBy(0, r.top - 600);
        }"""
    )
    page.focus("#t-bottom")
    box, _ = check_placement(page, tip, "#t-bottom", 1024, 768)
    assert box["y"] + box["height"] > 768 - 120, "fixture: the card should overlap the bar"


def test_follows_scroll_and_hides_when_link_leaves(page, open_file, fixtures_dir, tip):
    open_file(fixtures_dir / "index.html")
    page.focus("#before")
    page.keyboard.press("Tab")  # keyboard-shown: survives scrolling
    tip.wait_shown(page)
    gap = """() => document.getElementById('dlglossary-tip').getBoundingClientRect().top
                   - document.getElementById('t-kernel').getBoundingClientRect().bottom"""
    gap0 = page.evaluate(gap)
    top0 = page.evaluate("document.getElementById('dlglossary-tip').getBoundingClientRect().top")
    page.evaluate("window.scrollBy(0, 30)")
    page.wait_for_function(f"() => Math.abs(({gap})() - {gap0}) < 1")
    top1 = page.evaluate("document.getElementById('dlglossary-tip').getBoundingClientRect().top")
    assert abs(top0 - 30 - top1) < 1
    page.evaluate("window.scrollBy(0, 1200)")
    tip.wait_hidden(page, timeout=2000)
    assert tip.described_by(page, "#t-kernel") == []


def test_resize_repositions(page, open_file, fixtures_dir, tip):
    open_file(fixtures_dir / "edges.html")
    page.focus("#top-right")
    tip.wait_shown(page)
    page.set_viewport_size({"width": 500, "height": 600})
    page.wait_for_timeout(150)
    check_placement(page, tip, "#top-right", 500, 600)
    page.dlg_log.assert_clean()
