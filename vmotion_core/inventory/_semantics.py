"""Cross-object checks of a scenario (stage 2 of loading): duplicate names, dangling references,
and states vSphere itself would not allow. Each problem is ``"path: message"``.

Collections may contain ``None`` where stage 1 rejected an object; those are skipped so the
indices in the messages still match the file.
"""

import heapq
import ipaddress

from ..errors import shown
from .products import CPU_GENERATIONS, can_run_evc, evc_vendor

# Device kind -> backing kinds vSphere offers for it.
_BACKINGS = {
    "cdrom": ("datastore-file", "host-device", "client-device", "none"),
    "floppy": ("datastore-file", "host-device", "client-device", "none"),
    "serial": ("datastore-file", "host-device", "network", "none"),
    "parallel": ("datastore-file", "host-device", "none"),
    "usb": ("host-device", "client-device"),
    "pci-passthrough": ("host-device",),
}
_STACK_SERVICES = {"vmotion": ("vmotion",), "provisioning": ("provisioning",)}


def _items(seq):
    return [(i, o) for i, o in enumerate(seq or ()) if o is not None]


def _unknown(kind, name, known):
    return f"unknown {kind} {name!r}; known: {_some(known)}"


def _some(names, n=12):
    """Up to ``n`` names for a message, then how many there are in all."""
    first = heapq.nsmallest(n, names)  # linear in the number of names, unlike sorted()
    more = f", … ({len(names):,} in all)" if len(names) > n else ""
    shown_names = (x if len(x) <= 40 and x.isprintable() else shown(x, 40) for x in first)
    return (", ".join(shown_names) + more) or "none"


def by_name(objects):
    """``{name: object}``, keeping the first object of each name (None, an object the loader
    rejected, is left out). Environment's lookups and the checks here use it."""
    index = {}
    for obj in filter(None, objects):
        index.setdefault(obj.name, obj)
    return index


def related(env):
    """Objects grouped by the name they point to: VMs by host, hosts by cluster, datastores
    and distributed switches by the hosts that mount / are members of them."""
    groups = {"vms_on": {}, "hosts_in": {}, "datastores_of": {}, "dvs_of": {}}
    for v in filter(None, env.vms):
        groups["vms_on"].setdefault(v.host, []).append(v)
    for h in filter(None, env.hosts):
        groups["hosts_in"].setdefault(h.cluster, []).append(h)
    for d in filter(None, env.datastores):
        for host in dict.fromkeys(d.hosts):
            groups["datastores_of"].setdefault(host, []).append(d)
    for sw in filter(None, env.distributed_switches):
        for host in dict.fromkeys(mm.host for mm in sw.members if mm):
            groups["dvs_of"].setdefault(host, []).append(sw)
    return {kind: {k: tuple(v) for k, v in group.items()} for kind, group in groups.items()}


def _switches(ix, host):
    """Standard switches of ``host`` and the distributed switches it is a member of."""
    h = ix["hosts"].get(host)
    vss = tuple(s for s in h.standard_switches if s) if h else ()
    return vss + ix["dvs_of"].get(host, ())


def _dups(seq, path, what, out):
    seen = {}
    for i, o in _items(seq):
        if o.name in seen:
            out.append(f"{path}[{i}].name: duplicate {what} name {o.name!r} (also {path}[{seen[o.name]}])")
        else:
            seen[o.name] = i


def _ref(value, known, kind, path, out):
    if value is not None and value not in known:
        out.append(f"{path}: {_unknown(kind, value, known)}")
        return False
    return True


