"""Sites, vCenters, clusters, licenses and ESXi hosts with their networking.

One frozen dataclass per kind of object; each field states its checker, meaning and default once,
with :func:`~vmotion_core.fields.spec` (see :mod:`vmotion_core.inventory.model`).
"""

import ipaddress
from dataclasses import dataclass

from ...fields import Choice, Int, IPAddress, IPv4, ListOf, Num, Obj, Optional, Settings, spec
from ..products import (EDITION_FEATURES, EVC_MODES, LICENSE_EDITIONS, LICENSE_FEATURES,
                       generation_features)
from .values import (BOOL, CONNECTION_STATES, CPU_VENDORS, DRS_AUTOMATION_LEVELS, DUPLEX_MODES,
                     LINK_SPEEDS_MBPS, NAME, NAMES, OPT_NAME, TCPIP_STACKS, TEXT, VERSION,
                     VM_HOST_RULE_KINDS, VMKNIC_SERVICES)

__all__ = ["Site", "SiteLink", "VCenter", "Datacenter", "VmHostRule", "Cluster", "License",
           "Uplink", "PortGroup", "StandardSwitch", "DvsMember", "DistributedSwitch", "Vmknic",
           "TcpIpStack", "HostLun", "Host"]


# --- sites and management -------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    """A physical location (a room, a campus, a city). Datacenters sit in a site."""
    name: str = spec(NAME, "unique name")
    location: str = spec(TEXT, "free text", "")


@dataclass(frozen=True)
class SiteLink:
    """The network between two sites; hosts in the same site are one LAN apart (RTT ~0)."""
    a: str = spec(NAME, "site at one end")
    b: str = spec(NAME, "site at the other end")
    rtt_ms: float = spec(Num(0, 1000), "round-trip time between the sites; long-distance vMotion "
                         "is supported up to 150 ms (KB 2106949)")
    bandwidth_gbps: float = spec(Num(0, 400, lo_open=True), "WAN bandwidth")


@dataclass(frozen=True)
class VCenter:
    """A vCenter Server. ``enhanced_linked_mode``: joined to the other ELM vCenters of its SSO
    domain. ``time_offset_s``: clock skew against true time (cross-vCenter needs time sync).
    ``advanced``: advanced settings as (key, value) text pairs, e.g. ``vgpu.hotmigrate.enabled``."""
    name: str = spec(NAME, "unique name")
    version: str = spec(VERSION, "vSphere release")
    sso_domain: str = spec(NAME, "vCenter Single Sign-On domain", "vsphere.local")
    enhanced_linked_mode: bool = spec(BOOL, "joined in Enhanced Linked Mode with the other ELM "
                                      "vCenters of its SSO domain", False)
    time_offset_s: float = spec(Num(-86400, 86400),
                                "clock skew against true time (cross-vCenter needs time sync)", 0.0)
    advanced: tuple = spec(Settings(),
                           "vCenter advanced settings, e.g. `vgpu.hotmigrate.enabled: true`", ())

    def setting(self, key, default=None):
        """Value of advanced setting ``key`` (text) or ``default``."""
        return dict(self.advanced).get(key, default)


@dataclass(frozen=True)
class Datacenter:
    """A datacenter in one vCenter, standing in one site."""
    name: str = spec(NAME, "unique name")
    vcenter: str = spec(NAME, "vCenter managing it")
    site: str = spec(NAME, "site it stands in")


@dataclass(frozen=True)
class VmHostRule:
    """A DRS VM/Host rule of a cluster."""
    name: str = spec(NAME, "unique name")
    kind: str = spec(Choice(VM_HOST_RULE_KINDS), "rule type")
    vms: tuple = spec(NAMES, "VM names")
    hosts: tuple = spec(NAMES, "host names")

    def forbids(self, vm, host):
        """True when this is a *required* rule that keeps ``vm`` off ``host`` (a must-run-on
        rule not listing the host, or a must-not-run-on rule listing it)."""
        if vm not in self.vms:
            return False
        return ((self.kind == "must-run-on" and host not in self.hosts)
                or (self.kind == "must-not-run-on" and host in self.hosts))


@dataclass(frozen=True)
class Cluster:
    """A cluster: DRS (with automation level), EVC baseline, HA and DRS VM/Host rules."""
    name: str = spec(NAME, "unique name")
    datacenter: str = spec(NAME, "datacenter it belongs to")
    drs_enabled: bool = spec(BOOL, "DRS on", False)
    drs_automation: str = spec(Choice(DRS_AUTOMATION_LEVELS), "DRS automation level",
                               "fully-automated")
    evc_mode: str | None = spec(Optional(Choice(EVC_MODES)), "EVC baseline (null = EVC off)", None)
    ha_enabled: bool = spec(BOOL, "vSphere HA on", False)
    ha_host_failures_tolerated: int = spec(Int(0, 31),
                                           "HA admission control: host failures tolerated", 1)
    rules: tuple = spec(ListOf(Obj(VmHostRule)), "DRS VM/Host rules", ())


