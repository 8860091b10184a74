"""The master recap's tabs: the frames of `recap` in the words and layout of `sheet_templates.recap`.

Pure, like `render`: codes become Indonesian words, numbers are rounded for
reading, each tab gets its columns from the schema, and charts are added
where BKPSDM would rather look than read.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sheet_templates import recap as T
from sheet_templates import results as R
from sync.outtabs import ChartSpec, OutputTab
from sync.render import breach_text, output_columns, rank_change_text, table_rows
from sync.run import recap
from sync.run.history import AGENCY_UNIT

TREND_PERIODS = 6


def build_recap(agencies: pd.DataFrame, summaries: pd.DataFrame, best: pd.DataFrame,
                trend_periods: int = TREND_PERIODS, pay: pd.DataFrame | None = None) -> list[OutputTab]:
    """Every tab of the master recap, in workbook order.

    Args:
        agencies: one row per configured source, in config order: source,
            agency (Nama Instansi, or the source name when never read), order,
            scored_at (text: when its stored results were scored, or None),
            last_run (text: how its last run went, see `last_run_text`).
        summaries: stored `period_summaries` rows of these sources.
        best: stored `period_results` rows with best_employee set.
        trend_periods: periods shown on `Tren`.
        pay: stored `period_pay` rows (TPP and discipline per agency and period), if any.
    """
    return [
        agency_tab(recap.agency_recap(agencies, summaries, pay)),
        unit_tab(recap.unit_recap(agencies, summaries)),
        best_tab(recap.best_recap(agencies, best, summaries)),
        trend_tab(*recap.trend(agencies, summaries, trend_periods)),
    ]


def last_run_text(outcome: str | None, at: str | None, message: str | None) -> str:
    """`Status Terakhir`: the outcome in words, when, and a failure's reason.

    Examples:
        >>> last_run_text("failed", "2026-12-31 16:45", "Berkas 'x.xlsx' tidak ditemukan.")
        "Gagal (2026-12-31 16:45): Berkas 'x.xlsx' tidak ditemukan."
        >>> last_run_text(None, None, None)
        'Belum pernah berhasil dinilai'
    """
    if outcome is None:
        return T.NEVER_SCORED
    text = f"{T.RUN_OUTCOME_LABELS.get(outcome, outcome)} ({at})" if at else T.RUN_OUTCOME_LABELS[outcome]
    return f"{text}: {message}" if message else text


def _summary_words(frame: pd.DataFrame) -> pd.DataFrame:
    """Distribution check and breaches in words, as on `Rekap Unit`; complaint figures missing
    where the store has none (a run before issue 16)."""
    missing = {c.name: None for c in R.COMPLAINT_SUMMARY if c.name not in frame}
    return frame.assign(**missing).assign(
        distribution=frame["distribution_ok"].map(
            lambda v: R.DISTRIBUTION_LABELS[None if v is None or pd.isna(v) else bool(v)]),
        breaches=frame["breaches"].map(lambda b: breach_text(b) if isinstance(b, list | tuple) else ""),
        ikm_quality=frame["ikm_quality"].fillna(""),
    )


def agency_tab(frame: pd.DataFrame) -> OutputTab:
    """`Rekap Pemda`: the agencies ranked, with predikat and mean-score charts."""
    frame = _summary_words(frame.assign(
        rank_change=frame["rank_change"].map(rank_change_text),
        period=frame["period"].fillna(""),
    ))
    columns = [c.name for c in T.AGENCY_RECAP.columns]
    charts = []
    ranked = int(frame["rank"].notna().sum())
    if ranked:
        counts = [columns.index(f"count_{code}") for code, _ in R.PREDIKAT]
        rows = {"first_row": 0, "last_row": ranked - 1}
        charts = [
            ChartSpec(T.CHART_PREDIKAT, columns.index("agency"), tuple(counts), kind="bar", stacked=True,
                      x_title=T.AXIS_EMPLOYEES,
                      colors=tuple(R.PREDIKAT_COLORS[code] for code, _ in R.PREDIKAT), **rows),
            ChartSpec(T.CHART_MEAN, columns.index("agency"), (columns.index("mean_score"),), kind="bar",
                      x_title=T.AXIS_SCORE, **rows),
        ]
    return OutputTab(T.AGENCY_RECAP.label, output_columns(T.AGENCY_RECAP), table_rows(frame, T.AGENCY_RECAP),
                     title=T.AGENCY_RECAP_TITLE, charts=charts)


def unit_tab(frame: pd.DataFrame) -> OutputTab:
    """`Rekap Unit Pemda`: each agency's units, then its whole-agency row (highlighted)."""
    frame = _summary_words(frame.assign(unit=frame["unit"].replace(AGENCY_UNIT, R.AGENCY_ROW_LABEL)))
    agency_rows = frozenset(int(i) for i in frame.index[frame["unit"] == R.AGENCY_ROW_LABEL])
    return OutputTab(T.UNIT_RECAP.label, output_columns(T.UNIT_RECAP), table_rows(frame, T.UNIT_RECAP),
                     highlight_rows=agency_rows)


def best_tab(frame: pd.DataFrame) -> OutputTab:
    """`Pegawai Terbaik`: each unit's best employee; the agency's own best marked and highlighted."""
    marked = frame.assign(
        predikat=frame["predikat"].map(R.PREDIKAT_LABELS),
        rank_change=frame["rank_change"].map(rank_change_text),
        agency_best=frame["agency_best"].map({True: T.AGENCY_BEST_MARK, False: ""}),
    )
    best = frozenset(int(i) for i in frame.index[frame["agency_best"]])
    return OutputTab(T.BEST_EMPLOYEES.label, output_columns(T.BEST_EMPLOYEES),
                     table_rows(marked, T.BEST_EMPLOYEES), highlight_rows=best)


def trend_tab(frame: pd.DataFrame, periods: list[str]) -> OutputTab:
    """`Tren`: mean Nilai Kinerja per agency over the last periods, with a bar chart."""
    fixed = list(T.TREND.columns)
    period_columns = [replace(T.TREND_PERIOD, label=p, name=p) for p in periods]
    tab = replace(T.TREND, columns=(*fixed[:2], *period_columns, *fixed[2:]))
    charts = []
    if periods and len(frame):
        charts.append(ChartSpec(T.CHART_TREND, 0, tuple(range(2, 2 + len(periods))), kind="bar",
                                x_title=T.AXIS_SCORE))
    return OutputTab(tab.label, output_columns(tab), table_rows(frame, tab),
                     title=T.TREND_TITLE.format(count=len(periods)), charts=charts)
