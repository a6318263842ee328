"""The class service: a JupyterHub managed service at ``/services/class/``.

Learner servers post submissions with their hub token (``lab.submit()``); browsers reach the
pages through the hub's OAuth. The hub says who the caller is (``HubOAuthenticated``); the roster
says who is an instructor. Every submission is kept and graded at once (through the one adapter,
``vmotion_labs.grading.submit.grade_file``); the answer is the learner's feedback.

Routes (below the service prefix)::

    POST api/submissions             a learner's submission -> feedback (learner = hub user)
    GET  api/me                      the caller's own submissions and feedback
    GET  /                           the caller's own submissions (page); instructors: dashboard
    GET  dashboard                   instructor dashboard (page)
    GET  api/class                   instructors: grid, distributions, failing checks, deadlines
    GET  api/learners/NAME           instructors: one learner's history with full feedback
    GET  api/labs/LAB/grades.csv     instructors: CSV in vmotion-grade's format
    PUT  api/labs/LAB/deadline       instructors: {"due_at": "2026-12-03T17:00:00Z" | null}

Settings come from the environment (the hub config sets them): ``VMOTION_CLASS_DB`` (SQLAlchemy
URL), ``VMOTION_CLASS_STATE`` (folder), ``VMOTION_CLASS_ROSTER`` (roster JSON),
``VMOTION_CLASS_MAX_BYTES`` (default 1 MiB), ``VMOTION_CLASS_WORKERS`` (graders at once, 2),
``VMOTION_CLASS_TIMEOUT_S`` (per submission, 60).
"""

import asyncio
import datetime
import html
import json
import os
import secrets
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from tornado import ioloop, web

from vmotion_labs.grading.lab import lab_ids, lab_spec
from vmotion_labs.grading.submit import grade_file

from .dashboard import class_overview, csv_export, learner_detail
from .feedback import learner_view
from .store import Store, utcnow

MESSAGES = {
    "too_big": ("the submission is {size} bytes; the class accepts at most {limit} bytes (a lab "
                "state is a few kB: submit with lab.submit(), not a hand-made file)"),
    "not_json": "the submission is not JSON ({err})",
    "not_object": "the submission must be a JSON object with 'lab' and 'submission'",
    "lab": "field 'lab': {value!r} is not a lab of this course (known: {known})",
    "doc": "field 'submission': must be the JSON object lab.save() writes",
    "not_member": "{user!r} is not on this class's roster",
    "instructors_only": "this page is for the class's instructors",
    "no_learner": "{name!r} is not a learner of this class",
    "due": "field 'due_at': give a time like 2026-12-03T17:00:00Z, or null for no deadline",
    "login": "sign in through the hub",
    "own_title": "Your submissions, {name}",
    "own_item": "{lab} #{id} ({at} UTC)",
    "own_none": "No submissions yet.",
}


def _settings():
    e = os.environ
    state = Path(e.get("VMOTION_CLASS_STATE", tempfile.gettempdir()))
    return {"db": e.get("VMOTION_CLASS_DB", f"sqlite:///{state / 'class.sqlite'}"),
            "state": state, "roster": e.get("VMOTION_CLASS_ROSTER"),
            "max_bytes": int(e.get("VMOTION_CLASS_MAX_BYTES", 2**20)),
            "workers": int(e.get("VMOTION_CLASS_WORKERS", 2)),
            "timeout_s": float(e.get("VMOTION_CLASS_TIMEOUT_S", 60))}


