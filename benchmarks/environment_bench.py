"""Environment lookups by name: the per-environment index against the linear scan it replaced.

Usage: .venv/bin/python benchmarks/environment_bench.py [--vms 5000] [--repeat 7]

A built-in scenario is scaled up by copying its VMs (renamed ``vmNNNNN``, spread over the hosts);
the environment is not re-validated (lookups do not need it). Measured per environment: looking
every VM up once by name, and ``vms_on`` for every host, through the index (built on the first
lookup, included in the first timing) and through the scan the old ``Environment._find`` did.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time


def _scan(collection, name):  # what Environment._find did before the index
    for obj in collection:
        if obj.name == name:
            return obj
    raise KeyError(name)


def _time(fn, repeat):
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vms", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)

    from vmotion_core.inventory import load_scenario

    base = load_scenario("healthy-cluster")
    hosts = [h.name for h in base.hosts]
    template = base.vms[0]
    vms = tuple(dataclasses.replace(template, name=f"vm{i:05d}", host=hosts[i % len(hosts)])
                for i in range(args.vms))
    names = [v.name for v in vms]

    def fresh():
        return dataclasses.replace(base, vms=vms)  # a new environment: no index yet

    def by_index():
        env = fresh()
        for n in names:
            env.vm(n)
        for h in hosts:
            env.vms_on(h)

    def by_scan():
        env = fresh()
        for n in names:
            _scan(env.vms, n)
        for h in hosts:
            tuple(v for v in env.vms if v.host == h)

    t_index, t_scan = _time(by_index, args.repeat), _time(by_scan, args.repeat)
    print(f"Environment lookups: {args.vms} VMs on {len(hosts)} hosts, each VM looked up once and "
          f"vms_on() per host, median of {args.repeat}, load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")
    print(f"{'way':<28}{'median ms':>11}{'per lookup us':>15}")
    for way, ms in (("index (built once, incl.)", t_index), ("linear scan (before)", t_scan)):
        print(f"{way:<28}{ms:>11.2f}{ms * 1000 / args.vms:>15.2f}")
    print(f"scan / index: {t_scan / t_index:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
