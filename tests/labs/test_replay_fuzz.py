"""Random operation logs (valid names, arbitrary JSON arguments) never crash the replay: each
one is graded or refused with a ``StateError`` naming the step."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vmotion_labs import Lab
from vmotion_labs.grading.instructor import grade
from vmotion_labs.grading.oplog import ENV_OPERATIONS
from vmotion_labs.grading.state import StateError

_LAB = Lab.open("lab03", "alice")
_NAMES = sorted({v.name for v in _LAB.start_env.vms} | {h.name for h in _LAB.start_env.hosts}
                | {"vmk0", "vmk1", "vSwitch0", "CD/DVD drive 1", "Network adapter 1"})
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(-1e9, 1e9),
                    st.sampled_from(_NAMES), st.text(max_size=12))
_value = st.recursive(_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(st.text(max_size=6),
                                                                        inner, max_size=3)),
                      max_leaves=6)
_env_op = st.builds(lambda do, args, kw: {"do": do, "args": args, "kwargs": kw},
                    st.sampled_from(ENV_OPERATIONS), st.lists(_value, max_size=3),
                    st.dictionaries(st.sampled_from(["host", "mtu", "connected", "vlan",
                                                     "cpu_affinity", "evc_mode", "ip", "x"]),
                                    _value, max_size=2))
_lab_op = st.one_of(
    st.builds(lambda vm, t, a: {"do": "migrate", "vm": vm, "target": t, "datastore": None,
                                "apply": a, "seed": 0, "options": {}},
              _value, _value, st.booleans()),
    st.builds(lambda k, v: {"do": "answer", "key": k, "value": v}, _value, _value),
    st.just({"do": "reset"}),
    st.fixed_dictionaries({"do": st.text(max_size=10)}),
    _value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(_env_op, _lab_op), max_size=6))
def test_random_logs_are_graded_or_refused_never_crashed(ops):
    doc = {**_LAB.submission(), "operations": json.loads(json.dumps(ops))}
    try:
        lab = Lab.from_submission(doc)
    except StateError as exc:
        assert exc.kind in ("replay-failed", "limit") and exc.reason.startswith("step "), exc
        return
    report = grade(lab)
    assert not any(r.crashed for r in report.results), str(report)
