"""The Examples in the attendance-import docstrings stay true."""

import doctest
import importlib
import pkgutil

import pytest

import sync.attendance

MODULES = sorted(info.name for info in pkgutil.iter_modules(sync.attendance.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"sync.attendance.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
