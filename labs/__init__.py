"""vMotion Workshop labs (installed as ``vmotion_labs``): graded exercises on simulated sites.

>>> from vmotion_labs import Lab
>>> lab = Lab.open("lab01", learner="alice")
>>> print(lab.tasks[0])                                   # doctest: +ELLIPSIS
t1: ...

Learners: ``Lab.open``, change ``lab.env``, ``lab.check()``, ``lab.save()``. Instructors:
``vmotion-grade`` (see :mod:`vmotion_labs.grading.batch`).
"""

from .grading.lab import Lab, lab_ids

__all__ = ["Lab", "lab_ids"]
