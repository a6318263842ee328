"""VM rules V1-V16: devices and backings, affinity, Tools, passthrough, vGPU, 3D, vPMC, CPU
requirements, power state, encrypted vMotion, Flash Read Cache (fact sheet §2.2), and the VM's
virtual hardware version on the destination (V16: the first ESXi release of each version from the
vSphere Automation API's Hardware.Version list, KB 1003746).

V12 trigger (a simulator assumption; the fact sheet gives the message, not the trigger): a
running VM without per-VM EVC leaves an EVC cluster for a host outside that EVC mode, so vCenter
must write the guest's CPU feature requirements into the VM's configuration; a destination that
cannot hold them (ESXi before 6.7 or VM hardware before 14, the per-VM EVC minimums) is V12b.
"""

from __future__ import annotations

from ..inventory.products import version_tuple
from .netpath import vmotion_bandwidth

__all__ = ["check", "backing_accessible", "FIRST_ESXI_FOR_HARDWARE"]

#: Virtual hardware version -> first ESXi release that runs it (vSphere Automation API
#: Hardware.Version; versions 6, 12 and 16 are Workstation-only and have no entry).
FIRST_ESXI_FOR_HARDWARE = {
    4: "3.0", 7: "4.0", 8: "5.0", 9: "5.1", 10: "5.5", 11: "6.0", 13: "6.5", 14: "6.7",
    15: "6.7 U2", 17: "7.0", 18: "7.0 U1", 19: "7.0 U2", 20: "8.0", 21: "8.0 U2",
}


def _hardware_version(ctx):
    v, host = ctx.vm, ctx.env.host(ctx.dst)
    needed = FIRST_ESXI_FOR_HARDWARE.get(v.hardware_version)
    if needed and version_tuple(host.version) < version_tuple(needed):
        ctx.add("V16", ctx.env.path("vm", v.name), hw=v.hardware_version, version=host.version,
                needed=needed)


def backing_accessible(env, device, dst):
    """Whether host ``dst`` can reach ``device``'s backing (True for backings that travel)."""
    if device.backing_kind == "host-device":
        return False
    if device.backing_kind == "datastore-file":
        ds = device.backing_datastore
        return ds is not None and any(d.name == ds and dst in d.hosts for d in env.datastores)
    return True


def _devices(ctx):
    env, v = ctx.env, ctx.vm
    for d in v.devices:
        obj = env.path("device", v.name, d.name)
        if d.kind == "usb" and d.backing_kind == "host-device":
            if d.connected and not d.vmotion_enabled and ctx.live:
                ctx.add("V8", obj, device=d.name)
            continue
        if d.kind == "pci-passthrough":
            if ctx.live:
                ctx.add("V7", obj, device=d.name, kind="PCI passthrough (DirectPath I/O)")
            continue
        if d.backing_kind == "client-device":
            if d.connected:
                ctx.add("V3", obj, device=d.name)
            continue
        if d.kind == "serial" and d.backing_kind == "network":
            if d.connected and not d.vspc:
                ctx.add("V4", obj, device=d.name)
            continue
        if not backing_accessible(env, d, ctx.dst):
            ctx.add("V1" if d.connected else "V2", obj, device=d.name, backing=d.backing)


def _sriov(ctx):
    v = ctx.vm
    for n in v.nics:
        if n.type == "sriov":
            ctx.add("V7", ctx.env.path("nic", v.name, n.name), device=n.name,
                    kind="SR-IOV passthrough")


