"""Datastores, virtual machines (disks, NICs, devices, workload), resource pools and vApps.

One frozen dataclass per kind of object; each field states its checker, meaning and default once,
with :func:`~vmotion_core.fields.spec` (see :mod:`vmotion_core.inventory.model`).
"""

from dataclasses import dataclass

from ...fields import Choice, Int, ListOf, Num, Obj, Optional, spec
from ..products import EVC_MODES
from .values import (BACKING_KINDS, BOOL, DATASTORE_TYPES, DEVICE_KINDS, DISK_MODES,
                     DISK_PROVISIONING, ENCRYPTED_VMOTION_MODES, GIB, GRAPHICS_3D_MODES, LABEL,
                     NAME, NAMES, NIC_TYPES, OPT_NAME, POWER_STATES, RDM_COMPATIBILITY,
                     SWAP_PLACEMENTS, TEXT, WORKLOAD_KINDS)

__all__ = ["Datastore", "Disk", "VmNic", "Device", "WorkloadProfile", "VM", "ResourcePool", "VApp"]


# --- storage and VMs ------------------------------------------------------------------------

@dataclass(frozen=True)
class Datastore:
    """A datastore mounted by ``hosts``; ``read_only_hosts`` (a subset) mount it read-only."""
    name: str = spec(NAME, "unique name")
    type: str = spec(Choice(DATASTORE_TYPES), "datastore type")
    datacenter: str = spec(NAME, "datacenter it belongs to")
    capacity_gib: float = spec(Num(0, 1 << 20, lo_open=True), "capacity")
    free_gib: float = spec(GIB, "free space (≤ capacity)")
    hosts: tuple = spec(NAMES, "host names", ())
    read_only_hosts: tuple = spec(NAMES, "hosts (also in `hosts`) that mount it read-only", ())
    maintenance_mode: bool = spec(BOOL, "in maintenance mode", False)


@dataclass(frozen=True)
class Disk:
    """A virtual disk. An RDM names the SAN device (``rdm_device``) and its compatibility mode."""
    name: str = spec(LABEL, "unique name")
    datastore: str = spec(NAME, "datastore the disk lives on")
    size_gib: float = spec(Num(0, 65536, lo_open=True), "provisioned size")
    mode: str = spec(Choice(DISK_MODES), "disk mode", "persistent")
    provisioning: str = spec(Choice(DISK_PROVISIONING), "provisioning type", "thin")
    rdm_device: str | None = spec(OPT_NAME,
                                  "for an RDM: the SAN device (must be in the host's `luns`)", None)
    rdm_compatibility: str | None = spec(Optional(Choice(RDM_COMPATIBILITY)),
                                         "for an RDM: compatibility mode", None)


@dataclass(frozen=True)
class VmNic:
    """A virtual NIC on network (port-group label) ``network``."""
    name: str = spec(LABEL, "unique name")
    network: str = spec(NAME, "port-group label the NIC connects to")
    type: str = spec(Choice(NIC_TYPES), "adapter type", "vmxnet3")
    connected: bool = spec(BOOL, "connected", True)


@dataclass(frozen=True)
class Device:
    """A removable or passthrough device. ``backing`` text by kind: ``[ds] iso/x.iso``
    (datastore-file), ``/vmfs/devices/cdrom/mpx.vmhba0:C0:T0:L0`` (host-device), a URI
    (network). ``vspc``: a Virtual Serial Port Concentrator URI (network serial ports).
    ``vmotion_enabled``: for USB passthrough, "support vMotion while device is connected"."""
    name: str = spec(LABEL, "unique name")
    kind: str = spec(Choice(DEVICE_KINDS), "device kind")
    backing_kind: str = spec(Choice(BACKING_KINDS), "what backs the device", "none")
    backing: str = spec(TEXT, "backing text: `[ds] path` for datastore-file, a device path or URI "
                        "otherwise", "")
    connected: bool = spec(BOOL, "connected", False)
    vspc: str | None = spec(Optional(TEXT),
                            "Virtual Serial Port Concentrator URI (network serial ports)", None)
    vmotion_enabled: bool = spec(BOOL,
                                 "USB passthrough: \"support vMotion while device is connected\"",
                                 False)

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
    kind: str = spec(Choice(WORKLOAD_KINDS), "how writes spread over memory", "uniform")
    dirty_rate_mibps: float = spec(Num(0, 100000), "page writes × page size", 100.0)
    hot_fraction: float = spec(Num(0, 1, lo_open=True), "hotset: fraction of pages that are hot",
                               0.1)
    hot_share: float = spec(Num(0, 1), "hotset: share of the writes they take", 0.9)


