"""Every rule: an environment that triggers it (code, severity, message) and a fixed one that
clears it. Variants are built from the built-in scenarios through the inventory's mutation
methods; where vSphere itself refuses the broken state (the loader does too), the test builds it
with ``dataclasses.replace`` and says so."""

import dataclasses

import pytest

from vmotion_core.compat import RULES, check_migration
from vmotion_core.inventory import License, PortGroup, StandardSwitch, Vmknic, load_scenario
from vmotion_core.migration import MigrationRequest as R


def _env(name):
    return load_scenario(name)


def _raw_host(env, host, **fields):
    """Bypass validation (for states the loader refuses, as vSphere does)."""
    hosts = tuple(dataclasses.replace(h, **fields) if h.name == host else h for h in env.hosts)
    return dataclasses.replace(env, hosts=hosts)


def _read_only(env, ds, host):
    """A datastore mounted read-only on ``host`` (raw: the loader keeps swap datastores writable)."""
    dss = tuple(dataclasses.replace(d, read_only_hosts=(host,)) if d.name == ds else d
                for d in env.datastores)
    return dataclasses.replace(env, datastores=dss)


def _with_license(env, edition, hosts):
    env = dataclasses.replace(env, licenses=env.licenses + (License("lic-test", edition),))
    for h in hosts:
        env = env.set_host(h, license="lic-test")
    return env


def _reevc(env, cluster, mode, vms):
    for vm in vms:
        env = env.power_off(vm)
    env = env.set_cluster_evc(cluster, mode)
    for vm in vms:
        env = env.power_on(vm)
    return env


def _jumbo_path(env):
    """esx-41 and esx-45 at MTU 9000 end to end (vmknics, vSwitch1, physical ports)."""
    env = env.set_switch("vSwitch1", host="esx-41", mtu=9000).set_vmknic("esx-41", "vmk1", mtu=9000)
    for host, nic in (("esx-41", "vmnic2"), ("esx-45", "vmnic2")):
        env = env.set_uplink(host, nic, physical_mtu=9000)
    return env


H = "healthy-cluster"
WEB = R("web01", target="esx-02")
COLD_COPY = R("test01", target="esx-01", datastore="esx-01-local")
LOCAL_SV = R("web01", datastore="esx-01-local")
XVC = R("crm01", target="esx-w01", datastore="ds-west")
LD = R("trade01", target="esx-nyc-01", datastore="nyc-vmfs01")

