"""Field checkers and the scenario schema (types, allowed values, ranges) — stage 1 of loading.

Each checker turns a raw YAML value into a model value or records ``"path: message"`` in
``problems`` and returns ``BAD``. The same checkers validate the arguments of the mutation
methods, so a learner sees the same wording from a file and from Python.
Cross-object checks (references, duplicates) are in ``_semantics.py``.
"""

import dataclasses
import datetime
import difflib
import ipaddress

from ..errors import ScenarioError, shown
from . import model as m
from .catalog import EVC_MODES, LICENSE_EDITIONS, LICENSE_FEATURES, version_tuple

BAD = object()  # marker: the value was rejected (a problem was recorded)
_SHOWN = ScenarioError.MAX_PROBLEMS  # problems past this are counted, not shown


def _show(value):
    return shown(value) if isinstance(value, str) else f"{shown(value)} ({type(value).__name__})"


class Check:
    """Base checker: ``convert(value, path, problems)`` -> value or BAD; ``doc`` for the book."""
    doc = "any value"

    def convert(self, value, path, problems):
        msg = self.message(value)
        if msg:
            problems.append(f"{path}: {msg}")
            return BAD
        return self.normalise(value)

    def message(self, value):  # None when fine
        return None

    def normalise(self, value):
        return value


def _quote_hint(value):
    # YAML read an unquoted 2023-02-28, 8.10 or yes as a date, number or boolean
    plain = (int, float, bool, datetime.date)
    return " (quote it to keep it as text)" if isinstance(value, plain) else ""


class Text(Check):
    doc = "text"

    def message(self, value):
        if not isinstance(value, str):
            return f"must be text, got {_show(value)}{_quote_hint(value)}"


class Name(Text):
    doc = "name"

    def message(self, value):
        if not isinstance(value, str):
            return f"must be a name (text), got {_show(value)}{_quote_hint(value)}"
        if not value.strip() or "/" in value or len(value) > 80 or not value.isprintable():
            return (f"{shown(value)} is not a valid name (non-empty text without '/' or control "
                    "characters, at most 80 characters)")


class Label(Text):
    doc = "label"

    def message(self, value):
        if not isinstance(value, str) or not value.strip() or len(value) > 80 \
                or not value.isprintable():
            return (f"must be a non-empty label of at most 80 characters without control "
                    f"characters, got {_show(value)}")


class Bool(Check):
    doc = "true or false"

    def message(self, value):
        if not isinstance(value, bool):
            return f"must be true or false, got {_show(value)}"


class Int(Check):
    def __init__(self, lo, hi):
        self.lo, self.hi = lo, hi
        self.doc = f"integer {lo}..{hi}"

    def message(self, value):
        if isinstance(value, bool) or not isinstance(value, int) or not self.lo <= value <= self.hi:
            return f"must be an integer between {self.lo} and {self.hi}, got {_show(value)}"


class Num(Check):
    def __init__(self, lo, hi, lo_open=False):
        self.lo, self.hi, self.lo_open = lo, hi, lo_open
        self.doc = f"number {'>' if lo_open else '≥'} {lo} and ≤ {hi}"

    def message(self, value):
        bad_type = isinstance(value, bool) or not isinstance(value, (int, float))
        if bad_type or value != value or value > self.hi or value < self.lo or (
                self.lo_open and value == self.lo):
            low = f"greater than {self.lo}" if self.lo_open else f"at least {self.lo}"
            return f"must be a number {low} and at most {self.hi}, got {_show(value)}"


class Choice(Check):
    def __init__(self, values):
        self.values = tuple(values)
        self.doc = "one of " + ", ".join(f"`{v}`" for v in self.values)

    def message(self, value):
        if value not in self.values:
            hint = " (YAML reads unquoted on/off/yes/no as true/false)" if isinstance(value, bool) else ""
            return f"{_show(value)} is not allowed; allowed: {', '.join(map(str, self.values))}{hint}"


class IPv4(Check):
    doc = "IPv4 address (text, e.g. `10.0.50.11`)"

    def message(self, value):
        try:
            ipaddress.IPv4Address(value if isinstance(value, str) else None)
        except (ValueError, ipaddress.AddressValueError):
            return f"{_show(value)} is not an IPv4 address"


