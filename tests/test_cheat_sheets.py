"""The two cheat sheets cannot drift from the code.

``course/api-cheat-sheet.md``: every call it lists exists with exactly the documented signature,
every example parses and uses the call it illustrates, and every operation a lab offers a learner
is listed. ``course/cheat-sheet.md``: every row names a source, and the numbers the simulator
also uses (switchover goal, time-out, RTT, bandwidth, concurrency limits) match the code.
"""

import ast
import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from vmotion_core.inventory import Environment
from vmotion_core.migration import MigrationResult
from vmotion_labs import Lab
from vmotion_labs.grading.oplog import ENV_OPERATIONS, LAB_OPERATIONS

ROOT = Path(__file__).resolve().parents[1]
API = ROOT / "course" / "api-cheat-sheet.md"
FACTS = ROOT / "course" / "cheat-sheet.md"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|\s*`(.+)`\s*\|\s*$")
#: public names of Lab that are not the learner's (with the reason)
NOT_FOR_LEARNERS = {"from_submission": "the grader's way in: replays a parsed hand-in"}


def api_rows():
    """``(call, example)`` for every table row of the API cheat sheet."""
    rows = [ROW.match(line) for line in API.read_text(encoding="utf-8").splitlines()]
    return [(m.group(1), m.group(2)) for m in rows if m]


def _params_text(fn, drop_first):
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())[1 if drop_first else 0:]
    return str(sig.replace(parameters=params))


def _real(call):
    """What the code says the documented ``call`` is: its text rebuilt from the real object."""
    name, paren, _ = call.partition("(")
    owner, _, attr = name.rpartition(".")
    if owner == "Lab":
        return f"Lab.{attr}{inspect.signature(getattr(Lab, attr))}"
    if owner == "lab":
        obj = inspect.getattr_static(Lab, attr)
        if isinstance(obj, property):
            return f"lab.{attr}"
        return f"lab.{attr}{_params_text(obj, True)}"
    if owner == "lab.env":
        fn = getattr(Environment, attr)   # LabEnv's operations wrap these with the same params
        return f"lab.env.{attr}{_params_text(fn, True)}"
    if owner == "" and name in COURSE_CALLS:
        return _course_call(call, COURSE_CALLS[name])
    if owner == "result":
        fields = {f.name for f in dataclasses.fields(MigrationResult)}
        assert attr in fields or hasattr(MigrationResult, attr), attr
        return f"result.{attr}"
    raise AssertionError(f"unknown owner in {call!r}")


def _course_calls():
    from vmotion_core.compat import check_migration
    from vmotion_core.migration import plan_evacuation
    from vmotion_core.inventory import load_scenario
    from vmotion_core.migration import MigrationRequest, migrate
    from vmotion_core.precopy import Link, PrecopyConfig, Workload, simulate_precopy
    return {f.__name__: f for f in (load_scenario, MigrationRequest, check_migration, migrate,
                                    Workload, Link, PrecopyConfig, simulate_precopy,
                                    plan_evacuation)}


#: the course-level calls the cheat sheet lists (the modules' first cells import them)
COURSE_CALLS = _course_calls()


def _course_call(call, fn):
    """``call`` if its parameters are the function's, in the function's order (optional ones
    may be left out), with the real defaults (``...`` for a default built by a factory); else
    the real signature."""
    real = inspect.signature(fn).parameters
    node = ast.parse(call).body[0].value
    documented = [(a.id, inspect.Parameter.empty) for a in node.args]
    documented += [(k.arg, k.value.value) for k in node.keywords]
    names = list(real)
    order = [names.index(n) if n in names else -1 for n, _ in documented]
    required = [n for n in names if real[n].default is inspect.Parameter.empty]

    def same_default(n, d):
        if d is inspect.Parameter.empty:
            return real[n].default is inspect.Parameter.empty
        return real[n].default is not inspect.Parameter.empty and (d is Ellipsis
                                                                     or real[n].default == d)
    ok = (-1 not in order and order == sorted(order) and set(required) <= dict(documented).keys()
          and all(same_default(n, d) for n, d in documented))
    return call if ok else f"{fn.__name__}{inspect.signature(fn)}"


