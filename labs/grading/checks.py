"""Check registration, results and points.

A lab's checks are small functions registered on a :class:`CheckSet`. Each receives a
:class:`Context` (the learner's environment, the start environment, the variant parameters and
the answers) and either returns (pass) or calls :func:`fail` with a hint-level message: it says
*what* is still wrong, never *how* to fix it. Every check is worth explicit points; hidden checks
run only at grading, and the learner is told how many there are. A hidden check's points and
category are declared once, in the lab's ``lab.yaml`` (the student edition has no ``hidden.py``
but must still announce them, see :mod:`vmotion_labs.grading.labmeta`).

>>> cs = CheckSet("lab00")
>>> @cs.check("q1", "The answer is a positive number", points=2)
... def _(ctx):
...     if ctx.answers.get("n", 0) <= 0:
...         fail("n is not positive yet")
>>> [r.passed for r in cs.run(Context(None, None, {}, {"n": 3}))]
[True]
"""

import traceback
from dataclasses import dataclass, field

from vmotion_core.errors import VMotionError

from . import labmeta

__all__ = ["CheckFailed", "fail", "learner_words", "Check", "CheckResult", "CheckSet", "Context", "Report"]


# Learner-facing wording (one place, for the German edition).
MSG = {
    "after": "counts once {ids} passes (an untouched lab earns nothing for what it did not break)",
    "refused": "the simulated vCenter refused what your lab state asks for: {why}",
    "crashed": "this check could not run on your lab state (a problem in the grader, not in "
               "your work; your instructor sees it in the grades)",
}


def learner_words(exc):
    """A simulator error as a learner should read it: an inventory path such as
    ``vms[3].nics[0].network`` is the simulator's internal address, so only its reason."""
    field = getattr(exc, "field", "")
    return exc.reason if "[" in str(field) and hasattr(exc, "reason") else str(exc)


class CheckFailed(Exception):
    """Raised by :func:`fail`: the check did not pass; ``str(exc)`` is the hint."""


def fail(message):
    """Stop the current check as failed with a hint-level ``message``."""
    raise CheckFailed(message)


@dataclass(frozen=True)
class Context:
    """What a check may look at: never notebook cells, only state and answers.

    Attributes
    ----------
    env : Environment
        The learner's current environment.
    start_env : Environment
        The learner's start environment (rebuilt from the variant, never from the submission).
    params : dict
        The variant parameters (names, addresses, numbers, fault id).
    answers : dict
        The learner's answers (``lab.answer(key, value)``).
    ops : tuple
        Every operation the learner did, in order (see :mod:`.oplog`): checks that grade
        *how* or *in which order* something was done read it.
    """

    env: object
    start_env: object
    params: dict
    answers: dict
    ops: tuple = ()
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def memo(self, key, compute):
        """Compute ``compute()`` once per grading run (checks share expensive migrations)."""
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]

    def ops_of(self, *names):
        """``(position, operation)`` pairs of the operations called ``names`` (all when none)."""
        return [(i, op) for i, op in enumerate(self.ops) if not names or op.get("do") in names]


