"""The simulated vSphere inventory: one frozen dataclass per kind of object.

Objects refer to each other *by name* (a VM names its host, a vmknic its port group), exactly as a
scenario file does; :class:`~vmotion_core.inventory.environment.Environment` resolves the names and
gives every object an inventory path such as ``vc01/dc1/cl-prod/esx-01/vmk1``.

Each field is declared once, with its checker (type, range, allowed values), meaning and default
(:func:`vmotion_core.fields.spec`)::

    prefix: int = spec(Int(1, 32), "prefix length", 24)

The scenario loader, the mutation methods, the CLI and the reference page
``book/reference/scenario-format.md`` are derived from these declarations. Field names carry their
units (``memory_gib``, ``speed_mbps``, ``rtt_ms``); the allowed values of text fields are the tuples
in :mod:`.values`. Where the simulator simplifies vSphere, the field's docstring says so.

>>> Uplink("vmnic1", speed_mbps=10000).link_up
True
"""

from . import hosts, values, vms
from .hosts import *  # noqa: F401,F403
from .values import *  # noqa: F401,F403
from .vms import *  # noqa: F401,F403

__all__ = [*values.__all__, *hosts.__all__, *vms.__all__]
