"""Shared fixtures: small workbooks written the way a clerk would fill them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from tests.helpers import write_workbook

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def make_workbook(tmp_path):
    """`make_workbook(tabs, name="w.xlsx")` writes a workbook into the test's temp dir."""
    return lambda tabs, name="w.xlsx": write_workbook(tmp_path / name, tabs)


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` beside the project; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the project")
    return SHARED


# CI runs the property tests on a fixed set of examples so a red build is reproducible;
# locally they explore new examples on every run.
settings.register_profile("default", max_examples=40)
settings.register_profile("ci", max_examples=40, derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
settings.register_profile("stress", max_examples=600)  # pytest --hypothesis-profile=stress