def check_environment(env, rejected=None):
    """Return the list of cross-object problems of ``env`` (empty when consistent).

    ``rejected`` maps a collection ("hosts") to names of objects stage 1 rejected; references to
    them are not reported again as dangling.
    """
    out = []
    names = {}
    rejected = rejected or {}
    for coll, what in (("sites", "site"), ("vcenters", "vCenter"), ("datacenters", "datacenter"),
                       ("clusters", "cluster"), ("licenses", "license"), ("hosts", "host"),
                       ("distributed_switches", "distributed switch"), ("datastores", "datastore"),
                       ("vms", "VM"), ("resource_pools", "resource pool"), ("vapps", "vApp")):
        seq = getattr(env, coll)
        _dups(seq, coll, what, out)
        names[coll] = {o.name for _, o in _items(seq)} | set(rejected.get(coll, ()))
    hosts = {o.name: o for _, o in _items(env.hosts)}
    ix = {"hosts": by_name(env.hosts), "datastores": by_name(env.datastores),
          "dvs_of": related(env)["dvs_of"]}
    # pools by name for the loop check (a vApp's parent may be a vApp or a resource pool)
    pools, acyclic = {o.name: o for _, o in _items((*env.resource_pools, *env.vapps))}, set()
    clusters = {o.name: o for _, o in _items(env.clusters)}
    # Order matters: each check below may rely on what the ones before established. The CPU
    # generation must belong to the host's vendor before any EVC rule asks about it.
    cpu_ok = set()
    for i, h in _items(env.hosts):
        if h.cpu_generation.startswith(h.cpu_vendor + "-"):
            cpu_ok.add(h.name)
        else:
            out.append(f"hosts[{i}].cpu_generation: {h.cpu_generation!r} is not a {h.cpu_vendor} "
                       f"generation; allowed: {', '.join(CPU_GENERATIONS[h.cpu_vendor])}")

    for i, lk in _items(env.site_links):
        p = f"site_links[{i}]"
        _ref(lk.a, names["sites"], "site", f"{p}.a", out)
        _ref(lk.b, names["sites"], "site", f"{p}.b", out)
        if lk.a == lk.b:
            out.append(f"{p}.b: a site link joins two different sites, got {lk.a!r} twice")
    for i, dc in _items(env.datacenters):
        _ref(dc.vcenter, names["vcenters"], "vcenter", f"datacenters[{i}].vcenter", out)
        _ref(dc.site, names["sites"], "site", f"datacenters[{i}].site", out)
    for i, cl in _items(env.clusters):
        p = f"clusters[{i}]"
        _ref(cl.datacenter, names["datacenters"], "datacenter", f"{p}.datacenter", out)
        _dups(cl.rules, f"{p}.rules", "rule", out)
        for j, rule in _items(cl.rules):
            for k, vm in enumerate(rule.vms):
                _ref(vm, names["vms"], "vm", f"{p}.rules[{j}].vms[{k}]", out)
            for k, h in enumerate(rule.hosts):
                if _ref(h, names["hosts"], "host", f"{p}.rules[{j}].hosts[{k}]", out) and \
                        h in hosts and hosts[h].cluster != cl.name:
                    out.append(f"{p}.rules[{j}].hosts[{k}]: host {h!r} is not in cluster {cl.name!r}")
        if cl.evc_mode:
            for h in (h for h in hosts.values() if h.cluster == cl.name and h.name in cpu_ok):
                if h.cpu_vendor != evc_vendor(cl.evc_mode):
                    out.append(f"{p}.evc_mode: EVC mode {cl.evc_mode!r} needs every host to have a "
                               f"{evc_vendor(cl.evc_mode)} CPU; host {h.name!r} has {h.cpu_vendor}")
                elif not can_run_evc(h.cpu_vendor, h.cpu_generation, cl.evc_mode):
                    out.append(f"{p}.evc_mode: host {h.name!r} ({h.cpu_generation}) cannot run EVC "
                               f"mode {cl.evc_mode!r}; pick a baseline at or below its generation")
    for i, h in _items(env.hosts):
        _check_host(env, i, h, names, clusters, out)
    used_uplinks = {h.name: {u for sw in h.standard_switches if sw for u in sw.uplinks}
                    for h in hosts.values()}  # a DVS takes a host's uplinks no vSS has
    for i, dvs in _items(env.distributed_switches):
        p = f"distributed_switches[{i}]"
        _ref(dvs.datacenter, names["datacenters"], "datacenter", f"{p}.datacenter", out)
        _dups(dvs.port_groups, f"{p}.port_groups", "port group", out)
        seen = set()
        for j, mem in _items(dvs.members):
            if not _ref(mem.host, names["hosts"], "host", f"{p}.members[{j}].host", out) \
                    or mem.host not in hosts:
                continue
            if mem.host in seen:
                out.append(f"{p}.members[{j}].host: host {mem.host!r} is listed twice")
            seen.add(mem.host)
            for k, up in enumerate(mem.uplinks):
                upath = f"{p}.members[{j}].uplinks[{k}]"
                if hosts[mem.host].uplink(up) is None:
                    out.append(f"{upath}: {_unknown('uplink', up, [u.name for u in hosts[mem.host].uplinks if u])}")
                elif up in used_uplinks[mem.host]:
                    out.append(f"{upath}: uplink {up!r} of host {mem.host!r} already belongs to another switch")
                used_uplinks[mem.host].add(up)
        all_up = set().union(*(mm.uplinks for _, mm in _items(dvs.members)))
        for j, pg in _items(dvs.port_groups):
            for k, up in enumerate(pg.uplinks):
                if up not in all_up:
                    out.append(f"{p}.port_groups[{j}].uplinks[{k}]: uplink {up!r} is not an uplink of "
                               f"any member host of {dvs.name!r}")
    for i, h in _items(env.hosts):  # needs DVS membership: resolve vmknic port groups now
        for j, vmk in _items(h.vmknics):
            _port_group(ix, h.name, vmk.port_group, f"hosts[{i}].vmknics[{j}].port_group", out)
    for i, ds in _items(env.datastores):
        p = f"datastores[{i}]"
        _ref(ds.datacenter, names["datacenters"], "datacenter", f"{p}.datacenter", out)
        for k, h in enumerate(ds.hosts):
            _ref(h, names["hosts"], "host", f"{p}.hosts[{k}]", out)
        for k, h in enumerate(ds.read_only_hosts):
            if h not in ds.hosts:
                out.append(f"{p}.read_only_hosts[{k}]: {h!r} must also be listed in hosts")
        if ds.free_gib > ds.capacity_gib:
            out.append(f"{p}.free_gib: free space {ds.free_gib} GiB exceeds capacity_gib {ds.capacity_gib}")
        if ds.type == "local" and len(ds.hosts) > 1:
            out.append(f"{p}.hosts: a local datastore is mounted by one host only, got {len(ds.hosts)}")
    for i, h in _items(env.hosts):
        if h.swap_datastore and _ref(h.swap_datastore, names["datastores"], "datastore",
                                     f"hosts[{i}].swap_datastore", out):
            _mounted(ix, h.swap_datastore, h.name, f"hosts[{i}].swap_datastore", out)
    for i, vm in _items(env.vms):
        _check_vm(ix, i, vm, names, hosts, out)
    for coll in ("resource_pools", "vapps"):
        for i, rp in _items(getattr(env, coll)):
            _check_pool(coll, i, rp, names, pools, out, acyclic)
    return out


