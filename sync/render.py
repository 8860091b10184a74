"""Scoring results and validation issues → the output tabs supervisors read.

Pure: codes become Indonesian words (from `sheet_templates.results`), numbers
are rounded for reading, and each tab gets its columns from the schema.
`print_ready` then fits the column widths to what they hold and names the
agency and period for the printed page header, the same for every tab.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from scoring import periods as period_rules
from sheet_templates import results as R
from sheet_templates.messages import message
from sheet_templates.schema import INDICATORS, Tab
from sync.check.validate import ERROR, Issue
from sync.outtabs import (
    ChartSpec,
    OutputColumn,
    OutputTab,
    PrintInfo,
    longest_word_units,
    text_units,
)

LEVEL_LABELS = {ERROR: R.LEVEL_ERROR, "warning": R.LEVEL_WARNING}
MAX_MONTHS_NAMED = 3  # months named in one status; "dst." stands for the rest


def output_columns(tab: Tab) -> list[OutputColumn]:
    """The schema's columns of an output tab as OutputColumns.

    Numbers whose label ends in "(%)" show a % sign; long text columns wrap.
    """
    out = []
    for c in tab.columns:
        kind = {"int": "int", "number": "number"}.get(c.type, "text")
        if kind == "number" and c.label.endswith("(%)"):
            kind = "percent"
        out.append(OutputColumn(c.label, kind, c.width, wrap=c.width >= 40 or c.name in R.WRAPPED_COLUMNS,
                                grouped=c.name in R.GROUPED_COLUMNS))
    return out


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(float(value), 2)
    if hasattr(value, "item") and not isinstance(value, str | tuple):  # numpy scalars
        return _clean(value.item())
    return value


def table_rows(frame: pd.DataFrame, tab: Tab) -> list[tuple]:
    names = [c.name for c in tab.columns]
    return [tuple(_clean(v) for v in row) for row in frame[names].itertuples(index=False, name=None)]


MAX_PER_RULE = 50  # Validasi rows per rule per column; the rest is counted in a summary row
MAX_VALIDATION_ROWS = 10_000  # Validasi rows of messages in all (Excel stops at 1,048,576)
_FIRST_SHOWN = 5  # cells a summary row names


def render_validation(issues: list[Issue], when: dt.datetime, per_rule: int = MAX_PER_RULE,
                      limit: int = MAX_VALIDATION_ROWS) -> OutputTab:
    """The `Validasi` tab: a summary line, then one row per issue, in a clerk's working order.

    Bounded: at most `per_rule` messages of one rule in one column and `limit` in all; each
    rule with messages left out gets a summary row at the bottom (how many, and the first
    cells). The title counts every issue. `write_validation_csv` writes the full list.
    """
    errors = sum(i.level == ERROR for i in issues)
    stamp = when.strftime("%Y-%m-%d %H:%M")
    if issues:
        title = message("summary", when=stamp, errors=_count(errors),
                        warnings=_count(len(issues) - errors))[0]
    else:
        title = message("summary_clean", when=stamp)[0]
    shown: list[Issue] = []
    groups: dict[tuple, _RuleGroup] = {}
    for issue in ordered_issues(issues):
        key = (issue.level, issue.tab, issue.column, issue.rule or issue.problem)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _RuleGroup(issue)
        group.total += 1
        if len(group.first) < _FIRST_SHOWN:
            group.first.append(issue)
        if group.shown < per_rule and len(shown) < limit:
            group.shown += 1
            shown.append(issue)
    rows = [validation_row(i) for i in shown]
    capped = [group.summary_row() for group in groups.values() if group.total > group.shown]
    if capped:
        title += message("summary_capped", shown=_count(len(shown)))[0]
    return OutputTab(R.VALIDATION.label, output_columns(R.VALIDATION), rows + capped, title=title)


def ordered_issues(issues: list[Issue]) -> list[Issue]:
    """Galat first, then in a clerk's working order (tab, row, column)."""
    return sorted(issues, key=lambda i: (i.level != ERROR, *i.sort_key()))


def validation_row(issue: Issue) -> tuple:
    """One issue as a `Validasi` row (and a CSV line)."""
    return (LEVEL_LABELS[issue.level], issue.tab, issue.row, issue.column, issue.cell, issue.value,
            issue.problem, issue.fix)


