"""``vmotion check SCENARIO --vm VM --to HOST_OR_CLUSTER [--datastore DS] [--network SRC=DST] [--json]``.

Runs the compatibility checks for one migration. Findings vCenter's own pre-check would not
report are marked ``[simulator-only ...]``, and codes that are the simulator's own names (no
vSphere API fault type has them; see the rule's source) are marked as such; the JSON says it per
finding (``api_fault``). When only simulator-only errors remain, the summary says that
vCenter would start the migration and where it would fail (from the rule catalogue). Exit codes:
0 no errors (warnings allowed), 1 blocked by errors or predicted to fail, 2 bad input.
"""

import json

from ..compat import check_migration
from ..compat.rules import LATE_STAGES, RULES
from ..migration import classify
from ._migrate_args import add_request_arguments, flag_errors, load_env, request_from_args

#: Tag for a code that is not a vSphere API fault type (RULES[...].fault_documented is False).
SIM_NAME_TAG = "[simulator's name: no vSphere API fault]"


def register(subparsers):
    p = subparsers.add_parser(
        "check", help="compatibility checks for a migration (like the wizard's panel)",
        description="Check whether a VM can migrate, worded like vCenter's compatibility panel. "
                    "Findings marked [simulator-only] are ones vCenter's own pre-check would not report: the "
                    "migration would start and fail later. Codes marked "
                    f"{SIM_NAME_TAG} are the simulator's own names; every other code is a "
                    "vSphere API fault type. Exit 0: no errors; 1: blocked or "
                    "predicted to fail; 2: bad input.")
    add_request_arguments(p)
    p.set_defaults(func=run)


def run(args):
    env = load_env(args.scenario)
    with flag_errors():
        req = request_from_args(args)
        plan = classify(env, req)
        findings = check_migration(env, req)
    ok = not any(f.severity == "error" for f in findings)
    vcenter_ok = not any(f.severity == "error" and f.vcenter_checks for f in findings)
    if args.json:
        print(json.dumps({"scenario": env.name, "vm": plan.vm, "migration_type": plan.label,
                          "source_host": plan.source_host, "target_host": plan.target_host,
                          "drs_pick": plan.drs_pick, "ok": ok, "vcenter_ok": vcenter_ok,
                          "late_failure": _late_text(findings) if vcenter_ok and not ok else None,
                          "findings": [dict(f.to_dict(), api_fault=_api_fault(f))
                                       for f in findings],
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
        if not _api_fault(f):
            tag += "  " + SIM_NAME_TAG
        print(f"\n{f.severity.upper()} {f.code} ({f.rule_id}){tag}\n  {f.message}\n"
              f"  object: {f.object}\n  fix: {f.fix}\n  source: {f.source}")
    errors = sum(f.severity == "error" for f in findings)
    hidden = sum(f.severity == "error" and not f.vcenter_checks for f in findings)
    head = f"\n{errors} error(s)" + (f" ({hidden} simulator-only)" if hidden else "")
    if ok:
        verdict = "migration allowed"
    elif vcenter_ok:
        verdict = ("vCenter's compatibility check would pass, but " + _late_text(findings))
    else:
        verdict = "migration blocked by vCenter's compatibility check"
    print(f"{head}, {len(findings) - errors} warning(s): {verdict}")
    return 0 if ok else 1


def _api_fault(finding):
    """True when the finding's code is a vSphere API fault type (the catalogue's mark)."""
    rule = RULES.get(finding.rule_id)
    return rule is not None and rule.fault_documented


def _late_text(findings):
    """How the run would end, from the first simulator-only error's catalogue entry."""
    f = next(f for f in findings if f.severity == "error" and not f.vcenter_checks)
    r = RULES[f.rule_id]
    if not r.late_failure:
        return (f"the simulator does not run it ({f.rule_id}: outside what vSphere supports; "
                "how such a run ends is not modelled)")
    at = f" at about {r.fails_at_percent}%" if r.fails_at_percent is not None else ""
    text = r.runtime_message or f.message
    return (f"the migration would start and then fail{at} during the "
            f"{LATE_STAGES[r.fails_at]} ({f.rule_id}): {text} [{r.runtime_source or r.source}]")
