"""Old name of :mod:`vmotion_core.inventory.products` (product facts: CPU generations, EVC
baselines, license editions), kept so existing imports keep working; import from ``products``.

"Catalogue" now means only the rule catalogue (``vmotion_core.compat.RULES``). No ``__all__``
here on purpose: the API reference documents these names once, in ``products``.
"""

from .products import *  # noqa: F401,F403
