"""Bad input to the Python API: a VMotionError whose message names the field and what is
allowed, never a TypeError/OverflowError/AttributeError from deep inside."""

import copy
import json
import math
import random

import numpy as np
import pytest
import yaml

from vmotion_core.errors import ConfigError, ScenarioError, VMotionError
from vmotion_core.inventory import dump_scenario, list_scenarios, load_scenario
from vmotion_core.inventory.scenario import scenario_from_dict
from vmotion_core.migration import MigrationRequest, classify, migrate
from vmotion_core.precopy import Link, Policy, PrecopyConfig, Workload, simulate_precopy
from vmotion_core.units import parse_duration, parse_fraction, parse_rate, parse_size
from vmotion_labs import Lab
from vmotion_labs.grading.state import StateError


def _raises(exc_type, fn, *fragments):
    with pytest.raises(exc_type) as info:
        fn()
    for f in fragments:
        assert f in str(info.value), (f, str(info.value))
    return info.value


# --- units -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fn, text, fragment", [
    (parse_size, "1e400GiB", "too large"),
    (parse_size, float("inf"), "finite"),
    (parse_size, 10**400, "finite"),
    (parse_size, "-1GiB", "negative"),
    (parse_rate, "1e999Gbit/s", "too large"),
    (parse_duration, float("nan"), "finite"),
    (parse_fraction, "-5%", "negative"),
])
def test_unit_parsers_reject_with_the_field(fn, text, fragment):
    err = _raises(ConfigError, lambda: fn(text, "--flag"), fragment)
    assert err.field == "--flag"


# --- pre-copy configuration ------------------------------------------------------------------

@pytest.mark.parametrize("make, field, allowed", [
    (lambda: PrecopyConfig(memory_gib=10**400), "memory_gib", "24 TiB"),
    (lambda: PrecopyConfig(memory_gib="16"), "memory_gib", "must be a number"),
    (lambda: PrecopyConfig(memory_gib=float("nan")), "memory_gib", "must be a number"),
    (lambda: PrecopyConfig(memory_gib=math.inf), "memory_gib", "24 TiB"),
    (lambda: PrecopyConfig(checkpoint_mib=10**400), "checkpoint_mib", "65536 MiB"),
    (lambda: PrecopyConfig(page_size_kib=8), "page_size_kib", "2048"),
    (lambda: PrecopyConfig(seed=1.0), "seed", "whole number"),
    (lambda: PrecopyConfig(workload={"kind": "uniform"}), "workload", "must be a Workload"),
    (lambda: Workload(kind="random"), "workload.kind", "uniform, hotset"),
    (lambda: Workload(dirty_rate_mibps=10**400), "workload.dirty_rate_mibps", "1 TiB/s"),
    (lambda: Workload(kind="phased", phases=5), "workload.phases", "list of (duration_s"),
    (lambda: Workload(kind="phased", phases=[(1, "x")]), "workload.phases[0].workload",
     "Workload"),
    (lambda: Link(bandwidth_gbps="10"), "link.bandwidth_gbps", "800 Gbit/s"),
    (lambda: Link(streams=2.0), "link.streams", "whole number between 1 and 16"),
    (lambda: Link(encrypted="yes"), "link.encrypted", "True or False"),
    (lambda: Policy(name="hyperv"), "policy.name", "vmotion, qemu, xen"),
    (lambda: Policy(goal_ms=0), "policy.goal_ms", "above 0"),
    (lambda: Policy(max_time_s=math.inf), "policy.max_time_s", "1e7 s"),
])
def test_precopy_config_errors_name_the_field(make, field, allowed):
    err = _raises(ConfigError, make, allowed)
    assert err.field == field


def test_numpy_numbers_are_numbers():
    """np.arange / np.float32 values work like Python numbers and stay JSON-safe."""
    cfg = PrecopyConfig(memory_gib=np.int64(1), seed=np.int64(3),
                        workload=Workload(dirty_rate_mibps=np.float32(100),
                                          hot_fraction=np.float32(0.5)),
                        link=Link(streams=np.int64(2)))
    assert type(cfg.memory_gib) is int and type(cfg.seed) is int and type(cfg.link.streams) is int
    json.dumps(simulate_precopy(cfg).to_dict(), allow_nan=False)


