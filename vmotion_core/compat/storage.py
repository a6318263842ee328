"""Storage rules ST1-ST8 (fact sheet §2.4, §1.2): files the destination must reach, RDM LUNs,
swap placement, disk modes, target datastore access, space and maintenance mode.

Space (ST7) is counted conservatively: a moving disk needs its full size (thin disks' used space
is not modelled), the swap file its memory minus reservation, the config group 1 GiB.
"""

from __future__ import annotations

from ..inventory.environment import disk_label, label_disk

__all__ = ["check", "space_needed_gib"]

_CONFIG_GIB = 1.0  # simulator allowance for vmx, nvram, logs


def _visible(env, ds, host):
    return host in env.datastore(ds).hosts


def _writable(env, ds, host):
    d = env.datastore(ds)
    return host in d.hosts and host not in d.read_only_hosts


def space_needed_gib(env, vm, moves):
    """GiB each target datastore needs for the file groups in ``moves`` ((what, from, to), ...)."""
    v = env.vm(vm)
    need = {}
    for what, _src, to in moves:
        if what == "config":
            size = _CONFIG_GIB
            if v.swap == "vm-directory":
                size += max(v.memory_gib - v.memory_reservation_gib, 0.0)
        else:
            size = v.disk(label_disk(what)).size_gib
        need[to] = need.get(to, 0.0) + size
    return need


def _stays_reachable(ctx):
    """ST1/ST1b/ST2: files that stay put must be visible to the destination host."""
    env, v, p = ctx.env, ctx.vm, ctx.plan
    place = dict(p.placement)
    moving = {m[0] for m in p.file_moves}
    for what, ds in p.placement:
        if what in moving or _visible(env, ds, ctx.dst):
            continue
        if what == "config":
            ctx.add("ST1b", env.path("datastore", ds), file=f"{v.name}.vmx", datastore=ds)
        else:
            ctx.add("ST1", env.path("datastore", ds), file=label_disk(what), datastore=ds)
    src_luns = {lun.device: lun.lun_id for lun in env.host(ctx.src).luns}
    dst_luns = {lun.device: lun.lun_id for lun in env.host(ctx.dst).luns}
    for d in v.disks:
        converted = d.rdm_compatibility == "virtual" and place.get(disk_label(d.name)) != d.datastore
        if not d.rdm_device or converted:
            continue
        seen, want = dst_luns.get(d.rdm_device), src_luns.get(d.rdm_device)
        if seen is None or seen != want:
            lun = d.rdm_device + ("" if seen is None else f" (LUN ID {seen} on {ctx.dst}, "
                                  f"{want} on {ctx.src})")
            ctx.add("ST2", env.path("disk", v.name, d.name), disk=d.name, lun=lun)


def _swap(ctx):
    env, v = ctx.env, ctx.vm
    h = env.host(ctx.dst)
    if v.swap == "host-local" and h.swap_datastore and not _writable(env, h.swap_datastore, h.name):
        ctx.add("ST3", env.path("datastore", h.swap_datastore), datastore=h.swap_datastore)


def _targets(ctx):
    env, v, p = ctx.env, ctx.vm, ctx.plan
    done = set()
    for what, _src, to in p.file_moves:
        name = label_disk(what)
        if name is not None:
            disk = v.disk(name)
            if ctx.live and disk.mode in ("nonpersistent", "independent-nonpersistent"):
                ctx.add("ST4", env.path("disk", v.name, disk.name), disk=disk.name,
                        mode=disk.mode.replace("-", " "))
        if to in done:
            continue
        done.add(to)
        obj = env.path("datastore", to)
        if not _visible(env, to, ctx.dst):
            ctx.add("ST5", obj, host=ctx.dst, datastore=to)
        elif not _writable(env, to, ctx.dst):
            ctx.add("ST6", obj, host=ctx.dst, datastore=to)
        if env.datastore(to).maintenance_mode:
            ctx.add("ST8", obj, datastore=to)
    for to, need in space_needed_gib(env, v.name, p.file_moves).items():
        free = env.datastore(to).free_gib
        if need > free:
            ctx.add("ST7", env.path("datastore", to), datastore=to, free_gib=f"{free:g}",
                    need_gib=f"{need:g}")
    if ctx.live and p.changes_storage and not p.changes_host:
        for what, src, _to in p.file_moves:  # Storage vMotion: the host reads the source itself
            if not _visible(env, src, ctx.src):
                ctx.add("ST5", env.path("datastore", src), host=ctx.src, datastore=src)


def check(ctx):
    """Storage rules for ``ctx``."""
    p = ctx.plan
    if p.changes_host:
        _stays_reachable(ctx)
        _swap(ctx)
    if p.changes_storage:
        _targets(ctx)