class Class:
    """Shared state of the service: settings, store, roster, grading pool, activity counters."""

    def __init__(self, settings):
        self.settings = settings
        self.store = Store(settings["db"])
        roster = json.loads(Path(settings["roster"]).read_text("utf-8")) if settings["roster"] \
            else []
        self.members = {m["username"]: m for m in roster}
        self.pool = ThreadPoolExecutor(settings["workers"], thread_name_prefix="grader")
        self.grading_now = 0
        self.labs = lab_ids()

    def learners(self):
        return [m for m in self.members.values() if m["role"] == "learner"]

    def is_instructor(self, name):
        return self.members.get(name, {}).get("role") == "instructor"

    async def grade(self, learner, lab, document, size):
        folder = self.settings["state"] / "incoming"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"{lab}-{learner}-{secrets.token_hex(6)}.json"
        path.write_text(document, "utf-8")
        self.grading_now += 1
        t0 = time.perf_counter()
        try:
            result = await asyncio.get_running_loop().run_in_executor(
                self.pool, lambda: grade_file(lab, path, learner=learner,
                                              timeout_s=self.settings["timeout_s"]))
        finally:
            self.grading_now -= 1
            path.unlink(missing_ok=True)
        ms = (time.perf_counter() - t0) * 1000
        sid = self.store.add(learner, lab, document, size, result, ms)
        return next(r for r in self.store.history(learner, lab) if r["id"] == sid)


class Base(HubOAuthenticated, web.RequestHandler):
    """Identity from the hub; JSON errors for the API."""

    def initialize(self, cls):
        self.cls = cls

    def fail(self, code, message):
        self.set_status(code)
        self.set_header("Content-Type", "application/json")
        self.finish({"error": message})

    def write_error(self, status_code, **kw):
        self.set_header("Content-Type", "application/json")
        self.finish({"error": self._reason})

    def member(self):
        """The caller's name if on the roster; else answer 403 and return None."""
        user = self.current_user
        if not user:
            self.fail(403, MESSAGES["login"])
            return None
        name = user.get("name", "")
        if name not in self.cls.members:
            self.fail(403, MESSAGES["not_member"].format(user=name))
            return None
        return name

    def instructor(self):
        name = self.member()
        if name and not self.cls.is_instructor(name):
            self.fail(403, MESSAGES["instructors_only"])
            return None
        return name

    def known_lab(self, lab, code=404):
        """True for a lab of this course; else answer ``code`` naming the known labs."""
        if isinstance(lab, str) and lab in self.cls.labs:
            return True
        self.fail(code, MESSAGES["lab"].format(value=str(lab)[:40], known=", ".join(self.cls.labs)))
        return False

    def json(self, data):
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(data, default=str))


@web.stream_request_body
class SubmitHandler(Base):
    """Reads the body itself: an oversized one is drained (not kept) and answered with a clear 413
    (answering before the body is read would make the proxy in front report a broken connection)."""

    DRAIN_BYTES = 64 * 2**20  # beyond this the connection is simply closed

    def prepare(self):
        self.limit, self.chunks, self.size = self.cls.settings["max_bytes"], [], 0
        self.request.connection.set_max_body_size(self.DRAIN_BYTES)

    def data_received(self, chunk):
        self.size += len(chunk)
        if self.size <= self.limit:
            self.chunks.append(chunk)

    async def post(self):
        learner = self.member()
        if not learner:
            return
        size = self.size
        if size > self.limit:
            return self.fail(413, MESSAGES["too_big"].format(size=size, limit=self.limit))
        try:
            data = json.loads(b"".join(self.chunks))
        except (ValueError, UnicodeDecodeError) as exc:
            return self.fail(400, MESSAGES["not_json"].format(err=str(exc)[:120]))
        if not isinstance(data, dict):
            return self.fail(400, MESSAGES["not_object"])
        lab = data.get("lab")
        if not self.known_lab(lab, 400):
            return
        doc = data.get("submission")
        if not isinstance(doc, dict):
            return self.fail(400, MESSAGES["doc"])
        row = await self.cls.grade(learner, lab, json.dumps(doc), size)
        self.json(learner_view(row, self.cls.store.deadlines().get(lab), utcnow()))


def _own(cls, name):
    dl, now = cls.store.deadlines(), utcnow()
    return [learner_view(r, dl.get(r["lab"]), now) for r in cls.store.history(name)]


