"""The vMotion network between two hosts: which vmknics carry it, whether they reach each other,
the path MTU, and the bandwidth one migration gets.

These are facts about the *network*, not rules: the network and host checks use them to decide
whether a rule fires, and :func:`vmotion_bandwidth` is the one place that turns a host pair into
the pre-copy engine's :class:`~vmotion_core.precopy.config.Link`. Labs and widgets call it too.

Simplifications (stated so they can be taught as such):

- A vmknic sends over one physical uplink at a time (the first active uplink with link up of its
  port group); two vmknics on the same uplink share it.
- Reachability is decided per vmknic pair: the same subnet and VLAN (L2), or routed when both
  ends have a gateway inside their own subnet (the vMotion TCP/IP stack's default gateway or a
  per-vmknic override) and, across sites, a site link exists.
- Streams: before ESXi 7.0 U2 one stream per vMotion vmknic (the smaller count of the two hosts);
  from 7.0 U2 on both hosts vSphere sizes the streams from the NIC bandwidth (automatic).
"""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass

from ..inventory.products import version_tuple
from ..precopy.config import Link

__all__ = ["vmotion_vmknics", "ignored_vmotion_vmknics", "vmknic_uplink", "vmknic_uplinks",
           "vmknic_switch", "reachable", "vmotion_pairs", "path_mtu",
           "provisioning_vmknics", "host_vmotion_gbps", "VMotionPath", "vmotion_bandwidth",
           "nfc_link", "encrypted_vmotion_used"]

_AUTO_STREAMS = (7, 0, 2, "")


def vmotion_vmknics(env, host):
    """The vmknics vMotion uses on ``host``.

    Any vmknic on the vMotion TCP/IP stack turns off vMotion on every default-stack vmknic of the
    host (fact sheet §2.3 N2), so the vMotion-stack ones win when present.
    """
    h = env.host(host)
    stack = tuple(v for v in h.vmknics if v.tcpip_stack == "vmotion" and v.enabled)
    if any(v.tcpip_stack == "vmotion" for v in h.vmknics):
        return stack
    return tuple(v for v in h.vmknics
                 if v.enabled and v.tcpip_stack == "default" and "vmotion" in v.services)


def ignored_vmotion_vmknics(env, host):
    """Default-stack vmknics with vMotion ticked that a vMotion-stack vmknic switches off."""
    h = env.host(host)
    if not any(v.tcpip_stack == "vmotion" for v in h.vmknics):
        return ()
    return tuple(v for v in h.vmknics if v.tcpip_stack == "default" and "vmotion" in v.services)


def provisioning_vmknics(env, host):
    """vmknics that carry NFC (cold migration, disk copies): the provisioning stack or service,
    else the management vmknic (fact sheet §1.4)."""
    h = env.host(host)
    prov = tuple(v for v in h.vmknics if v.enabled and (v.tcpip_stack == "provisioning"
                                                        or "provisioning" in v.services))
    return prov or tuple(v for v in h.vmknics if v.enabled and "management" in v.services)


def vmknic_switch(env, host, vmk):
    """``(switch, port_group)`` of a vmknic, or None when its port group does not exist."""
    return env.port_group(host, vmk.port_group)


def vmknic_uplinks(env, host, vmk):
    """Physical uplinks (link state ignored) behind the vmknic's port group."""
    found = vmknic_switch(env, host, vmk)
    return env.active_uplinks(host, *found) if found else ()


def vmknic_uplink(env, host, vmk):
    """The uplink the vmknic sends on: the first active one with link up, or None."""
    return next((u for u in vmknic_uplinks(env, host, vmk) if u.link_up), None)


def _gateway(env, host, vmk):
    """The vmknic's usable gateway: its override, else its stack's; None if absent or outside
    the vmknic's subnet (a gateway must be on-link)."""
    gw = vmk.gateway or (env.host(host).stack_gateway(vmk.tcpip_stack)
                         if vmk.tcpip_stack != "default" else None)
    if gw is None:
        return None
    try:
        return gw if ipaddress.ip_address(gw) in vmk.interface.network else None
    except ValueError:
        return None


