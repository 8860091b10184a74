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
from sync.errors import WorkbookInvalid
from sync.outtabs import OutputTab
from sync.parse import normalise_label
from sync.sources import Source
from sync.check.validate import Checked

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
    raw = source.read(INPUT_TAB_KEYS)
    checked = check_workbook(raw)
    tabs = [render.render_validation(checked.issues, now or dt.datetime.now())]
    if write:
        source.write(tabs)
    return RunReport(source.location, checked, written=[t.name for t in tabs] if write else [])


def score(source: Source, periods: list[str] | None = None, now: dt.datetime | None = None) -> RunReport:
    """Read, validate, score and write every output tab in one write.

    A workbook that cannot be scored at all (no Pengaturan, no year) still gets
    its `Validasi` tab, then WorkbookInvalid is raised.
    """
    raw = source.read(INPUT_TAB_KEYS)
    checked = check_workbook(raw)
    now = now or dt.datetime.now()
    validation = render.render_validation(checked.issues, now)
    if checked.fatal:
        source.write([validation])
        raise WorkbookInvalid(
            f"'{source.location}' tidak dapat dinilai: {_first_error(checked)} "
            "Lihat tab Validasi untuk rinciannya.")
    frames, settings = scoring_inputs(checked)
    labels = _periods(periods, settings)
    results = scoring.score(frames, settings, labels)
    tabs = render_all(results, checked, validation)
    source.write(tabs)
    scored = sorted(set(results.results["period"]), key=str)
    return RunReport(source.location, checked, results, scored, [t.name for t in tabs])


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


def _periods(periods: list[str] | None, settings: scoring.Settings) -> list[str] | None:
    if not periods:
        return None
    try:
        return [period_label(p, settings.year, settings.period_type) for p in periods]
    except LookupError:
        example = period_rules.all_periods(settings.year, settings.period_type)[0]
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
