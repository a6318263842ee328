"""Pick the page-level kernel: the compiled Cython extension, or its NumPy twin.

- ``VMOTION_PURE_PYTHON=1`` forces the NumPy twin (``_kernel_py``).
- ``VMOTION_REQUIRE_COMPILED=1`` turns a missing compiled extension into an error with a clear
  message (CI sets it, so a broken build cannot silently fall back to the slow path).
- Otherwise the compiled kernel is used when it imports, else the twin.

``BACKEND`` is ``"cython"`` or ``"python"``; ``KERNEL`` is the module in use. Both expose
``mark_uniform``, ``mark_bernoulli``, ``mark_range`` and ``popcount`` with identical results.
"""

import os

from ..errors import VMotionError

__all__ = ["BACKEND", "KERNEL", "load_kernel", "available_backends"]


def _truthy(name):
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no")


def load_kernel(name=None):
    """Return the kernel module for ``name`` ("cython" or "python"; None = choose by environment).

    >>> load_kernel("python").NAME
    'python'
    """
    if name == "python" or (name is None and _truthy("VMOTION_PURE_PYTHON")):
        from . import _kernel_py
        return _kernel_py
    try:
        from . import _kernel
        return _kernel
    except ImportError as exc:
        if name == "cython" or _truthy("VMOTION_REQUIRE_COMPILED"):
            raise VMotionError(
                "the compiled pre-copy kernel (vmotion_core.precopy._kernel) is not built "
                f"({exc}); run `bash scripts/setup.sh all` to build it, or unset "
                "VMOTION_REQUIRE_COMPILED to use the NumPy twin") from exc
        from . import _kernel_py
        return _kernel_py


def available_backends():
    """Names of the kernels that can be loaded here, compiled first.

    >>> available_backends()[-1]   # the NumPy twin is always there
    'python'
    """
    try:
        load_kernel("cython")
    except VMotionError:
        return ["python"]
    return ["cython", "python"]


KERNEL = load_kernel()
BACKEND = KERNEL.NAME
