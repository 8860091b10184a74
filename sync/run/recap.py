"""The master recap across agencies: stored results of every agency → frames BKPSDM reads. Pure.

The inputs are what the run history keeps (see `history`): per source and
period the `Rekap Unit` figures (`summaries`, agency-wide rows have unit ""),
the Pegawai Terbaik rows (`best`), and one row per configured source
(`agencies`: name, when its results were scored, how its last run went). The
frames here use internal names; `recap_tabs` turns them into tabs.

The ranking across agencies (a decision, see `rank_agencies`): agencies, not
employees, ranked by the mean Nilai Kinerja of their scored employees in
their latest period. Employees of different agencies have different SKP
targets and different raters, so ranking them against each other Pemda-wide
would compare the agencies' rating habits more than the employees; BKPSDM's
question is how the agencies compare. Nilai Kinerja accumulates capaian from
January, so each agency's latest period is its year-to-date standing.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from sync.run.history import AGENCY_UNIT

_PERIOD = re.compile(r"(\d{4})(?:-(?:(\d{2})|T([1-4])|S([12])))?")


def period_key(label: str) -> tuple[int, int, int]:
    """Calendar order for period labels of every type: (year, last month, months covered).

    Examples:
        >>> sorted(["2026-T1", "2026-02", "2026", "2026-03", "2025-12"], key=period_key)
        ['2025-12', '2026-02', '2026-03', '2026-T1', '2026']
    """
    match = _PERIOD.fullmatch(str(label))
    if match is None:
        return (0, 0, 0)
    year, month, quarter, semester = match.groups()
    if month:
        return (int(year), int(month), 1)
    if quarter:
        return (int(year), int(quarter) * 3, 3)
    if semester:
        return (int(year), int(semester) * 6, 6)
    return (int(year), 12, 12)


def latest_periods(summaries: pd.DataFrame) -> pd.DataFrame:
    """Per source its latest period with results and the one before it (missing when there is none).

    Args:
        summaries: source, period, unit (agency-wide rows have unit "").

    Returns:
        A new frame: source, period, previous; one row per source that has results.

    Examples:
        >>> s = pd.DataFrame({"source": ["a", "a", "b"], "period": ["2026-02", "2026-01", "2026-T1"],
        ...                   "unit": ["", "", ""]})
        >>> latest_periods(s).to_dict("records")
        [{'source': 'a', 'period': '2026-02', 'previous': '2026-01'}, \
{'source': 'b', 'period': '2026-T1', 'previous': nan}]
    """
    agency = summaries.loc[summaries["unit"] == AGENCY_UNIT, ["source", "period"]]
    rows = []
    for source, group in agency.groupby("source", sort=True):
        periods = sorted(set(group["period"]), key=period_key)
        rows.append((source, periods[-1], periods[-2] if len(periods) > 1 else None))
    return pd.DataFrame(rows, columns=["source", "period", "previous"])


def rank_agencies(snapshot: pd.DataFrame) -> pd.Series:
    """Rank among agencies, 1 = best; missing for an agency with nobody scored.

    Order: mean Nilai Kinerja (rounded to 2 decimals, as shown) descending, then
    the share of employees scored descending (an agency that scored everyone
    ahead of one that left half out), then the source name: deterministic.

    Args:
        snapshot: source, mean_score, scored, employees; one row per agency.

    Returns:
        An Int64 Series aligned with `snapshot`.

    Examples:
        >>> s = pd.DataFrame({"source": ["a", "b", "c", "d"], "mean_score": [80.0, 90.0, None, 80.001],
        ...                   "scored": [10, 5, 0, 4], "employees": [10, 10, 3, 8]})
        >>> rank_agencies(s).tolist()
        [2, 1, <NA>, 3]
    """
    scored = pd.to_numeric(snapshot["scored"]).fillna(0)
    mean = pd.to_numeric(snapshot["mean_score"]).astype("float64").round(2)
    eligible = scored.gt(0) & mean.notna()
    keys = pd.DataFrame({"mean": mean, "share": scored / pd.to_numeric(snapshot["employees"]),
                         "source": snapshot["source"]}).loc[eligible]
    order = keys.sort_values(["mean", "share", "source"], ascending=[False, False, True], kind="stable").index
    ranks = pd.Series(pd.array([pd.NA] * len(snapshot), dtype="Int64"), index=snapshot.index)
    ranks.loc[order] = np.arange(1, len(order) + 1)
    return ranks


def _at(summaries: pd.DataFrame, periods: pd.DataFrame, column: str) -> pd.DataFrame:
    """The agency-wide summary row of each source at its period in `periods[column]`."""
    agency = summaries.loc[summaries["unit"] == AGENCY_UNIT]
    wanted = periods[["source", column]].dropna().rename(columns={column: "period"})
    return wanted.merge(agency, on=["source", "period"], how="inner")


PAY_COLUMNS = ("tpp_employees", "tpp_month", "tpp_total", "mean_deduction", "discipline_light",
               "discipline_moderate", "discipline_severe")
"""The TPP and discipline figures of an agency's row (history's `period_pay`, `month` as tpp_month)."""


def agency_recap(agencies: pd.DataFrame, summaries: pd.DataFrame,
                 pay: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per configured agency at its latest period, ranked, best first.

    Args:
        agencies: source, agency, order (config order), and any columns to carry along.
        summaries: stored `period_summaries` rows of these sources.
        pay: stored `period_pay` rows (source, period, month, tpp_employees, …); the
            figures of each agency's latest period become PAY_COLUMNS (missing without).

    Returns:
        `agencies` joined with the agency-wide summary of its latest period,
        plus rank (Int64) and rank_change (previous rank − rank, Int64: positive
        is a rise), sorted by rank, unranked agencies last in config order.
    """
    latest = latest_periods(summaries)
    now = _at(summaries, latest, "period")
    frame = agencies.merge(now.drop(columns=["unit"], errors="ignore"), on="source", how="left")
    frame = frame.merge(_pay_at(pay, latest), on="source", how="left")
    frame["rank"] = rank_agencies(frame)
    before = _at(summaries, latest, "previous")
    previous = pd.Series(rank_agencies(before).to_numpy(), index=before["source"].to_numpy(), dtype="Int64")
    frame["rank_change"] = previous.reindex(frame["source"]).to_numpy() - frame["rank"].to_numpy()
    frame["rank_change"] = frame["rank_change"].astype("Int64")
    return frame.sort_values(["rank", "order"], na_position="last", kind="stable").reset_index(drop=True)


