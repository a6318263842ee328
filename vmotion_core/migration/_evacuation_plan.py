"""What an evacuation plan holds and how it prints (see :mod:`.evacuation`).

Not public on its own: import the classes from ``vmotion_core.migration.evacuation``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, fields

from .result import Outcome

__all__ = ["EvacuationMove", "EvacuationPlan"]


@dataclass(frozen=True)
class EvacuationMove(Outcome):
    """One VM of an evacuation: where it goes, in which wave, how long it takes.

    ``wave`` is 0-based (None when the VM cannot leave): in a plan of waves the wave it runs in,
    in a vCenter-scheduled plan (``EvacuationPlan.schedule == "slots"``) the moment it started
    (0: at once, 1: at the first freed slot, ...). ``start_s`` is when it started and
    ``queued_s`` how long vCenter kept it queued; ``concurrent`` is the number of migrations
    sharing the vMotion network when it started and ``share_gbps`` the goodput this one gets;
    ``duration_s`` is the engine's total migration time (pre-copy plus switchover).
    ``status`` is the move's :attr:`MigrationResult.status <vmotion_core.migration.MigrationResult>`
    (``ok``, ``blocked``, ``not-run``, ``failed-late``); ``failed_at`` (a
    :class:`~vmotion_core.migration.LateFailure`) is set when vCenter's pre-check would pass and
    start the move to ``target`` but the task would fail later (a simulator-only error, or the
    switchover limit); the VM stays on its host.
    """

    vm: str
    target: str | None
    wave: int | None
    status: str
    migration_type: str = ""
    memory_gib: float = 0.0
    concurrent: int = 0
    share_gbps: float = 0.0
    start_s: float = 0.0
    precopy_s: float = 0.0
    stun_ms: float = 0.0
    duration_s: float = 0.0
    findings: tuple = ()
    placement: str = ""
    problem: str = ""
    failed_at: object = None
    queued_s: float = 0.0

    @property
    def end_s(self):
        return self.start_s + self.duration_s

    @property
    def queued(self):
        """True when vCenter queued it until a slot freed."""
        return self.queued_s > 0

    def to_dict(self):
        """JSON-safe dict of every field, with ``ok`` and ``started``."""
        d = {k.name: getattr(self, k.name) for k in fields(self)
             if k.name not in ("findings", "failed_at")}
        d.update(findings=[f.to_dict() for f in self.findings], ok=self.ok, started=self.started,
                 failed_at=None if self.failed_at is None else self.failed_at.to_dict())
        return d


@dataclass(frozen=True)
class EvacuationPlan:
    """Result of :func:`plan_evacuation` / :func:`schedule_evacuation` (``schedule="slots"``:
    vCenter starts what the limits allow and queues the rest) or :func:`simulate_evacuation`
    (``schedule="waves"``: waves an operator starts one after the other, ``wave_s`` each)."""

    host: str | None
    targets: tuple
    moves: tuple
    wave_s: tuple
    environment: object
    seed: int = 0
    notes: tuple = ()
    schedule: str = "waves"

    @property
    def waves(self):
        """VM names per wave (per start moment in a slot schedule), in order."""
        n = 1 + max((m.wave for m in self.moves if m.wave is not None), default=-1)
        return tuple(tuple(m.vm for m in self.moves if m.wave == w) for w in range(n))

    @property
    def total_s(self):
        """Time until the last migration ends (a late failure holds the task until it fails)."""
        if self.schedule == "slots":
            return float(max((m.end_s for m in self.moves if m.started), default=0.0))
        return float(sum(self.wave_s))

    @property
    def queued(self):
        """Moves vCenter kept queued until a slot freed (slot schedule)."""
        return tuple(m for m in self.moves if m.queued)

    @property
    def longest_s(self):
        """The longest single migration (a lower bound of ``total_s``)."""
        return max((m.duration_s for m in self.moves if m.ok), default=0.0)

    @property
    def blocked(self):
        """Moves that cannot leave and that vCenter would not start (its pre-check refuses, or
        the simulator does not run it); see :attr:`late_failures` for the others."""
        return tuple(m for m in self.moves if m.status in ("blocked", "not-run"))

    @property
    def late_failures(self):
        """Moves vCenter would start that fail later (``failed_at`` says where)."""
        return tuple(m for m in self.moves if m.status == "failed-late")

    @property
    def problems(self):
        return tuple(m.problem for m in self.moves if m.problem)

    @property
    def ok(self):
        """True when every VM can leave the host within the planned waves."""
        return not self.problems

    def to_dict(self):
        return {"host": self.host, "targets": list(self.targets), "ok": self.ok,
                "total_s": self.total_s, "longest_s": self.longest_s,
                "waves": [list(w) for w in self.waves], "wave_s": list(self.wave_s),
                "moves": [m.to_dict() for m in self.moves],
                "blocked": [m.vm for m in self.blocked],
                "late_failures": [m.vm for m in self.late_failures],
                "problems": list(self.problems),
                "maintenance_mode": bool(self.host and self.environment.host(self.host)
                                         .maintenance_mode),
                "notes": list(self.notes), "seed": self.seed, "schedule": self.schedule,
                "queued": [m.vm for m in self.queued]}

    def _head(self):
        cols = ("VM", "target", "type", "GiB", "Gbit/s each", "pre-copy s", "stun ms", "time s")
        return ("start s", *cols, "ends s") if self.schedule == "slots" else ("wave", *cols)

    def _rows(self):
        """Table rows of the moves that leave, in the order they start (a wave starts when the
        one before it ended)."""
        slots = self.schedule == "slots"
        for m in sorted((m for m in self.moves if m.ok), key=lambda m: (m.start_s, m.wave)):
            first = f"{m.start_s:.1f}" + (" (queued)" if m.queued else "") if slots else \
                str(m.wave + 1)
            yield (first, m.vm, m.target, m.migration_type, f"{m.memory_gib:g}",
                   *((f"{m.share_gbps:.2f}", f"{m.precopy_s:.1f}", f"{m.stun_ms:.0f}")
                     if m.concurrent else ("-", "-", "-")),
                   f"{m.duration_s:.1f}", *((f"{m.end_s:.1f}",) if slots else ()))

    def _head_line(self):
        left = sum(m.ok for m in self.moves)
        where = f"{self.host} -> {', '.join(self.targets)}" if self.host else "plan"
        how = (f"{len(self.wave_s)} wave(s)" if self.schedule != "slots" else
               f"{len(self.queued)} queued until a slot freed" if self.queued else
               "all started at once")
        return (f"Evacuate {where}: {left} of {len(self.moves)} VM(s) can leave ({how}), "
                f"{self.total_s:.1f} s" + ("" if self.ok else f"; {len(self.problems)} problem(s)"))

    def __str__(self):
        rows = [self._head(), *self._rows()]
        widths = [max(map(len, col)) for col in zip(*rows)]
        lines = [self._head_line()]
        lines += ["  " + "  ".join(c.ljust(w) if i in (1, 2, 3) else c.rjust(w)
                                   for i, (c, w) in enumerate(zip(r, widths))).rstrip()
                  for r in rows]
        lines += [f"  wave {i + 1}: {s:.1f} s" for i, s in enumerate(self.wave_s)]
        if self.schedule == "slots" and self.queued:
            lines.append("  vCenter started what the limits on simultaneous migrations allow and "
                         "queued the rest; each queued one started when a running one ended")
        for m in self.blocked:
            lines.append(f"  BLOCKED {m.vm}: {m.problem}")
            lines += [f"    {f}" for f in m.findings if f.severity == "error"][:3]
        for m in self.late_failures:
            lines.append(f"  STARTED, THEN FAILED {m.vm}: {m.problem}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def _repr_html_(self):
        esc = html.escape
        head = "".join(f"<th>{esc(h)}</th>" for h in self._head())
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>"
                       for r in self._rows())
        blocked, late = ("".join(f"<li><b>{esc(m.vm)}</b>: {esc(m.problem)}</li>" for m in ms)
                         for ms in (self.blocked, self.late_failures))
        notes = "".join(f"<li>{esc(n)}</li>" for n in self.notes)
        return (f"<div class='vmotion-evacuation'><p>{esc(self._head_line())}</p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                + (f"<p>Blocked:</p><ul>{blocked}</ul>" if blocked else "")
                + (f"<p>Started, then failed:</p><ul>{late}</ul>" if late else "")
                + (f"<ul>{notes}</ul>" if notes else "") + "</div>")
