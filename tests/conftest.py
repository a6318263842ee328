"""Fixtures shared by every folder of tests: one headless Debian Chromium for the whole session.

Playwright's sync API allows one running instance per process, so the book, JupyterLab and class
browser tests all share this one (never ``playwright install``: it drives ``/usr/bin/chromium``).
"""

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def require_chromium():
    """Skip the test when Debian's Chromium is missing, except in CI, where that is a failure."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: install Debian's chromium (scripts/browser.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Debian Chromium for the whole session (never `playwright install`)."""
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
