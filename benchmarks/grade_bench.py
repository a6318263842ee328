"""How fast ``vmotion-grade`` grades a class: 200 mixed hand-ins on 2 cores.

Usage: .venv/bin/python benchmarks/grade_bench.py [--count 200] [--jobs 2] [--labs lab01,...]

The hand-ins are spread over the labs (default: all six) and mixed like a real class: good
(the reference solution, each learner on their own variant), partial (the solution's operation
log cut in half), empty (opened and saved straight away) and hostile (a copy of a classmate's
file, a back door written into the file, a 3000-operation log, deep nesting, an old sealed
snapshot with a YAML alias bomb, not JSON at all, a formula as the file name). Each lab's folder
is graded by :func:`vmotion_labs.grading.batch.grade_batch` exactly as the CLI does (sandboxed
workers, ``--jobs`` in parallel, with its progress bar). Printed: wall seconds per hand-in, each
worker's CPU seconds and peak memory (its own ``ru_maxrss``: the interpreter, NumPy and the
simulator included), and the rows by status.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _hostile(kind, good, learner):
    doc = json.loads(json.dumps(good))
    if kind == "copy":
        return good                                  # a classmate's file, unchanged
    if kind == "back door":
        doc["operations"].append({"do": "relocate_vm", "args": ["x"], "kwargs": {}})
    elif kind == "3000 operations":
        doc["operations"] = [{"do": "reset"}] * 3000
    elif kind == "deep nesting":
        return "[" * 100_000 + "]" * 100_000
    elif kind == "alias bomb":
        bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
            for p, c in zip("abcdefgh", "bcdefghi"))
        doc.update(schema_version=1, environment=bomb, integrity="0" * 64)
    elif kind == "not JSON":
        return "this is my lab, please grade it"
    doc["learner"] = learner
    return doc


HOSTILE = ("copy", "back door", "3000 operations", "deep nesting", "alias bomb", "not JSON")


def build_class(folder, lab_id, n, first):
    """Write ``n`` hand-ins for ``lab_id`` into ``folder``; return the mix as a dict."""
    from vmotion_labs import Lab
    from vmotion_labs.grading.lab import lab_spec
    solve = importlib.import_module(f"vmotion_labs.{lab_spec(lab_id).folder}.solution").solve
    mix, good = {}, None
    for i in range(n):
        learner = f"s{first + i:04d}"
        kind = ("good", "good", "partial", "empty", "hostile")[i % 5]
        lab = Lab.open(lab_id, learner)
        name = f"{lab_id}-{learner}.json"
        if kind == "empty":
            doc = lab.submission()
        else:
            solve(lab)
            doc = lab.submission()
            if kind == "partial":
                doc["operations"] = doc["operations"][: len(doc["operations"]) // 2]
            elif kind == "hostile":
                kind = HOSTILE[(i // 5) % len(HOSTILE)]
                doc = _hostile(kind, good, learner)
                if kind == "copy":
                    name = f"=HYPERLINK(1)-{learner}.json" if i % 2 else name
            else:
                good = doc
        text = doc if isinstance(doc, str) else json.dumps(doc)
        (folder / name).write_text(text, encoding="utf-8")
        mix[kind] = mix.get(kind, 0) + 1
    return mix


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--labs", default="lab01,lab02,lab03,lab04,lab05,lab06")
    args = ap.parse_args(argv)
    from vmotion_labs.grading.batch import grade_batch
    from vmotion_labs.grading.sandbox import DEFAULT_MEMORY_MIB

    labs = args.labs.split(",")
    per_lab = [args.count // len(labs) + (i < args.count % len(labs)) for i in range(len(labs))]
    print(f"grading {args.count} hand-ins over {len(labs)} labs with --jobs {args.jobs} on "
          f"{os.cpu_count()} cores (load average {os.getloadavg()[0]:.2f})", file=sys.stderr)
    lines, all_rows, total_wall, mix_all = [], [], 0.0, {}
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as tmp:
        first = 0
        for lab_id, n in zip(labs, per_lab):
            folder = Path(tmp) / lab_id
            folder.mkdir()
            for k, v in build_class(folder, lab_id, n, first).items():
                mix_all[k] = mix_all.get(k, 0) + v
            first += n
            start = time.perf_counter()
            rows = grade_batch(lab_id, [folder], timeout_s=60, jobs=args.jobs, progress=True)
            wall = time.perf_counter() - start
            total_wall += wall
            all_rows += rows
            workers = [r["worker"] for r in rows if r.get("worker")]
            peak = max(w["peak_mib"] for w in workers)
            cpu = statistics.median(w["cpu_s"] for w in workers)
            lines.append(f"{lab_id:<7}{n:>9}{wall:>9.1f}{wall / n:>12.2f}{cpu:>14.2f}"
                         f"{peak:>14.0f}")
    print("\nmix: " + ", ".join(f"{v} {k}" for k, v in mix_all.items()))
    print(f"{'lab':<7}{'hand-ins':>9}{'wall s':>9}{'s/hand-in':>12}{'worker CPU s':>14}"
          f"{'peak MiB':>14}")
    print(f"{'':<7}{'':>9}{'':>9}{'':>12}{'(median)':>14}{'(max worker)':>14}")
    print("\n".join(lines))
    workers = [r["worker"] for r in all_rows if r.get("worker")]
    peaks = sorted(w["peak_mib"] for w in workers)
    statuses = {}
    for r in all_rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    print(f"{'all':<7}{args.count:>9}{total_wall:>9.1f}{total_wall / args.count:>12.2f}"
          f"{statistics.median(w['cpu_s'] for w in workers):>14.2f}{peaks[-1]:>14.0f}")
    print(f"worker peak memory: median {statistics.median(peaks):.0f} MiB, max {peaks[-1]:.0f} "
          f"MiB (limit: {DEFAULT_MEMORY_MIB} MiB of address space)")
    print("rows by status: " + ", ".join(f"{v} {k}" for k, v in sorted(statuses.items())))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
