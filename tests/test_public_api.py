"""The public API is exactly what vmotion_core.__all__ lists, and each name is documented."""

import vmotion_core


def test_all_names_exist_and_are_documented():
    for name in vmotion_core.__all__:
        obj = getattr(vmotion_core, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"


def test_backend_is_the_one_the_run_asked_for(expected_backend):
    """VMOTION_PURE_PYTHON / VMOTION_REQUIRE_COMPILED pick the kernel (tests/conftest.py works out
    which independently); the package reports it and every result says which kernel ran."""
    assert vmotion_core.BACKEND == expected_backend
    res = vmotion_core.simulate_precopy(vmotion_core.PrecopyConfig(memory_gib=0.25))
    assert res.backend == expected_backend


def test_quickstart_from_the_package_docstring():
    env = vmotion_core.load_scenario("healthy-cluster")
    result = vmotion_core.migrate(env, vmotion_core.MigrationRequest(vm="web01", target="esx-02"))
    assert result.ok
    assert result.environment.vm("web01").host == "esx-02"
    assert env.vm("web01").host == "esx-01"  # the old environment is untouched
