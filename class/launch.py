"""Start a class: ``bash scripts/class.sh --roster roster.csv`` runs ``python -m vmotion_class.launch``.

On every start: check the roster, create missing system accounts, make the state folder and the
secrets (first start only), install the proxy (``npm ci`` from ``class/package-lock.json``), build
the learner runtime and learner edition (first start, or ``--update-course``), prove that a
learner account can run it, then hand over to JupyterHub. Usage errors print one ``error:`` line
and exit 2.

State folder (``--state``, default ``/var/lib/vmotion-class``)::

    hub/        root only (0700): hub database, cookie secret, secrets.json, initial passwords,
                roster.json, settings.json, accounts.json
    service/    root only (0700): the class database (SQLite) and submissions being graded
    runtime/    readable by all (0755): learner Python environment and learner edition
"""

import argparse
import csv
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from vmotion_core.errors import UsageError

from .accounts import ensure_accounts, remove_accounts
from .edition import build_edition
from .roster import read_roster
from .runtime import REPO, _world_reachable, build_runtime, check_reachable, runtime_env, runtime_python

__all__ = ["main", "prepare"]

_HERE = Path(__file__).resolve().parent
DEFAULT_STATE = "/var/lib/vmotion-class"
MESSAGES = {
    "root": ("the class must be started as root: it creates one system account per learner and "
             "starts each learner's server as that account (try: sudo bash scripts/class.sh ...)"),
    "npm": "npm is needed to install the hub's proxy (configurable-http-proxy); install Node.js 18+",
    "port": "--{flag}: must be a port number between 1 and 65535, got {value}",
    "ports": "--port, --hub-port, --proxy-api-port and --service-port must all differ",
    "ssl": "--ssl-cert and --ssl-key go together, and both files must exist",
    "graders": "--graders: must be between 1 and 64, got {value}",
    "open_repo": ("warning: learner accounts can read this repository ({repo}), which holds the lab "
                  "solutions and hidden checks; close it with: chmod o-rwx {repo}"),
    "ready": ("class ready: {n_learners} learner(s), {n_instructors} instructor(s); hub at "
              "{scheme}://{host}:{port}/ ; initial passwords in {passwords} (hand each member "
              "their line); dashboard at /services/class/dashboard"),
}


def _state_dirs(state):
    state = Path(state)
    for sub, mode in (("hub", 0o700), ("service", 0o700), ("runtime", 0o755)):
        (state / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(state / sub, mode)
    os.chmod(state, 0o755)
    return state


def _private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def _secrets(hub):
    """Generated on first start, kept in ``hub/secrets.json`` (0600); never in the repository."""
    path = hub / "secrets.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        data = {}
    for key in ("course_secret", "proxy_token"):
        # hex: a key starting with '-' would read as a flag in 'vmotion-grade --course KEY'
        data.setdefault(key, secrets.token_hex(32))
    _private(path, json.dumps(data, indent=1))
    return data


def _passwords(hub, members):
    """Initial passwords for members who have none yet (the authenticator seeds them)."""
    path = hub / "initial-passwords.csv"
    known = {}
    if path.exists():
        known = {r["username"]: r["password"] for r in csv.DictReader(path.open(encoding="utf-8"))}
    for m in members:
        known.setdefault(m.username, secrets.token_urlsafe(9))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["username", "password"])
    w.writerows(sorted(known.items()))
    _private(path, buf.getvalue())
    return path


def _proxy():
    exe = _HERE / "node_modules" / ".bin" / "configurable-http-proxy"
    if not exe.exists():
        if not shutil.which("npm"):
            raise UsageError(MESSAGES["npm"])
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=_HERE,
                       check=True)
    return exe


def _check_args(a):
    ports = {"port": a.port, "hub-port": a.hub_port, "proxy-api-port": a.proxy_api_port,
             "service-port": a.service_port}
    for flag, value in ports.items():
        if not 0 < value < 65536:
            raise UsageError(MESSAGES["port"].format(flag=flag, value=value))
    if len(set(ports.values())) != len(ports):
        raise UsageError(MESSAGES["ports"])
    if bool(a.ssl_cert) != bool(a.ssl_key) or (a.ssl_cert and not (
            Path(a.ssl_cert).is_file() and Path(a.ssl_key).is_file())):
        raise UsageError(MESSAGES["ssl"])
    if not 1 <= a.graders <= 64:
        raise UsageError(MESSAGES["graders"].format(value=a.graders))


