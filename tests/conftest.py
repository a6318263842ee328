"""Shared by every folder of tests: the pre-copy backend this run is on, and one headless Debian
Chromium for the whole session.

The backend is chosen the way the library chooses it, by environment (``_backend.py``):
``VMOTION_PURE_PYTHON=1`` runs the NumPy twin, ``VMOTION_REQUIRE_COMPILED=1`` the compiled kernel or
an error. ``scripts/test.sh`` runs the whole non-browser suite once with each; the header of every
run (also with ``-q``) names the backend, and :func:`expected_backend` is what the run asked for,
worked out independently of the library so a test can check the library honoured it.

Playwright's sync API allows one running instance per process, so the book, JupyterLab and class
browser tests all share this one (never ``playwright install``: it drives ``/usr/bin/chromium``).
"""

import importlib.util
import os

import pytest


def _flag(name):
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def expected_backend():
    """The backend this run asked for: the twin with VMOTION_PURE_PYTHON, the compiled kernel with
    VMOTION_REQUIRE_COMPILED or whenever it is built, else the twin."""
    if _flag("VMOTION_PURE_PYTHON"):
        return "python"
    if _flag("VMOTION_REQUIRE_COMPILED"):
        return "cython"
    return "cython" if importlib.util.find_spec("vmotion_core.precopy._kernel") else "python"


def _backend_line():
    why = ("VMOTION_PURE_PYTHON=1" if _flag("VMOTION_PURE_PYTHON") else
           "VMOTION_REQUIRE_COMPILED=1" if _flag("VMOTION_REQUIRE_COMPILED") else
           "default: compiled if built")
    try:
        from vmotion_core.precopy import BACKEND
    except Exception as exc:  # noqa: BLE001 - the header must say why, the tests then fail
        return f"vmotion pre-copy backend: none ({exc})"
    kind = {"cython": "compiled Cython kernel", "python": "NumPy twin"}[BACKEND]
    return f"vmotion pre-copy backend: {BACKEND} ({kind}; {why})"


def pytest_report_header(config):
    return _backend_line()


def pytest_sessionstart(session):
    """With ``-q`` pytest shows no header: print the backend line anyway."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and session.config.get_verbosity() < 0:
        reporter.write_line(_backend_line())


@pytest.fixture(scope="session", name="expected_backend")
def expected_backend_fixture():
    """Name of the backend this run asked for (see :func:`expected_backend`)."""
    return expected_backend()

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
