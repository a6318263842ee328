"""``vmotion check SCENARIO --vm VM --to HOST_OR_CLUSTER [--datastore DS] [--network SRC=DST] [--json]``.

Runs the compatibility checks for one migration. Exit codes: 0 no errors (warnings allowed),
1 blocked by errors, 2 bad input.
"""

import json

from ..compat import check_migration
from ..migration import classify
from ._migrate_args import add_request_arguments, flag_errors, load_env, request_from_args


def register(subparsers):
    p = subparsers.add_parser(
        "check", help="compatibility checks for a migration (like the wizard's panel)",
        description="Check whether a VM can migrate, worded like vCenter's compatibility panel. "
                    "Exit 0: no errors; 1: blocked by errors; 2: bad input.")
    add_request_arguments(p)
    p.set_defaults(func=run)


def run(args):
    env = load_env(args.scenario)
    with flag_errors():
        req = request_from_args(args)
        plan = classify(env, req)
        findings = check_migration(env, req)
    ok = not any(f.severity == "error" for f in findings)
    if args.json:
        print(json.dumps({"scenario": env.name, "vm": plan.vm, "migration_type": plan.label,
                          "source_host": plan.source_host, "target_host": plan.target_host,
                          "drs_pick": plan.drs_pick, "ok": ok,
                          "findings": [f.to_dict() for f in findings],
                          "plan": plan.to_dict()}, indent=2))
        return 0 if ok else 1
    print(f"{plan.vm}: {plan.label} ({plan.wizard_choice}) {plan.source_host} -> {plan.target_host}")
    if plan.drs_pick:
        print(f"  {plan.drs_pick}")
    for note in plan.notes:
        print(f"  {note}")
    if not findings:
        print("Compatibility checks succeeded.")
    for f in findings:
        tag = "" if f.vcenter_checks else "  [simulator-only: vCenter's pre-check would pass]"
        print(f"\n{f.severity.upper()} {f.code} ({f.rule_id}){tag}\n  {f.message}\n"
              f"  object: {f.object}\n  fix: {f.fix}\n  source: {f.source}")
    errors = sum(f.severity == "error" for f in findings)
    print(f"\n{errors} error(s), {len(findings) - errors} warning(s): "
          + ("migration allowed" if ok else "migration blocked"))
    return 0 if ok else 1
