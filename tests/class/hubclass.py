"""Test helpers: start a real class (hub + proxy + class service) on loopback and talk to it as
its members do: log in with a password, spawn the server, run code in the server's own kernel.

Shared by the integration test, the browser test and ``benchmarks/class_bench.py``. Everything
it starts is stopped and every account it creates is removed (``ClassUnderTest.close``).
"""

import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable


def require_class_host():
    """A real class needs root (system accounts), useradd and npm; CI has all three."""
    missing = [why for ok, why in ((os.geteuid() == 0, "root"),
                                   (shutil.which("useradd"), "useradd"),
                                   (shutil.which("npm") or (ROOT / "class" /
                                    "node_modules" / ".bin" / "configurable-http-proxy").exists(),
                                    "npm")) if not ok]
    if missing:
        msg = f"a class on JupyterHub needs {', '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


def free_ports(n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


class ClassUnderTest:
    """``bash scripts/class.sh`` equivalent on free loopback ports, in a temporary state folder."""

    def __init__(self, tmp, members, prefix="zt", extra_args=()):
        self.tag = prefix + uuid.uuid4().hex[:4]
        self.members = [(f"{self.tag}{name}", role) for name, role in members]
        # the runtime below it must be reachable by the learners: not under pytest's 0700 tmp
        self.state = Path(f"/tmp/vmotion-class-{self.tag}")
        self.roster = Path(tmp) / "roster.csv"
        with self.roster.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["username", "role", "name"])
            for user, role in self.members:
                w.writerow([user, role, user.title()])
        self.port, hub, api, svc = free_ports(4)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(Path(tmp) / "hub.log", "w")
        self.args = ["--roster", str(self.roster), "--state", str(self.state), "--ip", "127.0.0.1",
                     "--port", str(self.port), "--hub-port", str(hub), "--proxy-api-port",
                     str(api), "--service-port", str(svc), *extra_args]
        self.proc = None

    def user(self, short):
        return f"{self.tag}{short}"

    def start(self, timeout_s=120):
        self.proc = subprocess.Popen([PY, "-m", "vmotion_class.launch", *self.args],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True, cwd=ROOT)
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited: {self.log_tail()}")
            try:
                if requests.get(self.url + "/services/class/api/me", timeout=2).status_code \
                        in (403, 401):
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError(f"the hub did not come up: {self.log_tail()}")
        return self

    def passwords(self):
        path = self.state / "hub" / "initial-passwords.csv"
        return {r["username"]: r["password"] for r in csv.DictReader(path.open())}

    def log_tail(self, n=20):
        self.log.flush()
        return "\n".join(Path(self.log.name).read_text().splitlines()[-n:])

    def close(self):
        """Stop the hub (it stops its servers, service and proxy), then remove the accounts."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        subprocess.run([PY, "-m", "vmotion_class.launch", "--state", str(self.state),
                        "--remove-accounts"], capture_output=True, cwd=ROOT)
        shutil.rmtree(self.state, ignore_errors=True)
        self.log.close()


class Member:
    """One member's browser-less session: cookies, xsrf, an API token, their server."""

    def __init__(self, cls, name, password):
        self.cls, self.name, self.password = cls, name, password
        self.s = requests.Session()
        self.token = None

    def login(self):
        page = self.s.get(self.cls.url + "/hub/login", timeout=10)
        xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
        r = self.s.post(self.cls.url + "/hub/login?next=", data={
            "username": self.name, "password": self.password, "_xsrf": xsrf}, timeout=30,
            allow_redirects=False)
        if r.status_code != 302:
            raise RuntimeError(f"login of {self.name} failed ({r.status_code})")
        return self

    def hub_api(self, method, path, **kw):
        xsrf = self.s.cookies.get("_xsrf", path="/hub/")
        headers = {"X-XSRFToken": xsrf} if xsrf else {}
        return self.s.request(method, self.cls.url + "/hub/api" + path, headers=headers,
                              timeout=60, **kw)

    def make_token(self):
        r = self.hub_api("POST", f"/users/{self.name}/tokens", json={"note": "test"})
        r.raise_for_status()
        self.token = r.json()["token"]
        return self.token

    def auth(self):
        return {"Authorization": f"token {self.token}"}

    def spawn(self, timeout_s=180):
        t0 = time.perf_counter()
        r = requests.post(f"{self.cls.url}/hub/api/users/{self.name}/server",
                          headers=self.auth(), timeout=60)
        if r.status_code not in (201, 202, 400):
            raise RuntimeError(f"spawn {self.name}: {r.status_code} {r.text}")
        deadline = time.time() + timeout_s
        while time.time() < deadline:
            u = requests.get(f"{self.cls.url}/hub/api/users/{self.name}", headers=self.auth(),
                             timeout=30).json()
            srv = u.get("servers", {}).get("", {})
            if srv.get("ready"):
                return time.perf_counter() - t0
            time.sleep(0.3)
        raise RuntimeError(f"server of {self.name} not ready in {timeout_s} s")

    def server(self, path):
        return f"{self.cls.url}/user/{self.name}/api/{path}"

    def notebook(self, rel):
        r = requests.get(self.server(f"contents/{rel}"), headers=self.auth(), timeout=30)
        r.raise_for_status()
        return r.json()["content"]

    def kernel(self):
        return Kernel(self)


