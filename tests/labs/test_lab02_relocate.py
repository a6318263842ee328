"""lab02: a VM put in place with env.relocate_vm (no migrate()) is caught with a hint."""

from vmotion_labs import Lab
from vmotion_labs.lab02_choose_migration import goals
from vmotion_labs.lab02_choose_migration.solution import TYPES, solve


def _result(report, check_id):
    return next(r for r in report.results if r.check_id == check_id)


def test_moves_through_migrate_pass():
    report = solve(Lab.open("lab02", learner="carol")).check()
    assert _result(report, "q7").passed


def test_direct_relocation_is_caught_even_when_goals_are_met(tmp_path):
    lab = Lab.open("lab02", learner="carol")
    p = lab._params
    env = lab.env
    for vm, (host, ds, _) in goals(p).items():
        env = env.relocate_vm(vm, host=host, datastore=ds)
    lab.env = env
    lab.answer("types", {p[role]: t for role, t in TYPES.items()})
    report = lab.check()
    assert all(_result(report, f"q{i}").passed for i in range(1, 6)), str(report)
    q7 = _result(report, "q7")
    assert not q7.passed and "lab.migrate" in q7.message and p["vm_host"] in q7.message
    assert report.score < report.max_score
    # the change log travels with the saved lab state
    path = tmp_path / "carol.json"
    lab.save(path)
    assert not _result(Lab.load(path).check(), "q7").passed


def test_one_direct_move_among_migrations_is_named():
    lab = solve(Lab.open("lab02", learner="dave"))
    bystander = next(v.name for v in lab.env.vms if v.name not in {lab._params[r] for r in TYPES})
    other = next(h.name for h in lab.env.hosts if h.name != lab.env.vm(bystander).host)
    lab.env = lab.env.relocate_vm(bystander, host=other)
    q7 = _result(lab.check(), "q7")
    assert not q7.passed and q7.message.startswith(bystander)
