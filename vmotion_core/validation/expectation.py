"""One expected number of a validation case, and how a measured value is judged against it.

An :class:`Expectation` says what to compare (``point`` and ``quantity``), the expected value,
the tolerance the source supports and the source's confidence mark (precopy-models.md: [V]
verified, [D] derived, [M] recalled from a paper that was not fully available, [P] stated in an
abstract). ``judge(measured)`` returns a :class:`Verdict`.

Tolerances follow the note: a table printed to ``k`` decimals is only known to half a unit of
its last digit (:func:`printed`), and a page-level simulator differs from a fluid model by at most
a page per transfer ("page rounding").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Expectation", "Verdict", "printed", "OPS", "MARKS"]

OPS = ("approx", "eq", "le", "ge", "range", "info")
MARKS = ("[V]", "[D]", "[V/D]", "[M]", "[P]", "[S]", "[U]")


def printed(text):
    """Return ``(value, half_unit)`` for a number as printed in a table.

    >>> printed("9.544")
    (9.544, 0.0005)
    >>> printed("17")
    (17.0, 0.5)
    """
    text = text.replace(",", "").strip()
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), 0.5 * 10.0 ** -decimals


@dataclass(frozen=True)
class Expectation:
    """An expectation: ``quantity`` at ``point`` should be ``expected`` within the tolerance.

    Parameters
    ----------
    point : str
        Which run of the case, e.g. ``"λ=0.5"`` or ``"2048 MiB, 50 %"``.
    quantity : str
        What is measured, e.g. ``"total_time_s"``; the runner returns values under this name.
    expected : float, int, bool, str or (lo, hi)
    op : {"approx", "eq", "le", "ge", "range", "info"}
        ``approx``: ``|m - e| <= abs_tol + rel_tol |e|``; ``eq``: equal; ``le``/``ge``:
        ``m <= e + abs_tol`` / ``m >= e - abs_tol``; ``range``: ``lo <= m <= hi``; ``info``:
        shown next to the measured value but not judged (a number the model does not claim).
    unit : str
    abs_tol, rel_tol : float
    mark : str
        Confidence mark of the expected value in precopy-models.md.
    why : str
        Where the tolerance comes from (shown with ``--json`` and in the fidelity page).

    Examples
    --------
    >>> Expectation("λ=0.5", "total_time_s", 17.179, abs_tol=0.001).judge(17.1795).passed
    True
    >>> Expectation("λ=0.5", "rounds", 5, op="eq").judge(6).status
    'FAIL'
    """

    point: str
    quantity: str
    expected: object
    op: str = "approx"
    unit: str = ""
    abs_tol: float = 0.0
    rel_tol: float = 0.0
    mark: str = "[D]"
    why: str = ""

    def __post_init__(self):
        if self.op not in OPS:
            raise ValueError(f"op must be one of {', '.join(OPS)}, got {self.op!r}")
        if self.mark not in MARKS:
            raise ValueError(f"mark must be one of {', '.join(MARKS)}, got {self.mark!r}")
        if self.op == "range" and not (isinstance(self.expected, tuple)
                                       and len(self.expected) == 2):
            raise ValueError("a range expectation needs expected=(lo, hi)")

    @property
    def name(self):
        return f"{self.point}: {self.quantity}" if self.point else self.quantity

    def tolerance_text(self):
        """The tolerance as a short phrase, e.g. ``±0.0012`` or ``±5 %`` or ``exact``."""
        fixed = {"eq": "exact", "info": "not judged", "range": "within range"}
        if self.op in fixed:
            return fixed[self.op]
        parts = []
        if self.abs_tol:
            parts.append(f"±{self.abs_tol:.3g}")
        if self.rel_tol:
            parts.append(f"±{self.rel_tol * 100:.3g} %")
        text = " + ".join(parts) or "0"
        return {"approx": text, "le": f"at most (+{text})" if parts else "at most",
                "ge": f"at least (-{text})" if parts else "at least"}[self.op]

    def judge(self, measured):
        """Compare ``measured`` with the expectation; return a :class:`Verdict`."""
        e, op = self.expected, self.op
        deviation = None
        if op == "info":
            return Verdict(self, measured, "info", _deviation(measured, e))
        if measured is None or (isinstance(measured, float) and math.isnan(measured)):
            return Verdict(self, measured, "FAIL", None)
        if op == "eq":
            ok = measured == e
        elif op == "range":
            lo, hi = e
            ok = lo <= measured <= hi
        else:
            deviation = _deviation(measured, e)
            slack = self.abs_tol + self.rel_tol * abs(e)
            if op == "approx":
                ok = abs(measured - e) <= slack + 1e-12 * max(1.0, abs(e))
            elif op == "le":
                ok = measured <= e + slack
            else:
                ok = measured >= e - slack
        return Verdict(self, measured, "pass" if ok else "FAIL", deviation)

    def to_dict(self):
        expected = list(self.expected) if isinstance(self.expected, tuple) else self.expected
        return {"point": self.point, "quantity": self.quantity, "expected": _json(expected),
                "op": self.op, "unit": self.unit, "abs_tol": self.abs_tol,
                "rel_tol": self.rel_tol, "tolerance": self.tolerance_text(), "mark": self.mark,
                "why": self.why}


def _deviation(measured, expected):
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool)
                  for v in (measured, expected))
    return float(measured) - float(expected) if numbers else None


def _json(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value


@dataclass(frozen=True)
class Verdict:
    """A judged expectation: the measured value, ``status`` ("pass", "FAIL" or "info") and the
    deviation from the expected value."""

    expectation: Expectation
    measured: object
    status: str
    deviation: float | None = None

    @property
    def check(self):
        """The judged :class:`Expectation` (its name before the rename)."""
        return self.expectation

    @property
    def passed(self):
        """True unless the expectation failed (an ``info`` row never fails)."""
        return self.status != "FAIL"

    def to_dict(self):
        d = self.expectation.to_dict()
        d.update(measured=_json(self.measured), status=self.status,
                 deviation=_json(self.deviation))
        return d
