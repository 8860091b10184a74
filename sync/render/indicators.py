"""`Capaian IKI`: the per-indicator figures behind every rating, with a status per indicator and period."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from scoring import periods as period_rules
from sheet_templates import results as R
from sheet_templates.schema import INDICATORS
from sync.outtabs import (
    OutputTab,
)
from sync.render.columns import by_distinct, clean_column, first_rows, lookup, objects, round2, row_codes
from sync.render.common import MAX_MONTHS_NAMED, output_columns
from sync.table import ColumnTable

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
    period = indicators["period"].astype(str)
    person, place = _people(period, indicators["nip"], results)
    at = _skp_rows(indicators["iki_code"], skp)  # one look-up for the four columns
    # rows put in order first (stable; NaN last), so every column made below is made in order
    order = np.lexsort((np.where(at >= 0, at, np.nan), place))
    wanted = {c.name for c in tab.columns} - {"name", "unit"} | {
        "period", "iki_code", "rhk_type", "target", "target_max", "capaian", "flag", "status"}
    frame = indicators[[c for c in indicators.columns if c in wanted]].assign(period=period)
    frame = frame.take(order).reset_index(drop=True)
    at, person = at[order], person[order]
    # the shown columns stay arrays: put back into the frame, pandas would infer their dtype again
    shown = {c.name: frame[c.name] for c in tab.columns if c.name in frame}
    for column in ("name", "unit"):  # what a left merge on (period, NIP) with `results` gave
        shown[column] = _taken_or_missing(results[column], person)
    labels = {"aspect": _ASPECT_LABELS, "direction": _DIRECTION_LABELS}
    for column in ("rhk", "indicator", "aspect", "direction"):
        if column not in skp:
            shown[column] = np.full(len(frame), None, dtype=object)
        elif column in labels:  # worded per SKP row, not per Capaian IKI row
            shown[column] = _taken(lookup(skp[column], labels[column]), at)
        else:
            shown[column] = _taken(skp[column], at)
    shown["rhk_type"] = lookup(frame["rhk_type"].astype(str), R.RHK_TYPE_LABELS)
    months = _month_numbers(realisations["month"]) if len(realisations) else np.zeros(0, np.int64)
    keys = _Keys(frame, realisations, months, year, period_type)
    for column in ("obstacle", "follow_up_plan"):
        shown[column] = _latest_note(realisations, column, months, keys)
    shown["capaian"] = _cut(frame["capaian"])
    shown["status"] = indicator_status(frame, keys.months_present(months), year, period_type)
    cells = {name: clean_column(values) for name, values in shown.items() if name != "target"}
    cells["target"] = _target_cells(frame["target"], frame["target_max"])
    return OutputTab(tab.label, columns, ColumnTable([cells[c.name] for c in tab.columns]), autofilter=True)


def _people(period: pd.Series, nip: pd.Series, results: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per Capaian IKI row: the `results` row of its period and NIP (the first of them; -1: none) and
    the place of that pair among `results`' distinct pairs (NaN: none), as a left merge gave them.

    Whole-number codes of the pairs, not a merge: a merge builds a frame of every column.
    """
    n = len(results)
    codes = row_codes([_joined(results["period"].astype(str), period), _joined(results["nip"], nip)])
    # `results` first: its pairs are numbered 0, 1, … as they first appear there (their place)
    first = np.append(first_rows(codes[:n]), -1)
    pairs = len(first) - 1
    own = codes[n:]
    return first[np.minimum(own, pairs)], np.where(own < pairs, own, np.nan)


def _skp_rows(codes: pd.Series, skp: pd.DataFrame) -> np.ndarray:
    """Per Capaian IKI row, the SKP row of its Kode IKI (the last of equal ones; -1: none).

    SKP rows in their order, so that sorting by them is sorting by the SKP's order. Found by
    an index of the kept rows' codes, as before: which missing code matches which is its rule.
    """
    n = len(skp)
    backwards = row_codes([skp["iki_code"].to_numpy(dtype=object)[::-1]])
    kept = np.sort(n - 1 - first_rows(backwards))  # the last row of each Kode IKI, in the SKP's order
    at = pd.Index(skp["iki_code"].take(kept)).get_indexer(codes)
    return np.append(kept, -1)[at]  # -1 (not found) takes the -1 put last


