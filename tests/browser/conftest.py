"""Headless-Chromium fixtures for the tooltip runtime (``static/dlglossary.js``).

Chromium is found at ``$DLGLOSSARY_CHROMIUM``, ``/usr/bin/chromium``, or ``chromium`` /
``chromium-browser`` / ``google-chrome`` on ``PATH`` and driven through Playwright's sync API
(Playwright's own browser download is not needed). When no browser is found or it fails to
launch, browser tests are *skipped* locally but *fail* when ``CI=true``.

Mark tests with ``@pytest.mark.browser``. Fixtures:

``browser`` (session)
    The launched ``playwright.sync_api.Browser``.
``make_page(**context_options)`` (function)
    Factory: a new isolated context (Playwright ``new_context`` options, e.g.
    ``viewport={"width": 360, "height": 640}``, ``has_touch=True``, ``color_scheme="dark"``,
    ``reduced_motion="reduce"``) and a page in it. Every request whose URL is not ``file:``
    (or ``data:``/``blob:``/``about:``) is aborted and recorded. Returns the ``Page``; its
    :class:`PageLog` is ``page.dlg_log``. Contexts are closed at teardown, and an uncaught
    page error fails the test then (unless ``page.dlg_log.fail_on_page_errors = False``).
``page`` (function)
    ``make_page()`` with a 1024x768 viewport.
``page_log`` (function)
    The :class:`PageLog` of ``page``: ``blocked`` (non-file URLs), ``console_errors``,
    ``page_errors``, ``dialogs``; ``assert_clean()`` asserts all four are empty.
``open_file`` (function)
    ``open_file(path, page=None)``: navigate (default: the ``page`` fixture) to a local file
    (``Path`` or ``str``, optionally with ``#fragment``) and wait for ``load``; returns the page.
``fixtures_dir``
    ``tests/browser/fixtures``: hand-written static site (``index.html``, ``edges.html``,
    ``dark.html``, ``sub/nested.html``, ``_static/dlglossary-terms.js``) loading the runtime
    from ``sphinxcontrib_dlglossary/static`` by relative path.
``tip``
    :class:`Tip` helpers for the card: ``tip.card(page)`` locator of ``[role=tooltip]``,
    ``tip.hover(page, sel)`` (moves the mouse to the link centre), ``tip.box(page, sel)``,
    ``tip.wait_shown(page)`` / ``tip.wait_hidden(page)``, ``tip.described_by(page, sel)``.

A Sphinx-built site works the same way: ``open_file(outdir / "index.html")``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
CARD = '[role="tooltip"]'


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def find_chromium() -> str | None:
    """Path of a Chromium-like browser, or None."""
    env = os.environ.get("DLGLOSSARY_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageLog:
    """What a page did that a test may want to forbid."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    #: set to False in a test that expects uncaught errors (checked at teardown otherwise)
    fail_on_page_errors: bool = True

    def assert_clean(self) -> None:
        assert self.blocked == [], f"requests left file://: {self.blocked}"
        assert self.page_errors == [], f"uncaught page errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.dialogs == [], f"dialogs opened: {self.dialogs}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    exe = find_chromium()
    if not exe:
        _unavailable("no Chromium found (set DLGLOSSARY_CHROMIUM, or: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        _unavailable(f"playwright is not installed: {exc}")
    pw = sync_playwright().start()
    try:
        brw = pw.chromium.launch(executable_path=exe, headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:
        pw.stop()
        _unavailable(f"Chromium at {exe} failed to launch: {exc}")
    try:
        yield brw
    finally:
        brw.close()
        pw.stop()


@pytest.fixture
def make_page(browser: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []
    pages: list[Any] = []

    def factory(**options: Any) -> Any:
        options.setdefault("viewport", {"width": 1024, "height": 768})
        ctx = browser.new_context(**options)
        contexts.append(ctx)
        log = PageLog()

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(LOCAL_SCHEMES):
                r.continue_()
            else:
                log.blocked.append(url)
                r.abort()

        ctx.route("**/*", route)
        pg = ctx.new_page()

        def on_console(m: Any) -> None:
            if m.type == "error":
                log.console_errors.append(m.text)

        pg.on("console", on_console)
        pg.on("pageerror", lambda e: log.page_errors.append(str(e)))

        def on_dialog(d: Any) -> None:
            log.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        pg.on("dialog", on_dialog)
        pg.dlg_log = log
        pages.append(pg)
        return pg

    yield factory
    errors = [e for p in pages if p.dlg_log.fail_on_page_errors for e in p.dlg_log.page_errors]
    for ctx in contexts:
        ctx.close()
    assert not errors, f"uncaught page errors: {errors}"


@pytest.fixture
def page(make_page: Callable[..., Any]) -> Any:
    return make_page()


@pytest.fixture
def page_log(page: Any) -> PageLog:
    log: PageLog = page.dlg_log
    return log


@pytest.fixture
def open_file(page: Any) -> Callable[..., Any]:
    def _open(path: str | Path, pg: Any = None) -> Any:
        pg = pg or page
        text = str(path)
        frag = ""
        if "#" in text:
            text, frag = text.split("#", 1)
            frag = "#" + frag
        pg.goto(Path(text).resolve().as_uri() + frag, wait_until="load")
        return pg

    return _open


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


class Tip:
    """Small helpers around the tooltip card."""

    selector = CARD

    def card(self, page: Any) -> Any:
        return page.locator(CARD)

    def box(self, page: Any, selector: str) -> dict[str, float]:
        box = page.locator(selector).bounding_box()
        assert box is not None, f"{selector} has no box"
        return box

    def hover(self, page: Any, selector: str) -> None:
        """Move the mouse to the centre of the link's first line box (wrapped links too)."""
        r = page.locator(selector).evaluate(
            "e => { const r = e.getClientRects()[0];"
            " return [r.x + r.width / 2, r.y + r.height / 2]; }"
        )
        page.mouse.move(r[0], r[1], steps=2)

    def wait_shown(self, page: Any, timeout: float = 3000) -> Any:
        card = self.card(page)
        card.wait_for(state="visible", timeout=timeout)
        return card

    def wait_hidden(self, page: Any, timeout: float = 3000) -> None:
        page.wait_for_function(
            """sel => { const c = document.querySelector(sel);
                       return !c || !c.checkVisibility(); }""",
            arg=CARD,
            timeout=timeout,
        )

    def visible(self, page: Any) -> bool:
        return bool(
            page.evaluate(
                "s => { const c = document.querySelector(s); return !!c && c.checkVisibility(); }",
                CARD,
            )
        )

    def described_by(self, page: Any, selector: str) -> list[str]:
        value = page.locator(selector).get_attribute("aria-describedby") or ""
        return value.split()


@pytest.fixture(scope="session")
def tip() -> Tip:
    return Tip()