def _graphics(ctx):
    env, v = ctx.env, ctx.vm
    h = env.host(ctx.dst)
    obj = env.path("vm", v.name)
    if v.vgpu_profile:
        reasons = []
        vc = env.host_vcenter(ctx.src)
        if ctx.live and str(vc.setting("vgpu.hotmigrate.enabled", "false")).lower() != "true":
            reasons.append(f"the vCenter advanced setting vgpu.hotmigrate.enabled is not true on {vc.name}")
        if v.vgpu_profile not in h.gpu_profiles:
            reasons.append(f"host '{h.name}' offers no '{v.vgpu_profile}' vGPU profile")
        low = [x for x in (ctx.src, ctx.dst) if version_tuple(env.host(x).version) < (6, 7, 1, "")]
        if ctx.live and low:
            reasons.append(f"{', '.join(low)} runs ESXi older than 6.7 U1")
        if reasons:
            ctx.add("V9", obj, device=v.vgpu_profile, reason="; ".join(reasons))
        elif ctx.vmotion:
            path = vmotion_bandwidth(env, ctx.src, ctx.dst)
            if path.bandwidth_gbps <= 1.0:
                ctx.add("V9b", obj, device=v.vgpu_profile, bandwidth_gbps=f"{path.bandwidth_gbps:g}")
    if v.graphics_3d == "hardware" and not h.gpu_profiles:
        ctx.add("V10", obj)


def _vpmc(ctx):
    env, v = ctx.env, ctx.vm
    if not v.vpmc_enabled:
        return
    s, d = env.host(ctx.src), env.host(ctx.dst)
    if (s.cpu_vendor, s.cpu_generation) != (d.cpu_vendor, d.cpu_generation):
        ctx.add("V11", env.path("vm", v.name),
                reason=f"{s.cpu_vendor} {s.cpu_generation} on {s.name}, "
                       f"{d.cpu_vendor} {d.cpu_generation} on {d.name}")


def _cpu_requirements(ctx):
    env, v = ctx.env, ctx.vm
    if v.evc_mode or v.power_state == "powered-off":
        return
    src_cl, dst_cl = env.host_cluster(ctx.src), env.host_cluster(ctx.dst)
    src_mode = src_cl.evc_mode if src_cl else None
    dst_mode = dst_cl.evc_mode if dst_cl else None
    if not src_mode or src_mode == dst_mode:
        return
    reason = (f"it leaves EVC mode '{src_mode}' of cluster '{src_cl.name}' for "
              f"{'EVC mode ' + repr(dst_mode) if dst_mode else 'a host without EVC'}")
    d = env.host(ctx.dst)
    if version_tuple(d.version) < (6, 7, 0, "") or v.hardware_version < 14:
        ctx.add("V12b", env.path("vm", v.name), severity="error",
                reason=f"ESXi {d.version}, VM hardware version {v.hardware_version}")
    else:
        ctx.add("V12", env.path("vm", v.name), reason=reason)


def _encryption(ctx):
    env, v = ctx.env, ctx.vm
    mode = ctx.req.encrypted_vmotion or v.encrypted_vmotion
    if not (v.encrypted or mode == "required"):
        return
    for host in (ctx.src, ctx.dst):
        h = env.host(host)
        if version_tuple(h.version) < (6, 5, 0, ""):
            ctx.add("V14", env.path("host", host), host=host, version=h.version)


def check(ctx):
    """VM rules for ``ctx``."""
    env, v, p = ctx.env, ctx.vm, ctx.plan
    obj = env.path("vm", v.name)
    if v.power_state in ("powering-on", "resuming"):
        ctx.add("V13", obj, state=v.power_state.replace("-", " "))
    if ctx.live and v.tools_install_in_progress:
        ctx.add("V6", obj)
    if ctx.live and p.changes_storage and not p.changes_host:
        _sriov(ctx)  # SR-IOV loses Storage vMotion too
    if not p.changes_host:
        return
    _devices(ctx)
    _hardware_version(ctx)
    if ctx.live:
        _sriov(ctx)
        if v.cpu_affinity or v.memory_affinity:
            parts = ([f"CPU affinity {list(v.cpu_affinity)}"] if v.cpu_affinity else []) + \
                    ([f"memory affinity {list(v.memory_affinity)}"] if v.memory_affinity else [])
            ctx.add("V5", obj, affinity=", ".join(parts))
        _encryption(ctx)
    _graphics(ctx)
    _vpmc(ctx)
    _cpu_requirements(ctx)
    if v.vflash_read_cache_gib > 0 and not env.host(ctx.dst).vflash:
        ctx.add("V15", obj, cache_gib=f"{v.vflash_read_cache_gib:g}")
