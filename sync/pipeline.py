"""The job: read a workbook once, validate, score, write every output tab once.

Sources are passed in (so tests and other callers choose them); this module
only orchestrates pure steps between one read and one write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

import scoring
from scoring import periods as period_rules
from scoring.frames import empty_frame
from sheet_templates import INPUT_TABS, SETTINGS
from sheet_templates.schema import BERAKHLAK, SKM_ITEMS
from sync import render
from sync.check.checking import check_workbook, period_label
from sync.check.months import missing_month_issues
from sync.check.validate import Checked, Issue
from sync.complaints import COMPLAINTS_TAB
from sync.complaints.evaluation import ComplaintOutcome, evaluate_complaints
from sync.complaints.results import complaint_issues, with_complaints
from sync.errors import SourceChanged, WorkbookInvalid, WorkbookNotWritable
from sync.memory import release_freed_memory
from sync.outtabs import OutputTab
from sync.parse import normalise_label
from sync.render import pay as render_pay
from sync.sources import Source
from sync.workbook import RawWorkbook

# A writer's offer to make a tab elsewhere (`ExcelSource.aside`): (its shape, how to render it) ->
# the tab to write, or None.
Aside = Callable[[OutputTab, Callable[[], OutputTab]], OutputTab | None]

# The input tabs, and Pengaduan: a tab both sides write, read so the supervisor's typing is kept.
INPUT_TAB_KEYS = ({normalise_label(t.label) for t in (SETTINGS, *INPUT_TABS)}
                  | {normalise_label(COMPLAINTS_TAB)})


@dataclass
class RunReport:
    """What a check or score run did, for the CLI to summarise."""

    location: str
    checked: Checked
    results: scoring.Results | None = None
    periods: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    write_error: str | None = None  # why nothing was written, when the findings could not be
    pay: pd.DataFrame | None = None  # per period the TPP and discipline figures (sync.render.pay.SUMMARY)

    @property
    def ok(self) -> bool:
        return self.checked.errors == 0 and not self.checked.fatal and self.write_error is None


def check(source: Source, now: dt.datetime | None = None, write: bool = True) -> RunReport:
    """Read and validate; write only `Validasi`.

    A workbook that cannot be written (open in Excel, a read-only share, saved
    meanwhile) still gets its findings reported: `write_error` says why the tab
    was not written.
    """
    checked = check_workbook(source.read(INPUT_TAB_KEYS))
    tabs = [render.render_validation(checked.issues, now or dt.datetime.now())]
    report = RunReport(source.location, checked)
    if write:
        try:
            source.write(tabs)
            report.written = [t.name for t in tabs]
        except (WorkbookNotWritable, SourceChanged) as exc:
            report.write_error = str(exc)
    return report


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
    frames: scoring.Frames | None = None  # what was scored, for the documents
    settings: scoring.Settings | None = None
    complaints: ComplaintOutcome | None = None

    def raise_if_invalid(self) -> None:
        if self.problem is not None:
            raise WorkbookInvalid(self.problem)


def evaluate(raw: RawWorkbook, location: str, periods: list[str] | None = None,
             now: dt.datetime | None = None, release_input: bool = False,
             aside: Aside | None = None) -> Evaluation:
    """Validate, score and render a workbook that was already read; no I/O.

    Args:
        raw: the input tabs as the source read them.
        location: where they came from (for messages).
        periods: labels or months to score (`2026-03`, `2026-T1`, `Maret 2026`); default every period
            with data.
        now: when the check ran, as shown in `Validasi`.
        release_input: once validated, drop `raw`'s tabs but Pengaduan (all that is read of it later),
            so scoring and rendering reuse their memory; for a caller done with `raw` (`score`).
        aside: the writer's offer to render Capaian IKI and make its sheet elsewhere as soon as the
            scores are known, while TPP, complaints and the other tabs are made here (`score` passes
            `ExcelSource.aside`); it returns the tab to write, or None to render it here.
    """
    checked = check_workbook(raw)
    if release_input:
        for name in [n for n in raw.tabs if normalise_label(n) != normalise_label(COMPLAINTS_TAB)]:
            del raw.tabs[name]
    if checked.fatal:
        validation = render.render_validation(checked.issues, now or dt.datetime.now())
        return Evaluation(RunReport(location, checked), [validation],
                          f"'{location}' tidak dapat dinilai: {_first_error(checked)} "
                          "Lihat tab Validasi untuk rinciannya.")
    frames, settings = scoring_inputs(checked)
    results = scoring.score(frames, settings, parse_periods(periods, settings.year, settings.period_type))
    indicators = None
    if aside is not None and not results.indicators.empty:  # its input is all here: TPP adds nothing to it
        indicators = aside(indicators_tab(results, checked, rows=False),
                           functools.partial(indicators_tab, results, checked))
    try:
        return _finish(raw, location, checked, frames, settings, results, periods, now, indicators)
    except BaseException:
        _discard([indicators])  # the run fails: the tab made aside will not be written
        raise


def _finish(raw: RawWorkbook, location: str, checked: Checked, frames: scoring.Frames,
            settings: scoring.Settings, results: scoring.Results, periods: list[str] | None,
            now: dt.datetime | None, indicators: OutputTab | None) -> Evaluation:
    """`evaluate` once the scores are known: TPP, complaints, every tab but one made elsewhere."""
    frames = with_texts(frames, checked)  # the documents print the texts scoring was not handed
    pay = render_pay.evaluate_pay(checked, frames, settings, results, requested=bool(periods))
    results = pay.results  # with Kehadiran (%) and the PP 94/2021 follow-up
    scored = sorted(set(results.results["period"].unique().tolist()), key=str)  # not 120,000 cells one by one
    last_month = max((period_rules.period_months(p, settings.year, settings.period_type)[1] for p in scored),
                     default=0)
    today = (now or dt.datetime.now()).date()
    complaints = evaluate_complaints(checked.frames, checked.settings, raw, today)
    results = with_complaints(results, complaints)
    checked.issues = sorted([*checked.issues, *missing_month_issues(checked, last_month),
                             *complaint_issues(complaints.problems)], key=Issue.sort_key)
    validation = render.render_validation(checked.issues, now or dt.datetime.now())
    tabs = render_all(results, checked, validation, pay.tabs(), indicators)
    # before Validasi; printed with the agency and period like the others (its widths stay: people type there)
    tabs.insert(len(tabs) - 1, dataclasses.replace(complaints.tab, print_info=tabs[0].print_info))
    report = RunReport(location, checked, results, scored, [t.name for t in tabs], pay=pay.summary)
    return Evaluation(report, tabs, frames=frames, settings=settings, complaints=complaints)


def _discard(tabs) -> None:
    """Stop what a writer is making aside for `tabs` (`ExcelSource.aside`): a run that failed."""
    for tab in tabs:
        stop = getattr(tab, "discard", None)
        if stop is not None:
            stop()


def score(source: Source, periods: list[str] | None = None, now: dt.datetime | None = None) -> RunReport:
    """Read, validate, score and write every output tab in one write.

    A workbook that cannot be scored at all (no Pengaturan, no year) still gets
    its `Validasi` tab, then WorkbookInvalid is raised.
    """
    evaluation = evaluate(source.read(INPUT_TAB_KEYS), source.location, periods, now, release_input=True,
                          aside=getattr(source, "aside", None))
    # Only the tabs and the report are needed from here; the scoring frames go before the writer's buffers
    # come, and the memory freed since the read goes back to the system (issue 17: 1 GB at 10,000 employees).
    evaluation.frames = evaluation.complaints = None
    try:
        release_freed_memory()
        source.write(evaluation.tabs)
    except BaseException:
        _discard(evaluation.tabs)  # refused (open in Excel, changed meanwhile): nothing made aside lingers
        raise
    evaluation.raise_if_invalid()
    return evaluation.report


def render_all(results: scoring.Results, checked: Checked, validation: OutputTab,
               pay_tabs: list[OutputTab] = (), indicators: OutputTab | None = None) -> list[OutputTab]:
    """Every output tab, in the order they appear in the workbook, ready to print.

    `pay_tabs`: TPP and Angka Kredit when the workbook has their data (`sync.render.pay`);
    `indicators`: Capaian IKI when it is made elsewhere (`evaluate`'s `aside`).
    """
    org, period = _print_header(results, checked)
    tabs = [render.print_ready(tab, org, period) for tab in (
        render.render_results(results.results, checked.rejected_nips),
        render.render_rankings(results.results),
        render.render_unit_summary(results.units, results.agency),
        render.render_ikm(results.ikm),
        *pay_tabs,
        validation,
    )]
    tabs.insert(1, indicators if indicators is not None else indicators_tab(results, checked))
    return tabs


def indicators_tab(results: scoring.Results, checked: Checked, rows: bool = True) -> OutputTab:
    """`Capaian IKI` ready to print; without its rows (`rows=False`), its shape."""
    settings = checked.settings
    indicators = results.indicators if rows else results.indicators.iloc[:0]
    tab = render.render_indicators(indicators, results.results, checked.frames["indicators"],
                                   checked.frames["realisations"], settings["year"], settings["period_type"])
    return render.print_ready(tab, *_print_header(results, checked))


def _print_header(results: scoring.Results, checked: Checked) -> tuple[str, str]:
    """The agency and the period range printed at the top of every page."""
    period = render.period_range(results.results["period"].astype(str).unique().tolist())
    return str(checked.settings.get("org_name") or ""), period


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


# Columns of the validated frames scoring never reads: left out of what it is handed, so a caller that
# keeps only the scoring frames (a pickle, a worker) does not carry them (bench_scoring at 100,000
# employees: the unpickled frames 1,235 → 523 MB). The texts the documents print come back in `with_texts`.
NOT_SCORED = {
    "indicators": ("_row", "parent_rhk", "rhk", "indicator", "unit_of_measure"),
    "realisations": ("_row", "obstacle", "follow_up_plan", "evidence_url"),
    "behaviours": ("_row", "feedback"),
    "supervisor_ratings": ("_row", "note"),
    "surveys": ("_row", "timestamp", "sex", "age", "education", "occupation", "suggestion", "source"),
}
# What `sync.documents` reads from `Frames` (its `DocumentTexts` fallback).
DOCUMENT_TEXTS = {
    "indicators": ("parent_rhk", "rhk", "indicator", "unit_of_measure"),
    "realisations": ("obstacle", "follow_up_plan"),
    "behaviours": ("feedback",),
    "supervisor_ratings": ("note",),
}


def scoring_inputs(checked: Checked) -> tuple[scoring.Frames, scoring.Settings]:
    """Validated frames (labels already turned into codes) → what `scoring.score` takes.

    Columns scoring never reads (`NOT_SCORED`) are left out; the rest share the checked frames'
    arrays (copy-on-write), except the columns converted here.
    """
    f = {name: frame.drop(columns=[c for c in NOT_SCORED.get(name, ()) if c in frame.columns])
         if isinstance(frame, pd.DataFrame) else frame for name, frame in checked.frames.items()}
    known = {fd.name for fd in dataclasses.fields(scoring.Settings)}  # other keys belong to TPP, complaints…
    settings = scoring.Settings(**{k: v for k, v in checked.settings.items() if k in known and (
        v is not None or k == "org_predikat")})
    employees = f["employees"]
    if checked.extra_employees is not None and not checked.extra_employees.empty:
        # An employee whose own Pegawai row was rejected is still shown, Belum Lengkap (never dropped).
        employees = pd.concat([employees, checked.extra_employees.astype(object)], ignore_index=True)
    employees = employees.assign(active=employees["active"].fillna(True).astype(bool))
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
        month=pd.Series([t.month for t in checked.frames["surveys"]["timestamp"]], index=f["surveys"].index,
                        dtype="int64"),
        **{i: pd.to_numeric(f["surveys"][i]).astype("float64") for i in items})
    units = f["service_units"].assign(population=f["service_units"]["population"].astype("int64"))
    frames = scoring.Frames(
        employees=employees, indicators=indicators, realisations=realisations,
        behaviours=behaviours, supervisor_ratings=f["supervisor_ratings"], surveys=surveys,
        service_units=units,
        rejected=checked.rejected_rows if checked.rejected_rows is not None else empty_frame("rejected"))
    return frames, settings


def with_texts(frames: scoring.Frames, checked: Checked) -> scoring.Frames:
    """`frames` with the checked frames' `DOCUMENT_TEXTS` columns back (shared, not copied)."""
    extra = {}
    for name, columns in DOCUMENT_TEXTS.items():
        scored, source = getattr(frames, name), checked.frames.get(name)
        present = [c for c in columns if source is not None and c in source.columns and c not in scored]
        if present and scored.index.equals(source.index):
            extra[name] = scored.assign(**{c: source[c] for c in present})
    return dataclasses.replace(frames, **extra)


def _month(series: pd.Series) -> pd.Series:
    """Validated (year, month) cells → month numbers (the year is Tahun Penilaian's)."""
    return pd.Series([ym[1] for ym in series], index=series.index, dtype="int64")