@pytest.mark.parametrize("call, example", api_rows(), ids=[c.split("(")[0] for c, _ in api_rows()])
def test_documented_call_exists_with_that_signature(call, example):
    assert _real(call) == call
    ast.parse(example)                        # the one-line example is valid Python
    assert call.split("(")[0].rsplit(".", 1)[-1] in example


def test_every_learner_operation_is_documented():
    documented = {c.split("(")[0] for c, _ in api_rows()}
    lab_public = {n for n in dir(Lab) if not n.startswith("_")} - set(NOT_FOR_LEARNERS)
    missing = [f"lab.{n}" for n in lab_public if f"lab.{n}" not in documented
               and f"Lab.{n}" not in documented]
    missing += [f"lab.env.{n}" for n in ENV_OPERATIONS if f"lab.env.{n}" not in documented]
    missing += [f"lab.{n}" for n in LAB_OPERATIONS if f"lab.{n}" not in documented]
    assert not missing, f"not on the API cheat sheet: {missing}"


def test_the_check_catches_a_wrong_signature():
    assert _real("migrate(env, req, seed=1)") != "migrate(env, req, seed=1)"
    assert _real("Link(streams=2)") != "Link(streams=2)"                       # wrong default
    assert _real("Link(encrypted=False, streams=None)") != "Link(encrypted=False, streams=None)"
    assert _real("lab.migrate(vm, target)") != "lab.migrate(vm, target)"
    assert _real("lab.env.set_vmknic(host)") != "lab.env.set_vmknic(host)"


# -- the one-page cheat sheet -------------------------------------------------------------------
SOURCE = re.compile(r"\bKB \d{4,}|\bvSphere [0-9.]+(?: U\d)?\b|\bAPI `\w+`|VMware blog \"")


def fact_rows():
    out = []
    for line in FACTS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and not set(cells[0]) <= set("-") \
                and cells[0] not in ("What", "Step"):
            out.append(cells)
    return out


def test_every_fact_names_its_source():
    rows = fact_rows()
    assert len(rows) >= 25
    unsourced = [r[0] for r in rows if not SOURCE.search(r[2])]
    assert not unsourced, f"rows without a KB or document source: {unsourced}"


def _row_with(text, source):
    return [r for r in fact_rows() if text in " ".join(r[:2]) and source in r[2]]


def test_numbers_match_the_simulator():
    from vmotion_core.compat.limits import DATASTORE_MAX, HOST_MAX
    from vmotion_core.compat.network import MAX_RTT_MS, MIN_MBPS_PER_VMOTION
    from vmotion_core.precopy.config import Policy
    policy = Policy()
    assert _row_with(f"**{policy.goal_ms:.0f} ms**", "KB 436882")
    assert _row_with(f"**{policy.max_switchover_s:.0f} s**", "KB 2141355")
    assert _row_with(f"**≤ {MAX_RTT_MS:.0f} ms**", "Host Configuration for vMotion")
    assert _row_with(f"**{MIN_MBPS_PER_VMOTION} Mbps**", "Networking Requirements")
    assert _row_with(f"**8** on 10 GbE", "Limits on Simultaneous Migrations") and HOST_MAX == 8
    assert _row_with(f"**{DATASTORE_MAX}**", "Limits on Simultaneous Migrations")


def test_jumbo_frame_test_and_mtu_split():
    text = FACTS.read_text(encoding="utf-8")
    assert "vmkping -I vmkX -d -s 8972" in text and 9000 - 8972 == 28
    assert _row_with("different MTUs", "KB 432825")        # wizard warning
    assert _row_with("fails at run time", "KB 417889")     # a hop: invisible to vCenter
