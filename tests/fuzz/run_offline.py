"""The large fuzz run of issue 17, by hand (not in CI): thousands of mutated scenarios (as data,
YAML text and bytes), ``vmotion simulate`` flag sets and check/migrate/evacuate calls, through
the same checks as the CI tests (``fuzzlib``). Prints, per kind and in all: cases tried, clean
errors, successes, crashes (must be 0), the slowest case and the peak memory.

    .venv/bin/python tests/fuzz/run_offline.py                 # the default counts
    .venv/bin/python tests/fuzz/run_offline.py --scale 0.1     # a quick look
    .venv/bin/python tests/fuzz/run_offline.py --seed 5 --save crashes/

A case that runs longer than ``--timeout`` seconds counts as a crash (a hang). Crashing inputs
are written to ``--save`` so they can be replayed.
"""

import argparse
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzzlib  # noqa: E402

CLEAN = {"problems", "usage-error", "skipped"}
KINDS = {  # kind -> default number of cases
    "scenario-data": 3000, "scenario-python": 1000, "scenario-text": 2000, "scenario-bytes": 1000,
    "simulate-flags": 1000, "scenario-commands": 300, "near-limits": 40,
}


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang()


def make_case(kind, rnd, tmp):
    """``(description, thunk)`` for one case of ``kind``."""
    name = fuzzlib.pick(rnd, sorted(fuzzlib.TEXTS))
    if kind == "scenario-data":
        data = fuzzlib.mutate_data(rnd, fuzzlib.DATA[name])
        return _repr(data), lambda: fuzzlib.run_scenario_data(data, rnd)
    if kind == "scenario-python":
        data = fuzzlib.mutate_python(rnd, fuzzlib.DATA[name])
        return _repr(data), lambda: fuzzlib.run_scenario_dict(data, rnd)
    if kind == "scenario-text":
        text = fuzzlib.mutate_text(rnd, fuzzlib.TEXTS[name])
        return text, lambda: fuzzlib.run_scenario_text(text, rnd)
    if kind == "scenario-bytes":
        path = os.path.join(tmp, "case.yaml")
        with open(path, "wb") as fh:
            fh.write(fuzzlib.mutate_bytes(rnd, fuzzlib.TEXTS[name].encode()))
        return path, lambda: fuzzlib.run_cli(["scenario", rnd.choice(["validate", "show"]), path])
    if kind == "simulate-flags":
        argv = fuzzlib.simulate_argv(rnd)
        return repr(argv), lambda: fuzzlib.run_cli(argv)
    if kind == "scenario-commands":
        argv = fuzzlib.command_argv(rnd, name)
        return repr(argv), lambda: fuzzlib.run_cli(argv)
    text = near_limit_text(rnd)
    return text[:2000], lambda: fuzzlib.run_scenario_text(text, rnd)


def _repr(data):
    try:
        return repr(data)[:20000]
    except ValueError:  # an int of more than 4300 digits somewhere in the data
        return "<data with a huge integer>"


def near_limit_text(rnd):
    """Big inputs at and just past the loader's limits (the expensive corner of the space)."""
    from vmotion_core.inventory._yaml import LIMITS

    base = "schema_version: 1\nname: big\n"
    n = rnd.choice([LIMITS["items"] - 1, LIMITS["items"], LIMITS["items"] + 1])
    choice = rnd.randrange(6)
    if choice == 0:
        return base + "".join(f"unknown_key_{i}: {i}\n" for i in range(n))
    if choice == 1:
        return base + "vms:\n" + "".join(f"- {{name: v{i}, host: h, bogus: 1}}\n" for i in range(n))
    if choice == 2:
        return base + "changes: [" + ",".join("2023-02-30" for _ in range(n)) + "]\n"
    if choice == 3:
        width = rnd.choice([5, 10, 30])
        lines = [f"k0: &a0 [{','.join(['x'] * width)}]"]
        lines += [f"k{i}: &a{i} [{','.join([f'*a{i - 1}'] * width)}]" for i in range(1, 12)]
        return base + "\n".join(lines) + "\n"
    if choice == 4:
        return base + "story: " + "x" * rnd.choice([LIMITS["chars"], LIMITS["bytes"]]) + "\n"
    host = fuzzlib.DATA["blocking-devices"]["hosts"][0]
    hosts = [dict(host, name=f"h{i}") for i in range(rnd.choice([200, 600]))]
    import yaml
    return yaml.safe_dump(dict(fuzzlib.DATA["blocking-devices"], hosts=hosts))[:LIMITS["bytes"]]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--scale", type=float, default=1.0, help="multiply every count (default 1)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds before a case is a hang")
    p.add_argument("--save", default=None, help="folder for crashing inputs")
    args = p.parse_args(argv)
    signal.signal(signal.SIGALRM, _alarm)
    rnd = random.Random(args.seed)
    totals = {"tried": 0, "clean": 0, "ok": 0, "crash": 0}
    slowest = (0.0, "", "")
    t_start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for kind, count in KINDS.items():
            stats = {"tried": 0, "clean": 0, "ok": 0, "crash": 0}
            for i in range(max(1, int(count * args.scale))):
                desc, thunk = make_case(kind, rnd, tmp)
                t0 = time.perf_counter()
                signal.setitimer(signal.ITIMER_REAL, args.timeout)
                try:
                    outcome = thunk()
                    stats["clean" if outcome in CLEAN else "ok"] += 1
                except BaseException as exc:  # noqa: BLE001 - every escape is the finding
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    stats["crash"] += 1
                    _report_crash(kind, i, desc, exc, args.save)
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                dt = time.perf_counter() - t0
                stats["tried"] += 1
                if dt > slowest[0]:
                    slowest = (dt, kind, desc[:160])
            print(f"{kind:18s} tried {stats['tried']:5d}  clean errors {stats['clean']:5d}  "
                  f"ran {stats['ok']:5d}  crashes {stats['crash']}", flush=True)
            for k in totals:
                totals[k] += stats[k]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'all':18s} tried {totals['tried']:5d}  clean errors {totals['clean']:5d}  "
          f"ran {totals['ok']:5d}  crashes {totals['crash']}")
    print(f"slowest case {slowest[0]:.2f} s ({slowest[1]}): {slowest[2]!r}")
    print(f"peak memory (max RSS of the whole run, so of every case) {peak:.0f} MiB; "
          f"wall time {time.perf_counter() - t_start:.0f} s; seed {args.seed}")
    return 1 if totals["crash"] else 0


def _report_crash(kind, i, desc, exc, save):
    what = "hang" if isinstance(exc, _Hang) else type(exc).__name__
    print(f"CRASH {kind} #{i}: {what}: {str(exc)[:300]}", file=sys.stderr)
    traceback.print_exc(limit=6, file=sys.stderr)
    if save:
        os.makedirs(save, exist_ok=True)
        with open(os.path.join(save, f"{kind}-{i}.txt"), "w", encoding="utf-8",
                  errors="backslashreplace") as fh:
            fh.write(desc)


if __name__ == "__main__":
    sys.exit(main())
