"""vMotion Workshop core: a page-level live-migration simulator and a simulated vSphere site.

The public API is what ``__all__`` lists; everything else is internal. Figures live in
``vmotion_core.viz`` and widgets in ``vmotion_core.widgets`` (imported on demand, since they pull
in matplotlib and ipywidgets).

>>> import vmotion_core as vm
>>> env = vm.load_scenario("healthy-cluster")
>>> result = vm.migrate(env, vm.MigrationRequest(vm="web01", target="esx-02"))
>>> result.status
'ok'

Layers, lowest first (``docs/architecture.md``): ``units``/``errors``; ``precopy`` and
``inventory``; ``plan``; ``compat``; ``migration``; ``viz``, ``validation``, ``logread``;
``widgets``; ``commands``/``cli``. A package imports only from the layers below it.
"""

__version__ = "0.1.0"

from .compat import RULES, Finding, check_batch, check_migration, vmotion_bandwidth  # noqa: E402
from .errors import ConfigError, ScenarioError, UsageError, VMotionError  # noqa: E402
from .inventory import Environment, dump_scenario, list_scenarios, load_scenario  # noqa: E402
from .migration import (EvacuationPlan, MigrationResult, migrate, plan_evacuation,  # noqa: E402
                        simulate_evacuation)
from .plan import MigrationRequest, classify  # noqa: E402
from .precopy import (BACKEND, Link, Policy, PrecopyConfig, PrecopyResult,  # noqa: E402
                      PrecopyRun, RoundRecord, Workload, analytic_precopy, simulate_precopy)

__all__ = [
    "__version__", "BACKEND",
    # memory pre-copy model
    "PrecopyConfig", "Workload", "Link", "Policy", "simulate_precopy", "PrecopyRun",
    "PrecopyResult", "RoundRecord", "analytic_precopy",
    # simulated vSphere site
    "Environment", "load_scenario", "dump_scenario", "list_scenarios",
    # compatibility checks and migration
    "check_migration", "check_batch", "Finding", "RULES", "vmotion_bandwidth",
    "MigrationRequest", "MigrationResult", "classify", "migrate",
    # host evacuation (maintenance mode)
    "plan_evacuation", "simulate_evacuation", "EvacuationPlan",
    # errors
    "VMotionError", "ConfigError", "ScenarioError", "UsageError",
]
