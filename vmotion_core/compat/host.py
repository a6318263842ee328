"""Host rules H1-H12: vMotion interfaces, uplinks, licence, CPU compatibility, EVC, admission,
firewall (fact sheet §2.1).

CPU compatibility follows the fact sheet's design note: the features the guest sees (its host's,
masked by cluster EVC or per-VM EVC) must all be offered by the destination (its own features
masked by its cluster's EVC baseline), and the vendors must match. NX/XD and VT are BIOS switches
(H7). The CPUID leaf/register named in the message is where the first missing feature lives.
The fact sheet quotes levels 0x1 (ecx) and 0x80000001 (edx/ecx) only; the other leaves (0x7,
0xd, and 0x0 for a vendor mismatch) follow the x86 CPUID layout and are the simulator's
extension of vCenter's message, not quoted vCenter output.
"""

from __future__ import annotations

import ipaddress

from ..plan import free_memory_gib
from ..inventory.products import evc_vendor, generation_features, version_tuple as _v
from .license import require_feature
from .netpath import vmknic_uplinks, vmotion_vmknics

__all__ = ["check", "CPUID_LOCATION", "cpuid_location"]

_LEAF1_ECX = ("sse3", "pclmulqdq", "ssse3", "fma", "cx16", "sse4.1", "sse4.2", "popcnt", "aes",
              "xsave", "avx", "f16c", "rdrand", "vt")
_EXT_EDX = ("lm", "nx")
_EXT_ECX = ("sse4a", "fma4")
_LEAF7_EBX = ("avx2", "bmi1", "bmi2", "adx", "rdseed", "clflushopt", "clwb", "avx512f", "sha")
_LEAF7_ECX = ("avx512vbmi", "vaes", "vpclmulqdq", "pku", "rdpid", "avx512vnni")
_LEAF7_EDX = ("amx", "avx512fp16")
#: feature -> (CPUID level, register) as printed in the H6 message (Intel/AMD CPUID layout).
CPUID_LOCATION = {
    **{f: ("0x1", "ecx") for f in _LEAF1_ECX}, **{f: ("0x80000001", "edx") for f in _EXT_EDX},
    **{f: ("0x80000001", "ecx") for f in _EXT_ECX}, **{f: ("0x7", "ebx") for f in _LEAF7_EBX},
    **{f: ("0x7", "ecx") for f in _LEAF7_ECX}, **{f: ("0x7", "edx") for f in _LEAF7_EDX},
    "xsaves": ("0xd", "eax"),
}
_ORDER = list(CPUID_LOCATION)


def cpuid_location(features):
    """(level, register) of the first of ``features`` in CPUID order."""
    first = min(features, key=lambda f: _ORDER.index(f) if f in _ORDER else len(_ORDER))
    return CPUID_LOCATION.get(first, ("0x1", "ecx"))


def _hpath(ctx, host):
    return ctx.env.path("host", host)


def _vmotion_interfaces(ctx):
    env = ctx.env
    for side, host in (("source", ctx.src), ("destination", ctx.dst)):
        vmks = vmotion_vmknics(env, host)
        if not vmks:
            ctx.add("H1", _hpath(ctx, host), side=side, host=host)
            continue
        live = [(vmk, up) for vmk in vmks for up in vmknic_uplinks(env, host, vmk) if up.link_up]
        if not live:
            vmk = vmks[0]
            ctx.add("H2", env.path("vmknic", host, vmk.name), vmk=vmk.name, host=host,
                    port_group=vmk.port_group)
            continue
        vmk, up = max(live, key=lambda t: (t[1].duplex == "full", t[1].speed_mbps))
        if up.speed_mbps < 1000 or up.duplex != "full":
            ctx.add("H3", env.path("uplink", host, up.name), nic=up.name, vmk=vmk.name, host=host,
                    speed_mbps=up.speed_mbps, duplex=up.duplex)


def _licence_and_support(ctx):
    require_feature(ctx, "H4", "vmotion", (ctx.src, ctx.dst))
    for host in (ctx.src, ctx.dst):
        if not ctx.env.host(host).vmotion_supported:
            ctx.add("H5", _hpath(ctx, host), host=host, reason="its platform does not support vMotion")


def _cpu(ctx, severity=None):
    env, v = ctx.env, ctx.vm
    src, dst = env.host(ctx.src), env.host(ctx.dst)
    obj = _hpath(ctx, ctx.dst)
    if src.cpu_vendor != dst.cpu_vendor:
        ctx.add("H6", obj, severity, level="0x0", register="ebx",
                detail=f"The vendors differ ({src.cpu_vendor} on {src.name}, {dst.cpu_vendor} on "
                       f"{dst.name}); no EVC mode bridges vendors, only a cold migration does.")
        return
    missing = env.vm_cpu_features(v.name) - env.effective_cpu_features(dst.name)
    bios = sorted(missing & {"nx", "vt"})
    cpu = sorted(missing - {"nx", "vt"})
    if cpu:
        level, reg = cpuid_location(cpu)
        ctx.add("H6", obj, severity, level=level, register=reg,
                detail=f"{dst.name} ({dst.cpu_generation}) lacks {', '.join(cpu)}, which the "
                       f"guest of {v.name} sees on {src.name} ({src.cpu_generation}).")
    for feat in bios:
        level, reg = CPUID_LOCATION[feat]
        label = {"nx": "NX/XD", "vt": "VT-x/AMD-V"}[feat]
        ctx.add("H7", obj, severity, level=level, register=reg, feature=label, host=dst.name,
                other=src.name)


