"""`Hasil`, `Peringkat`, `Rekap Unit` and `IKM`: scoring codes as the words supervisors read."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheet_templates import results as R
from sync.outtabs import (
    ChartSpec,
    OutputTab,
)
from sync.render.columns import by_distinct, lookup, objects
from sync.render.columns import clean as _clean
from sync.render.common import output_columns, table_columns


def rank_change_text(value) -> str:
    if value is None or pd.isna(value):
        return ""
    value = int(value)
    return f"▲ {value}" if value > 0 else f"▼ {-value}" if value < 0 else "="


def _follow_up(codes) -> str:
    words = []
    for code in codes or ():
        kind, _, detail = code.partition(":")
        if kind == "discipline":  # "discipline:<days>:<hukuman>", from sync.render.pay
            days, _, sanction = detail.partition(":")
            words.append(R.DISCIPLINE_FOLLOW_UP.format(days=days, sanction=sanction))
            continue
        word = R.FOLLOW_UP_LABELS.get(kind, kind)
        words.append(f"{word}: {R.VALUE_LABELS.get(detail, detail)}" if detail else word)
    return "; ".join(words)


def _status(status: str, reasons, nip: str, rejected: set[str], cells=(), months=()) -> str:
    return _status_text(status, reasons, nip in rejected, cells, months)


def _status_text(status: str, reasons, rows_rejected: bool, cells=(), months=()) -> str:
    if status == "complete":
        return R.STATUS_COMPLETE
    words = [R.REASON_LABELS.get(r, r) for r in reasons or () if r not in ("rows_rejected", "missing_month")]
    if cells:
        words.append(f"{R.REASON_REJECTED_CELLS} ({R.SEE_VALIDATION}: {', '.join(cells)})")
    elif rows_rejected:
        words.append(R.REASON_LABELS["rows_rejected"])
    if months:
        words.append(R.REASON_MISSING_MONTHS.format(months=", ".join(R.MONTH_NAMES[m] for m in months)))
    return f"{R.STATUS_INCOMPLETE}: {'; '.join(words)}" if words else R.STATUS_INCOMPLETE


def results_frame(results: pd.DataFrame, rejected: set[str]) -> pd.DataFrame:
    """The scoring results with every code replaced by the word a supervisor reads."""
    out = results.copy()
    for column, values in _worded(results, rejected).items():
        out[column] = values
    return out


def _worded(results: pd.DataFrame, rejected: set[str]) -> dict[str, np.ndarray]:
    """The columns `results_frame` replaces or adds, as arrays, in the order it sets them."""
    # each distinct code worded once: 120,000 rows a year repeat a few dozen of them
    out = {
        "work_rating": lookup(results["work_rating"], R.RATING_LABELS),
        "behaviour_rating": lookup(results["behaviour_rating"], R.RATING_LABELS),
        "rating_source": lookup(results["rating_source"], R.RATING_SOURCE_LABELS),
        "predikat": lookup(results["predikat"], R.PREDIKAT_LABELS),
        "rank_change": by_distinct(rank_change_text, results["rank_change"]),
        "follow_up": by_distinct(_follow_up, results["follow_up"]),
    }
    # Kehadiran (%): added by sync.render.pay when there is attendance; complaints by sync.complaints.results
    for column in ("attendance_pct", "complaints", "complaints_overdue"):
        if column not in results:
            out[column] = np.full(len(results), np.nan)
    cells = results["rejected_cells"] if "rejected_cells" in results else [()] * len(results)
    months = results["missing_months"] if "missing_months" in results else [()] * len(results)
    held_back = results["nip"].isin(list(rejected)).to_numpy()
    out["status"] = by_distinct(_status_text, results["status"], results["reasons"], held_back, cells, months)
    return out


def render_results(results: pd.DataFrame, rejected: set[str]) -> OutputTab:
    """The `Hasil` tab."""
    # the tab's columns as arrays: neither a copy of every result column nor pandas inferring new ones
    shown = _worded(results, rejected)
    texts = components_text(results)
    shown["components"] = objects(texts) if texts else np.zeros(0)  # as pandas makes an empty list: floats
    columns = {c.name: shown[c.name] if c.name in shown else results[c.name] for c in R.RESULTS.columns}
    return OutputTab(R.RESULTS.label, output_columns(R.RESULTS), table_columns(columns, R.RESULTS),
                     autofilter=True)


def components_text(results: pd.DataFrame) -> list[str]:
    """`Komponen Nilai`: the parts Nilai Kinerja rests on, e.g. "Hasil Kerja, Perilaku, IKM".

    From scoring's `components` (codes "work", "behaviour", "ikm"); without it,
    the same rule: each part whose score exists.
    """
    if "components" in results:
        codes = results["components"]
    else:
        present = {name: results[column].notna().to_numpy() for name, column in (
            ("work", "work_achievement"), ("behaviour", "behaviour_score"), ("ikm", "ikm"))}
        codes = [tuple(name for name in present if present[name][i]) for i in range(len(results))]
    return by_distinct(_components_words, codes).tolist()


def _components_words(code) -> str:
    return ", ".join(R.COMPONENT_LABELS.get(c, c) for c in (code if isinstance(code, tuple | list) else ()))


def render_rankings(results: pd.DataFrame) -> OutputTab:
    """The `Peringkat` tab: ranked employees per unit and period, the best one marked."""
    names = [c.name for c in R.RANKINGS.columns]
    ranked = results[names].take(_ranked_rows(results))
    shown = {name: ranked[name] for name in names}
    shown["predikat"] = lookup(ranked["predikat"], R.PREDIKAT_LABELS)
    marks = lookup(ranked["best_employee"], {True: f"★ {R.BEST_EMPLOYEE_LABEL}"})
    marks[pd.isna(marks)] = ""  # the others: an empty text
    shown["best_employee"] = marks
    best = frozenset(np.flatnonzero(ranked["best_employee"].astype(bool).to_numpy()).tolist())
    return OutputTab(R.RANKINGS.label, output_columns(R.RANKINGS), table_columns(shown, R.RANKINGS),
                     highlight_rows=best, autofilter=True)


def _ranked_rows(results: pd.DataFrame) -> np.ndarray:
    """The rows with a unit rank, by period, unit, unit rank and NIP (missing last; stable)."""
    rows = np.flatnonzero(results["unit_rank"].notna().to_numpy())
    keys = [_sort_codes(results[c])[rows] for c in ("period", "unit", "unit_rank", "nip")]
    return rows[np.lexsort(keys[::-1])]


def _sort_codes(column: pd.Series) -> np.ndarray:
    """Whole numbers that sort as `column`'s values do, missing values last (as `sort_values` puts them)."""
    if isinstance(column.dtype, pd.StringDtype):
        values = column.to_numpy(dtype=object)  # pandas factorizes its own texts several times slower
    else:
        values = column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array
    codes, uniques = pd.factorize(values, sort=True)
    return np.where(codes < 0, len(uniques), codes)