class IPAddress(Check):
    doc = "IPv4 or IPv6 address (text)"

    def message(self, value):
        try:
            ipaddress.ip_address(value if isinstance(value, str) else None)
        except ValueError:
            return f"{_show(value)} is not an IPv4 or IPv6 address"


class Version(Check):
    doc = "vSphere version text: `8.0`, `8.0 U2`, `7.0 U1c`"

    def message(self, value):
        text = self.normalise(value)
        if not isinstance(text, str) or len(text) > 40:  # catalog's message would echo it whole
            text = "?"
        try:
            version_tuple(text)
        except ValueError as exc:
            return str(exc).replace(repr(text), shown(value) if text == "?" else repr(text), 1)

    def normalise(self, value):
        # YAML reads an unquoted 8.0 as a number; accept it as the text it was meant to be.
        if isinstance(value, float) or isinstance(value, int) and not isinstance(value, bool) \
                and value.bit_length() < 64:
            return str(value)
        return value


class Optional(Check):
    def __init__(self, inner):
        self.inner = inner
        self.doc = f"{inner.doc}, or null"

    def convert(self, value, path, problems):
        return None if value is None else self.inner.convert(value, path, problems)


class ListOf(Check):
    """A list; ``None`` items stand for rejected objects (keeps indices for later messages)."""

    def __init__(self, inner):
        self.inner = inner
        self.doc = f"list of {inner.doc}"

    def convert(self, value, path, problems):
        if not isinstance(value, list):
            problems.append(f"{path}: must be a list, got {_show(value)}")
            return BAD
        out = [self.inner.convert(v, f"{path}[{i}]", problems) for i, v in enumerate(value)]
        if isinstance(self.inner, Obj):
            return tuple(None if v is BAD else v for v in out)
        return BAD if any(v is BAD for v in out) else tuple(out)


