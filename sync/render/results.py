"""`Hasil`, `Peringkat`, `Rekap Unit` and `IKM`: scoring codes as the words supervisors read."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sheet_templates import results as R
from sync.outtabs import (
    ChartSpec,
    OutputTab,
)
from sync.render.columns import by_distinct, lookup
from sync.render.columns import clean as _clean
from sync.render.common import output_columns, table_rows


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
    # each distinct code worded once: 120,000 rows a year repeat a few dozen of them
    out["work_rating"] = lookup(out["work_rating"], R.RATING_LABELS)
    out["behaviour_rating"] = lookup(out["behaviour_rating"], R.RATING_LABELS)
    out["rating_source"] = lookup(out["rating_source"], R.RATING_SOURCE_LABELS)
    out["predikat"] = lookup(out["predikat"], R.PREDIKAT_LABELS)
    out["rank_change"] = by_distinct(rank_change_text, out["rank_change"])
    out["follow_up"] = by_distinct(_follow_up, out["follow_up"])
    if "attendance_pct" not in out:  # Kehadiran (%): added by sync.render.pay when there is attendance
        out["attendance_pct"] = np.nan
    for column in ("complaints", "complaints_overdue"):  # added by sync.complaints.results
        if column not in out:
            out[column] = np.nan
    cells = results["rejected_cells"] if "rejected_cells" in results else [()] * len(results)
    months = results["missing_months"] if "missing_months" in results else [()] * len(results)
    held_back = results["nip"].isin(list(rejected)).to_numpy()
    out["status"] = by_distinct(_status_text, results["status"], results["reasons"], held_back, cells, months)
    return out


def render_results(results: pd.DataFrame, rejected: set[str]) -> OutputTab:
    """The `Hasil` tab."""
    frame = results_frame(results, rejected)
    frame["components"] = components_text(results)
    return OutputTab(R.RESULTS.label, output_columns(R.RESULTS), table_rows(frame, R.RESULTS),
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
    ranked = results.loc[results["unit_rank"].notna()].sort_values(
        ["period", "unit", "unit_rank", "nip"], kind="stable")
    frame = ranked.assign(
        predikat=lookup(ranked["predikat"], R.PREDIKAT_LABELS),
        best_employee=ranked["best_employee"].map({True: f"★ {R.BEST_EMPLOYEE_LABEL}"}).fillna(""),
    )
    best = frozenset(np.flatnonzero(ranked["best_employee"].astype(bool).to_numpy()).tolist())
    return OutputTab(R.RANKINGS.label, output_columns(R.RANKINGS), table_rows(frame, R.RANKINGS),
                     highlight_rows=best, autofilter=True)


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
    frame["distribution"] = frame["distribution_ok"].map(
        lambda v: R.DISTRIBUTION_LABELS[None if v is None or pd.isna(v) else bool(v)])
    frame["breaches"] = frame["breaches"].map(breach_text)
    frame["ikm_quality"] = frame["ikm_quality"].fillna("")
    for column in (c.name for c in R.COMPLAINT_SUMMARY):  # added by sync.complaints.results
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
        trend = trend_rows(frame)
        charts.append(ChartSpec(
            R.TREND_TITLE, category_column=0, series_columns=tuple(range(1, len(trend[0]))),
            kind="line", y_title=R.TREND_AXIS, source="chart_data", by_row=True,
            value_min=R.TREND_AXIS_RANGE[0], value_max=R.TREND_AXIS_RANGE[1],
            colors=(*[None] * (len(trend) - 2), R.AGENCY_LINE_COLOR)))
    return OutputTab(R.UNIT_SUMMARY.label, output_columns(R.UNIT_SUMMARY),
                     table_rows(frame, R.UNIT_SUMMARY), charts=charts, chart_data=trend)


def trend_rows(frame: pd.DataFrame) -> list[tuple]:
    """The trend chart's data: a header of periods, then one row per unit (the agency last)."""
    periods = sorted(frame["period"].astype(str).unique())
    frame = frame.assign(period=frame["period"].astype(str))
    rows = [(R.UNIT_SUMMARY.column("unit").label, *periods)]
    for (_, unit), group in frame.groupby(["_order", "unit"], sort=True):
        scores = dict(zip(group["period"], group["mean_score"], strict=True))
        rows.append((unit, *(_clean(scores.get(p)) for p in periods)))
    return rows


def render_ikm(ikm: pd.DataFrame) -> OutputTab:
    """The `IKM` tab: per service unit per period, then year to date, with a chart."""
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


