"""The simulated vSphere inventory: one frozen dataclass per kind of object.

Objects refer to each other *by name* (a VM names its host, a vmknic its port group), exactly as a
scenario file does; :class:`~vmotion_core.inventory.environment.Environment` resolves the names and
gives every object an inventory path such as ``vc01/dc1/cl-prod/esx-01/vmk1``.

Field names carry their units (``memory_gib``, ``speed_mbps``, ``rtt_ms``). Allowed values of the
text fields are the tuples in capitals below; the scenario loader checks them and the reference page
``book/reference/scenario-format.md`` lists them. Where the simulator simplifies vSphere, the field's
comment says so.

>>> Uplink("vmnic1", speed_mbps=10000).link_up
True
"""

import ipaddress
from dataclasses import dataclass, field
from typing import Optional

from .catalog import EDITION_FEATURES, generation_features

__all__ = [
    "SCHEMA_VERSION", "POWER_STATES", "DRS_AUTOMATION_LEVELS", "CPU_VENDORS", "CONNECTION_STATES",
    "DUPLEX_MODES", "VMKNIC_SERVICES", "TCPIP_STACKS", "DATASTORE_TYPES", "DISK_MODES",
    "DISK_PROVISIONING", "RDM_COMPATIBILITY", "DEVICE_KINDS", "BACKING_KINDS", "NIC_TYPES",
    "ENCRYPTED_VMOTION_MODES", "WORKLOAD_KINDS", "GRAPHICS_3D_MODES", "SWAP_PLACEMENTS",
    "VM_HOST_RULE_KINDS", "LINK_SPEEDS_MBPS",
    "Site", "SiteLink", "VCenter", "Datacenter", "VmHostRule", "Cluster", "License",
    "Uplink", "PortGroup", "StandardSwitch", "DvsMember", "DistributedSwitch", "Vmknic",
    "TcpIpStack", "HostLun", "Host", "Datastore", "Disk", "VmNic", "Device", "WorkloadProfile",
    "VM", "ResourcePool", "VApp",
]

SCHEMA_VERSION = 1

POWER_STATES = ("powered-on", "powered-off", "suspended", "powering-on", "resuming")
DRS_AUTOMATION_LEVELS = ("manual", "partially-automated", "fully-automated")
CPU_VENDORS = ("intel", "amd")
CONNECTION_STATES = ("connected", "disconnected", "not-responding")
DUPLEX_MODES = ("full", "half")
LINK_SPEEDS_MBPS = (10, 100, 1000, 2500, 5000, 10000, 25000, 40000, 50000, 100000)
VMKNIC_SERVICES = ("management", "vmotion", "provisioning", "ft-logging", "vsan",
                   "vsphere-replication", "vsphere-replication-nfc")
TCPIP_STACKS = ("default", "vmotion", "provisioning")
DATASTORE_TYPES = ("vmfs", "nfs", "vsan", "local")  # "local": VMFS on a host's own disk
DISK_MODES = ("persistent", "nonpersistent", "independent-persistent", "independent-nonpersistent")
DISK_PROVISIONING = ("thin", "thick-lazy", "thick-eager")
RDM_COMPATIBILITY = ("physical", "virtual")
DEVICE_KINDS = ("cdrom", "floppy", "serial", "parallel", "usb", "pci-passthrough")
# datastore-file: "[ds] path" (ISO, FLP, serial output); host-device: a device of the host;
# client-device: media of the remote console's computer; network: a serial port over the network.
BACKING_KINDS = ("datastore-file", "host-device", "client-device", "network", "none")
NIC_TYPES = ("vmxnet3", "e1000e", "e1000", "sriov")
ENCRYPTED_VMOTION_MODES = ("disabled", "opportunistic", "required")
WORKLOAD_KINDS = ("uniform", "hotset", "sweep")
GRAPHICS_3D_MODES = ("disabled", "automatic", "software", "hardware")
SWAP_PLACEMENTS = ("vm-directory", "host-local")
VM_HOST_RULE_KINDS = ("must-run-on", "should-run-on", "must-not-run-on", "should-not-run-on")


# --- sites and management -------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    """A physical location (a room, a campus, a city). Datacenters sit in a site."""
    name: str
    location: str = ""


@dataclass(frozen=True)
class SiteLink:
    """The network between two sites; hosts in the same site are one LAN apart (RTT ~0)."""
    a: str
    b: str
    rtt_ms: float
    bandwidth_gbps: float


@dataclass(frozen=True)
class VCenter:
    """A vCenter Server. ``enhanced_linked_mode``: joined to the other ELM vCenters of its SSO
    domain. ``time_offset_s``: clock skew against true time (cross-vCenter needs time sync).
    ``advanced``: advanced settings as (key, value) text pairs, e.g. ``vgpu.hotmigrate.enabled``."""
    name: str
    version: str
    sso_domain: str = "vsphere.local"
    enhanced_linked_mode: bool = False
    time_offset_s: float = 0.0
    advanced: tuple = ()

    def setting(self, key, default=None):
        """Value of advanced setting ``key`` (text) or ``default``."""
        return dict(self.advanced).get(key, default)


