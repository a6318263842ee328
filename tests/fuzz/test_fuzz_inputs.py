"""Property-based mutation fuzzing (issue 17): built-in scenarios mutated as data, as YAML text
and as bytes, and ``vmotion`` flag values bent in every way a careless hand or an attacker
might. Each case may load or be rejected; it must never raise anything but the project's
errors, exit with a code other than 0/1/2, print a traceback, or give a physically absurd
result (see fuzzlib). Example counts keep this folder at a few tens of seconds in CI; the large
run is ``python tests/fuzz/run_offline.py``."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzlib

# derandomized: CI sees the same cases on every run (a red build is reproducible); the offline
# run explores fresh ones each time.
FAST = settings(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])
NAMES = sorted(fuzzlib.TEXTS)


@settings(FAST, max_examples=300)
@given(name=st.sampled_from(NAMES), rnd=st.randoms(use_true_random=False))
def test_mutated_scenario_data(name, rnd):
    fuzzlib.run_scenario_data(fuzzlib.mutate_data(rnd, fuzzlib.DATA[name]), rnd)


@settings(FAST, max_examples=150)
@given(name=st.sampled_from(NAMES), rnd=st.randoms(use_true_random=False))
def test_mutated_scenario_python_objects(name, rnd):
    fuzzlib.run_scenario_dict(fuzzlib.mutate_python(rnd, fuzzlib.DATA[name]), rnd)


@settings(FAST, max_examples=400)
@given(name=st.sampled_from(NAMES), rnd=st.randoms(use_true_random=False))
def test_mutated_scenario_text(name, rnd):
    fuzzlib.run_scenario_text(fuzzlib.mutate_text(rnd, fuzzlib.TEXTS[name]), rnd)


@settings(FAST, max_examples=200)
@given(name=st.sampled_from(NAMES), rnd=st.randoms(use_true_random=False))
def test_mutated_scenario_bytes(name, rnd, tmp_path_factory):
    path = tmp_path_factory.mktemp("b") / "s.yaml"
    path.write_bytes(fuzzlib.mutate_bytes(rnd, fuzzlib.TEXTS[name].encode()))
    assert fuzzlib.run_cli(["scenario", "validate", str(path)]) in ("ok", "usage-error")


@settings(FAST, max_examples=250)
@given(rnd=st.randoms(use_true_random=False))
def test_simulate_flag_values(rnd):
    fuzzlib.run_cli(fuzzlib.simulate_argv(rnd))


@settings(FAST, max_examples=120)
@given(name=st.sampled_from(NAMES), rnd=st.randoms(use_true_random=False))
def test_scenario_commands_with_mutated_names_and_seeds(name, rnd):
    fuzzlib.run_cli(fuzzlib.command_argv(rnd, name))


@pytest.mark.parametrize("value", ["9" * 40_000, "١٦GiB", "16\nGiB", "16  GiB", "x" * 100_000])
def test_every_simulate_flag_rejects_bent_values_cleanly(value):
    for flag in sorted(fuzzlib.FLAG_VALUES):
        assert fuzzlib.run_cli(["simulate", f"{flag}={value}"]) == "usage-error", flag
