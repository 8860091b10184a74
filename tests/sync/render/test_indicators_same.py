"""`Capaian IKI` made without a merge (issue 17): the tab is, cell for cell, the one made before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scoring import periods as period_rules
from sheet_templates import results as R
from sync.outtabs import OutputTab
from sync.render.columns import lookup
from sync.render.common import output_columns, table_columns
from sync.render.indicators import (
    _ASPECT_LABELS,
    _DIRECTION_LABELS,
    _cut,
    _id_number,
    _latest_note,
    _month_numbers,
    _status_words,
    _taken,
    by_distinct,
    render_indicators,
)
from tests.sync.render.same_tabs import assert_same_outcome

YEAR = 2026


# --- render_indicators as it was: a merge with the results, the SKP deduplicated into an index ---

def old_render_indicators(indicators, results, skp, realisations, year, period_type) -> OutputTab:
    tab = R.CAPAIAN_IKI
    columns = output_columns(tab)
    if indicators.empty:
        return OutputTab(tab.label, columns, [], autofilter=True)
    frame = indicators.reset_index(drop=True).assign(period=lambda f: f["period"].astype(str))
    people = results[["period", "nip", "name", "unit"]].astype({"period": str}).drop_duplicates(
        ["period", "nip"])
    people = people.assign(_order=np.arange(len(people)))
    frame = frame.merge(people, on=["period", "nip"], how="left")
    details = skp.drop_duplicates("iki_code", keep="last").set_index("iki_code")
    at = details.index.get_indexer(frame["iki_code"])
    order = np.lexsort((np.where(at >= 0, at, np.nan), frame["_order"].to_numpy(dtype="float64")))
    wanted = {c.name for c in tab.columns} | {"period", "iki_code", "rhk_type", "target", "target_max",
                                              "capaian", "flag", "status"}
    frame = frame[[c for c in frame.columns if c in wanted]].take(order).reset_index(drop=True)
    at = at[order]
    shown = {c.name: frame[c.name] for c in tab.columns if c.name in frame}
    labels = {"aspect": _ASPECT_LABELS, "direction": _DIRECTION_LABELS}
    for column in ("rhk", "indicator", "aspect", "direction"):
        if column not in details:
            shown[column] = np.full(len(frame), None, dtype=object)
        elif column in labels:
            shown[column] = _taken(lookup(details[column], labels[column]), at)
        else:
            shown[column] = _taken(details[column], at)
    shown["rhk_type"] = lookup(frame["rhk_type"].astype(str), R.RHK_TYPE_LABELS)
    months = _month_numbers(realisations["month"]) if len(realisations) else np.zeros(0, np.int64)
    keys = OldKeys(frame, realisations, months, year, period_type)
    for column in ("obstacle", "follow_up_plan"):
        shown[column] = _latest_note(realisations, column, months, keys)
    shown["target"] = old_target_text(frame["target"], frame["target_max"])
    shown["capaian"] = _cut(frame["capaian"])
    shown["status"] = old_indicator_status(frame, keys.months_present(months), year, period_type)
    return OutputTab(tab.label, columns, table_columns(shown, tab), autofilter=True)


class OldKeys:
    def __init__(self, frame, realisations, months, year, period_type):
        n = len(frame)
        codes = pd.factorize(pd.concat([frame["iki_code"], realisations["iki_code"]], ignore_index=True))[0]
        periods = np.concatenate([frame["period"].to_numpy(dtype=object),
                                  period_rules.month_to_period(months, year, period_type)])
        periods = pd.factorize(periods)[0]
        codes, periods = codes + 1, periods + 1
        pairs = codes * (int(periods.max(initial=0)) + 1) + periods
        self.codes, self.realisation_codes = codes[:n], codes[n:]
        self.pairs, self.realisation_pairs = pairs[:n], pairs[n:]
        self.known = (realisations["iki_code"].notna().to_numpy()
                      if len(realisations) else np.zeros(0, dtype=bool))

    def months_present(self, months):
        size = max(int(self.codes.max(initial=0)), int(self.realisation_codes.max(initial=0))) + 1
        present = np.zeros(size, dtype=np.int64)
        np.bitwise_or.at(present, self.realisation_codes, np.left_shift(1, months))
        return present[self.codes]


def old_target_text(lower, upper):
    ranged = upper.notna().to_numpy()
    if not ranged.any():
        return lower
    out = lower.to_numpy(dtype=object).copy()
    out[ranged] = by_distinct(lambda lo, hi: f"{_id_number(lo)}–{_id_number(hi)}",
                              lower.to_numpy()[ranged], upper.to_numpy()[ranged])
    return pd.Series(out, index=lower.index, dtype=object)


def old_indicator_status(frame, present, year, period_type):
    ends = {p: period_rules.period_months(p, year, period_type)[1] for p in frame["period"].unique()}
    last = lookup(frame["period"], ends).astype(np.int64)
    lowest = present & -present
    upto = (np.left_shift(1, last + 1) - 1)
    missing = ~present & upto & ~((lowest << 1) - 1) & np.where(present > 0, -1, 0)
    given = [frame["status"]] if "status" in frame else []
    return by_distinct(_status_words, frame["flag"], missing, *given)


# --- random inputs: unknown and missing NIPs and Kode IKI, duplicates, ranges, empty frames ---

def _texts(values: list, rng: np.random.Generator, dtype: str) -> pd.Series:
    return pd.Series(np.array(values, dtype=object), dtype=dtype if rng.random() < 0.7 else object)


def _inputs(seed: int):
    rng = np.random.default_rng(seed)
    period_type = str(rng.choice(list(period_rules.MONTHS_PER_PERIOD)))
    periods = period_rules.all_periods(YEAR, period_type)
    nips = [f"19800101{i:04d}" for i in range(int(rng.integers(1, 12)))]
    codes = [f"IKI-{i}" for i in range(int(rng.integers(1, 15)))]
    dtype = "str"

    def pick(values, n, missing=0.0):
        out = [values[i] for i in rng.integers(0, len(values), n)]
        return [None if rng.random() < missing else v for v in out]

    n = int(rng.choice([0, 1, 5, 40, 200]))
    results = pd.DataFrame({
        "period": _texts(pick(periods, n), rng, dtype), "nip": _texts(pick(nips, n, 0.05), rng, dtype),
        "name": _texts(pick(["Ani", "Budi", "Citra", "Dewi"], n, 0.1), rng, dtype),
        "unit": _texts(pick(["Umum", "Keuangan", "Dinas A"], n, 0.1), rng, dtype)})
    n = int(rng.choice([0, 1, 3, 30, 300]))
    lower = rng.choice([10.0, 0.0, -0.0, 97.5, 1234.567, np.nan], n)
    indicators = pd.DataFrame({
        "period": _texts(pick(periods, n), rng, dtype),
        "iki_code": _texts(pick([*codes, "IKI-none"], n, 0.05), rng, dtype),
        "nip": _texts(pick([*nips, "199912312020011001"], n, 0.05), rng, dtype),
        "rhk_type": _texts(pick(["main", "additional", "other"], n, 0.05), rng, dtype),
        "weight": rng.random(n), "realisation": rng.choice([1.0, 2.675, np.nan], n),
        "target": lower if rng.random() < 0.8 else pd.Series(lower, dtype="Float64"),
        "target_max": np.where(rng.random(n) < rng.choice([0.0, 0.3]), lower + 2.5, np.nan),
        "capaian": rng.choice([109.996, 100.0, np.nan, 95.12345], n),
        "rating": _texts(pick(["meets", "above"], n, 0.2), rng, dtype),
        "reported": rng.random(n) < 0.5,
        "flag": _texts(pick(["no_realisation", "invalid_target", "x"], n, 0.6), rng, dtype)})
    if rng.random() < 0.5:
        indicators["status"] = _texts(pick(["complete", "", "rejected", "nan"], n, 0.3), rng, dtype)
    if rng.random() < 0.3:  # an index that is not 0, 1, 2, …
        indicators.index = rng.permutation(n) * 3 + 7
    n = int(rng.choice([0, 1, 10, 40]))
    skp = pd.DataFrame({
        "iki_code": _texts(pick(codes, n, 0.05), rng, dtype),
        "rhk": _texts(pick(["r1", "r2", "Meningkatnya layanan"], n, 0.1), rng, dtype),
        "indicator": _texts(pick(["i1", "i2"], n, 0.1), rng, dtype),
        "aspect": _texts(pick(["quantity", "quality", "time", "cost", "other"], n, 0.1), rng, dtype),
        "direction": _texts(pick(["up", "down"], n, 0.1), rng, dtype)})
    skp = skp.drop(columns=[c for c in ("rhk", "indicator", "aspect", "direction") if rng.random() < 0.15])
    n = int(rng.choice([0, 1, 20, 400]))
    notes = ["", "  ", None, "Jaringan putus", "Anggaran terlambat", "Cuaca"]
    realisations = pd.DataFrame({
        "iki_code": _texts(pick([*codes, "IKI-x"], n, 0.05), rng, dtype),
        "month": pd.Series([(YEAR, int(m)) for m in rng.integers(1, 13, n)], dtype=object),
        "obstacle": _texts(pick(notes, n), rng, dtype),
        "follow_up_plan": _texts(pick(notes, n), rng, dtype)})
    return indicators, results, skp, realisations, YEAR, period_type


def _assert_same(*inputs) -> None:
    """The same tab, or the same kind of failure (an SKP without rows cannot give Capaian IKI rows)."""
    assert_same_outcome(render_indicators, old_render_indicators, *inputs)


@pytest.mark.parametrize("seed", range(80))
def test_capaian_iki_is_the_tab_it_was(seed):
    _assert_same(*_inputs(seed))


def test_no_indicators_results_skp_or_realisations():
    indicators, results, skp, realisations, year, period_type = _inputs(3)
    for frames in ((indicators.iloc[:0], results, skp, realisations),
                   (indicators, results, skp, realisations.iloc[:0]),
                   (indicators, results.iloc[:0], skp, realisations),
                   (indicators, results, skp.iloc[:0], realisations)):
        _assert_same(*frames, year, period_type)
