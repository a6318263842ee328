"""Host evacuation: what composing the public migration steps costs.

``plan_evacuation`` runs every VM through ``execute()`` (classify -> check -> execute: the
timeline and log lines included) instead of calling the pre-copy engine directly. This prints,
for lab06's crowded host (10-13 running VMs, two targets), the median wall time of
``plan_evacuation`` and of ``simulate_evacuation`` (one wave per 8 VMs), next to the engine-only
floor: the same VMs' pre-copy simulations alone (``simulate_precopy``), and the ratio.

    .venv/bin/python benchmarks/evacuation_bench.py [--repeats N] [--learners a,b,c]
"""

import argparse
import statistics
import time

from vmotion_core.migration import precopy_config_for
from vmotion_core.migration.evacuation import plan_evacuation, simulate_evacuation
from vmotion_core.migration.run import vmotion_path
from vmotion_core.plan import MigrationRequest, classify
from vmotion_core.precopy import BACKEND, simulate_precopy
from vmotion_labs import Lab


def _median_ms(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _engine_floor(env, ev):
    """The pre-copy simulations of the plan's moves, nothing else: same VM, target and number of
    migrations sharing the network (``m.concurrent``) as in the plan ``ev``."""
    for m in ev.moves:
        if m.concurrent:
            req = MigrationRequest(m.vm, target=m.target)
            plan = classify(env, req)
            simulate_precopy(precopy_config_for(env, plan, vmotion_path(env, plan, req,
                                                                        m.concurrent)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--learners", default="alice,bob,carol")
    args = ap.parse_args(argv)
    print(f"backend {BACKEND}; median of {args.repeats} runs after one warm-up")
    print(f"{'learner':8} {'VMs':>4} {'plan_evacuation':>16} {'simulate (waves)':>17} "
          f"{'engine floor':>13} {'plan / floor':>13}")
    for learner in args.learners.split(","):
        lab = Lab.open("lab06", learner=learner)
        env, p = lab.start_env, lab.params
        vms = [v.name for v in env.vms_on(p["host_x"])]
        targets = (p["host_y"], p["host_z"])
        pairs = [(vm, targets[i % 2]) for i, vm in enumerate(vms)]
        waves = [pairs[i:i + 8] for i in range(0, len(pairs), 8)]
        plan_ms = _median_ms(lambda: plan_evacuation(env, p["host_x"]), args.repeats)
        sim_ms = _median_ms(lambda: simulate_evacuation(env, waves), args.repeats)
        ev = plan_evacuation(env, p["host_x"])
        floor_ms = _median_ms(lambda: _engine_floor(env, ev), args.repeats)
        print(f"{learner:8} {len(vms):4d} {plan_ms:13.1f} ms {sim_ms:14.1f} ms "
              f"{floor_ms:10.1f} ms {plan_ms / floor_ms:12.2f}x")


if __name__ == "__main__":
    main()
