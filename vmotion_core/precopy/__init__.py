"""Memory pre-copy and switchover model: a page-level simulator of how vMotion copies RAM.

Typical use::

    from vmotion_core.precopy import PrecopyConfig, Workload, Link, simulate_precopy
    res = simulate_precopy(PrecopyConfig(memory_gib=16, workload=Workload("uniform", 500),
                                         link=Link(bandwidth_gbps=10)))
    print(res)

``BACKEND`` says which page kernel runs: ``"cython"`` (compiled) or ``"python"`` (NumPy twin);
both give identical results for the same seed. See design.md §3 and precopy-models.md.
"""

from ._backend import BACKEND, available_backends
from .analytic import AnalyticResult, analytic_precopy, geometric, qemu_like, simgrid_like, xen_like
from .config import POLICY_NAMES, WORKLOAD_KINDS, Link, Policy, PrecopyConfig, Workload
from .engine import (PrecopyRun, simulate_precopy, stop_threshold_bytes, switchover_threshold_bytes,
                     switchover_time_s)
from .policies import switchover_failure_message
from .result import PrecopyResult, RoundRecord

__all__ = [
    "PrecopyConfig", "Workload", "Link", "Policy", "simulate_precopy", "PrecopyRun",
    "PrecopyResult", "RoundRecord", "analytic_precopy", "AnalyticResult", "BACKEND",
    "available_backends",
    "geometric", "xen_like", "qemu_like", "simgrid_like", "switchover_failure_message",
    "switchover_time_s", "switchover_threshold_bytes", "stop_threshold_bytes",
    "WORKLOAD_KINDS", "POLICY_NAMES",
]
