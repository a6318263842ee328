"""Every docstring example in vmotion_core and vmotion_labs runs and gives what it says.

One test per module, found by walking the packages, so a new module is covered without edits.
"""

import doctest
import importlib
import pkgutil

import pytest

import vmotion_core
import vmotion_labs


def _modules():
    for pkg in (vmotion_core, vmotion_labs):
        yield pkg.__name__
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            if not info.name.endswith("__main__"):
                yield info.name


@pytest.mark.parametrize("name", sorted(set(_modules())))
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
