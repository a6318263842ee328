"""Render a check :class:`~vmotion_labs.grading.checks.Report` as text and as HTML.

The wording is honest about hidden checks (courseware pain point 3): a learner who passes every
public check reads "All public checks passed" plus how many hidden checks, worth how many points
and about what, run at grading; never "all tests passed". Every line names the check fully
(``lab01.q2``). The HTML uses text symbols as well as colour, so it reads without colour too.
"""

import html

__all__ = ["render_text", "render_html", "summary_line", "hidden_line"]


def _pts(x):
    return f"{x:g}"


def summary_line(report):
    """One line: score and what it means.

    >>> from vmotion_labs.grading.checks import Report
    >>> summary_line(Report("lab01", "alice", "T", ()))
    'lab01 (alice): 0/0 points'
    """
    head = f"{report.lab_id} ({report.learner}): {_pts(report.score)}/{_pts(report.max_score)} points"
    if report.pending:  # one maximum, stated once: public points now, the rest at grading
        hidden = sum(p[1] for p in report.pending)
        head = (f"{report.lab_id} ({report.learner}): {_pts(report.score)}/"
                f"{_pts(report.max_score)} public points of the lab's "
                f"{_pts(report.max_score + hidden)} (the other {_pts(hidden)} at grading)")
    if not report.results:
        return head
    failed = sum(not r.passed for r in report.results)
    kind = "public " if report.pending else ""
    if failed == 0:
        return f"{head}. All {kind}checks passed."
    return f"{head}. {failed} of {len(report.results)} {kind}checks not passed yet."


def hidden_line(report):
    """The honest line about hidden checks ('' when grading ran them all)."""
    if not report.pending:
        return ""
    pts = sum(p[1] for p in report.pending)
    cats = sorted({p[2] for p in report.pending})
    return (f"{len(report.pending)} hidden check(s) worth {_pts(pts)} point(s) run only at grading "
            f"(about: {', '.join(cats)}); passing the public checks does not guarantee them.")


def render_text(report):
    """Plain-text feedback, one line per check.

    >>> from vmotion_labs.grading.checks import Report, CheckResult
    >>> r = CheckResult("lab01", "q1", "vMotion vmk on esx-01", 2, False, "no vmk yet", False, "item")
    >>> print(render_text(Report("lab01", "alice", "Build the vMotion network", (r,))))
    lab01 Build the vMotion network
    lab01 (alice): 0/2 points. 1 of 1 checks not passed yet.
      FAIL lab01.q1  0/2  vMotion vmk on esx-01
           -> no vmk yet
    """
    lines = [f"{report.lab_id} {report.title}", summary_line(report)]
    for r in report.results:
        mark = "PASS" if r.passed else ("ERROR" if r.crashed else "FAIL")
        tag = " (hidden)" if r.hidden else ""
        lines.append(f"  {mark} {r.qualified_id}{tag}  {_pts(r.points_awarded)}/{_pts(r.points)}"
                     f"  {r.title}")
        if not r.passed:
            lines.append(f"       -> {r.message}")
    extra = hidden_line(report)
    if extra:
        lines.append(extra)
    return "\n".join(lines)


_CSS = ("<style>.vml-report{font-family:system-ui,sans-serif;font-size:14px;max-width:60em}"
        ".vml-report table{border-collapse:collapse;width:100%}"
        ".vml-report td,.vml-report th{padding:4px 8px;border-bottom:1px solid #ccc;"
        "text-align:left;vertical-align:top}"
        ".vml-pass{color:#1a6b1a}.vml-fail{color:#a8320a}.vml-hint{color:#333;font-size:13px}"
        "</style>")


def render_html(report):
    """HTML feedback: a table of checks with points, pass/fail symbol and hint."""
    e = html.escape
    rows = []
    for r in report.results:
        cls, mark = ("vml-pass", "&#10004; pass") if r.passed else (
            "vml-fail", "&#9888; error" if r.crashed else "&#10008; fail")
        hint = "" if r.passed else f"<div class='vml-hint'>{e(r.message)}</div>"
        tag = " <em>(hidden)</em>" if r.hidden else ""
        rows.append(f"<tr><td class='{cls}'>{mark}</td><td><code>{e(r.qualified_id)}</code>{tag}"
                    f"</td><td>{e(r.title)}{hint}</td><td>{_pts(r.points_awarded)}/"
                    f"{_pts(r.points)}</td></tr>")
    extra = hidden_line(report)
    extra_html = f"<p><strong>Hidden checks:</strong> {e(extra)}</p>" if extra else ""
    return (f"{_CSS}<div class='vml-report' role='region' aria-label='{e(report.lab_id)} check "
            f"results'><h4>{e(report.lab_id)} {e(report.title)}</h4>"
            f"<p>{e(summary_line(report))}</p><table><thead><tr><th>result</th><th>check</th>"
            f"<th>what is checked</th><th>points</th></tr></thead><tbody>{''.join(rows)}"
            f"</tbody></table>{extra_html}</div>")
