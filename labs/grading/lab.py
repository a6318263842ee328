"""The learner's handle on a lab: ``Lab.open``, ``lab.env``, ``lab.migrate``, ``lab.answer``,
``lab.check()``, ``lab.save()``.

Everything a learner does through these is recorded as an operation
(:mod:`vmotion_labs.grading.oplog`); ``lab.save()`` writes that log, and the grader replays it
on the learner's variant. Grading itself (hidden checks, every variant parameter) is not on the
learner's object: see :mod:`vmotion_labs.grading.instructor`.

>>> from vmotion_labs import Lab
>>> lab = Lab.open("lab01", learner="alice")
>>> report = lab.check()            # public checks, hint-level feedback, never raises
>>> report.passed
False
"""

import dataclasses
import datetime
import importlib
import json
import numbers
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vmotion_core import __version__ as COURSEWARE_VERSION
from vmotion_core.errors import ConfigError

from . import oplog
from .checks import Context, Report
from .envio import build_from_template
from .labmeta import hidden_checks, lab_folders, lab_yaml
from .state import FORMAT, SCHEMA_VERSION, STATE_MIME, StateError, read_submission, write_atomic
from .variants import course_key, make_variant

__all__ = ["Lab", "LabSpec", "Task", "SavedState", "lab_ids", "lab_spec"]

_ANSWER_TYPES = {"number": (numbers.Real,), "int": (numbers.Integral,), "text": (str,),
                 "list": (list,), "mapping": (dict,)}


@dataclass(frozen=True)
class Task:
    task_id: str
    text: str

    def __str__(self):
        return f"{self.task_id}: {self.text}"


@dataclass(frozen=True)
class LabSpec:
    """Everything static about one lab, read from its folder (``lab.yaml`` + modules)."""

    lab_id: str
    folder: str
    title: str
    version: int
    compatible_versions: tuple
    tasks: tuple
    answers: dict
    hidden: tuple          # ((check id, points, category), ...) from lab.yaml
    package: object
    checks: object         # CheckSet with public (and, in the instructor edition, hidden) checks

    def params(self, learner, course=None):
        return make_variant(self.lab_id, learner, self.package.make_params, course)

    def build_start(self, params):
        """The start environment with an empty change log: injecting a lab's fault is a mutation,
        and its ``changes`` line would name the fault to the learner (``lab.env.changes``).

        A lab package's own ``build_start(params)`` makes it; without one, the lab starts from
        its ``scenario.yaml`` filled with ``params``.
        """
        build = getattr(self.package, "build_start", None)
        env = build(params) if build else build_from_template(self.package.__path__[0], params)
        return dataclasses.replace(env, changes=())


def lab_ids():
    """The ids of every installed lab, sorted (``['lab01', 'lab02', ...]``)."""
    return sorted(lab_folders())


@lru_cache(maxsize=None)
def lab_spec(lab_id):
    """Load the :class:`LabSpec` of ``lab_id``; ``ConfigError`` names the known labs."""
    folders = lab_folders()
    if lab_id not in folders:
        raise ConfigError("lab", f"unknown lab {lab_id!r} (known: {', '.join(sorted(folders))})")
    folder = folders[lab_id]
    meta = lab_yaml(lab_id)
    package = importlib.import_module(f"vmotion_labs.{folder}")
    checks = importlib.import_module(f"vmotion_labs.{folder}.checks").CHECKS
    try:  # instructor edition only: the student edition ships without hidden.py
        importlib.import_module(f"vmotion_labs.{folder}.hidden")
    except ModuleNotFoundError:
        pass
    return LabSpec(lab_id, folder, meta["title"], int(meta["version"]),
                   tuple(meta.get("compatible_versions", [meta["version"]])),
                   tuple(Task(t["id"], " ".join(t["text"].split())) for t in meta["tasks"]),
                   dict(meta.get("answers", {})),
                   hidden_checks(lab_id), package, checks)


class SavedState:
    """What ``lab.save()`` returns; in a notebook it displays a confirmation and carries the
    hand-in under :data:`~vmotion_labs.grading.state.STATE_MIME` so the executed notebook can be
    handed in."""

    def __init__(self, path, state):
        self.path, self.state = path, state

    def __repr__(self):
        n = len(self.state["operations"])
        return (f"Saved {self.state['lab']} for {self.state['learner']} ({n} recorded "
                f"operation{'s' * (n != 1)}) to {self.path}")

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": repr(self), STATE_MIME: self.state}


_MOVE_BREAKS = ("vCenter cannot complete this move of {vm}: on its destination {why}. Fix that "
                "first (a dry run's findings do not cover it: the simulator found it while "
                "placing the VM)")
_NO_LEARNER = ("give your learner id: Lab.open(lab_id, learner='...') with the id your "
               "instructor gave you (1-64 letters, digits or . _ @ + -)")


