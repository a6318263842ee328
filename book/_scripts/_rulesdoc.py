"""Write the compatibility-rule catalogue page from ``vmotion_core.compat.RULES``. Not public.

Every field comes from the rule records; nothing is retyped. Required per rule: fault code,
severity, message, fix and source; a rule without one of them stops the build with its id.
"""

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


def _load_rules():
    from vmotion_core.compat import RULES
    for key, r in RULES.items():
        absent = [f for f in REQUIRED if getattr(r, f) in (None, "")]
        if absent:
            raise SystemExit(f"rules: rule {key} has no {', '.join(absent)}; the catalogue "
                             "needs code, severity, message, fix and source for every rule")
    return list(RULES.items())


def _source_md(source):
    # Sources are KB numbers or document titles, sometimes with a URL: keep URLs clickable.
    parts = re.split(r"(https?://\S+)", str(source))
    return "".join(p if p.startswith("http") else md_text(p) for p in parts)


def _severity(rule):
    sev = rule.severity
    off = rule.severity_off
    if off in ("same", sev):
        return f"`{sev}`"
    if off is None:
        return f"`{sev}` (powered-on VMs only; not checked for powered-off or suspended VMs)"
    return f"`{sev}` for a powered-on VM, `{off}` for a powered-off or suspended VM"


def _code_row(rule):
    code = rule.code
    if rule.fault_documented:
        return f"`{code}`, a vSphere API fault type (`vim.fault.{code}`)"
    return (f"`{code}`, the simulator's own name: the vSphere API has no fault for this "
            "(the source says why)")


def _rule_section(key, rule, lines):
    title = rule.title or rule.code
    vc = rule.vcenter_checks
    lines += [f"(rule-{str(key).lower()})=", f"### {key}: {md_text(title)}", ""]
    rows = [
        ("Fault code", _code_row(rule)),
        ("Severity", _severity(rule)),
        ("Message", md_text(rule.message)),
        ("Fix", md_text(rule.fix)),
        ("Source", _source_md(rule.source)),
        ("vCenter pre-check", "reports it" if vc else
         "**does not report it**: the simulator flags it; in vSphere the migration would pass "
         "the check and fail or misbehave later"),
    ]
    conf = rule.confidence
    if conf:
        rows.append(("Confidence", {"V": "verified in the cited source",
                                    "S": "stated by a secondary source"}.get(conf, md_text(conf))))
    lines += [f"{name}\n: {value}\n" for name, value in rows]


def write_rules_page(path):
    """Write the catalogue to ``path``; return the number of rules."""
    items = _load_rules()
    families = {}
    for key, r in items:
        families.setdefault(r.family, []).append((key, r))
    n_err = sum(1 for _, r in items if r.severity == "error")
    n_sim = sum(1 for _, r in items if not r.vcenter_checks)
    api_codes = sorted({r.code for _, r in items if r.fault_documented})
    own_codes = sorted({r.code for _, r in items if not r.fault_documented})
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
        f"RULES[{items[0][0]!r}].code    # {items[0][1].code!r}",
        "```",
        "",
        "## Overview",
        "",
        "| Rule | Fault code | Severity | What it checks | vCenter pre-check |",
        "|---|---|---|---|---|",
    ]
    for key, r in items:
        vc = "yes" if r.vcenter_checks else "**no**"
        own = "" if r.fault_documented else " *(simulator's name)*"
        lines.append(f"| {{ref}}`{key} <rule-{str(key).lower()}>` | `{r.code}`{own} | "
                     f"{r.severity} | {md_text(r.title or '')} | {vc} |")
    lines.append("")
    for fam in sorted(families, key=list(_FAMILY_TITLES).index):  # no title: the build stops
        lines += [f"## {_FAMILY_TITLES[fam]}", ""]
        for key, r in families[fam]:
            _rule_section(key, r, lines)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    tmp.replace(path)
    return len(items)