class Kernel:
    """A kernel of the member's own server, driven over its websocket like JupyterLab does."""

    def __init__(self, member):
        import websocket
        self.m = member
        r = requests.post(member.server("kernels"), headers=member.auth(), json={"name": "python3"},
                          timeout=60)
        r.raise_for_status()
        self.id = r.json()["id"]
        ws_url = member.server(f"kernels/{self.id}/channels").replace("http://", "ws://")
        self.ws = websocket.create_connection(ws_url, header=[f"Authorization: token "
                                                              f"{member.token}"], timeout=120)

    def run(self, code, timeout_s=120):
        """Execute ``code``; return (text output, error or None, rich outputs)."""
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.m.name,
                       "session": uuid.uuid4().hex, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        out, rich, error, done = [], [], None, False
        deadline = time.time() + timeout_s
        while not done:
            if time.time() > deadline:
                raise TimeoutError(f"{self.m.name}'s kernel did not finish in {timeout_s} s")
            msg = json.loads(self.ws.recv())
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") in ("dead", "restarting"):
                raise RuntimeError(f"{self.m.name}'s kernel died ({content['execution_state']})")
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "stream":
                out.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                rich.append(content["data"])
                out.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                error = f"{content['ename']}: {content['evalue']}"
            elif kind == "status" and content["execution_state"] == "idle":
                done = True
        return "".join(out), error, rich

    def close(self):
        self.ws.close()
        requests.delete(self.m.server(f"kernels/{self.id}"), headers=self.m.auth(), timeout=30)


def code_cells(nb):
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


GOOD = '''import ipaddress
net = ipaddress.ip_network(p["vmotion_subnet"])
for i, host in enumerate((p["host_a"], p["host_b"])):
    if p["mtu"] > 1500:
        lab.env = lab.env.set_switch("vSwitch1", host=host, mtu=p["mtu"])
    lab.env = lab.env.add_vmknic(host, ip=str(net[21 + i]), prefix=net.prefixlen,
                                 port_group="vMotion", services=("vmotion",), mtu=p["mtu"])
'''
PARTIAL = '''import ipaddress
net = ipaddress.ip_network(p["vmotion_subnet"])
lab.env = lab.env.add_vmknic(p["host_a"], ip=str(net[21]), prefix=net.prefixlen,
                             port_group="vMotion", services=("vmotion",), mtu=p["mtu"])
'''


def run_lab01(member, work, submit=True):
    """Run the learner's own lab01 notebook in their server's kernel, with ``work`` in place of
    the exercise cell (None: untouched, the cell as delivered); return lab.submit()'s outputs."""
    nb = member.notebook("labs/lab01.ipynb")
    k = member.kernel()
    try:
        for cell in code_cells(nb):
            if "YOUR CODE HERE" in cell and work is not None:
                cell = work
            if cell.strip().startswith(("saved = lab.save()", "lab.submit()")):
                continue  # hand in through the hub instead (below)
            _, err, _ = k.run(cell)
            if err:
                raise AssertionError(f"lab01 cell failed in {member.name}'s kernel: {err}\n{cell}")
        if not submit:
            return None
        text, err, rich = k.run("result = lab.submit()\nresult")
        assert err is None, err
        return text, rich
    finally:
        k.close()
