"""Allowed values of the inventory's text fields, and the checkers the model's fields share.

Each tuple is the one place its values are typed; the field that takes it (``spec(Choice(...))``
in :mod:`.hosts` and :mod:`.vms`), the loader, the mutation methods, the CLI's choices and the
scenario-format page all read it from here.
"""

from ...fields import Bool, Label, ListOf, Name, Num, Optional, Text, Version
from ..products import version_tuple

__all__ = [
    "SCHEMA_VERSION", "POWER_STATES", "DRS_AUTOMATION_LEVELS", "CPU_VENDORS", "CONNECTION_STATES",
    "DUPLEX_MODES", "VMKNIC_SERVICES", "TCPIP_STACKS", "DATASTORE_TYPES", "DISK_MODES",
    "DISK_PROVISIONING", "RDM_COMPATIBILITY", "DEVICE_KINDS", "BACKING_KINDS", "NIC_TYPES",
    "ENCRYPTED_VMOTION_MODES", "WORKLOAD_KINDS", "GRAPHICS_3D_MODES", "SWAP_PLACEMENTS",
    "VM_HOST_RULE_KINDS", "LINK_SPEEDS_MBPS",
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
#: encrypted vMotion setting of a VM (and of a MigrationRequest's override)
ENCRYPTED_VMOTION_MODES = ("disabled", "opportunistic", "required")
#: workload kinds a scenario's VM can declare (the pre-copy engine's kinds without "phased")
#: (tests/test_lists_agree.py keeps the two in step)
WORKLOAD_KINDS = ("uniform", "hotset", "sweep")
GRAPHICS_3D_MODES = ("disabled", "automatic", "software", "hardware")
SWAP_PLACEMENTS = ("vm-directory", "host-local")
VM_HOST_RULE_KINDS = ("must-run-on", "should-run-on", "must-not-run-on", "should-not-run-on")

# checkers many fields share
NAME, LABEL, TEXT, BOOL = Name(), Label(), Text(), Bool()
NAMES, OPT_NAME = ListOf(NAME), Optional(NAME)
VERSION = Version(version_tuple)
GIB = Num(0, 1 << 20)  # a size in GiB up to 1 PiB
