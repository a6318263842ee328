"""The rule catalogue: one :class:`Rule` per checkable prerequisite, and the :class:`Finding` it yields.

Every rule of the fact sheet's §2 tables (host H*, VM V*, network N*, storage ST*), the vCenter
(VC*) and licence (L*) notes and the §3 limits (LM*) has one record here with its code, the
severity, the message (``{placeholders}`` are filled with inventory names), a fix
that teaches, the source (KB or doc) and whether vCenter's own pre-check reports it
(``vcenter_checks=False``: the simulator flags it, vCenter would pass it and the migration would
fail or misbehave later). The checks in the family modules only decide *whether* a rule fires;
the wording lives here and nowhere else.

A simulator-only error that vCenter would let start also says *how the run ends*
(``fails_at``, ``fails_at_percent``, ``runtime_message``, ``runtime_source``): the stage of the
task in which it stops (one of :data:`LATE_STAGES`), the task progress the fact sheet gives for
that symptom (None where it gives no figure), and the error text the task reports.
:func:`vmotion_core.migration.migrate` reads these; nothing else hard-codes them.

Codes: a rule's ``code`` is the vSphere API fault type (``vim.fault.*``) for its condition
wherever the API has one that fits (``fault_documented=True``; tests/compat/test_api_faults.py
checks every code against pyVmomi's type registry, both ways). Where the API has none, the code is
the simulator's own CamelCase name and the source says why no API fault fits ("simulator's name,
no vSphere API fault: ...").

Messages quote vCenter/ESXi text where the fact sheet (vmotion-facts.md §2, §5) gives it: the
"Unable to migrate from ..." CPU, device and vMotion-interface texts (H1, H6, H7, V1, V2), the API
fault descriptions (H3, H4, H5, V3, V5, V7, V8, ST1, ST3), the V12, network (N6, N6w), vSPC (V4),
check timeout (VC3) and switchover (LM4) texts; a trailing parenthesis adds the simulator's names,
and the source says where the wording was seen ("wording: ..." or "(wording)"). Every other
message is the simulator's own sentence in the same style, not quoted product output.

Example
-------
>>> from vmotion_core.compat.rules import RULES
>>> RULES["H1"].code
'VMotionNotConfigured'
>>> f = RULES["H4"].finding("hosts/esx-02", src="esx-01", dst="esx-02")
>>> f.severity, f.code
('error', 'VMotionNotLicensed')
"""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass

__all__ = ["Rule", "Finding", "RULES", "rule", "SEVERITIES", "FAMILIES", "LATE_STAGES"]

SEVERITIES = ("error", "warning")
FAMILIES = ("host", "vm", "network", "storage", "vcenter", "license", "limits")
#: Where a migration that passed vCenter's pre-check can still stop (key -> wording for people).
LATE_STAGES = {
    "vmotion-transfer": "vMotion data transfer",  # first data over the vMotion network
    "nfc-copy": "NFC file copy",                   # cold/provisioning copies over TCP 902
    "switchover": "switchover",                    # pre-copy could not get under the limit
}


@dataclass(frozen=True)
class Finding:
    """One result of a compatibility check (errors block the migration, warnings do not).

    Attributes
    ----------
    code : str
        vSphere API fault type (``VMotionNotConfigured``); for rules the API has no fault for,
        the simulator's own CamelCase name (see ``RULES[rule_id].fault_documented``).
    severity : str
        ``"error"`` or ``"warning"``.
    message : str
        vCenter's wording where the fact sheet quotes it, else the simulator's sentence (see the
        module docstring), with the names filled in.
    object : str
        Inventory path of the object at fault (``hosts/esx-02/vmknics/vmk1``).
    fix : str
        A hint that explains what to change and why.
    source : str
        KB article or document the rule comes from.
    rule_id : str
        Catalogue id (``H1``, ``N6``...).
    vcenter_checks : bool
        False when vCenter's pre-check would not report this (the simulator knows it will fail).
    """

    code: str
    severity: str
    message: str
    object: str
    fix: str
    source: str
    rule_id: str
    vcenter_checks: bool = True

    @property
    def is_error(self):
        return self.severity == "error"

    def to_dict(self):
        """JSON-safe dict with every field."""
        return asdict(self)

    def __str__(self):
        tag = "" if self.vcenter_checks else " [simulator-only]"
        return f"{self.severity.upper()} {self.code} ({self.rule_id}){tag}: {self.message}"


