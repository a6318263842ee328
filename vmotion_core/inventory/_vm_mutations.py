"""VM mutations of :class:`Environment`: settings, power, devices, NICs, disks and placement
(see ``_mutations.py``)."""

import dataclasses

from ..errors import ConfigError
from . import model as m
from ._mutations import _Mutations, built, diff_line, member, swap, updated

# set_vm changes every field but identity, placement, power and the parts (their own methods)
_VM_SETTABLE = tuple(f.name for f in dataclasses.fields(m.VM) if f.name not in (
    "name", "host", "config_datastore", "power_state", "disks", "nics", "devices"))
_KEEP = object()
# Settings vSphere lets you change only while the VM is powered off.
_POWERED_OFF_ONLY = ("hardware_version", "evc_mode", "vcpus", "memory_gib", "encrypted", "vgpu_profile",
                     "max_switchover_s")


class _VmMutations(_Mutations):
    """Mutations of one VM and its parts."""

    # --- settings and power -----------------------------------------------------------------------
    def _set_vm_part(self, vm, collection, old, fields, allowed):
        """Change the ``allowed`` ``fields`` of ``old``, a device, NIC or disk in ``collection``."""
        old_vm = self.vm(vm)
        new = updated(old, fields, f"{vm}.{old.name}", allowed)
        parts = swap(getattr(old_vm, collection), old.name, new)
        return self._with_vm(vm, diff_line(f"{vm} {old.name}", old, new), **{collection: parts})

    def set_vm(self, vm, **fields):
        """Change VM settings (``cpu_affinity=()`` removes affinity, ``evc_mode=...`` sets per-VM
        EVC, ``encrypted_vmotion="required"``, ``workload={...}`` …). Hardware-level settings
        (hardware_version, evc_mode, vcpus, memory_gib, encrypted, vgpu_profile, max_switchover_s)
        need the VM powered off (per-VM EVC: vmotion-facts.md §2.1 H9).

        >>> from vmotion_core.inventory import load_scenario
        >>> load_scenario("blocking-devices").set_vm("app02", cpu_affinity=()).changes[-1]
        'app02: cpu_affinity [2, 3] -> []'
        """
        old = self.vm(vm)
        new = updated(old, fields, vm, _VM_SETTABLE)
        hot = [k for k in fields if k in _POWERED_OFF_ONLY and getattr(new, k) != getattr(old, k)]
        if hot and old.power_state != "powered-off":
            raise ConfigError(f"{vm}.{hot[0]}", f"can only be changed while the VM is powered off "
                              f"(it is {old.power_state})")
        return self._replace("vms", old, new)

    def _power(self, vm, state, allowed_from, verb):
        old = self.vm(vm)
        if old.power_state not in allowed_from:
            raise ConfigError(f"{vm}.power_state", f"cannot {verb} a VM that is {old.power_state}")
        if state == "powered-on":
            h = self.host(old.host)
            if h.connection_state != "connected" or h.maintenance_mode:
                why = "in maintenance mode" if h.maintenance_mode else h.connection_state
                raise ConfigError(f"{vm}.power_state", f"host {h.name!r} is {why}")
        return self._with_vm(vm, f"{vm}: {verb} ({old.power_state} -> {state})", power_state=state)

    def power_on(self, vm):
        """Power on (or resume) ``vm``."""
        return self._power(vm, "powered-on", ("powered-off", "suspended"), "power on")

    def power_off(self, vm):
        """Power off ``vm``."""
        return self._power(vm, "powered-off", ("powered-on", "suspended", "powering-on", "resuming"),
                           "power off")

    def suspend(self, vm):
        """Suspend ``vm``."""
        return self._power(vm, "suspended", ("powered-on",), "suspend")

    # --- devices, NICs, disks ------------------------------------------------------------------
    def connect_device(self, vm, device, connected=True):
        """Connect (or with ``connected=False`` disconnect) a device of ``vm``.

        >>> from vmotion_core.inventory import load_scenario
        >>> load_scenario("blocking-devices").connect_device("web03", "CD/DVD drive 1", False).changes[-1]
        'web03 CD/DVD drive 1: connected true -> false'
        """
        return self.set_device(vm, device, connected=connected)

    def disconnect_device(self, vm, device):
        """Disconnect a device of ``vm`` (same as ``connect_device(vm, device, False)``)."""
        return self.set_device(vm, device, connected=False)

    def set_device(self, vm, device, **fields):
        """Change backing_kind, backing, connected, vspc or vmotion_enabled of a device."""
        return self._set_vm_part(vm, "devices", self.device(vm, device), fields, (
            "backing_kind", "backing", "connected", "vspc", "vmotion_enabled"))

    def add_device(self, vm, name, kind, backing_kind="none", backing="", connected=False,
                   vspc=None, vmotion_enabled=False):
        """Add a device to ``vm`` (a PCI passthrough device only while powered off)."""
        old_vm = self.vm(vm)
        if old_vm.device(name) is not None:
            raise ConfigError("name", f"VM {vm!r} already has a device {name!r}")
        dev = built(m.Device, f"{vm}.{name}", name=name, kind=kind, backing_kind=backing_kind,
                    backing=backing, connected=connected, vspc=vspc,
                    vmotion_enabled=vmotion_enabled)
        self._cold_only(old_vm, dev, "added")
        return self._with_vm(vm, f"{vm}: added {kind} {name!r} ({dev.backing_kind} {dev.backing})",
                             devices=old_vm.devices + (dev,))

    def remove_device(self, vm, device):
        """Remove a device (a PCI passthrough device only while the VM is powered off)."""
        old_vm, dev = self.vm(vm), self.device(vm, device)
        self._cold_only(old_vm, dev, "removed")
        return self._with_vm(vm, f"{vm}: removed {dev.kind} {device!r}",
                             devices=swap(old_vm.devices, device, None))

    @staticmethod
    def _cold_only(vm, dev, verb):
        if dev.kind == "pci-passthrough" and vm.power_state != "powered-off":
            raise ConfigError(f"{vm.name}.devices", f"a PCI passthrough device can only be {verb} "
                              f"while the VM is powered off (it is {vm.power_state})")

    def set_nic(self, vm, nic, **fields):
        """Change a virtual NIC: ``network`` (a port-group label on the VM's host) or ``connected``."""
        old = member(self.vm(vm).nics, nic, "nic", "network adapter", f"of {vm!r}")
        return self._set_vm_part(vm, "nics", old, fields, ("network", "connected"))

    def remove_nic(self, vm, nic):
        """Remove a virtual NIC (an SR-IOV NIC only while the VM is powered off)."""
        old_vm = self.vm(vm)
        old = member(old_vm.nics, nic, "nic", "network adapter", f"of {vm!r}")
        if old.type == "sriov" and old_vm.power_state != "powered-off":
            raise ConfigError(f"{vm}.nics", "an SR-IOV adapter can only be removed while the VM is powered off")
        return self._with_vm(vm, f"{vm}: removed {nic}", nics=swap(old_vm.nics, nic, None))

    def add_nic(self, vm, network, type="vmxnet3", connected=True, name=None):
        """Add a virtual NIC on ``network``; named "Network adapter N" unless ``name`` is given."""
        old_vm = self.vm(vm)
        if name is None:
            n = len(old_vm.nics) + 1
            while old_vm.nic(f"Network adapter {n}") is not None:
                n += 1
            name = f"Network adapter {n}"
        nic = built(m.VmNic, f"{vm}.{name}", name=name, network=network, type=type,
                    connected=connected)
        if nic.type == "sriov" and old_vm.power_state != "powered-off":
            raise ConfigError(f"{vm}.nics", "an SR-IOV adapter can only be added while the VM is powered off")
        return self._with_vm(vm, f"{vm}: added {name} ({nic.type} on {network})",
                             nics=old_vm.nics + (nic,))

    def set_disk(self, vm, disk, **fields):
        """Change a disk's ``mode`` or ``provisioning``."""
        old = member(self.vm(vm).disks, disk, "disk", "disk", f"of {vm!r}")
        return self._set_vm_part(vm, "disks", old, fields, ("mode", "provisioning"))

    # --- placement --------------------------------------------------------------------------------
    def relocate_vm(self, vm, host=None, datastore=None, disk_datastores=None, network_map=None,
                    resource_pool=_KEEP, vapp=_KEEP, reason="moved"):
        """Place ``vm`` on another host and/or datastores (used by ``migrate()`` after a successful
        run). ``datastore`` moves config, swap and every disk unless ``disk_datastores`` maps disk
        names; ``network_map`` maps old to new network labels for the VM's NICs."""
        old = self.vm(vm)
        disks = tuple(dataclasses.replace(d, datastore=(disk_datastores or {}).get(d.name, datastore or d.datastore))
                      for d in old.disks)
        nics = tuple(dataclasses.replace(n, network=(network_map or {}).get(n.network, n.network))
                     for n in old.nics)
        new = dataclasses.replace(old, host=host or old.host, config_datastore=datastore or old.config_datastore,
                                  disks=disks, nics=nics)
        if resource_pool is not _KEEP:
            new = dataclasses.replace(new, resource_pool=resource_pool)
        if vapp is not _KEEP:
            new = dataclasses.replace(new, vapp=vapp)
        where = [f"host {old.host} -> {new.host}"] if new.host != old.host else []
        if new.config_datastore != old.config_datastore:
            where.append(f"datastore {old.config_datastore} -> {new.config_datastore}")
        return self._replace("vms", old, new,
                             f"{vm}: {reason} ({', '.join(where) or 'same place'})")
