"""The learner's progress: which modules and labs they have done, from their saved lab states.

:func:`progress` looks for saved lab states (``labNN-<learner>.json``, what ``lab.save()`` writes)
in the folders it is given; by default in the current folder and in every lab folder of the
course (``labs/labNN_*/``, where the lab notebooks save them). Each state is read with the
grader's own parser and *replayed* on the learner's variant, then the lab's public checks run:
a lab is **done** when its public checks pass. Hidden checks run only at grading, so this view
shows the points of the public checks and says how many hidden ones remain. A module counts as
done when every lab that practises it is done; modules without a lab say so.

>>> p = progress(folders=[], learner="alice")
>>> p.labs_done, p.labs_total > 6
(0, True)
"""

import datetime
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .grading.lab import Lab, lab_ids, lab_spec
from .grading.state import StateError, read_submission

__all__ = ["progress", "Progress", "LabStatus", "ModuleStatus", "LAB_MODULES", "MSG"]

_LABS_ROOT = Path(__file__).resolve().parent
_COURSE = _LABS_ROOT.parent / "course"
_STATE_NAME = re.compile(r"^(lab\d\d)-[A-Za-z0-9._@+-]{1,64}\.json$")
#: which course modules each lab practises (the lab notebooks' "Prerequisites"); lab07 is the
#: final assessment over modules 03-08
LAB_MODULES = {"lab01": ("05",), "lab02": ("03", "06"), "lab03": ("04",), "lab04": ("02", "08"),
               "lab05": ("07",), "lab06": ("08",), "lab07": ("03", "04", "05", "06", "07", "08")}
FINAL = "lab07"
MAX_FILES = 200   # a folder full of files is not a learner's progress

# Learner-facing wording (one place, for the German edition).
MSG = {
    "title": "Your progress in the vMotion Workshop",
    "learner": "Learner: {learner}",
    "summary": "{done} of {total} labs done, {mods} of {mods_total} modules with a lab done",
    "read_from": "Read from the saved lab states in: {folders}",
    "no_folders": "no folder (pass folders=[...])",
    "lab_done": "done",
    "lab_open": "started, not done yet",
    "lab_none": "no saved state found",
    "lab_bad": "saved state could not be read: {why}",
    "points": "{score:g} of {max:g} public points; {hidden} hidden check(s) run at grading",
    "module_done": "done",
    "module_open": "not done yet (labs: {labs})",
    "module_nolab": "no graded lab: tick it off yourself when you have worked through it",
    "final_done": "Final assessment (lab07) done.",
    "final_open": "Final assessment (lab07) not done yet.",
    "made": "Summary made on {date}",
    "print_hint": "Print this page (or save it as PDF) from your browser: File > Print.",
    "heading_labs": "Labs",
    "heading_modules": "Modules",
    "col_lab": "Lab", "col_status": "Status", "col_points": "Public checks", "col_file": "File",
    "col_module": "Module", "col_saved": "Saved",
    "many_files": "more than {n} saved states in {folder}; only the first {n} were read",
}


@dataclass(frozen=True)
class LabStatus:
    lab_id: str
    title: str
    status: str          # "done" | "open" | "none" | "bad"
    score: float = 0.0
    max_score: float = 0.0
    hidden: int = 0
    path: str = ""
    saved_at: str = ""
    why: str = ""

    @property
    def done(self):
        return self.status == "done"


@dataclass(frozen=True)
class ModuleStatus:
    number: str
    title: str
    labs: tuple
    done: bool


def _module_titles():
    titles = {}
    for nb in sorted(_COURSE.glob("[0-9][0-9]-*.ipynb")):
        try:
            cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        except (OSError, ValueError, KeyError):
            continue
        text = "\n".join("".join(c.get("source", "")) for c in cells
                         if c.get("cell_type") == "markdown")
        m = re.search(r"^# (.+)$", text, re.M)
        titles[nb.name[:2]] = m.group(1).strip() if m else nb.stem
    return titles


def default_folders():
    """The current folder and every lab folder of the course (where lab notebooks save)."""
    return [Path.cwd()] + sorted(p for p in _LABS_ROOT.glob("lab[0-9][0-9]_*") if p.is_dir())


def _candidates(folders, learner):
    found = []
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        names = sorted(p for p in folder.iterdir() if _STATE_NAME.match(p.name))
        if learner is not None:
            names = [p for p in names if p.name.split("-", 1)[1][:-5] == learner]
        found += names[:MAX_FILES]
    return list(dict.fromkeys(p.resolve() for p in found))


def _evaluate(path):
    """``(lab_id, LabStatus)`` for one saved state; never raises for a bad file."""
    lab_id = _STATE_NAME.match(path.name).group(1)
    title = lab_spec(lab_id).title if lab_id in lab_ids() else lab_id
    try:
        doc = read_submission(path)
        lab = Lab.from_submission(doc)
    except (StateError, OSError) as exc:
        return lab_id, LabStatus(lab_id, title, "bad", path=str(path),
                                 why=getattr(exc, "reason", None) or str(exc))
    report = lab.check()
    return doc["lab"], LabStatus(doc["lab"], lab.title, "done" if report.passed else "open",
                                 report.score, report.max_score, len(report.pending),
                                 str(path), str(doc.get("saved_at", "")))


