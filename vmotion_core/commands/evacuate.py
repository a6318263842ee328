"""``vmotion evacuate SCENARIO --host HOST [--target HOST ...] [--seed N] [--json]``.

Plans moving every VM off a host (before maintenance mode): placement, start times within the limits
on simultaneous migrations (the rest queued until a slot frees), per-VM pre-copy and stun times
on the shared vMotion network.
Exit codes: 0 every VM can leave, 1 some VM is blocked or fails, 2 bad input.
"""

import json

from ..migration.evacuation import plan_evacuation
from ._migrate_args import flag_errors, load_env
from ._types import whole_number


def register(subparsers):
    p = subparsers.add_parser(
        "evacuate", help="plan a host evacuation: placement, queued starts, times, blocked VMs",
        description="Plan moving every VM off a host in a simulated scenario. Exit 0: every VM "
                    "can leave; 1: some VM is blocked or fails; 2: bad input.")
    p.add_argument("scenario", metavar="SCENARIO", help="built-in scenario name or YAML file")
    p.add_argument("--host", required=True, help="the host to empty")
    p.add_argument("--target", action="append", metavar="HOST", dest="targets",
                   help="a host that may receive VMs (repeatable; default: the cluster's others)")
    p.add_argument("--seed", type=whole_number, default=0, help="seed of the pre-copy simulations")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args):
    env = load_env(args.scenario)
    with flag_errors({"host": "--host"}):
        env.host(args.host)
    with flag_errors({"host": "--target"}):
        for name in args.targets or ():
            env.host(name)
    with flag_errors({"host": "--host", "targets": "--target", "seed": "--seed"}):
        plan = plan_evacuation(env, args.host, targets=args.targets, seed=args.seed)
    print(json.dumps(plan.to_dict(), indent=2) if args.json else plan)
    return 0 if plan.ok else 1
