"""score(): every rule in order, from the validated input frames to the result frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .behaviour import VALUE_SCORE_COLUMNS, behaviour_rating, behaviour_scores
from .capaian import indicator_positions, indicator_scores
from .errors import ScoringError
from .follow_up import follow_up
from .frames import Frames
from .gaps import components, gaps_per_row, missing_months
from .grid import Grid, categorical_text
from .ikm_units import agency_ikm, employee_ikm, ikm_table, unit_ikm
from .performance import performance_score
from .periods import all_periods, month_to_period_index, period_months, previous_period, sort_periods
from .predikat import predikat
from .ranking import best_employee, ranks
from .settings import Settings
from .status import status_reasons
from .summary import summarise
from .supervisor import combine, supervisor_ratings_for
from .work import work_summary

RESULT_COLUMNS = (
    "period",
    "nip",
    "name",
    "unit",
    "position",
    "work_achievement",
    "work_rating",
    "behaviour_score",
    "self_score",
    "behaviour_rating",
    "rating_source",
    "ikm",
    "ikm_quality",
    "ikm_source",
    "performance_score",
    "predikat",
    "unit_rank",
    "agency_rank",
    "rank_change",
    "follow_up",
    "status",
    "reasons",
    "best_employee",
    "rejected_cells",
    "missing_months",
    "components",
    *VALUE_SCORE_COLUMNS,
)


TEXT_COLUMNS = (
    "period", "nip", "name", "unit", "position", "iki_code", "rhk_type", "rating", "flag",
    "work_rating", "behaviour_rating", "rating_source", "ikm_quality", "ikm_source", "predikat",
    "status", "scope", "service_unit", "quality", "unit_performance",
)
"""Columns of the result frames that hold text or codes: always dtype "str"."""


@dataclass(frozen=True)
class Results:
    """The result frames of one scoring run.

    Text and code columns are dtype "str" with NaN for missing; follow_up,
    reasons and breaches hold tuples; adequate and distribution_ok hold
    True/False/None; ranks, population and min_sample are Int64.
    """

    results: pd.DataFrame
    indicators: pd.DataFrame
    units: pd.DataFrame
    agency: pd.DataFrame
    ikm: pd.DataFrame


def score(frames: Frames, settings: Settings, periods: list[str] | None = None) -> Results:
    """Score every active employee for each period.

    Args:
        frames: the validated input frames.
        settings: the scoring settings.
        periods: labels to score (e.g. ["2026-03"]); by default every period
            that has realisation, behaviour or supervisor-rating data.

    Returns:
        Results with one `results` row per active employee and period, sorted
        by period, unit, unit_rank (unranked last), nip. The period before each
        requested one is scored too (not returned) for `rank_change`.

    Raises:
        ScoringError: a malformed period label, column or code.

    Examples:
        >>> score(Frames.empty(), Settings()).results.empty
        True
    """
    frames.check()
    employees = _active_employees(frames.employees)
    wanted = _periods_to_score(frames, settings, periods)
    previous = (previous_period(w, settings.year, settings.period_type) for w in wanted)
    needed = sort_periods(wanted + [p for p in previous if p is not None],
                          settings.year, settings.period_type)
    grid = Grid(employees, needed)
    scores, missing = _indicator_parts(grid, frames, settings, needed)
    work = work_summary(scores, settings)
    # The input frames are held by the caller, so the peak is what scoring holds at once: the
    # 6-million-row scores become their text form now, and are let go before the grid rows'
    # working arrays exist (freed small arrays stay with the allocator, big ones go back).
    indicators = _indicator_text(scores, wanted)
    del scores
    ikm_frame = ikm_table(frames.surveys, frames.service_units, settings, needed)
    out, partial = _rate(grid, frames, settings, work, missing)
    del work, missing
    ikm = employee_ikm(out, frames.surveys, ikm_frame, settings)
    for column in ("ikm", "ikm_quality", "ikm_source"):
        out[column] = ikm[column].to_numpy()
    out = _rank(out, grid, settings, partial)
    results = grid.finish(out, wanted, RESULT_COLUMNS)
    del out
    return Results(
        results=_as_text(results, TEXT_COLUMNS),
        indicators=indicators,
        units=_as_text(summarise(results, unit_ikm(results, ikm_frame), settings),
                       TEXT_COLUMNS),
        agency=_as_text(summarise(results, agency_ikm(frames.surveys, settings, wanted),
                                  settings, by_unit=False), TEXT_COLUMNS),
        ikm=_as_text(ikm_frame.loc[ikm_frame["period"].isin(wanted)].reset_index(drop=True),
                     TEXT_COLUMNS),
    )


def _indicator_parts(grid: Grid, frames: Frames, settings: Settings,
                     needed: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule 1's scores per indicator and period, and the months missing before the last one."""
    own = grid.own_rows(frames.indicators)
    # One look-up of the realisations' indicator codes serves capaian and the missing months.
    position = indicator_positions(own, frames.realisations)
    scores = indicator_scores(own, frames.realisations, settings, needed, position)
    ends = [period_months(p, settings.year, settings.period_type)[1] for p in needed]
    missing = missing_months(own, frames.realisations, max(ends, default=0), position)
    return scores, missing


