"""``vmotion migrate SCENARIO --vm VM --to HOST_OR_CLUSTER [...] [--seed N] [--json]``.

Runs the checks and, if vCenter's pre-check passes, the migration: prints the timeline and the
log lines. A migration that passed the pre-check and failed later (a simulator-only rule such as
N1, or the switchover limit) says where it failed. Exit codes: 0 migrated, 1 blocked or failed
(the VM stays where it was), 2 bad input.
"""

import json

from ..migration import migrate
from ._migrate_args import add_request_arguments, flag_errors, load_env, request_from_args
from ._types import whole_number


def register(subparsers):
    p = subparsers.add_parser(
        "migrate", help="run a migration: checks, timeline, pre-copy, log lines",
        description="Migrate a VM in a simulated scenario. Exit 0: migrated; 1: blocked or "
                    "failed; 2: bad input.")
    add_request_arguments(p)
    p.add_argument("--seed", type=whole_number, default=0, help="seed of the pre-copy simulation")
    p.set_defaults(func=run)


def run(args):
    env = load_env(args.scenario)
    with flag_errors():
        result = migrate(env, request_from_args(args), seed=args.seed)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return 0 if result.ok else 1
    print(result)
    if result.bandwidth is not None:
        print(f"  vMotion network: {result.bandwidth.explanation}")
    for f in result.findings:
        print(f"  {f}")
    print("\nLog:")
    for line in result.log_lines:
        print(f"  {line}")
    if result.status == "failed-late":
        print(f"\nSTARTED, THEN FAILED: vCenter's compatibility check passed, then the task "
              f"{result.failed_at}.\nThe VM stays on {result.plan.source_host}.")
    elif result.status in ("blocked", "not-run"):
        print(f"\nNOT STARTED: {result.reason}")
    return 0 if result.ok else 1