# --- scenarios -------------------------------------------------------------------------------

@pytest.mark.parametrize("source, fragment", [
    (None, "expected a built-in scenario name or a YAML file path"),
    (5, "expected a built-in scenario name"),
    ("", "expected a built-in scenario name"),
    ("x" * 5000, "no built-in scenario"),
    ("/dev/null", "not a regular file"),
    ("HEALTHY-CLUSTER", "built-in: blocking-devices"),
])
def test_load_scenario_bad_sources(source, fragment):
    err = _raises(ScenarioError, lambda: load_scenario(source))
    assert any(fragment in p for p in err.problems), err.problems


def test_load_scenario_folder_and_file_problems(tmp_path):
    assert "is a folder" in _raises(ScenarioError, lambda: load_scenario(tmp_path)).problems[0]
    (tmp_path / "e.yaml").write_text("")
    assert "empty file" in _raises(ScenarioError,
                                   lambda: load_scenario(tmp_path / "e.yaml")).problems[0]


@pytest.mark.parametrize("name", ["linked-vcenters", "routed-vmotion-stack"])
def test_rejected_uplink_referenced_by_a_vds_is_a_problem_not_a_crash(name):
    data = yaml.safe_load(dump_scenario(load_scenario(name)))
    data["hosts"][0]["uplinks"][0] = None
    err = _raises(ScenarioError, lambda: scenario_from_dict(data, name))
    assert "hosts[0].uplinks[0]: must be a mapping" in err.problems[0]


def test_mutated_scenarios_raise_only_scenario_errors():
    """Seeded fuzz: any field of any built-in scenario set to an odd value -> ScenarioError."""
    rnd = random.Random(7)
    odd = [None, -1, 0, 1e308, float("nan"), "", "x" * 300, [], {}, [None], True,
           "10.0.0.300", 10**20, "esx-01"]
    bases = [yaml.safe_load(dump_scenario(load_scenario(n))) for n, _ in list_scenarios()]

    def paths(node, path=()):
        items = node.items() if isinstance(node, dict) else \
            enumerate(node) if isinstance(node, list) else ()
        for k, v in items:
            yield path + (k,)
            yield from paths(v, path + (k,))
    for _ in range(300):
        data = copy.deepcopy(rnd.choice(bases))
        for _ in range(rnd.randint(1, 3)):
            *parent, key = rnd.choice(list(paths(data)))
            node = data
            for k in parent:
                node = node[k]
            node[key] = rnd.choice(odd)
        try:
            dump_scenario(scenario_from_dict(data, "fuzz"))
        except ScenarioError:
            pass


# --- migration requests ----------------------------------------------------------------------

ENV = load_scenario("healthy-cluster")


@pytest.mark.parametrize("kwargs, field, fragment", [
    (dict(vm="nope", target="esx-02"), "vm", "known: app01"),
    (dict(vm="web01", target="nope"), "target", "known: cl-prod"),
    (dict(vm=None), "vm", "VM name"),
    (dict(vm="web01"), "target", "give a target"),
    (dict(vm="web01", target=5), "target", "name or None"),
    (dict(vm="web01", target="esx-02", network_map=5), "network_map", "mapping"),
    (dict(vm="web01", target="esx-02", network_map="ab"), "network_map", "mapping"),
    (dict(vm="web01", target="esx-02", network_map={"a": 1}), "network_map", "non-empty text"),
    (dict(vm="web01", target="esx-02", disk_datastores=[("a", "b", "c")]), "disk_datastores",
     "SRC=DST"),
    (dict(vm="web01", target="esx-02", priority=["x"]), "priority", "high, regular"),
    (dict(vm="web01", target="esx-02", encrypted_vmotion="maybe"), "encrypted_vmotion",
     "opportunistic"),
])
def test_migration_request_errors(kwargs, field, fragment):
    err = _raises(ConfigError, lambda: classify(ENV, MigrationRequest(**kwargs)), fragment)
    assert err.field == field


