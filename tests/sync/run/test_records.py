"""Rows for the store are plain Python values, whatever dtype pandas gave a column."""

import datetime as dt

import numpy as np
import pandas as pd

from sync.run.rows import records as _records


def reference(frame: pd.DataFrame) -> list[dict]:
    """The cell-by-cell definition the column-wise `_records` must agree with."""
    out = frame.astype(object).where(frame.notna(), None)
    return [{k: v.item() if isinstance(v, np.generic) else v for k, v in row.items()}
            for row in out.to_dict("records")]


def test_records_match_the_cell_by_cell_definition_value_and_type():
    frame = pd.DataFrame({
        "int": [1, 2, 3], "float": [1.5, np.nan, 2.0],
        "Int64": pd.array([1, None, 3], dtype="Int64"),
        "Float64": pd.array([1.25, None, 3.0], dtype="Float64"),
        "str": pd.Series(["a", None, "c"], dtype="str"),
        "np_str": pd.Series(["x", "y", "z"]).map({"x": np.str_("a"), "y": np.str_("b"), "z": np.str_("c")}),
        "text": ["x", None, "z"], "bool": [True, False, True],
        "boolean": pd.array([True, None, False], dtype="boolean"),
        "date": [dt.date(2026, 1, 1), None, dt.date(2026, 1, 2)],
        "category": pd.Categorical(["p", None, "q"]),
        "string": pd.Series(["s", pd.NA, "t"], dtype="string"), "object": [(1, 2), None, [3]],
        "timestamp": pd.to_datetime(["2026-01-01", None, "2026-02-01"]),
        "int8": np.array([1, 2, 3], np.int8)})
    got, want = _records(frame), reference(frame)
    assert got == want
    types = [[type(v) for v in row.values()] for row in got]
    assert types == [[type(v) for v in row.values()] for row in want]
    assert got[1]["Int64"] is None and type(got[0]["Int64"]) is int and got[1]["float"] is None


def test_an_empty_frame_has_no_records():
    assert _records(pd.DataFrame({"a": pd.Series([], dtype=float)})) == []
