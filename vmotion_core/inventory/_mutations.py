"""Mutation methods of :class:`Environment`: each returns a NEW environment and appends one
readable line to ``changes`` (``"esx-02 vmk1: mtu 1500 -> 9000"``), so a lab can record what a
learner changed. Arguments are checked with the scenario loader's checkers (same wording), and
the new environment must pass the loader's cross-object checks too.

Host/network methods are here; VM, storage and vCenter methods are in ``_vm_mutations.py``.
"""

import dataclasses

from ..errors import ConfigError
from . import model as m
from ._semantics import check_environment
from .catalog import can_run_evc, evc_features
from ._validate import SCHEMA



def _fmt(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "none"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if dataclasses.is_dataclass(value):
        return ", ".join(f"{f.name}={_fmt(getattr(value, f.name))}" for f in dataclasses.fields(value))
    return str(value)


def checked(cls, fields, label, allowed=None):
    """Validate ``fields`` (a dict) for dataclass ``cls`` with the loader's checkers.

    Raises ConfigError(``label.field``, message) for the first bad one; returns converted values.
    """
    out = {}
    for key, value in fields.items():
        spec = SCHEMA[cls]
        if key not in spec or (allowed is not None and key not in allowed):
            names = ", ".join(allowed if allowed is not None else spec)
            raise ConfigError(f"{label}.{key}", f"cannot be set here; settable: {names}")
        if isinstance(value, tuple):
            value = list(value)
        if dataclasses.is_dataclass(value):
            value = dataclasses.asdict(value)
        problems = []
        got = spec[key].convert(value, f"{label}.{key}", problems)
        if problems:
            field, _, message = problems[0].partition(": ")
            raise ConfigError(field, message)
        out[key] = got
    return out


def diff_line(subject, old, new):
    """``"subject: a 1 -> 2, b x -> y"`` for the fields that differ between two dataclasses."""
    parts = [f"{f.name} {_fmt(getattr(old, f.name))} -> {_fmt(getattr(new, f.name))}"
             for f in dataclasses.fields(old) if getattr(old, f.name) != getattr(new, f.name)]
    return f"{subject}: {', '.join(parts) or 'no change'}"


def member(items, name, field, what, owner):
    """The item of ``items`` called ``name``; otherwise a ConfigError on ``field`` that names
    ``what`` it is, its ``owner`` (``"of 'web01'"``) and the names that do exist."""
    for item in items:
        if item.name == name:
            return item
    raise ConfigError(field, f"unknown {what} {name!r} {owner}; known: "
                             f"{', '.join(i.name for i in items) or 'none'}")


def swap(seq, name, new, attr="name"):
    """Tuple ``seq`` with the item whose ``attr`` is ``name`` replaced by ``new`` (None: removed)."""
    return tuple(new if getattr(o, attr) == name else o for o in seq
                 if not (getattr(o, attr) == name and new is None))


class _Mutations:
    """Host and network mutations (see module docstring)."""

    def _commit(self, line, **collections):
        """New environment with ``collections`` replaced and ``line`` recorded; must stay valid."""
        env = dataclasses.replace(self, changes=self.changes + (line,), **collections)
        problems = check_environment(env)
        if problems:
            field, _, message = problems[0].partition(": ")
            raise ConfigError(field, message)
        return env

    def _with_host(self, host, line, **fields):
        h = self.host(host)
        new = dataclasses.replace(h, **fields)
        return self._commit(line or diff_line(host, h, new), hosts=swap(self.hosts, host, new))

    # --- vmknics -------------------------------------------------------------------------------
    def add_vmknic(self, host, ip, port_group, prefix=24, services=(), mtu=1500,
                   tcpip_stack="default", gateway=None, name=None, enabled=True):
        """Add a VMkernel adapter to ``host`` (named ``vmkN``, the next free number, unless given).

        A vmknic on the vMotion TCP/IP stack turns the vMotion service off on every default-stack
        vmknic of the host, as vSphere does (vmotion-facts.md §2.3 N2); the change line says so.
        A default-stack vmknic added with the vMotion service to such a host is accepted but not
        used for vMotion (fact sheet §5 T2), as with :meth:`set_vmknic`; the change line says so
        and ``check_migration`` warns (N2, ``VMotionServiceIgnored``).

        >>> from vmotion_core.inventory import load_scenario
        >>> env = load_scenario("healthy-cluster").add_vmknic(
        ...     "esx-02", ip="10.0.51.12", port_group="vMotion", services=("vmotion",))
        >>> env.changes[-1]
        'esx-02: added vmk2 (10.0.51.12/24 on vMotion, default stack, services [vmotion], mtu 1500)'
        """
        h = self.host(host)
        if name is None:
            used = {v.name for v in h.vmknics}
            name = next(f"vmk{i}" for i in range(len(used) + 1) if f"vmk{i}" not in used)
        if h.vmknic(name) is not None:
            raise ConfigError("name", f"host {host!r} already has a vmknic {name!r}")
        if not services and tcpip_stack != "default":  # the stack's own service comes with it
            services = (tcpip_stack,)
        vals = checked(m.Vmknic, dict(name=name, ip=ip, port_group=port_group, prefix=prefix,
                                      services=services, mtu=mtu, tcpip_stack=tcpip_stack,
                                      gateway=gateway, enabled=enabled), f"{host}.{name}")
        vmk = m.Vmknic(**vals)
        vmknics, note = h.vmknics, self._ignored_vmotion_note(host, vmk)
        if tcpip_stack == "vmotion":
            off = [v.name for v in vmknics if v.tcpip_stack == "default" and "vmotion" in v.services]
            vmknics = tuple(dataclasses.replace(v, services=tuple(s for s in v.services if s != "vmotion"))
                            if v.name in off else v for v in vmknics)
            if off:
                note = f"; vMotion service turned off on {', '.join(off)} (vMotion stack in use)"
        line = (f"{host}: added {name} ({vmk.ip}/{vmk.prefix} on {vmk.port_group}, {vmk.tcpip_stack} "
                f"stack, services {_fmt(vmk.services)}, mtu {vmk.mtu}){note}")
        return self._with_host(host, line, vmknics=vmknics + (vmk,))

    def remove_vmknic(self, host, vmk):
        """Remove vmknic ``vmk`` from ``host``."""
        self.vmknic(host, vmk)
        h = self.host(host)
        return self._with_host(host, f"{host}: removed {vmk}", vmknics=swap(h.vmknics, vmk, None))

    def set_vmknic(self, host, vmk, **fields):
        """Change fields of a vmknic: ip, prefix, mtu, services, port_group, gateway, enabled.

        The TCP/IP stack cannot be changed after creation (N2): remove and re-add instead.
        Ticking vMotion on a default-stack vmknic of a host with a vMotion-stack vmknic is
        accepted, but vMotion does not use it (N2, fact sheet §5 T2); the change line says so.

        >>> from vmotion_core.inventory import load_scenario
        >>> load_scenario("healthy-cluster").set_vmknic("esx-02", "vmk1", mtu=9000).changes[-1]
        'esx-02 vmk1: mtu 1500 -> 9000'
        """
        old = self.vmknic(host, vmk)
        if "tcpip_stack" in fields:
            raise ConfigError(f"{host}.{vmk}.tcpip_stack", "the TCP/IP stack is chosen when a vmknic "
                              "is created and cannot be changed; remove the vmknic and add a new one")
        vals = checked(m.Vmknic, fields, f"{host}.{vmk}",
                       allowed=("ip", "prefix", "mtu", "services", "port_group", "gateway", "enabled"))
        new = dataclasses.replace(old, **vals)
        note = "" if "vmotion" in old.services else self._ignored_vmotion_note(host, new)
        h = self.host(host)
        return self._with_host(host, diff_line(f"{host} {vmk}", old, new) + note,
                               vmknics=swap(h.vmknics, vmk, new))

    def _ignored_vmotion_note(self, host, vmk):
        """Change-line note when default-stack ``vmk`` gets the vMotion service on a host that
        has a vMotion-stack vmknic: vSphere leaves it unused (fact sheet §2.3 N2, §5 T2). The one
        place both :meth:`add_vmknic` and :meth:`set_vmknic` (``enable_service``) apply N2."""
        if vmk.tcpip_stack != "default" or "vmotion" not in vmk.services:
            return ""
        stack_vmks = [v.name for v in self.host(host).vmknics if v.tcpip_stack == "vmotion"]
        if not stack_vmks:
            return ""
        return (f"; vMotion does not use {vmk.name}: {', '.join(stack_vmks)} is on the vMotion "
                "TCP/IP stack, which turns vMotion off on default-stack vmknics")

    def enable_service(self, host, vmk, service):
        """Tick ``service`` (e.g. ``"vmotion"``) on vmknic ``vmk`` of ``host``."""
        old = self.vmknic(host, vmk)
        if service in old.services:
            raise ConfigError(f"{host}.{vmk}.services", f"{service!r} is already enabled")
        return self.set_vmknic(host, vmk, services=old.services + (service,))

    def disable_service(self, host, vmk, service):
        """Untick ``service`` on vmknic ``vmk`` of ``host``."""
        old = self.vmknic(host, vmk)
        if service not in old.services:
            raise ConfigError(f"{host}.{vmk}.services", f"{service!r} is not enabled; enabled: "
                              f"{', '.join(old.services) or 'none'}")
        return self.set_vmknic(host, vmk, services=tuple(s for s in old.services if s != service))

    def set_stack_gateway(self, host, stack, gateway):
        """Set (or clear with None) the default gateway of TCP/IP ``stack`` on ``host``."""
        vals = checked(m.TcpIpStack, {"name": stack, "gateway": gateway}, f"{host}.tcpip_stacks")
        h = self.host(host)
        old = h.stack_gateway(stack)
        stacks = swap(h.tcpip_stacks, stack, None) + (m.TcpIpStack(**vals),)
        return self._with_host(host, f"{host} {stack} stack: gateway {_fmt(old)} -> {_fmt(gateway)}",
                               tcpip_stacks=stacks)

    # --- uplinks, switches, port groups -------------------------------------------------------
    def set_uplink(self, host, uplink, **fields):
        """Change a physical NIC: speed_mbps, duplex, link_up, physical_mtu."""
        h = self.host(host)
        old = member(h.uplinks, uplink, "uplink", "uplink", f"of {host!r}")
        new = dataclasses.replace(old, **checked(m.Uplink, fields, f"{host}.{uplink}",
                                                 allowed=("speed_mbps", "duplex", "link_up", "physical_mtu")))
        return self._with_host(host, diff_line(f"{host} {uplink}", old, new), uplinks=swap(h.uplinks, uplink, new))

    def _switch(self, switch, host):
        if host is None:
            return self.distributed_switch(switch)
        return member(self.host(host).standard_switches, switch, "switch", "standard switch",
                      f"on {host!r}")

    def _with_switch(self, switch, host, new, line):
        if host is None:
            return self._commit(line, distributed_switches=swap(self.distributed_switches, switch, new))
        h = self.host(host)
        return self._with_host(host, line, standard_switches=swap(h.standard_switches, switch, new))

    def set_switch(self, switch, host=None, **fields):
        """Change a switch's ``mtu`` or ``uplinks``. ``host`` names the host of a standard
        switch; leave it None for a distributed switch (then only ``mtu``)."""
        old = self._switch(switch, host)
        cls = m.StandardSwitch if host else m.DistributedSwitch
        allowed = ("mtu", "uplinks") if host else ("mtu",)
        new = dataclasses.replace(old, **checked(cls, fields, switch, allowed=allowed))
        return self._with_switch(switch, host, new, diff_line(f"{host + ' ' if host else ''}{switch}", old, new))

    def add_port_group(self, switch, name, host=None, vlan=0, uplinks=(), notify_switches=True):
        """Add port group ``name`` to ``switch`` (a standard switch of ``host``, or a distributed
        switch when ``host`` is None)."""
        sw = self._switch(switch, host)
        if any(p.name == name for p in sw.port_groups):
            raise ConfigError("name", f"switch {switch!r} already has a port group {name!r}")
        pg = m.PortGroup(**checked(m.PortGroup, dict(name=name, vlan=vlan, uplinks=uplinks,
                                                      notify_switches=notify_switches), f"{switch}.{name}"))
        where = f"{host} {switch}" if host else switch
        return self._with_switch(switch, host, dataclasses.replace(sw, port_groups=sw.port_groups + (pg,)),
                                 f"{where}: added port group {name} (vlan {pg.vlan})")

    def set_port_group(self, switch, name, host=None, **fields):
        """Change a port group: ``name`` (rename via ``new_name``), vlan, uplinks, notify_switches."""
        sw = self._switch(switch, host)
        old = member(sw.port_groups, name, "port_group", "port group", f"on {switch!r}")
        if "new_name" in fields:
            fields["name"] = fields.pop("new_name")
        new = dataclasses.replace(old, **checked(m.PortGroup, fields, f"{switch}.{name}"))
        where = f"{host} {switch}" if host else switch
        return self._with_switch(switch, host, dataclasses.replace(sw, port_groups=swap(sw.port_groups, name, new)),
                                 diff_line(f"{where} port group {name}", old, new))

    def remove_port_group(self, switch, name, host=None):
        """Remove a port group (refused while a vmknic or VM NIC still uses it)."""
        sw = self._switch(switch, host)
        member(sw.port_groups, name, "port_group", "port group", f"on {switch!r}")
        where = f"{host} {switch}" if host else switch
        return self._with_switch(switch, host, dataclasses.replace(sw, port_groups=swap(sw.port_groups, name, None)),
                                 f"{where}: removed port group {name}")

    def join_distributed_switch(self, switch, host, uplinks=()):
        """Make ``host`` a member of distributed ``switch``, contributing ``uplinks``."""
        dvs = self.distributed_switch(switch)
        self.host(host)
        if any(mm.host == host for mm in dvs.members):
            raise ConfigError("host", f"host {host!r} is already a member of {switch!r}")
        mem = m.DvsMember(**checked(m.DvsMember, {"host": host, "uplinks": uplinks}, switch))
        return self._commit(f"{switch}: added host {host} (uplinks {_fmt(mem.uplinks)})",
                            distributed_switches=swap(self.distributed_switches, switch,
                                                      dataclasses.replace(dvs, members=dvs.members + (mem,))))

    # --- hosts, clusters -----------------------------------------------------------------------
    def set_host(self, host, **fields):
        """Change host settings: nx_enabled, vt_enabled, license, maintenance_mode,
        connection_state, blocked_tcp_ports, version, cpu_features, swap_datastore, management_ip,
        vmotion_supported, gpu_profiles, vflash, memory_gib, cpu_cores."""
        allowed = ("nx_enabled", "vt_enabled", "license", "maintenance_mode", "connection_state",
                   "blocked_tcp_ports", "version", "cpu_features", "swap_datastore", "management_ip",
                   "vmotion_supported", "gpu_profiles", "vflash", "memory_gib", "cpu_cores")
        return self._with_host(host, None, **checked(m.Host, fields, host, allowed=allowed))

    def set_cluster(self, cluster, **fields):
        """Change drs_enabled, drs_automation, ha_enabled, ha_host_failures_tolerated."""
        old = self.cluster(cluster)
        new = dataclasses.replace(old, **checked(m.Cluster, fields, cluster, allowed=(
            "drs_enabled", "drs_automation", "ha_enabled", "ha_host_failures_tolerated")))
        return self._commit(diff_line(cluster, old, new), clusters=swap(self.clusters, cluster, new))

    def set_cluster_evc(self, cluster, mode):
        """Enable (``mode``, an EVC baseline key) or disable (None) EVC on ``cluster``.

        Refused, as vSphere refuses it, when a host has another CPU vendor, a CPU older than the
        baseline, or NX/XD or VT disabled in its BIOS, or when a powered-on VM runs on a host
        whose CPU is above the baseline (vmotion-facts.md §2.1 H8, KB 1003718).
        """
        old = self.cluster(cluster)
        checked(m.Cluster, {"evc_mode": mode}, cluster)
        if mode is not None:
            for h in self.hosts_in(cluster):
                if not can_run_evc(h.cpu_vendor, h.cpu_generation, mode):
                    raise ConfigError(f"{cluster}.evc_mode", f"host {h.name!r} ({h.cpu_generation}) "
                                      f"cannot run EVC mode {mode!r}")
                if not (h.nx_enabled and h.vt_enabled):
                    raise ConfigError(f"{cluster}.evc_mode", f"host {h.name!r} needs NX/XD and VT "
                                      "enabled in its BIOS before EVC can be enabled")
                base = evc_features(h.cpu_vendor, mode)
                above = [v.name for v in self.vms_on(h.name) if v.power_state != "powered-off"
                         and not self.vm_cpu_features(v.name) <= base]
                if above:
                    raise ConfigError(f"{cluster}.evc_mode", f"running VMs {', '.join(above)} on "
                                      f"{h.name!r} use CPU features above {mode!r}; power them off "
                                      "(or move them out of the cluster) first")
        new = dataclasses.replace(old, evc_mode=mode)
        return self._commit(diff_line(cluster, old, new), clusters=swap(self.clusters, cluster, new))
