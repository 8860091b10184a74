"""score(): every rule in order, from the validated input frames to the result frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .behaviour import VALUE_SCORE_COLUMNS, behaviour_rating, behaviour_scores
from .capaian import indicator_scores
from .errors import ScoringError
from ._groups import ordered_codes
from .follow_up import follow_up
from .frames import Frames
from .ikm import group_ikm, ikm_table, quality, unit_key
from .performance import performance_score
from .periods import all_periods, month_to_period_index, previous_period, sort_periods
from .predikat import predikat
from .ranking import best_employee, rank_change, rank_employees
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
    *VALUE_SCORE_COLUMNS,
)


@dataclass(frozen=True)
class Results:
    """The result frames of one scoring run (see RESULT_COLUMNS and the module docs)."""

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
    needed = sort_periods(
        wanted + [p for p in (previous_period(w, settings.year, settings.period_type)
                               for w in wanted) if p is not None],
        settings.year, settings.period_type,
    )
    grid = _Grid(employees, needed)

    indicators = grid.own_rows(frames.indicators)
    scores = indicator_scores(indicators, frames.realisations, settings, needed)
    work = grid.align(work_summary(scores, settings), {
        "work_achievement": np.nan, "work_rating": None, "indicator_count": 0,
        "reported": False, "main_missing": False,
    })
    behaviour = grid.align(
        behaviour_scores(grid.own_rows(frames.behaviours), settings, needed),
        {"behaviour_score": np.nan, "self_score": np.nan, "supervisor_rated": False,
         **{column: np.nan for column in VALUE_SCORE_COLUMNS}},
    )
    work_override = grid.align(
        supervisor_ratings_for(frames.supervisor_ratings, "work_rating", settings),
        {"rating": None})["rating"]
    behaviour_override = grid.align(
        supervisor_ratings_for(frames.supervisor_ratings, "behaviour_rating", settings),
        {"rating": None})["rating"]
    work_rating, work_by_supervisor = combine(work["work_rating"], work_override)
    behaviour_final, behaviour_by_supervisor = combine(
        behaviour_rating(behaviour["behaviour_score"], settings), behaviour_override
    )
    ikm_frame = ikm_table(frames.surveys, frames.service_units, settings, needed)
    ikm, ikm_quality, ikm_source = _employee_ikm(grid, frames.surveys, ikm_frame, settings)

    out = grid.frame()
    out["work_achievement"] = work["work_achievement"]
    out["work_rating"] = work_rating
    out["behaviour_score"] = behaviour["behaviour_score"]
    out["self_score"] = behaviour["self_score"]
    out["behaviour_rating"] = behaviour_final
    out["rating_source"] = _rating_source(work_rating, behaviour_final,
                                          work_by_supervisor | behaviour_by_supervisor)
    out["ikm"] = ikm
    out["ikm_quality"] = ikm_quality
    out["ikm_source"] = ikm_source
    out["performance_score"] = performance_score(
        work["work_achievement"], behaviour["behaviour_score"], ikm, settings
    )
    out["predikat"] = predikat(work_rating, behaviour_final)
    out = rank_employees(out)
    out["rank_change"] = _rank_changes(out, grid, settings)
    for column in VALUE_SCORE_COLUMNS:
        out[column] = behaviour[column]
    out["follow_up"] = follow_up(out["predikat"], out, ikm_quality)
    out["status"], out["reasons"] = status_reasons(
        no_indicators=work["indicator_count"] == 0,
        no_realisation=~work["reported"],
        missing_realisation=work["main_missing"],
        no_supervisor_rating=~(behaviour["supervisor_rated"] | behaviour_by_supervisor),
    )
    out["best_employee"] = best_employee(out)

    results = grid.finish(out, wanted)
    indicator_frame = scores.loc[scores["period"].isin(wanted)].reset_index(drop=True)
    indicator_frame["period"] = indicator_frame["period"].cat.remove_unused_categories()
    indicator_frame["nip"] = indicator_frame["nip"].astype("str")
    return Results(
        results=results,
        indicators=indicator_frame,
        units=summarise(results, _unit_ikm(results, ikm_frame), settings),
        agency=summarise(results, _agency_ikm(frames.surveys, settings, wanted), settings,
                         by_unit=False),
        ikm=ikm_frame.loc[ikm_frame["period"].isin(wanted)].reset_index(drop=True),
    )


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
        found.update(labels[np.unique(month_to_period_index(months, kind))].tolist())
    found.update(frames.supervisor_ratings["period"].dropna().tolist())
    return sort_periods(found, year, kind)


class _Grid:
    """Every (period, active employee) pair, period-major, with integer positions."""

    def __init__(self, employees: pd.DataFrame, periods: list[str]) -> None:
        self.employees = employees
        self.periods = pd.Index(periods, dtype=object)
        self.nips = pd.Index(employees["nip"].astype(str), dtype=object)
        self.nip_dtype = pd.CategoricalDtype(categories=self.nips)
        self.size = len(periods) * len(self.nips)

    def own_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows about active employees, `nip` made categorical so grouping is cheap."""
        kept = frame.loc[frame["nip"].isin(self.nips)]
        return kept.assign(nip=kept["nip"].astype(str).astype(self.nip_dtype))

    def positions(self, frame: pd.DataFrame) -> np.ndarray:
        """Grid row of each (period, nip) row of `frame`; -1 when not on the grid."""
        period = self.periods.get_indexer(frame["period"].astype(object))
        nip = frame["nip"]
        if isinstance(nip.dtype, pd.CategoricalDtype):
            lookup = self.nips.get_indexer(nip.cat.categories.astype(object))
            codes = nip.cat.codes.to_numpy()
            emp = np.where(codes >= 0, lookup[codes], -1)
        else:
            emp = self.nips.get_indexer(nip.astype(object))
        return np.where((period >= 0) & (emp >= 0), period * len(self.nips) + emp, -1)

    def align(self, frame: pd.DataFrame, defaults: dict) -> dict[str, np.ndarray]:
        """Columns of a (period, nip)-keyed frame as grid-length arrays, defaults elsewhere."""
        pos = self.positions(frame)
        ok = pos >= 0
        out = {}
        for column, default in defaults.items():
            values = frame[column].to_numpy()
            dtype = object if default is None else np.asarray(default).dtype
            filled = np.full(self.size, default, dtype=dtype)
            filled[pos[ok]] = values[ok]
            out[column] = filled
        return out

    def frame(self) -> pd.DataFrame:
        """The grid as a frame: period, nip, unit, all Categorical so ranking is cheap."""
        n = len(self.nips)
        take = np.tile(np.arange(n), len(self.periods))
        units = pd.Categorical(self.employees["unit"].to_numpy(dtype=object))
        return pd.DataFrame({
            "period": pd.Categorical.from_codes(np.repeat(np.arange(len(self.periods)), n),
                                                categories=self.periods),
            "nip": pd.Categorical.from_codes(take, dtype=self.nip_dtype),
            "unit": units.take(take),
        })

    def finish(self, out: pd.DataFrame, wanted: list[str]) -> pd.DataFrame:
        """The requested periods' rows, sorted, with plain text columns and RESULT_COLUMNS."""
        rows = np.flatnonzero(out["period"].isin(wanted).to_numpy())
        part = out.iloc[rows]
        rank = part["unit_rank"].to_numpy(dtype="float64", na_value=np.inf)
        order = np.lexsort((ordered_codes(part["nip"]), rank, ordered_codes(part["unit"]),
                            ordered_codes(part["period"])))
        part = part.iloc[order].reset_index(drop=True)
        employee = rows[order] % max(len(self.nips), 1)
        for column in ("period", "nip", "unit"):
            part[column] = part[column].astype("str")
        for column in ("name", "position"):
            part[column] = self.employees[column].array.take(employee)
        return part[list(RESULT_COLUMNS)]


