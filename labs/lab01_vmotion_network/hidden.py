"""lab01 hidden checks (instructor edition only; the student edition leaves this file out)."""


from ..grading import oracle
from ..grading.checks import fail
from .checks import CHECKS, vmotion_vmks


@CHECKS.check("h1", "The VM can also move back", hidden=True)
def move_back(ctx):
    oracle.require_round_trip(ctx, ctx.params["vm"])


@CHECKS.check("h2", "vMotion addresses are usable host addresses and unique", hidden=True)
def addresses(ctx):
    p = ctx.params
    if not any(vmotion_vmks(ctx.env, h) for h in (p["host_a"], p["host_b"])):
        fail("no vMotion adapters yet")
    seen = {}
    for h in ctx.env.hosts:
        for v in h.vmknics:
            seen.setdefault(v.ip, []).append(f"{h.name}/{v.name}")
    for host in (p["host_a"], p["host_b"]):
        for v in vmotion_vmks(ctx.env, host):
            iface = v.interface
            if iface.ip in (iface.network.network_address, iface.network.broadcast_address):
                fail(f"{host}/{v.name} uses the network or broadcast address of its subnet")
            if len(seen[v.ip]) > 1:
                fail(f"address {v.ip} is used more than once ({', '.join(seen[v.ip])})")
