"""What a pre-copy simulation returns: one record per round and the totals.

Both are frozen dataclasses; ``to_dict()`` gives plain JSON types (the CLI prints it with
``--json``), ``str()`` a text table and ``_repr_html_()`` an HTML table for notebooks.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, fields

import numpy as np

from ..units import format_duration, format_rate, format_size
from .stun import stun_note

__all__ = ["RoundRecord", "PrecopyResult"]

# shown when rounds were too big for the page-level bitmap (engine.py, _regions.py)
REGION_NOTE = ("{n} of {total} rounds counted per memory region, not page by page (too big for "
               "the page bitmap): the same model in distribution")

_PLAIN = {"int": int, "float": float, "str": str}


@dataclass(frozen=True)
class RoundRecord:
    """One pre-copy round: the pages sent while the guest kept writing.

    Attributes
    ----------
    index : int
        0 for the full first copy, then 1, 2, ...
    start_s, duration_s : float
        When the round started (since the migration began) and how long it took.
    pages_sent, bytes_sent : int
        The round's send set (all memory in round 0; the pages written during the previous
        round afterwards).
    page_writes : int
        Guest page writes during the round (after any throttle).
    pages_dirtied : int
        Distinct pages those writes dirtied: the next round's send set.
    throttle : float
        Fraction of time the guest's vCPUs were held back (SDPS or auto-converge), 0..0.99.
    detail : str
        ``"pages"``: the writes were replayed page by page on the dirty bitmap; ``"regions"``:
        the round was too big for that (very large VMs or write counts), so its dirty pages
        were counted per memory region, the same model in distribution (engine.py).
    """

    index: int
    start_s: float
    duration_s: float
    pages_sent: int
    bytes_sent: int
    page_writes: int
    pages_dirtied: int
    throttle: float = 0.0
    detail: str = "pages"

    @property
    def end_s(self):
        return self.start_s + self.duration_s

    def to_dict(self):
        # each value as the plain Python type its annotation names (the kernels give NumPy ints)
        return {f.name: _PLAIN[f.type](getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class PrecopyResult:
    """Outcome of one simulated memory migration.

    Attributes
    ----------
    outcome : str
        ``"switched-over"`` (the VM runs on the destination) or ``"failed"`` (it stays on the
        source).
    converged : bool
        Pre-copy met the policy's own stop rule (vmotion: goal; qemu: downtime limit; xen: fewer
        than ``min_pages`` sent) instead of being forced to stop by a cap.
    stop_reason : str
        A sentence saying why pre-copy ended.
    rounds : tuple of RoundRecord
        The pre-copy rounds (the stop-and-copy transfer is ``final_pages`` + checkpoint).
    precopy_s, downtime_ms, total_time_s : float
        Pre-copy duration; stun time (0 when failed: the VM never stopped); both together.
    bytes_sent, page_writes : int
        All bytes over the link (rounds + final pages + checkpoint) and all guest page writes.
    final_pages, final_bytes : int
        Last dirty pages sent while stunned, and those plus the checkpoint (0 when failed).
    switchover_s : float
        Time the switchover took or, on failure, would have taken.
    heatmap : numpy.ndarray or None
        Per memory cell (at most 65,536), the last round that dirtied it (-1 = never); each cell
        covers ``heatmap_cell_pages`` pages.
    """

    config: object
    policy: str
    backend: str
    outcome: str
    converged: bool
    stop_reason: str
    rounds: tuple
    precopy_s: float
    downtime_ms: float
    total_time_s: float
    bytes_sent: int
    page_writes: int
    final_pages: int
    final_bytes: int
    switchover_s: float
    effective_bps: float
    heatmap: np.ndarray | None = field(default=None, repr=False, compare=False)
    heatmap_cell_pages: int = 1

    @property
    def n_rounds(self):
        return len(self.rounds)

    @property
    def max_throttle(self):
        return max((r.throttle for r in self.rounds), default=0.0)

    @property
    def ok(self):
        return self.outcome == "switched-over"

    @property
    def stun_note(self):
        """What a stun above the vMotion switchover goal means for users (see :mod:`.stun`).

        "" when the run failed, is not the vmotion policy, or converged: then its last transfer
        fitted the goal (KB 436882's sense), even if resuming adds a few ms to the stun."""
        pol = self.config.policy
        if not self.ok or pol.name != "vmotion" or self.converged:
            return ""
        return stun_note(self.downtime_ms, pol.goal_ms, pol.max_switchover_s)

    def to_dict(self):
        """All totals, the per-round records and the config as plain JSON types."""
        d = {"outcome": self.outcome, "converged": bool(self.converged),
             "stop_reason": self.stop_reason, "policy": self.policy, "backend": self.backend,
             "n_rounds": self.n_rounds, "total_time_s": float(self.total_time_s),
             "precopy_s": float(self.precopy_s), "downtime_ms": float(self.downtime_ms),
             "switchover_s": float(self.switchover_s), "bytes_sent": int(self.bytes_sent),
             "page_writes": int(self.page_writes), "final_pages": int(self.final_pages),
             "final_bytes": int(self.final_bytes), "effective_bps": float(self.effective_bps),
             "max_throttle": float(self.max_throttle),
             "rounds": [r.to_dict() for r in self.rounds],
             "config": self.config.to_dict()}
        if self.heatmap is not None:
            d["heatmap"] = self.heatmap.tolist()
            d["heatmap_cell_pages"] = int(self.heatmap_cell_pages)
        return d

    def _summary(self):
        forced = " (forced: the stop rule was not met)" if self.ok and not self.converged else ""
        return [("outcome", self.outcome + forced),
                ("policy", self.policy), ("rounds", str(self.n_rounds)),
                ("pre-copy", format_duration(self.precopy_s)),
                ("downtime (stun)", f"{self.downtime_ms:.1f} ms"),
                ("total time", format_duration(self.total_time_s)),
                ("data sent", format_size(self.bytes_sent)),
                ("link (effective)", format_rate(self.effective_bps)),
                ("max throttle", f"{self.max_throttle:.0%}"),
                ("backend", self.backend), ("stop reason", self.stop_reason)] + self._detail() + (
                    [("switchover goal", self.stun_note)] if self.stun_note else [])

    def _detail(self):
        n = sum(r.detail == "regions" for r in self.rounds)
        return [("detail", REGION_NOTE.format(n=n, total=self.n_rounds))] if n else []

    _HEAD = ("round", "start", "duration", "sent", "page writes", "dirtied", "throttle")

    def _rows(self, limit=40):
        rows = self.rounds if len(self.rounds) <= limit else (
            self.rounds[:limit // 2] + (None,) + self.rounds[-limit // 2:])
        for r in rows:
            if r is None:
                yield ("...",) * len(self._HEAD)
                continue
            yield (str(r.index), format_duration(r.start_s), format_duration(r.duration_s),
                   format_size(r.bytes_sent), f"{r.page_writes:,}", f"{r.pages_dirtied:,}",
                   f"{r.throttle:.0%}")

    def __str__(self):
        key_w = max(len(k) for k, _ in self._summary())
        lines = [f"{k:<{key_w}}  {v}" for k, v in self._summary()]
        rows = [self._HEAD] + list(self._rows())
        widths = [max(len(row[i]) for row in rows) for i in range(len(self._HEAD))]
        lines += [""] + ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in rows]
        if self.final_bytes:
            lines.append(f"{'stun':>{widths[0]}}  final {self.final_pages:,} pages + checkpoint = "
                         f"{format_size(self.final_bytes)} in {self.switchover_s * 1000:.1f} ms")
        return "\n".join(lines)

    def _repr_html_(self):
        esc = html.escape
        summary = "".join(f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(v)}</td></tr>"
                          for k, v in self._summary())
        head = "".join(f"<th>{esc(h)}</th>" for h in self._HEAD)
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                       for row in self._rows())
        return (f"<div class='vmotion-precopy'><table>{summary}</table>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
