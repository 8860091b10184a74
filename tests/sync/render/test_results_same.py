"""`Hasil`, `Peringkat`, `Rekap Unit` and `IKM` made from arrays (issue 17): cell for cell as before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sheet_templates import results as R
from sync.outtabs import ChartSpec, OutputTab
from sync.render.columns import by_distinct, lookup
from sync.render.columns import clean as _clean
from sync.render.common import output_columns, table_rows
from sync.render.results import (
    _follow_up,
    _status_text,
    breach_text,
    components_text,
    rank_change_text,
    render_ikm,
    render_rankings,
    render_results,
    render_unit_summary,
    results_frame,
    trend_rows,
)
from tests.sync.render.same_tabs import assert_same_outcome, assert_same_tab, same_cells

# --- the functions as they were: a copy of the results, new columns set into frames, a groupby ---


def old_results_frame(results, rejected):
    out = results.copy()
    out["work_rating"] = lookup(out["work_rating"], R.RATING_LABELS)
    out["behaviour_rating"] = lookup(out["behaviour_rating"], R.RATING_LABELS)
    out["rating_source"] = lookup(out["rating_source"], R.RATING_SOURCE_LABELS)
    out["predikat"] = lookup(out["predikat"], R.PREDIKAT_LABELS)
    out["rank_change"] = by_distinct(rank_change_text, out["rank_change"])
    out["follow_up"] = by_distinct(_follow_up, out["follow_up"])
    if "attendance_pct" not in out:
        out["attendance_pct"] = np.nan
    for column in ("complaints", "complaints_overdue"):
        if column not in out:
            out[column] = np.nan
    cells = results["rejected_cells"] if "rejected_cells" in results else [()] * len(results)
    months = results["missing_months"] if "missing_months" in results else [()] * len(results)
    held_back = results["nip"].isin(list(rejected)).to_numpy()
    out["status"] = by_distinct(_status_text, results["status"], results["reasons"], held_back, cells, months)
    return out


def old_render_results(results, rejected):
    frame = old_results_frame(results, rejected)
    frame["components"] = components_text(results)
    return OutputTab(R.RESULTS.label, output_columns(R.RESULTS), table_rows(frame, R.RESULTS),
                     autofilter=True)


def old_render_rankings(results):
    ranked = results.loc[results["unit_rank"].notna()].sort_values(
        ["period", "unit", "unit_rank", "nip"], kind="stable")
    frame = ranked.assign(
        predikat=lookup(ranked["predikat"], R.PREDIKAT_LABELS),
        best_employee=ranked["best_employee"].map({True: f"★ {R.BEST_EMPLOYEE_LABEL}"}).fillna(""),
    )
    best = frozenset(np.flatnonzero(ranked["best_employee"].astype(bool).to_numpy()).tolist())
    return OutputTab(R.RANKINGS.label, output_columns(R.RANKINGS), table_rows(frame, R.RANKINGS),
                     highlight_rows=best, autofilter=True)


def old_render_unit_summary(units, agency):
    agency = agency.assign(unit=R.AGENCY_ROW_LABEL)
    frame = pd.concat([units.assign(_order=0), agency.assign(_order=1)], ignore_index=True)
    frame = frame.sort_values(["period", "_order", "unit"], kind="stable").reset_index(drop=True)
    frame["distribution"] = frame["distribution_ok"].map(
        lambda v: R.DISTRIBUTION_LABELS[None if v is None or pd.isna(v) else bool(v)])
    frame["breaches"] = frame["breaches"].map(breach_text)
    frame["ikm_quality"] = frame["ikm_quality"].fillna("")
    for column in (c.name for c in R.COMPLAINT_SUMMARY):
        if column not in frame:
            frame[column] = None
    charts, trend = [], []
    if len(units):
        last = frame["period"].max()
        idx = frame.index[(frame["period"] == last) & (frame["_order"] == 0)]
        first_count = [c.name for c in R.UNIT_SUMMARY.columns].index("count_very_good")
        charts.append(ChartSpec(
            f"Sebaran Predikat Kinerja per Unit, {last}", category_column=1,
            series_columns=tuple(range(first_count, first_count + len(R.PREDIKAT))), kind="bar",
            stacked=True, x_title="Jumlah pegawai", first_row=int(idx.min()), last_row=int(idx.max()),
            colors=tuple(R.PREDIKAT_COLORS[code] for code, _ in R.PREDIKAT)))
        trend = old_trend_rows(frame)
        charts.append(ChartSpec(
            R.TREND_TITLE, category_column=0, series_columns=tuple(range(1, len(trend[0]))),
            kind="line", y_title=R.TREND_AXIS, source="chart_data", by_row=True,
            value_min=R.TREND_AXIS_RANGE[0], value_max=R.TREND_AXIS_RANGE[1],
            colors=(*[None] * (len(trend) - 2), R.AGENCY_LINE_COLOR)))
    return OutputTab(R.UNIT_SUMMARY.label, output_columns(R.UNIT_SUMMARY),
                     table_rows(frame, R.UNIT_SUMMARY), charts=charts, chart_data=trend)


def old_trend_rows(frame):
    periods = sorted(frame["period"].astype(str).unique())
    frame = frame.assign(period=frame["period"].astype(str))
    rows = [(R.UNIT_SUMMARY.column("unit").label, *periods)]
    for (_, unit), group in frame.groupby(["_order", "unit"], sort=True):
        scores = dict(zip(group["period"], group["mean_score"], strict=True))
        rows.append((unit, *(_clean(scores.get(p)) for p in periods)))
    return rows


def old_render_ikm(ikm):
    order = {"period": 0, "ytd": 1}
    frame = ikm.assign(_order=ikm["scope"].map(order)).sort_values(
        ["_order", "period", "service_unit"], kind="stable").reset_index(drop=True)
    frame["scope"] = frame["scope"].map(R.IKM_SCOPE_LABELS)
    frame["adequate"] = frame["adequate"].map(
        lambda v: R.YES_NO_LABELS[None if v is None or pd.isna(v) else bool(v)])
    frame["unit_performance"] = frame["unit_performance"].map(R.UNIT_PERFORMANCE_LABELS)
    charts, data = [], []
    ytd = frame.index[frame["_order"] == 1]
    if len(ytd):
        last = frame.loc[ytd, "period"].max()
        idx = frame.index[(frame["_order"] == 1) & (frame["period"] == last)]
        edges = R.IKM_BAND_EDGES
        data = [(R.IKM.column("service_unit").label, R.IKM.column("ikm").label,
                 *(label for label, _, _ in edges))]
        data += [(frame.at[i, "service_unit"], _clean(frame.at[i, "ikm"]),
                  *(value for _, value, _ in edges)) for i in idx]
        charts.append(ChartSpec(
            f"IKM per Unit Layanan, tahun berjalan s.d. {last}", category_column=0,
            series_columns=tuple(range(1, 2 + len(edges))), kind="column",
            y_title="IKM (25–100)", value_min=R.IKM_AXIS[0], value_max=R.IKM_AXIS[1],
            line_series=tuple(range(1, 1 + len(edges))), source="chart_data",
            colors=(R.IKM_BAR_COLOR, *(colour for _, _, colour in edges))))
    return OutputTab(R.IKM.label, output_columns(R.IKM), table_rows(frame, R.IKM), charts=charts,
                     chart_data=data)


# --- random frames as scoring makes them: codes, missing values, unknown codes, optional columns ---

PERIODS = ["2026-01", "2026-02", "2026-03", "2026-T1"]
UNITS = ["Dinas A", "Bagian Umum", "Keuangan", "Zeta"]


class Draw:
    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def pick(self, values: list, n: int, missing: float = 0.0) -> list:
        out = [values[i] for i in self.rng.integers(0, len(values), n)]
        return [None if self.rng.random() < missing else v for v in out]

    def texts(self, values: list, n: int, missing: float = 0.0) -> pd.Series:
        dtype = "str" if self.rng.random() < 0.8 else object
        return pd.Series(np.array(self.pick(values, n, missing), dtype=object), dtype=dtype)

    def objects(self, values: list, n: int, missing: float = 0.0) -> pd.Series:
        return pd.Series(np.fromiter(self.pick(values, n, missing), dtype=object, count=n), dtype=object)

    def floats(self, n: int, missing: float = 0.2) -> np.ndarray:
        values = self.rng.choice([1.005, 2.675, 90.0, 109.996, -0.0, 1234567.891], n)
        return np.where(self.rng.random(n) < missing, np.nan, values)

    def ints(self, n: int, missing: float = 0.2) -> pd.Series:
        return pd.Series([None if self.rng.random() < missing else int(v)
                          for v in self.rng.integers(-3, 30, n)], dtype="Int64")


def random_results(seed: int) -> pd.DataFrame:
    d = Draw(seed)
    n = int(d.rng.choice([0, 1, 4, 30, 250]))
    frame = pd.DataFrame({
        "period": d.texts(PERIODS, n), "nip": d.texts([f"19800101{i:04d}" for i in range(9)], n, 0.05),
        "name": d.texts(["Ani", "Budi", "Citra"], n, 0.1), "unit": d.texts(UNITS, n, 0.1),
        "position": d.texts(["Analis", "Pranata Komputer"], n, 0.2), "work_achievement": d.floats(n),
        "work_rating": d.texts(["above", "meets", "below", "other"], n, 0.1), "behaviour_score": d.floats(n),
        "behaviour_rating": d.texts(["above", "meets", "below"], n, 0.1),
        "rating_source": d.texts(["supervisor", "auto", "x"], n, 0.1), "ikm": d.floats(n),
        "ikm_quality": d.texts(["A", "B"], n, 0.3), "performance_score": d.floats(n),
        "predikat": d.texts(["very_good", "good", "needs_improvement", "poor", "very_poor", "?"], n, 0.1),
        "unit_rank": d.ints(n), "agency_rank": d.ints(n), "rank_change": d.ints(n, 0.4),
        "follow_up": d.objects([(), ("award",), ("training:accountable", "coaching"),
                                ("discipline:3:ringan",), ("odd:value",)], n, 0.1),
        "status": d.texts(["complete", "incomplete"], n),
        "reasons": d.objects([(), ("no_supervisor_rating",), ("rows_rejected", "missing_month"), ("new",)],
                             n),
        "best_employee": d.rng.random(n) < 0.2,
    })
    if d.rng.random() < 0.7:
        frame["rejected_cells"] = d.objects([(), ("Pegawai!C3",), ("SKP!K2", "SKP!K3")], n)
    if d.rng.random() < 0.7:
        frame["missing_months"] = d.objects([(), (2,), (1, 3)], n)
    if d.rng.random() < 0.6:
        frame["components"] = d.objects([("work", "behaviour", "ikm"), ("work",), (), "x"], n, 0.1)
    for column in ("attendance_pct", "complaints", "complaints_overdue"):
        if d.rng.random() < 0.5:
            frame[column] = d.floats(n) if column == "attendance_pct" else d.rng.integers(0, 4, n)
    if d.rng.random() < 0.2:
        frame["best_employee"] = d.objects([True, False], n, 0.3)
    return frame


@pytest.mark.parametrize("seed", range(60))
def test_hasil_and_peringkat_are_the_tabs_they_were(seed):
    results = random_results(seed)
    rejected = set(results["nip"].dropna().iloc[:2].tolist()) | {"999"}
    assert_same_tab(render_results(results, rejected), old_render_results(results, rejected))
    assert_same_tab(render_rankings(results), old_render_rankings(results))
    got, want = results_frame(results, rejected), old_results_frame(results, rejected)
    assert list(got.columns) == list(want.columns)
    for column in got:
        assert same_cells(got[column].tolist(), want[column].tolist()), column


def _breaches(d: Draw, n: int) -> pd.Series:
    shapes = [(), ({"rule": "max", "predikat": ("good",), "limit": 70, "actual": 72.5},),
              ({"rule": "must_have", "predikat": ("poor", "very_poor"), "limit": None, "actual": 0.0},
               {"rule": "min", "predikat": "very_good", "limit": 5.5, "actual": 1.25}),
              ({"rule": "none", "predikat": ("very_poor",), "limit": None, "actual": 3.0},), None]
    return d.objects(shapes, n)


def random_units(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    d = Draw(seed)
    frames = []
    for n, units in ((int(d.rng.choice([0, 1, 6, 40])), UNITS), (int(d.rng.choice([0, 1, 4])), [None])):
        frame = pd.DataFrame({
            "period": d.texts(PERIODS, n), "unit": d.texts(units, n, 0.1 if units[0] else 0.0),
            "employees": d.rng.integers(0, 50, n), "scored": d.rng.integers(0, 50, n),
            "mean_score": d.floats(n),
            **{c: d.rng.integers(0, 9, n) for c in (
                "count_very_good", "count_good", "count_needs_improvement", "count_poor", "count_very_poor")},
            "ikm": d.floats(n), "ikm_quality": d.texts(["A", "B", "C"], n, 0.3),
            "distribution_ok": d.objects([True, False, None, np.nan], n), "breaches": _breaches(d, n)})
        if d.rng.random() < 0.7:
            for column in ("complaints", "complaints_open", "complaints_overdue"):
                frame[column] = d.ints(n)
            frame["complaints_median_days"] = pd.Series(d.floats(n), dtype="Float64")
        frames.append(frame)
    return frames[0], frames[1]


@pytest.mark.parametrize("seed", range(60))
def test_rekap_unit_and_its_trend_are_what_they_were(seed):
    units, agency = random_units(seed)
    assert_same_outcome(render_unit_summary, old_render_unit_summary, units, agency)
    frame = pd.concat([units.assign(_order=0), agency.assign(unit="Instansi", _order=1)], ignore_index=True)
    assert same_cells(trend_rows(frame), old_trend_rows(frame))


def random_ikm(seed: int) -> pd.DataFrame:
    d = Draw(seed)
    n = int(d.rng.choice([0, 1, 5, 60]))
    frame = pd.DataFrame({
        "scope": d.texts(["period", "ytd", "other"], n, 0.05), "period": d.texts(PERIODS, n),
        "service_unit": d.texts(UNITS, n, 0.1), "respondents": d.rng.integers(0, 40, n),
        "population": d.ints(n), "min_sample": d.ints(n), "adequate": d.objects([True, False, None], n),
        **{f"nrr_u{i}": d.floats(n) for i in range(1, 10)}, "ikm": d.floats(n),
        "quality": d.texts(["A", "B"], n, 0.2),
        "unit_performance": d.texts(["very_good", "good", "fair", "poor", "?"], n, 0.1)})
    if d.rng.random() < 0.2:
        frame["adequate"] = d.rng.random(n) < 0.5
    return frame


@pytest.mark.parametrize("seed", range(60))
def test_ikm_is_the_tab_it_was(seed):
    ikm = random_ikm(seed)
    assert_same_outcome(render_ikm, old_render_ikm, ikm)
