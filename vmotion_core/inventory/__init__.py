"""The simulated vSphere inventory: model, scenarios (YAML), lookups and mutations.

>>> from vmotion_core.inventory import load_scenario
>>> env = load_scenario("healthy-cluster")
>>> env2 = env.set_vmknic("esx-02", "vmk1", mtu=9000)
>>> env2.changes[-1]
'esx-02 vmk1: mtu 1500 -> 9000'
"""

from .environment import Environment
from .model import *  # noqa: F401,F403 (re-export the dataclasses)
from .model import __all__ as _model_all
from .scenario import (SECTIONS, dump_scenario, environment_to_dict, list_scenarios,
                       load_scenario, load_scenario_text, scenario_from_dict, validate_scenario)

__all__ = ["Environment", "load_scenario", "load_scenario_text", "scenario_from_dict",
           "dump_scenario", "list_scenarios", "validate_scenario", "environment_to_dict",
           "SECTIONS", *_model_all]
