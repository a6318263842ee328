"""What a rule and a finding are: the :class:`Rule` record every catalogue entry is, and the
:class:`Finding` a fired rule yields (see :mod:`.rules` for the catalogue itself).

This module imports nothing of the package, so the catalogue modules (``_catalog_*``) can build
their records from it and :mod:`.rules` can import them at the top: no import cycle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Rule", "Finding", "SEVERITIES", "FAMILIES", "LATE_STAGES"]

SEVERITIES = ("error", "warning")
FAMILIES = ("host", "vm", "network", "storage", "vcenter", "license", "limits")
#: Where a migration that passed vCenter's pre-check can still stop (key -> wording for people).
LATE_STAGES = {
    "vmotion-transfer": "vMotion data transfer",  # first data over the vMotion network
    "nfc-copy": "NFC file copy",                   # cold/provisioning copies over TCP 902
    "switchover": "switchover",                    # pre-copy could not get under the limit
}
#: vCenter's lead-in of the "Unable to migrate from ..." messages (fact sheet §2).
UNABLE = "Unable to migrate from {src} to {dst}: "


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
        :mod:`.rules` docstring), with the names filled in.
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

    def severity_for(self, powered_on=True):
        """Severity for a powered-on VM, or for a powered-off/suspended one (None: not checked)."""
        return self.severity if powered_on or self.severity_off == "same" else self.severity_off

    def finding(self, object, powered_on=True, severity=None, **names):
        """Build the :class:`Finding` with the templates filled from ``names``."""
        sev = severity or self.severity_for(powered_on) or self.severity
        if sev not in SEVERITIES:
            raise ValueError(f"severity: {sev!r} is not one of {SEVERITIES}")
        fmt = _Names(names)
        return Finding(code=self.code, severity=sev, message=self.message.format_map(fmt),
                       object=object, fix=self.fix.format_map(fmt), source=self.source,
                       rule_id=self.rule_id, vcenter_checks=self.vcenter_checks)


class _Names(dict):
    """format_map mapping that shows a missing name as <name> instead of raising."""

    def __missing__(self, key):
        return f"<{key}>"