def reachable(env, host_a, vmk_a, host_b, vmk_b):
    """``(ok, reason)``: can ``vmk_a`` on ``host_a`` talk to ``vmk_b`` on ``host_b``?"""
    ia, ib = vmk_a.interface, vmk_b.interface
    if ia.version != ib.version:
        return False, f"{vmk_a.name} is IPv{ia.version} but {vmk_b.name} IPv{ib.version}"
    for h, v in ((host_a, vmk_a), (host_b, vmk_b)):
        if vmknic_switch(env, h, v) is None:
            return False, f"port group '{v.port_group}' of {h}/{v.name} does not exist"
        if vmknic_uplink(env, h, v) is None:
            return False, f"{h}/{v.name} has no uplink with link up"
    sa, sb = env.host_site(host_a), env.host_site(host_b)
    if sa != sb and env.site_link(sa, sb) is None:
        return False, f"sites '{sa}' and '{sb}' have no network link"
    if ia.network == ib.network:
        # both port groups exist (checked above)
        va, vb = (vmknic_switch(env, h, v)[1].vlan for h, v in ((host_a, vmk_a), (host_b, vmk_b)))
        if va != vb:
            return False, (f"{host_a}/{vmk_a.name} ({ia}) is on VLAN {va} but {host_b}/{vmk_b.name} "
                           f"({ib}) on VLAN {vb}")
        return True, "same subnet and VLAN"
    ga, gb = _gateway(env, host_a, vmk_a), _gateway(env, host_b, vmk_b)
    if ga and gb:
        return True, f"routed via {ga} and {gb}"
    missing = [f"{h}/{v.name} ({v.tcpip_stack} stack)" for h, v, g in
               ((host_a, vmk_a, ga), (host_b, vmk_b, gb)) if not g]
    return False, (f"{host_a}/{vmk_a.name} ({ia}) and {host_b}/{vmk_b.name} ({ib}) are in "
                   f"different subnets and {', '.join(missing)} has no usable gateway")


def vmotion_pairs(env, src, dst, vmknics=vmotion_vmknics):
    """All (src vmk, dst vmk, ok, reason) combinations of the two hosts' vMotion vmknics."""
    return tuple((a, b) + reachable(env, src, a, dst, b)
                 for a in vmknics(env, src) for b in vmknics(env, dst))


def path_mtu(env, host, vmk):
    """``(mtu, where)``: the smallest MTU a frame from ``vmk`` meets on its own side (vSwitch,
    physical NIC / switch port)."""
    found = vmknic_switch(env, host, vmk)
    hops = []
    if found:
        hops.append((found[0].mtu, f"switch '{found[0].name}' on {host}"))
    up = vmknic_uplink(env, host, vmk)
    if up is not None:
        hops.append((up.physical_mtu, f"physical port of {host}/{up.name}"))
    return min(hops, key=lambda t: t[0]) if hops else (vmk.mtu, f"{host}/{vmk.name}")


def host_vmotion_gbps(env, host, vmks=None):
    """Line rate (Gbit/s) of the distinct live uplinks behind ``host``'s vMotion vmknics."""
    vmks = vmotion_vmknics(env, host) if vmks is None else vmks
    ups = {u.name: u for u in (vmknic_uplink(env, host, v) for v in vmks) if u is not None}
    return sum((u.speed_mbps / 1000.0 for u in ups.values()), 0.0)


def encrypted_vmotion_used(env, vm, src, dst, mode=None):
    """Whether the migration is encrypted: an encrypted VM always is; 'required' and
    'opportunistic' are when both hosts support it (ESXi 6.5+, fact sheet §4.4)."""
    v = env.vm(vm)
    mode = mode or v.encrypted_vmotion
    capable = all(version_tuple(env.host(h).version) >= (6, 5, 0, "") for h in (src, dst))
    return v.encrypted or (mode in ("required", "opportunistic") and capable)


