"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

`./dev test` installs chromium and fonts-wqy-microhei when they are missing and it can; where
Chromium still cannot start, these tests skip with the reason instead of failing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",  # root in a container has no user namespace for the sandbox
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium "
            "fonts-wqy-microhei (./dev test does this when run as root)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need the playwright package: ./dev install")
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # setup is synchronous code and safe here, so let Django allow it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        except Exception as exc:  # a broken install must not fail the suite: say why and skip
            pytest.skip(f"Chromium at {CHROMIUM} did not start: {exc}".splitlines()[0])
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def shoot(page):
    """Save a full-page screenshot at 1280 px and at 375 px wide (a small phone)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> None:
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

    return take


@pytest.fixture(autouse=True)
def empty_cache():
    """Timeline counts are cached by row count and newest id; ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
