"""What each lab folder declares in its ``lab.yaml``, read once. Not a learner-facing module.

``lab.yaml`` is the one home of a lab's hidden checks: their ids, points and categories. The
student edition ships ``lab.yaml`` but not ``hidden.py``, so this is where the learner side learns
how many hidden checks run at grading and what they are worth; ``hidden.py`` registers each
check's code under the same id and takes its points and category from here
(:meth:`vmotion_labs.grading.checks.CheckSet.check`), so the two cannot disagree.
"""

import pkgutil
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = ["lab_folders", "lab_yaml", "hidden_checks"]

_ROOT = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=None)
def lab_folders():
    """``{lab id: folder name}`` of every installed lab (``{"lab01": "lab01_vmotion_network"}``)."""
    return {info.name[:5]: info.name for info in pkgutil.iter_modules([str(_ROOT)])
            if info.ispkg and info.name[:3] == "lab" and info.name[3:5].isdigit()}


@lru_cache(maxsize=None)
def lab_yaml(lab_id):
    """The parsed ``lab.yaml`` of ``lab_id`` (KeyError for an unknown lab)."""
    path = _ROOT / lab_folders()[lab_id] / "lab.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def hidden_checks(lab_id):
    """``((check id, points, category), ...)`` of the hidden checks ``lab.yaml`` declares."""
    return tuple((h["id"], float(h["points"]), h["category"])
                 for h in lab_yaml(lab_id).get("hidden", []))
