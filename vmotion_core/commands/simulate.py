"""``vmotion simulate``: run the pre-copy model once and print a table or one JSON object.

Exit codes: 0 the VM switched over, 1 the migration failed (VM stays on the source), 2 bad input.
"""

import json
import re

from ..errors import ConfigError
from ..fields import meaning_of, schema_of
from ..precopy import simulate_precopy
from ..precopy.config import POLICY_NAMES, WORKLOAD_KINDS, Link, Policy, PrecopyConfig, Workload
from ..units import GiB, KiB, MiB, parse_duration, parse_fraction, parse_rate, parse_size
from ._types import whole_number

# config field -> the flag a learner typed, so an error names what they can change
_FLAGS = {
    "memory_gib": "--memory", "page_size_kib": "--page-size",
    "workload.dirty_rate_mibps": "--dirty-rate", "workload.hot_fraction": "--hot-fraction",
    "workload.hot_share": "--hot-share", "workload.kind": "--workload",
    "link.bandwidth_gbps": "--bandwidth", "link.streams": "--streams",
    "link.efficiency": "--efficiency", "link.rtt_ms": "--rtt", "link.concurrent": "--concurrent",
    "policy.name": "--policy", "policy.goal_ms": "--goal",
    "policy.downtime_limit_ms": "--downtime-limit", "policy.max_rounds": "--max-rounds",
    "checkpoint_mib": "--checkpoint", "resume_ms": "--resume", "seed": "--seed",
}


def _help(cls, name, cli_default=None, allowed=False):
    """Help text from the field's declaration (its meaning and, with ``allowed``, its range),
    plus the flag's default as typed on the command line."""
    check = schema_of(cls)[name]
    extra = [getattr(check, "inner", check).doc] if allowed else []  # a flag left out is None
    extra += [f"default {cli_default}"] if cli_default else []
    return meaning_of(cls, name) + (f" ({'; '.join(extra)})" if extra else "")


def register(subparsers):
    cfg, w, lk, pol = PrecopyConfig, Workload, Link, Policy
    p = subparsers.add_parser(
        "simulate", help="simulate memory pre-copy and switchover for one VM",
        description="Simulate vMotion's iterative memory pre-copy, page by page, and print the "
                    "rounds, the stun time and whether the migration switched over.")
    p.add_argument("--memory", default="16GiB", help=_help(cfg, "memory_gib", "16GiB; 1MiB..24TiB"))
    p.add_argument("--dirty-rate", default="0MiB/s",
                   help=_help(w, "dirty_rate_mibps", "0; e.g. 500MiB/s"))
    p.add_argument("--bandwidth", default="10Gbit/s", help=_help(lk, "bandwidth_gbps", "10Gbit/s"))
    # a phased workload is built in Python (a list of phases), not typed as one flag
    kinds = tuple(k for k in WORKLOAD_KINDS if k != "phased")
    p.add_argument("--workload", default="uniform", choices=kinds,
                   help=_help(w, "kind", "uniform"))
    p.add_argument("--hot-fraction", default="10%", help=_help(w, "hot_fraction", "10%%"))
    p.add_argument("--hot-share", default="90%", help=_help(w, "hot_share", "90%%"))
    p.add_argument("--streams", type=whole_number, default=None,
                   help=_help(lk, "streams", allowed=True))
    p.add_argument("--policy", default="vmotion", choices=POLICY_NAMES,
                   help=_help(pol, "name", "vmotion"))
    p.add_argument("--goal", default="500ms", help=_help(pol, "goal_ms", "500ms"))
    p.add_argument("--no-sdps", action="store_true", help="turn off " + meaning_of(pol, "sdps"))
    p.add_argument("--downtime-limit", default="300ms",
                   help=_help(pol, "downtime_limit_ms", "300ms"))
    p.add_argument("--auto-converge", action="store_true", help=meaning_of(pol, "auto_converge"))
    p.add_argument("--max-rounds", type=whole_number, default=None,
                   help=_help(pol, "max_rounds", allowed=True))
    p.add_argument("--page-size", default="4KiB", help=_help(cfg, "page_size_kib", "4KiB; or 2MiB"))
    p.add_argument("--efficiency", default="94%", help=_help(lk, "efficiency", "94%%"))
    p.add_argument("--rtt", default="0ms", help=_help(lk, "rtt_ms", "0ms"))
    p.add_argument("--concurrent", type=whole_number, default=1,
                   help=_help(lk, "concurrent", allowed=True))
    p.add_argument("--encrypted", action="store_true", help=meaning_of(lk, "encrypted"))
    p.add_argument("--checkpoint", default="8MiB", help=_help(cfg, "checkpoint_mib", "8MiB"))
    p.add_argument("--resume", default="20ms", help=_help(cfg, "resume_ms", "20ms"))
    p.add_argument("--exact-writes", action="store_true", help=meaning_of(cfg, "exact_writes"))
    p.add_argument("--seed", type=whole_number, default=0, help=_help(cfg, "seed", "0"))
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.set_defaults(func=run)


def build_config(args):
    """Turn parsed CLI arguments into a PrecopyConfig (errors name the flag)."""
    try:
        page = parse_size(args.page_size, "--page-size")
        workload = Workload(kind=args.workload,
                            dirty_rate_mibps=parse_rate(args.dirty_rate, "--dirty-rate") / MiB,
                            hot_fraction=parse_fraction(args.hot_fraction, "--hot-fraction"),
                            hot_share=parse_fraction(args.hot_share, "--hot-share"))
        link = Link(bandwidth_gbps=parse_rate(args.bandwidth, "--bandwidth") * 8 / 1e9,
                    streams=args.streams,
                    efficiency=parse_fraction(args.efficiency, "--efficiency"),
                    rtt_ms=parse_duration(args.rtt, "--rtt") * 1000,
                    encrypted=args.encrypted, concurrent=args.concurrent)
        policy = Policy(name=args.policy, goal_ms=parse_duration(args.goal, "--goal") * 1000,
                        sdps=not args.no_sdps,
                        downtime_limit_ms=parse_duration(args.downtime_limit,
                                                         "--downtime-limit") * 1000,
                        auto_converge=args.auto_converge, max_rounds=args.max_rounds)
        page_kib = page // KiB if page % KiB == 0 else page / KiB
        return PrecopyConfig(memory_gib=parse_size(args.memory, "--memory") / GiB,
                             page_size_kib=page_kib, workload=workload, link=link, policy=policy,
                             checkpoint_mib=parse_size(args.checkpoint, "--checkpoint") / MiB,
                             resume_ms=parse_duration(args.resume, "--resume") * 1000,
                             exact_writes=args.exact_writes, seed=args.seed)
    except ConfigError as exc:
        flag = _FLAGS.get(exc.field, exc.field)
        if flag == exc.field:
            raise
        reason = exc.reason.replace("4 (4 KiB) or 2048 (2 MiB)", "4KiB or 2MiB")
        raw = getattr(args, flag[2:].replace("-", "_"), None)
        if isinstance(raw, str):  # show what was typed, not the value converted to the field's unit
            reason = re.sub(r", got [^,]*$", f", got {raw!r}", reason)
            if flag in ("--bandwidth", "--dirty-rate") and not re.search(r"[A-Za-z]", raw):
                reason += " (a number without a unit is bytes/s; write e.g. 10Gbit/s or 500MiB/s)"
        raise ConfigError(flag, reason) from None


def run(args):
    result = simulate_precopy(build_config(args))
    if args.json:
        print(json.dumps(result.to_dict()))
    else:
        print(result)
    return 0 if result.ok else 1