@dataclass(frozen=True)
class License:
    """A license assigned to hosts by name. ``features`` defaults to the edition's set."""
    name: str = spec(NAME, "unique name")
    edition: str = spec(Choice(LICENSE_EDITIONS),
                        "license edition (6.7-era packaging, a secondary source)")
    features: tuple | None = spec(Optional(ListOf(Choice(LICENSE_FEATURES))),
                                  "licensed features; null = the edition's default set", None)

    @property
    def feature_set(self):
        """Frozenset of the features this license grants."""
        return EDITION_FEATURES[self.edition] if self.features is None else frozenset(self.features)


# --- host networking ------------------------------------------------------------------------

@dataclass(frozen=True)
class Uplink:
    """A physical NIC. ``physical_mtu``: largest frame the physical switch port passes
    (the simulator's stand-in for every hop between two hosts)."""
    name: str = spec(NAME, "unique name")
    speed_mbps: int = spec(Choice(LINK_SPEEDS_MBPS), "negotiated link speed", 10000)
    duplex: str = spec(Choice(DUPLEX_MODES), "duplex", "full")
    link_up: bool = spec(BOOL, "physical link is up", True)
    physical_mtu: int = spec(Int(1280, 9216),
                             "largest frame the physical switch port passes (stands for every hop)",
                             1500)


@dataclass(frozen=True)
class PortGroup:
    """A port group on a standard or distributed switch. ``uplinks``: active uplinks (empty =
    all of the switch's). VLAN 0 = untagged, 4095 = trunk (vSS)."""
    name: str = spec(NAME, "unique name")
    vlan: int = spec(Int(0, 4095), "VLAN ID (0 untagged, 4095 trunk)", 0)
    uplinks: tuple = spec(NAMES, "physical NICs (names of `hosts[].uplinks[]`)", ())
    notify_switches: bool = spec(BOOL,
                                 "send RARP after a vMotion so physical switches learn the MAC",
                                 True)


@dataclass(frozen=True)
class StandardSwitch:
    """A vSphere Standard Switch; it exists on one host only. No uplinks = a virtual intranet."""
    name: str = spec(NAME, "unique name")
    mtu: int = spec(Int(1280, 9000), "MTU in bytes", 1500)
    uplinks: tuple = spec(NAMES, "physical NICs (names of `hosts[].uplinks[]`)", ())
    port_groups: tuple = spec(ListOf(Obj(PortGroup)), "port groups", ())


@dataclass(frozen=True)
class DvsMember:
    """A host's membership in a distributed switch, with the host uplinks it contributes."""
    host: str = spec(NAME, "host name")
    uplinks: tuple = spec(NAMES, "physical NICs (names of `hosts[].uplinks[]`)", ())


@dataclass(frozen=True)
class DistributedSwitch:
    """A vSphere Distributed Switch of a datacenter; member hosts contribute uplinks."""
    name: str = spec(NAME, "unique name")
    datacenter: str = spec(NAME, "datacenter it belongs to")
    version: str = spec(VERSION, "vSphere release", "8.0")
    mtu: int = spec(Int(1280, 9000), "MTU in bytes", 1500)
    members: tuple = spec(ListOf(Obj(DvsMember)), "member hosts", ())
    port_groups: tuple = spec(ListOf(Obj(PortGroup)), "port groups", ())


@dataclass(frozen=True)
class Vmknic:
    """A VMkernel adapter. Its VLAN is its port group's (as in vSphere). ``gateway`` overrides
    the stack's default gateway (6.5+); ``enabled`` false = administratively down."""
    name: str = spec(NAME, "unique name")
    port_group: str = spec(NAME, "port-group label on the host (vSS or a vDS the host is in)")
    ip: str = spec(IPv4(), "IPv4 address")
    prefix: int = spec(Int(1, 32), "prefix length", 24)
    mtu: int = spec(Int(1280, 9000), "MTU in bytes", 1500)
    services: tuple = spec(ListOf(Choice(VMKNIC_SERVICES)), "enabled services", ())
    tcpip_stack: str = spec(Choice(TCPIP_STACKS),
                            "TCP/IP stack (chosen at creation; cannot be changed later)", "default")
    gateway: str | None = spec(Optional(IPv4()), "default gateway", None)
    enabled: bool = spec(BOOL, "administratively up", True)

    @property
    def interface(self):
        """Address and prefix as an ``ipaddress`` interface (``.network`` is the subnet)."""
        return ipaddress.ip_interface(f"{self.ip}/{self.prefix}")


