"""The instructor guide's schedules add up with the modules' own times (issue 11 point 10): the
module table's *Learn* column equals each notebook's "Time to learn", and the one-day and two-day
schedules give every module at least its *Teach* time and every lab in class at least its time."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "course" / "instructor" / "guide.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| (\d\d):(\d\d)-(\d\d):(\d\d) \| (.+?) \|$", re.M)


def _module_times():
    rows = re.findall(r"^\| (\d\d) \| `([^`]+)` \| [^|]+ \| (\d+) min \| (\d+) min \|", GUIDE, re.M)
    return {num: (name, int(learn), int(teach)) for num, name, learn, teach in rows}


def _lab_times():
    return {f"lab{n}": int(m) for n, m in re.findall(r"lab(\d\d) (\d+)(?:,| minutes)", GUIDE)}


def _schedule(title):
    start = GUIDE.index(title)
    end = GUIDE.find("\n### ", start + 1)
    end = GUIDE.find("\n## ", start + 1) if end == -1 else end
    return [(int(a) * 60 + int(b), int(c) * 60 + int(d), block)
            for a, b, c, d, block in ROW.findall(GUIDE[start:end])]


def test_learn_column_matches_the_notebooks():
    times = _module_times()
    assert sorted(times) == [f"{i:02d}" for i in range(9)]
    for num, (name, learn, teach) in times.items():
        nb = nbformat.read(ROOT / "course" / name, as_version=4)
        text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert f"Time to learn: {learn} minutes" in text, name
        assert teach >= learn, name


@pytest.mark.parametrize("title, in_class", [("### One day", {"lab01", "lab05"}),
                                             ("### Two days", {"lab01", "lab02", "lab03",
                                                               "lab04", "lab05", "lab06"})])
def test_schedules_give_each_block_its_time(title, in_class):
    modules, labs = _module_times(), _lab_times()
    assert set(labs) == {f"lab0{i}" for i in range(1, 7)}
    seen = set()
    rows = _schedule(title)
    assert rows, title
    for (s, e, block), nxt in zip(rows, rows[1:] + [None]):
        if nxt is not None and nxt[0] != e and nxt[0] > s:
            assert nxt[0] == e, f"{title}: gap or overlap after {block!r}"
        m = re.match(r"(\d\d) ", block)
        lab = re.match(r"(lab\d\d) ", block)
        if m:
            need = modules[m.group(1)][2]
            seen.add(m.group(1))
        elif lab:
            need = labs[lab.group(1)]
            seen.add(lab.group(1))
        else:
            continue
        assert e - s >= need, f"{title}: {block!r} gets {e - s} min, needs {need}"
    assert set(modules) <= seen and in_class <= seen, (title, sorted(set(modules) | in_class - seen))


def test_one_day_total_is_stated_correctly():
    rows = _schedule("### One day")
    teaching = sum(e - s for s, e, b in rows if not re.match(r"(Break|Lunch)", b))
    modules = sum(teach for _, _, teach in _module_times().values())
    labs = _lab_times()
    assert teaching == modules + labs["lab01"] + labs["lab05"]
    stated = " ".join(GUIDE.split())  # the sentence may wrap
    assert (f"{modules} minutes of modules plus {labs['lab01'] + labs['lab05']} minutes of labs "
            f"is {teaching // 60} h {teaching % 60:02d} min of teaching") in stated