def _rating_source(work_rating, behaviour_rating, by_supervisor) -> np.ndarray:
    rated = pd.notna(work_rating) | pd.notna(behaviour_rating)
    choice = np.where(by_supervisor, 0, np.where(rated, 1, 2))
    return np.array(["supervisor", "auto", None], dtype=object)[choice]


def _employee_ikm(grid: _Grid, surveys, ikm_frame, settings):
    """Employee IKM: own surveys when enough, else their unit's period IKM, else NaN."""
    # The unit's IKM: match the employee's unit to a service unit by name.
    unit_rows = ikm_frame.loc[ikm_frame["scope"] == "period"]
    service_units = pd.Index(unit_key(unit_rows["service_unit"]).unique())
    table = np.full((len(service_units) + 1, len(grid.periods)), np.nan)  # last row: no match
    table[service_units.get_indexer(unit_key(unit_rows["service_unit"])),
          grid.periods.get_indexer(unit_rows["period"])] = unit_rows["ikm"].to_numpy(dtype=float)
    unit_of = service_units.get_indexer(unit_key(grid.employees["unit"]))
    unit_of[unit_of < 0] = len(service_units)
    n = len(grid.nips)
    ikm = table[np.tile(unit_of, len(grid.periods)), np.repeat(np.arange(len(grid.periods)), n)]
    source = np.where(np.isnan(ikm), None, "unit").astype(object)
    # The employee's own surveys override when there are enough of them.
    officers = surveys.loc[surveys["officer_nip"].notna()]
    labels = np.array(all_periods(settings.year, settings.period_type), dtype=object)
    officers = officers.assign(
        period=labels[month_to_period_index(officers["month"], settings.period_type)],
        nip=officers["officer_nip"],
    )
    own = group_ikm(officers, ["period", "nip"], settings)
    own = own.loc[own["respondents"] >= settings.min_responses_per_officer]
    pos = grid.positions(own)
    ok = pos >= 0
    ikm[pos[ok]] = own["ikm"].to_numpy(dtype="float64")[ok]
    source[pos[ok]] = "officer"
    # IKM values are exact hundredths, so ×100 and rint recovers the integer band input.
    hundredths = np.where(np.isnan(ikm), -1, np.rint(ikm * 100)).astype(np.int64)
    return ikm, quality(hundredths), source


