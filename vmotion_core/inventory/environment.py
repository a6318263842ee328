"""The :class:`Environment`: a whole simulated vSphere site, with lookups and inventory paths.

An Environment is frozen. Lookups by name (``host``, ``vm``, ``datastore`` …) go through an
index built once per environment, on first use. The mutation methods return a *new* Environment
with one human-readable line appended to ``changes``, so a lab can record what a learner changed;
they are grouped by the object they change: host (``set_host``, ``add_vmknic``, ``set_uplink`` …),
switch and port group (``set_switch``, ``add_port_group`` …), VM (``set_vm``, ``power_off``,
``connect_device``, ``relocate_vm`` …) and the shared objects (``set_cluster_evc``,
``mount_datastore``, ``set_site_link``, ``set_vcenter`` …), one module each (``_mutations.py``).

>>> from vmotion_core.inventory import load_scenario
>>> env = load_scenario("healthy-cluster")
>>> env.path("vmknic", "esx-01", "vmk1")
'vc01/dc1/cl-prod/esx-01/vmk1'
"""

import dataclasses
from dataclasses import dataclass
from functools import cached_property

from ..errors import ConfigError
from ..fields import Int, ListOf, Name, Obj, Text, spec
from . import model as m
from .products import evc_features
from ._host_mutations import _HostMutations
from ._semantics import by_name, related
from ._shared_mutations import _SharedMutations
from ._switch_mutations import _SwitchMutations
from ._vm_mutations import _VmMutations

__all__ = ["Environment", "disk_label", "label_disk", "environment_to_dict"]


def disk_label(disk):
    """The file-group label of virtual disk ``disk`` as :meth:`Environment.vm_files` and
    migration plans name it.

    >>> disk_label("Hard disk 1")
    "disk 'Hard disk 1'"
    """
    return f"disk '{disk}'"


def label_disk(label):
    """The disk name in a file-group label made by :func:`disk_label` (None for ``config`` or
    ``swap``); safe for names that contain quotes.

    >>> label_disk("disk 'Bob's disk'"), label_disk("config")
    ("Bob's disk", None)
    """
    if label.startswith("disk '") and label.endswith("'"):
        return label[len("disk '"):-1]
    return None


def _plain(obj):
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            default = f.default if f.default_factory is dataclasses.MISSING else f.default_factory()
            if value != default:  # a required field's default is MISSING: always written
                out[f.name] = dict(value) if f.name == "advanced" else _plain(value)
        return out
    if isinstance(obj, (tuple, list)):
        return [_plain(v) for v in obj]
    return obj


def environment_to_dict(env):
    """JSON-safe dict of ``env`` in the scenario-file layout, defaults left out (what
    :func:`~vmotion_core.inventory.dump_scenario` writes)."""
    d = {"schema_version": m.SCHEMA_VERSION}
    for f in dataclasses.fields(env):
        value = getattr(env, f.name)
        if f.name == "name" or (f.name != "schema_version" and value not in ((), "", None)):
            d[f.name] = _plain(value)
    return d


# named collections of an Environment, indexed by name (see Environment._index)
_NAMED = ("sites", "vcenters", "datacenters", "clusters", "licenses", "hosts",
          "distributed_switches", "datastores", "vms", "resource_pools", "vapps")


def _group(groups, key):
    """``groups[key]`` or ``()``; an unhashable key matches nothing (as a scan would)."""
    try:
        return groups.get(key, ())
    except TypeError:
        return ()


def _unknown(kind, name, known):
    names = ", ".join(sorted(known)) or "none"
    return ConfigError(kind, f"unknown {kind} {name!r}; known: {names}")


