"""Catalogue entries for the VM rules V1-V16 (fact sheet §2.2)."""

from .record import UNABLE, Rule

_DEVICE_MSG = "The virtual machine is using a type of device that prevents migration."

RULES = (
    Rule("V1", "vm", "no connected device with a source-only backing", "CannotAccessVmDevice", "error",
         UNABLE + "Currently connected device '{device}' uses backing '{backing}', which is not "
         "accessible.",
         "Disconnect '{device}' (uncheck Connected), or put the image on a datastore that {dst} "
         "also mounts. A physical drive or a file on host-local storage exists only on {src}.",
         "KB 1003787 (wording); vSphere API CannotAccessVmDevice", severity_off="warning"),
    Rule("V2", "vm", "disconnected device with an inaccessible backing", "CannotAccessVmDevice",
         "warning",
         UNABLE + "Device '{device}' uses backing '{backing}', which is not accessible.",
         "The device is disconnected, so this only warns: the migration proceeds, but '{device}' "
         "may not reconnect on {dst}. Clear the backing to silence the warning.",
         "KB 1003794 (wording); vSphere API CannotAccessVmDevice"),
    Rule("V3", "vm", "no device backed by the client computer", "RemoteDeviceNotSupported", "error",
         UNABLE + _DEVICE_MSG + " (Device '{device}' is connected to media on the client computer.)",
         "Disconnect '{device}' in the remote console: client-computer media travel over the "
         "console session, which does not follow the VM to another host.",
         "vSphere API RemoteDeviceNotSupported (a subfault of DisallowedMigrationDeviceAttached, "
         "whose API description is the wording); vSphere 6.5.1 Host Management p.121",
         severity_off=None),
    Rule("V4", "vm", "network serial port needs a vSPC", "DisallowedMigrationDeviceAttached", "error",
         "Migration of virtual machine with remote serial port connected is not possible unless a "
         "Virtual Serial Port Concentrator appliance is used. (Device '{device}'.)",
         "Configure '{device}' to go through a Virtual Serial Port Concentrator, or disconnect it "
         "for the migration.", "vSphere API DisallowedMigrationDeviceAttached ('The virtual "
         "machine is using a type of device that prevents migration.'); wording: VMware vic "
         "GitHub issue 2202 (secondary source)", severity_off=None, confidence="S"),
    Rule("V5", "vm", "no CPU or memory affinity", "AffinityConfigured", "error",
         "Virtual machine has a configured memory and/or CPU affinity that will prevent VMotion. "
         "('{vm}': {affinity}.)",
         "Remove the scheduling affinity of '{vm}' (Edit Settings > CPU/Memory > Scheduling "
         "Affinity). Affinity pins the VM to physical CPUs or NUMA nodes of one host.",
         "vSphere API AffinityConfigured; wording: the API reference's description of the fault",
         severity_off=None),
    Rule("V6", "vm", "no VMware Tools installation in progress", "ToolsInstallationInProgress", "error",
         "Migration cannot proceed because a VMware Tools installation is in progress in "
         "virtual machine '{vm}'.",
         "Finish or cancel the VMware Tools installation in '{vm}' (unmount the Tools installer), "
         "then migrate.", "vSphere API ToolsInstallationInProgress; vSphere 6.7 p.134",
         severity_off=None),
    Rule("V7", "vm", "no PCI passthrough (DirectPath I/O) or SR-IOV device", "DisallowedMigrationDeviceAttached",
         "error",
         UNABLE + _DEVICE_MSG + " (Device '{device}' is a {kind} device.)",
         "A {kind} device ties '{vm}' to the physical hardware of {src}. Power the VM off and "
         "cold-migrate, or replace the device with a vmxnet3 NIC.",
         "vSphere 8.0 Networking DirectPath I/O; vSphere 6.5.1 Networking p.153 (SR-IOV); "
         "vSphere API DisallowedMigrationDeviceAttached (wording: its API description)",
         severity_off=None),
    Rule("V8", "vm", "USB passthrough enabled for vMotion", "DisallowedMigrationDeviceAttached", "error",
         UNABLE + _DEVICE_MSG + " (Host USB device '{device}' is not enabled for vMotion.)",
         "Enable vMotion support for the USB passthrough device '{device}' when adding it to the VM.",
         "vSphere 8.0 VM Conditions and Limitations for vMotion; vSphere API "
         "DisallowedMigrationDeviceAttached (wording: its API description)", severity_off=None),
    Rule("V9", "vm", "vGPU VM migration prerequisites", "VgpuMigrationNotSupported", "error",
         UNABLE + "Virtual machine '{vm}' has vGPU device '{device}' and {reason}.",
         "vGPU vMotion needs ESXi/vCenter 6.7 U1 or later, the vCenter advanced setting "
         "vgpu.hotmigrate.enabled=true and a GPU on the destination. Use 10 GbE for large vGPU "
         "profiles.", "vSphere 8.0 VM Conditions and Limitations for vMotion; vSphere 8.0 vGPU stun "
         "time limit; simulator's name, no vSphere API fault: the rule joins conditions the API "
         "reports apart (host versions: MigrationFeatureNotSupported; no profile on the "
         "destination: InsufficientGraphicsResourcesFault) with a vCenter setting no fault names",
         severity_off="warning", fault_documented=False),
    Rule("V9b", "vm", "large vGPU profile on a 1 GbE vMotion network", "VgpuMigrationSlowNetwork", "warning",
         "Virtual machine '{vm}' has vGPU profile '{device}' but the vMotion network between "
         "'{src}' and '{dst}' runs at {bandwidth_gbps} Gbit/s; the migration may fail.",
         "Large vGPU profiles over 1 GbE vMotion may fail; use 10 GbE for the vMotion network.",
         "vSphere 8.0 VM Conditions and Limitations for vMotion; simulator's name, no vSphere API "
         "fault: a supportability warning vCenter does not check", vcenter_checks=False,
         severity_off=None, fault_documented=False),
    Rule("V10", "vm", "hardware 3D renderer needs a GPU", "InsufficientGraphicsResourcesFault", "error",
         UNABLE + "Virtual machine '{vm}' uses 3D graphics with renderer 'Hardware', but host "
         "'{dst}' has no GPU.",
         "Pick a destination with a GPU, or set the 3D renderer to 'Automatic' (it uses what the "
         "host has).", "vSphere 8.0 VM Conditions and Limitations for vMotion; vSphere API "
         "InsufficientGraphicsResourcesFault ('Graphics resources admission control failed')",
         severity_off="warning"),
    Rule("V11", "vm", "virtual CPU performance counters", "VpmcNotSupported", "error",
         UNABLE + "Virtual machine '{vm}' has virtual CPU performance counters enabled, which "
         "host '{dst}' cannot provide ({reason}).",
         "Disable virtual CPU performance counters on '{vm}', or pick a destination with "
         "compatible counters (same CPU vendor and generation).",
         "vSphere 8.0 VM Conditions and Limitations for vMotion; simulator's name, no vSphere API "
         "fault: the API reference names no fault for virtual CPU performance counters",
         severity_off="warning", fault_documented=False),
    Rule("V12", "vm", "CPU feature requirements rewritten by the move", "WillModifyConfigCpuRequirements",
         "warning",
         "Migration will cause the virtual machine's configuration to be modified to preserve the "
         "CPU feature requirements for its guest operating system.",
         "'{vm}' carries no stored CPU feature requirements of its own ({reason}); vCenter writes "
         "them into its configuration during the move. Nothing to fix; it is informational.",
         "KB 1003734/321009 (wording); vSphere API WillModifyConfigCpuRequirements"),
    Rule("V12b", "vm", "destination cannot store CPU feature requirements", "CannotModifyConfigCpuRequirements",
         "error",
         "Cannot modify the virtual machine's configuration to preserve the CPU feature "
         "requirements for its guest operating system ('{vm}' on '{dst}': {reason}).",
         "Upgrade the destination host, or power the VM off and migrate it cold.",
         "vSphere API CannotModifyConfigCpuRequirements", severity_off="same"),
    Rule("V13", "vm", "VM not powering on or resuming", "MigrationNotReady", "error",
         "The virtual machine '{vm}' is not ready for migration: it is {state}.",
         "Wait until '{vm}' has finished {state}, then start the migration again.",
         "vSphere API MigrationNotReady (severity per MigrationFault)"),
    Rule("V14", "vm", "encrypted vMotion 'Required' needs capable hosts", "MigrationFeatureNotSupported",
         "error",
         UNABLE + "Migration of virtual machine '{vm}' with encrypted vMotion mode 'Required' is "
         "not allowed: host '{host}' (ESXi {version}) does not support encrypted vMotion.",
         "Encrypted vMotion needs ESXi 6.5 or later on both hosts. Set the VM's encrypted vMotion "
         "mode to 'Opportunistic', or upgrade {host}. An encrypted VM always uses encrypted vMotion.",
         "vSphere 8.0 Encrypted vSphere vMotion; vSphere API MigrationFeatureNotSupported ('A "
         "migration operation that requires feature support on source and destination hosts is "
         "lacking support on the host')", severity_off=None),
    Rule("V15", "vm", "Flash Read Cache on the destination", "InsufficientVFlashResourcesFault",
         "error",
         UNABLE + "Virtual machine '{vm}' uses Flash Read Cache ({cache_gib} GiB), but host "
         "'{dst}' has no virtual flash resource.",
         "Pick a destination with a vFlash resource, or choose to drop the cache during the "
         "migration (it is rebuilt on the destination).",
         "vSphere 6.5.1 Host Management p.121; vSphere API InsufficientVFlashResourcesFault "
         "('Insufficient vFlash resource to consume')", severity_off="warning"),
    # Verified against the vSphere API reference (fault VirtualHardwareVersionNotSupported: "The
    # virtual machine's virtual hardware version is not supported on the host.", in pyVmomi) and
    # the vSphere Automation API Hardware.Version list ("first supported in ESXi ...", KB 1003746).
    Rule("V16", "vm", "destination supports the VM's virtual hardware version",
         "VirtualHardwareVersionNotSupported", "error",
         "The virtual machine's virtual hardware version is not supported on the host. ('{vm}' "
         "has hardware version {hw}; host '{dst}' runs ESXi {version}, and version {hw} needs "
         "ESXi {needed} or later.)",
         "Pick a destination that runs ESXi {needed} or later, or upgrade '{dst}'. A VM's "
         "hardware version can be raised but not lowered in place, so keep it at the level of "
         "the oldest host it must run on (VM > Compatibility > Schedule VM Compatibility "
         "Upgrade for later).",
         "vSphere API VirtualHardwareVersionNotSupported; vSphere Automation API Hardware.Version "
         "(KB 1003746); vSphere 6.7 About Migration Compatibility Checks"),
)