def _rate(grid: Grid, frames: Frames, settings: Settings, work: pd.DataFrame,
          missing: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Rules 2–4 on the grid: work and behaviour scores, ratings, overrides and status.

    Also which rows rest on rejected rows or a missing month, for `_rank`.
    """
    work = grid.align(work, {
        "work_achievement": np.nan, "work_rating": None, "indicator_count": 0,
        "reported": False, "main_missing": False,
    })
    behaviour = grid.align(
        behaviour_scores(grid.own_rows(frames.behaviours), settings, list(grid.periods)),
        {"behaviour_score": np.nan, "self_score": np.nan, "supervisor_rated": False,
         **{column: np.nan for column in VALUE_SCORE_COLUMNS}},
    )
    overrides = {
        column: grid.align(supervisor_ratings_for(frames.supervisor_ratings, column, settings),
                           {"rating": None})["rating"]
        for column in ("work_rating", "behaviour_rating")
    }
    work_rating, work_by_supervisor = combine(work["work_rating"], overrides["work_rating"])
    behaviour_final, behaviour_by_supervisor = combine(
        behaviour_rating(behaviour["behaviour_score"], settings), overrides["behaviour_rating"]
    )
    out = grid.frame()
    out["work_achievement"] = work["work_achievement"]
    out["work_rating"] = work_rating
    out["behaviour_score"] = behaviour["behaviour_score"]
    out["self_score"] = behaviour["self_score"]
    out["behaviour_rating"] = behaviour_final
    out["rating_source"] = _rating_source(work_rating, behaviour_final,
                                          work_by_supervisor | behaviour_by_supervisor)
    for column in VALUE_SCORE_COLUMNS:
        out[column] = behaviour[column]
    # The categorical period as it is: gaps_per_row reads its few labels, not a text column.
    out["rejected_cells"], out["missing_months"] = gaps_per_row(
        out["nip"], out["period"], frames.rejected, missing, settings.year, settings.period_type)
    rejected, gaps = _non_empty(out["rejected_cells"]), _non_empty(out["missing_months"])
    out["status"], out["reasons"] = status_reasons(
        no_indicators=work["indicator_count"] == 0,
        no_realisation=~work["reported"],
        missing_realisation=work["main_missing"],
        no_supervisor_rating=~(behaviour["supervisor_rated"] | behaviour_by_supervisor),
        rows_rejected=rejected,
        missing_month=gaps,
    )
    return out, rejected | gaps


def _rank(out: pd.DataFrame, grid: Grid, settings: Settings, partial: np.ndarray) -> pd.DataFrame:
    """Rules 5 and 7–10: performance score, predikat, ranks, best employee, follow-up."""
    out["performance_score"] = performance_score(
        out["work_achievement"], out["behaviour_score"], out["ikm"], settings
    )
    out["predikat"] = predikat(out["work_rating"], out["behaviour_rating"])
    out["components"] = components(out["work_achievement"], out["behaviour_score"], out["ikm"])
    # A result resting on rejected rows or a missing month keeps its predikat (the supervisor sees it)
    # but is not ranked: it would be ranked on figures that are not the employee's.
    agency_rank, unit_rank = ranks(out["period"], out["nip"], out["unit"], out["predikat"].where(~partial),
                                   out["performance_score"], out["work_achievement"])
    out["unit_rank"], out["agency_rank"] = unit_rank, agency_rank
    out["rank_change"] = _rank_changes(out, grid, settings)
    out["best_employee"] = best_employee(out)
    # Service coaching answers the officer's own citizens' verdict; a unit IKM borrowed for the
    # Nilai Kinerja says nothing about this officer's service.
    own_quality = out["ikm_quality"].where(out["ikm_source"] == "officer")
    out["follow_up"] = follow_up(out["predikat"], out, own_quality)
    return out


def _non_empty(tuples: pd.Series) -> np.ndarray:
    """bool(t) of each tuple, without Series.map's per-row machinery (a million rows)."""
    return np.fromiter(map(bool, tuples.to_numpy(dtype=object)), dtype=bool, count=len(tuples))


def _as_text(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Text and code columns as the "str" dtype (missing → NaN) in every result frame."""
    # Only the columns not "str" yet are converted: `astype` with a dict of columns rebuilds every
    # column of the frame, ten times the cost of converting the two or three that need it.
    wanted = set(columns)
    present = [column for column, dtype in frame.dtypes.items() if column in wanted and dtype != _STR]
    out = frame.copy(deep=False)  # copy-on-write: the columns are shared until written
    for column in present:
        out[column] = frame[column].astype("str")
    return out


_STR = pd.api.types.pandas_dtype("str")


def _indicator_text(scores: pd.DataFrame, wanted: list[str]) -> pd.DataFrame:
    """The requested periods' rows of the indicator scores, code columns as "str".

    The same frame as selecting the rows and `astype("str")`, built column by column from
    the categories: six million rows are not copied when every period is wanted, and each
    code column is a take of a few strings instead of a check of six million.
    """
    rows = scores["period"].isin(wanted).to_numpy()
    part = scores if rows.all() else scores.loc[rows].reset_index(drop=True)
    data = {}
    for column in part.columns:
        values = part[column]
        if column == "period":
            values = values.cat.remove_unused_categories()
        if column in TEXT_COLUMNS or column == "nip":
            values = categorical_text(values)
        data[column] = values
    return pd.DataFrame(data, copy=False)


def _active_employees(employees: pd.DataFrame) -> pd.DataFrame:
    active = employees["active"].astype(object).where(employees["active"].notna(), True)
    kept = employees.loc[active.astype(bool).to_numpy()].reset_index(drop=True)
    if kept["nip"].isna().any():
        raise ScoringError("An employee has no NIP; every employee row needs one")
    duplicated = kept["nip"].duplicated()
    if duplicated.any():
        raise ScoringError(f"NIP {kept['nip'][duplicated].iloc[0]!r} appears more than once "
                           "among the active employees; each NIP must be unique")
    return kept


def _periods_to_score(frames: Frames, settings: Settings, periods) -> list[str]:
    year, kind = settings.year, settings.period_type
    if periods is not None:
        if isinstance(periods, str):
            periods = [periods]
        return sort_periods(periods, year, kind)
    labels = np.array(all_periods(year, kind), dtype=object)
    found = set()
    for months in (frames.realisations["month"], frames.behaviours["month"]):
        # Which of the few periods occur: a count, not a sort of millions of rows (np.unique).
        seen = np.bincount(month_to_period_index(months, kind), minlength=len(labels)) > 0
        found.update(labels[seen].tolist())
    found.update(frames.supervisor_ratings["period"].dropna().tolist())
    return sort_periods(found, year, kind)


def _rating_source(work_rating, behaviour_rating, by_supervisor) -> np.ndarray:
    rated = pd.notna(work_rating) | pd.notna(behaviour_rating)
    choice = np.where(by_supervisor, 0, np.where(rated, 1, 2))
    return np.array(["supervisor", "auto", None], dtype=object)[choice]


def _rank_changes(out: pd.DataFrame, grid: Grid, settings: Settings) -> pd.Series:
    """rank_change per grid row, against the previous period's block of the grid.

    Every block of the grid holds the same employees in the same order, so an employee's previous
    rank is the same row of the previous block: what `rank_change` finds when the keys agree,
    without its key check and Int64 round trip per period.
    """
    n = len(grid.nips)
    rank = out["agency_rank"].to_numpy(dtype="float64", na_value=np.nan)
    change = np.full(len(out), np.nan)
    for p, label in enumerate(grid.periods):
        before = previous_period(label, settings.year, settings.period_type)
        if before is None or before not in grid.periods:
            continue
        q = grid.periods.get_loc(before)
        change[p * n:(p + 1) * n] = rank[q * n:(q + 1) * n] - rank[p * n:(p + 1) * n]
    # Whole rank differences (ranks are far below 2**53): exact through float64.
    return pd.Series(pd.array(change, dtype="Int64"), index=out.index)
