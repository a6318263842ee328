"""lab01 public checks: the migration works, each host has its vMotion adapter, management intact."""

import ipaddress

from ..grading import oracle
from ..grading.checks import CheckSet, fail

__all__ = ["CHECKS"]

CHECKS = CheckSet("lab01")
_MGMT_FIELDS = ("port_group", "ip", "prefix", "mtu", "services", "tcpip_stack", "gateway", "enabled")


def vmotion_vmks(env, host):
    return oracle.vmk_with_service(env, host, "vmotion")


@CHECKS.check("q1", "Your VM vMotions to the other host without errors", points=4)
def migration_works(ctx):
    oracle.require_move(ctx, ctx.params["vm"])


def _host_item(ctx, host):
    vmks = vmotion_vmks(ctx.env, host)
    if not vmks:
        fail(f"no enabled VMkernel adapter on {host} offers the vMotion service yet")
    if not any(v.port_group == "vMotion" for v in vmks):
        fail(f"on {host} the vMotion service runs on {', '.join(v.name for v in vmks)}, "
             "not on an adapter in the port group 'vMotion'")


@CHECKS.check("q2", "First host: a vMotion adapter on the port group 'vMotion'", category="item")
def host_a_vmk(ctx):
    _host_item(ctx, ctx.params["host_a"])


@CHECKS.check("q3", "Second host: a vMotion adapter on the port group 'vMotion'", category="item")
def host_b_vmk(ctx):
    _host_item(ctx, ctx.params["host_b"])


@CHECKS.check("q4", "vMotion adapters sit in your vMotion subnet and VLAN", category="item")
def subnet_and_vlan(ctx):
    p = ctx.params
    net = ipaddress.ip_network(p["vmotion_subnet"])
    for host in (p["host_a"], p["host_b"]):
        for v in vmotion_vmks(ctx.env, host):
            iface = v.interface
            if iface.network != net:
                fail(f"{host}/{v.name} is in {iface.network}, not in your vMotion subnet")
            found = ctx.env.port_group(host, v.port_group)
            if found is None or found[1].vlan != p["vmotion_vlan"]:
                fail(f"{host}/{v.name} is not on the vMotion VLAN your network team gave you")
        if not vmotion_vmks(ctx.env, host):
            fail(f"{host} has no vMotion adapter to check yet")


@CHECKS.check("q5", "vMotion adapters use the requested MTU, and the path carries it",
              category="item")
def mtu(ctx):
    p = ctx.params
    for host in (p["host_a"], p["host_b"]):
        vmks = vmotion_vmks(ctx.env, host)
        if not vmks:
            fail(f"{host} has no vMotion adapter to check yet")
        for v in vmks:
            if v.mtu != p["mtu"]:
                fail(f"{host}/{v.name} uses MTU {v.mtu}, not the MTU your network team asked for")
    found = oracle.blocked_by(oracle.findings(ctx, p["vm"], oracle.other_host(ctx, p["vm"])[1]), "N5b")
    if found:
        fail(f"frames of that MTU do not get through: a vMotion would pass vCenter's check and "
             f"then time out ({found[0].code} at {found[0].object})")


@CHECKS.check("q6", "Management adapters and VM networking are untouched", points=2,
              after_any=("q1", "q2", "q3"))
def nothing_else_broke(ctx):
    p = ctx.params
    for host in (p["host_a"], p["host_b"]):
        before, after = ctx.start_env.host(host).vmknic("vmk0"), ctx.env.host(host).vmknic("vmk0")
        if after is None:
            fail(f"{host} lost its management adapter vmk0")
        changed = oracle.unchanged(before, after, _MGMT_FIELDS)
        if changed:
            fail(f"{host}/vmk0 (management) was changed: {', '.join(changed)}")
    if ctx.env.vm(p["vm"]).nics != ctx.start_env.vm(p["vm"]).nics:
        fail(f"the network adapters of {p['vm']} were changed")
