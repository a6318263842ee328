"""Licence rules L1-L3 (fact sheet §2.6); the vMotion licence on both hosts is H4.

Edition contents follow the inventory's catalogue (6.7-era packaging, a secondary source).
"""

from __future__ import annotations

__all__ = ["check", "require_feature"]


def require_feature(ctx, rule, feature, hosts, **names):
    """Record ``rule`` for each of ``hosts`` whose licence lacks ``feature`` (also H4's check)."""
    env = ctx.env
    for h in hosts:
        lic = env.host_license(h)
        if feature not in lic.feature_set:
            ctx.add(rule, env.path("host", h), host=h, edition=lic.edition, **names)


def check(ctx):
    """Licence rules for ``ctx``, for running VMs only: the fact sheet lists licensing errors
    under powered-on VMs (MigrationFault [S38a]); skipping them for cold and suspended moves is
    the simulator's reading, not a documented licence rule."""
    p = ctx.plan
    if not p.live:
        return
    if p.changes_storage and not p.changes_host:
        require_feature(ctx, "L1", "storage-vmotion", (ctx.src,))
    if p.changes_host and p.cross_vcenter:
        require_feature(ctx, "L2", "cross-vcenter-vmotion", (ctx.src, ctx.dst))
    if p.changes_host and p.long_distance:
        rtt = "unknown" if p.rtt_ms is None else f"{p.rtt_ms:g}"
        require_feature(ctx, "L3", "long-distance-vmotion", (ctx.src, ctx.dst), rtt_ms=rtt)
