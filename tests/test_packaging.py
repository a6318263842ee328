"""Packaging smoke test: the wheel, installed on its own, has the compiled kernel and its data.

Builds a wheel from a copy of the package sources (``pip wheel --no-deps``; build isolation
fetches setuptools/Cython/NumPy from the configured package index), installs it with
``pip install --no-deps --target`` and imports it in a subprocess that runs from another folder,
so the checkout (and the editable install of the dev venv) cannot stand in for missing files.
The subprocess loads every built-in scenario, opens every lab and runs ``vmotion scenario list``;
a scenario, lab file or notebook left out of ``[tool.setuptools.package-data]`` fails here.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "_kernel.c", ".ipynb_checkpoints",
                               "build", "*.egg-info")
_NOT_DATA = {".py", ".pyc", ".so", ".c"}

# Runs inside the installed wheel; prints one JSON line for the test to judge.
_SMOKE = textwrap.dedent("""
    import io, json, sys
    from contextlib import redirect_stdout
    from pathlib import Path

    import vmotion_core, vmotion_labs
    from vmotion_core.cli import main
    from vmotion_core.inventory import list_scenarios, load_scenario
    from vmotion_labs import Lab, lab_ids

    scenarios = [name for name, _story in list_scenarios()]
    loaded = [load_scenario(name).name for name in scenarios]
    labs = {lab_id: len(Lab.open(lab_id, learner="smoke").tasks) for lab_id in lab_ids()}
    out = io.StringIO()
    with redirect_stdout(out):
        rc = main(["scenario", "list"])
    print(json.dumps({"files": [vmotion_core.__file__, vmotion_labs.__file__],
                      "backend": vmotion_core.BACKEND, "scenarios": scenarios, "loaded": loaded,
                      "labs": labs, "rc": rc, "listing": out.getvalue()}))
""")


def _data_files(folder, package):
    """Non-code files below ``folder``, as paths inside the installed ``package``."""
    return {package + "/" + p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and p.suffix not in _NOT_DATA and "__pycache__" not in p.parts
            and ".ipynb_checkpoints" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel from a copy of the sources and install it into a bare folder."""
    tmp = tmp_path_factory.mktemp("packaging")
    src = tmp / "src"
    src.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("vmotion_core", "labs"):
        shutil.copytree(ROOT / name, src / name, ignore=_JUNK)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["wheel", "--no-deps", "-w", str(tmp / "dist"), str(src)], check=True,
                   cwd=tmp, capture_output=True)
    wheel, = (tmp / "dist").glob("vmotion_workshop-*.whl")
    site = tmp / "site"
    subprocess.run(pip + ["install", "--no-deps", "--target", str(site), str(wheel)], check=True,
                   cwd=tmp, capture_output=True)
    return src, site


def test_wheel_ships_every_data_file(installed):
    src, site = installed
    expected = _data_files(src / "vmotion_core", "vmotion_core") | _data_files(src / "labs",
                                                                               "vmotion_labs")
    shipped = _data_files(site / "vmotion_core", "vmotion_core") | _data_files(
        site / "vmotion_labs", "vmotion_labs")
    assert any(f.endswith(".yaml") for f in expected) and any(f.endswith(".ipynb")
                                                               for f in expected)
    assert sorted(expected - shipped) == []


def test_installed_wheel_runs_without_the_checkout(installed):
    src, site = installed
    run_dir = site.parent / "elsewhere"
    run_dir.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if k not in ("VMOTION_PURE_PYTHON", "PYTHONPATH", "PYTHONSAFEPATH")}
    env["PYTHONPATH"] = str(site)
    proc = subprocess.run([sys.executable, "-c", _SMOKE], cwd=run_dir, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    for module_file in got["files"]:  # imported from the wheel, not from the checkout
        assert Path(module_file).resolve().is_relative_to(site.resolve()), module_file
    assert got["backend"] == "cython"  # the wheel compiled the pre-copy kernel
    builtin = sorted(p.stem for p in (src / "vmotion_core/inventory/scenarios").glob("*.yaml"))
    assert got["scenarios"] == builtin and len(builtin) >= 8
    assert got["loaded"] == builtin
    labs = sorted(p.name.split("_")[0] for p in (src / "labs").glob("lab[0-9][0-9]_*")
                  if p.is_dir())
    assert sorted(got["labs"]) == labs and all(n > 0 for n in got["labs"].values())
    assert got["rc"] == 0 and all(name in got["listing"] for name in builtin)