class _RuleGroup:
    """The messages of one rule in one column: how many, how many shown, the first ones."""

    def __init__(self, issue: Issue):
        self.issue, self.total, self.shown, self.first = issue, 0, 0, []

    def summary_row(self) -> tuple:
        issue = self.issue
        first = ", ".join(_where(i) for i in self.first)
        if self.total > len(self.first):
            first += ", …"
        example = issue.problem.rstrip(". ")
        if len(example) > 120:
            example = example[:117].rstrip() + "…"
        values = dict(example=f"'{example}'", total=_count(self.total), tab=issue.tab,
                      column=issue.column, shown=_count(self.shown),
                      hidden=_count(self.total - self.shown), first=first)
        problem, fix = message("capped_rule" if issue.column else "capped_rule_tab", **values)
        return (LEVEL_LABELS[issue.level], issue.tab, None, issue.column, self.first[0].cell,
                f"{_count(self.total)} pesan", problem, fix)


def _where(issue: Issue) -> str:
    if issue.cell:
        return f"{issue.tab}!{issue.cell}"
    return f"{issue.tab} baris {issue.row}" if issue.row else issue.tab


def _count(n: int) -> str:
    """1.234.567, as Indonesians group digits."""
    return f"{n:,}".replace(",", ".")


def write_validation_csv(issues: list[Issue], path) -> None:
    """Every issue, uncapped, as a CSV for Excel in an Indonesian locale (`;`, UTF-8 with BOM).

    The columns are those of `Validasi`. A cell that Excel would take for a formula
    (`=`, `+`, `-`, `@` first) is written with a leading apostrophe, so it stays text.
    Written to a temporary file beside `path` and moved into place.

    Raises:
        SyncError: the file cannot be written (one Indonesian sentence).
    """
    import csv
    import os
    import tempfile
    from pathlib import Path

    from sync.errors import SyncError

    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".kinerja-", suffix=".csv", dir=path.parent or ".")
        try:
            with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow([c.label for c in R.VALIDATION.columns])
                for issue in ordered_issues(issues):
                    writer.writerow([_csv_cell(v) for v in validation_row(issue)])
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise SyncError(f"Daftar lengkap Validasi tidak dapat ditulis ke '{path}' (kode galat sistem "
                        f"{exc.errno}); periksa folder dan ruang disknya.") from None


def _csv_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def rank_change_text(value) -> str:
    if value is None or pd.isna(value):
        return ""
    value = int(value)
    return f"▲ {value}" if value > 0 else f"▼ {-value}" if value < 0 else "="


def _follow_up(codes) -> str:
    words = []
    for code in codes or ():
        kind, _, detail = code.partition(":")
        if kind == "discipline":  # "discipline:<days>:<hukuman>", from sync.render_pay
            days, _, sanction = detail.partition(":")
            words.append(R.DISCIPLINE_FOLLOW_UP.format(days=days, sanction=sanction))
            continue
        word = R.FOLLOW_UP_LABELS.get(kind, kind)
        words.append(f"{word}: {R.VALUE_LABELS.get(detail, detail)}" if detail else word)
    return "; ".join(words)


def _status(status: str, reasons, nip: str, rejected: set[str], cells=(), months=()) -> str:
    if status == "complete":
        return R.STATUS_COMPLETE
    words = [R.REASON_LABELS.get(r, r) for r in reasons or () if r not in ("rows_rejected", "missing_month")]
    if cells:
        words.append(f"{R.REASON_REJECTED_CELLS} ({R.SEE_VALIDATION}: {', '.join(cells)})")
    elif nip in rejected:
        words.append(R.REASON_LABELS["rows_rejected"])
    if months:
        words.append(R.REASON_MISSING_MONTHS.format(months=", ".join(R.MONTH_NAMES[m] for m in months)))
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
    if "attendance_pct" not in out:  # Kehadiran (%): added by sync.render_pay when there is attendance
        out["attendance_pct"] = np.nan
    for column in ("complaints", "complaints_overdue"):  # added by sync.complaints.results
        if column not in out:
            out[column] = np.nan
    cells = results["rejected_cells"] if "rejected_cells" in results else [()] * len(results)
    months = results["missing_months"] if "missing_months" in results else [()] * len(results)
    out["status"] = [_status(s, r, n, rejected, c, m) for s, r, n, c, m in
                     zip(results["status"], results["reasons"], results["nip"], cells, months, strict=True)]
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
    words = {}
    out = []
    for code in codes:
        key = tuple(code) if isinstance(code, tuple | list) else ()
        if key not in words:
            words[key] = ", ".join(R.COMPONENT_LABELS.get(c, c) for c in key)
        out.append(words[key])
    return out


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
                     highlight_rows=best, autofilter=True)


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


# --- Capaian IKI -------------------------------------------------------------------------------

_ASPECT_LABELS = {c.code: c.label for c in INDICATORS.column("aspect").choices}
_DIRECTION_LABELS = {c.code: c.label for c in INDICATORS.column("direction").choices}