@dataclass(frozen=True)
class Rule:
    """A catalogue entry.

    ``severity`` applies to a powered-on VM; ``severity_off`` to a powered-off or suspended VM
    (per the MigrationFault severity rules of the fact sheet §2), ``None`` meaning the rule is not
    checked for such a VM. ``confidence`` is the fact sheet's mark (V, S). ``fault_documented``:
    True when ``code`` is a vSphere API fault type, False for the simulator's own name (the
    source then says why the API has none).

    Late failures (simulator-only errors that vCenter lets start): ``fails_at`` is a key of
    :data:`LATE_STAGES`; ``fails_at_percent`` the task progress at which the fact sheet says the
    task stops (None: no figure given); ``runtime_message`` the error the failed task reports
    (empty: the finding's own message, for rules that already quote the run-time text);
    ``runtime_source`` the KB or document of that text.
    """

    rule_id: str
    family: str
    title: str
    code: str
    severity: str
    message: str
    fix: str
    source: str
    vcenter_checks: bool = True
    severity_off: str | None = "same"
    fault_documented: bool = True
    confidence: str = "V"
    fails_at: str | None = None
    fails_at_percent: int | None = None
    runtime_message: str = ""
    runtime_source: str = ""

    @property
    def late_failure(self):
        """True when vCenter would start the migration and the run would stop later."""
        return self.fails_at is not None

    def placeholders(self):
        """Names the message and fix templates expect."""
        names = set()
        for text in (self.message, self.fix):
            names |= {f for _, f, _, _ in string.Formatter().parse(text) if f}
        return names

    def severity_for(self, powered_on=True):
        """Severity for a powered-on VM, or for a powered-off/suspended one (None: not checked)."""
        if powered_on:
            return self.severity
        return self.severity if self.severity_off == "same" else self.severity_off

    def finding(self, object, powered_on=True, severity=None, **names):
        """Build the :class:`Finding` with the templates filled from ``names``."""
        sev = severity or self.severity_for(powered_on) or self.severity
        if sev not in SEVERITIES:
            raise ValueError(f"severity: {sev!r} is not one of {SEVERITIES}")
        fmt = _Names(names)
        return Finding(code=self.code, severity=sev, message=self.message.format_map(fmt),
                       object=object, fix=self.fix.format_map(fmt), source=self.source,
                       rule_id=self.rule_id, vcenter_checks=self.vcenter_checks)

    def to_dict(self):
        return asdict(self)


class _Names(dict):
    """format_map mapping that shows a missing name as <name> instead of raising."""

    def __missing__(self, key):
        return f"<{key}>"


def _load():
    from . import _catalog_host, _catalog_network, _catalog_other, _catalog_vm
    table = {}
    for mod in (_catalog_host, _catalog_vm, _catalog_network, _catalog_other):
        for r in mod.RULES:
            if r.rule_id in table:
                raise RuntimeError(f"duplicate rule id {r.rule_id}")
            if r.family not in FAMILIES or r.severity not in SEVERITIES:
                raise RuntimeError(f"bad rule record {r.rule_id}")
            if r.fails_at is not None and (r.fails_at not in LATE_STAGES or r.vcenter_checks
                                           or r.severity != "error"):
                raise RuntimeError(f"bad late-failure record {r.rule_id}")
            table[r.rule_id] = r
    return table


RULES: dict[str, Rule] = _load()


def rule(rule_id):
    """Return the catalogue entry for ``rule_id`` (KeyError names the known ids)."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise KeyError(f"unknown rule id {rule_id!r}; known: {', '.join(RULES)}") from None