def breach_text(breaches, number=lambda value: f"{value:.1f}") -> str:
    """Each breached SE 03/2023 limit as a short Indonesian sentence.

    `number` writes a share (one decimal); the documents pass their own, with a decimal comma.
    """
    parts = []
    for b in breaches or ():
        codes = b["predikat"] if isinstance(b["predikat"], tuple | list) else (b["predikat"],)
        label = " dan/atau ".join(R.PREDIKAT_LABELS.get(c, c) for c in codes)
        actual = number(b["actual"])
        if b["rule"] == "max":
            parts.append(f"{label} {actual}% melebihi batas {b['limit']:g}%")
        elif b["rule"] == "min":
            parts.append(f"{label} {actual}% kurang dari minimal {b['limit']:g}%")
        elif b["rule"] == "none":
            parts.append(f"tidak boleh ada {label} ({actual}%)")
        else:  # must_have
            parts.append(f"harus ada pegawai {label.replace(' dan/atau ', ' atau ')}")
    return "; ".join(parts).replace(".", ",")


def render_unit_summary(units: pd.DataFrame, agency: pd.DataFrame) -> OutputTab:
    """The `Rekap Unit` tab, the agency's own row after each period's units, with a chart."""
    agency = agency.assign(unit=R.AGENCY_ROW_LABEL)
    frame = pd.concat([units.assign(_order=0), agency.assign(_order=1)], ignore_index=True)
    frame = frame.sort_values(["period", "_order", "unit"], kind="stable").reset_index(drop=True)
    # a few dozen rows: worded value by value, kept as arrays (not set back into the frame)
    shown = {c.name: frame[c.name] for c in R.UNIT_SUMMARY.columns if c.name in frame}
    shown["distribution"] = objects([R.DISTRIBUTION_LABELS[None if v is None or pd.isna(v) else bool(v)]
                                      for v in frame["distribution_ok"].tolist()])
    shown["breaches"] = objects([breach_text(v) for v in frame["breaches"].tolist()])
    shown["ikm_quality"] = frame["ikm_quality"].fillna("")
    for column in (c.name for c in R.COMPLAINT_SUMMARY):  # added by sync.complaints.results
        if column not in frame:
            shown[column] = np.full(len(frame), None, dtype=object)
    charts, trend = [], []
    if len(units):
        last = frame["period"].max()
        units_of_last = (frame["period"].to_numpy(dtype=object) == last) & (frame["_order"].to_numpy() == 0)
        idx = np.flatnonzero(units_of_last)
        first_count = [c.name for c in R.UNIT_SUMMARY.columns].index("count_very_good")
        charts.append(ChartSpec(
            f"Sebaran Predikat Kinerja per Unit, {last}", category_column=1,
            series_columns=tuple(range(first_count, first_count + len(R.PREDIKAT))), kind="bar",
            stacked=True, x_title="Jumlah pegawai", first_row=int(idx.min()), last_row=int(idx.max()),
            colors=tuple(R.PREDIKAT_COLORS[code] for code, _ in R.PREDIKAT)))
        trend = trend_rows(frame)
        charts.append(ChartSpec(
            R.TREND_TITLE, category_column=0, series_columns=tuple(range(1, len(trend[0]))),
            kind="line", y_title=R.TREND_AXIS, source="chart_data", by_row=True,
            value_min=R.TREND_AXIS_RANGE[0], value_max=R.TREND_AXIS_RANGE[1],
            colors=(*[None] * (len(trend) - 2), R.AGENCY_LINE_COLOR)))
    return OutputTab(R.UNIT_SUMMARY.label, output_columns(R.UNIT_SUMMARY),
                     table_columns(shown, R.UNIT_SUMMARY), charts=charts, chart_data=trend)