@dataclass(frozen=True)
class VM:
    """A virtual machine registered on ``host``. Config, NVRAM and logs live on
    ``config_datastore``; the swap file with them or, with ``swap: host-local``, on the host's
    swap datastore. ``cpu_affinity``: logical CPUs; ``memory_affinity``: NUMA nodes."""
    name: str = spec(NAME, "unique name")
    host: str = spec(NAME, "host name")
    config_datastore: str = spec(NAME, "datastore of the VMX, NVRAM and logs")
    memory_gib: float = spec(Num(0.004, 24576), "memory", 4.0)
    vcpus: int = spec(Int(1, 768), "virtual CPUs", 2)
    power_state: str = spec(Choice(POWER_STATES), "power state", "powered-on")
    hardware_version: int = spec(Int(4, 21), "virtual hardware version", 19)
    guest_os: str = spec(NAME, "guest OS id, for display", "other-64")
    evc_mode: str | None = spec(Optional(Choice(EVC_MODES)), "EVC baseline (null = EVC off)", None)
    swap: str = spec(Choice(SWAP_PLACEMENTS),
                     "swap file placement (host-local uses the host's `swap_datastore`)",
                     "vm-directory")
    disks: tuple = spec(ListOf(Obj(Disk)), "virtual disks", ())
    nics: tuple = spec(ListOf(Obj(VmNic)), "virtual NICs", ())
    devices: tuple = spec(ListOf(Obj(Device)), "removable and passthrough devices", ())
    cpu_affinity: tuple = spec(ListOf(Int(0, 4095)),
                               "logical CPUs the VM is pinned to (blocks vMotion)", ())
    memory_affinity: tuple = spec(ListOf(Int(0, 63)), "NUMA nodes the VM is pinned to", ())
    memory_reservation_gib: float = spec(Num(0, 24576), "memory reservation", 0.0)
    vgpu_profile: str | None = spec(OPT_NAME, "vGPU profile", None)
    graphics_3d: str = spec(Choice(GRAPHICS_3D_MODES), "3D renderer", "disabled")
    vpmc_enabled: bool = spec(BOOL, "virtual CPU performance counters", False)
    vflash_read_cache_gib: float = spec(Num(0, 4096), "Flash Read Cache size", 0.0)
    encrypted: bool = spec(BOOL, "VM encryption", False)
    encrypted_vmotion: str = spec(Choice(ENCRYPTED_VMOTION_MODES), "encrypted vMotion mode",
                                  "opportunistic")
    tools_install_in_progress: bool = spec(BOOL, "a VMware Tools installation is running", False)
    max_switchover_s: float = spec(Num(1, 86400),
                                   "`vmotion.maxSwitchoverSeconds` (default 100 s, KB 2141355)",
                                   100.0)
    resource_pool: str | None = spec(OPT_NAME, "resource pool", None)
    vapp: str | None = spec(OPT_NAME, "vApp", None)
    workload: WorkloadProfile = spec(Obj(WorkloadProfile),
                                     "memory-write profile for the pre-copy engine",
                                     default_factory=WorkloadProfile)

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
    name: str = spec(NAME, "unique name")
    cluster: str | None = spec(OPT_NAME, "cluster it belongs to", None)
    host: str | None = spec(OPT_NAME, "host name", None)
    parent: str | None = spec(OPT_NAME, "enclosing pool", None)
    memory_reservation_gib: float = spec(Num(0, 1 << 20), "memory reservation", 0.0)
    expandable: bool = spec(BOOL, "expandable reservation", True)


@dataclass(frozen=True)
class ResourcePool(_Pool):
    """A resource pool in ``cluster`` (or on standalone ``host``); ``parent``: enclosing pool."""


@dataclass(frozen=True)
class VApp(_Pool):
    """A vApp: a resource pool that groups VMs (VMs name it in ``vapp``)."""
