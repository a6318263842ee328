"""lab05: every catalogue fault breaks the healthy site with its own vCenter fault code, and its
reference fix restores full marks with a minimal change."""

import pytest

from vmotion_labs import Lab
from vmotion_labs.grading.instructor import all_params, grade, spec_of
from vmotion_labs.grading.variants import Variant
from vmotion_labs.lab05_troubleshooting import faults, solution

CODES = {"T1": "VMotionNotConfigured", "T2": "VMotionNetworkUnreachable",
         "T3": "VMotionNetworkUnreachable", "T4": "VMotionMtuMismatch",
         "T5": "CannotAccessNetwork", "T7": "CannotAccessVmDevice",
         "T9": "FeatureRequirementsNotMet", "T10": "CannotAccessVmDisk",
         "T11": "VMotionNotLicensed", "T17": "AffinityConfigured"}


def _lab(fault, learner="alice"):
    base = Lab.open("lab05", learner)
    params = {**all_params(base), "fault": fault}
    spec = spec_of(base)
    return Lab(spec, Variant("lab05", learner, params, "s"), spec.build_start(params))


def test_catalogue_covers_the_fact_sheet_rows():
    assert set(faults.CATALOGUE) == set(CODES) == set(solution.FIXES)


@pytest.mark.parametrize("fault", sorted(CODES))
def test_fault_breaks_with_its_code_and_fix_restores(fault):
    lab = _lab(fault)
    q1 = next(r for r in grade(lab).results if r.check_id == "q1")
    assert not q1.passed and CODES[fault] in q1.message
    solution.solve(lab)
    report = grade(lab)
    assert report.score == report.max_score, str(report)


def test_faults_spread_over_learners():
    seen = {all_params(Lab.open("lab05", f"learner{i}"))["fault"] for i in range(60)}
    assert seen == set(faults.FAULT_IDS)
