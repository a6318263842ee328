"""Fixtures for the class tests: one real class (hub + proxy + class service) per module."""

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


def require_class_host():
    """A real class needs root (system accounts), useradd and npm; CI has all three."""
    missing = [why for ok, why in ((os.geteuid() == 0, "root"),
                                   (shutil.which("useradd"), "useradd"),
                                   (shutil.which("npm") or (Path(__file__).parents[2] / "class" /
                                    "node_modules" / ".bin" / "configurable-http-proxy").exists(),
                                    "npm")) if not ok]
    if missing:
        msg = f"a class on JupyterHub needs {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