@pytest.mark.parametrize("call, field", [
    (lambda: migrate(ENV, "web01"), "request"),
    (lambda: migrate(None, MigrationRequest("web01", "esx-02")), "env"),
    (lambda: migrate(ENV, MigrationRequest("web01", "esx-02"), seed=-1), "seed"),
    (lambda: migrate(ENV, MigrationRequest("web01", "esx-02"), seed="a"), "seed"),
])
def test_migrate_bad_arguments(call, field):
    assert _raises(ConfigError, call).field == field


# --- labs ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lab_id", ["lab99", None, 1, "", "LAB01"])
def test_lab_open_unknown_id(lab_id):
    _raises(ConfigError, lambda: Lab.open(lab_id), "unknown lab", "known: lab01")


@pytest.mark.parametrize("learner", ["a b", None, "x" * 65])
def test_lab_open_bad_learner(learner):
    _raises(ConfigError, lambda: Lab.open("lab01", learner=learner), "learner", "1-64")


@pytest.fixture(scope="module")
def lab04():
    return Lab.open("lab04", "alice")


@pytest.mark.parametrize("key, value, fragment", [
    ("nope", 1, "asks for: rounds, total_s, stun_ms"),
    (["rounds"], 1, "asks for: rounds"),
    ("rounds", 3.0, "expected int"),
    ("rounds", True, "expected int"),
    ("total_s", math.inf, "without NaN or infinity"),
    ("total_s", math.nan, "without NaN or infinity"),
    ("total_s", "fast", "expected number"),
])
def test_lab_answer_bad(lab04, key, value, fragment):
    before = dict(lab04.answers)
    _raises(ConfigError, lambda: lab04.answer(key, value), "answer", fragment)
    assert lab04.answers == before  # a rejected answer changes nothing


def test_lab_answer_numpy_numbers_become_plain(lab04):
    assert type(lab04.answer("rounds", np.int64(4))) is int
    assert type(lab04.answer("stun_ms", np.float32(12.5))) is float
    json.dumps(lab04.submission())


def test_lab_env_must_be_an_environment(lab04):
    _raises(ConfigError, lambda: setattr(lab04, "env", 5), "env", "Environment")


@pytest.mark.parametrize("content, fragment", [
    (None, "No such file"),
    ("", "not valid JSON"),
    (b"\xff\xfe\x00", "not UTF-8"),
    ("[1, 2]", "expected a JSON object"),
    ('{"format": "x"}', "format"),
])
def test_lab_load_bad_files(tmp_path, content, fragment):
    path = tmp_path / "state.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    err = _raises(StateError, lambda: Lab.load(path), fragment)
    assert err.kind == "malformed"


def test_lab_load_non_path_and_folder(tmp_path):
    _raises(ConfigError, lambda: Lab.load(None), "path")
    _raises(StateError, lambda: Lab.load(tmp_path), "cannot read")


def test_lab_save_to_bad_paths_leaves_nothing(tmp_path, lab04):
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("x")
    _raises(ConfigError, lambda: lab04.save(tmp_path / "folder"), "path", "is a folder")
    _raises(ConfigError, lambda: lab04.save(tmp_path / "file" / "s.json"), "path",
            "is a file, not a folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "folder"]
    assert list((tmp_path / "folder").iterdir()) == []
    saved = lab04.save(tmp_path / "ok.json")  # and a good path still works, mode like open()
    assert json.loads(open(saved.path).read())["lab"] == "lab04"
    assert (tmp_path / "ok.json").stat().st_mode & 0o044  # readable by group/others per umask


def test_every_error_is_a_vmotion_error():
    """One base class: a caller (the CLI, a widget) catches VMotionError and prints it."""
    assert issubclass(ConfigError, VMotionError) and issubclass(ScenarioError, VMotionError)
    assert issubclass(StateError, VMotionError)