def trend_rows(frame: pd.DataFrame) -> list[tuple]:
    """The trend chart's data: a header of periods, then one row per unit (the agency last)."""
    period = frame["period"].astype(str)
    periods = sorted(period.unique())
    # per (order, unit), as a groupby on them gave: sorted, missing keys left out, the lower row winning
    scores: dict[tuple, dict] = {}
    for order, unit, label, score in zip(frame["_order"].tolist(), frame["unit"].tolist(), period.tolist(),
                                         frame["mean_score"].tolist(), strict=True):
        if not (pd.isna(order) or pd.isna(unit)):
            scores.setdefault((order, unit), {})[label] = score
    rows = [(R.UNIT_SUMMARY.column("unit").label, *periods)]
    for order, unit in sorted(scores):
        rows.append((unit, *(_clean(scores[order, unit].get(p)) for p in periods)))
    return rows


def render_ikm(ikm: pd.DataFrame) -> OutputTab:
    """The `IKM` tab: per service unit per period, then year to date, with a chart."""
    order = {"period": 0, "ytd": 1}
    frame = ikm.assign(_order=ikm["scope"].map(order)).sort_values(
        ["_order", "period", "service_unit"], kind="stable").reset_index(drop=True)
    shown = {c.name: frame[c.name] for c in R.IKM.columns if c.name in frame}
    shown["scope"] = lookup(frame["scope"], R.IKM_SCOPE_LABELS)
    shown["adequate"] = objects([R.YES_NO_LABELS[None if v is None or pd.isna(v) else bool(v)]
                                  for v in frame["adequate"].tolist()])
    shown["unit_performance"] = lookup(frame["unit_performance"], R.UNIT_PERFORMANCE_LABELS)
    charts, data = [], []
    ytd = frame["_order"].to_numpy() == 1
    if ytd.any():
        last = frame["period"][ytd].max()
        idx = np.flatnonzero(ytd & (frame["period"].to_numpy(dtype=object) == last))
        edges = R.IKM_BAND_EDGES
        data = [(R.IKM.column("service_unit").label, R.IKM.column("ikm").label,
                 *(label for label, _, _ in edges))]
        units, values = frame["service_unit"].tolist(), frame["ikm"].tolist()
        data += [(units[i], _clean(values[i]), *(value for _, value, _ in edges)) for i in idx.tolist()]
        charts.append(ChartSpec(
            f"IKM per Unit Layanan, tahun berjalan s.d. {last}", category_column=0,
            series_columns=tuple(range(1, 2 + len(edges))), kind="column",
            y_title="IKM (25–100)", value_min=R.IKM_AXIS[0], value_max=R.IKM_AXIS[1],
            line_series=tuple(range(1, 1 + len(edges))), source="chart_data",
            colors=(R.IKM_BAR_COLOR, *(colour for _, _, colour in edges))))
    return OutputTab(R.IKM.label, output_columns(R.IKM), table_columns(shown, R.IKM), charts=charts,
                     chart_data=data)


