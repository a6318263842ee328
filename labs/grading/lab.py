"""The learner's handle on a lab: ``Lab.open``, ``lab.env``, ``lab.check()``, ``lab.save()``.

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
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from vmotion_core import __version__ as COURSEWARE_VERSION
from vmotion_core.errors import ConfigError, ScenarioError, VMotionError

from . import envio
from .checks import Context, Report
from .state import (SCHEMA_VERSION, STATE_MIME, StateError, read_submission, seal, verify_seal,
                    write_atomic)
from .variants import course_secret, make_variant

__all__ = ["Lab", "LabSpec", "Task", "SavedState", "lab_ids", "lab_spec"]

_ROOT = Path(__file__).resolve().parent.parent
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

    def params(self, learner, secret=None):
        return make_variant(self.lab_id, learner, self.package.make_params, secret)

    def public_params(self, params):
        """What ``lab.params`` shows: ``params`` without the lab's ``SECRET_PARAMS`` (the injected
        fault, which VM plays which role, ...); checks and the grader keep seeing everything."""
        hidden = set(getattr(self.package, "SECRET_PARAMS", ()))
        return {k: v for k, v in params.items() if k not in hidden}

    def build_start(self, params):
        """The start environment with an empty change log: injecting a lab's fault is a mutation,
        and its ``changes`` line would name the fault to the learner (``lab.env.changes``)."""
        return dataclasses.replace(self.package.build_start(params), changes=())


def lab_ids():
    """The ids of every installed lab, sorted (``['lab01', 'lab02', ...]``)."""
    return sorted(_folders())


@lru_cache(maxsize=None)
def _folders():
    found = {}
    for info in pkgutil.iter_modules([str(_ROOT)]):
        if info.ispkg and info.name[:3] == "lab" and info.name[3:5].isdigit():
            found[info.name[:5]] = info.name
    return found


@lru_cache(maxsize=None)
def lab_spec(lab_id):
    """Load the :class:`LabSpec` of ``lab_id``; ``ConfigError`` names the known labs."""
    folders = _folders()
    if lab_id not in folders:
        raise ConfigError("lab", f"unknown lab {lab_id!r} (known: {', '.join(sorted(folders))})")
    folder = folders[lab_id]
    meta = yaml.safe_load((_ROOT / folder / "lab.yaml").read_text(encoding="utf-8"))
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
                   tuple((h["id"], float(h["points"]), h["category"])
                         for h in meta.get("hidden", [])),
                   package, checks)


class SavedState:
    """What ``lab.save()`` returns; in a notebook it displays a confirmation and carries the state
    under :data:`~vmotion_labs.grading.state.STATE_MIME` so the executed notebook can be handed in."""

    def __init__(self, path, state):
        self.path, self.state = path, state

    def __repr__(self):
        return f"Saved {self.state['lab']} for {self.state['learner']} to {self.path}"

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": repr(self), STATE_MIME: self.state}


class Lab:
    """One learner's copy of a lab. Use :meth:`open`, :meth:`load` or :meth:`from_state`."""

    def __init__(self, spec, variant, start_env, env, answers, secret):
        self.spec = spec
        self._variant = variant  # holds the secret parameters too: not part of the learner API
        self.start_env = start_env
        self._env = env
        self.answers = dict(answers)
        self._secret = secret

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def open(cls, lab_id, learner="student", secret=None):
        """Open ``lab_id`` for ``learner`` in its start state (same learner, same variant)."""
        spec = lab_spec(lab_id)
        secret = course_secret(secret)
        variant = spec.params(learner, secret)
        start = spec.build_start(variant.params)
        return cls(spec, variant, start, start, {}, secret)

    @classmethod
    def load(cls, path, secret=None):
        """Resume from a lab-state file or an executed notebook."""
        if not isinstance(path, (str, os.PathLike)):
            raise ConfigError("path", f"expected a lab-state file or notebook path, "
                                      f"got {type(path).__name__}")
        return cls.from_state(read_submission(path), secret)

    @classmethod
    def from_state(cls, state, secret=None):
        """Rebuild a lab from a parsed state; raise ``StateError`` if it is forged or foreign.

        The start environment is rebuilt from the learner's variant, never taken from the file;
        the saved environment must be consistent with it (same hosts and VMs, same sizes).
        """
        secret = course_secret(secret)
        verify_seal(state, secret)
        spec = lab_spec(state["lab"])
        if state["lab_version"] not in spec.compatible_versions:
            raise StateError("version", f"made with {spec.lab_id} version {state['lab_version']}; "
                                        f"this grader accepts {list(spec.compatible_versions)}")
        try:
            variant = spec.params(state["learner"], secret)
        except ConfigError as exc:
            raise StateError("malformed", str(exc)) from None
        if variant.digest != state["variant_digest"]:
            raise StateError("forged", f"the state was not made from {state['learner']}'s variant "
                                       "of this lab (copied from another learner, or another course)")
        start = spec.build_start(variant.params)
        try:
            env = envio.env_from_text(state["environment"], f"{spec.lab_id}:{state['learner']}")
        except ScenarioError as exc:
            more = f" (and {len(exc.problems) - 3} more)" if len(exc.problems) > 3 else ""
            raise StateError("malformed", "environment: " + "; ".join(exc.problems[:3]) + more) \
                from None
        except VMotionError as exc:
            raise StateError("malformed", f"environment: {exc}") from None
        problems = envio.inconsistencies(start, env)
        if problems:
            raise StateError("forged", "the environment is inconsistent with the learner's "
                                       "variant: " + "; ".join(problems[:3]))
        return cls(spec, variant, start, env, state["answers"], secret)

    # -- learner API --------------------------------------------------------------------------
    @property
    def lab_id(self):
        return self.spec.lab_id

    @property
    def learner(self):
        return self._variant.learner

    @property
    def params(self):
        """This learner's variant parameters (names, addresses, numbers).

        Secret parameters (an injected fault, the role each VM plays) are left out; the checks,
        reference solutions and the grader read the full set from :attr:`_params`.
        """
        return self.spec.public_params(self._variant.params)

    @property
    def _params(self):
        """Every variant parameter, secret ones included (checks, solutions, instructor tools)."""
        return dict(self._variant.params)

    @property
    def tasks(self):
        return self.spec.tasks

    def briefing(self):
        """Learner-facing details of this variant (goals, the numbers to predict, ...)."""
        fn = getattr(self.spec.package, "briefing", None)
        return fn(self._params) if fn else {}

    @property
    def env(self):
        """The learner's environment; assign the result of a mutation back to it."""
        return self._env

    @env.setter
    def env(self, value):
        if not isinstance(value, type(self.start_env)):
            raise ConfigError("env", f"expected an Environment (the result of a mutation such as "
                                     f"lab.env.add_vmknic(...)), got {type(value).__name__}")
        self._env = value

    def answer(self, key, value):
        """Record an answer; ``key`` must be one the lab asks for (see ``lab.tasks``)."""
        if not isinstance(key, str) or key not in self.spec.answers:
            raise ConfigError(f"answer {key!r}", f"this lab asks for: "
                                                 f"{', '.join(self.spec.answers) or 'no answers'}")
        kind = self.spec.answers[key]
        if not isinstance(value, _ANSWER_TYPES[kind]) or isinstance(value, bool):
            raise ConfigError(f"answer {key!r}", f"expected {kind}, got {type(value).__name__}")
        if kind in ("int", "number") and not isinstance(value, (int, float)):
            value = int(value) if kind == "int" else float(value)  # NumPy scalar -> plain number
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"answer {key!r}", f"must be plain data (numbers, text, lists, "
                                                 f"mappings) without NaN or infinity ({exc})") \
                from None
        self.answers[key] = value
        return value

    def migrate(self, vm, target=None, datastore=None, apply=True, seed=0, **kw):
        """Ask the simulated vCenter to migrate ``vm`` (see ``vmotion_core.migration.migrate``).

        On success, and unless ``apply=False`` (a dry run), ``lab.env`` becomes the environment
        with the VM moved. Returns the ``MigrationResult`` (findings, stun time, log lines).
        """
        from vmotion_core.migration import MigrationRequest, migrate
        res = migrate(self._env, MigrationRequest(vm, target, datastore, **kw), seed=seed)
        if res.ok and apply:
            self._env = res.environment
        return res

    def reset(self):
        """Back to the start state (answers kept)."""
        self._env = self.start_env

    def check(self):
        """Run the public checks; return a :class:`Report` (text and HTML). Never raises."""
        return self._report(include_hidden=False)

    def grade(self):
        """Run every check, hidden ones included (instructor edition)."""
        return self._report(include_hidden=True)

    def _report(self, include_hidden):
        ctx = Context(self._env, self.start_env, self._params, dict(self.answers))
        results = tuple(self.spec.checks.run(ctx, include_hidden=include_hidden))
        ran = {r.check_id for r in results}
        pending = tuple(h for h in self.spec.hidden if h[0] not in ran)
        return Report(self.lab_id, self.learner, self.spec.title, results, pending)

    def state(self):
        """The sealed lab-state dict (what :meth:`save` writes)."""
        now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return seal({"format": "vmotion-lab-state", "schema_version": SCHEMA_VERSION,
                     "courseware_version": COURSEWARE_VERSION, "lab": self.lab_id,
                     "lab_version": self.spec.version, "learner": self.learner,
                     "variant_digest": self._variant.digest, "saved_at": now,
                     "environment": envio.env_to_text(self._env),
                     "changes": [str(c) for c in envio.changes(self._env)],
                     "answers": dict(self.answers)}, self._secret)

    def save(self, path=None):
        """Write the lab-state file to hand in (default ``<lab>-<learner>.json``)."""
        state = self.state()
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
        return f"<Lab {self.lab_id} '{self.spec.title}' for {self.learner}>"
