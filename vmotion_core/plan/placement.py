"""Where a migration goes: the target's host (with the DRS pick explained for a cluster,
resource pool or vApp) and where each file group ends up.

Simplification: DRS's pick is modelled as "the compatible candidate with the most free memory"
(connected, not in maintenance mode, honouring the cluster's *must* VM/Host rules); real DRS
weighs CPU and memory demand and more.
"""

from __future__ import annotations

from ..errors import ConfigError
from ..inventory.environment import disk_label
from .request import TARGET_KINDS

__all__ = ["free_memory_gib", "drs_pick", "resolve_target", "target_host", "file_placement"]


def free_memory_gib(env, host):
    """Host memory not taken by the powered-on VMs registered on it (a simplification of
    admission control: configured memory counts, overcommitment is ignored)."""
    used = sum(v.memory_gib for v in env.vms_on(host) if v.power_state != "powered-off")
    return env.host(host).memory_gib - used


def resolve_target(env, req):
    """(kind, name) of the request's target."""
    kinds = [req.target_kind] if req.target_kind else list(TARGET_KINDS)
    getters = {"host": env.host, "cluster": env.cluster, "resource-pool": env.resource_pool,
               "vapp": env.vapp}
    for kind in kinds:
        try:
            getters[kind](req.target)
            return kind, req.target
        except ConfigError:
            continue
    known = sorted({o.name for coll in (env.hosts, env.clusters, env.resource_pools, env.vapps)
                    for o in coll})
    what = req.target_kind or "host, cluster, resource pool or vApp"
    raise ConfigError("target", f"unknown {what} {req.target!r}; known: {', '.join(known)}")


def _rule_blocks(cluster, vm, host):
    r = next((r for r in cluster.rules if r.forbids(vm, host)), None)
    if r is None:
        return None
    if r.kind == "must-run-on":
        return f"VM/Host rule '{r.name}' (must run on {', '.join(r.hosts)})"
    return f"VM/Host rule '{r.name}' (must not run on {host})"


def drs_pick(env, cluster_name, vm, source, via, candidates=None, require_drs=True):
    """``(host, explanation)``: the host DRS picks in ``cluster_name`` for ``vm`` leaving
    ``source``. ``candidates`` limits the hosts considered (None: the whole cluster);
    ``require_drs=False`` picks the same way in a cluster without DRS (evacuation planning)."""
    cl = env.cluster(cluster_name)
    if require_drs and not cl.drs_enabled:
        raise ConfigError("target", f"{via} cluster {cl.name!r} has DRS turned off, so vCenter "
                                    "cannot pick a host: choose a host inside it "
                                    f"({', '.join(h.name for h in env.hosts_in(cl.name))})")
    v = env.vm(vm)
    ranked, skipped = [], []
    for h in env.hosts_in(cl.name):
        if h.name == source or (candidates is not None and h.name not in candidates):
            continue
        free = free_memory_gib(env, h.name)
        why = (h.connection_state if h.connection_state != "connected" else
               "maintenance mode" if h.maintenance_mode else _rule_blocks(cl, vm, h.name))
        if why is None and free < max(v.memory_reservation_gib, 0):
            why = "not enough free memory for the reservation"
        if why:
            skipped.append(f"{h.name} ({why})")
        else:
            ranked.append((-free, h.name))
    if not ranked:
        raise ConfigError("target", f"DRS finds no host in cluster {cl.name!r} for {vm!r}: "
                                    + ("; ".join(skipped) or "the cluster has no other host"))
    ranked.sort()
    pick = ranked[0][1]
    listing = ", ".join(f"{n} ({-m:g} GiB free)" for m, n in ranked)
    text = (f"DRS ({cl.drs_automation}) recommends {pick}: the most free memory among "
            f"{listing}")
    if skipped:
        text += f"; not considered: {', '.join(skipped)}"
    text += ". vCenter runs the compatibility checks against this host."
    return pick, text


def target_host(env, kind, name, vm, source):
    """``(host, DRS explanation or None)``: where a target ``name`` of ``kind`` puts ``vm``."""
    if kind == "host":
        return name, None
    if kind == "cluster":
        return drs_pick(env, name, vm, source, "the target")
    pool = env.resource_pool(name) if kind == "resource-pool" else env.vapp(name)
    label = "resource pool" if kind == "resource-pool" else "vApp"
    if pool.host:  # a standalone host's pool: that host (RelocateSpec rules)
        return pool.host, None
    cl = env.cluster(pool.cluster)
    if not cl.drs_enabled:
        raise ConfigError("target", f"InvalidArgument: {label} {name!r} belongs to cluster "
                                    f"{cl.name!r}, which has no DRS; give a host as well")
    return drs_pick(env, cl.name, vm, source, f"the {label}'s")


def file_placement(env, v, req):
    """Where every file group ends up: ((what, ds), ...) and the moves among them."""
    per_disk = dict(req.disk_datastores)
    unknown = set(per_disk) - {d.name for d in v.disks}
    if unknown:
        raise ConfigError("disk_datastores", f"VM {v.name!r} has no disk {sorted(unknown)[0]!r}; "
                                             f"disks: {', '.join(d.name for d in v.disks) or 'none'}")
    for ds in ([req.datastore] if req.datastore else []) + list(per_disk.values()):
        env.datastore(ds)  # ConfigError for an unknown name
    config_to = req.datastore or v.config_datastore
    place, moves = [("config", config_to)], []
    if config_to != v.config_datastore:
        moves.append(("config", v.config_datastore, config_to))
    for d in v.disks:
        to = per_disk.get(d.name, req.datastore or d.datastore)
        place.append((disk_label(d.name), to))
        if to != d.datastore:
            moves.append((disk_label(d.name), d.datastore, to))
    return tuple(place), tuple(moves)
