"""Fixtures for real-browser tests: a throw-away JupyterLab server and Debian Chromium.

Never runs ``playwright install``: Playwright drives ``/usr/bin/chromium``. Notebooks are copied
into a temporary root so that JupyterLab's autosave can never write outputs into the repository.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory) -> Path:
    """A temporary JupyterLab root holding copies of the notebooks the tests open."""
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copy(Path(__file__).with_name("widgets_demo.ipynb"), root / "widgets_demo.ipynb")
    tour = ROOT / "course" / "appendix-visual-tour.ipynb"
    if tour.exists():
        shutil.copy(tour, root / tour.name)
    return root


@pytest.fixture(scope="session")
def jupyter_lab(lab_root, tmp_path_factory, chromium_browser):
    """Start JupyterLab (token-less, localhost, --allow-root); yield its base URL.
    (Asks for the browser first, so a missing Chromium skips, or fails in CI, before the start.)"""
    port = _free_port()
    cfg = tmp_path_factory.mktemp("jupyter-config")
    settings = cfg / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # no news toast, no update check: the page must not try to reach the network
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}')
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(cfg), JUPYTERLAB_SETTINGS_DIR=str(cfg / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(cfg / "workspaces"))
    env.pop("MPLBACKEND", None)  # let ipykernel pick its inline backend
    log = open(cfg / "lab.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=",
         "--allow-root", f"--ServerApp.root_dir={lab_root}"],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(url + "/api/status", timeout=2).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n"
                                       + (cfg / "lab.log").read_text(errors="replace")[-3000:])
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser(chromium_browser, jupyter_lab):
    return chromium_browser


@pytest.fixture
def lab_page(browser, jupyter_lab):
    """A fresh page that refuses every request leaving the local JupyterLab server."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    external: list[str] = []

    def _route(route):
        url = route.request.url
        if url.startswith((jupyter_lab, "data:", "blob:", "ws://127.0.0.1")):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    page.route("**/*", _route)
    page.external_requests = external
    yield page
    page.close()
