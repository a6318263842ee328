"""Catalogue entries for storage (ST*), vCenter (VC*), licence (L*) and limits (LM*) rules."""

from ..precopy.policies import SWITCHOVER_FAILURE_TEMPLATE
from .record import UNABLE, Rule

_STORAGE = (
    Rule("ST1", "storage", "VM files visible to both hosts (compute-only)", "CannotAccessVmDisk", "error",
         UNABLE + "One of the virtual machine's virtual disks is not accessible. ('{file}' is on "
         "datastore '{datastore}', which host '{dst}' does not mount.)",
         "A compute-only vMotion keeps the files where they are, so {dst} must see '{datastore}'. "
         "If it is shared storage (a SAN LUN, an NFS export, vSAN), present or mount it on {dst}; "
         "a host-local datastore cannot be mounted on another host: choose 'Change both compute "
         "resource and storage', or first move the files to shared storage with Storage vMotion.",
         "vSphere API CannotAccessVmDisk; vSphere 8.0 Host Configuration for vMotion; wording: the "
         "API reference's description of the fault"),
    Rule("ST1b", "storage", "VM configuration files visible to both hosts", "CannotAccessVmConfig", "error",
         UNABLE + "One or more of the virtual machine's configuration files are not accessible. "
         "('{file}' is on datastore '{datastore}', which host '{dst}' does not mount.)",
         "If '{datastore}' is shared storage, present or mount it on {dst}; a host-local datastore "
         "cannot be mounted on another host: move the configuration files with 'Change both "
         "compute resource and storage'.", "vSphere 8.0 Host Configuration for vMotion; vSphere API "
         "CannotAccessVmConfig; wording: the API reference's description of the fault"),
    Rule("ST2", "storage", "RDM LUN visible to the destination", "RDMPointsToInaccessibleDisk", "error",
         UNABLE + "Raw device mapping '{disk}' points to LUN '{lun}', which is not accessible from "
         "host '{dst}'.",
         "Present LUN '{lun}' to {dst} with the same LUN ID, or (shared-nothing move) convert the "
         "virtual-mode RDM to a virtual disk.", "vSphere API RDMPointsToInaccessibleDisk; vSphere 6.5.1 p.122"),
    Rule("ST3", "storage", "destination swap datastore writable", "SwapDatastoreNotWritableOnHost", "warning",
         "The swap datastore '{datastore}' is not writable on host '{dst}'; the swap file will be "
         "placed with the virtual machine's configuration file. This is a compatibility warning, "
         "not an error.",
         "Make the host's swap datastore writable, or accept the swap file in the VM directory "
         "(copying the swap file slows the vMotion slightly).",
         "vSphere API SwapDatastoreNotWritableOnHost (wording: its API description, shortened; "
         "the last sentence verbatim); vSphere 7.0 Swap File Location Compatibility"),
    Rule("ST4", "storage", "disks persistent or RDM for storage moves", "NonPersistentDisksNotSupported",
         "error",
         "Virtual disk '{disk}' of '{vm}' is in {mode} mode; Storage vMotion and migration without "
         "shared storage need persistent disks or RDMs.",
         "Change the disk mode of '{disk}' to Dependent (persistent) while the VM is powered off, "
         "or keep the disk on its datastore.", "vSphere 6.7 p.134; vSphere 6.5.1 p.122; vSphere "
         "API NonPersistentDisksNotSupported ('The virtual machine has nonpersistent virtual disk. "
         "This is an error for any powered-on migration which involves moving virtual disks.')",
         severity_off=None),
    Rule("ST5", "storage", "host sees the target datastore", "InaccessibleDatastore", "error",
         "Host '{host}' cannot access the target datastore '{datastore}'.",
         "Mount '{datastore}' on {host}, or pick a datastore {host} can see. For Storage vMotion "
         "the running host reads the source and writes the target itself.",
         "vSphere 6.7 p.134; vSphere 8.0 Datastore cluster Storage vMotion requirements; vSphere "
         "API InaccessibleDatastore ('the datastore corresponding to the given datastore path isn't "
         "currently accessible')"),
    Rule("ST6", "storage", "target datastore writable", "DatastoreNotWritableOnHost", "error",
         "The datastore '{datastore}' is not writable on host '{host}'.",
         "The target must be mounted read-write on {host}. Remount it read-write or pick another "
         "datastore.", "vSphere API DatastoreNotWritableOnHost"),
    Rule("ST7", "storage", "enough free space on the target datastore", "NoDiskSpace", "error",
         "Datastore '{datastore}' has {free_gib} GiB free, but the files of '{vm}' moving there "
         "need {need_gib} GiB.",
         "Free space on '{datastore}', pick a larger datastore, or convert disks to thin "
         "provisioning during the move.", "vSphere 8.0 Datastore cluster Storage vMotion "
         "requirements; vSphere API NoDiskSpace ('an operation fails because of insufficient disk "
         "space'; it names the datastore)"),
    Rule("ST8", "storage", "target datastore not in maintenance mode", "InvalidDatastoreState", "error",
         "Datastore '{datastore}' is in (or entering) maintenance mode.",
         "Pick another datastore, or take '{datastore}' out of maintenance mode.",
         "vSphere 8.0 Datastore cluster Storage vMotion requirements; vSphere API "
         "InvalidDatastoreState ('The datastore is in an invalid state (e.g., maintenance mode) for "
         "a given operation')"),
)

