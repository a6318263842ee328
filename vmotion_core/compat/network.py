"""Network rules N1-N12 (fact sheet §2.3, §1.6, §1.9): the vMotion path between the hosts
(reachability, MTU, names, RTT, bandwidth) and the VM's own networks on the destination.

N1, N1b, N2, N3, N5b, N11 and N12 are simulator-only (``vcenter_checks=False``): vCenter's
pre-check does not test the data path, so the migration would start and then fail or misbehave.
N5a (the vmknics' MTUs or stacks differ) is the wizard's own compatibility warning (KB 432825).
N4 (1 GbE floor) is H3's warning; N10 (isolate the vMotion network) is a design practice with no
checkable input in the model.
"""

from __future__ import annotations

from .netpath import (ignored_vmotion_vmknics, path_mtu, provisioning_vmknics, vmotion_bandwidth,
                      vmotion_pairs, vmotion_vmknics)

__all__ = ["check", "vm_nic_mac", "ping_payload", "MIN_MBPS_PER_VMOTION", "MAX_RTT_MS",
           "PING_HEADER_BYTES"]

MIN_MBPS_PER_VMOTION = 250  # fact sheet §2.3 N3 [S2][S3]
MAX_RTT_MS = 150.0          # fact sheet §2.3 N11 [S2][S3][S18]


def _reachability(ctx, rule, vmknics):
    if any(f.rule_id in ("H1", "H2") for f in ctx.findings):
        return ()  # no interface or no live uplink: H1/H2 already say why nothing gets through
    pairs = vmotion_pairs(ctx.env, ctx.src, ctx.dst, vmknics)
    if not pairs or any(ok for _, _, ok, _ in pairs):
        return pairs
    a, b, _, reason = pairs[0]
    ctx.add(rule, ctx.env.path("vmknic", ctx.src, a.name), detail=reason, vmk=a.name, ip=b.ip)
    return ()


#: IPv4 (20 bytes) plus ICMP (8 bytes) headers; the largest don't-fragment vmkping payload is
#: the MTU minus this (9000 -> 8972; fact sheet §5 T4 [S47]).
PING_HEADER_BYTES = 28


def ping_payload(mtu):
    """The ``vmkping -d -s`` payload that fills a frame of ``mtu`` bytes exactly."""
    return int(mtu) - PING_HEADER_BYTES


def _mtu(ctx, pairs):
    """N5a: the vmknics disagree (MTU or TCP/IP stack), which the wizard warns about (KB 432825).
    N5b: the largest frame either end sends does not pass a hop of the path, which vCenter
    cannot see (KB 417889). The simulator's model of the run: a frame of the larger vmknic MTU
    must pass every hop; only N5a and the run completes (the product may still crawl)."""
    env = ctx.env
    for a, b, ok, _ in pairs:
        if not ok:
            continue
        size = max(a.mtu, b.mtu)  # the path must carry the largest frame either end sends
        obj = env.path("vmknic", ctx.src, a.name)
        if (a.mtu != b.mtu or a.tcpip_stack != b.tcpip_stack) and not any(
                f.rule_id == "N5a" for f in ctx.findings):
            ctx.add("N5a", obj, vmk=a.name, ip=b.ip, payload=ping_payload(size),
                    detail=f"{ctx.src}/{a.name}: MTU {a.mtu}, {a.tcpip_stack} stack; "
                           f"{ctx.dst}/{b.name}: MTU {b.mtu}, {b.tcpip_stack} stack")
        hop_mtu, where = min(path_mtu(env, ctx.src, a), path_mtu(env, ctx.dst, b),
                             key=lambda t: t[0])
        big = f"{ctx.src}/{a.name}" if a.mtu >= b.mtu else f"{ctx.dst}/{b.name}"
        if size > hop_mtu:
            ctx.add("N5b", obj, vmk=a.name, ip=b.ip, payload=ping_payload(size),
                    detail=f"{big} has MTU {size} but {where} passes only {hop_mtu}-byte "
                           "frames")
            return  # one pair that cannot carry the frames is enough to explain the failure


def _names(ctx):
    env = ctx.env
    sv, dv = vmotion_vmknics(env, ctx.src), vmotion_vmknics(env, ctx.dst)
    sn, dn = {v.port_group for v in sv}, {v.port_group for v in dv}
    if sn and dn and not sn & dn:
        ctx.add("N8", env.path("host", ctx.dst), src_net=", ".join(sorted(sn)),
                dst_net=", ".join(sorted(dn)))
    for host in (ctx.src, ctx.dst):
        ignored = ignored_vmotion_vmknics(env, host)
        stack = next((v for v in env.host(host).vmknics if v.tcpip_stack == "vmotion"), None)
        for v in ignored:
            ctx.add("N2", env.path("vmknic", host, v.name), host=host, vmk=v.name,
                    stack_vmk=stack.name)


