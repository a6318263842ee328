"""vCenter rules VC1-VC6 (fact sheet §2.5, §1.6, §1.7): cross-vCenter prerequisites of the path
the plan names (linked mode, Advanced Cross vCenter vMotion, or none in the vSphere Client) and
the host versions each migration type needs.

Clock skew (VC3) is flagged above :data:`MAX_CLOCK_SKEW_S` seconds between the two vCenters; the
fact sheet only says "time-synchronized", so the threshold is a simulator assumption.

Encrypted VMs across vCenters (VC4): the fact sheet has two points only, "not supported" in 6.5
and "supported" in the 8.0 docs. The simulator blocks vCenters before 7.0 (so 6.5 and 6.7);
treating 6.7 as unsupported and 7.0 as supported is its assumption, not a documented boundary.
"""

from __future__ import annotations

from ..inventory.products import version_tuple as _v

__all__ = ["check", "MAX_CLOCK_SKEW_S", "ACVM_MIN_VERSION"]

MAX_CLOCK_SKEW_S = 60.0
#: ACVM works only between vCenter and ESXi 6.5 or later, never 6.0 (fact sheet §1.7 [S16b]).
ACVM_MIN_VERSION = (6, 5, 0, "")


def _cross(ctx):
    """The requirements of the path the plan names (``plan.cross_vcenter_path``): linked mode
    (VC2: versions), ACVM (VC6: both vCenters 6.5+), or none in the vSphere Client (VC1)."""
    env, p, v = ctx.env, ctx.plan, ctx.vm
    s, d = env.vcenter(p.source_vcenter), env.vcenter(p.target_vcenter)
    obj = env.path("vcenter", d.name)
    path = p.cross_vcenter_path
    linked = path == "linked-mode"
    if path == "api":
        reason = (f"it is in SSO domain '{d.sso_domain}', the source in '{s.sso_domain}'"
                  if s.sso_domain != d.sso_domain else
                  "the two vCenters are not both in Enhanced Linked Mode")
        ctx.add("VC1", obj, src_vc=s.name, dst_vc=d.name,
                reason=reason + ", and neither runs 7.0 U1c or later (Advanced Cross vCenter "
                                "vMotion)")
    elif path == "acvm":
        low = [x for x in (s, d) if _v(x.version) < ACVM_MIN_VERSION]
        if low:
            ctx.add("VC6", obj, src_vc=s.name, dst_vc=d.name, low_vc=low[0].name,
                    version=low[0].version)
    if linked:
        low = [x for x in (s, d) if _v(x.version) < (6, 0, 0, "")]
        if low or _v(s.version)[:2] != _v(d.version)[:2]:
            reason = (f"{low[0].name} is older than 6.0" if low
                      else "the vCenters run different versions")
            ctx.add("VC2", obj, src_vc=s.name, dst_vc=d.name, src_version=s.version,
                    dst_version=d.version, reason=reason)
    blocked = [h for h in (ctx.src, ctx.dst) if 902 in env.host(h).blocked_tcp_ports]
    skew = abs(s.time_offset_s - d.time_offset_s)
    if blocked:
        ctx.add("VC3", env.path("host", blocked[0]),
                hint=f"TCP 902 (NFC) is blocked on {blocked[0]}; open it between the hosts.")
    elif skew > MAX_CLOCK_SKEW_S:
        ctx.add("VC3", obj, hint=f"The clocks of {s.name} and {d.name} differ by {skew:g} s; "
                                 "SSO tokens need time-synchronised vCenters. Fix NTP on both.")
    if v.encrypted and min(_v(s.version), _v(d.version)) < (7, 0, 0, ""):
        ctx.add("VC4", env.path("vm", v.name), version=min((s.version, d.version), key=_v))
    _hosts_at_least(ctx, "6.0" if linked else "6.5", "cross-vCenter migration")


def _hosts_at_least(ctx, needed, kind):
    """VC5 for each host older than ESXi ``needed`` that a migration of ``kind`` requires."""
    for h in (ctx.src, ctx.dst):
        ver = ctx.env.host(h).version
        if _v(ver) < _v(needed):
            ctx.add("VC5", ctx.env.path("host", h), host=h, version=ver, kind=kind, needed=needed)


def check(ctx):
    """vCenter rules for ``ctx``."""
    p = ctx.plan
    if p.cross_vcenter:
        _cross(ctx)
    if p.live and p.changes_host and p.changes_storage:
        _hosts_at_least(ctx, "5.1", "vMotion without shared storage")
