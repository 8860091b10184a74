"""Scoring results and validation issues → the output tabs supervisors read.

Pure: codes become Indonesian words (from `sheet_templates.results`), numbers
are rounded for reading, and each tab gets its columns from the schema.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from sheet_templates import results as R
from sheet_templates.messages import message
from sheet_templates.schema import Tab
from sync.check.validate import ERROR, Issue
from sync.outtabs import ChartSpec, OutputColumn, OutputTab

LEVEL_LABELS = {ERROR: R.LEVEL_ERROR, "warning": R.LEVEL_WARNING}


def output_columns(tab: Tab) -> list[OutputColumn]:
    """The schema's columns of an output tab as OutputColumns."""
    kinds = {"int": "int", "number": "number"}
    return [OutputColumn(c.label, kinds.get(c.type, "text"), c.width,
                         wrap=c.width >= 40) for c in tab.columns]


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 2)
    if hasattr(value, "item") and not isinstance(value, str | tuple):  # numpy scalars
        return _clean(value.item())
    return value


def table_rows(frame: pd.DataFrame, tab: Tab) -> list[tuple]:
    names = [c.name for c in tab.columns]
    return [tuple(_clean(v) for v in row) for row in frame[names].itertuples(index=False, name=None)]


def render_validation(issues: list[Issue], when: dt.datetime) -> OutputTab:
    """The `Validasi` tab: a summary line, then one row per issue, in a clerk's working order."""
    errors = sum(i.level == ERROR for i in issues)
    stamp = when.strftime("%Y-%m-%d %H:%M")
    if issues:
        title = message("summary", when=stamp, errors=errors, warnings=len(issues) - errors)[0]
    else:
        title = message("summary_clean", when=stamp)[0]
    ordered = sorted(issues, key=lambda i: (i.level != ERROR, *i.sort_key()))
    rows = [(LEVEL_LABELS[i.level], i.tab, i.row, i.column, i.cell, i.value, i.problem, i.fix)
            for i in ordered]
    return OutputTab(R.VALIDATION.label, output_columns(R.VALIDATION), rows, title=title)


def rank_change_text(value) -> str:
    if value is None or pd.isna(value):
        return ""
    value = int(value)
    return f"▲ {value}" if value > 0 else f"▼ {-value}" if value < 0 else "="


def _follow_up(codes) -> str:
    words = []
    for code in codes or ():
        kind, _, detail = code.partition(":")
        word = R.FOLLOW_UP_LABELS.get(kind, kind)
        words.append(f"{word}: {R.VALUE_LABELS.get(detail, detail)}" if detail else word)
    return "; ".join(words)


def _status(status: str, reasons, nip: str, rejected: set[str]) -> str:
    if status == "complete":
        return R.STATUS_COMPLETE
    words = [R.REASON_LABELS.get(r, r) for r in reasons or ()]
    if nip in rejected:
        words.append(R.REASON_LABELS["rows_rejected"])
    return f"{R.STATUS_INCOMPLETE}: {'; '.join(words)}" if words else R.STATUS_INCOMPLETE


def results_frame(results: pd.DataFrame, rejected: set[str]) -> pd.DataFrame:
    """The scoring results with every code replaced by the word a supervisor reads."""
    out = results.copy()
    out["work_rating"] = out["work_rating"].map(R.RATING_LABELS)
    out["behaviour_rating"] = out["behaviour_rating"].map(R.RATING_LABELS)
    out["rating_source"] = out["rating_source"].map(R.RATING_SOURCE_LABELS)
    out["predikat"] = out["predikat"].map(R.PREDIKAT_LABELS)
    out["rank_change"] = out["rank_change"].map(rank_change_text)
    out["follow_up"] = out["follow_up"].map(_follow_up)
    out["status"] = [_status(s, r, n, rejected) for s, r, n in
                     zip(results["status"], results["reasons"], results["nip"], strict=True)]
    return out


