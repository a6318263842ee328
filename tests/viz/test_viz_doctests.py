"""The examples in the docstrings of the viz and widget modules run and give what they say."""

import doctest
import importlib

import pytest

MODULES = ["vmotion_core.viz._style", "vmotion_core.viz.types_chart", "vmotion_core.viz.rounds",
           "vmotion_core.viz.timeline", "vmotion_core.viz.heatmap",
           "vmotion_core.viz.convergence", "vmotion_core.viz.policies",
           "vmotion_core.viz.animation", "vmotion_core.viz.topology",
           "vmotion_core.widgets.explorer", "vmotion_core.widgets.wizard",
           "vmotion_core.widgets.network_view"]


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0  # every module documents at least one runnable example
