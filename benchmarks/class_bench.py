"""How big a machine a class needs: N learners on one hub (JupyterHub + proxy + class service).

Usage (as root, like the class itself; it creates and removes N+1 system accounts)::

    .venv/bin/python benchmarks/class_bench.py            # 30 learners
    .venv/bin/python benchmarks/class_bench.py -n 3       # a quick look

What it does, as a class does it: start the hub from a roster of N learners and one instructor
on loopback; every learner signs in and the N servers are spawned **at once** (the start of a
lesson); each learner runs lab01 in their own server's kernel (a few opening it at the same
moment: ``--open-at-once``, 6); then every learner submits **at
the same moment** (the worst case: "hand in now") and, after that, a few submit one at a time on
an idle class. It prints

- spawn time: from the spawn request to the server answering (median, p95, max), for everyone
  at once and for one learner (re)starting while the class runs;
- submission-to-feedback latency: ``lab.submit()`` timed inside the learner's kernel (burst and
  one at a time; median, p95);
- memory: proportional set size (PSS: shared pages split fairly) per learner (server + kernel),
  and of the hub, the class service (with its graders) and the proxy.

The load average is printed because the machine may be shared: wall times include waiting for a
core.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "class"))

MIB = 2**20


def _q(samples, q):
    s = sorted(samples)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def _row(name, samples, unit="s", fmt="{:.2f}"):
    return (f"{name:<44} {fmt.format(statistics.median(samples))} {unit:<3} "
            f"p95 {fmt.format(_q(samples, 0.95))} {unit:<3} max {fmt.format(max(samples))} "
            f"{unit}  (n={len(samples)})")


def _pss(procs):
    total = 0
    for p in procs:
        try:
            total += p.memory_full_info().pss
        except Exception:
            pass
    return total / MIB


def _memory(klass, learners):
    import psutil
    hub = psutil.Process(klass.proc.pid)
    kids = hub.children(recursive=True)
    service = [p for p in kids if "vmotion_class.service" in " ".join(p.cmdline())]
    graders = [c for s in service for c in s.children(recursive=True)]
    proxy = [p for p in kids if "configurable-http-proxy" in " ".join(p.cmdline())]
    per = {}
    for p in psutil.process_iter(["username"]):
        if p.info["username"] in learners:
            per.setdefault(p.info["username"], []).append(p)
    return ({u: _pss(ps) for u, ps in per.items()}, _pss([hub]), _pss(service + graders),
            _pss(proxy))


TIMED_SUBMIT = ("import time as _t\n_t0 = _t.perf_counter()\nresult = lab.submit()\n"
                "print('SUBMIT_S', _t.perf_counter() - _t0, result.ok)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--learners", type=int, default=30)
    ap.add_argument("--serial", type=int, default=5, help="one-at-a-time submissions (5)")
    ap.add_argument("--open-at-once", type=int, default=6,
                    help="learners opening lab01 (starting a kernel) at the same moment (6)")
    args = ap.parse_args(argv)
    if os.geteuid() != 0:
        print("error: run as root (the class creates one system account per learner)",
              file=sys.stderr)
        return 2
    import requests
    from hubclass import ClassUnderTest, Member

    n = args.learners
    members = [(f"l{i:03d}", "learner") for i in range(n)] + [("boss", "instructor")]
    tmp = tempfile.mkdtemp(prefix="class-bench-")
    klass = ClassUnderTest(tmp, members, prefix="zb",
                           extra_args=["--start-timeout", "600", "--graders", "2"])
    print(f"class_bench: {n} learners + 1 instructor on {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start", flush=True)
    try:
        t0 = time.perf_counter()
        klass.start(timeout_s=300)
        print(f"hub up in {time.perf_counter() - t0:.1f} s (accounts, runtime, proxy, service)",
              flush=True)
        pw = klass.passwords()
        ms = [Member(klass, klass.user(s), pw[klass.user(s)]).login() for s, r in members
              if r == "learner"]
        for m in ms:
            m.make_token()
        with ThreadPoolExecutor(n) as pool:          # the lesson starts: everyone at once
            spawn = list(pool.map(lambda m: m.spawn(timeout_s=900), ms))
        print(_row("spawn, all at once (request -> ready)", spawn), flush=True)
        kernels = {}

        def work(m):
            k = m.kernel()
            for cell in _lab_cells(m):
                k.run(cell, timeout_s=600)
            kernels[m.name] = k
        t1 = time.perf_counter()
        with ThreadPoolExecutor(max(1, args.open_at_once)) as pool:
            list(pool.map(work, ms))
        print(f"{'lab01 run in every kernel':<44} {time.perf_counter() - t1:.1f} s wall for all "
              f"{n} ({args.open_at_once} opening it at a time)", flush=True)

        def timed_submit(m):
            text, err, _ = kernels[m.name].run(TIMED_SUBMIT, timeout_s=900)
            assert err is None and "True" in text, (err, text)
            return float(text.split("SUBMIT_S")[1].split()[0])
        with ThreadPoolExecutor(n) as pool:          # "hand in now": everyone at once
            burst = list(pool.map(timed_submit, ms))
        print(_row("submit -> feedback, all at once", burst), flush=True)
        serial = [timed_submit(m) for m in ms[:max(1, min(args.serial, n))]]
        print(_row("submit -> feedback, one at a time", serial), flush=True)
        per, hub, service, proxy = _memory(klass, {m.name for m in ms})
        again = []                                   # one learner (re)starting on a busy class
        for m in ms[:3]:
            kernels.pop(m.name).close()
            requests.delete(f"{klass.url}/hub/api/users/{m.name}/server", headers=m.auth(),
                            timeout=120)
            while requests.get(f"{klass.url}/hub/api/users/{m.name}", headers=m.auth(),
                               timeout=60).json().get("servers"):
                time.sleep(0.5)
            again.append(m.spawn(timeout_s=600))
        print(_row("spawn, one learner while the class runs", again), flush=True)
        vals = list(per.values())
        print(_row("memory per learner (server + kernel), PSS", vals, "MiB", "{:.0f}"))
        print(f"{'memory hub / class service / proxy, PSS':<44} {hub:.0f} / {service:.0f} / "
              f"{proxy:.0f} MiB")
        print(f"{'memory total for the class, PSS':<44} {sum(vals) + hub + service + proxy:.0f} "
              f"MiB; load average {os.getloadavg()[0]:.1f} at the end")
        for k in kernels.values():
            k.close()
    finally:
        klass.close()
    return 0


def _lab_cells(m):
    """lab01's code cells as a learner runs them (the good answer in the exercise cell); the
    kernel stays open, so memory is measured with a live lab in every kernel."""
    from hubclass import GOOD, code_cells
    cells = []
    for cell in code_cells(m.notebook("labs/lab01.ipynb")):
        if "YOUR CODE HERE" in cell:
            cell = GOOD
        if not cell.strip().startswith(("saved = lab.save()", "lab.submit()")):
            cells.append(cell)
    return cells


if __name__ == "__main__":
    sys.exit(main())
