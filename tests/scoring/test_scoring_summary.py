import numpy as np
import pandas as pd

from scoring import Settings
from scoring.summary import SUMMARY_COLUMNS, summarise

RESULTS = pd.DataFrame({
    "period": ["2026-01"] * 4,
    "unit": ["A", "A", "A", "B"],
    "predikat": ["good", "good", None, "very_good"],
    "performance_score": [90.0, 80.0, np.nan, 100.0],
})
IKM = pd.DataFrame({"period": ["2026-01"], "unit": ["A"], "ikm": [88.31], "ikm_quality": ["A"]})


def test_units():
    out = summarise(RESULTS, IKM, Settings())
    assert tuple(out.columns) == SUMMARY_COLUMNS
    a, b = out.to_dict("records")
    assert (a["unit"], a["employees"], a["scored"], a["mean_score"]) == ("A", 3, 2, 85.0)
    assert (a["count_good"], a["count_very_good"], a["count_poor"]) == (2, 0, 0)
    assert (a["ikm"], a["ikm_quality"]) == (88.31, "A")
    assert np.isnan(b["ikm"]) and pd.isna(b["ikm_quality"])
    assert a["distribution_ok"] is None and a["breaches"] == ()


def test_distribution_per_unit():
    out = summarise(RESULTS, IKM, Settings(org_predikat="outstanding"))
    a, b = out.to_dict("records")
    assert (a["distribution_ok"], a["breaches"]) == (True, ())
    # unit B: 1 of 1 very_good = 100 % > 70 %
    assert b["distribution_ok"] is False
    assert b["breaches"] == (
        {"rule": "max", "predikat": ("very_good",), "limit": 70, "actual": 100.0},)


def test_agency():
    agency_ikm = pd.DataFrame({"period": ["2026-01"], "unit": [None], "ikm": [70.0],
                               "ikm_quality": ["C"]})
    out = summarise(RESULTS, agency_ikm, Settings(org_predikat="good"), by_unit=False)
    (row,) = out.to_dict("records")
    assert row["unit"] is None
    assert (row["employees"], row["scored"], row["mean_score"]) == (4, 3, 90.0)
    assert (row["ikm"], row["ikm_quality"]) == (70.0, "C")
    # 2 of 3 good = 66.7 % ≤ 70 %, but nobody needs improvement or is poor
    assert [b["rule"] for b in row["breaches"]] == ["must_have"]
