"""Result objects: JSON-safe dicts, text table, HTML."""

import json

import numpy as np
import pytest

from precopy_helpers import fluid_config

from vmotion_core.precopy import Policy, RoundRecord, simulate_precopy


@pytest.fixture
def result(small_config):
    return simulate_precopy(small_config.replace(heatmap=True))


def test_to_dict_is_json_safe_and_complete(result):
    d = json.loads(json.dumps(result.to_dict()))
    for key in ("total_time_s", "precopy_s", "downtime_ms", "bytes_sent", "page_writes",
                "n_rounds", "converged", "outcome", "policy", "backend", "rounds", "stop_reason"):
        assert key in d
    assert len(d["rounds"]) == result.n_rounds
    assert set(d["rounds"][0]) == {"index", "start_s", "duration_s", "pages_sent", "bytes_sent",
                                   "page_writes", "pages_dirtied", "throttle", "detail"}
    assert d["config"]["workload"]["kind"] == "hotset"
    assert len(d["heatmap"]) == len(result.heatmap)


def test_results_are_frozen(result):
    with pytest.raises(AttributeError):
        result.outcome = "failed"
    with pytest.raises(AttributeError):
        result.rounds[0].pages_sent = 0


def test_text_table_and_html(result):
    text = str(result)
    assert "switched-over" in text and "downtime (stun)" in text
    assert text.count("\n") >= result.n_rounds + 10
    html = result._repr_html_()
    assert html.startswith("<div") and "<table>" in html and "page writes" in html


def test_long_runs_are_elided_in_the_table():
    res = simulate_precopy(fluid_config(0.9, Policy(goal_ms=1.6384, sdps=False)))
    assert res.n_rounds == 82
    lines = str(res).splitlines()
    assert any(line.split()[:1] == ["..."] for line in lines)
    assert len(lines) < 70


def test_round_record_end():
    r = RoundRecord(2, 1.5, 0.25, 10, 40960, 12, 9, 0.2)
    assert r.end_s == 1.75 and r.to_dict()["throttle"] == 0.2
    assert isinstance(r.to_dict()["pages_sent"], int)
    assert not isinstance(np.float64(1), int)  # sanity: to_dict casts NumPy scalars