def _joined(first: pd.Series, second: pd.Series) -> np.ndarray:
    """Two columns, one after the other, as one object array (to be numbered together)."""
    return np.concatenate([first.to_numpy(dtype=object), second.to_numpy(dtype=object)])


def _taken_or_missing(column: pd.Series, at: np.ndarray):
    """`column`'s values at positions `at`, missing where `at` is -1 (a left merge's fill, dtype and all)."""
    values = column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array
    return pd.api.extensions.take(values, at, allow_fill=True)


def _taken(values: pd.Series | np.ndarray, at: np.ndarray) -> np.ndarray:
    """`values` at positions `at`, None where `at` is -1 (a code not in the SKP)."""
    out = (values.to_numpy(dtype=object) if isinstance(values, pd.Series) else values)[at]
    out[at < 0] = None
    return out


def _month_numbers(series: pd.Series) -> np.ndarray:
    """Month numbers 1–12 of validated months: (year, month) pairs or numbers."""
    return by_distinct(lambda m: m[1] if isinstance(m, tuple | list) else int(m), series).astype(np.int64)


class _Keys:
    """Whole-number keys shared by the Capaian IKI rows and the Realisasi rows.

    Kode IKI and (Kode IKI, period) as integers, so that matching 600,000 rows
    against 600,000 is array work, not a merge on text columns.
    """

    def __init__(self, frame: pd.DataFrame, realisations: pd.DataFrame, months: np.ndarray, year: int,
                 period_type: str):
        n = len(frame)
        codes = pd.factorize(_joined(frame["iki_code"], realisations["iki_code"]))[0]
        codes = codes + 1  # 0: a missing Kode IKI, matched like any other
        labels = period_rules.all_periods(year, period_type)
        numbers = {label: i + 1 for i, label in enumerate(labels)}
        # periods as 1, 2, …: a Realisasi row's by its month, a Capaian IKI row's by its label (0: not one)
        periods = np.concatenate([by_distinct(lambda p: numbers.get(p, 0), frame["period"]).astype(np.int64),
                                  period_rules.month_to_period_index(months, period_type) + 1])
        pairs = codes * (len(labels) + 1) + periods
        self.codes, self.realisation_codes = codes[:n], codes[n:]
        self.pairs, self.realisation_pairs = pairs[:n], pairs[n:]
        self.known = self.realisation_codes > 0  # Realisasi rows with a Kode IKI

    def months_present(self, months: np.ndarray) -> np.ndarray:
        """Per Capaian IKI row, its Kode IKI's months with a Realisasi row (bit m for month m)."""
        size = max(int(self.codes.max(initial=0)), int(self.realisation_codes.max(initial=0))) + 1
        present = np.zeros(size, dtype=np.int64)
        np.bitwise_or.at(present, self.realisation_codes, np.left_shift(1, months))
        return present[self.codes]


def _latest_note(realisations: pd.DataFrame, column: str, months: np.ndarray, keys: _Keys) -> np.ndarray:
    """Per Capaian IKI row: the latest Kendala (or Rencana Tindak Lanjut) typed in its period's months.

    The latest month wins, and within a month the lower row; None when nothing was typed.
    """
    out = np.full(len(keys.pairs), None, dtype=object)
    if column not in realisations or not len(realisations):
        return out
    values = realisations[column].to_numpy(dtype=object)
    typed = by_distinct(lambda v: isinstance(v, str) and v.strip() != "", values).astype(bool)
    rows = np.flatnonzero(typed & keys.known)
    pairs = keys.realisation_pairs[rows]
    rows = rows[np.lexsort((rows, months[rows], pairs))]  # by pair, then month, then row
    pairs = keys.realisation_pairs[rows]
    last = np.append(pairs[1:] != pairs[:-1], True) if len(rows) else np.zeros(0, dtype=bool)
    rows, pairs = rows[last], pairs[last]
    at = np.minimum(np.searchsorted(pairs, keys.pairs), max(len(pairs) - 1, 0))
    found = pairs[at] == keys.pairs if len(pairs) else np.zeros(len(keys.pairs), dtype=bool)
    out[found] = values[rows[at[found]]]
    return out