_VCENTER = (
    Rule("VC1", "vcenter", "cross-vCenter: same SSO domain and Enhanced Linked Mode",
         "CrossVcenterNotLinked", "error",
         "vCenter Server '{dst_vc}' is not offered as a migration target from '{src_vc}': {reason}.",
         "The Migrate wizard crosses vCenters only in Enhanced Linked Mode within one SSO domain. "
         "For different SSO domains use Advanced Cross vCenter vMotion (vCenter 7.0 U1c or later, "
         "both sides 6.5+), or the API.",
         "vSphere 6.7 p.132; KB 2106952; simulator's name, no vSphere API fault: the wizard "
         "does not offer the vCenter as a target, so nothing is raised", fault_documented=False),
    Rule("VC2", "vcenter", "cross-vCenter versions", "CrossVcenterVersionUnsupported", "error",
         "Cross vCenter Server migration from '{src_vc}' ({src_version}) to '{dst_vc}' "
         "({dst_version}) is not supported: {reason}.",
         "Source and destination vCenter Server and ESXi must be 6.0 or later (6.7 or later per "
         "the vSphere 8 docs) and the vCenters should be on the same version (KB 2106952).",
         "KB 2106952; vSphere 8.0 cross-vCenter requirements; simulator's name, no vSphere API "
         "fault: the API reference has no fault for mismatched vCenter versions",
         fault_documented=False),
    Rule("VC3", "vcenter", "cross-vCenter checks can complete", "Timedout", "error",
         "Compatibility check took too long to complete. Please check vCenter Server logs for more "
         "details.",
         "{hint}", "KB 393932 (wording); KB 2106952; vSphere API Timedout ('thrown when a server "
         "abandons an operation that is taking longer than expected'; listed for MigrateVM_Task "
         "and RelocateVM_Task)"),
    Rule("VC4", "vcenter", "encrypted VM across vCenters", "EncryptedVmCrossVcenterUnsupported", "error",
         "Virtual machine '{vm}' is encrypted; cross vCenter Server migration of encrypted virtual "
         "machines is not supported with vCenter Server {version}.",
         "vSphere 6.5 does not migrate encrypted VMs across vCenters; the vSphere 8.0 docs support "
         "it (the simulator draws the line at 7.0, an assumption). Upgrade, or decrypt the VM first.", "vSphere 6.5 and 8.0 Encrypted vSphere vMotion; "
         "simulator's name, no vSphere API fault: the sources give no fault for this vCenter "
         "version limit", fault_documented=False),
    Rule("VC5", "vcenter", "host versions support the migration type", "MigrationFeatureNotSupported",
         "error",
         UNABLE + "host '{host}' runs ESXi {version}; {kind} needs ESXi {needed} or later.",
         "Upgrade {host} or choose a migration type its version supports.",
         "vSphere 6.5.1 p.122; vSphere 6.7 p.132; KB 2106952; vSphere API "
         "MigrationFeatureNotSupported ('A migration operation that requires feature support on "
         "source and destination hosts is lacking support on the host'; for shared-nothing its "
         "subclass FullStorageVMotionNotSupported)"),
    # ACVM's own requirement (fact sheet §1.7 [S16b]); no API fault is documented for it
    # (pyVmomi has no such type): the code is the simulator's label.
    Rule("VC6", "vcenter", "Advanced Cross vCenter vMotion: both vCenters 6.5 or later",
         "AcvmVersionUnsupported", "error",
         "Advanced Cross vCenter vMotion from '{src_vc}' to '{dst_vc}' is not supported: "
         "'{low_vc}' runs vCenter Server {version}; it works only between vSphere 6.5 or later.",
         "Upgrade '{low_vc}' to 6.5 or later (ACVM never supports 6.0), or move the VM in two "
         "steps through a vCenter that qualifies.",
         "KB 2106952 (updated text: ACVM from 7.0 U1c, vSphere 6.5 or later); simulator's name, "
         "no vSphere API fault: the API has no fault for ACVM's version requirement",
         fault_documented=False),
)

