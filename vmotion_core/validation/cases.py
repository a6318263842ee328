"""The validation cases V1-V13 of precopy-models.md §9: one record per case, the single source
of truth for the tests (tests/validation), the ``vmotion validate`` command and the fidelity page.

Each :class:`ValidationCase` carries its inputs (``points``: one parameter set per simulator run),
its expectations (:class:`~vmotion_core.validation.expectation.Expectation`, with tolerance and
confidence mark), its source and the note's caveats. :mod:`vmotion_core.validation.runner` measures.

Tolerances: V1-V4 and V10 compare a page-level simulator with fluid tables, so each number is
allowed half a unit of its printed last digit plus one page per transfer (page rounding).
[M] numbers (recalled from papers not fully available) are checked only as an order of magnitude
or not at all (``info``), as the note asks.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import UsageError
from . import _behaviour as _b
from . import _tables as _t

__all__ = ["ValidationCase", "CASES", "CASE_IDS", "get_case", "LEVELS"]

LEVELS = ("exact", "tolerance", "qualitative", "facts")


@dataclass(frozen=True)
class ValidationCase:
    """One validation case.

    Attributes
    ----------
    id, title : str
    source : str
        Where the expected numbers come from (section of the note and its primary source).
    mark : str
        Confidence mark of the case as a whole.
    level : {"exact", "tolerance", "qualitative", "facts"}
    points : tuple of (str, dict)
        Label and simulator inputs of each run.
    expectations : tuple of Expectation
        What the runs should show (``checks`` is the name before the rename).
    caveat : str
        What the case does not show, or how well its numbers are sourced.
    """

    id: str
    title: str
    source: str
    mark: str
    level: str
    points: tuple
    expectations: tuple
    caveat: str = ""

    @property
    def checks(self):
        """:attr:`expectations`, by its name before the rename."""
        return self.expectations

    def to_dict(self):
        return {"id": self.id, "title": self.title, "source": self.source, "mark": self.mark,
                "level": self.level, "caveat": self.caveat,
                "points": [{"point": p, "inputs": dict(v)} for p, v in self.points],
                "checks": [c.to_dict() for c in self.expectations]}

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {self.level!r}")
        labels = {p for p, _ in self.points}
        stray = sorted({c.point for c in self.expectations} - labels)
        if stray:
            raise ValueError(f"{self.id}: expectations name points that do not exist: {stray}")


_FLUID = ("Sweep workload (every write dirties a new page) with exact write counts: the page-level "
          "model of the fluid calculator, equal to page rounding.")

CASES = {c.id: c for c in (
    ValidationCase("V1", "Geometric series (closed form)",
        "precopy-models.md §9 V1, §5.1, Appendix A.1 (Clark 2005; Akoush 2010; Liu 2011)",
        "[D]", "exact", *_t._v1(),
        _FLUID + " Stop at V_th = 50 pages, expressed as a vmotion goal of 50 pages / B, SDPS "
        "off, no checkpoint, no resume time."),
    ValidationCase("V2", "Xen legacy stop rules (29 iterations / <50 pages / >3x RAM)",
        "precopy-models.md §9 V2, §3, Appendix A.2 (Xen xc_domain_save.c)", "[D]", "exact",
        *_t._v2(),
        _FLUID + " Xen's rate limiter (100 -> 500 Mbit/s) is not part of the table or the "
        "simulator."),
    ValidationCase("V3", "QEMU threshold (downtime-limit 300 ms, no auto-converge)",
        "precopy-models.md §9 V3, §7.2, Appendix A.3 (QEMU migration.c)", "[D]", "exact",
        *_t._v3(),
        _FLUID + " The threshold uses the bandwidth measured over the last round, not QEMU's "
        "100 ms windows; at a constant link rate the two are equal."),
    ValidationCase("V4", "SimGrid-like model at 125e6 B/s",
        "precopy-models.md §9 V4, §8, Appendix A.4", "[D]", "exact", *_t._v4(),
        "SimGrid-compatible configuration (vmotion_core.validation.configs.simgrid_config): "
        "qemu policy with a 30 ms downtime-limit, sweep at intensity x speed, 0.9 x RAM cap."),
    ValidationCase("V5", "Clark 2005: SPECweb99, 800 MB",
        "precopy-models.md §9 V5, §2.3 (Clark et al., NSDI 2005)", "[V]/[M]", "qualitative",
        *_b._v5(),
        "Calibration of the downtime composition: the inputs (writable working set 18.2 MB, "
        "≈720 Mbit/s effective, 9 ms resume) come from the paper's breakdown [M]. Only the "
        "210 ms downtime is [V]. The simulator has no rate-limited first round."),
    ValidationCase("V6", "Clark 2005: Quake 3 server, 64 MB", "precopy-models.md §9 V6, §2.3",
        "[V]/[M]", "qualitative", *_b._v6(),
        "The link rate is taken from the paper's final-round breakdown (148 KB in ≈20 ms, [M]); "
        "the point is that a fixed resume cost dominates a small VM's downtime."),
    ValidationCase("V7", "Clark 2005: static web server, 800 MB", "precopy-models.md §9 V7, §2.3",
        "[M]", "qualitative", *_b._v7(),
        "Only the first-round shape is checked. Xen's rate adaptation (dirty rate + 50 Mbit/s, "
        "max 500) is not modelled; the write rate (2 MiB/s) is an assumption for a server of "
        "static files."),
    ValidationCase("V8", "Clark 2005: diabolical writer (MMuncher)",
        "precopy-models.md §9 V8, §2.3", "[M]", "qualitative", *_b._v8(),
        "Qualitative only: the simulator must end via a cap or throttling, never loop. The "
        "writer (1 GiB/s over a 256 MiB region) is an assumption; the paper says only that it "
        "writes faster than the link."),
    ValidationCase("V9", "SimGrid regression outputs (teshsuite, cloud-migration)",
        "precopy-models.md §9 V9 (simgrid/simgrid teshsuite/s4u/vm-live-migration, "
        "examples/cpp/cloud-migration)", "[V]", "tolerance", *_t._v9(),
        "The teshsuite case is exact. The cloud-migration outputs test SimGrid's network "
        "model (LV08 factor, cross traffic); the simulator only has equal sharing, so the run "
        "with two VMs to different hosts (216.509 s / 265.436 s) is not modelled."),
    ValidationCase("V10", "SimGrid 4.1 runs with dirty pages",
        "precopy-models.md §9 V10, §8.5 (SimGrid 4.1, CM02, 128 MiB/s)", "[V]", "exact",
        *_t._v10(),
        "SimGrid-compatible configuration; times are SimGrid's own output, matched to page "
        "rounding."),
    ValidationCase("V11", "QEMU auto-converge throttle trajectory",
        "precopy-models.md §9 V11, §7.3 (QEMU ram.c, cpu-throttle.c)", "[V/D]", "exact",
        *_b._v11(),
        "Each pre-copy round here lasts >= 1 s, so one round is one sync period. The throttle "
        "is a run fraction; QEMU's 10 ms sleeps are not simulated, only their length is "
        "derived from the engine's throttle values."),
    ValidationCase("V12", "Uniform random writes: dirty-set saturation",
        "precopy-models.md §9 V12, §5.4", "[D]", "tolerance", *_b._v12(),
        "H = 262,144 pages (1 GiB), 100,000 writes/s; one seed per run."),
    ValidationCase("V13", "vMotion throughput and size facts", "precopy-models.md §9 V13, §6; "
        "vmotion-facts.md (KB 323379, KB 436882, KB 2141355)", "[V/D]", "facts", *_b._v13(),
        "Checks that the simulator's defaults carry the documented numbers; the 40 GbE "
        "measurements scatter around the single per-stream ceiling the model uses."),
)}
CASE_IDS = tuple(CASES)


def get_case(case_id):
    """Return the case with id ``case_id`` (case-insensitive, e.g. "v3").

    >>> get_case("v3").title
    'QEMU threshold (downtime-limit 300 ms, no auto-converge)'
    """
    key = str(case_id).strip().upper()
    if key not in CASES:
        raise UsageError(f"--case: unknown validation case {case_id!r}; choose from "
                         f"{', '.join(CASE_IDS)}")
    return CASES[key]