@dataclass(frozen=True)
class Check:
    """One registered check of a lab: made by :meth:`CheckSet.check`, run by
    :meth:`CheckSet.run`. ``func(ctx)`` passes by returning and fails through :func:`fail`."""

    lab_id: str
    check_id: str
    title: str
    points: float
    hidden: bool
    category: str
    func: object = field(repr=False, compare=False)
    after: tuple = ()
    after_any: tuple = ()

    @property
    def qualified_id(self):
        return f"{self.lab_id}.{self.check_id}"


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check: ``points_awarded`` is ``points`` when passed, else 0."""

    lab_id: str
    check_id: str
    title: str
    points: float
    passed: bool
    message: str
    hidden: bool
    category: str
    crashed: bool = False

    @property
    def qualified_id(self):
        return f"{self.lab_id}.{self.check_id}"

    @property
    def points_awarded(self):
        return self.points if self.passed else 0.0

    def to_dict(self):
        return {"id": self.qualified_id, "title": self.title, "points": self.points,
                "points_awarded": self.points_awarded, "passed": self.passed,
                "message": self.message, "hidden": self.hidden, "category": self.category,
                "crashed": self.crashed}

    @classmethod
    def from_dict(cls, d):
        lab_id, check_id = d["id"].split(".", 1)
        return cls(lab_id, check_id, d["title"], d["points"], d["passed"], d["message"],
                   d["hidden"], d["category"], d.get("crashed", False))


class CheckSet:
    """The checks of one lab, in registration order (which is the display order).

    ``hidden``: the hidden-check declarations ``((id, points, category), ...)``; by default the
    lab's ``lab.yaml`` (read when the first hidden check registers).
    """

    def __init__(self, lab_id, hidden=None):
        self.lab_id = lab_id
        self._checks = {}
        self._hidden = None if hidden is None else tuple(hidden)

    def _declared(self, check_id):
        if self._hidden is None:
            self._hidden = labmeta.hidden_checks(self.lab_id)
        for hid, points, category in self._hidden:
            if hid == check_id:
                return points, category
        raise ValueError(f"{self.lab_id}.{check_id} is hidden but lab.yaml's hidden: list does "
                         f"not declare it (add its id, points and category there)")

    def check(self, check_id, title, points=None, hidden=False, category=None, after=(),
              after_any=()):
        """Decorator registering ``func(ctx)`` as check ``check_id`` worth ``points``.

        A public check is worth ``points`` (default 1) in ``category`` (default "outcome"). A
        hidden check states neither: both come from ``lab.yaml`` (one place for the grader and
        for the learner's count of hidden points).

        ``after``: ids of checks (registered earlier) that must all pass first; ``after_any``:
        at least one of them must. "Nothing else broke" checks use them, so that an untouched
        lab, which broke nothing, earns nothing.
        """
        if check_id in self._checks:
            raise ValueError(f"{self.lab_id}.{check_id} is registered twice")
        if hidden:
            if points is not None or category is not None:
                raise ValueError(f"{self.lab_id}.{check_id}: a hidden check's points and "
                                 f"category are declared in lab.yaml, not here")
            points, category = self._declared(check_id)
        points = 1 if points is None else points
        category = "outcome" if category is None else category
        if not points > 0:
            raise ValueError(f"{self.lab_id}.{check_id}: points must be > 0")
        unknown = [a for a in (*after, *after_any) if a not in self._checks]
        if unknown:
            raise ValueError(f"{self.lab_id}.{check_id}: after= names unknown checks {unknown}")

        def register(func):
            self._checks[check_id] = Check(self.lab_id, check_id, title, float(points), hidden,
                                           category, func, tuple(after), tuple(after_any))
            return func
        return register

    def __iter__(self):
        return iter(self._checks.values())

    def __len__(self):
        return len(self._checks)

    def get(self, check_id):
        return self._checks[check_id]

    def run(self, ctx, include_hidden=False):
        """Run the checks on ``ctx``; a check that raises is reported as crashed, not raised."""
        results, passed_ids = [], set()
        for chk in self:
            if chk.hidden and not include_hidden:
                continue
            crashed = False
            waiting = [a for a in chk.after if a not in passed_ids]
            if chk.after_any and not passed_ids & set(chk.after_any):
                waiting.append(" or ".join(chk.after_any))
            try:
                if waiting:
                    fail(MSG["after"].format(ids=", ".join(f"{self.lab_id}.{a}"
                                                           for a in waiting)))
                chk.func(ctx)
                passed, message = True, "passed"
                passed_ids.add(chk.check_id)
            except CheckFailed as exc:
                passed, message = False, str(exc)
            except VMotionError as exc:  # the simulator's own words: name the field, no internals
                passed, message = False, MSG["refused"].format(why=learner_words(exc))
            except Exception as exc:  # a grader bug must not stop the other checks
                passed, crashed = False, True
                frame = traceback.extract_tb(exc.__traceback__)[-1]
                message = MSG["crashed"] + (f" [{type(exc).__name__} at {frame.name}:"
                                            f"{frame.lineno}]" if include_hidden else "")
            results.append(CheckResult(self.lab_id, chk.check_id, chk.title, chk.points,
                                       passed, message, chk.hidden, chk.category, crashed))
        return results


@dataclass(frozen=True)
class Report:
    """The result of ``lab.check()`` (public checks) or of grading (all checks).

    ``pending`` lists the hidden checks *not* run (learner side) as ``(id, points, category)``.
    It renders as text (``str(report)``) and HTML in a notebook.
    """

    lab_id: str
    learner: str
    title: str
    results: tuple
    pending: tuple = ()

    @property
    def score(self):
        return sum(r.points_awarded for r in self.results)

    @property
    def max_score(self):
        return sum(r.points for r in self.results)

    @property
    def passed(self):
        return all(r.passed for r in self.results)

    def points(self):
        """``{qualified check id: points awarded}`` for the CSV."""
        return {r.qualified_id: r.points_awarded for r in self.results}

    def to_dict(self):
        return {"lab": self.lab_id, "learner": self.learner, "title": self.title,
                "score": self.score, "max_score": self.max_score,
                "results": [r.to_dict() for r in self.results],
                "pending": [list(p) for p in self.pending]}

    @classmethod
    def from_dict(cls, d):
        return cls(d["lab"], d["learner"], d["title"],
                   tuple(CheckResult.from_dict(r) for r in d["results"]),
                   tuple(tuple(p) for p in d["pending"]))

    def __str__(self):
        from .render import render_text
        return render_text(self)

    def __repr__(self):
        return (f"<Report {self.lab_id} {self.learner}: {self.score:g}/{self.max_score:g}, "
                f"{len(self.pending)} hidden pending>")

    def _repr_html_(self):
        from .render import render_html
        return render_html(self)