_LICENSE = (
    Rule("L1", "license", "Storage vMotion licensed on the VM's host", "StorageVMotionNotLicensed", "error",
         "Storage vMotion is not licensed on host '{host}' (edition '{edition}').",
         "Storage vMotion needs a licence on the host that runs the VM. Assign an edition that "
         "includes it, or power the VM off and migrate it cold.",
         "vSphere 6.7 vCenter Server and Host Management p.20; simulator's name, no vSphere API "
         "fault: the API's licence faults (NotEnoughLicenses and its subclasses) are about "
         "acquiring licences; VMotionNotLicensed (H4) is for vMotion only", severity_off=None,
         fault_documented=False),
    Rule("L2", "license", "cross-vCenter vMotion licence", "CrossVcenterNotLicensed", "error",
         "Cross vCenter Server vMotion is not licensed on host '{host}' (edition '{edition}'); it "
         "requires Enterprise Plus.",
         "Assign Enterprise Plus to both hosts (vSphere 6.x docs, KB 2106949).",
         "vSphere 6.7 p.132; KB 2106949/336244; simulator's name, no vSphere API fault: the "
         "sources do not say which fault vCenter raises for a missing Enterprise Plus feature",
         severity_off=None, fault_documented=False),
    Rule("L3", "license", "long-distance vMotion licence", "LongDistanceNotLicensed", "error",
         "Long-distance vMotion ({rtt_ms} ms round trip) is not licensed on host '{host}' (edition "
         "'{edition}'); it requires Enterprise Plus.",
         "Assign Enterprise Plus to both hosts, or keep vMotion within one site.",
         "KB 2106949/336244; vSphere 8.0 cross-vCenter requirements; simulator's name, no "
         "vSphere API fault: the sources do not say which fault vCenter raises for a missing "
         "Enterprise Plus feature", severity_off=None, fault_documented=False),
)

_QUEUED_SOURCE = ("vSphere 6.7/8.0 Limits on Simultaneous Migrations; simulator's name, no "
                  "vSphere API fault: a queued migration is not a failure")

_LIMITS = (
    Rule("LM1", "limits", "host cost limit (8)", "MigrationQueued", "warning",
         "The migration of '{vm}' is queued: host '{host}' would exceed its maximum cost of {max} "
         "({used} in use, a {kind} costs {cost}).",
         "Not an error: vCenter queues the operation and starts it when a running migration ends.",
         _QUEUED_SOURCE, fault_documented=False),
    Rule("LM2", "limits", "network cost limit (4 on 1 GbE, 8 on 10 GbE)", "MigrationQueued", "warning",
         "The migration of '{vm}' is queued: the {speed} vMotion network of host '{host}' would "
         "exceed its maximum cost of {max} ({used} in use).",
         "Wait, or use a 10 GbE vMotion network (8 concurrent vMotions instead of 4).",
         _QUEUED_SOURCE, fault_documented=False),
    Rule("LM3", "limits", "datastore cost limit (128)", "MigrationQueued", "warning",
         "The migration of '{vm}' is queued: datastore '{datastore}' would exceed its maximum cost "
         "of {max} ({used} in use, a {kind} costs {cost}).",
         "At most 8 Storage vMotions (cost 16 each) run per datastore; the rest wait.",
         _QUEUED_SOURCE, fault_documented=False),
    Rule("LM4", "limits", "maximum switchover time (100 s)", "MaxSwitchoverExceeded", "error",
         SWITCHOVER_FAILURE_TEMPLATE,  # the engine's wording, kept in one place
         "Pre-copy could not converge: add vMotion bandwidth or streams and retry at lower load, "
         "or raise vmotion.maxSwitchoverSeconds. {detail}",
         "KB 2141355/314376 (wording); simulator's name, no vSphere API fault: the KB quotes the "
         "task's text but names no fault type", vcenter_checks=False, severity_off=None,
         fault_documented=False,
         # the engine decides this one during pre-copy; the message already is KB 2141355's
         fails_at="switchover", runtime_source="KB 2141355/314376"),
)

RULES = _STORAGE + _VCENTER + _LICENSE + _LIMITS
