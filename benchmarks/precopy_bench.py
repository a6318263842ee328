"""Speed and memory of the pre-copy simulator, per kernel backend (prints a table).

Cases (issue 2):

- (a) 16 GiB, uniform writes at 500 MiB/s, over 10 Gbit/s; target: median end to end <= 50 ms
  with the compiled kernel (so a slider feels instant).
- (b) 64 GiB, hot set 10 % of pages taking 90 % of writes, 1 GiB/s, over 10 Gbit/s; target:
  compiled >= 5x the NumPy twin in simulated page writes per second.
- (c) 1 TiB, same hot set at 4 GiB/s, over 100 Gbit/s, compiled only; target: peak RSS <= 300 MiB.
- (k) the bare per-write kernel (``mark_uniform``), 4 M writes into a 64 GiB bitmap, to show the
  kernel speed without the engine's saturation shortcut.

Every (case, backend) runs in a fresh subprocess, so its peak RSS (``ru_maxrss``, which includes
the interpreter and NumPy) is its own. Wall times are medians over the repeats, measured after one
warm-up run. "Page writes/s" counts the guest page writes simulated per wall-clock second; rounds
with more writes than a region has pages are computed per page instead of per write (see
engine.py), on both backends alike.

Usage::

    .venv/bin/python benchmarks/precopy_bench.py            # all cases
    .venv/bin/python benchmarks/precopy_bench.py --quick    # fewer repeats
    .venv/bin/python benchmarks/precopy_bench.py --json     # machine-readable
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CASES = {
    "a": dict(label="(a) 16 GiB uniform 500 MiB/s, 10 Gbit/s", memory_gib=16, kind="uniform",
              rate=500, bw=10, backends=("cython", "python"), repeats=9),
    "b": dict(label="(b) 64 GiB hotset 10%/90% 1 GiB/s, 10 Gbit/s", memory_gib=64, kind="hotset",
              rate=1024, bw=10, backends=("cython", "python"), repeats=5),
    "c": dict(label="(c) 1 TiB hotset 10%/90% 4 GiB/s, 100 Gbit/s", memory_gib=1024,
              kind="hotset", rate=4096, bw=100, backends=("cython",), repeats=3),
    # raw per-write kernel speed, no shortcuts: 4 M uniform writes into a 64 GiB bitmap
    "k": dict(label="(k) kernel only: 4M writes, 64 GiB bitmap", memory_gib=64, kind="kernel",
              rate=0, bw=0, backends=("cython", "python"), repeats=5),
}


def _config(case):
    from vmotion_core.precopy import Link, PrecopyConfig, Workload

    c = CASES[case]
    return PrecopyConfig(memory_gib=c["memory_gib"],
                         workload=Workload(c["kind"], c["rate"], hot_fraction=0.1, hot_share=0.9),
                         link=Link(bandwidth_gbps=c["bw"]), seed=1)


def _child(case, backend, repeats):
    """Run one case in this process and print a JSON line (times, writes, peak RSS)."""
    import resource

    from vmotion_core.precopy import simulate_precopy

    if case == "k":
        return _child_kernel(backend, repeats)
    cfg = _config(case)
    res = simulate_precopy(cfg, backend=backend)  # warm-up (imports, first allocation)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = simulate_precopy(cfg, backend=backend)
        times.append(time.perf_counter() - t0)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"case": case, "backend": res.backend, "times_s": times,
                      "page_writes": res.page_writes, "rounds": res.n_rounds,
                      "outcome": res.outcome, "downtime_ms": res.downtime_ms,
                      "peak_rss_mib": peak_kib / 1024}))


def _child_kernel(backend, repeats):
    import resource

    import numpy as np

    from vmotion_core.precopy._backend import load_kernel

    kernel, n_pages, n = load_kernel(backend), 64 * 2**30 // 4096, 4_000_000
    bitmap = np.zeros(n_pages // 64, dtype=np.uint64)
    times = []
    for i in range(repeats + 1):
        bitmap.fill(0)
        t0 = time.perf_counter()
        kernel.mark_uniform(bitmap, 12345 + i, n, 0, n_pages)
        times.append(time.perf_counter() - t0)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"case": "k", "backend": kernel.NAME, "times_s": times[1:], "page_writes": n,
                      "rounds": 1, "outcome": "-", "downtime_ms": 0,
                      "peak_rss_mib": peak_kib / 1024}))


def _measure(case, backend, repeats):
    env = dict(os.environ)
    env.pop("VMOTION_PURE_PYTHON", None)
    out = subprocess.run([sys.executable, __file__, "--child", case, backend, str(repeats)],
                         capture_output=True, text=True, env=env, timeout=3600)
    if out.returncode != 0:
        raise SystemExit(f"benchmark {case}/{backend} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--cases", default="abck", help="which cases to run, e.g. 'ab'")
    ap.add_argument("--json", action="store_true", help="print the raw measurements as JSON")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        _child(args.child[0], args.child[1], int(args.child[2]))
        return 0

    rows = []
    for case in args.cases:
        spec = CASES[case]
        for backend in spec["backends"]:
            repeats = max(1, spec["repeats"] // 3) if args.quick else spec["repeats"]
            m = _measure(case, backend, repeats)
            m["median_s"] = statistics.median(m["times_s"])
            m["writes_per_s"] = m["page_writes"] / m["median_s"]
            rows.append(m)
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0

    print(f"{'case':<46} {'backend':<7} {'median':>9} {'page writes':>12} {'writes/s':>10} "
          f"{'rounds':>6} {'peak RSS':>9}")
    for m in rows:
        print(f"{CASES[m['case']]['label']:<46} {m['backend']:<7} {m['median_s'] * 1e3:>7.1f}ms "
              f"{m['page_writes']:>12,} {m['writes_per_s']:>10.3g} {m['rounds']:>6} "
              f"{m['peak_rss_mib']:>6.0f}MiB")
    print()
    by = {(m["case"], m["backend"]): m for m in rows}
    checks = []
    if ("a", "cython") in by:
        t = by["a", "cython"]["median_s"] * 1e3
        checks.append(("(a) compiled median <= 50 ms", f"{t:.1f} ms", t <= 50))
    if ("b", "cython") in by and ("b", "python") in by:
        ratio = by["b", "cython"]["writes_per_s"] / by["b", "python"]["writes_per_s"]
        checks.append(("(b) compiled >= 5x twin page writes/s", f"{ratio:.1f}x", ratio >= 5))
    if ("k", "cython") in by and ("k", "python") in by:
        ratio = by["k", "cython"]["writes_per_s"] / by["k", "python"]["writes_per_s"]
        checks.append(("(k) per-write kernel, compiled vs twin", f"{ratio:.1f}x", ratio >= 5))
    if ("c", "cython") in by:
        rss = by["c", "cython"]["peak_rss_mib"]
        checks.append(("(c) completes, peak RSS <= 300 MiB", f"{rss:.0f} MiB", rss <= 300))
    for what, value, ok in checks:
        print(f"{what:<40} {value:>10}  {'PASS' if ok else 'FAIL'}")
    return 0 if all(ok for _, _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
