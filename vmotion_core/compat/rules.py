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

from . import _catalog_host, _catalog_network, _catalog_other, _catalog_vm
from .record import FAMILIES, LATE_STAGES, SEVERITIES, Finding, Rule

__all__ = ["Rule", "Finding", "RULES", "SEVERITIES", "FAMILIES", "LATE_STAGES"]


def _load():
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
