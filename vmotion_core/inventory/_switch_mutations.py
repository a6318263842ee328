"""Switch and port-group mutations of :class:`Environment`: standard switches (part of a host) and
distributed switches (see ``_mutations.py``)."""

import dataclasses

from ..errors import ConfigError
from . import model as m
from ._mutations import _fmt, _Mutations, built, diff_line, member, swap, updated


class _SwitchMutations(_Mutations):
    """Mutations of a switch: its settings, its port groups, a distributed switch's members."""

    def _switch(self, switch, host):
        if host is None:
            return self.distributed_switch(switch)
        return member(self.host(host).standard_switches, switch, "switch", "standard switch",
                      f"on {host!r}")

    def _with_switch(self, old, host, new, line):
        if host is None:
            return self._replace("distributed_switches", old, new, line)
        h = self.host(host)
        return self._with_host(host, line,
                               standard_switches=swap(h.standard_switches, old.name, new))

    def set_switch(self, switch, host=None, **fields):
        """Change a switch's ``mtu`` or ``uplinks``. ``host`` names the host of a standard
        switch; leave it None for a distributed switch (then only ``mtu``)."""
        old = self._switch(switch, host)
        new = updated(old, fields, switch, ("mtu", "uplinks") if host else ("mtu",))
        return self._with_switch(old, host, new,
                                 diff_line(f"{host + ' ' if host else ''}{switch}", old, new))

    def add_port_group(self, switch, name, host=None, vlan=0, uplinks=(), notify_switches=True):
        """Add port group ``name`` to ``switch`` (a standard switch of ``host``, or a distributed
        switch when ``host`` is None)."""
        sw = self._switch(switch, host)
        if any(p.name == name for p in sw.port_groups):
            raise ConfigError("name", f"switch {switch!r} already has a port group {name!r}")
        pg = built(m.PortGroup, f"{switch}.{name}", name=name, vlan=vlan, uplinks=uplinks,
                   notify_switches=notify_switches)
        where = f"{host} {switch}" if host else switch
        new_sw = dataclasses.replace(sw, port_groups=sw.port_groups + (pg,))
        return self._with_switch(sw, host, new_sw,
                                 f"{where}: added port group {name} (vlan {pg.vlan})")

    def set_port_group(self, switch, name, host=None, **fields):
        """Change a port group: ``name`` (rename via ``new_name``), vlan, uplinks, notify_switches."""
        sw = self._switch(switch, host)
        old = member(sw.port_groups, name, "port_group", "port group", f"on {switch!r}")
        if "new_name" in fields:
            fields["name"] = fields.pop("new_name")
        new = updated(old, fields, f"{switch}.{name}")
        where = f"{host} {switch}" if host else switch
        new_sw = dataclasses.replace(sw, port_groups=swap(sw.port_groups, name, new))
        return self._with_switch(sw, host, new_sw,
                                 diff_line(f"{where} port group {name}", old, new))

    def remove_port_group(self, switch, name, host=None):
        """Remove a port group (refused while a vmknic or VM NIC still uses it)."""
        sw = self._switch(switch, host)
        member(sw.port_groups, name, "port_group", "port group", f"on {switch!r}")
        where = f"{host} {switch}" if host else switch
        new_sw = dataclasses.replace(sw, port_groups=swap(sw.port_groups, name, None))
        return self._with_switch(sw, host, new_sw, f"{where}: removed port group {name}")

    def join_distributed_switch(self, switch, host, uplinks=()):
        """Make ``host`` a member of distributed ``switch``, contributing ``uplinks``."""
        dvs = self.distributed_switch(switch)
        self.host(host)
        if any(mm.host == host for mm in dvs.members):
            raise ConfigError("host", f"host {host!r} is already a member of {switch!r}")
        mem = built(m.DvsMember, switch, host=host, uplinks=uplinks)
        return self._replace("distributed_switches", dvs,
                             dataclasses.replace(dvs, members=dvs.members + (mem,)),
                             f"{switch}: added host {host} (uplinks {_fmt(mem.uplinks)})")