def _rank_changes(out: pd.DataFrame, grid: _Grid, settings: Settings) -> pd.Series:
    """rank_change per grid row, against the previous period's block of the grid."""
    n = len(grid.nips)
    change = pd.Series(pd.array([pd.NA] * len(out), dtype="Int64"), index=out.index)
    for p, label in enumerate(grid.periods):
        before = previous_period(label, settings.year, settings.period_type)
        if before is None or before not in grid.periods:
            continue
        q = grid.periods.get_loc(before)
        current = out.iloc[p * n:(p + 1) * n]
        previous = out.iloc[q * n:(q + 1) * n]
        change.iloc[p * n:(p + 1) * n] = rank_change(current, previous).to_numpy()
    return change


def _unit_ikm(results: pd.DataFrame, ikm_frame: pd.DataFrame) -> pd.DataFrame:
    """Each work unit's period IKM, for units whose name matches a service unit."""
    rows = ikm_frame.loc[ikm_frame["scope"] == "period"]
    lookup = pd.DataFrame({
        "period": rows["period"].to_numpy(dtype=object),
        "key": unit_key(rows["service_unit"]).to_numpy(dtype=object),
        "ikm": rows["ikm"].to_numpy(dtype="float64"),
        "ikm_quality": rows["quality"].to_numpy(dtype=object),
    })
    units = results[["period", "unit"]].drop_duplicates()
    units = units.assign(key=unit_key(units["unit"]).to_numpy(dtype=object))
    return units.merge(lookup, on=["period", "key"], how="inner")


def _agency_ikm(surveys: pd.DataFrame, settings: Settings, wanted: list[str]) -> pd.DataFrame:
    """The agency's IKM per period: all its surveys pooled."""
    labels = np.array(all_periods(settings.year, settings.period_type), dtype=object)
    rows = surveys.assign(
        period=labels[month_to_period_index(surveys["month"], settings.period_type)]
    )
    pooled = group_ikm(rows.loc[rows["period"].isin(wanted)], ["period"], settings)
    return pd.DataFrame({
        "period": pooled["period"].to_numpy(dtype=object),
        "unit": None,
        "ikm": pooled["ikm"].to_numpy(dtype="float64"),
        "ikm_quality": pooled["quality"].to_numpy(dtype=object),
    })