def _target_cells(lower: pd.Series, upper: pd.Series) -> np.ndarray:
    """`_target_text` as the writer takes it (`clean_column`'s values).

    Made directly when the targets are floats: cleaning a column of numbers and texts
    would sort them out again one cell at a time.
    """
    ranged = upper.notna().to_numpy()
    if not ranged.any() or lower.dtype != np.float64:
        return clean_column(_target_text(lower, upper))
    numbers = lower.to_numpy()
    cells = objects(round2(numbers).tolist())
    cells[np.isnan(numbers)] = None
    cells[ranged] = _range_texts(numbers[ranged], upper.to_numpy()[ranged])
    return cells


def _target_text(lower: pd.Series, upper: pd.Series) -> pd.Series:
    """The target as a number, or "10,00–12,00" for a range target (capaian 100 % inside it)."""
    ranged = upper.notna().to_numpy()
    if not ranged.any():
        return lower
    out = lower.to_numpy(dtype=object).copy()
    out[ranged] = _range_texts(lower.to_numpy()[ranged], upper.to_numpy()[ranged])
    return pd.Series(out, index=lower.index, dtype=object)


def _range_texts(lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """"10,00–12,00" for each range target."""
    return by_distinct(lambda lo, hi: f"{_id_number(lo)}–{_id_number(hi)}", lower, upper)


def _id_number(value) -> str:
    """A number with two decimals the Indonesian way: 1.234,50."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _cut(values: pd.Series) -> pd.Series:
    """Capaian cut to two decimals (never rounded up across a band edge)."""
    hundredths = np.floor(np.round(values.to_numpy(dtype="float64") * 100, 6))
    return pd.Series(hundredths / 100, index=values.index)


def indicator_status(frame: pd.DataFrame, present: np.ndarray, year: int, period_type: str) -> np.ndarray:
    """The `Status` of each Capaian IKI row (`present`: its months with a Realisasi row, as bits).

    No realisation at all, a target that is not positive, then scoring's own
    per-indicator `status` where it gives one (rejected months), else the
    months without a Realisasi row between the indicator's first reported
    month and the period's end: capaian is cumulative, so such a month
    silently repeats the earlier figure unless it is named.
    """
    last = by_distinct(lambda p: period_rules.period_months(p, year, period_type)[1], frame["period"])
    last = last.astype(np.int64)
    lowest = present & -present  # the first reported month's bit
    upto = (np.left_shift(1, last + 1) - 1)
    missing = ~present & upto & ~((lowest << 1) - 1) & np.where(present > 0, -1, 0)
    given = [frame["status"]] if "status" in frame else []
    # a few distinct (flag, missing months, status) over 600,000 rows: each worded once
    return by_distinct(_status_words, frame["flag"], missing, *given)


def _status_words(flag, missing: int, given=None) -> str:
    if flag == "no_realisation":
        return R.INDICATOR_STATUS_LABELS["no_realisation"]
    words = []
    if flag == "invalid_target":
        words.append(R.INDICATOR_STATUS_LABELS["invalid_target"])
    if isinstance(given, str) and given not in ("", "complete", "nan"):
        words.append(R.INDICATOR_STATUS_LABELS.get(given, given))
    if missing:
        words.append(R.INDICATOR_STATUS_LABELS["missing_month"].format(
            months=_month_list([m for m in range(1, 13) if missing >> m & 1])))
    return _sentence("; ".join(words)) if words else R.INDICATOR_STATUS_LABELS["complete"]


def _month_list(months: list[int]) -> str:
    named = [R.MONTH_NAMES[m] for m in months[:MAX_MONTHS_NAMED]]
    return ", ".join(named) + (", dst." if len(months) > MAX_MONTHS_NAMED else "")


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