def render_results(results: pd.DataFrame, rejected: set[str]) -> OutputTab:
    """The `Hasil` tab."""
    frame = results_frame(results, rejected)
    return OutputTab(R.RESULTS.label, output_columns(R.RESULTS), table_rows(frame, R.RESULTS))


def render_rankings(results: pd.DataFrame) -> OutputTab:
    """The `Peringkat` tab: ranked employees per unit and period, the best one marked."""
    ranked = results.loc[results["unit_rank"].notna()].sort_values(
        ["period", "unit", "unit_rank", "nip"], kind="stable")
    frame = ranked.assign(
        predikat=ranked["predikat"].map(R.PREDIKAT_LABELS),
        best_employee=ranked["best_employee"].map({True: f"★ {R.BEST_EMPLOYEE_LABEL}"}).fillna(""),
    )
    best = frozenset(i for i, flag in enumerate(ranked["best_employee"]) if flag)
    return OutputTab(R.RANKINGS.label, output_columns(R.RANKINGS), table_rows(frame, R.RANKINGS),
                     highlight_rows=best)


def breach_text(breaches) -> str:
    """Each breached SE 03/2023 limit as a short Indonesian sentence."""
    parts = []
    for b in breaches or ():
        codes = b["predikat"] if isinstance(b["predikat"], tuple | list) else (b["predikat"],)
        label = " dan/atau ".join(R.PREDIKAT_LABELS.get(c, c) for c in codes)
        if b["rule"] == "max":
            parts.append(f"{label} {b['actual']:.1f}% melebihi batas {b['limit']:g}%")
        elif b["rule"] == "min":
            parts.append(f"{label} {b['actual']:.1f}% kurang dari minimal {b['limit']:g}%")
        elif b["rule"] == "none":
            parts.append(f"tidak boleh ada {label} ({b['actual']:.1f}%)")
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
    charts = []
    if len(units):
        last = frame["period"].max()
        idx = frame.index[(frame["period"] == last) & (frame["_order"] == 0)]
        first_count = [c.name for c in R.UNIT_SUMMARY.columns].index("count_very_good")
        charts.append(ChartSpec(
            f"Sebaran Predikat Kinerja per Unit, {last}", category_column=1,
            series_columns=tuple(range(first_count, first_count + len(R.PREDIKAT))), kind="bar",
            stacked=True, x_title="Jumlah pegawai", first_row=int(idx.min()), last_row=int(idx.max())))
    return OutputTab(R.UNIT_SUMMARY.label, output_columns(R.UNIT_SUMMARY),
                     table_rows(frame, R.UNIT_SUMMARY), charts=charts)


def render_ikm(ikm: pd.DataFrame) -> OutputTab:
    """The `IKM` tab: per service unit per period, then year to date, with a chart."""
    order = {"period": 0, "ytd": 1}
    frame = ikm.assign(_order=ikm["scope"].map(order)).sort_values(
        ["_order", "period", "service_unit"], kind="stable").reset_index(drop=True)
    frame["scope"] = frame["scope"].map(R.IKM_SCOPE_LABELS)
    frame["adequate"] = frame["adequate"].map(
        lambda v: R.YES_NO_LABELS[None if v is None or pd.isna(v) else bool(v)])
    frame["unit_performance"] = frame["unit_performance"].map(R.UNIT_PERFORMANCE_LABELS)
    charts = []
    ytd = frame.index[frame["_order"] == 1]
    if len(ytd):
        last = frame.loc[ytd, "period"].max()
        idx = frame.index[(frame["_order"] == 1) & (frame["period"] == last)]
        ikm_col = [c.name for c in R.IKM.columns].index("ikm")
        charts.append(ChartSpec(f"IKM per Unit Layanan, tahun berjalan s.d. {last}",
                                category_column=2, series_columns=(ikm_col,), kind="bar",
                                x_title="IKM (25–100)", first_row=int(idx.min()),
                                last_row=int(idx.max())))
    return OutputTab(R.IKM.label, output_columns(R.IKM), table_rows(frame, R.IKM), charts=charts)
