"""Catalogue entries for the host rules H1-H12 (fact sheet §2.1)."""

from .record import UNABLE, Rule

_CPU_MSG = (UNABLE + "The CPU of the host is incompatible with the CPU feature requirements of the "
            "virtual machine; problem detected at CPUID level {level} register '{register}'.")

RULES = (
    Rule("H1", "host", "vMotion VMkernel interface on both hosts", "VMotionNotConfigured", "error",
         UNABLE + "The vMotion interface is not configured (or is misconfigured) on the {side} host.",
         "Give {host} a VMkernel adapter with the vMotion service enabled (or one on the vMotion "
         "TCP/IP stack). vCenter asks the destination whether it can receive and the source whether "
         "it can send; a host without a vMotion interface refuses.",
         "vSphere API VMotionNotConfigured; KB 1003734/321009; vSphere 8.0 Host Configuration for vMotion; "
         "wording: vSphere Client error for the destination host (actsupport.com, secondary)",
         severity_off=None),
    Rule("H2", "host", "vMotion interface has an operational uplink", "VMotionLinkDown", "error",
         UNABLE + "The vMotion interface '{vmk}' on host '{host}' has no operational physical links.",
         "Attach a working physical NIC (link up) to the switch behind port group '{port_group}' "
         "on {host}. A vmknic on a switch without a live uplink cannot send a single page.",
         "vSphere API VMotionLinkDown", severity_off=None),
    Rule("H3", "host", "vMotion uplink at least 1000 Mbps full duplex", "VMotionLinkCapacityLow", "warning",
         "VMotion is supported on links that have a speed of at least 1000 Mbps and are full duplex "
         "(uplink '{nic}' of '{vmk}' on host '{host}': {speed_mbps} Mbps, {duplex} duplex).",
         "Put the vMotion vmknic on a 1 GbE or faster full-duplex uplink; 10 GbE for memory-heavy "
         "VMs. Each concurrent vMotion needs about 250 Mbps dedicated.",
         "vSphere API VMotionLinkCapacityLow; vSphere 6.5 vMotion Networking Requirements; wording: "
         "the API reference's description of the fault",
         severity_off=None),
    Rule("H4", "host", "vMotion licensed on both hosts", "VMotionNotLicensed", "error",
         UNABLE + "VMotion is not licensed on a source or destination host. It must be licensed "
         "on both hosts.",
         "Host {host} runs edition '{edition}', which does not include vMotion. Assign a licence "
         "edition that does (both hosts need it). A cold migration is not a vMotion; the "
         "simulator does not check this licence for it (MigrationFault lists licensing errors "
         "under powered-on VMs).",
         "vSphere API VMotionNotLicensed; vSphere 6.7 vCenter Server and Host Management p.20; "
         "wording: the API reference's description of the fault",
         severity_off=None),
    Rule("H5", "host", "both hosts support vMotion", "VMotionNotSupported", "error",
         UNABLE + "The source or the destination host does not support VMotion.",
         "Host {host} cannot do vMotion ({reason}). Use a host that supports it, or power the VM "
         "off and cold-migrate.",
         "vSphere API VMotionNotSupported; wording: the API reference's description of the fault",
         severity_off=None),
    Rule("H6", "host", "CPU feature compatibility", "FeatureRequirementsNotMet", "error", _CPU_MSG,
         "{detail} Enable EVC on the cluster at the oldest host's baseline (VMs running above it "
         "must be power-cycled), or cold-migrate. Clock speed, cache size and core count may differ; "
         "CPU features may not.",
         "KB 1003718/311680 (wording); KB 1008315; vSphere API FeatureRequirementsNotMet "
         "(the deprecated CpuIncompatible before it)",
         severity_off=None),
    Rule("H7", "host", "matching BIOS CPU settings (NX/XD, VT)", "FeatureRequirementsNotMet", "error",
         _CPU_MSG,
         "{feature} is disabled in the BIOS of {host} but enabled on {other}. Identical servers "
         "need identical BIOS CPU settings; a BIOS update can reset them. Enable {feature} and "
         "reboot the host.",
         "KB 1003718/311680 (wording); vSphere API FeatureRequirementsNotMet", severity_off=None),
    Rule("H8", "host", "host supports its cluster's EVC mode", "EVCAdmissionFailed", "error",
         "Host '{host}' cannot run EVC mode '{mode}' of cluster '{cluster}': {reason}.",
         "EVC needs hosts of one CPU vendor, ESXi 6.0 or later, VT and NX/XD enabled in the BIOS "
         "and a CPU that supports the chosen mode. Lower the cluster's EVC mode or move {host} out "
         "of the cluster.",
         "vSphere 6.7/7.0 EVC Requirements for Hosts; vSphere API EVCAdmissionFailed ('The host "
         "does not satisfy the admission requirements for the Enhanced VMotion Compatibility mode "
         "of the cluster'; its subclasses name the cause: CPU vendor, CPU features, host software)"),
    Rule("H9", "host", "per-VM EVC support", "FeatureRequirementsNotMet", "error",
         "Virtual machine '{vm}' uses per-VM EVC mode '{mode}', which host '{host}' cannot "
         "provide: {reason}.",
         "Per-VM EVC needs ESXi 6.7+, vCenter 6.7+ and VM hardware version 14+, and the per-VM "
         "mode may not exceed the cluster's EVC mode (else the VM fails to power on). Pick a host "
         "that meets this, or lower the VM's EVC mode while it is powered off.",
         "vSphere 6.7 VM Administration p.255 (per-VM EVC); vSphere API FeatureRequirementsNotMet "
         "('The host does not meet feature requirements of the virtual machine'; a per-VM EVC mode "
         "is carried as the VM's feature requirements, FeatureEVCMode.featureRequirement)",
         severity_off="warning"),
    Rule("H10", "host", "management IP families match", "IpFamilyMismatch", "error",
         UNABLE + "Host '{dst}' is registered with an {dst_family} address but the source host "
         "'{src}' with an {src_family} address.",
         "A host registered in vCenter with IPv4 cannot receive a VM from a host registered with "
         "IPv6. Register both hosts with the same address family.",
         "vSphere 8.0 VM Conditions and Limitations for vMotion; simulator's name, no vSphere API "
         "fault: the docs state the limitation but the API reference has no fault for an address-"
         "family mismatch", severity_off=None, fault_documented=False),
    Rule("H11", "host", "destination can admit the VM", "DrsVmotionIncompatibleFault", "error",
         "Host Incompatible with Virtual Machine: host '{host}' cannot admit '{vm}' ({reason}).",
         "{hint}", "vSphere 8.0 DRS fault 'Host Incompatible with Virtual Machine' (wording); "
         "vSphere API DrsVmotionIncompatibleFault ('DRS tries to migrate a virtual machine to a "
         "host, but finds that the host is incompatible with the given virtual machine'); "
         "vSphere 6.5 Availability (insufficient failover resources)",
         severity_off="warning"),
    Rule("H12", "host", "ESXi firewall allows vMotion (TCP 8000)", "VMotionPortBlocked", "error",
         "vMotion from '{src}' to '{dst}' would fail at run time: the ESXi firewall on host "
         "'{host}' does not allow TCP 8000 (vMotion).",
         "vCenter's pre-check does not test the data path. Allow the vMotion rule set (TCP 8000) "
         "in the ESXi firewall of {host}.",
         "vSphere 6.5.1 Security (ESXi firewall TCP 8000); KB 340170; simulator's name, no "
         "vSphere API fault: vCenter's pre-check does not test the data path, and the API's "
         "BlockedByFirewall is a host-configuration fault (JoinDomain), not a migration one",
         vcenter_checks=False, severity_off=None, fault_documented=False,
         # fact sheet §2.1 H12: "Error (runtime)"; no vMotion-side text or progress figure is
         # given, so the run-time message is the simulator's wording
         fails_at="vmotion-transfer", fails_at_percent=None,
         runtime_message="The vMotion connection could not be opened: the ESXi firewall does "
                         "not allow TCP 8000 (vMotion).",
         runtime_source="vSphere 6.5.1 Security (ESXi firewall TCP 8000)"),
    Rule("H12b", "host", "ESXi firewall allows NFC (TCP 902) for cold/disk copies", "NfcPortBlocked",
         "error",
         "Cannot connect to host. (The copy of '{vm}' from '{src}' to '{dst}' would stop at about "
         "23%: TCP 902 (NFC) is blocked by the firewall of host '{host}'.)",
         "Cold migration and disk copies use NFC on TCP 902 (provisioning stack, or vmk0). Open "
         "TCP 902 between the hosts. (KB 340170 gives 'Cannot connect to host' at about 23% for "
         "an unrouted provisioning network and lists an open TCP 902 in its fix; the simulator "
         "assumes a blocked port ends the same way.)",
         "KB 340170 (wording); vSphere 6.7 outgoing ports (NFC 902); simulator's name, no vSphere "
         "API fault: the pre-check does not test the NFC path; the task ends with 'Cannot connect "
         "to host.'",
         vcenter_checks=False, fault_documented=False,
         # KB 340170's unrouted-provisioning symptom (fact sheet §5 T19); the same end for a
         # blocked 902 is the simulator's assumption (see the fix text)
         fails_at="nfc-copy", fails_at_percent=23, runtime_message="Cannot connect to host.",
         runtime_source="KB 340170"),
)
