"""The job: read a workbook once, validate, score, write every output tab once.

Sources are passed in (so tests and other callers choose them); this module
only orchestrates pure steps between one read and one write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

import scoring
from scoring import periods as period_rules
from sheet_templates import INPUT_TABS, SETTINGS
from sheet_templates.schema import BERAKHLAK, SKM_ITEMS
from sync import render
from sync.check.checking import check_workbook, period_label
from sync.check.validate import Checked
from sync.errors import WorkbookInvalid
from sync.outtabs import OutputTab
from sync.parse import normalise_label
from sync.sources import Source
from sync.workbook import RawWorkbook

INPUT_TAB_KEYS = {normalise_label(t.label) for t in (SETTINGS, *INPUT_TABS)}


@dataclass
class RunReport:
    """What a check or score run did, for the CLI to summarise."""

    location: str
    checked: Checked
    results: scoring.Results | None = None
    periods: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.checked.errors == 0 and not self.checked.fatal


def check(source: Source, now: dt.datetime | None = None, write: bool = True) -> RunReport:
    """Read and validate; write only `Validasi`."""
    checked = check_workbook(source.read(INPUT_TAB_KEYS))
    tabs = [render.render_validation(checked.issues, now or dt.datetime.now())]
    if write:
        source.write(tabs)
    return RunReport(source.location, checked, written=[t.name for t in tabs] if write else [])


@dataclass
class Evaluation:
    """What one workbook's input gives: the report, and the tabs to write in one write.

    `problem` is set when nothing could be scored (no Pengaturan, no year): the
    tabs are then only `Validasi`, which the caller still writes before it
    raises `WorkbookInvalid(problem)`.
    """

    report: RunReport
    tabs: list[OutputTab]
    problem: str | None = None

    def raise_if_invalid(self) -> None:
        if self.problem is not None:
            raise WorkbookInvalid(self.problem)


def evaluate(raw: RawWorkbook, location: str, periods: list[str] | None = None,
             now: dt.datetime | None = None) -> Evaluation:
    """Validate, score and render a workbook that was already read; no I/O.

    Args:
        raw: the input tabs as the source read them.
        location: where they came from (for messages).
        periods: labels or months to score (`2026-03`, `2026-T1`, `Maret 2026`); default every period
            with data.
        now: when the check ran, as shown in `Validasi`.
    """
    checked = check_workbook(raw)
    validation = render.render_validation(checked.issues, now or dt.datetime.now())
    if checked.fatal:
        return Evaluation(RunReport(location, checked), [validation],
                          f"'{location}' tidak dapat dinilai: {_first_error(checked)} "
                          "Lihat tab Validasi untuk rinciannya.")
    frames, settings = scoring_inputs(checked)
    results = scoring.score(frames, settings, parse_periods(periods, settings.year, settings.period_type))
    tabs = render_all(results, checked, validation)
    scored = sorted(set(results.results["period"]), key=str)
    return Evaluation(RunReport(location, checked, results, scored, [t.name for t in tabs]), tabs)


def score(source: Source, periods: list[str] | None = None, now: dt.datetime | None = None) -> RunReport:
    """Read, validate, score and write every output tab in one write.

    A workbook that cannot be scored at all (no Pengaturan, no year) still gets
    its `Validasi` tab, then WorkbookInvalid is raised.
    """
    evaluation = evaluate(source.read(INPUT_TAB_KEYS), source.location, periods, now)
    source.write(evaluation.tabs)
    evaluation.raise_if_invalid()
    return evaluation.report


def render_all(results: scoring.Results, checked: Checked, validation: OutputTab) -> list[OutputTab]:
    """Every output tab, in the order they appear in the workbook."""
    return [
        render.render_results(results.results, checked.rejected_nips),
        render.render_rankings(results.results),
        render.render_unit_summary(results.units, results.agency),
        render.render_ikm(results.ikm),
        validation,
    ]


def _first_error(checked: Checked) -> str:
    for issue in checked.issues:
        if issue.level == "error":
            return issue.problem
    return ""


def parse_periods(periods, year: int, period_type: str) -> list[str] | None:
    """--period values (labels or months, in any form a clerk types) → canonical labels; None = all.

    The one place a requested period is parsed: scoring owns what a period is
    (`scoring.periods`), this only reads the month forms a clerk may type.
    """
    if not periods:
        return None
    try:
        return [period_label(p, year, period_type) for p in periods]
    except LookupError:
        example = period_rules.all_periods(year, period_type)[0]
        raise WorkbookInvalid(
            f"Periode {', '.join(periods)} tidak sesuai Periode Evaluasi dan Tahun Penilaian "
            f"workbook; tulis seperti {example}.") from None


def scoring_inputs(checked: Checked) -> tuple[scoring.Frames, scoring.Settings]:
    """Validated frames (labels already turned into codes) → what `scoring.score` takes."""
    f = checked.frames
    settings = scoring.Settings(**{k: v for k, v in checked.settings.items() if v is not None or
                                   k == "org_predikat"})
    employees = f["employees"].assign(active=f["employees"]["active"].fillna(True).astype(bool))
    indicators = f["indicators"].assign(**{c: pd.to_numeric(f["indicators"][c], errors="coerce")
                                           .astype("float64") for c in ("target", "target_max", "weight")})
    realisations = f["realisations"].assign(
        month=_month(f["realisations"]["month"]),
        value=f["realisations"]["value"].astype("float64"),
        period_target=pd.to_numeric(f["realisations"]["period_target"]).astype("float64"))
    values = [name for _, name in BERAKHLAK]
    behaviours = f["behaviours"].assign(month=_month(f["behaviours"]["month"]),
                                        **{v: f["behaviours"][v].astype("int64") for v in values})
    items = [name for _, name in SKM_ITEMS]
    surveys = f["surveys"].assign(
        month=pd.Series([t.month for t in f["surveys"]["timestamp"]], index=f["surveys"].index,
                        dtype="int64"),
        **{i: pd.to_numeric(f["surveys"][i]).astype("float64") for i in items})
    units = f["service_units"].assign(population=f["service_units"]["population"].astype("int64"))
    frames = scoring.Frames(
        employees=employees, indicators=indicators, realisations=realisations,
        behaviours=behaviours, supervisor_ratings=f["supervisor_ratings"], surveys=surveys,
        service_units=units)
    return frames, settings


def _month(series: pd.Series) -> pd.Series:
    """Validated (year, month) cells → month numbers (the year is Tahun Penilaian's)."""
    return pd.Series([ym[1] for ym in series], index=series.index, dtype="int64")