@dataclass(frozen=True)
class TcpIpStack:
    """Per-host settings of a TCP/IP stack (its own default gateway)."""
    name: str = spec(Choice(TCPIP_STACKS), "unique name")
    gateway: str | None = spec(Optional(IPv4()), "default gateway", None)


@dataclass(frozen=True)
class HostLun:
    """A SAN LUN the host sees (for RDMs): device id and the LUN number it is presented as."""
    device: str = spec(NAME, "SAN device id (naa.…)")
    lun_id: int = spec(Int(0, 16383), "LUN number presented to the host")


@dataclass(frozen=True)
class Host:
    """An ESXi host. Belongs to ``cluster`` or, standalone, to ``datacenter`` (give one or both).

    ``cpu_features``: None = the generation's features from the catalog (override to model a
    CPU that lacks one). ``blocked_tcp_ports``: TCP ports the host's firewall (or the network)
    blocks towards other hosts, e.g. 8000 (vMotion) or 902 (NFC).
    """
    name: str = spec(NAME, "unique name")
    version: str = spec(VERSION, "vSphere release")
    cpu_vendor: str = spec(Choice(CPU_VENDORS), "CPU vendor")
    cpu_generation: str = spec(Choice(EVC_MODES),
                               "CPU generation (an EVC baseline key of the vendor)")
    license: str = spec(NAME, "name of a `licenses[]` entry")
    cluster: str | None = spec(OPT_NAME, "cluster it belongs to", None)
    datacenter: str | None = spec(OPT_NAME, "datacenter it belongs to", None)
    cpu_model: str = spec(TEXT, "model text, for display", "")
    cpu_cores: int = spec(Int(1, 1024), "physical cores", 32)
    cpu_features: tuple | None = spec(Optional(NAMES), "CPU feature flags; null = the generation's "
                                      "set (override to model a missing flag)", None)
    nx_enabled: bool = spec(BOOL, "NX/XD enabled in the BIOS", True)
    vt_enabled: bool = spec(BOOL, "VT-x/AMD-V enabled in the BIOS", True)
    memory_gib: float = spec(Num(1, 24576), "memory", 512.0)
    management_ip: str | None = spec(Optional(IPAddress()), "address vCenter registers the host by "
                                     "(IPv4 or IPv6); null = vmk0's", None)
    connection_state: str = spec(Choice(CONNECTION_STATES), "state in vCenter", "connected")
    maintenance_mode: bool = spec(BOOL, "in maintenance mode", False)
    vmotion_supported: bool = spec(BOOL, "the host's platform supports vMotion", True)
    uplinks: tuple = spec(ListOf(Obj(Uplink)), "physical NICs (names of `hosts[].uplinks[]`)", ())
    standard_switches: tuple = spec(ListOf(Obj(StandardSwitch)), "vSphere Standard Switches", ())
    vmknics: tuple = spec(ListOf(Obj(Vmknic)), "VMkernel adapters", ())
    tcpip_stacks: tuple = spec(ListOf(Obj(TcpIpStack)), "per-stack settings", ())
    blocked_tcp_ports: tuple = spec(ListOf(Int(1, 65535)), "TCP ports blocked towards other hosts "
                                    "(e.g. 8000 vMotion, 902 NFC)", ())
    luns: tuple = spec(ListOf(Obj(HostLun)), "SAN LUNs the host sees (for RDMs)", ())
    swap_datastore: str | None = spec(OPT_NAME, "host-local swap datastore", None)
    gpu_profiles: tuple = spec(NAMES, "vGPU profiles the host's GPUs offer", ())
    vflash: bool = spec(BOOL, "vSphere Flash Read Cache available", False)

    @property
    def cpu_feature_set(self):
        """Features the CPU exposes, with the BIOS NX/XD and VT flags as ``nx`` / ``vt``."""
        base = (frozenset(self.cpu_features) if self.cpu_features is not None
                else generation_features(self.cpu_vendor, self.cpu_generation))
        return base | {f for f, on in (("nx", self.nx_enabled), ("vt", self.vt_enabled)) if on}

    def vmknic(self, name):
        """The vmknic called ``name`` or None."""
        return next((v for v in self.vmknics if v.name == name), None)

    def uplink(self, name):
        """The physical NIC called ``name`` or None."""
        return next((u for u in self.uplinks if u.name == name), None)

    def stack_gateway(self, stack):
        """Default gateway of TCP/IP stack ``stack`` on this host, or None."""
        return next((s.gateway for s in self.tcpip_stacks if s.name == stack), None)