# rule id -> (bad (env, req), fixed (env, req), severity, message fragment)
CASES = {
    "H1": (lambda: (_env(H).disable_service("esx-02", "vmk1", "vmotion"), WEB),
           lambda: (_env(H), WEB), "error",
           "Unable to migrate from esx-01 to esx-02: The vMotion interface is not configured "
           "(or is misconfigured) on the destination host."),
    "H2": (lambda: (_env(H).set_uplink("esx-02", "vmnic2", link_up=False)
                    .set_uplink("esx-02", "vmnic3", link_up=False), WEB),
           lambda: (_env(H).set_uplink("esx-02", "vmnic2", link_up=False), WEB), "error",
           "The vMotion interface 'vmk1' on host 'esx-02' has no operational physical links."),
    "H3": (lambda: (_env(H).set_uplink("esx-02", "vmnic2", duplex="half")
                    .set_uplink("esx-02", "vmnic3", duplex="half"), WEB),
           lambda: (_env(H), WEB), "warning",
           "VMotion is supported on links that have a speed of at least 1000 Mbps and are full duplex"),
    "H4": (lambda: (_with_license(_env(H), "essentials", ["esx-02"]), WEB),
           lambda: (_with_license(_env(H), "essentials-plus", ["esx-02"]), WEB), "error",
           "VMotion is not licensed on a source or destination host. It must be licensed on both hosts."),
    "H5": (lambda: (_env(H).set_host("esx-02", vmotion_supported=False), WEB),
           lambda: (_env(H), WEB), "error",
           "The source or the destination host does not support VMotion."),
    "H6": (lambda: (_env("mixed-cpu-evc"), R("erp01", target="esx-21")),
           lambda: (_reevc(_env("mixed-cpu-evc"), "cl-mixed", "intel-skylake", ["erp01"]),
                    R("erp01", target="esx-21")), "error",
           "The CPU of the host is incompatible with the CPU feature requirements of the virtual "
           "machine; problem detected at CPUID level 0x"),
    "H7": (lambda: (_env(H).set_host("esx-02", nx_enabled=False), WEB),
           lambda: (_env(H), WEB), "error",
           "problem detected at CPUID level 0x80000001 register 'edx'."),
    "H8": (lambda: (dataclasses.replace(_env(H), clusters=tuple(
                    dataclasses.replace(c, evc_mode="intel-sapphirerapids") for c in _env(H).clusters)), WEB),
           lambda: (_env(H), WEB), "error",
           "Host 'esx-02' cannot run EVC mode 'intel-sapphirerapids' of cluster 'cl-prod': its CPU lacks"),
    "H9": (lambda: (_env(H).power_off("web01").set_vm("web01", evc_mode="intel-skylake")
                    .power_on("web01").set_host("esx-02", version="6.5"), WEB),
           lambda: (_env(H).power_off("web01").set_vm("web01", evc_mode="intel-skylake")
                    .power_on("web01"), WEB), "error",
           "Virtual machine 'web01' uses per-VM EVC mode 'intel-skylake'"),
    "H10": (lambda: (_env(H).set_host("esx-02", management_ip="fd00::12"), WEB),
            lambda: (_env(H), WEB), "error", "registered with an IPv6 address"),
    "H11": (lambda: (_env(H).set_host("esx-02", maintenance_mode=True), WEB),
            lambda: (_env(H), WEB), "error",
            "Host Incompatible with Virtual Machine: host 'esx-02' cannot admit 'web01'"),
    "H12": (lambda: (_env(H).set_host("esx-02", blocked_tcp_ports=[8000]), WEB),
            lambda: (_env(H).set_host("esx-02", blocked_tcp_ports=[443]), WEB), "error",
            "does not allow TCP 8000 (vMotion)"),
    "H12b": (lambda: (_env(H).set_host("esx-01", blocked_tcp_ports=[902]), COLD_COPY),
             lambda: (_env(H), COLD_COPY), "error", "TCP 902 (NFC) is blocked"),
    "V1": (lambda: (_env("blocking-devices"), R("web03", target="esx-62")),
           lambda: (_env("blocking-devices").disconnect_device("web03", "CD/DVD drive 1"),
                    R("web03", target="esx-62")), "error",
           "Unable to migrate from esx-61 to esx-62: Currently connected device 'CD/DVD drive 1' "
           "uses backing '/vmfs/devices/cdrom/mpx.vmhba0:C0:T0:L0', which is not accessible."),
    "V2": (lambda: (_env("blocking-devices"), R("web05", target="esx-62")),
           lambda: (_env("blocking-devices").set_device("web05", "CD/DVD drive 1", backing_kind="none",
                                                        backing=""), R("web05", target="esx-62")),
           "warning", "Device 'CD/DVD drive 1' uses backing '[esx-61-local] iso/tools.iso', which is "
                      "not accessible."),
    "V3": (lambda: (_env("blocking-devices"), R("desk01", target="esx-62")),
           lambda: (_env("blocking-devices").disconnect_device("desk01", "CD/DVD drive 1"),
                    R("desk01", target="esx-62")), "error",
           "The virtual machine is using a type of device that prevents migration."),
    "V4": (lambda: (_env("blocking-devices"), R("console01", target="esx-62")),
           lambda: (_env("blocking-devices").set_device("console01", "Serial port 1",
                                                        vspc="telnet://vspc.lab.local:13370"),
                    R("console01", target="esx-62")), "error",
           "Migration of virtual machine with remote serial port connected is not possible unless "
           "a Virtual Serial Port Concentrator appliance is used."),
    "V5": (lambda: (_env("blocking-devices"), R("app02", target="esx-62")),
           lambda: (_env("blocking-devices").set_vm("app02", cpu_affinity=()),
                    R("app02", target="esx-62")), "error",
           "Virtual machine has a configured memory and/or CPU affinity that will prevent VMotion."),
    "V6": (lambda: (_env("blocking-devices"), R("build01", target="esx-62")),
           lambda: (_env("blocking-devices").set_vm("build01", tools_install_in_progress=False),
                    R("build01", target="esx-62")), "error", "VMware Tools installation is in progress"),
    "V7": (lambda: (_env("blocking-devices"), R("gpu01", target="esx-62")),
           lambda: (_env("blocking-devices").power_off("gpu01"), R("gpu01", target="esx-62")),
           "error", "is a PCI passthrough (DirectPath I/O) device."),
    "V8": (lambda: (_env(H).add_device("web01", "USB 1", "usb", backing_kind="host-device",
                                       backing="usb:1", connected=True), WEB),
           lambda: (_env(H).add_device("web01", "USB 1", "usb", backing_kind="host-device",
                                       backing="usb:1", connected=True)
                    .set_device("web01", "USB 1", vmotion_enabled=True), WEB), "error",
           "Host USB device 'USB 1' is not enabled for vMotion."),
    "V9": (lambda: (_env("blocking-devices"), R("ml01", target="esx-62")),
           lambda: (_env("blocking-devices").set_advanced("vc01", "vgpu.hotmigrate.enabled", "true"),
                    R("ml01", target="esx-62")), "error", "vgpu.hotmigrate.enabled is not true"),
    "V9b": (lambda: (_env("blocking-devices").set_advanced("vc01", "vgpu.hotmigrate.enabled", "true")
                     .set_uplink("esx-62", "vmnic0", speed_mbps=1000)
                     .set_uplink("esx-62", "vmnic1", speed_mbps=1000), R("ml01", target="esx-62")),
            lambda: (_env("blocking-devices").set_advanced("vc01", "vgpu.hotmigrate.enabled", "true"),
                     R("ml01", target="esx-62")), "warning", "the migration may fail"),
    "V10": (lambda: (_env(H).set_vm("web01", graphics_3d="hardware"), WEB),
            lambda: (_env(H).set_vm("web01", graphics_3d="automatic"), WEB), "error",
            "uses 3D graphics with renderer 'Hardware', but host 'esx-02' has no GPU."),
    "V11": (lambda: (_env("mixed-cpu-evc").set_vm("mail01", vpmc_enabled=True), R("mail01", target="esx-22")),
            lambda: (_env("mixed-cpu-evc"), R("mail01", target="esx-22")), "error",
            "virtual CPU performance counters enabled"),
    "V13": (lambda: (dataclasses.replace(_env(H), vms=tuple(
                     dataclasses.replace(v, power_state="powering-on") if v.name == "web01" else v
                     for v in _env(H).vms)), WEB),
            lambda: (_env(H), WEB), "error", "is not ready for migration: it is powering on"),
    "V14": (lambda: (_env(H).set_vm("web01", encrypted_vmotion="required").set_host("esx-02", version="6.0"), WEB),
            lambda: (_env(H).set_vm("web01", encrypted_vmotion="opportunistic").set_host("esx-02", version="6.0"), WEB),
            "error", "with encrypted vMotion mode 'Required' is not allowed"),
    "V15": (lambda: (_env(H).set_vm("web01", vflash_read_cache_gib=4), WEB),
            lambda: (_env(H).set_vm("web01", vflash_read_cache_gib=4).set_host("esx-02", vflash=True), WEB),
            "error", "uses Flash Read Cache (4 GiB), but host 'esx-02' has no virtual flash resource."),
    "N1": (lambda: (_env("broken-vmotion-network"), R("app41", target="esx-43")),
           lambda: (_env("broken-vmotion-network").set_vmknic("esx-43", "vmk1", ip="10.0.50.43"),
                    R("app41", target="esx-43")), "error", "would stall at about 10% and time out"),
    "N1b": (lambda: (_env(H).add_vmknic("esx-01", ip="10.0.70.11", port_group="vMotion",
                                        services=("provisioning",))
                     .add_vmknic("esx-02", ip="10.0.71.12", port_group="vMotion",
                                 services=("provisioning",)), COLD_COPY),
            lambda: (_env(H).add_vmknic("esx-01", ip="10.0.70.11", port_group="vMotion",
                                        services=("provisioning",))
                     .add_vmknic("esx-02", ip="10.0.70.12", port_group="vMotion",
                                 services=("provisioning",)), COLD_COPY),
            "error", "Cannot connect to host."),
    # add_vmknic turns the default-stack service off, as vSphere does; a scenario file can still
    # show the service ticked, which is the state N2 explains (T2).
    "N2": (lambda: (_raw_host(_env(H), "esx-02", vmknics=_env(H).host("esx-02").vmknics + (
                        Vmknic("vmk2", "vMotion", "10.0.50.22", tcpip_stack="vmotion",
                               services=("vmotion",)),)), WEB),
           lambda: (_env(H), WEB), "warning", "turns off vMotion on all default-stack adapters"),
    "N3": (lambda: (_env(H).set_uplink("esx-02", "vmnic2", speed_mbps=100)
                    .set_uplink("esx-02", "vmnic3", speed_mbps=100), WEB),
           lambda: (_env(H).set_uplink("esx-02", "vmnic2", speed_mbps=1000), WEB), "warning",
           "at least 250 Mbps dedicated per vMotion is required"),
    # N5a: vmknics at 1500 (esx-41) and 9000 (esx-45) with a path that carries 9000: the
    # wizard's warning (KB 432825); N5b: both vmknics at 9000, physical ports at 1500 (KB 417889)
    # V16: web01 has hardware version 19 (first ESXi: 7.0 U2); verified against the vSphere API
    # (VirtualHardwareVersionNotSupported) and the Automation API's Hardware.Version list
    "V16": (lambda: (_env(H).set_host("esx-02", version="7.0 U1"), WEB),
            lambda: (_env(H).set_host("esx-02", version="7.0 U2"), WEB), "error",
            "The virtual machine's virtual hardware version is not supported on the host. ('web01' "
            "has hardware version 19; host 'esx-02' runs ESXi 7.0 U1, and version 19 needs ESXi "
            "7.0 U2 or later.)"),
    "N5a": (lambda: (_jumbo_path(_env("broken-vmotion-network")).set_vmknic("esx-41", "vmk1",
                                                                          mtu=1500),
                     R("app41", target="esx-45")),
            lambda: (_jumbo_path(_env("broken-vmotion-network")), R("app41", target="esx-45")),
            "warning", "The source and destination hosts have different vMotion vNIC MTU "
                       "configurations."),
    "N5b": (lambda: (_env("broken-vmotion-network").set_switch("vSwitch1", host="esx-41", mtu=9000)
                     .set_vmknic("esx-41", "vmk1", mtu=9000), R("app41", target="esx-45")),
            lambda: (_jumbo_path(_env("broken-vmotion-network")), R("app41", target="esx-45")),
            "error", "'lost connection to peer'"),
    "N6": (lambda: (_env(H), R("web01", target="esx-02", network_map={"VM-Prod": "VM Prod"})),
           lambda: (_env(H).add_port_group("vSwitch0", "VM Prod", host="esx-02", vlan=20),
                    R("web01", target="esx-02", network_map={"VM-Prod": "VM Prod"})), "error",
           "Currently connected network interface 'Network adapter 1' uses network 'VM Prod', "
           "which is not accessible."),
    "N6w": (lambda: (_env(H).set_nic("web01", "Network adapter 1", connected=False),
                     R("web01", target="esx-02", network_map={"VM-Prod": "VM Prod"})),
            lambda: (_env(H).set_nic("web01", "Network adapter 1", connected=False),
                     R("web01", target="esx-02")), "warning",
            "Network interface 'Network adapter 1' uses network 'VM Prod', which is not accessible."),
    "N6b": (lambda: (_raw_host(_env("linked-vcenters"), "esx-w01", standard_switches=(
                        StandardSwitch("vSwitch9", uplinks=("vmnic0",),
                                       port_groups=(PortGroup("VM-Local", vlan=20),)),)),
                     R("crm01", target="esx-w01", datastore="ds-west", network_map={"VM-Prod": "VM-Local"})),
            lambda: (_env("linked-vcenters"), XVC), "error",
            "migration from a vSphere Distributed Switch to a vSphere Standard Switch is not supported"),
    "N7": (lambda: (_env(H).set_switch("vSwitch0", host="esx-01", uplinks=[]), WEB),
           lambda: (_env(H), WEB), "error", "a virtual intranet (a switch with no physical uplinks)"),
    "N8": (lambda: (_env("linked-vcenters"), XVC),
           lambda: (_env(H), WEB), "warning", "are on networks with different names"),
    "N9": (lambda: (_env("linked-vcenters"), XVC),
           lambda: (_env(H), WEB), "warning", "may not be the same network."),
    "N11": (lambda: (_env("long-distance").set_site_link("fra", "nyc", rtt_ms=160), LD),
            lambda: (_env("long-distance"), LD), "error", "is 160 ms; vMotion is supported up to 150 ms."),
    "N12": (lambda: (_env(H).set_port_group("vSwitch0", "VM-Prod", host="esx-02", notify_switches=False), WEB),
            lambda: (_env(H), WEB), "warning", "has Notify switches set to No"),
    "ST1": (lambda: (_env("no-shared-storage"), R("files01", target="esx-12")),
            lambda: (_env("no-shared-storage"), R("files01", target="esx-12", datastore="esx-12-local")),
            "error", "One of the virtual machine's virtual disks is not accessible. ('Hard disk 1'"),
    "ST1b": (lambda: (_env("no-shared-storage"), R("files01", target="esx-12")),
             lambda: (_env("no-shared-storage"), R("files01", target="esx-12", datastore="esx-12-local")),
             "error", "configuration files are not accessible. ('files01.vmx' is on datastore 'esx-11-local'"),
    "ST2": (lambda: (_raw_host(_env("blocking-devices"), "esx-62", luns=()), R("db02", target="esx-62")),
            lambda: (_env("blocking-devices"), R("db02", target="esx-62")), "error",
            "Raw device mapping 'Hard disk 3' points to LUN"),
    "ST3": (lambda: (_read_only(_env(H).set_vm("web01", swap="host-local")
                                .set_host("esx-02", swap_datastore="esx-02-local"),
                                "esx-02-local", "esx-02"), WEB),
            lambda: (_env(H).set_vm("web01", swap="host-local")
                     .set_host("esx-02", swap_datastore="esx-02-local"), WEB), "warning",
            "This is a compatibility warning, not an error."),
    "ST4": (lambda: (_env("blocking-devices"), R("db02", disk_datastores={"Hard disk 2": "esx-61-local"})),
            lambda: (_env("blocking-devices"), R("db02", disk_datastores={"Hard disk 1": "esx-61-local"})),
            "error", "Virtual disk 'Hard disk 2' of 'db02' is in independent nonpersistent mode"),
    "ST5": (lambda: (_env(H), R("web01", datastore="esx-02-local")),
            lambda: (_env(H), LOCAL_SV), "error",
            "Host 'esx-01' cannot access the target datastore 'esx-02-local'."),
    "ST6": (lambda: (_env(H).unmount_datastore("esx-01-local", "esx-01")
                     .mount_datastore("esx-01-local", "esx-01", writable=False), LOCAL_SV),
            lambda: (_env(H), LOCAL_SV), "error",
            "The datastore 'esx-01-local' is not writable on host 'esx-01'."),
    "ST7": (lambda: (_env(H).set_datastore("esx-01-local", free_gib=10), LOCAL_SV),
            lambda: (_env(H), LOCAL_SV), "error", "Datastore 'esx-01-local' has 10 GiB free"),
    "ST8": (lambda: (_env(H).set_datastore("esx-01-local", maintenance_mode=True), LOCAL_SV),
            lambda: (_env(H), LOCAL_SV), "error", "is in (or entering) maintenance mode."),
    "VC1": (lambda: (_env("linked-vcenters").set_vcenter("vc-west", version="7.0", sso_domain="west.local")
                     .set_vcenter("vc-east", version="7.0"), XVC),
            lambda: (_env("linked-vcenters").set_vcenter("vc-west", version="7.0")
                     .set_vcenter("vc-east", version="7.0"), XVC), "error",
            "vCenter Server 'vc-west' is not offered as a migration target from 'vc-east'"),
    # different SSO domains, vc-west on 7.0 U3 (ACVM), vc-east on 6.0: ACVM never supports 6.0
    "VC6": (lambda: (_env("linked-vcenters").set_vcenter("vc-west", version="7.0 U3",
                                                        sso_domain="west.local")
                     .set_vcenter("vc-east", version="6.0"), XVC),
            lambda: (_env("linked-vcenters").set_vcenter("vc-west", version="7.0 U3",
                                                        sso_domain="west.local")
                     .set_vcenter("vc-east", version="6.7"), XVC), "error",
            "'vc-east' runs vCenter Server 6.0; it works only between vSphere 6.5 or later."),
    "VC2": (lambda: (_env("linked-vcenters").set_vcenter("vc-west", version="7.0 U3"), XVC),
            lambda: (_env("linked-vcenters"), XVC), "error", "the vCenters run different versions"),
    "VC3": (lambda: (_env("linked-vcenters").set_vcenter("vc-west", time_offset_s=300), XVC),
            lambda: (_env("linked-vcenters").set_vcenter("vc-west", time_offset_s=5), XVC), "error",
            "Compatibility check took too long to complete. Please check vCenter Server logs for more details."),
    "VC4": (lambda: (_env("linked-vcenters").power_off("crm01").set_vm("crm01", encrypted=True)
                     .power_on("crm01").set_vcenter("vc-west", version="6.7")
                     .set_vcenter("vc-east", version="6.7"), XVC),
            lambda: (_env("linked-vcenters").power_off("crm01").set_vm("crm01", encrypted=True)
                     .power_on("crm01"), XVC), "error", "migration of encrypted virtual machines is not supported"),
    "VC5": (lambda: (_env("no-shared-storage").set_host("esx-12", version="5.0"),
                     R("files01", target="esx-12", datastore="esx-12-local")),
            lambda: (_env("no-shared-storage"), R("files01", target="esx-12", datastore="esx-12-local")),
            "error", "vMotion without shared storage needs ESXi 5.1 or later."),
    "L1": (lambda: (_with_license(_env(H), "essentials-plus", ["esx-01"]), LOCAL_SV),
           lambda: (_with_license(_env(H), "standard", ["esx-01"]), LOCAL_SV), "error",
           "Storage vMotion is not licensed on host 'esx-01' (edition 'essentials-plus')."),
    "L2": (lambda: (_with_license(_env("linked-vcenters"), "standard", ["esx-e01", "esx-w01"]), XVC),
           lambda: (_env("linked-vcenters"), XVC), "error",
           "Cross vCenter Server vMotion is not licensed on host 'esx-e01' (edition 'standard')"),
    "L3": (lambda: (_with_license(_env("long-distance"), "standard", ["esx-fra-01", "esx-nyc-01"]), LD),
           lambda: (_env("long-distance"), LD), "error",
           "Long-distance vMotion (85 ms round trip) is not licensed on host 'esx-fra-01'"),
}