class Settings(Check):
    doc = "mapping of setting name to value (kept as text)"

    def convert(self, value, path, problems):
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            problems.append(f"{path}: must be a mapping of setting names to values, got {_show(value)}")
            return BAD
        if any(isinstance(v, (dict, list)) or v is None for v in value.values()):
            problems.append(f"{path}: setting values must be plain text, numbers or booleans")
            return BAD
        return tuple((k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in value.items())


class Obj(Check):
    """A mapping that becomes dataclass ``cls``; fields and checkers come from ``SCHEMA``."""

    def __init__(self, cls):
        self.cls = cls
        self.doc = f"{cls.__name__} mapping"

    def convert(self, value, path, problems):
        if not isinstance(value, dict):
            problems.append(f"{path}: must be a mapping, got {_show(value)}")
            return BAD
        spec = SCHEMA[self.cls]
        for key in value:
            if key not in spec:
                problems.append(f"{join_path(path, key)}: "
                                f"{unknown_key(key, spec, len(problems) < _SHOWN)}")
        kwargs, ok = {}, True
        for f in dataclasses.fields(self.cls):
            if f.name not in spec:
                continue
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if f.name not in value:
                if required:
                    problems.append(f"{join_path(path, f.name)}: required field missing")
                    ok = False
                continue
            got = spec[f.name].convert(value[f.name], join_path(path, f.name), problems)
            if got is BAD:
                ok = ok and not required
            else:
                kwargs[f.name] = got
        return self.cls(**kwargs) if ok else BAD


def unknown_key(key, allowed, suggest=True):
    """``"unknown key 'x'; did you mean 'y'? allowed: ..."`` (the suggestion only if close).

    ``suggest=False`` skips the (slow) search, e.g. for problems past what will be shown."""
    close = difflib.get_close_matches(key, list(allowed), n=1) \
        if suggest and isinstance(key, str) and len(key) <= 40 else ()
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key {shown(key)}{hint}; allowed: {', '.join(allowed)}"


def join_path(path, key):
    """``path.key``; a key that is long or holds control characters is shown quoted and short
    (a path names a field: it never echoes a flood or a terminal escape sequence)."""
    if not isinstance(key, str) or len(key) > 40 or not key.isprintable():
        key = shown(key, 40)
    return f"{path}.{key}" if path else key


_NAMES = ListOf(Name())
_GIB = Num(0, 1 << 20)

#: class -> {yaml key (= field name): checker}. Field order follows the dataclass.
SCHEMA = {
    m.Site: {"name": Name(), "location": Text()},
    m.SiteLink: {"a": Name(), "b": Name(), "rtt_ms": Num(0, 1000),
                 "bandwidth_gbps": Num(0, 400, lo_open=True)},
    m.VCenter: {"name": Name(), "version": Version(), "sso_domain": Name(),
                "enhanced_linked_mode": Bool(), "time_offset_s": Num(-86400, 86400),
                "advanced": Settings()},
    m.Datacenter: {"name": Name(), "vcenter": Name(), "site": Name()},
    m.VmHostRule: {"name": Name(), "kind": Choice(m.VM_HOST_RULE_KINDS), "vms": _NAMES,
                   "hosts": _NAMES},
    m.Cluster: {"name": Name(), "datacenter": Name(), "drs_enabled": Bool(),
                "drs_automation": Choice(m.DRS_AUTOMATION_LEVELS),
                "evc_mode": Optional(Choice(EVC_MODES)), "ha_enabled": Bool(),
                "ha_host_failures_tolerated": Int(0, 31), "rules": ListOf(Obj(m.VmHostRule))},
    m.License: {"name": Name(), "edition": Choice(LICENSE_EDITIONS),
                "features": Optional(ListOf(Choice(LICENSE_FEATURES)))},
    m.Uplink: {"name": Name(), "speed_mbps": Choice(m.LINK_SPEEDS_MBPS),
               "duplex": Choice(m.DUPLEX_MODES), "link_up": Bool(), "physical_mtu": Int(1280, 9216)},
    m.PortGroup: {"name": Name(), "vlan": Int(0, 4095), "uplinks": _NAMES,
                  "notify_switches": Bool()},
    m.StandardSwitch: {"name": Name(), "mtu": Int(1280, 9000), "uplinks": _NAMES,
                       "port_groups": ListOf(Obj(m.PortGroup))},
    m.DvsMember: {"host": Name(), "uplinks": _NAMES},
    m.DistributedSwitch: {"name": Name(), "datacenter": Name(), "version": Version(),
                          "mtu": Int(1280, 9000), "members": ListOf(Obj(m.DvsMember)),
                          "port_groups": ListOf(Obj(m.PortGroup))},
    m.Vmknic: {"name": Name(), "port_group": Name(), "ip": IPv4(), "prefix": Int(1, 32),
               "mtu": Int(1280, 9000), "services": ListOf(Choice(m.VMKNIC_SERVICES)),
               "tcpip_stack": Choice(m.TCPIP_STACKS), "gateway": Optional(IPv4()),
               "enabled": Bool()},
    m.TcpIpStack: {"name": Choice(m.TCPIP_STACKS), "gateway": Optional(IPv4())},
    m.HostLun: {"device": Name(), "lun_id": Int(0, 16383)},
    m.Host: {"name": Name(), "version": Version(), "cpu_vendor": Choice(m.CPU_VENDORS),
             "cpu_generation": Choice(EVC_MODES), "license": Name(),
             "cluster": Optional(Name()), "datacenter": Optional(Name()), "cpu_model": Text(),
             "cpu_cores": Int(1, 1024), "cpu_features": Optional(ListOf(Name())),
             "nx_enabled": Bool(), "vt_enabled": Bool(), "memory_gib": Num(1, 24576),
             "management_ip": Optional(IPAddress()),
             "connection_state": Choice(m.CONNECTION_STATES), "maintenance_mode": Bool(),
             "vmotion_supported": Bool(), "uplinks": ListOf(Obj(m.Uplink)),
             "standard_switches": ListOf(Obj(m.StandardSwitch)), "vmknics": ListOf(Obj(m.Vmknic)),
             "tcpip_stacks": ListOf(Obj(m.TcpIpStack)), "blocked_tcp_ports": ListOf(Int(1, 65535)),
             "luns": ListOf(Obj(m.HostLun)), "swap_datastore": Optional(Name()),
             "gpu_profiles": _NAMES, "vflash": Bool()},
    m.Datastore: {"name": Name(), "type": Choice(m.DATASTORE_TYPES), "datacenter": Name(),
                  "capacity_gib": Num(0, 1 << 20, lo_open=True), "free_gib": _GIB,
                  "hosts": _NAMES, "read_only_hosts": _NAMES, "maintenance_mode": Bool()},
    m.Disk: {"name": Label(), "datastore": Name(), "size_gib": Num(0, 65536, lo_open=True),
             "mode": Choice(m.DISK_MODES), "provisioning": Choice(m.DISK_PROVISIONING),
             "rdm_device": Optional(Name()), "rdm_compatibility": Optional(Choice(m.RDM_COMPATIBILITY))},
    m.VmNic: {"name": Label(), "network": Name(), "type": Choice(m.NIC_TYPES), "connected": Bool()},
    m.Device: {"name": Label(), "kind": Choice(m.DEVICE_KINDS),
               "backing_kind": Choice(m.BACKING_KINDS), "backing": Text(), "connected": Bool(),
               "vspc": Optional(Text()), "vmotion_enabled": Bool()},
    m.WorkloadProfile: {"kind": Choice(m.WORKLOAD_KINDS), "dirty_rate_mibps": Num(0, 100000),
                        "hot_fraction": Num(0, 1, lo_open=True), "hot_share": Num(0, 1)},
    m.VM: {"name": Name(), "host": Name(), "config_datastore": Name(),
           "memory_gib": Num(0.004, 24576), "vcpus": Int(1, 768),
           "power_state": Choice(m.POWER_STATES), "hardware_version": Int(4, 21),
           "guest_os": Name(), "evc_mode": Optional(Choice(EVC_MODES)),
           "swap": Choice(m.SWAP_PLACEMENTS), "disks": ListOf(Obj(m.Disk)),
           "nics": ListOf(Obj(m.VmNic)), "devices": ListOf(Obj(m.Device)),
           "cpu_affinity": ListOf(Int(0, 4095)), "memory_affinity": ListOf(Int(0, 63)),
           "memory_reservation_gib": Num(0, 24576), "vgpu_profile": Optional(Name()),
           "graphics_3d": Choice(m.GRAPHICS_3D_MODES), "vpmc_enabled": Bool(),
           "vflash_read_cache_gib": Num(0, 4096), "encrypted": Bool(),
           "encrypted_vmotion": Choice(m.ENCRYPTED_VMOTION_MODES),
           "tools_install_in_progress": Bool(), "max_switchover_s": Num(1, 86400),
           "resource_pool": Optional(Name()), "vapp": Optional(Name()),
           "workload": Obj(m.WorkloadProfile)},
    m.ResourcePool: {"name": Name(), "cluster": Optional(Name()), "host": Optional(Name()),
                     "parent": Optional(Name()), "memory_reservation_gib": Num(0, 1 << 20),
                     "expandable": Bool()},
}
SCHEMA[m.VApp] = dict(SCHEMA[m.ResourcePool])

#: Top-level sections of a scenario file -> (checker, one-line meaning) (order = file order).
SECTIONS = {
    "schema_version": (Int(1, 1 << 16), "format version of the file; this code reads 1"),
    "name": (Name(), "scenario name (kebab-case)"),
    "story": (Text(), "one line: what this site is and what it teaches"),
    "description": (Text(), "longer notes for instructors (optional)"),
    "sites": (ListOf(Obj(m.Site)), "physical locations"),
    "site_links": (ListOf(Obj(m.SiteLink)), "WAN links between sites (RTT, bandwidth)"),
    "vcenters": (ListOf(Obj(m.VCenter)), "vCenter Server instances"),
    "datacenters": (ListOf(Obj(m.Datacenter)), "datacenters, each in one vCenter and site"),
    "clusters": (ListOf(Obj(m.Cluster)), "clusters (DRS, EVC, HA, VM/Host rules)"),
    "licenses": (ListOf(Obj(m.License)), "licenses that hosts name"),
    "hosts": (ListOf(Obj(m.Host)), "ESXi hosts with CPU, uplinks, switches, vmknics"),
    "distributed_switches": (ListOf(Obj(m.DistributedSwitch)), "vSphere Distributed Switches"),
    "datastores": (ListOf(Obj(m.Datastore)), "datastores and the hosts that mount them"),
    "vms": (ListOf(Obj(m.VM)), "virtual machines"),
    "resource_pools": (ListOf(Obj(m.ResourcePool)), "resource pools"),
    "vapps": (ListOf(Obj(m.VApp)), "vApps"),
    "changes": (ListOf(Text()), "what was changed since the scenario was made (written by dump)"),
}