def progress(folders=None, learner=None):
    """Read every saved lab state in ``folders`` (default: :func:`default_folders`) and return
    a :class:`Progress`. With ``learner``, only that learner's files (``labNN-<learner>.json``)."""
    folders = default_folders() if folders is None else [Path(f) for f in folders]
    best = {}
    for path in _candidates(folders, learner):
        lab_id, status = _evaluate(path)
        rank = ({"done": 3, "open": 2, "bad": 1}[status.status], status.score, status.saved_at)
        old = best.get(lab_id)
        if old is None or rank > old[0]:
            best[lab_id] = (rank, status)
    labs = tuple(best[lab][1] if lab in best else
                 LabStatus(lab, lab_spec(lab).title, "none") for lab in lab_ids())
    done = {s.lab_id for s in labs if s.done}
    titles = _module_titles()
    numbers = sorted(set(titles) | {m for ms in LAB_MODULES.values() for m in ms})
    practised = {n: tuple(l for l, ms in LAB_MODULES.items() if n in ms and l != FINAL)
                 for n in numbers}
    modules = tuple(ModuleStatus(n, titles.get(n, f"Module {n}"), labs,
                                 bool(labs) and all(l in done for l in labs))
                    for n, labs in practised.items())
    return Progress(learner, tuple(str(f) for f in folders), labs, modules)


_CSS = """<style>
.vmw-progress{font-family:system-ui,sans-serif;max-width:48em}
.vmw-progress .vmw-h1{font-size:1.5em;font-weight:bold;margin:.3em 0}
.vmw-progress .vmw-h2{font-size:1.15em;font-weight:bold;margin:.8em 0 .2em}
.vmw-progress table{border-collapse:collapse;width:100%;margin:.4em 0 1em}
.vmw-progress th,.vmw-progress td{border:1px solid #999;padding:.25em .5em;text-align:left;
 vertical-align:top}
.vmw-progress .done{color:#1b5e20;font-weight:bold}.vmw-progress .open{color:#8a4b00}
.vmw-progress .small{font-size:.85em;color:#444;word-break:break-all}
@media print{@page{size:A4;margin:12mm}.vmw-progress{max-width:none;font-size:9pt}
 .vmw-progress .noprint{display:none}}
</style>"""


@dataclass(frozen=True)
class Progress:
    learner: object
    folders: tuple
    labs: tuple
    modules: tuple

    @property
    def labs_done(self):
        return sum(s.done for s in self.labs)

    @property
    def labs_total(self):
        return len(self.labs)

    def _lab_text(self, s):
        if s.status == "bad":
            return MSG["lab_bad"].format(why=s.why)
        return MSG[{"done": "lab_done", "open": "lab_open", "none": "lab_none"}[s.status]]

    def _module_text(self, m):
        if not m.labs:
            return MSG["module_nolab"]
        return MSG["module_done"] if m.done else MSG["module_open"].format(labs=", ".join(m.labs))

    def _summary(self):
        with_lab = [m for m in self.modules if m.labs]
        return MSG["summary"].format(done=self.labs_done, total=self.labs_total,
                                     mods=sum(m.done for m in with_lab), mods_total=len(with_lab))

    def __str__(self):
        lines = [MSG["title"], self._summary()]
        lines += [f"  {s.lab_id} {s.title}: {self._lab_text(s)}" for s in self.labs]
        lines += [f"  {m.title}: {self._module_text(m)}" for m in self.modules]
        lines.append(MSG["read_from"].format(folders=", ".join(self.folders)
                                             or MSG["no_folders"]))
        return "\n".join(lines)

    def _repr_html_(self):
        e = html.escape
        rows = []
        for s in self.labs:
            pts = (MSG["points"].format(score=s.score, max=s.max_score, hidden=s.hidden)
                   if s.status in ("done", "open") else "")
            rows.append(f"<tr><td>{e(s.lab_id)}: {e(s.title)}</td><td class='{e(s.status)}'>"
                        f"{e(self._lab_text(s))}</td><td>{e(pts)}</td><td>{e(s.saved_at)}</td>"
                        f"<td class='small'>{e(s.path)}</td></tr>")
        mods = [f"<tr><td>{e(m.title)}</td><td class='"
                f"{'done' if m.done else 'open'}'>{e(self._module_text(m))}</td></tr>"
                for m in self.modules]
        final = next((s for s in self.labs if s.lab_id == FINAL), None)
        who = MSG["learner"].format(learner=self.learner) if self.learner else ""
        return (f"{_CSS}<div class='vmw-progress'><div class='vmw-h1'>{e(MSG['title'])}</div>"
                f"<p>{e(who)}</p><p><strong>{e(self._summary())}</strong><br>"
                f"{e(MSG['final_done'] if final and final.done else MSG['final_open'])}</p>"
                f"<div class='vmw-h2'>{e(MSG['heading_labs'])}</div>"
                f"<table><tr><th>{e(MSG['col_lab'])}</th>"
                f"<th>{e(MSG['col_status'])}</th><th>{e(MSG['col_points'])}</th>"
                f"<th>{e(MSG['col_saved'])}</th><th>{e(MSG['col_file'])}</th></tr>"
                + "".join(rows) + f"</table><div class='vmw-h2'>{e(MSG['heading_modules'])}</div>"
                f"<table><tr>"
                f"<th>{e(MSG['col_module'])}</th><th>{e(MSG['col_status'])}</th></tr>"
                + "".join(mods) + "</table><p class='small'>"
                + e(MSG["read_from"].format(folders=", ".join(self.folders)
                                            or MSG["no_folders"]))
                + f"</p><p class='noprint small'>{e(MSG['print_hint'])}</p></div>")

    def save_html(self, path="vmotion-progress.html"):
        """Write the printable completion summary (one HTML file) to ``path``; return the path."""
        from .grading.state import write_atomic
        made = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        stamp = f"<p class='vmw-progress'>{html.escape(MSG['made'].format(date=made))}</p>"
        doc = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>"
               f"{html.escape(MSG['title'])}</title></head><body>{self._repr_html_()}{stamp}"
               "</body></html>\n")
        write_atomic(path, doc)
        return str(path)