@dataclass(frozen=True)
class Datacenter:
    """A datacenter in one vCenter, standing in one site."""
    name: str
    vcenter: str
    site: str


@dataclass(frozen=True)
class VmHostRule:
    """A DRS VM/Host rule of a cluster."""
    name: str
    kind: str
    vms: tuple
    hosts: tuple

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
    name: str
    datacenter: str
    drs_enabled: bool = False
    drs_automation: str = "fully-automated"
    evc_mode: Optional[str] = None          # an EVC baseline key, e.g. "intel-skylake"
    ha_enabled: bool = False
    ha_host_failures_tolerated: int = 1
    rules: tuple = ()                       # tuple[VmHostRule]


@dataclass(frozen=True)
class License:
    """A license assigned to hosts by name. ``features`` defaults to the edition's set."""
    name: str
    edition: str
    features: Optional[tuple] = None

    @property
    def feature_set(self):
        """Frozenset of the features this license grants."""
        return frozenset(self.features) if self.features is not None else EDITION_FEATURES[self.edition]


# --- host networking ------------------------------------------------------------------------

@dataclass(frozen=True)
class Uplink:
    """A physical NIC. ``physical_mtu``: largest frame the physical switch port passes
    (the simulator's stand-in for every hop between two hosts)."""
    name: str
    speed_mbps: int = 10000
    duplex: str = "full"
    link_up: bool = True
    physical_mtu: int = 1500


@dataclass(frozen=True)
class PortGroup:
    """A port group on a standard or distributed switch. ``uplinks``: active uplinks (empty =
    all of the switch's). VLAN 0 = untagged, 4095 = trunk (vSS)."""
    name: str
    vlan: int = 0
    uplinks: tuple = ()
    notify_switches: bool = True


@dataclass(frozen=True)
class StandardSwitch:
    """A vSphere Standard Switch; it exists on one host only. No uplinks = a virtual intranet."""
    name: str
    mtu: int = 1500
    uplinks: tuple = ()
    port_groups: tuple = ()                 # tuple[PortGroup]


@dataclass(frozen=True)
class DvsMember:
    """A host's membership in a distributed switch, with the host uplinks it contributes."""
    host: str
    uplinks: tuple = ()


@dataclass(frozen=True)
class DistributedSwitch:
    """A vSphere Distributed Switch of a datacenter; member hosts contribute uplinks."""
    name: str
    datacenter: str
    version: str = "8.0"
    mtu: int = 1500
    members: tuple = ()                     # tuple[DvsMember]
    port_groups: tuple = ()                 # tuple[PortGroup]


@dataclass(frozen=True)
class Vmknic:
    """A VMkernel adapter. Its VLAN is its port group's (as in vSphere). ``gateway`` overrides
    the stack's default gateway (6.5+); ``enabled`` false = administratively down."""
    name: str
    port_group: str
    ip: str
    prefix: int = 24
    mtu: int = 1500
    services: tuple = ()
    tcpip_stack: str = "default"
    gateway: Optional[str] = None
    enabled: bool = True

    @property
    def interface(self):
        """Address and prefix as an ``ipaddress`` interface (``.network`` is the subnet)."""
        return ipaddress.ip_interface(f"{self.ip}/{self.prefix}")


@dataclass(frozen=True)
class TcpIpStack:
    """Per-host settings of a TCP/IP stack (its own default gateway)."""
    name: str
    gateway: Optional[str] = None


@dataclass(frozen=True)
class HostLun:
    """A SAN LUN the host sees (for RDMs): device id and the LUN number it is presented as."""
    device: str
    lun_id: int


@dataclass(frozen=True)
class Host:
    """An ESXi host. Belongs to ``cluster`` or, standalone, to ``datacenter`` (give one or both).

    ``cpu_features``: None = the generation's features from the catalog (override to model a
    CPU that lacks one). ``blocked_tcp_ports``: TCP ports the host's firewall (or the network)
    blocks towards other hosts, e.g. 8000 (vMotion) or 902 (NFC).
    """
    name: str
    version: str
    cpu_vendor: str
    cpu_generation: str
    license: str
    cluster: Optional[str] = None
    datacenter: Optional[str] = None
    cpu_model: str = ""
    cpu_cores: int = 32
    cpu_features: Optional[tuple] = None
    nx_enabled: bool = True
    vt_enabled: bool = True
    memory_gib: float = 512.0
    management_ip: Optional[str] = None    # IPv4 or IPv6; None = vmk0's address
    connection_state: str = "connected"
    maintenance_mode: bool = False
    vmotion_supported: bool = True
    uplinks: tuple = ()                     # tuple[Uplink]
    standard_switches: tuple = ()           # tuple[StandardSwitch]
    vmknics: tuple = ()                     # tuple[Vmknic]
    tcpip_stacks: tuple = ()                # tuple[TcpIpStack]
    blocked_tcp_ports: tuple = ()
    luns: tuple = ()                        # tuple[HostLun]
    swap_datastore: Optional[str] = None    # host-local swap location
    gpu_profiles: tuple = ()                # vGPU profiles the host's GPUs offer
    vflash: bool = False

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


