"""Regression guard: the result tabs of fixed workbooks are the same, cell for cell, as the kept fixture.

The fixture (`tests/fixtures/results/`) holds what `kinerja score` wrote for the demo workbook, the demo
workbook with junk typed into it, and a 2,000-employee workbook, all from fixed seeds and a fixed clock
(see `tests/fixtures/result_tabs.py`). Only the tabs and columns the fixture has are compared, so new
tabs and columns do not break it; after an intended change of the results, regenerate it:

    .venv/bin/python -m tests.fixtures.result_tabs
"""

import pytest

from tests.fixtures import result_tabs as fixture

REGENERATE = "if the change is intended: .venv/bin/python -m tests.fixtures.result_tabs"


@pytest.mark.parametrize("case", list(fixture.CASES))
def test_result_tabs_match_the_fixture(case):
    expected = fixture.load(case)
    assert expected, f"no fixture for {case!r}; {REGENERATE}"
    actual = fixture.result_tabs(case)
    for name, want in expected.items():
        assert name in actual, f"{case}: tab {name!r} is no longer written; {REGENERATE}"
        got = actual[name]
        assert got["title"] == want["title"], f"{case}/{name}: title differs; {REGENERATE}"
        assert got["rows"] == want["rows"], f"{case}/{name}: {got['rows']} rows, not {want['rows']}"
        for header, cells in want["columns"].items():
            assert header in got["columns"], f"{case}/{name}: column {header!r} is gone; {REGENERATE}"
            differ = [i for i, (a, b) in enumerate(zip(got["columns"][header], cells, strict=True)) if a != b]
            assert not differ, (
                f"{case}/{name}/{header}: {len(differ)} cells differ, first at data row {differ[0] + 1}: "
                f"{got['columns'][header][differ[0]]!r} instead of {cells[differ[0]]!r}; {REGENERATE}")
