"""The Python environment learner servers run in, built where learner accounts can reach it.

The hub runs as root from the repository's ``.venv``; learner servers run as the learners, who
must not read the repository (it holds the lab solutions and hidden checks) and often cannot
(a clone under ``/root``). :func:`build_runtime` puts a copy of what a server needs under the
class's state folder:

- a Python interpreter the learners can execute: a venv on the base interpreter when every learner
  can reach it, otherwise a copy of the interpreter's prefix (hard links where possible);
- the ``.venv``'s third-party packages and Jupyter data (JupyterLab, widgets, the MyST renderer);
- ``vmotion_core`` (with the compiled kernel) and the **student edition** of ``vmotion_labs``
  (no ``solution.py``/``hidden.py``).

:func:`check_reachable` then proves it by importing everything as a learner account.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from vmotion_core.errors import UsageError

__all__ = ["build_runtime", "runtime_python", "runtime_env", "check_reachable", "REPO"]

REPO = Path(__file__).resolve().parent.parent
_SKIP_SITE = ("__editable__", "vmotion_workshop", "_vmotion_workshop", "vmotion_core",
              "vmotion_labs", "vmotion_class")
_PYVER = f"python{sys.version_info.major}.{sys.version_info.minor}"


def _world_reachable(path):
    """True if every folder above ``path`` is searchable and ``path`` readable by others."""
    path = Path(path).resolve()
    return all(os.stat(parent).st_mode & 0o001 for parent in path.parents) \
        and bool(os.stat(path).st_mode & 0o004)


def _link(src, dst):
    """Hard link when on one file system (fast, no extra disk), else copy; later wins."""
    if os.path.lexists(dst):
        os.unlink(dst)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _copytree(src, dst, ignore=None):
    shutil.copytree(src, dst, symlinks=True, ignore=ignore, copy_function=_link,
                    dirs_exist_ok=True)


def runtime_python(runtime):
    return Path(runtime) / "env" / "bin" / "python3"


def runtime_env(runtime):
    """Environment variables a learner server needs to start the runtime's interpreter."""
    lib = Path(runtime) / "env" / "lib"
    return {"LD_LIBRARY_PATH": str(lib)} if (lib / "libpython3.so").exists() or \
        any(lib.glob("libpython3*.so*")) else {}


def build_runtime(runtime, venv=REPO / ".venv"):
    """(Re)build ``runtime/env`` from ``venv``; return the path of its ``python3``."""
    runtime, venv = Path(runtime), Path(venv)
    env = runtime / "env"
    if env.exists():
        shutil.rmtree(env)
    runtime.mkdir(parents=True, exist_ok=True)
    os.chmod(runtime, 0o755)
    base = Path(sys.base_prefix)
    base_exe = Path(getattr(sys, "_base_executable", sys.executable)).resolve()
    stdlib = Path(sysconfig.get_paths(vars={"installed_base": str(base),
                                            "base": str(base)})["stdlib"])
    if _world_reachable(base_exe) and _world_reachable(stdlib / "os.py"):
        subprocess.run([str(base_exe), "-m", "venv", "--without-pip", str(env)], check=True)
    else:  # the interpreter lives where learners cannot go (pyenv under /root): copy it
        _copytree(base, env, ignore=shutil.ignore_patterns("__pycache__", "test", "tests",
                                                            "idle_test", "site-packages"))
        if not (env / "bin" / "python3").exists():
            os.symlink(base_exe.name, env / "bin" / "python3")
    site = env / "lib" / _PYVER / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    src_site = venv / "lib" / _PYVER / "site-packages"
    _copytree(src_site, site, ignore=lambda d, names: [
        n for n in names if n == "__pycache__" or (Path(d) == src_site and n.startswith(_SKIP_SITE))])
    for data in ("share", "etc"):
        if (venv / data).is_dir():
            _copytree(venv / data, env / data)
    # no news or update checks from learner servers: a classroom may have no internet at all
    overrides = env / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps({"@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false", "checkForUpdates": False}}), "utf-8")
    shutil.copytree(REPO / "vmotion_core", site / "vmotion_core", dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.c", "*.pyx"))
    from vmotion_labs.grading.studentize import build_student_edition
    build_student_edition(site)
    _open_up(runtime)
    return runtime_python(runtime)


def _open_up(root):
    """Read (and search) for everyone, write for root only: learners run it, never change it."""
    for dirpath, dirnames, filenames in os.walk(root):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            p = os.path.join(dirpath, name)
            if not os.path.islink(p):
                mode = os.stat(p).st_mode
                os.chmod(p, 0o755 if mode & 0o100 else 0o644)


_PROBE = ("import jupyterhub.singleuser, jupyterlab, ipykernel, ipywidgets, vmotion_core, "
          "vmotion_labs, importlib.util as u; from vmotion_labs.grading.lab import lab_spec; "
          "lab_spec('lab01'); "
          "assert u.find_spec('vmotion_labs.lab01_vmotion_network.solution') is None, 'solutions'")


def check_reachable(runtime, account):
    """Import what a server needs as ``account``; ``UsageError`` says what failed."""
    import pwd
    entry = pwd.getpwnam(account)
    blocked = next((d for d in Path(runtime).resolve().parents
                    if not os.stat(d).st_mode & 0o001), None)
    if blocked is not None:
        raise UsageError(f"--state: learner accounts cannot reach {runtime}: {blocked} is closed "
                         f"to other users; give a --state folder below folders everyone may "
                         f"enter (the default /var/lib/vmotion-class is)")
    env = {"PATH": "/usr/bin:/bin", "HOME": entry.pw_dir, **runtime_env(runtime)}
    proc = subprocess.run([str(runtime_python(runtime)), "-c", _PROBE], capture_output=True,
                          text=True, env=env, cwd="/", user=entry.pw_uid, group=entry.pw_gid,
                          extra_groups=[])
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise UsageError(f"the learner runtime in {runtime} does not work for account "
                         f"{account!r}: {tail}")