def _evc(ctx):
    env = ctx.env
    h = env.host(ctx.dst)
    cl = env.host_cluster(ctx.dst)
    if cl is None or not cl.evc_mode:
        return
    reasons = []
    if evc_vendor(cl.evc_mode) != h.cpu_vendor:
        reasons.append(f"the mode is for {evc_vendor(cl.evc_mode)} CPUs, the host has {h.cpu_vendor}")
    else:
        lacks = generation_features(h.cpu_vendor, cl.evc_mode) - h.cpu_feature_set
        if lacks:
            reasons.append(f"its CPU lacks {', '.join(sorted(lacks))}")
    if not (h.nx_enabled and h.vt_enabled):
        reasons.append("NX/XD or VT is disabled in its BIOS")
    if _v(h.version) < (6, 0, 0, ""):
        reasons.append(f"ESXi {h.version} is older than 6.0")
    if reasons:
        ctx.add("H8", _hpath(ctx, h.name), host=h.name, mode=cl.evc_mode, cluster=cl.name,
                reason="; ".join(reasons))


def _per_vm_evc(ctx):
    env, v = ctx.env, ctx.vm
    if not v.evc_mode:
        return
    h = env.host(ctx.dst)
    vc = env.host_vcenter(ctx.dst)
    reasons = []
    if _v(h.version) < (6, 7, 0, ""):
        reasons.append(f"ESXi {h.version} is older than 6.7")
    if _v(vc.version) < (6, 7, 0, ""):
        reasons.append(f"vCenter {vc.version} is older than 6.7")
    if v.hardware_version < 14:
        reasons.append(f"VM hardware version {v.hardware_version} is below 14")
    if evc_vendor(v.evc_mode) != h.cpu_vendor:
        reasons.append(f"the mode is for {evc_vendor(v.evc_mode)} CPUs")
    cl = env.host_cluster(ctx.dst)
    if cl is not None and cl.evc_mode and evc_vendor(cl.evc_mode) == evc_vendor(v.evc_mode) and \
            not generation_features(h.cpu_vendor, v.evc_mode) <= \
            generation_features(h.cpu_vendor, cl.evc_mode):
        reasons.append(f"it exceeds cluster '{cl.name}' EVC mode '{cl.evc_mode}'")
    if reasons:
        ctx.add("H9", env.path("vm", v.name), vm=v.name, mode=v.evc_mode, host=h.name,
                reason="; ".join(reasons))


def _ip_family(ctx):
    env = ctx.env

    def family(host):
        h = env.host(host)
        ip = h.management_ip or next((k.ip for k in h.vmknics if "management" in k.services),
                                     h.vmknics[0].ip if h.vmknics else None)
        return None if ip is None else f"IPv{ipaddress.ip_address(ip).version}"

    fs, fd = family(ctx.src), family(ctx.dst)
    if fs and fd and fs != fd:
        ctx.add("H10", _hpath(ctx, ctx.dst), src_family=fs, dst_family=fd)


def _admission(ctx):
    env, v = ctx.env, ctx.vm
    h = env.host(ctx.dst)
    obj = _hpath(ctx, h.name)
    if h.connection_state != "connected":
        ctx.add("H11", obj, host=h.name, reason=f"the host is {h.connection_state}",
                hint=f"Reconnect {h.name} to vCenter (check its management network and hostd).")
    if h.maintenance_mode:
        ctx.add("H11", obj, host=h.name, reason="the host is in maintenance mode",
                hint=f"Take {h.name} out of maintenance mode or pick another host.")
    free = free_memory_gib(env, h.name)
    if v.power_state != "powered-off" and v.memory_reservation_gib > free:
        ctx.add("H11", obj, host=h.name,
                reason=f"memory reservation {v.memory_reservation_gib:g} GiB, {free:g} GiB free",
                hint="Lower the VM's memory reservation, free memory on the host, or pick a host "
                     "with more free memory (admission control reserves it up front).")
    cl = env.host_cluster(h.name)
    for r in (cl.rules if cl else ()):
        if r.forbids(v.name, h.name):
            ctx.add("H11", obj, host=h.name, reason=f"required DRS VM/Host rule '{r.name}' "
                                                    f"({r.kind} {', '.join(r.hosts)})",
                    hint=f"Edit or disable the rule '{r.name}', or pick a host it allows.")


def _port_blocked(ctx, port, rule_id):
    """``rule_id`` for each of the two hosts whose ESXi firewall blocks TCP ``port``."""
    for host in (ctx.src, ctx.dst):
        if port in ctx.env.host(host).blocked_tcp_ports:
            ctx.add(rule_id, _hpath(ctx, host), host=host)


def _nfc(ctx):
    """TCP 902 for NFC copies: cold/suspended moves that copy files between hosts, and
    long-distance disk copies (fact sheet §1.4, §1.8). Cross-vCenter is VC3's business."""
    p = ctx.plan
    nfc = p.changes_host and p.changes_storage and (not p.live or p.long_distance)
    if nfc and not p.cross_vcenter:
        _port_blocked(ctx, 902, "H12b")


def check(ctx):
    """Host rules for ``ctx`` (see module docstring)."""
    p = ctx.plan
    if not p.changes_host:
        return
    if ctx.vmotion:
        _vmotion_interfaces(ctx)
        _licence_and_support(ctx)
        _port_blocked(ctx, 8000, "H12")
    if p.power_state != "powered-off":  # a suspended VM resumes there: CPU must match (§1.5)
        _cpu(ctx, severity="error")
        _evc(ctx)
    _per_vm_evc(ctx)
    _ip_family(ctx)
    _admission(ctx)
    _nfc(ctx)
