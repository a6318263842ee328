"""Lab fairness over a sample of variants (issue 18): every learner's copy of a lab asks for the
same work, and lab05's diagnosis is equally hard on every variant.

- every lab: on every sampled variant the start state fails the same checks (no variant is
  half-solved), the reference solution takes as many steps (except where noted, with the
  reason), and the lab notebook states the hidden-check count that ``lab.yaml`` declares;
- lab05: every fault a variant can draw shows vCenter exactly one error code, whose text does
  not name the cause; the finding points to the same troubleshooting entry as the graded answer
  and to no other; injected into the same site, every menu entry looks different, so the
  symptoms fit exactly one answer; the reference fix changes one object, the destination host.

(lab07 has its own fairness tests in ``test_lab07_capstone.py``.)
"""

import importlib
import json
import re
from pathlib import Path

import pytest

from vmotion_core.migration import MigrationRequest, migrate
from vmotion_labs import Lab, lab_ids
from vmotion_labs.grading.instructor import all_params, grade, spec_of
from vmotion_labs.grading.lab import lab_spec
from vmotion_labs.grading.oplog import plain_env
from vmotion_labs.grading.variants import Variant
from vmotion_labs.lab05_troubleshooting import faults, solution
from vmotion_labs.lab05_troubleshooting.checks import changed_objects

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = [f"learner{i:02d}" for i in range(16)]
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


@pytest.mark.parametrize("lab_id", lab_ids())
def test_every_sampled_variant_starts_with_the_same_work(lab_id):
    failing = {tuple(sorted(r.check_id for r in grade(Lab.open(lab_id, x)).results
                            if not r.passed)) for x in SAMPLE}
    assert len(failing) == 1, f"{lab_id}: variants start with different work: {failing}"


#: labs whose reference solution may take a different number of operations per variant, and why
UNEVEN_BY_DESIGN = {
    "lab06": "10 to 13 VMs to evacuate: one lab.migrate per VM, the same kind of work",
}


@pytest.mark.parametrize("lab_id", sorted(set(lab_ids()) - set(UNEVEN_BY_DESIGN)))
def test_reference_solution_takes_the_same_steps_on_every_variant(lab_id):
    solve = importlib.import_module(f"vmotion_labs.{lab_spec(lab_id).folder}.solution").solve
    steps = {len(solve(Lab.open(lab_id, x)).operations) for x in SAMPLE[:8]}
    assert len(steps) == 1, f"{lab_id}: the reference solution takes {sorted(steps)} steps"


@pytest.mark.parametrize("lab_id", lab_ids())
def test_notebook_states_the_hidden_check_count_of_lab_yaml(lab_id):
    folder = ROOT / "labs" / lab_spec(lab_id).folder
    declared = len(re.findall(r"^\s+- \{id:", (folder / "lab.yaml").read_text(), re.M))
    nb = json.loads((folder / f"{lab_id}.ipynb").read_text(encoding="utf-8"))
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    stated = [NUMBERS[w.lower()] for w in re.findall(r"\b(\w+) hidden checks?\b", text)
              if w.lower() in NUMBERS]
    assert all(n == declared for n in stated), f"{lab_id}: says {stated}, lab.yaml has {declared}"


# ---- lab05 -----------------------------------------------------------------------------------

#: words that would name each drawn fault's cause (what the fix changes); vCenter's text for the
#: variant must contain none of them
CAUSE_WORDS = {"T3": ("subnet", "vlan", "route", "gateway"),
               "T4": ("mtu", "jumbo", "frame", "8972"),
               "T5": ("label", "port group", "renamed"),
               "T9": ("nx", "xd", "bios")}


def _lab(fault, learner="alice"):
    base = Lab.open("lab05", learner)
    params = {**all_params(base), "fault": fault}
    spec = spec_of(base)
    return Lab(spec, Variant("lab05", learner, params, "s"), spec.build_start(params))


def _vcenter_view(env, p):
    """What the learner is shown (lab05.ipynb): vCenter's error findings and the task error."""
    res = migrate(env, MigrationRequest(p["vm"], target=p["host_b"]))
    errs = [f for f in res.findings if f.is_error]
    shown = [f.message for f in errs if f.vcenter_checks]
    if res.failed_at:
        shown.append(res.failed_at.message)
    return res, errs, " ".join(shown)


def test_sample_draws_only_fair_faults_and_covers_them():
    drawn = {all_params(Lab.open("lab05", x))["fault"] for x in SAMPLE}
    assert drawn == set(faults.FAULT_IDS) == set(CAUSE_WORDS)
    assert set(faults.FAULT_IDS) < set(faults.CATALOGUE)  # the rest are plausible menu answers


@pytest.mark.parametrize("learner", SAMPLE)
def test_lab05_variant_is_as_hard_as_the_others(learner):
    lab = Lab.open("lab05", learner)
    p = all_params(lab)
    res, errs, shown = _vcenter_view(plain_env(lab.start_env), p)
    assert not res.ok
    assert len({f.code for f in errs}) == 1, [str(f) for f in errs]
    assert not [w for w in CAUSE_WORDS[p["fault"]] if re.search(rf"\b{w}", shown, re.I)], shown
    entries = {faults.ENTRY_OF_RULE[f.rule_id] for f in errs}
    assert entries == {p["fault"]}, f"the finding points to {entries}, the answer is {p['fault']}"
    fixed = solution.FIXES[p["fault"]](plain_env(lab.start_env), p)
    assert changed_objects(lab.start_env, fixed, p["vm"]) == [f"host {p['host_b']}"]


def test_cause_words_catch_a_variant_that_names_its_cause():
    """The check above can fail: the licence fault's error says 'not licensed' (why T11 is only
    a menu answer)."""
    lab = _lab("T11")
    _res, _errs, shown = _vcenter_view(plain_env(lab.start_env), all_params(lab))
    assert re.search(r"\blicens", shown, re.I)


def _signature(env, p):
    """Error rule ids of the dry run, plus which vMotion-side settings of the two hosts differ."""
    res = migrate(env, MigrationRequest(p["vm"], target=p["host_b"]))
    a, b = env.host(p["host_a"]), env.host(p["host_b"])
    diff = {what for what, get in (("stacks", lambda h: sorted(v.tcpip_stack for v in h.vmknics)),
                                   ("services", lambda h: sorted(map(tuple, (v.services for v in
                                                                             h.vmknics)))))
            if get(a) != get(b)}
    return tuple(sorted({f.rule_id for f in res.findings if f.is_error})), tuple(sorted(diff))


@pytest.mark.parametrize("learner", SAMPLE[:4])
def test_lab05_symptoms_lead_to_exactly_one_menu_answer(learner):
    lab = Lab.open("lab05", learner)
    p = all_params(lab)
    healthy = solution.FIXES[p["fault"]](plain_env(lab.start_env), p)
    seen = {fid: _signature(faults.CATALOGUE[fid][1](healthy, p), p) for fid in faults.CATALOGUE}
    assert len(set(seen.values())) == len(seen), seen
    own = _signature(plain_env(lab.start_env), p)
    assert [fid for fid, s in seen.items() if s == own] == [p["fault"]]
