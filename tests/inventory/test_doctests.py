"""The examples in the inventory docstrings run."""

import doctest
import importlib

import pytest

MODULES = ["vmotion_core.inventory", "vmotion_core.inventory.catalog", "vmotion_core.inventory.model",
           "vmotion_core.inventory.environment", "vmotion_core.inventory.scenario",
           "vmotion_core.inventory._mutations", "vmotion_core.inventory._vm_mutations"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