def _pay_at(pay: pd.DataFrame | None, latest: pd.DataFrame) -> pd.DataFrame:
    """PAY_COLUMNS per source at its latest period (one row per source that has them)."""
    columns = ["source", *PAY_COLUMNS]
    if pay is None or pay.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    rows = pay.rename(columns={"month": "tpp_month"}).merge(
        latest[["source", "period"]], on=["source", "period"], how="inner")
    return rows.drop_duplicates("source")[columns].astype(object)


def unit_recap(agencies: pd.DataFrame, summaries: pd.DataFrame) -> pd.DataFrame:
    """Every unit of every agency at the agency's latest period, the agency-wide row after its units.

    Returns:
        The summary rows with agency and order from `agencies`; agency-wide
        rows keep unit "" (the renderer names them).
    """
    latest = latest_periods(summaries)[["source", "period"]]
    rows = summaries.merge(latest, on=["source", "period"], how="inner")
    rows = rows.merge(agencies[["source", "agency", "order"]], on="source", how="inner")
    rows["_agency_row"] = rows["unit"] == AGENCY_UNIT
    return rows.sort_values(["order", "_agency_row", "unit"], kind="stable").drop(
        columns="_agency_row").reset_index(drop=True)


def best_recap(agencies: pd.DataFrame, best: pd.DataFrame, summaries: pd.DataFrame) -> pd.DataFrame:
    """The Pegawai Terbaik of every unit at the agency's latest period; `agency_best` marks the top one.

    The agency's own best employee is the unit best with the best rank in the
    agency: the agency ranking restricted to one unit keeps its order, so the
    top eligible employee of the agency is always the best of their unit.
    """
    latest = latest_periods(summaries)[["source", "period"]]
    rows = best.merge(latest, on=["source", "period"], how="inner")
    rows = rows.merge(agencies[["source", "agency", "order"]], on="source", how="inner")
    rows = rows.sort_values(["order", "agency_rank", "unit"], kind="stable").reset_index(drop=True)
    rows["agency_best"] = ~rows["source"].duplicated()
    return rows


def trend(agencies: pd.DataFrame, summaries: pd.DataFrame, count: int = 6) -> tuple[pd.DataFrame, list[str]]:
    """Mean Nilai Kinerja per agency over the last `count` periods of the Pemda.

    Returns:
        (frame, periods): one row per agency with any value in those periods:
        agency, source, one column per period label (calendar order), and
        change = its last value minus the one before (missing with fewer than two).

    Examples:
        >>> a = pd.DataFrame({"source": ["a"], "agency": ["Dinas A"], "order": [0]})
        >>> s = pd.DataFrame({"source": ["a"] * 3, "period": ["2026-01", "2026-02", "2026-03"],
        ...                   "unit": [""] * 3, "mean_score": [80.0, 82.5, 81.0]})
        >>> frame, periods = trend(a, s, count=2)
        >>> periods, frame.loc[0, "2026-03"], frame.loc[0, "change"]
        (['2026-02', '2026-03'], np.float64(81.0), np.float64(-1.5))
    """
    agency = summaries.loc[summaries["unit"] == AGENCY_UNIT]
    periods = sorted(set(agency["period"]), key=period_key)[-count:] if count > 0 else []
    wide = (agency.loc[agency["period"].isin(periods)]
            .pivot_table(index="source", columns="period", values="mean_score", aggfunc="first")
            .reindex(columns=periods))
    frame = agencies[["source", "agency", "order"]].merge(wide, left_on="source", right_index=True)
    frame = frame.sort_values("order", kind="stable").reset_index(drop=True)
    values = frame[periods].to_numpy(dtype="float64") if periods else np.empty((len(frame), 0))
    frame["change"] = [_last_step(row) for row in values]
    return frame, periods


def _last_step(values: np.ndarray) -> float:
    present = values[~np.isnan(values)]
    return float(present[-1] - present[-2]) if len(present) >= 2 else np.nan
