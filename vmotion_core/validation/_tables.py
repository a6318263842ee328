"""Expected values of the table cases V1-V4, V9 and V10 (precopy-models.md §9, §8.5), as Checks.

Transcribed once from the note; every number is kept as printed, so its tolerance is half a unit
of the last printed digit plus page rounding (``expectation.printed``).
"""

from __future__ import annotations

from ..units import GiB, MiB
from .expectation import Expectation as Expect, printed
from .configs import FLUID_BPS, PAGE_BYTES

_PAGE_S = PAGE_BYTES / FLUID_BPS


def _num(point, quantity, text, unit, per_page, pages, mark="[D]", why=None, scale=1.0):
    """Check a simulator value against a printed table value, to page rounding."""
    value, half = printed(text)
    value, half = value * scale, half * scale
    if value == 0:
        half = 0.0  # a printed 0 is an exact zero in these tables (no dirtying, nothing left)
    return Expect(point, quantity, value, unit=unit, abs_tol=half + pages * per_page, mark=mark,
                  why=why or f"half a unit of the printed value + {pages} page(s) of rounding")


def _lam(lam):
    return f"λ={lam:g}"


# --- V1: geometric series -------------------------------------------------------------------
# λ -> (n, total bytes, total time s, downtime ms), §9 V1
_V1 = {0.0: (0, "1073741824", "8.590", "0"), 0.1: (4, "1193034541", "9.544", "0.86"),
       0.5: (13, "2147352576", "17.179", "1.05"), 0.9: (82, "10735708114", "85.886", "1.5")}


def _v1():
    points, expects = [], []
    for lam, (n, total, t, down) in _V1.items():
        p = _lam(lam)
        points.append((p, {"lam": lam}))
        k = max(n, 1) + 1  # transfers: live rounds + stop-and-copy
        expects += [Expect(p, "live_rounds", max(n, 1), op="eq", mark="[D]",
                          why="n = index of the stop-and-copy round = live rounds (round 0 "
                              "always runs)"),
                   _num(p, "total_bytes", total, "B", PAGE_BYTES, k),
                   _num(p, "total_time_s", t, "s", _PAGE_S, k),
                   _num(p, "downtime_ms", down, "ms", _PAGE_S * 1e3, 1)]
        if 0 < lam < 1:
            expects.append(Expect(p, "ceil(ln(V_th/M)/ln λ)", n, op="eq", why="identity of §5.1"))
    expects.append(Expect("λ=0", "round0_s", 2**30 / FLUID_BPS, unit="s", abs_tol=1e-9,
                         why="T_round0 = M/B = 8.58993 s"))
    return tuple(points), tuple(expects)


# --- V2: Xen legacy rules -------------------------------------------------------------------
# λ -> (iterations incl. last, total GiB, total time s, downtime ms, rule), §9 V2
_V2 = {0.1: (6, "1.111", "9.544", "0.09", "<50 pages"),
       0.3: (10, "1.429", "12.271", "0.17", "<50 pages"),
       0.5: (15, "2.000", "17.179", "0.52", "<50 pages"),
       0.7: (8, "3.141", "26.98", "707", ">3xRAM"),
       0.8: (6, "3.689", "31.69", "2.81", ">3xRAM"),
       0.9: (5, "4.095", "35.18", "5.64", ">3xRAM"),
       1.0: (5, "5.0", "42.95", "8.59", ">3xRAM"),
       1.5: (5, "5.0", "42.95", "8.59", ">3xRAM")}  # the table's row is "λ >= 1.0"


def _v2():
    points, expects = [], []
    for lam, (it, gib, t, down, rule) in _V2.items():
        p = _lam(lam)
        points.append((p, {"lam": lam}))
        scale = 1e3 if lam >= 0.8 else 1.0  # the table switches from ms to s at λ = 0.8
        expects += [Expect(p, "iterations", it, op="eq", why="live rounds + the final iteration"),
                   Expect(p, "rule", rule, op="eq", why="the first Xen rule that fires"),
                   _num(p, "total_gib", gib, "GiB", PAGE_BYTES / GiB, it + 1),
                   _num(p, "total_time_s", t, "s", _PAGE_S, it + 1),
                   _num(p, "downtime_ms", down, "ms", _PAGE_S * 1e3, 1, scale=scale)]
    return tuple(points), tuple(expects)


# --- V3: QEMU threshold ---------------------------------------------------------------------
_V3 = {0.0: (1, "1.000", "8.590", "0"), 0.1: (2, "1.110", "9.535", "86"),
       0.5: (5, "1.969", "16.911", "268"), 0.9: (32, "9.69", "83.24", "295"),
       0.99: (334, "96.6", "829", "299")}


def _v3():
    points, expects = [], []
    for lam, (rounds, gib, t, down) in _V3.items():
        p = _lam(lam)
        points.append((p, {"lam": lam}))
        expects += [Expect(p, "live_rounds", rounds, op="eq"),
                   Expect(p, "converged", True, op="eq"),
                   _num(p, "total_gib", gib, "GiB", PAGE_BYTES / GiB, rounds + 1),
                   _num(p, "total_time_s", t, "s", _PAGE_S, rounds + 1),
                   _num(p, "downtime_ms", down, "ms", _PAGE_S * 1e3, 1),
                   Expect(p, "downtime_ms", 300.0, op="le", unit="ms",
                          why="invariant: converged QEMU stays within downtime-limit")]
        if 0 < lam < 1:
            expects.append(Expect(p, "ceil(ln(B·d_max/M)/ln λ)", rounds, op="eq",
                                 why="the rounds column equals the closed form"))
    points.append(("λ=1", {"lam": 1.0, "max_time_s": 200.0}))
    expects += [Expect("λ=1", "converged", False, op="eq", why="never below the threshold"),
               Expect("λ=1", "outcome", "failed", op="eq",
                      why="QEMU has no round limit: cancelled at the time cap")]
    return tuple(points), tuple(expects)


