"""vMotion Workshop core: a page-level live-migration simulator and a simulated vSphere site.

The public API is what ``__all__`` lists; everything else is internal. Figures live in
``vmotion_core.viz`` and widgets in ``vmotion_core.widgets`` (imported on demand, since they pull
in matplotlib and ipywidgets).
"""

__version__ = "0.1.0"

from .errors import ConfigError, ScenarioError, UsageError, VMotionError  # noqa: E402

__all__ = [
    "__version__",
    "VMotionError", "ConfigError", "ScenarioError", "UsageError",
]