def render_indicators(indicators: pd.DataFrame, results: pd.DataFrame, skp: pd.DataFrame,
                      realisations: pd.DataFrame, year: int, period_type: str) -> OutputTab:
    """The `Capaian IKI` tab: the per-indicator figures behind each Rating Hasil Kerja.

    One row per employee, indicator and scored period, in the order of `Hasil`
    (then the SKP's order): target and realisation accumulated from January to
    the period's end, the capaian they give, the period's Kendala and Rencana
    Tindak Lanjut, and a status naming what is missing. Capaian is cut (not
    rounded) to two decimals, so that 109,996 reads 109,99: below the 110 %
    band, as it was rated.

    Args:
        indicators: `scoring.Results.indicators`.
        results: `scoring.Results.results` (names, units and the order of `Hasil`).
        skp: the validated SKP rows (iki_code, rhk, indicator, aspect, direction as codes).
        realisations: the validated Realisasi rows (iki_code, month, obstacle, follow_up_plan).
        year, period_type: Tahun Penilaian and Periode Evaluasi (codes).
    """
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
    for column in ("rhk", "indicator", "aspect", "direction"):
        frame[column] = frame["iki_code"].map(details[column]) if column in details else None
    frame["_skp"] = frame["iki_code"].map(pd.Series(np.arange(len(details)), index=details.index))
    frame["rhk_type"] = frame["rhk_type"].astype(str).map(R.RHK_TYPE_LABELS)
    frame["aspect"] = frame["aspect"].map(_ASPECT_LABELS)
    frame["direction"] = frame["direction"].map(_DIRECTION_LABELS)
    months = _month_numbers(realisations["month"]) if len(realisations) else np.zeros(0, np.int64)
    notes = _period_notes(realisations, months, year, period_type)
    frame = frame.merge(notes, on=["iki_code", "period"], how="left")
    frame["target"] = _target_text(frame["target"], frame["target_max"])
    frame["capaian"] = _cut(frame["capaian"])
    frame["status"] = indicator_status(frame, realisations["iki_code"], months, year, period_type)
    frame = frame.sort_values(["_order", "_skp"], kind="stable", na_position="last")
    return OutputTab(tab.label, columns, table_rows(frame, tab), autofilter=True)


def _month_numbers(series: pd.Series) -> np.ndarray:
    """Month numbers 1–12 of validated months: (year, month) pairs or numbers."""
    return np.array([m[1] if isinstance(m, tuple | list) else int(m) for m in series], dtype=np.int64)


def _period_notes(realisations: pd.DataFrame, months: np.ndarray, year: int,
                  period_type: str) -> pd.DataFrame:
    """Per indicator and period: the latest Kendala and Rencana Tindak Lanjut typed in its months."""
    columns = ["iki_code", "period", "obstacle", "follow_up_plan"]
    if not len(realisations):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    notes = pd.DataFrame({
        "iki_code": realisations["iki_code"].to_numpy(dtype=object),
        "period": period_rules.month_to_period(months, year, period_type),
        "_month": months,
        **{c: realisations[c].to_numpy(dtype=object) if c in realisations else None
           for c in ("obstacle", "follow_up_plan")},
    })
    for c in ("obstacle", "follow_up_plan"):
        notes[c] = notes[c].where(notes[c].map(lambda v: isinstance(v, str) and v.strip() != ""))
    notes = notes.sort_values("_month", kind="stable")
    return notes.groupby(["iki_code", "period"], sort=False)[["obstacle", "follow_up_plan"]].last(
        ).reset_index()


def _target_text(lower: pd.Series, upper: pd.Series) -> list:
    """The target as a number, or "10,00–12,00" for a range target (capaian 100 % inside it)."""
    out = []
    for lo, hi in zip(lower.tolist(), upper.tolist(), strict=True):
        if hi is None or (isinstance(hi, float) and math.isnan(hi)):
            out.append(lo)
        else:
            out.append(f"{_id_number(lo)}–{_id_number(hi)}")
    return out


