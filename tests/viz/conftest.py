"""Representative pre-copy results for the figure tests (small VMs keep the suite fast)."""

import pytest

from vmotion_core.precopy import Link, Policy, PrecopyConfig, Workload, simulate_precopy


def _sim(**kw):
    kw.setdefault("memory_gib", 2)
    return simulate_precopy(PrecopyConfig(**kw))


@pytest.fixture(scope="session")
def converging():
    return _sim(workload=Workload("uniform", 300), heatmap=True)


@pytest.fixture(scope="session")
def throttled():
    """Dirtying keeps pace with a 1 Gbit/s link: SDPS has to slow the guest."""
    res = _sim(workload=Workload("uniform", 110), link=Link(bandwidth_gbps=1))
    assert res.max_throttle > 0, "fixture must exercise SDPS"
    return res


@pytest.fixture(scope="session")
def failed():
    res = _sim(memory_gib=16, workload=Workload("sweep", 2000), link=Link(bandwidth_gbps=1),
               policy=Policy(sdps=False))
    assert res.outcome == "failed"
    return res


@pytest.fixture(scope="session")
def hotset():
    return _sim(workload=Workload("hotset", 1500, hot_fraction=0.1, hot_share=0.95),
                heatmap=True)


@pytest.fixture(scope="session")
def xen():
    return _sim(workload=Workload("uniform", 300), policy=Policy(name="xen"))
