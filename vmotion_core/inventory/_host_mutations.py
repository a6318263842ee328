"""Host mutations of :class:`Environment`: host settings, vmknics, TCP/IP stacks, uplinks
(see ``_mutations.py``)."""

import dataclasses

from ..errors import ConfigError
from . import model as m
from ._mutations import _fmt, _Mutations, built, checked, diff_line, member, swap, updated


class _HostMutations(_Mutations):
    """Mutations of one host and its parts."""

    # --- settings ---------------------------------------------------------------------------------
    def set_host(self, host, **fields):
        """Change host settings: nx_enabled, vt_enabled, license, maintenance_mode,
        connection_state, blocked_tcp_ports, version, cpu_features, swap_datastore, management_ip,
        vmotion_supported, gpu_profiles, vflash, memory_gib, cpu_cores."""
        allowed = ("nx_enabled", "vt_enabled", "license", "maintenance_mode", "connection_state",
                   "blocked_tcp_ports", "version", "cpu_features", "swap_datastore", "management_ip",
                   "vmotion_supported", "gpu_profiles", "vflash", "memory_gib", "cpu_cores")
        return self._with_host(host, None, **checked(m.Host, fields, host, allowed=allowed))

    # --- vmknics and TCP/IP stacks ----------------------------------------------------------------
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
        vmk = built(m.Vmknic, f"{host}.{name}", name=name, ip=ip, port_group=port_group,
                    prefix=prefix, services=services, mtu=mtu, tcpip_stack=tcpip_stack,
                    gateway=gateway, enabled=enabled)
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
        new = updated(old, fields, f"{host}.{vmk}",
                      ("ip", "prefix", "mtu", "services", "port_group", "gateway", "enabled"))
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
        new = built(m.TcpIpStack, f"{host}.tcpip_stacks", name=stack, gateway=gateway)
        h = self.host(host)
        old = h.stack_gateway(stack)
        stacks = swap(h.tcpip_stacks, stack, None) + (new,)
        return self._with_host(host, f"{host} {stack} stack: gateway {_fmt(old)} -> {_fmt(gateway)}",
                               tcpip_stacks=stacks)

    # --- uplinks ----------------------------------------------------------------------------------
    def set_uplink(self, host, uplink, **fields):
        """Change a physical NIC: speed_mbps, duplex, link_up, physical_mtu."""
        h = self.host(host)
        old = member(h.uplinks, uplink, "uplink", "uplink", f"of {host!r}")
        new = updated(old, fields, f"{host}.{uplink}",
                      ("speed_mbps", "duplex", "link_up", "physical_mtu"))
        return self._with_host(host, diff_line(f"{host} {uplink}", old, new),
                               uplinks=swap(h.uplinks, uplink, new))