@dataclass(frozen=True)
class Environment(_HostMutations, _SwitchMutations, _VmMutations, _SharedMutations):
    """A simulated vSphere environment (see ``book/reference/scenario-format.md``).

    Every collection is a tuple of frozen dataclasses from :mod:`.model`; objects refer to each
    other by name. ``changes`` lists the mutations made since loading (not part of equality).
    Each field is a top-level section of a scenario file, declared with its checker and meaning.
    """
    name: str = spec(Name(), "scenario name (kebab-case)")
    story: str = spec(Text(), "one line: what this site is and what it teaches", "")
    description: str = spec(Text(), "longer notes for instructors (optional)", "")
    schema_version: int = spec(Int(1, 1 << 16), "format version of the file; this code reads 1", 1)
    sites: tuple = spec(ListOf(Obj(m.Site)), "physical locations", ())
    site_links: tuple = spec(ListOf(Obj(m.SiteLink)), "WAN links between sites (RTT, bandwidth)",
                             ())
    vcenters: tuple = spec(ListOf(Obj(m.VCenter)), "vCenter Server instances", ())
    datacenters: tuple = spec(ListOf(Obj(m.Datacenter)),
                              "datacenters, each in one vCenter and site", ())
    clusters: tuple = spec(ListOf(Obj(m.Cluster)), "clusters (DRS, EVC, HA, VM/Host rules)", ())
    licenses: tuple = spec(ListOf(Obj(m.License)), "licenses that hosts name", ())
    hosts: tuple = spec(ListOf(Obj(m.Host)), "ESXi hosts with CPU, uplinks, switches, vmknics", ())
    distributed_switches: tuple = spec(ListOf(Obj(m.DistributedSwitch)),
                                       "vSphere Distributed Switches", ())
    datastores: tuple = spec(ListOf(Obj(m.Datastore)), "datastores and the hosts that mount them",
                             ())
    vms: tuple = spec(ListOf(Obj(m.VM)), "virtual machines", ())
    resource_pools: tuple = spec(ListOf(Obj(m.ResourcePool)), "resource pools", ())
    vapps: tuple = spec(ListOf(Obj(m.VApp)), "vApps", ())
    changes: tuple = spec(ListOf(Text()),
                          "what was changed since the scenario was made (written by dump)", (),
                          compare=False)

    # --- lookups -------------------------------------------------------------------------------
    # Every lookup by name goes through one index per environment, built on first use. The
    # environment is frozen and each mutation returns a new one, so an index never goes stale
    # (cached_property stores it in the instance's __dict__, outside the dataclass fields, so it
    # takes no part in equality, hashing or ``dataclasses.replace``).
    @cached_property
    def _index(self):
        """``{collection: {name: object}}`` for every named collection (first of a name wins,
        as the linear scan it replaces did; the loader rejects duplicates anyway)."""
        return {coll: by_name(getattr(self, coll)) for coll in _NAMED}

    @cached_property
    def _related(self):
        """VMs by host, hosts by cluster, datastores and distributed switches by host."""
        return related(self)

    def _find(self, collection, kind, name):
        try:
            return self._index[collection][name]
        except (KeyError, TypeError):  # TypeError: an unhashable name is no name either
            raise _unknown(kind, name, self._index[collection]) from None

    def host(self, name):
        """The host ``name``; a ConfigError listing the known hosts if there is none.

        >>> from vmotion_core.inventory import load_scenario
        >>> load_scenario("healthy-cluster").host("esx-01").version
        '8.0 U2'
        """
        return self._find("hosts", "host", name)

    def vm(self, name):
        """The VM ``name`` (ConfigError listing known VMs otherwise)."""
        return self._find("vms", "vm", name)

    def datastore(self, name):
        """The datastore ``name`` (ConfigError listing known datastores otherwise)."""
        return self._find("datastores", "datastore", name)

    def cluster(self, name):
        """The cluster ``name`` (ConfigError listing known clusters otherwise)."""
        return self._find("clusters", "cluster", name)

    def vcenter(self, name):
        """The vCenter ``name``."""
        return self._find("vcenters", "vcenter", name)

    def datacenter(self, name):
        """The datacenter ``name``."""
        return self._find("datacenters", "datacenter", name)

    def site(self, name):
        """The site ``name``."""
        return self._find("sites", "site", name)

    def license(self, name):
        """The license ``name``."""
        return self._find("licenses", "license", name)

    def distributed_switch(self, name):
        """The distributed switch ``name``."""
        return self._find("distributed_switches", "distributed switch", name)

    def resource_pool(self, name):
        """The resource pool ``name``."""
        return self._find("resource_pools", "resource pool", name)

    def vapp(self, name):
        """The vApp ``name``."""
        return self._find("vapps", "vapp", name)

    def vmknic(self, host, name):
        """The vmknic ``name`` of ``host`` (ConfigError listing the host's vmknics otherwise)."""
        h = self.host(host)
        vmk = h.vmknic(name)
        if vmk is None:
            raise _unknown("vmknic", f"{host}/{name}", [v.name for v in h.vmknics])
        return vmk

    def device(self, vm, name):
        """The device ``name`` of ``vm`` (ConfigError listing the VM's devices otherwise)."""
        v = self.vm(vm)
        dev = v.device(name)
        if dev is None:
            raise _unknown("device", f"{vm}/{name}", [d.name for d in v.devices])
        return dev

    # --- relations -----------------------------------------------------------------------------
    def host_cluster(self, host):
        """The Cluster of ``host`` or None for a standalone host."""
        h = self.host(host)
        return self.cluster(h.cluster) if h.cluster else None

    def host_datacenter(self, host):
        """The Datacenter ``host`` belongs to (through its cluster if it has one)."""
        h = self.host(host)
        return self.datacenter(h.datacenter or self.cluster(h.cluster).datacenter)

    def host_vcenter(self, host):
        """The VCenter managing ``host``."""
        return self.vcenter(self.host_datacenter(host).vcenter)

    def host_site(self, host):
        """Name of the site ``host`` stands in."""
        return self.host_datacenter(host).site

    def host_license(self, host):
        """The License assigned to ``host``."""
        return self.license(self.host(host).license)

    def site_link(self, a, b):
        """The SiteLink between sites ``a`` and ``b`` (either order) or None."""
        return next((lk for lk in self.site_links if {lk.a, lk.b} == {a, b}), None)

    def rtt_ms(self, host_a, host_b):
        """Round-trip time between two hosts: 0 in one site, the site link's RTT across sites,
        None when the sites have no link (the simulator treats a LAN as RTT ~0)."""
        sa, sb = self.host_site(host_a), self.host_site(host_b)
        if sa == sb:
            return 0.0
        link = self.site_link(sa, sb)
        return link.rtt_ms if link else None

    def host_switches(self, host):
        """Standard switches of ``host`` plus the distributed switches it is a member of."""
        h = self.host(host)
        return h.standard_switches + self._related["dvs_of"].get(host, ())

    def port_group(self, host, name):
        """``(switch, port_group)`` for port-group label ``name`` as seen from ``host``, or None.

        Looks on the host's standard switches and on the distributed switches it is a member of.
        """
        return next(((sw, pg) for sw in self.host_switches(host) for pg in sw.port_groups
                     if pg.name == name), None)

    def active_uplinks(self, host, switch, port_group=None):
        """Uplinks (``Uplink`` objects of ``host``) a port group of ``switch`` uses on ``host``."""
        h = self.host(host)
        if hasattr(switch, "members"):  # distributed: the host's contribution
            names = next((m.uplinks for m in switch.members if m.host == host), ())
        else:
            names = switch.uplinks
        if port_group is not None and port_group.uplinks:
            names = tuple(n for n in port_group.uplinks if n in names)
        return tuple(u for u in h.uplinks if u.name in names)

    def vms_on(self, host):
        """VMs registered on ``host``."""
        return _group(self._related["vms_on"], host)

    def hosts_in(self, cluster):
        """Hosts of ``cluster``."""
        return _group(self._related["hosts_in"], cluster)

    def datastores_of(self, host):
        """Datastores mounted on ``host``."""
        return _group(self._related["datastores_of"], host)

    def vm_files(self, vm):
        """``(what, datastore)`` pairs for every file group of ``vm``: config (with NVRAM and
        logs), each disk, and the swap file (with the config, unless ``swap`` is host-local and
        the host has a swap datastore)."""
        v = self.vm(vm)
        host_swap = self.host(v.host).swap_datastore if v.swap == "host-local" else None
        return (("config", v.config_datastore),
                *((disk_label(d.name), d.datastore) for d in v.disks),
                ("swap", host_swap or v.config_datastore))

    def effective_cpu_features(self, host):
        """CPU features ``host`` offers to VMs: its own, masked by its cluster's EVC baseline."""
        h = self.host(host)
        feats = h.cpu_feature_set
        cl = self.host_cluster(host)
        if cl is not None and cl.evc_mode:
            feats = feats & evc_features(h.cpu_vendor, cl.evc_mode)
        return feats

    def vm_cpu_features(self, vm):
        """CPU features the guest of ``vm`` sees: its per-VM EVC baseline if set, else its host's."""
        v = self.vm(vm)
        feats = self.effective_cpu_features(v.host)
        if v.evc_mode:
            feats = feats & evc_features(self.host(v.host).cpu_vendor, v.evc_mode)
        return feats

    # --- inventory paths -----------------------------------------------------------------------
    def path(self, kind, name, sub=None):
        """Inventory path of an object, for findings and messages.

        ``kind`` is one of vcenter, datacenter, cluster, host, vm, datastore, distributed-switch,
        resource-pool, vapp, site; or, with ``sub``, a part of a host (vmknic, uplink,
        standard-switch, port-group) or of a VM (device, nic, disk).

        >>> from vmotion_core.inventory import load_scenario
        >>> load_scenario("healthy-cluster").path("vm", "web01")
        'vc01/dc1/vm/web01'
        """
        if kind == "vcenter":
            return self.vcenter(name).name
        if kind == "site":
            return f"site/{self.site(name).name}"
        if kind == "datacenter":
            return f"{self.datacenter(name).vcenter}/{name}"
        if kind == "cluster":
            return f"{self.path('datacenter', self.cluster(name).datacenter)}/{name}"
        if kind == "host":
            h = self.host(name)
            parent = self.path("cluster", h.cluster) if h.cluster else self.path("datacenter", h.datacenter)
            return f"{parent}/{name}"
        folders = {"vm": ("vm", "vm"), "datastore": ("datastore", "datastore"),
                   "distributed-switch": ("distributed_switch", "network")}
        if kind in folders:
            getter, folder = folders[kind]
            obj = getattr(self, getter)(name)
            dc = obj.datacenter if kind != "vm" else self.host_datacenter(obj.host).name
            return f"{self.path('datacenter', dc)}/{folder}/{name}"
        if kind in ("resource-pool", "vapp"):
            obj = self.resource_pool(name) if kind == "resource-pool" else self.vapp(name)
            parent = self.path("cluster", obj.cluster) if obj.cluster else self.path("host", obj.host)
            return f"{parent}/{name}"
        if kind in ("vmknic", "uplink", "standard-switch"):
            return f"{self.path('host', name)}/{sub}"
        if kind == "port-group":
            found = self.port_group(name, sub)
            if found and hasattr(found[0], "members"):
                return f"{self.path('distributed-switch', found[0].name)}/{sub}"
            return f"{self.path('host', name)}/{found[0].name if found else '?'}/{sub}"
        if kind in ("device", "nic", "disk"):
            return f"{self.path('vm', name)}/{sub}"
        raise ConfigError("kind", f"unknown object kind {kind!r}")

    to_dict = environment_to_dict
