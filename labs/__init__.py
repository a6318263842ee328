"""vMotion Workshop labs (installed as ``vmotion_labs``): graded exercises on simulated sites.

>>> from vmotion_labs import Lab
>>> lab = Lab.open("lab01", learner="alice")
>>> print(lab.tasks[0])                                   # doctest: +ELLIPSIS
t1: ...

Learners: ``Lab.open``, change ``lab.env``, ``lab.migrate``, ``lab.answer``, ``lab.check()``,
``lab.save()`` (which hands in what they did, ``lab.operations``). Instructors: ``vmotion-grade``
(see :mod:`vmotion_labs.grading.batch`) replays each hand-in in a sandboxed worker
(:func:`vmotion_labs.grading.sandbox.grade_file`).
"""

from .grading.lab import Lab, lab_ids

__all__ = ["Lab", "lab_ids"]
