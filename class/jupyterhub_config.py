"""JupyterHub configuration of a class (read by ``jupyterhub -f``; written settings come from
``vmotion_class.launch`` through ``$VMOTION_CLASS_SETTINGS``).

- LocalProcessSpawner: every learner's server runs as their own system account, in the learner
  runtime (:mod:`vmotion_class.runtime`), with the learner edition in ``~/vmotion-workshop``
  (copied before each start, never overwriting: :mod:`vmotion_class.edition`).
- ClassAuthenticator (NativeAuthenticator, roster pre-authorised, sign-up off).
- Groups ``instructors`` (admin) and ``learners``; the class service as a managed service with
  OAuth; the servers' hub tokens may reach the class service (``lab.submit()``).
"""

import json
import os
import pwd
import sys
from pathlib import Path

from vmotion_class.edition import provision_home

s = json.loads(Path(os.environ["VMOTION_CLASS_SETTINGS"]).read_text("utf-8"))
hub, runtime = Path(s["hub_dir"]), Path(s["runtime_dir"])
instructors = [m["username"] for m in s["roster"] if m["role"] == "instructor"]
learners = [m["username"] for m in s["roster"] if m["role"] == "learner"]
service_url = f"http://127.0.0.1:{s['service_port']}"

c = get_config()  # noqa: F821 (provided by JupyterHub)
c.JupyterHub.ip = s["ip"]
c.JupyterHub.port = s["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = s["hub_port"]
c.ConfigurableHTTPProxy.command = [s["proxy"]]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s['proxy_api_port']}"
c.ConfigurableHTTPProxy.pid_file = str(hub / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{hub / 'jupyterhub.sqlite'}"
c.JupyterHub.upgrade_db = True  # a newer JupyterHub migrates the hub database (SQLite: backup first)
c.JupyterHub.cookie_secret_file = str(hub / "jupyterhub_cookie_secret")  # made on first start
c.JupyterHub.pid_file = str(hub / "jupyterhub.pid")
if s.get("ssl_cert"):
    c.JupyterHub.ssl_cert, c.JupyterHub.ssl_key = s["ssl_cert"], s["ssl_key"]

c.JupyterHub.authenticator_class = "vmotion_class.hubauth.ClassAuthenticator"
c.ClassAuthenticator.passwords_file = str(hub / "initial-passwords.csv")
c.NativeAuthenticator.enable_signup = False
c.Authenticator.allowed_users = set(instructors + learners)
c.Authenticator.admin_users = set(instructors)
c.JupyterHub.load_groups = {"instructors": {"users": instructors},
                            "learners": {"users": learners}}
c.JupyterHub.load_roles = [
    {"name": "class-learner", "groups": ["learners"],
     "scopes": ["self", "access:services!service=class"]},
    {"name": "class-instructor", "groups": ["instructors"],
     "scopes": ["admin-ui", "admin:users", "admin:servers", "access:servers",
                "access:services", "read:groups", "list:users"]},
]
# the server's own hub token: the usual scopes plus reaching the class service (lab.submit())
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server",
                                 "access:services!service=class"]

c.JupyterHub.services = [{
    "name": "class",
    "url": service_url,
    "command": [sys.executable, "-m", "vmotion_class.service"],
    "oauth_no_confirm": True,
    "display": True,
    "environment": {"VMOTION_CLASS_DB": s["db_url"], "VMOTION_CLASS_STATE": s["service_dir"],
                    "VMOTION_CLASS_ROSTER": str(hub / "roster.json"),
                    "VMOTION_COURSE": s["course_secret"],
                    "VMOTION_CLASS_WORKERS": str(s["graders"]),
                    "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
}]

c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
c.Spawner.cmd = [s["runtime_python"], "-m", "jupyterhub.singleuser"]
c.Spawner.notebook_dir = "~/vmotion-workshop"
c.Spawner.default_url = "/lab/tree/README.md"
c.Spawner.start_timeout = s["start_timeout_s"]
c.Spawner.http_timeout = s["start_timeout_s"]
c.Spawner.environment = {"VMOTION_CLASS_URL": service_url + "/services/class/",
                         "VMOTION_COURSE": s["course_secret"],
                         **s["runtime_env"]}
c.JupyterHub.shutdown_on_logout = False
c.JupyterHub.cleanup_servers = True


def _provision(spawner):
    """Copy what the learner lacks of the learner edition into their home (never overwriting)."""
    entry = pwd.getpwnam(spawner.user.name)
    added, updates = provision_home(runtime / "edition", entry.pw_dir, spawner.user.name,
                                    entry.pw_uid, entry.pw_gid)
    if added or updates:
        spawner.log.info("class edition for %s: %d file(s) added, %d update(s) placed next to "
                         "their files", spawner.user.name, len(added), len(updates))


c.Spawner.pre_spawn_hook = _provision