class Lab:
    """One learner's copy of a lab. Use :meth:`open` (or :meth:`load` to resume a saved one)."""

    def __init__(self, spec, variant, start_env):
        self._spec = spec
        self._variant = variant   # holds the secret parameters too: not part of the learner API
        self._owner = (spec.lab_id, variant.learner, variant.course)
        self._start = start_env
        self._env = start_env
        self._lineage = ()        # operations that made _env from the start state
        self._log = []            # every operation, in order (what lab.save() hands in)
        self._answers = {}

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def open(cls, lab_id, learner=None, course=None):
        """Open ``lab_id`` for ``learner`` in its start state (same learner, same variant).

        ``learner`` defaults to the JupyterHub user name when the notebook runs on the class
        hub. ``course`` is the course key (not a secret; see :mod:`.variants`).
        """
        spec = lab_spec(lab_id)
        if learner is None:
            learner = os.environ.get("JUPYTERHUB_USER")
            if not learner:
                raise ConfigError("learner", _NO_LEARNER)
        variant = spec.params(learner, course_key(course))
        return cls(spec, variant, spec.build_start(variant.params))

    @classmethod
    def load(cls, path, course=None):
        """Resume from a hand-in file or an executed notebook (its operations are replayed)."""
        if not isinstance(path, (str, os.PathLike)):
            raise ConfigError("path", f"expected a lab-state file or notebook path, "
                                      f"got {type(path).__name__}")
        return cls.from_submission(read_submission(path), course=course)

    @classmethod
    def from_submission(cls, doc, learner=None, course=None):
        """Rebuild a lab by replaying a parsed hand-in on a variant's start state.

        ``learner`` is whose variant to replay on (default: the one the file names, which is
        right for a learner resuming their own work; the grader passes the identity it got from
        outside the file). Raises ``StateError`` (``version``, ``malformed`` or
        ``replay-failed`` naming the step).
        """
        spec = lab_spec(doc["lab"])
        if doc["lab_version"] not in spec.compatible_versions:
            raise StateError("version", f"made with {spec.lab_id} version {doc['lab_version']}; "
                                        f"this grader accepts {list(spec.compatible_versions)}")
        try:
            lab = cls.open(spec.lab_id, doc["learner"] if learner is None else learner,
                           doc["course"] if course is None else course)
        except ConfigError as exc:
            raise StateError("malformed", str(exc)) from None
        try:
            return oplog.replay(lab, doc["operations"])
        except oplog.ReplayError as exc:
            kind = "limit" if exc.step == 0 else "replay-failed"
            raise StateError(kind, str(exc)) from None

    # -- what the learner reads ---------------------------------------------------------------
    @property
    def lab_id(self):
        return self._spec.lab_id

    @property
    def title(self):
        return self._spec.title

    @property
    def learner(self):
        return self._variant.learner

    @property
    def params(self):
        """This learner's variant parameters (names, addresses, numbers).

        The lab's ``SECRET_PARAMS`` (an injected fault, the role each VM plays) are left out;
        checks and the grader keep seeing everything.
        """
        secret = set(getattr(self._spec.package, "SECRET_PARAMS", ()))
        return {k: v for k, v in self._variant.params.items() if k not in secret}

    @property
    def tasks(self):
        return self._spec.tasks

    @property
    def answers(self):
        """The answers recorded so far, as a copy (record answers with :meth:`answer`)."""
        return json.loads(json.dumps(self._answers))

    @property
    def operations(self):
        """Every operation recorded so far, in order, as a copy; ``lab.save()`` hands these in."""
        return json.loads(json.dumps(self._log))

    def briefing(self):
        """Learner-facing details of this variant (goals, the numbers to predict, ...)."""
        fn = getattr(self._spec.package, "briefing", None)
        return fn(dict(self._variant.params)) if fn else {}

    @property
    def start_env(self):
        """The start state, to read or compare with (``lab.reset()`` goes back to it)."""
        return self._start

    @property
    def env(self):
        """The learner's environment. Its methods (``add_vmknic``, ``set_vm``, ``power_off``,
        ...) return a new environment: assign it back, ``lab.env = lab.env.set_vm(...)``."""
        return oplog.wrap(self._env, self._owner, self._lineage)

    @env.setter
    def env(self, value):
        lineage = oplog.lineage_of(value, self._owner)
        cur = self._lineage
        if lineage[:len(cur)] == cur:
            new = lineage[len(cur):]
        else:  # built from an earlier state: back to the start, then the operations that made it
            new = ({"do": "reset"},) + lineage
        self._room(len(new))
        self._log.extend(new)
        self._env, self._lineage = oplog.plain_env(value), lineage

    # -- what the learner does ----------------------------------------------------------------
    def _room(self, n):
        if len(self._log) + n > oplog.MAX_OPS:
            raise ConfigError("lab", f"this lab has recorded {len(self._log)} operations; a "
                                     f"hand-in holds at most {oplog.MAX_OPS}. Open the lab "
                                     "again (Lab.open) and reach the goal in fewer steps")

    def answer(self, key, value):
        """Record an answer; ``key`` must be one the lab asks for (see ``lab.tasks``)."""
        if not isinstance(key, str) or key not in self._spec.answers:
            asks = ", ".join(self._spec.answers) or "no answers"
            raise ConfigError(f"answer {key!r}"[:60], f"this lab asks for: {asks}")
        kind = self._spec.answers[key]
        if not isinstance(value, _ANSWER_TYPES[kind]) or isinstance(value, bool):
            raise ConfigError(f"answer {key!r}", f"expected {kind}, got {type(value).__name__}")
        if kind in ("int", "number") and not isinstance(value, (int, float)):
            value = int(value) if kind == "int" else float(value)  # NumPy scalar -> plain number
        try:
            value = oplog.plain(value, f"answer {key!r}")
        except ConfigError as exc:
            raise ConfigError(exc.field, f"must be plain data (numbers, text, lists, mappings) "
                                         f"without NaN or infinity: {exc.reason}") from None
        self._room(1)
        self._log.append({"do": "answer", "key": key, "value": value})
        self._answers[key] = value
        return value

    def migrate(self, vm, target=None, datastore=None, apply=True, seed=0, **options):
        """Ask the simulated vCenter to migrate ``vm`` (see ``vmotion_core.migration.migrate``).

        On success, and unless ``apply=False`` (a dry run), ``lab.env`` becomes the environment
        with the VM moved. Returns the ``MigrationResult`` (findings, stun time, log lines).
        Every request, dry runs included, is recorded in order.
        """
        from vmotion_core.migration import MigrationRequest, migrate
        if not isinstance(apply, bool):
            raise ConfigError("apply", f"True or False, got {apply!r}")
        op = {"do": "migrate", "vm": oplog.plain(vm, "vm"), "target": oplog.plain(target, "target"),
              "datastore": oplog.plain(datastore, "datastore"), "apply": apply,
              "seed": oplog.plain(seed, "seed"), "options": oplog.plain(options, "options")}
        self._room(1)
        req = MigrationRequest(op["vm"], op["target"], op["datastore"], **op["options"])
        try:
            res = migrate(self._env, req, seed=op["seed"])
        except ConfigError as exc:
            if "[" not in exc.field:   # the request itself: its own field and words
                raise
            # the moved environment broke an inventory rule: say so without internal paths
            raise ConfigError("migrate", _MOVE_BREAKS.format(vm=op["vm"], why=exc.reason)) \
                from None
        self._log.append(op)
        if res.ok and apply:
            self._env, self._lineage = res.environment, self._lineage + (op,)
        return res

    def reset(self):
        """Back to the start state (answers kept)."""
        self._room(1)
        self._log.append({"do": "reset"})
        self._env, self._lineage = self._start, ()

    def check(self):
        """Run the public checks; return a :class:`Report` (text and HTML). Never raises."""
        return self._report(include_hidden=False)

    def _report(self, include_hidden):
        ctx = Context(self._env, self._start, dict(self._variant.params), self.answers,
                      tuple(self.operations))
        results = tuple(self._spec.checks.run(ctx, include_hidden=include_hidden))
        ran = {r.check_id for r in results}
        pending = tuple(h for h in self._spec.hidden if h[0] not in ran)
        return Report(self.lab_id, self.learner, self._spec.title, results, pending)

    # -- handing in ---------------------------------------------------------------------------
    def submission(self):
        """The hand-in document (a JSON-serialisable dict) that :meth:`save` writes.

        ``{"format": "vmotion-lab-state", "schema_version": 2, "courseware_version", "lab",
        "lab_version", "learner", "course", "saved_at", "operations": [...]}``: the operation log
        (see :mod:`vmotion_labs.grading.state` and :mod:`~vmotion_labs.grading.oplog`). It holds
        no environment, no variant parameter and no secret; the grader replays the operations.
        """
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {"format": FORMAT, "schema_version": SCHEMA_VERSION,
                "courseware_version": COURSEWARE_VERSION, "lab": self.lab_id,
                "lab_version": self._spec.version, "learner": self.learner,
                "course": self._variant.course, "saved_at": now, "operations": self.operations}

    def save(self, path=None):
        """Write :meth:`submission` to ``path`` (default ``<lab>-<learner>.json``) to hand in."""
        state = self.submission()
        path = Path(path or f"{self.lab_id}-{self.learner}.json")
        try:
            write_atomic(path, json.dumps(state, indent=1, sort_keys=True) + "\n")
        except OSError as exc:
            raise ConfigError("path", f"cannot write {str(path)!r}: {exc.strerror or exc}") \
                from None
        return SavedState(str(path), state)

    def submit(self, **kw):
        """Hand in on the class hub and show the feedback (see :mod:`.submit`)."""
        from .submit import submit; return submit(self, **kw)  # noqa: E702

    def __repr__(self):
        return f"<Lab {self.lab_id} '{self._spec.title}' for {self.learner}>"