def _mounted(ix, ds_name, host, path, out):
    ds = ix["datastores"].get(ds_name)
    if ds is not None and host not in ds.hosts:
        out.append(f"{path}: datastore {ds_name!r} is not mounted on host {host!r}")


def _port_group(ix, host, label, path, out):
    switches = _switches(ix, host)
    found = [sw.name for sw in switches for pg in sw.port_groups if pg and pg.name == label]
    if not found:
        known = {pg.name for sw in switches for pg in sw.port_groups if pg}
        out.append(f"{path}: port group {label!r} does not exist on host {host!r}; "
                   f"known: {_some(known)}")
    elif len(found) > 1:
        out.append(f"{path}: port group {label!r} is ambiguous on host {host!r} "
                   f"(on switches {', '.join(found)}); rename one")


def _check_host(env, i, h, names, clusters, out):
    p = f"hosts[{i}]"
    if h.cluster is None and h.datacenter is None:
        out.append(f"{p}: give cluster (clustered host) or datacenter (standalone host)")
    _ref(h.cluster, names["clusters"], "cluster", f"{p}.cluster", out)
    _ref(h.datacenter, names["datacenters"], "datacenter", f"{p}.datacenter", out)
    cl = clusters.get(h.cluster)
    if cl is not None and h.datacenter is not None and cl.datacenter != h.datacenter:
        out.append(f"{p}.datacenter: host is in cluster {cl.name!r} of datacenter "
                   f"{cl.datacenter!r}, not {h.datacenter!r}")
    _ref(h.license, names["licenses"], "license", f"{p}.license", out)
    for coll, what in (("uplinks", "uplink"), ("standard_switches", "standard switch"),
                       ("vmknics", "vmknic"), ("tcpip_stacks", "TCP/IP stack")):
        _dups(getattr(h, coll), f"{p}.{coll}", what, out)
    uplinks = {u.name for _, u in _items(h.uplinks)}
    owner, labels = {}, {}
    for j, sw in _items(h.standard_switches):
        _dups(sw.port_groups, f"{p}.standard_switches[{j}].port_groups", "port group", out)
        for k, up in enumerate(sw.uplinks):
            upath = f"{p}.standard_switches[{j}].uplinks[{k}]"
            if _ref(up, uplinks, "uplink", upath, out):
                if up in owner:
                    out.append(f"{upath}: uplink {up!r} already belongs to switch {owner[up]!r}")
                owner[up] = sw.name
        for k, pg in _items(sw.port_groups):
            if pg.name in labels and labels[pg.name] != sw.name:
                out.append(f"{p}.standard_switches[{j}].port_groups[{k}].name: port group "
                           f"{pg.name!r} also exists on switch {labels[pg.name]!r} of this host")
            labels[pg.name] = sw.name
            for n, up in enumerate(pg.uplinks):
                if up not in sw.uplinks:
                    out.append(f"{p}.standard_switches[{j}].port_groups[{k}].uplinks[{n}]: "
                               f"{up!r} is not an uplink of switch {sw.name!r}")
    stacks = {}
    for j, vmk in _items(h.vmknics):
        vp = f"{p}.vmknics[{j}]"
        net = vmk.interface.network
        if vmk.prefix < 31 and vmk.interface.ip in (net.network_address, net.broadcast_address):
            out.append(f"{vp}.ip: {vmk.ip!r} is the network or broadcast address of {net}")
        allowed = _STACK_SERVICES.get(vmk.tcpip_stack)
        for k, svc in enumerate(vmk.services):
            if allowed is not None and svc not in allowed:
                out.append(f"{vp}.services[{k}]: {svc!r} cannot run on the {vmk.tcpip_stack} TCP/IP "
                           f"stack; allowed there: {', '.join(allowed)}")
        if vmk.gateway and ipaddress.IPv4Address(vmk.gateway) not in net:
            out.append(f"{vp}.gateway: {vmk.gateway!r} is not in the vmknic's subnet {net}")
        stacks.setdefault(vmk.tcpip_stack, []).append(net)
    for j, st in _items(h.tcpip_stacks):
        if st.gateway and not any(ipaddress.IPv4Address(st.gateway) in n for n in stacks.get(st.name, ())):
            out.append(f"{p}.tcpip_stacks[{j}].gateway: {st.gateway!r} is not in the subnet of any "
                       f"vmknic on the {st.name} stack")
    devices = set()
    for j, lun in _items(h.luns):
        if lun.device in devices:
            out.append(f"{p}.luns[{j}].device: duplicate LUN device {lun.device!r}")
        devices.add(lun.device)