# Batch limits and the run-time switchover failure are tested in test_limits.py / tests/migration.
NOT_HERE = {"LM1", "LM2", "LM3", "LM4", "V12", "V12b"}


def test_every_rule_has_a_case():
    assert set(RULES) - NOT_HERE == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_triggers_and_fix_clears(rule_id):
    bad, fixed, severity, fragment = CASES[rule_id]
    env, req = bad()
    hits = [f for f in check_migration(env, req) if f.rule_id == rule_id]
    assert hits, f"{rule_id} did not fire"
    f = hits[0]
    assert f.code == RULES[rule_id].code
    assert f.severity == severity
    assert fragment in f.message, f.message
    assert "<" not in f.message.replace("<->", ""), f"unfilled placeholder: {f.message}"
    assert f.fix and f.source and f.object
    assert f.vcenter_checks == RULES[rule_id].vcenter_checks
    env2, req2 = fixed()
    assert rule_id not in {g.rule_id for g in check_migration(env2, req2)}


def test_fix_for_a_host_local_datastore_does_not_say_mount_it_elsewhere():
    """issue 18: a host-local datastore cannot be mounted on another host; the hint must not
    suggest it unqualified, and must offer the move that works (change both)."""
    found = check_migration(_env("no-shared-storage"), R("files01", target="esx-12"))
    hints = {f.rule_id: f.fix for f in found if f.rule_id in ("ST1", "ST1b")}
    assert set(hints) == {"ST1", "ST1b"}
    for fix in hints.values():
        assert not fix.startswith("Mount"), fix
        assert "host-local datastore cannot be mounted on another host" in fix
        assert "Change both compute resource and storage" in fix
