"""What instructors, reference solutions and the grader use, and learners' objects do not offer.

>>> from vmotion_labs import Lab
>>> lab = Lab.open("lab05", learner="alice")
>>> "fault" in lab.params, "fault" in all_params(lab)
(False, True)
"""

from .lab import Lab

__all__ = ["grade", "all_params", "spec_of"]


def grade(lab):
    """Run every check on ``lab``, hidden ones included (instructor edition); a ``Report``."""
    if not isinstance(lab, Lab):
        raise TypeError(f"expected a Lab, got {type(lab).__name__}")
    return lab._report(include_hidden=True)


def all_params(lab):
    """Every variant parameter of ``lab``, the secret ones (fault, roles) included."""
    return dict(lab._variant.params)


def spec_of(lab):
    """The :class:`~vmotion_labs.grading.lab.LabSpec` of ``lab`` (checks, hidden check list)."""
    return lab._spec
