"""Write the compatibility-rule catalogue page from ``vmotion_core.compat.RULES``. Not public.

Every field comes from the rule records; nothing is retyped. Required per rule: fault code,
severity, message, fix and source; a rule without one of them stops the build with its id.
"""

import importlib
import re
from pathlib import Path

REQUIRED = ("code", "severity", "message", "fix", "source")
_FAMILY_TITLES = {
    "host": "Hosts", "vm": "Virtual machines", "network": "Networking", "storage": "Storage",
    "vcenter": "vCenter Server", "license": "Licensing", "limits": "Limits and concurrency",
}


def md_text(text):
    """Escape Markdown/HTML specials so a rule's wording shows exactly as written."""
    return re.sub(r"([\\*_\[\]<>|#])", r"\\\1", str(text)).replace("\n", " ")


def _field(rule, name, default=None):
    if isinstance(rule, dict):
        return rule.get(name, default)
    return getattr(rule, name, default)


def _load_rules():
    try:
        compat = importlib.import_module("vmotion_core.compat")
    except ModuleNotFoundError:
        return None
    rules = getattr(compat, "RULES", None)
    if rules is None:
        return None
    items = list(rules.items()) if isinstance(rules, dict) else \
        [(_field(r, "rule_id") or _field(r, "code"), r) for r in rules]
    for key, r in items:
        absent = [f for f in REQUIRED if _field(r, f) in (None, "")]
        if absent:
            raise SystemExit(f"rules: rule {key} has no {', '.join(absent)}; the catalogue "
                             "needs code, severity, message, fix and source for every rule")
    return items


def _source_md(source):
    # Sources are KB numbers or document titles, sometimes with a URL: keep URLs clickable.
    parts = re.split(r"(https?://\S+)", str(source))
    return "".join(p if p.startswith("http") else md_text(p) for p in parts)


def _severity(rule):
    sev = _field(rule, "severity")
    off = _field(rule, "severity_off", "same")
    if off in ("same", sev):
        return f"`{sev}`"
    if off is None:
        return f"`{sev}` (powered-on VMs only; not checked for powered-off or suspended VMs)"
    return f"`{sev}` for a powered-on VM, `{off}` for a powered-off or suspended VM"


def _api_fault(rule):
    return bool(_field(rule, "fault_documented", True))


def _code_row(rule):
    code = _field(rule, "code")
    if _api_fault(rule):
        return f"`{code}`, a vSphere API fault type (`vim.fault.{code}`)"
    return (f"`{code}`, the simulator's own name: the vSphere API has no fault for this "
            "(the source says why)")


def _rule_section(key, rule, lines):
    title = _field(rule, "title") or _field(rule, "code")
    vc = _field(rule, "vcenter_checks", True)
    lines += [f"(rule-{str(key).lower()})=", f"### {key}: {md_text(title)}", ""]
    rows = [
        ("Fault code", _code_row(rule)),
        ("Severity", _severity(rule)),
        ("Message", md_text(_field(rule, "message"))),
        ("Fix", md_text(_field(rule, "fix"))),
        ("Source", _source_md(_field(rule, "source"))),
        ("vCenter pre-check", "reports it" if vc else
         "**does not report it**: the simulator flags it; in vSphere the migration would pass "
         "the check and fail or misbehave later"),
    ]
    conf = _field(rule, "confidence")
    if conf:
        rows.append(("Confidence", {"V": "verified in the cited source",
                                    "S": "stated by a secondary source"}.get(conf, md_text(conf))))
    lines += [f"{name}\n: {value}\n" for name, value in rows]


def write_rules_page(path):
    """Write the catalogue to ``path``; return the number of rules, or None if RULES is absent."""
    items = _load_rules()
    if items is None:
        return None
    families = {}
    for key, r in items:
        families.setdefault(_field(r, "family") or "other", []).append((key, r))
    n_err = sum(1 for _, r in items if _field(r, "severity") == "error")
    n_sim = sum(1 for _, r in items if not _field(r, "vcenter_checks", True))
    api_codes = sorted({_field(r, "code") for _, r in items if _api_fault(r)})
    own_codes = sorted({_field(r, "code") for _, r in items if not _api_fault(r)})
    lines = [
        "# Compatibility rule catalogue",
        "",
        f"Every check the simulator runs before a migration: **{len(items)} rules**, "
        f"{n_err} of them errors (they block the migration) and {len(items) - n_err} warnings. "
        f"{n_sim} rules are *simulator-only*: vCenter's own pre-check would not report them, "
        "but the migration would fail or misbehave later.",
        "",
        f"Fault codes: {len(api_codes)} distinct codes are **vSphere API fault types**, the names "
        "vCenter puts in a failed task, an event or an API error (`vim.fault.*`); the tests check "
        "each against VMware's own SDK, pyVmomi. The other "
        f"{len(own_codes)} are the **simulator's own names**, for conditions the API has no fault "
        "for (often because vCenter's pre-check never tests them), marked *(simulator's name)* "
        "below; each rule's source says why. See *fault* in the "
        "[glossary](../course/glossary.md).",
        "",
        "This page is generated at build time from `vmotion_core.compat.RULES`, the same records "
        "that `check_migration()`, the labs and `vmotion check` use. Words in `{braces}` are "
        "filled with inventory names when a rule fires.",
        "",
        "```python",
        "from vmotion_core.compat import RULES",
        f"RULES[{items[0][0]!r}].code    # {_field(items[0][1], 'code')!r}",
        "```",
        "",
        "## Overview",
        "",
        "| Rule | Fault code | Severity | What it checks | vCenter pre-check |",
        "|---|---|---|---|---|",
    ]
    for key, r in items:
        vc = "yes" if _field(r, "vcenter_checks", True) else "**no**"
        own = "" if _api_fault(r) else " *(simulator's name)*"
        lines.append(f"| {{ref}}`{key} <rule-{str(key).lower()}>` | `{_field(r, 'code')}`{own} | "
                     f"{_field(r, 'severity')} | {md_text(_field(r, 'title') or '')} | {vc} |")
    lines.append("")
    order = [f for f in _FAMILY_TITLES if f in families] + \
        [f for f in families if f not in _FAMILY_TITLES]
    for fam in order:
        lines += [f"## {_FAMILY_TITLES.get(fam, str(fam).title())}", ""]
        for key, r in families[fam]:
            _rule_section(key, r, lines)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    tmp.replace(path)
    return len(items)
