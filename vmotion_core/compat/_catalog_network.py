"""Catalogue entries for the network rules N1-N12, N5 as N5a/N5b (fact sheet §2.3, §1.6, §1.9)."""

from .record import Rule

RULES = (
    Rule("N1", "network", "vMotion interfaces can reach each other", "VMotionNetworkUnreachable", "error",
         "vMotion from '{src}' to '{dst}' would stall at about 10% and time out: {detail}.",
         "vCenter's pre-check passes, the data path fails ('Failed waiting for data. Error 16'). "
         "Put the vMotion vmknics in one subnet and VLAN, or use the vMotion TCP/IP stack with "
         "its own default gateway (or a per-vmk gateway override, 6.5+). Test with "
         "'vmkping -I {vmk} {ip}'.",
         "KB 1003734/321009; vSphere 8.0 vMotion and provisioning TCP/IP stacks; vSphere 6.7 p.126; "
         "simulator's name, no vSphere API fault: vCenter's pre-check does not test the vMotion "
         "data path; the failed task reports the generic 'A general system error occurred'",
         vcenter_checks=False, severity_off=None, fault_documented=False,
         # fact sheet §2.3 N1 / §5 T3 [S40]: "fails at 10%", times out, exact error text
         fails_at="vmotion-transfer", fails_at_percent=10,
         runtime_message="A general system error occurred: Failed waiting for data. Error 16. "
                         "Invalid argument",
         runtime_source="KB 1003734/321009"),
    Rule("N1b", "network", "provisioning (NFC) path between hosts", "ProvisioningNetworkUnreachable",
         "error",
         "Cannot connect to host. (The NFC copy from '{src}' to '{dst}' would stop at about 23%: "
         "{detail}.)",
         "Cold migration and disk copies travel over NFC on the provisioning stack (or vmk0). Put "
         "the provisioning vmknics in one subnet, or add static routes on the hosts.",
         "KB 340170 (wording); simulator's name, no vSphere API fault: vCenter's pre-check does "
         "not test the NFC path",
         vcenter_checks=False, fault_documented=False,
         # fact sheet §5 T19 [S49]: cold migration/clone fails at about 23% "Cannot connect to host"
         fails_at="nfc-copy", fails_at_percent=23, runtime_message="Cannot connect to host.",
         runtime_source="KB 340170"),
    Rule("N2", "network", "vMotion TCP/IP stack disables default-stack vMotion", "VMotionServiceIgnored",
         "warning",
         "On host '{host}', '{vmk}' has the vMotion service enabled on the default TCP/IP stack but "
         "is not used: '{stack_vmk}' is on the vMotion TCP/IP stack, which turns off vMotion on all "
         "default-stack adapters.",
         "Use the vMotion-stack adapter '{stack_vmk}' (check its gateway) or remove it. The stack "
         "of a vmknic is chosen at creation and cannot be changed later.",
         "vSphere 8.0 vMotion TCP/IP stack; vSphere 6.5 VMkernel Networking Layer; simulator's "
         "name, no vSphere API fault: the docs describe the behaviour, vCenter reports nothing",
         vcenter_checks=False, severity_off=None, fault_documented=False),
    Rule("N3", "network", "250 Mbps per concurrent vMotion", "VMotionBandwidthLow", "warning",
         "The vMotion network between '{src}' and '{dst}' gives {per_migration_mbps} Mbps per "
         "concurrent vMotion; at least 250 Mbps dedicated per vMotion is required.",
         "Run fewer vMotions at once or add vMotion bandwidth (faster uplinks, more vmknics). "
         "WAN-optimisation gains do not count.",
         "vSphere 6.5 vMotion Networking Requirements; vSphere 8.0 Host Configuration for vMotion; "
         "simulator's name, no vSphere API fault: vCenter's pre-check does not test "
         "per-migration bandwidth (VMotionLinkCapacityLow, H3, is about the link speed)",
         vcenter_checks=False, severity_off=None, fault_documented=False),
    # N5 is two rules (fact sheet §2.3 N5a/N5b): vmknics that disagree are a wizard warning;
    # a smaller MTU on a hop of the path with the vmknics agreeing is invisible to vCenter.
    Rule("N5a", "network", "vMotion vmknic MTU the same on source and destination",
         "VMotionMtuConfigMismatch", "warning",
         "The source and destination hosts have different vMotion vNIC MTU configurations. "
         "({detail})",
         "The migration is allowed, but it may fail or run slowly with time-outs. Give the "
         "vMotion vmknics of both hosts the same MTU (Host > Configure > Networking > VMkernel "
         "adapters > Edit > Port properties / NIC settings) and the same TCP/IP stack, then test "
         "the path with 'vmkping -I {vmk} -d -s {payload} {ip}'.",
         "KB 432825 (vMotion Compatibility Warning - MTU Configuration Mismatch; wording); "
         "simulator's name, no vSphere API fault: KB 432825 quotes the wizard's warning but "
         "names no fault type",
         severity_off=None, fault_documented=False),
    Rule("N5b", "network", "MTU consistent along the vMotion path", "VMotionMtuMismatch", "error",
         "vMotion from '{src}' to '{dst}' would fail with 'connection timed out' / 'lost "
         "connection to peer': {detail}.",
         "vCenter has no view of the physical path, so its check passes. Make the MTU the same "
         "end to end (vmknic, vSwitch, physical NIC, physical switches). Test with "
         "'vmkping -I {vmk} -d -s {payload} {ip}' ({payload} = MTU minus 28 bytes of IP and ICMP "
         "headers; -d forbids fragmenting).",
         "KB 417889 (wording); KB 2149261 (vSAN MTU check); simulator's name, no vSphere API "
         "fault: vCenter's pre-check does not test the MTU along the path",
         vcenter_checks=False, severity_off=None, fault_documented=False,
         # fact sheet §2.3 N5b / §5 T4 [S47]: the KB's symptom words; it gives no progress figure
         fails_at="vmotion-transfer", fails_at_percent=None,
         runtime_message="The migration failed: connection timed out (lost connection to "
                         "peer).",
         runtime_source="KB 417889"),
    Rule("N6", "network", "VM network accessible on the destination", "CannotAccessNetwork", "error",
         "Currently connected network interface '{nic}' uses network '{network}', which is not "
         "accessible.",
         "{hint}", "vSphere API CannotAccessNetwork; vSphere 6.7 p.126; KB 1003734; "
         "wording: community.vmware issue 1289 / pyvmomi issue 1041", severity_off="warning"),
    Rule("N6w", "network", "disconnected VM NIC on a network the destination lacks", "CannotAccessNetwork",
         "warning",
         "Network interface '{nic}' uses network '{network}', which is not accessible.",
         "{hint} The NIC is disconnected, so on a standard switch this only warns; a "
         "distributed switch the destination is not a member of still blocks a running VM.",
         "vSphere API CannotAccessNetwork; vSphere 6.7 p.126; wording: pyvmomi issue 1041"),
    # Not the API fault VMotionAcrossNetworkNotSupported: that one means the *host* cannot change
    # a running VM's network at all (fact sheet §1.9 [S38n]). CannotUseNetwork is the API's fault
    # for a destination network that exists but cannot be used.
    Rule("N6b", "network", "no move from a distributed to a standard switch", "CannotUseNetwork",
         "error",
         "Network interface '{nic}' cannot move from distributed port group '{network}' to "
         "standard-switch port group '{target}': migration from a vSphere Distributed Switch to a "
         "vSphere Standard Switch is not supported.",
         "Map the NIC to a distributed port group on the destination (VSS to VSS, VSS to VDS and "
         "VDS to VDS are allowed), or add the destination host to the distributed switch.",
         "vSphere 6.7 p.132 (cross-vCenter network checks: vDS to vSS moves are blocked); vSphere "
         "API CannotUseNetwork ('A network associated with the virtual machine is accessible, but "
         "it cannot be used'; reason VMotionToUnsupportedNetworkType, 'VMotion to unsupported "
         "destination network type', is the simulator's reading for vDS to vSS)"),
    Rule("N7", "network", "VM not on a virtual intranet", "VMOnVirtualIntranet", "error",
         "Virtual machine '{vm}' network interface '{nic}' is connected to '{network}', a virtual "
         "intranet (a switch with no physical uplinks) on host '{src}'.",
         "Move '{nic}' to a port group with physical uplinks. The override "
         "config.migrate.test.CompatibleNetworks.VMOnVirtualIntranet=false (KB 1003832) exists, "
         "but the VM would lose contact with anything left on the source's internal switch.",
         "vSphere API VMOnVirtualIntranet; vSphere 6.7 p.126; KB 1003832", severity_off="warning"),
    Rule("N8", "network", "vMotion vmknics on same-named networks", "MismatchedVMotionNetworkNames",
         "warning",
         "The vMotion interfaces of '{src}' ('{src_net}') and '{dst}' ('{dst_net}') are on "
         "networks with different names; they may not be on the same network.",
         "Give the vMotion port groups the same name on every host, so the name tells you they "
         "are one network.", "vSphere API MismatchedVMotionNetworkNames", severity_off=None),
    Rule("N9", "network", "same-named networks across datacenters", "NetworksMayNotBeTheSame", "warning",
         "The network '{network}' of '{src}' (datacenter '{src_dc}') and the destination network of "
         "the same name in datacenter '{dst_dc}' may not be the same network.",
         "Network names are unique only inside a datacenter. Make sure both port groups carry the "
         "same VLAN/L2 segment, or the VM loses its network after the move.",
         "vSphere API NetworksMayNotBeTheSame"),
    Rule("N11", "network", "round-trip time at most 150 ms", "VMotionRttTooHigh", "error",
         "The round-trip time between '{src}' and '{dst}' is {rtt_ms} ms; vMotion is supported up "
         "to 150 ms.",
         "Long-distance vMotion is supported up to 150 ms RTT (with the proper licence). Above it, "
         "power the VM off and cold-migrate, or move through a closer site.",
         "vSphere 8.0 Host Configuration for vMotion; KB 2106949/336244; simulator's name, no "
         "vSphere API fault: vCenter's pre-check does not test the round-trip time",
         vcenter_checks=False, severity_off=None, fault_documented=False),
    Rule("N12", "network", "Notify switches on the VM's port group", "NotifySwitchesDisabled", "warning",
         "Port group '{network}' on host '{dst}' has Notify switches set to No: after the move the "
         "destination host sends no RARP frames for '{vm}' ({mac}), so the physical switches may "
         "keep sending its traffic to the old port for a while (a connectivity delay).",
         "Set Notify switches = Yes on '{network}' so the destination host sends RARP frames for "
         "the VM's MAC within about a second of the switchover.",
         "KB 343401/90045; vSphere 6.0 Networking p.260 (Notify Switches); simulator's name, no "
         "vSphere API fault: vCenter's pre-check does not test port-group teaming policies",
         vcenter_checks=False, severity_off=None, fault_documented=False),
)