# --- storage and VMs ------------------------------------------------------------------------

@dataclass(frozen=True)
class Datastore:
    """A datastore mounted by ``hosts``; ``read_only_hosts`` (a subset) mount it read-only."""
    name: str
    type: str
    datacenter: str
    capacity_gib: float
    free_gib: float
    hosts: tuple = ()
    read_only_hosts: tuple = ()
    maintenance_mode: bool = False


@dataclass(frozen=True)
class Disk:
    """A virtual disk. An RDM names the SAN device (``rdm_device``) and its compatibility mode."""
    name: str
    datastore: str
    size_gib: float
    mode: str = "persistent"
    provisioning: str = "thin"
    rdm_device: Optional[str] = None
    rdm_compatibility: Optional[str] = None


@dataclass(frozen=True)
class VmNic:
    """A virtual NIC on network (port-group label) ``network``."""
    name: str
    network: str
    type: str = "vmxnet3"
    connected: bool = True


@dataclass(frozen=True)
class Device:
    """A removable or passthrough device. ``backing`` text by kind: ``[ds] iso/x.iso``
    (datastore-file), ``/vmfs/devices/cdrom/mpx.vmhba0:C0:T0:L0`` (host-device), a URI
    (network). ``vspc``: a Virtual Serial Port Concentrator URI (network serial ports).
    ``vmotion_enabled``: for USB passthrough, "support vMotion while device is connected"."""
    name: str
    kind: str
    backing_kind: str = "none"
    backing: str = ""
    connected: bool = False
    vspc: Optional[str] = None
    vmotion_enabled: bool = False

    @property
    def backing_datastore(self):
        """Datastore named in a ``[ds] path`` backing, else None."""
        if self.backing_kind == "datastore-file" and self.backing.startswith("["):
            return self.backing[1:self.backing.find("]")] if "]" in self.backing else None
        return None


@dataclass(frozen=True)
class WorkloadProfile:
    """How the guest writes memory, for the pre-copy engine (see precopy-models.md).
    ``hot_fraction`` of the pages take ``hot_share`` of the writes (kind "hotset" only)."""
    kind: str = "uniform"
    dirty_rate_mibps: float = 100.0
    hot_fraction: float = 0.1
    hot_share: float = 0.9


@dataclass(frozen=True)
class VM:
    """A virtual machine registered on ``host``. Config, NVRAM and logs live on
    ``config_datastore``; the swap file with them or, with ``swap: host-local``, on the host's
    swap datastore. ``cpu_affinity``: logical CPUs; ``memory_affinity``: NUMA nodes."""
    name: str
    host: str
    config_datastore: str
    memory_gib: float = 4.0
    vcpus: int = 2
    power_state: str = "powered-on"
    hardware_version: int = 19
    guest_os: str = "other-64"
    evc_mode: Optional[str] = None          # per-VM EVC baseline
    swap: str = "vm-directory"
    disks: tuple = ()                       # tuple[Disk]
    nics: tuple = ()                        # tuple[VmNic]
    devices: tuple = ()                     # tuple[Device]
    cpu_affinity: tuple = ()
    memory_affinity: tuple = ()
    memory_reservation_gib: float = 0.0
    vgpu_profile: Optional[str] = None
    graphics_3d: str = "disabled"
    vpmc_enabled: bool = False              # virtual CPU performance counters
    vflash_read_cache_gib: float = 0.0
    encrypted: bool = False
    encrypted_vmotion: str = "opportunistic"
    tools_install_in_progress: bool = False
    max_switchover_s: float = 100.0         # vmotion.maxSwitchoverSeconds (KB 2141355)
    resource_pool: Optional[str] = None
    vapp: Optional[str] = None
    workload: WorkloadProfile = field(default_factory=WorkloadProfile)

    def device(self, name):
        """The device called ``name`` or None."""
        return next((d for d in self.devices if d.name == name), None)

    def nic(self, name):
        """The virtual NIC called ``name`` or None."""
        return next((n for n in self.nics if n.name == name), None)

    def disk(self, name):
        """The virtual disk called ``name`` or None."""
        return next((d for d in self.disks if d.name == name), None)


@dataclass(frozen=True)
class _Pool:
    """The fields resource pools and vApps share (a vApp is a resource pool that groups VMs)."""
    name: str
    cluster: Optional[str] = None
    host: Optional[str] = None
    parent: Optional[str] = None
    memory_reservation_gib: float = 0.0
    expandable: bool = True


@dataclass(frozen=True)
class ResourcePool(_Pool):
    """A resource pool in ``cluster`` (or on standalone ``host``); ``parent``: enclosing pool."""


@dataclass(frozen=True)
class VApp(_Pool):
    """A vApp: a resource pool that groups VMs (VMs name it in ``vapp``)."""
