"""Lists and constants that live in one place but are read (or, in C, repeated) elsewhere agree.

Each list has one home: workload kinds and policy names in ``precopy.config``, the scenario's
value lists in ``inventory.model.values``, the splitmix64 constants in ``precopy._rng``. The
compiled kernel cannot import Python constants, so it exports the C values it uses.
"""

import argparse

import pytest

from vmotion_core.cli import build_parser
from vmotion_core.errors import ConfigError
from vmotion_core.inventory import load_scenario, model
from vmotion_core.precopy import _kernel_py, _rng, available_backends, config, policies


def _choices(*argv):
    """The ``choices`` of each option of sub-command ``argv`` (e.g. ``("simulate",)``)."""
    parser = build_parser()
    for word in argv:
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = sub.choices[word]
    return {a.option_strings[0]: tuple(a.choices) for a in parser._actions
            if a.option_strings and a.choices is not None}


def test_splitmix_constants_agree_across_kernels():
    assert _kernel_py.SPLITMIX == _rng.SPLITMIX
    if "cython" in available_backends():
        from vmotion_core.precopy import _kernel
        assert _kernel.SPLITMIX == _rng.SPLITMIX
    # and they are splitmix64's: its first output for seed 0 (Vigna's reference implementation)
    assert _rng.mix64(0 + _rng.GOLDEN) == 0xE220A8397B1DCDAF


def test_scenario_workload_kinds_are_the_engines_without_phased():
    assert model.WORKLOAD_KINDS == tuple(k for k in config.WORKLOAD_KINDS if k != "phased")
    for kind in model.WORKLOAD_KINDS:  # every kind a scenario declares builds a pre-copy workload
        assert config.Workload(kind=kind, dirty_rate_mibps=1).kind == kind


def test_policy_names_are_the_policies_the_engine_has():
    assert set(config.POLICY_NAMES) == set(policies._POLICIES)


def test_cli_choices_come_from_the_lists():
    simulate = _choices("simulate")
    assert simulate["--workload"] == model.WORKLOAD_KINDS
    assert simulate["--policy"] == config.POLICY_NAMES
    for command in ("check", "migrate"):
        assert _choices(command)["--encrypted-vmotion"] == model.ENCRYPTED_VMOTION_MODES


@pytest.mark.parametrize("mode", model.ENCRYPTED_VMOTION_MODES)
def test_a_migration_request_takes_every_encrypted_vmotion_mode_of_a_vm(mode):
    from vmotion_core import MigrationRequest, check_migration

    env = load_scenario("healthy-cluster").set_vm("web01", encrypted_vmotion=mode)
    assert env.vm("web01").encrypted_vmotion == mode
    request = MigrationRequest(vm="web01", target="esx-02", encrypted_vmotion=mode)
    assert request.encrypted_vmotion == mode
    check_migration(env, request)  # the checks read every mode without tripping


def test_a_mode_outside_the_list_is_refused_by_vm_and_request():
    from vmotion_core import MigrationRequest

    with pytest.raises(ConfigError, match="encrypted_vmotion"):
        load_scenario("healthy-cluster").set_vm("web01", encrypted_vmotion="sometimes")
    with pytest.raises(ConfigError, match="encrypted_vmotion"):
        MigrationRequest(vm="web01", target="esx-02", encrypted_vmotion="sometimes")


def test_scenario_sections_are_the_environments_fields():
    """A scenario file's sections (the loader's SECTIONS) are an Environment's public fields."""
    import dataclasses

    from vmotion_core.inventory import SECTIONS, Environment

    fields = dataclasses.fields(Environment)
    assert set(SECTIONS) == {f.name for f in fields if f.init and not f.name.startswith("_")}


def test_a_scenario_workload_is_always_a_valid_engine_workload():
    """A VM's workload profile (scenario) feeds the pre-copy Workload: same shares, and every
    dirty rate a scenario may declare is one the engine takes."""
    from vmotion_core.fields import schema_of

    profile, engine = schema_of(model.WorkloadProfile), schema_of(config.Workload)
    for name in ("hot_fraction", "hot_share"):
        a, b = profile[name], engine[name]
        assert (a.lo, a.hi, a.lo_open) == (b.lo, b.hi, b.lo_open), name
    a, b = profile["dirty_rate_mibps"], engine["dirty_rate_mibps"]
    assert b.lo <= a.lo and a.hi <= b.hi
