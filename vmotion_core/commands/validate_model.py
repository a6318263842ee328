"""``vmotion validate-model [--case V3 ...] [--brief] [--json]``: run the model's validation cases.

Runs the cases V1-V13 of precopy-models.md §9 (see ``vmotion_core.validation``) and prints, per
check, the measured value next to the expected one with its tolerance and confidence mark.
Exit codes: 0 every check passed, 1 at least one failed, 2 bad input (unknown case).

The command was called ``vmotion validate`` until 0.1, a name easily taken for
``vmotion scenario validate`` (which checks a scenario file); the old name still works for this
release and says so on stderr.
"""

import json
import math
import sys

from ..errors import UsageError
from ..precopy import available_backends
from ..validation import get_case, run_cases

NAME, OLD_NAME = "validate-model", "validate"
_COLUMNS = ("point", "quantity", "measured", "expected", "tolerance", "mark", "status")
_DEPRECATED = (f"note: 'vmotion {OLD_NAME}' is now 'vmotion {NAME}'; the old name will be removed "
               "in a later release")


def register(subparsers):
    p = subparsers.add_parser(
        NAME, help="check the pre-copy model against closed forms and published results",
        description="Run the validation cases V1-V13 (closed forms; Xen, QEMU and SimGrid "
                    "behaviour; Clark et al. 2005; vMotion facts) on the simulator and print "
                    "measured vs expected. Exit 0: all pass; 1: a check failed; 2: bad input. "
                    "To check a scenario file, use 'vmotion scenario validate FILE'.")
    _add_arguments(p)
    # the old name: same arguments, left out of the command list (no help=), says it is old
    old = subparsers.add_parser(OLD_NAME, description=f"Deprecated name of 'vmotion {NAME}'.")
    _add_arguments(old)


def _add_arguments(p):
    p.add_argument("--case", action="append", default=None, metavar="ID",
                   help="run only this case (V1..V13); repeat or separate with commas")
    p.add_argument("--brief", action="store_true", help="one line per case instead of every check")
    p.add_argument("--backend", choices=("cython", "python"), default=None,
                   help="page kernel to use (default: the compiled one if built)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of tables")
    p.set_defaults(func=run)


def _case_ids(raw):
    if not raw:
        return None
    ids = [part.strip() for item in raw for part in item.split(",")]
    if not all(ids):
        raise UsageError("--case: empty case id; use e.g. --case V3")
    return ids


def run(args):
    ids = _case_ids(args.case)
    for i in ids or ():
        get_case(i)  # raises UsageError (exit 2) for an unknown id before anything runs
    if args.backend and args.backend not in available_backends():
        raise UsageError(f"--backend: the {args.backend} kernel is not available here "
                         f"(available: {', '.join(available_backends())})")
    report = run_cases(ids, backend=args.backend)
    if args.json:
        print(json.dumps(report.to_dict()))
    else:
        print(format_report(report, brief=args.brief))
    if getattr(args, "command", NAME) == OLD_NAME:  # after the run: a usage error stays one line
        print(_DEPRECATED, file=sys.stderr)
    return 0 if report.passed else 1


def _fmt(value):
    if value is None or isinstance(value, (bool, str)):
        return "-" if value is None else str(value)
    if isinstance(value, tuple):
        return f"{_fmt(value[0])} .. {_fmt(value[1])}"
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) >= 1e4:
        return f"{int(value):,}"
    if value != 0 and (abs(value) >= 1e7 or abs(value) < 1e-3):
        return f"{value:.6g}"
    return f"{value:.6f}".rstrip("0").rstrip(".") if abs(value) < 1e4 else f"{value:,.3f}"


def _table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
                     for r in rows)


def _summary(c):
    n = c.counts
    info = f", {n['info']} info" if n["info"] else ""
    verdict = "PASS" if c.passed else "FAIL"
    return (c.case.id, c.case.title, c.case.mark, c.case.level,
            f"{n['pass']}/{n['pass'] + n['FAIL']} pass{info}", verdict)


def format_report(report, brief=False):
    """The report as text: per case a table of checks (unless ``brief``), then a summary."""
    out = []
    if not brief:
        for c in report.cases:
            out.append(f"{c.case.id}  {c.case.title}  {c.case.mark}, {c.case.level}")
            out.append(f"  source: {c.case.source}")
            rows = [_COLUMNS]
            for r in c.results:
                chk = r.check
                unit = f" {chk.unit}" if chk.unit else ""
                rows.append((chk.point, chk.quantity, _fmt(r.measured) + unit,
                             _fmt(chk.expected) + unit, chk.tolerance_text(), chk.mark, r.status))
            out.append(_table(rows))
            out.append("")
    rows = [("case", "title", "mark", "level", "checks", "result")]
    rows += [_summary(c) for c in report.cases]
    out.append(f"Validation of the pre-copy model (precopy-models.md §9), {report.backend} kernel")
    out.append(_table(rows))
    failed = [c.case.id for c in report.cases if not c.passed]
    checks = sum(len(c.results) for c in report.cases)
    out.append(f"{len(report.cases) - len(failed)} of {len(report.cases)} cases pass "
               f"({checks} checks) in {report.elapsed_s:.1f} s"
               + (f"; failed: {', '.join(failed)}" if failed else "."))
    return "\n".join(out)