class MeHandler(Base):
    def get(self):
        name = self.member()
        if name:
            self.json({"learner": name, "submissions": _own(self.cls, name)})


class HomeHandler(Base):
    @web.authenticated
    def get(self):
        name = self.member()
        if not name:
            return
        if self.cls.is_instructor(name):
            return self.redirect(url_path_join(self.request.path, "dashboard"))
        items = "".join("<section><h2>" + html.escape(MESSAGES["own_item"].format(
            lab=s["lab"], id=s["id"], at=s["received_at"])) + f"</h2>{s['feedback_html']}"
            "</section>" for s in _own(self.cls, name))
        title = html.escape(MESSAGES["own_title"].format(name=name))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(f"<!doctype html><html lang='en'><meta charset='utf-8'><title>{title}</title>"
                    f"<body style='font:18px sans-serif;max-width:60em;margin:auto'><h1>{title}"
                    f"</h1>{items or '<p>' + html.escape(MESSAGES['own_none']) + '</p>'}</body>"
                    f"</html>")


class DashboardHandler(Base):
    @web.authenticated
    def get(self):
        if not self.instructor():
            return
        page = (Path(__file__).parent / "dashboard.html").read_text("utf-8")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Content-Security-Policy", "default-src 'self'; style-src 'self' "
                        "'unsafe-inline'; script-src 'self' 'unsafe-inline'")
        self.finish(page.replace("{{XSRF}}", html.escape(self.xsrf_token.decode())))


class ClassHandler(Base):
    def get(self):
        if self.instructor():
            self.json(class_overview(self.cls))


class LearnerHandler(Base):
    def get(self, name):
        if not self.instructor():
            return
        if name not in self.cls.members:
            return self.fail(404, MESSAGES["no_learner"].format(name=name[:40]))
        self.json(learner_detail(self.cls, name))


class CsvHandler(Base):
    def get(self, lab):
        if not self.instructor() or not self.known_lab(lab):
            return
        self.set_header("Content-Type", "text/csv; charset=utf-8")
        self.set_header("Content-Disposition", f'attachment; filename="{lab}-grades.csv"')
        self.finish(csv_export(self.cls, lab))


class DeadlineHandler(Base):
    def put(self, lab):
        name = self.instructor()
        if not name or not self.known_lab(lab):
            return
        try:
            raw = json.loads(self.request.body or b"{}").get("due_at")
            due = None if raw is None else datetime.datetime.fromisoformat(
                raw.replace("Z", "+00:00"))
            if due is not None and due.tzinfo is None:
                due = due.replace(tzinfo=datetime.timezone.utc)
        except (ValueError, AttributeError, TypeError):
            return self.fail(400, MESSAGES["due"])
        self.cls.store.set_deadline(lab, due, name)
        self.json({"lab": lab, "due_at": due.isoformat() if due else None})


def make_app(cls, prefix):
    routes = [("", HomeHandler), ("oauth_callback", HubOAuthCallbackHandler),
              ("dashboard", DashboardHandler), ("api/submissions", SubmitHandler),
              ("api/me", MeHandler), ("api/class", ClassHandler),
              (r"api/learners/([a-z][a-z0-9_-]{0,31})", LearnerHandler),
              (r"api/labs/(lab\d\d)/grades\.csv", CsvHandler),
              (r"api/labs/(lab\d\d)/deadline", DeadlineHandler)]
    return web.Application(
        [(url_path_join(prefix, path), handler, {} if handler is HubOAuthCallbackHandler
          else {"cls": cls}) for path, handler in routes],
        cookie_secret=secrets.token_bytes(32), xsrf_cookies=False)


def main():
    settings = _settings()
    cls = Class(settings)
    for lab in cls.labs:  # load every lab once before the first learner waits for it
        lab_spec(lab)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/class/")
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    make_app(cls, prefix).listen(url.port, url.hostname)
    print(f"class service on {url.geturl()} (prefix {prefix}; database schema "
          f"v{cls.store.version_before} -> current)", flush=True)
    ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
