"""How long one Pre-copy explorer update takes (simulation + redraw + PNG), default 16 GiB VM.

Usage: .venv/bin/python benchmarks/explorer_bench.py [--repeat 21]

The target (issue 4) is a median of at most 100 ms for a whole update. Each update alternates the
dirty-rate slider between 500 and 550 MiB/s, exactly as a learner pressing an arrow key does, and
goes through the widget's own observer. Wall time is what the learner feels; CPU time is shown
too because on a shared machine wall time includes waiting for a core (the load average is
printed for that reason).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def _stats(samples):
    s = sorted(samples)
    return statistics.median(s), s[int(0.9 * (len(s) - 1))], s[0]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=21)
    args = ap.parse_args(argv)

    from vmotion_core.precopy import BACKEND, simulate_precopy
    from vmotion_core.widgets._common import fast_png
    from vmotion_core.widgets.explorer import PrecopyExplorer

    ex = PrecopyExplorer()  # the first update (fonts, caches) is not measured
    cfg = ex.build_config()
    rows = {"simulate_precopy": ([], []), "redraw + PNG": ([], []), "whole update": ([], [])}
    slider = ex.controls["dirty_rate_mibps"]
    for i in range(args.repeat):
        for name, fn in (("simulate_precopy", lambda: simulate_precopy(cfg)),
                         ("redraw + PNG", lambda: ex._redraw(ex.result)),
                         ("whole update", lambda: setattr(slider, "value",
                                                          550 if slider.value == 500 else 500))):
            w, c = time.perf_counter(), time.process_time()
            fn()
            rows[name][0].append((time.perf_counter() - w) * 1000)
            rows[name][1].append((time.process_time() - c) * 1000)
    png_kib = len(fast_png(ex._fig)) / 1024
    print(f"Pre-copy explorer update, default scenario (16 GiB, 500 MiB/s, 10 Gbit/s, vmotion), "
          f"kernel={BACKEND}, {args.repeat} runs, load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores, PNG {png_kib:.0f} KiB")
    print(f"{'step':<20}{'median ms':>11}{'p90 ms':>9}{'min ms':>9}{'CPU median ms':>15}")
    for name, (wall, cpu) in rows.items():
        med, p90, lo = _stats(wall)
        print(f"{name:<20}{med:>11.1f}{p90:>9.1f}{lo:>9.1f}{statistics.median(cpu):>15.1f}")
    med = _stats(rows["whole update"][0])[0]
    print(f"target <= 100 ms median: {'met' if med <= 100 else 'NOT met'} ({med:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
