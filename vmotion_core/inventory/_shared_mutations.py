"""Mutations of the objects hosts and VMs share: clusters, datastores, site links and vCenters
(see ``_mutations.py``)."""

import dataclasses

from ..errors import ConfigError
from . import model as m
from ._mutations import _fmt, _Mutations, checked, diff_line, updated
from .products import can_run_evc, evc_features


class _SharedMutations(_Mutations):
    """Mutations of a cluster, a datastore, a site link or a vCenter."""

    # --- clusters ---------------------------------------------------------------------------------
    def set_cluster(self, cluster, **fields):
        """Change drs_enabled, drs_automation, ha_enabled, ha_host_failures_tolerated."""
        old = self.cluster(cluster)
        new = updated(old, fields, cluster,
                      ("drs_enabled", "drs_automation", "ha_enabled", "ha_host_failures_tolerated"))
        return self._replace("clusters", old, new)

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
        return self._replace("clusters", old, dataclasses.replace(old, evc_mode=mode))

    # --- datastores -------------------------------------------------------------------------------
    def mount_datastore(self, datastore, host, writable=True):
        """Mount ``datastore`` on ``host`` (read-only when ``writable`` is False)."""
        ds = self.datastore(datastore)
        self.host(host)
        if host in ds.hosts:
            raise ConfigError("host", f"datastore {datastore!r} is already mounted on {host!r}")
        ro = ds.read_only_hosts + (() if writable else (host,))
        new = dataclasses.replace(ds, hosts=ds.hosts + (host,), read_only_hosts=ro)
        return self._replace("datastores", ds, new,
                             f"{datastore}: mounted on {host}{'' if writable else ' (read-only)'}")

    def unmount_datastore(self, datastore, host):
        """Unmount ``datastore`` from ``host`` (refused while a VM on that host uses it)."""
        ds = self.datastore(datastore)
        if host not in ds.hosts:
            raise ConfigError("host", f"datastore {datastore!r} is not mounted on {host!r}")
        new = dataclasses.replace(ds, hosts=tuple(h for h in ds.hosts if h != host),
                                  read_only_hosts=tuple(h for h in ds.read_only_hosts if h != host))
        return self._replace("datastores", ds, new, f"{datastore}: unmounted from {host}")

    def set_datastore(self, datastore, **fields):
        """Change ``free_gib``, ``capacity_gib`` or ``maintenance_mode`` of a datastore."""
        old = self.datastore(datastore)
        new = updated(old, fields, datastore, ("free_gib", "capacity_gib", "maintenance_mode"))
        return self._replace("datastores", old, new)

    # --- site links -------------------------------------------------------------------------------
    def set_site_link(self, a, b, **fields):
        """Change ``rtt_ms`` or ``bandwidth_gbps`` of the link between sites ``a`` and ``b``."""
        old = self.site_link(a, b)
        if old is None:
            raise ConfigError("site_link", f"no link between sites {a!r} and {b!r}")
        new = updated(old, fields, f"{a}-{b}", ("rtt_ms", "bandwidth_gbps"))
        links = tuple(new if lk is old else lk for lk in self.site_links)
        return self._commit(diff_line(f"link {a}-{b}", old, new), site_links=links)

    # --- vCenters ---------------------------------------------------------------------------------
    def set_vcenter(self, vcenter, **fields):
        """Change version, sso_domain, enhanced_linked_mode or time_offset_s of a vCenter."""
        old = self.vcenter(vcenter)
        new = updated(old, fields, vcenter,
                      ("version", "sso_domain", "enhanced_linked_mode", "time_offset_s"))
        return self._replace("vcenters", old, new)

    def set_advanced(self, vcenter, key, value):
        """Set vCenter advanced setting ``key`` (e.g. ``vgpu.hotmigrate.enabled``) to ``value``."""
        old = self.vcenter(vcenter)
        (pair,) = checked(m.VCenter, {"advanced": {key: value}}, vcenter)["advanced"]
        before = old.setting(key)
        new = dataclasses.replace(old, advanced=tuple((k, v) for k, v in old.advanced if k != key) + (pair,))
        return self._replace("vcenters", old, new,
                             f"{vcenter}: advanced setting {key} {_fmt(before)} -> {pair[1]}")
