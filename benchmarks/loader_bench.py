"""Worst-case inputs for the scenario loader and the unit parser (issue 17): time and peak memory.

Each case runs in its own forked process, so the peak RSS is that case's alone (the interpreter
and the package already imported count in it). A case passes when it ends in the project's own
error or a loaded scenario within 20 s and 1 GiB (issue 17's bar).

    .venv/bin/python benchmarks/loader_bench.py
"""

import copy
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time

import yaml

from vmotion_core.cli import main as cli
from vmotion_core.errors import VMotionError
from vmotion_core.inventory import dump_scenario, load_scenario
from vmotion_core.inventory._yaml import LIMITS
from vmotion_core.inventory.scenario import load_scenario_text

MAX_S, MAX_MIB = 20.0, 1024
BASE = "schema_version: 1\nname: big\n"


def _bomb():
    lines = ["k0: &a0 [a,a,a,a,a,a,a,a,a,a]"]
    lines += [f"k{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return BASE + "\n".join(lines) + "\n"


def _hosts(n):
    data = yaml.safe_load(dump_scenario(load_scenario("blocking-devices")))
    data["hosts"] = [dict(copy.deepcopy(data["hosts"][0]), name=f"h{i}") for i in range(n)]
    return yaml.safe_dump(data, sort_keys=False)


def _alias_hosts():
    host = yaml.safe_dump(yaml.safe_load(dump_scenario(load_scenario("blocking-devices")))
                          ["hosts"][0], default_flow_style=True, width=10**6).strip()
    return BASE + "hosts:\n- &h " + host + "\n" + "- *h\n" * (LIMITS["aliases"] - 1)


def _sparse_file():
    path = os.path.join(tempfile.mkdtemp(), "huge.yaml")
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    return path


CASES = [  # (label, what to run: ("text", text) / ("file", thunk) / ("cli", argv))
    ("alias bomb, 9 levels x 10 (< 500 bytes)", ("text", _bomb)),
    ("50 MB file (sparse)", ("file", _sparse_file)),
    ("10,000 unknown top-level keys", ("text", lambda: BASE + "".join(
        f"unknown_key_{i}: {i}\n" for i in range(LIMITS["items"] - 2)))),
    ("10,001 unknown keys (past the limit)", ("text", lambda: BASE + "".join(
        f"k{i}: 1\n" for i in range(LIMITS["items"] + 1)))),
    ("9,999 VMs, each with an unknown key", ("text", lambda: BASE + "vms:\n" + "".join(
        f"- {{name: v{i}, host: h, bogus: 1}}\n" for i in range(LIMITS["items"] - 1)))),
    ("600 full hosts (about 0.5 MB)", ("text", lambda: _hosts(600))),
    ("9,999 aliases to one full host", ("text", _alias_hosts)),
    ("400 nested [", ("text", lambda: BASE + "story: " + "[" * 400 + "]" * 400 + "\n")),
    ("10,000 unquoted impossible dates", ("text", lambda: BASE + "changes: [" + ",".join(
        ["2023-02-30"] * (LIMITS["items"] - 1)) + "]\n")),
    ("a 1 MiB name", ("text", lambda: BASE.replace("big", "n" * (LIMITS["bytes"] - 40)))),
    ("simulate --memory of 40,000 digits", ("cli", ["simulate", "--memory", "1" * 40_000])),
    ("simulate --seed of 40,000 digits", ("cli", ["simulate", "--seed", "1" * 40_000])),
]


def _run(kind, make, conn):
    import contextlib
    import io
    arg = make() if callable(make) else make
    t0 = time.perf_counter()
    try:
        if kind == "text":
            load_scenario_text(arg)
            outcome = "loaded"
        elif kind == "file":
            load_scenario(arg)
            outcome = "loaded"
        else:
            with contextlib.redirect_stderr(io.StringIO()) as err:
                code = cli(arg)
            outcome = f"exit {code}" + ("" if "Traceback" not in err.getvalue() else " TRACEBACK")
    except VMotionError as exc:
        outcome = f"{type(exc).__name__}: " + str(exc).splitlines()[-1].strip()[:60]
    except BaseException as exc:  # noqa: BLE001 - the finding
        outcome = f"CRASH {type(exc).__name__}"
    conn.send((time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
               outcome))


def main():
    ctx = mp.get_context("fork")
    print(f"{'case':42s} {'time':>8s} {'peak RSS':>9s}  outcome")
    ok = True
    for label, (kind, make) in CASES:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_run, args=(kind, make, child))
        proc.start()
        dt, rss, outcome = parent.recv() if parent.poll(MAX_S * 3) else (float("inf"), 0, "HANG")
        proc.join(5)
        if proc.is_alive():  # a hang: end this case's own process
            proc.kill()
        good = dt <= MAX_S and rss <= MAX_MIB and not any(
            w in outcome for w in ("CRASH", "TRACEBACK", "HANG"))
        ok &= good
        print(f"{label:42s} {dt:7.2f}s {rss:7.0f}MiB  {outcome}{'' if good else '  FAIL'}",
              flush=True)
    verdict = "PASS" if ok else "FAIL"
    print(f"every case within {MAX_S:.0f} s and {MAX_MIB} MiB, no crash: {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
