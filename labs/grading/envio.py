"""Lab start environments from scenario templates (not public).

A lab's ``scenario.yaml`` is a template with ``${placeholders}`` for the variant's parameters;
the filled text is loaded and validated by :func:`vmotion_core.inventory.load_scenario_text`.
Only the courseware's own templates are parsed as YAML: a hand-in holds no environment (it is an
operation log, see :mod:`.oplog`), so no YAML written by a learner is ever parsed.
"""

import string
from pathlib import Path

from vmotion_core.inventory import load_scenario_text

__all__ = ["build_from_template"]


def build_from_template(folder, params, name="scenario.yaml"):
    """Fill ``${placeholders}`` of a lab's scenario template with ``params``; load the result."""
    template = string.Template((Path(folder) / name).read_text(encoding="utf-8"))
    values = {k: v for k, v in params.items() if isinstance(v, (str, int, float))}
    return load_scenario_text(template.substitute(values), "scenario")
