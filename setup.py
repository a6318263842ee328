"""Build the one optional compiled extension (the pre-copy kernel) and map labs/ to vmotion_labs.

The NumPy twin (`vmotion_core/precopy/_kernel_py.py`) works without it; `VMOTION_NO_COMPILE=1`
installs pure Python only.
"""
import os

from setuptools import Extension, find_namespace_packages, find_packages, setup

# namespace-aware so data-only folders (inventory/scenarios) are packages too
core = find_namespace_packages(include=["vmotion_core", "vmotion_core.*"], exclude=["*.__pycache__"])
labs = ["vmotion_labs"] + ["vmotion_labs." + p for p in find_packages("labs")]
classroom = ["vmotion_class"] if os.path.isdir("class") else []  # a class on JupyterHub

KERNEL = "vmotion_core/precopy/_kernel.pyx"
ext_modules = []
if not os.environ.get("VMOTION_NO_COMPILE") and os.path.exists(KERNEL):
    from Cython.Build import cythonize

    # plain C on typed memoryviews: no NumPy headers. No -march flags: POPCNT is picked at run
    # time inside the kernel (target_clones), so the build runs on any x86-64 CPU.
    ext_modules = cythonize(
        [Extension("vmotion_core.precopy._kernel", [KERNEL], extra_compile_args=["-O3"])],
        language_level=3,
        compiler_directives={"boundscheck": False, "wraparound": False, "cdivision": True},
    )

setup(
    packages=core + labs + classroom,
    package_dir={"vmotion_labs": "labs", **({"vmotion_class": "class"} if classroom else {})},
    ext_modules=ext_modules,
)