def _distance_and_bandwidth(ctx):
    env, p = ctx.env, ctx.plan
    if p.rtt_ms is not None and p.rtt_ms > MAX_RTT_MS:
        ctx.add("N11", env.path("host", ctx.dst), rtt_ms=f"{p.rtt_ms:g}")
    per = vmotion_bandwidth(env, ctx.src, ctx.dst).bandwidth_gbps * 1000
    if 0 < per < MIN_MBPS_PER_VMOTION:
        ctx.add("N3", env.path("host", ctx.dst), per_migration_mbps=f"{per:g}")


def _hint_for(ctx, src_sw, target, missing_vds):
    env = ctx.env
    if missing_vds:
        return (f"'{target}' is a port group of distributed switch '{src_sw.name}', and "
                f"{ctx.dst} is not a member of it. Add {ctx.dst} to '{src_sw.name}', or pick a "
                "destination network for the NIC in the wizard.")
    names = sorted({pg.name for sw in env.host_switches(ctx.dst) for pg in sw.port_groups})
    return (f"vCenter maps NICs by port-group label, and {ctx.dst} has no network called "
            f"'{target}' (it has: {', '.join(names) or 'none'}). Create or rename the port group "
            "so the labels match exactly, or map the NIC to a destination network.")


def _vm_networks(ctx):
    env, v, p = ctx.env, ctx.vm, ctx.plan
    src_dc, dst_dc = env.host_datacenter(ctx.src).name, env.host_datacenter(ctx.dst).name
    for nic_name, src_net, target in p.nic_map:
        nic = v.nic(nic_name)
        obj = env.path("nic", v.name, nic.name)
        src_found = env.port_group(ctx.src, src_net)
        src_sw = src_found[0] if src_found else None
        src_vds = hasattr(src_sw, "members")  # a distributed switch
        if src_found and not src_vds and not src_sw.uplinks:
            sev = None if nic.connected else "warning"
            ctx.add("N7", obj, sev, nic=nic.name, network=src_net)
        dst_found = env.port_group(ctx.dst, target)
        if dst_found is None:
            # N6: a connected NIC, or a vDS backing the destination is not a member of, is an
            # error even when the NIC is disconnected (fact sheet §2.3 N6 [S4][S87])
            missing_vds = src_vds and target == nic.network
            hint = _hint_for(ctx, src_sw, target, missing_vds)
            if nic.connected:
                ctx.add("N6", obj, nic=nic.name, network=target, hint=hint)
            else:
                ctx.add("N6w", obj, "error" if missing_vds and ctx.live else None,
                        nic=nic.name, network=target, hint=hint)
            continue
        dst_sw, dst_pg = dst_found
        if src_vds and not hasattr(dst_sw, "members"):
            ctx.add("N6b", obj, nic=nic.name, network=src_net, target=target)
        if src_dc != dst_dc and target == src_net:
            ctx.add("N9", obj, network=target, src_dc=src_dc, dst_dc=dst_dc)
        if ctx.vmotion and not dst_pg.notify_switches:
            ctx.add("N12", env.path("port-group", ctx.dst, target), network=target,
                    mac=vm_nic_mac(v.name, nic.name))


def vm_nic_mac(vm, nic):
    """A stable VMware-OUI MAC for a VM NIC (the model stores none)."""
    import hashlib
    h = hashlib.sha256(f"{vm}/{nic}".encode()).digest()
    return "00:50:56:" + ":".join(f"{b:02x}" for b in (h[0] & 0x3F, h[1], h[2]))


def check(ctx):
    """Network rules for ``ctx``."""
    p = ctx.plan
    if not p.changes_host:
        return  # Storage vMotion needs no vMotion network (ESXi 4.0+) and keeps the NICs
    if ctx.vmotion:
        pairs = _reachability(ctx, "N1", vmotion_vmknics)
        _mtu(ctx, pairs)
        _names(ctx)
        _distance_and_bandwidth(ctx)
    elif p.changes_storage and not p.cross_vcenter:
        _reachability(ctx, "N1b", provisioning_vmknics)
    _vm_networks(ctx)