@dataclass(frozen=True)
class VMotionPath:
    """The vMotion network between two hosts as the pre-copy engine sees it."""

    source: str
    destination: str
    source_vmknics: tuple
    destination_vmknics: tuple
    source_gbps: float
    destination_gbps: float
    site_link_gbps: float | None
    bandwidth_gbps: float
    streams: int | None
    rtt_ms: float
    encrypted: bool
    concurrent: int
    link: Link
    explanation: str

    @property
    def effective_gbps(self):
        """Goodput one migration gets, Gbit/s (from the engine's Link)."""
        return self.link.effective_bps * 8 / 1e9

    def to_dict(self):
        return asdict(self) | {"link": self.link.to_dict(), "effective_gbps": self.effective_gbps}


def vmotion_bandwidth(env, source, destination, concurrent=1, encrypted=False):
    """The vMotion network from ``source`` to ``destination`` hosts as a :class:`VMotionPath`.

    Line rate = the smaller side's sum of distinct live uplinks behind its vMotion vmknics, capped
    by the site link between different sites; the engine's ``Link`` then applies protocol
    efficiency, the per-stream ceiling, encryption cost and the share of ``concurrent``
    migrations. When a side has no usable vMotion uplink, ``bandwidth_gbps`` is 0 and ``link``
    sits at the engine's floor (0.01 Gbit/s); the checks report that case (H1/H2) first.

    Examples
    --------
    >>> from vmotion_core.inventory import load_scenario
    >>> p = vmotion_bandwidth(load_scenario("healthy-cluster"), "esx-01", "esx-02")
    >>> p.bandwidth_gbps > 0
    True
    """
    sv, dv = vmotion_vmknics(env, source), vmotion_vmknics(env, destination)
    if source == destination:  # a local move (Storage vMotion): no vMotion network involved
        sg = dg = host_vmotion_gbps(env, source, sv) or 10.0
    else:
        sg, dg = host_vmotion_gbps(env, source, sv), host_vmotion_gbps(env, destination, dv)
    line = min(sg, dg)
    sa, sb = env.host_site(source), env.host_site(destination)
    site = env.site_link(sa, sb) if sa != sb else None
    if site is not None:
        line = min(line, site.bandwidth_gbps)
    rtt = env.rtt_ms(source, destination) or 0.0
    auto = all(version_tuple(env.host(h).version) >= _AUTO_STREAMS for h in (source, destination))
    streams = None if auto else max(1, min(len(sv), len(dv)) or 1)
    link = Link(bandwidth_gbps=max(line, 0.01), streams=streams, rtt_ms=min(rtt, 1000.0),
                encrypted=bool(encrypted), concurrent=int(concurrent))
    parts = [f"{h}: {g:g} Gbit/s over {', '.join(v.name for v in vs) or 'no vMotion vmknic'}"
             for h, g, vs in ((source, sg, sv), (destination, dg, dv))]
    if site is not None:
        parts.append(f"site link {sa}-{sb}: {site.bandwidth_gbps:g} Gbit/s, RTT {rtt:g} ms")
    parts.append("streams: automatic (ESXi 7.0 U2+)" if auto else f"streams: {streams} (one per vmknic)")
    if encrypted:
        parts.append("encrypted vMotion")
    if concurrent > 1:
        parts.append(f"shared by {concurrent} concurrent migrations")
    expl = "; ".join(parts) + f" -> {link.effective_bps * 8 / 1e9:.2f} Gbit/s per migration"
    return VMotionPath(source, destination, tuple(v.name for v in sv), tuple(v.name for v in dv),
                       sg, dg, site.bandwidth_gbps if site else None, line, streams, rtt,
                       bool(encrypted), int(concurrent), link, expl)


def nfc_link(env, source, destination):
    """The engine's :class:`~vmotion_core.precopy.config.Link` for an NFC file copy between two
    hosts (cold and suspended moves): the slower side's line rate behind its provisioning
    vmknics (:func:`provisioning_vmknics`, fact sheet §1.4), at least the engine's floor.

    >>> from vmotion_core.inventory import load_scenario
    >>> nfc_link(load_scenario("healthy-cluster"), "esx-01", "esx-02").bandwidth_gbps > 0
    True
    """
    gbps = min(host_vmotion_gbps(env, h, provisioning_vmknics(env, h)) for h in (source, destination))
    return Link(bandwidth_gbps=max(gbps, 0.01))