def _id_number(value) -> str:
    """A number with two decimals the Indonesian way: 1.234,50."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _cut(values: pd.Series) -> pd.Series:
    """Capaian cut to two decimals (never rounded up across a band edge)."""
    hundredths = np.floor(np.round(values.to_numpy(dtype="float64") * 100, 6))
    return pd.Series(hundredths / 100, index=values.index)


def indicator_status(frame: pd.DataFrame, codes: pd.Series, months: np.ndarray, year: int,
                     period_type: str) -> list[str]:
    """The `Status` of each Capaian IKI row.

    No realisation at all, a target that is not positive, then scoring's own
    per-indicator `status` where it gives one (rejected months), else the
    months without a Realisasi row between the indicator's first reported
    month and the period's end: capaian is cumulative, so such a month
    silently repeats the earlier figure unless it is named.
    """
    present = _months_present(codes, months)
    row_present = frame["iki_code"].map(present).fillna(0).astype(np.int64).to_numpy()
    ends = {p: period_rules.period_months(p, year, period_type)[1] for p in frame["period"].unique()}
    last = frame["period"].map(ends).to_numpy(dtype=np.int64)
    lowest = row_present & -row_present  # the first reported month's bit
    upto = (np.left_shift(1, last + 1) - 1)
    missing = ~row_present & upto & ~((lowest << 1) - 1) & np.where(row_present > 0, -1, 0)
    flags = frame["flag"].astype(object).to_numpy()
    given = frame["status"].to_numpy(dtype=object) if "status" in frame else None
    out = []
    for i in range(len(frame)):
        flag = flags[i]
        if flag == "no_realisation":
            out.append(R.INDICATOR_STATUS_LABELS["no_realisation"])
            continue
        words = []
        if flag == "invalid_target":
            words.append(R.INDICATOR_STATUS_LABELS["invalid_target"])
        if given is not None and isinstance(given[i], str) and given[i] not in ("", "complete", "nan"):
            words.append(R.INDICATOR_STATUS_LABELS.get(given[i], given[i]))
        if missing[i]:
            words.append(R.INDICATOR_STATUS_LABELS["missing_month"].format(
                months=_month_list([m for m in range(1, 13) if missing[i] >> m & 1])))
        out.append(_sentence("; ".join(words)) if words else R.INDICATOR_STATUS_LABELS["complete"])
    return out


def _months_present(codes: pd.Series, months: np.ndarray) -> dict[str, int]:
    """Per Kode IKI, the months with a Realisasi row as a bitmask (bit m for month m)."""
    out: dict[str, int] = {}
    for code, month in zip(codes.tolist(), months.tolist(), strict=True):
        out[code] = out.get(code, 0) | (1 << month)
    return out


def _month_list(months: list[int]) -> str:
    named = [R.MONTH_NAMES[m] for m in months[:MAX_MONTHS_NAMED]]
    return ", ".join(named) + (", dst." if len(months) > MAX_MONTHS_NAMED else "")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- print-ready --------------------------------------------------------------------------------

_FIT_SAMPLE = 20_000  # rows looked at to fit a column's width (a stride over bigger tabs)


def print_ready(tab: OutputTab, org_name: str = "", period: str = "") -> OutputTab:
    """`tab` with column widths fitted to what they hold, the AutoFilter where the contract
    wants one, and the agency and period for the printed page header.

    A column is never wider than the contract's width (longer text wraps, or
    runs over in a text column) and never narrower than its header's longest
    word, so a header breaks between words, on at most three lines.
    """
    filtered = tab.name in {t.label for t in R.OUTPUT_TABS if t.name in R.FILTERED_TABS}
    return dataclasses.replace(
        tab, columns=fit_widths(tab.columns, tab.rows), autofilter=tab.autofilter or filtered,
        print_info=PrintInfo(org_name=org_name, period=period))


def fit_widths(columns: list[OutputColumn], rows: list[tuple]) -> list[OutputColumn]:
    """Each column as wide as its widest value (a sample of big tabs), within its bounds."""
    step = max(1, len(rows) // _FIT_SAMPLE)
    sample = rows[::step]
    out = []
    for j, col in enumerate(columns):
        head = max(longest_word_units(col.header, bold=True), text_units(col.header, bold=True) / 3)
        values = {row[j] for row in sample if j < len(row) and row[j] is not None and row[j] != ""}
        need = max((_shown_units(v, col) for v in values), default=0.0)
        width = max(min(need + 1.2, col.width), head + 1.2)
        out.append(dataclasses.replace(col, width=round(width, 1)))
    return out


def _shown_units(value, col: OutputColumn) -> float:
    """How wide `value` shows in `col`'s number format, in column units."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return text_units(str(value))
    if isinstance(value, float) and math.isnan(value):
        return 0.0
    if col.kind in ("number", "percent"):
        text = f"{value:,.{col.decimals}f}" + ("%" if col.kind == "percent" else "")
    elif col.grouped:
        text = f"{value:,.0f}"
    else:
        text = f"{value:.0f}" if isinstance(value, float) else str(value)
    return text_units(text)


def period_range(periods: list[str]) -> str:
    """The printed header's period: "Periode 2026-03" or "Periode 2026-01 s.d. 2026-12"."""
    labels = sorted({str(p) for p in periods})
    if not labels:
        return ""
    if len(labels) == 1:
        return f"Periode {labels[0]}"
    return f"Periode {labels[0]} s.d. {labels[-1]}"