def prepare(a):
    """Everything before the hub starts; return ``(settings path, settings dict)``."""
    _check_args(a)
    if os.geteuid() != 0:
        raise UsageError(MESSAGES["root"])
    members = read_roster(a.roster)
    state = _state_dirs(a.state)
    hub, runtime = state / "hub", state / "runtime"
    keys = _secrets(hub)
    passwords = _passwords(hub, members)
    (hub / "roster.json").write_text(json.dumps([m.__dict__ for m in members], indent=1), "utf-8")
    ensure_accounts(members, state)
    proxy = _proxy()
    if a.update_course or not runtime_python(runtime).exists():
        print("== building the learner runtime and learner edition", file=sys.stderr, flush=True)
        build_runtime(runtime)
    if a.update_course or not (runtime / "edition").exists():
        build_edition(runtime / "edition")
    probe = next((m.username for m in members if not m.is_instructor), members[0].username)
    check_reachable(runtime, probe)
    if _world_reachable(next(REPO.glob("labs/lab*/solution.py"), REPO / "labs")):
        print(MESSAGES["open_repo"].format(repo=REPO), file=sys.stderr)
    settings = {
        "roster": [m.__dict__ for m in members], "ip": a.ip, "port": a.port,
        "hub_port": a.hub_port, "proxy_api_port": a.proxy_api_port,
        "service_port": a.service_port, "proxy": str(proxy), "hub_dir": str(hub),
        "runtime_dir": str(runtime), "service_dir": str(state / "service"),
        "db_url": a.db_url or f"sqlite:///{state / 'service' / 'class.sqlite'}",
        "course_secret": keys["course_secret"], "graders": a.graders,
        "runtime_python": str(runtime_python(runtime)), "runtime_env": runtime_env(runtime),
        "start_timeout_s": a.start_timeout, "ssl_cert": a.ssl_cert, "ssl_key": a.ssl_key,
    }
    path = hub / "settings.json"
    _private(path, json.dumps(settings, indent=1))
    print(MESSAGES["ready"].format(
        n_learners=sum(not m.is_instructor for m in members),
        n_instructors=sum(m.is_instructor for m in members), scheme="https" if a.ssl_cert
        else "http", host=a.ip, port=a.port, passwords=passwords), file=sys.stderr, flush=True)
    return path, settings


def hub_command(settings_path, state):
    """The JupyterHub command line and environment for a prepared class."""
    keys = json.loads((Path(state) / "hub" / "secrets.json").read_text("utf-8"))
    env = {**os.environ, "VMOTION_CLASS_SETTINGS": str(settings_path),
           "CONFIGPROXY_AUTH_TOKEN": keys["proxy_token"]}
    cmd = [str(Path(sys.executable).parent / "jupyterhub"), "-f",
           str(_HERE / "jupyterhub_config.py")]
    return cmd, env


class _Parser(argparse.ArgumentParser):
    """A bad flag is one ``error: ...`` line (exit 2), as everywhere in the project."""

    def error(self, message):
        raise UsageError(message)


def build_parser():
    p = _Parser(prog="bash scripts/class.sh",
                                description="Run a class of the vMotion Workshop on JupyterHub.")
    p.add_argument("--roster", help="CSV with username,role[,name] (role: learner|instructor)")
    p.add_argument("--state", default=DEFAULT_STATE, help=f"state folder ({DEFAULT_STATE})")
    p.add_argument("--ip", default="127.0.0.1",
                   help="address the hub listens on (127.0.0.1; 0.0.0.0 for the classroom)")
    p.add_argument("--port", type=int, default=8000, help="public port (8000)")
    p.add_argument("--hub-port", type=int, default=8081, help="internal hub port (8081)")
    p.add_argument("--proxy-api-port", type=int, default=8001, help="proxy API port (8001)")
    p.add_argument("--service-port", type=int, default=10101, help="class service port (10101)")
    p.add_argument("--db-url", help="SQLAlchemy URL of the class database (default: SQLite in "
                                    "STATE/service)")
    p.add_argument("--graders", type=int, default=2, help="submissions graded at once (2)")
    p.add_argument("--start-timeout", type=int, default=120, help="seconds a server may take")
    p.add_argument("--ssl-cert", help="TLS certificate (with --ssl-key) for a classroom network")
    p.add_argument("--ssl-key", help="TLS key")
    p.add_argument("--update-course", action="store_true",
                   help="rebuild the learner edition and runtime (push a course update)")
    p.add_argument("--prepare-only", action="store_true", help="prepare, do not start the hub")
    p.add_argument("--remove-accounts", action="store_true",
                   help="delete the system accounts this class created, then exit")
    return p


def main(argv=None):
    try:
        a = build_parser().parse_args(argv)
        if a.remove_accounts:
            gone = remove_accounts(a.state)
            print(f"removed {len(gone)} account(s): {', '.join(gone) or 'none'}", file=sys.stderr)
            return 0
        if not a.roster:
            raise UsageError("--roster: give the class roster (CSV username,role[,name])")
        settings_path, _ = prepare(a)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"error: {' '.join(map(str, exc.cmd[:3]))} failed (exit {exc.returncode})",
              file=sys.stderr)
        return 1
    if a.prepare_only:
        return 0
    cmd, env = hub_command(settings_path, a.state)
    os.chdir(Path(a.state) / "hub")
    os.execve(cmd[0], cmd, env)


if __name__ == "__main__":
    sys.exit(main())