def _check_vm(ix, i, vm, names, hosts, out):
    p = f"vms[{i}]"
    on_host = _ref(vm.host, names["hosts"], "host", f"{p}.host", out)
    host = hosts.get(vm.host)
    ds = vm.config_datastore
    if _ref(ds, names["datastores"], "datastore", f"{p}.config_datastore", out) and on_host:
        _mounted(ix, ds, vm.host, f"{p}.config_datastore", out)
    for coll, what in (("disks", "disk"), ("nics", "network adapter"), ("devices", "device")):
        _dups(getattr(vm, coll), f"{p}.{coll}", what, out)
    for j, d in _items(vm.disks):
        dp = f"{p}.disks[{j}]"
        if _ref(d.datastore, names["datastores"], "datastore", f"{dp}.datastore", out) and on_host:
            _mounted(ix, d.datastore, vm.host, f"{dp}.datastore", out)
        if (d.rdm_device is None) != (d.rdm_compatibility is None):
            out.append(f"{dp}: an RDM needs both rdm_device and rdm_compatibility")
        elif d.rdm_device and host and not any(x and x.device == d.rdm_device for x in host.luns):
            out.append(f"{dp}.rdm_device: host {vm.host!r} does not see LUN {d.rdm_device!r}")
    if host is not None:
        for j, nic in _items(vm.nics):
            _port_group(ix, vm.host, nic.network, f"{p}.nics[{j}].network", out)
    for j, dev in _items(vm.devices):
        dp = f"{p}.devices[{j}]"
        allowed = _BACKINGS[dev.kind]
        if dev.backing_kind not in allowed:
            out.append(f"{dp}.backing_kind: {dev.backing_kind!r} is not a backing for a {dev.kind}; "
                       f"allowed: {', '.join(allowed)}")
        if dev.backing_kind == "datastore-file":
            ds = dev.backing_datastore
            if ds is None:
                out.append(f"{dp}.backing: {shown(dev.backing)} is not a datastore path like "
                           "'[ds1] iso/file.iso'")
            else:
                _ref(ds, names["datastores"], "datastore", f"{dp}.backing", out)
        elif dev.backing_kind != "none" and not dev.backing:
            out.append(f"{dp}.backing: a {dev.backing_kind} backing needs a backing text")
    if host and vm.evc_mode:
        if evc_vendor(vm.evc_mode) != host.cpu_vendor:
            out.append(f"{p}.evc_mode: {vm.evc_mode!r} is for {evc_vendor(vm.evc_mode)} CPUs; host "
                       f"{host.name!r} has {host.cpu_vendor}")
        if vm.hardware_version < 14:
            out.append(f"{p}.evc_mode: per-VM EVC needs hardware version 14 or later, got {vm.hardware_version}")
    if vm.memory_reservation_gib > vm.memory_gib:
        out.append(f"{p}.memory_reservation_gib: {vm.memory_reservation_gib} exceeds memory_gib {vm.memory_gib}")
    if vm.resource_pool and vm.vapp:
        out.append(f"{p}: a VM sits in a resource pool or a vApp, not both")
    _ref(vm.resource_pool, names["resource_pools"], "resource pool", f"{p}.resource_pool", out)
    _ref(vm.vapp, names["vapps"], "vapp", f"{p}.vapp", out)


def _check_pool(coll, i, rp, names, pools, out, acyclic):
    p = f"{coll}[{i}]"
    if (rp.cluster is None) == (rp.host is None):
        out.append(f"{p}: give exactly one of cluster or host")
    _ref(rp.cluster, names["clusters"], "cluster", f"{p}.cluster", out)
    _ref(rp.host, names["hosts"], "host", f"{p}.host", out)
    parents = names["resource_pools"] | (names["vapps"] if coll == "vapps" else set())
    if _ref(rp.parent, parents, "parent pool", f"{p}.parent", out) and rp.parent:
        seen, cur = {rp.name}, rp.parent
        while cur is not None and cur in pools and cur not in acyclic:
            if cur in seen:
                out.append(f"{p}.parent: pools {_some(seen)} form a loop")
                return
            seen.add(cur)
            cur = pools[cur].parent
        acyclic |= seen  # every pool on this chain reaches the top: no need to walk it again
