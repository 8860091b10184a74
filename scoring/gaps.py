"""What a result rests on that is not there: rejected rows and months without a realisation.

A result built on partial data must never look complete (issue 11): the
sync layer hands over the rows validation rejected (`Frames.rejected`), and
capaian being cumulative from January, a month missing before the period's
end silently repeats the earlier figure unless it is named.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .periods import period_months

MAX_CELLS = 3  # cells named in a status; the rest are in Validasi


def missing_months(indicators: pd.DataFrame, realisations: pd.DataFrame, last_month: int,
                   position: np.ndarray | None = None) -> pd.DataFrame:
    """Months without a `Realisasi` row between each indicator's first reported month and `last_month`.

    Args:
        indicators: iki_code, nip.
        realisations: iki_code, month (1–12).
        last_month: the last month scored (the latest period's end).
        position: each realisation's row in `indicators` (-1 unknown), when the
            caller has it (`capaian.indicator_positions`): saves a second look-up
            of millions of codes.

    Returns:
        iki_code, nip, month, present (a bitmask of the months reported, bit m for month m): one
        row per missing month, by nip, iki_code, month. Indicators with no realisation at all
        are not listed: they are "no realisation", said elsewhere.

    Examples:
        >>> ind = pd.DataFrame({"iki_code": ["K1", "K2"], "nip": ["1", "1"]})
        >>> real = pd.DataFrame({"iki_code": ["K1", "K1", "K2"], "month": [1, 3, 2]})
        >>> missing_months(ind, real, 3)[["iki_code", "month"]].to_dict("records")
        [{'iki_code': 'K1', 'month': 2}, {'iki_code': 'K2', 'month': 3}]
    """
    codes = pd.Index(indicators["iki_code"])
    if position is None:
        position = codes.get_indexer(realisations["iki_code"])
    months = realisations["month"].to_numpy(dtype=np.int64)
    known = (position >= 0) & (months >= 1) & (months <= 12)
    # Which (indicator, month) cells were reported, then one bit per month: a scatter and
    # twelve column passes instead of a ufunc.at over every realisation row.
    reported = np.zeros((len(codes), 13), dtype=bool)
    reported.reshape(-1)[position[known].astype(np.int64) * 13 + months[known]] = True
    present = np.zeros(len(codes), dtype=np.int64)
    for month in range(1, 13):
        present |= reported[:, month].astype(np.int64) << month
    del reported
    rows = []
    for month in range(2, last_month + 1):
        before = present & ((1 << month) - 1)  # something reported earlier in the year
        lacking = (before != 0) & ((present >> month) & 1 == 0)
        if lacking.any():
            nips = indicators["nip"].to_numpy()[lacking]
            rows.append(pd.DataFrame({"iki_code": codes[lacking], "nip": nips, "month": month,
                                      "present": present[lacking]}))
    if not rows:
        return pd.DataFrame({"iki_code": pd.Series([], dtype=object), "nip": pd.Series([], dtype=object),
                             "month": pd.Series([], dtype=np.int64),
                             "present": pd.Series([], dtype=np.int64)})
    out = pd.concat(rows, ignore_index=True)
    return out.sort_values(["nip", "iki_code", "month"], ignore_index=True)


def gaps_per_row(nips: pd.Series, periods: pd.Series, rejected: pd.DataFrame, missing: pd.DataFrame,
                 year: int, period_type: str) -> tuple[np.ndarray, np.ndarray]:
    """Per result row (nip, period): the rejected cells that touch it, and its missing months.

    A rejected row touches a period when its months [start, end] meet the
    months the result rests on: a realisation counts from its month to the
    year's end (capaian cumulates), a behaviour row only in its own period, an
    employee or SKP row always. A missing month touches every period from
    that month on, except a month of the period itself when the indicator has
    nothing in the period at all (that is "no realisation", said already).

    Returns:
        (cells, months): object arrays of tuples, e.g. ("SKP!K12",) and (2,).
    """
    n = len(nips)
    cells = np.empty(n, dtype=object)
    gaps = np.empty(n, dtype=object)
    cells[:] = [()] * n
    gaps[:] = [()] * n
    if rejected.empty and missing.empty:
        return cells, gaps
    # Each employee's rows as plain arrays once: the loop below runs per (employee, period),
    # and pandas indexing there cost more than the rest of this function.
    by_nip_rejected = {nip: (group["start"].to_numpy(), group["end"].to_numpy(), group["cell"].tolist())
                       for nip, group in rejected.groupby("nip", sort=False)}
    by_nip_missing = {nip: (group["month"].to_numpy(), group["present"].to_numpy())
                      for nip, group in missing.groupby("nip", sort=False)}
    bounds = {label: period_months(label, year, period_type) for label in pd.unique(periods)}
    touched = np.flatnonzero(nips.isin(set(by_nip_rejected) | set(by_nip_missing)).to_numpy())
    nip_values, period_values = nips.to_numpy(dtype=object), periods.to_numpy(dtype=object)
    for i in touched:  # only the few employees with a gap: the loop never sees the complete majority
        nip, label = nip_values[i], period_values[i]
        start, end = bounds[label]
        group = by_nip_rejected.get(nip)
        if group is not None:
            starts, ends, names = group
            hit = [names[j] for j in np.flatnonzero((starts <= end) & (ends >= start)).tolist()]
            cells[i] = tuple(dict.fromkeys(hit))[:MAX_CELLS] or ()
        group = by_nip_missing.get(nip)
        if group is not None:
            in_period = ((1 << (end + 1)) - (1 << start))
            month, present = group
            keep = (month <= end) & ((month < start) | (present & in_period != 0))
            gaps[i] = tuple(sorted(set(month[keep].tolist())))
    return cells, gaps


def components(work: pd.Series, behaviour: pd.Series, ikm: pd.Series) -> np.ndarray:
    """Which parts a Nilai Kinerja rests on: a tuple of "work", "behaviour", "ikm" per row."""
    names = ("work", "behaviour", "ikm")
    code = (work.notna().to_numpy().astype(np.int64) | behaviour.notna().to_numpy().astype(np.int64) << 1
            | ikm.notna().to_numpy().astype(np.int64) << 2)
    table = np.empty(8, dtype=object)
    table[:] = [tuple(name for bit, name in enumerate(names) if combo >> bit & 1) for combo in range(8)]
    return table[code]