# --- V4 / V10: SimGrid ----------------------------------------------------------------------
_V4 = {0.0: (0, "2.000", "17.180", "0"), 0.1: (2, "2.222", "19.087", "17"),
       0.3: (5, "2.857", "24.537", "12.5"), 0.5: (9, "3.998", "34.343", "16.8"),
       0.7: (17, "6.659", "57.201", "28"), 0.9: (60, "19.97", "171.55", "27.8")}
# (RAM MiB, intensity) -> (SimGrid time s, SimGrid downtime ms, stage-2 rounds of the re-impl)
_V10 = {(2048, 0.0): ("16.000000", "0", 0), (2048, 0.1): ("17.776000", "16.000", 2),
        (2048, 0.3): ("22.852144", "11.664", 5), (2048, 0.5): ("31.984375", "15.625", 9),
        (2048, 0.7): ("53.272539", "26.055", 17), (2048, 0.9): ("159.741228", "28.752", 59),
        (2048, 0.95): ("303.448334", "29.035", 121), (2048, 0.99): ("1453.050924", "29.785", 615),
        (1024, 0.0): ("8.000000", "0", 0), (1024, 0.1): ("8.888000", "8.000", 2),
        (1024, 0.3): ("11.420240", "19.440", 4), (1024, 0.5): ("15.984375", "15.625", 8),
        (1024, 0.7): ("26.604631", "26.586", 15), (1024, 0.9): ("79.756536", "27.051", 53),
        (1024, 0.95): ("151.434389", "29.768", 107), (1024, 0.99): ("725.050128", "29.795", 546)}


def _v4():
    points, expects = [], []
    for inten, (rounds, gib, t, down) in _V4.items():
        p = f"{inten:.0%}"
        points.append((p, {"ram_bytes": 2 * GiB, "speed_bps": 125e6, "intensity": inten}))
        expects += [Expect(p, "stage2_rounds", rounds, op="eq"),
                   _num(p, "total_gib", gib, "GiB", PAGE_BYTES / GiB, rounds + 2),
                   _num(p, "total_time_s", t, "s", _PAGE_S, rounds + 2),
                   _num(p, "downtime_ms", down, "ms", _PAGE_S * 1e3, 1)]
    return tuple(points), tuple(expects)


def _v10():
    points, expects = [], []
    speed = 128 * MiB
    for (ram, inten), (t, down, rounds) in _V10.items():
        p = f"{ram} MiB, {inten:.0%}"
        points.append((p, {"ram_bytes": ram * MiB, "speed_bps": speed, "intensity": inten}))
        expects += [_num(p, "total_time_s", t, "s", PAGE_BYTES / speed, rounds + 2, mark="[V]",
                        why="SimGrid 4.1 output (6 decimals) + page rounding per round"),
                   _num(p, "downtime_ms", down, "ms", PAGE_BYTES / speed * 1e3, 1, mark="[V]"),
                   Expect(p, "stage2_rounds", rounds, op="eq", mark="[D]",
                          why="rounds of the note's re-implementation (SimGrid prints none)")]
    p = "2048 MiB, 100%"
    points.append((p, {"ram_bytes": 2048 * MiB, "speed_bps": speed, "intensity": 1.0,
                       "max_time_s": 300.0}))
    expects.append(Expect(p, "converged", False, op="eq", mark="[V]",
                         why="SimGrid loops until its global timeout"))
    return tuple(points), tuple(expects)


# --- V9: SimGrid regression outputs ---------------------------------------------------------
_LV08_BPS = 8.158e6 * 0.97 / 1.05  # link 8 x LV08 factor / cross-traffic share (§9 V9, [D])


def _v9():
    points = (("teshsuite vm-live-migration", {"ram_bytes": 1.25e9, "speed_bps": 1.25e9}),
              ("cloud-migration 1e9 B", {"ram_bytes": 1e9, "speed_bps": _LV08_BPS}),
              ("cloud-migration 1e8 B", {"ram_bytes": 1e8, "speed_bps": _LV08_BPS}),
              ("cloud-migration 2 x 1e9 B, same PM",
               {"ram_bytes": 1e9, "speed_bps": _LV08_BPS, "concurrent": 2}))
    t0 = points[0][0]
    lv08 = ("SimGrid output; link modelled as 8.158 MB/s x 0.97 (LV08) / 1.05 (cross-traffic "
            "share), the note's own estimate, so ±1 %")
    expects = (Expect(t0, "total_time_s", 1.0, unit="s", abs_tol=0.5e-6 + PAGE_BYTES / 1.25e9,
                     mark="[V]", why="RAM / bandwidth, printed to 6 decimals + one page"),
              Expect(t0, "downtime_ms", 0.0, unit="ms", op="eq", mark="[V]",
                     why="no dirty pages: nothing is left for stage 3"),
              Expect(t0, "stage2_rounds", 0, op="eq", mark="[V]"),
              Expect(points[1][0], "total_time_s", 132.766, unit="s", rel_tol=0.01, mark="[V]",
                     why=lv08),
              Expect(points[2][0], "total_time_s", 13.346, unit="s", rel_tol=0.01, mark="[V]",
                     why=lv08),
              Expect(points[3][0], "total_time_s", 265.454, unit="s", rel_tol=0.01, mark="[V]",
                     why=lv08 + "; the two migrations share the link equally"))
    return points, expects
