"""Rule 6: IKM (Indeks Kepuasan Masyarakat, PermenPANRB 14/2017), computed exactly.

IKM = Σ (NRR_i × w) × 25, where NRR_i is the mean of the answers given to
item U_i. The value is rounded half-up to 2 decimals with integer or Fraction
arithmetic, never floats, because the mutu bands leave 0.01-wide gaps.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from ._groups import group_ids
from .errors import ScoringError
from .frames import ITEM_COLUMNS
from .settings import Settings, item_weight

NRR_COLUMNS = tuple(f"nrr_{item}" for item in ITEM_COLUMNS)
UNIT_PERFORMANCE = {"A": "very_good", "B": "good", "C": "fair", "D": "poor"}
"""Kinerja Unit per mutu: Sangat Baik, Baik, Kurang Baik, Tidak Baik."""

# Lower bounds in hundredths of an IKM point (A 88.31, B 76.61, C 65.00, else D).
_BANDS = ((8831, "A"), (7661, "B"), (6500, "C"))

# Krejcie–Morgan: S = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P)), χ² 3.841, P 0.5, d 0.05.
_KM_A = Fraction("3.841") * Fraction(1, 2) * Fraction(1, 2)
_KM_B = Fraction(5, 100) ** 2
_KM_SCALE = _KM_A.denominator * _KM_B.denominator
_KM_NUM, _KM_DEN = int(_KM_A * _KM_SCALE), int(_KM_B * _KM_SCALE)


def krejcie_morgan(population) -> np.ndarray:
    """Minimum sample size per population, rounded to nearest (half-up), exactly.

    Returns a float array; NaN where the population is missing or negative.

    Examples:
        >>> krejcie_morgan([10, 100, 1000, 1_000_000, np.nan]).tolist()
        [10.0, 80.0, 278.0, 384.0, nan]
    """
    n = np.asarray(population, dtype="float64")
    known = ~np.isnan(n) & (n >= 0)
    big = np.where(known, n, 0).astype(np.int64)
    # S = A·N / (B·(N−1) + A) with integer A, B; half-up = ⌊(2·num + den) / (2·den)⌋.
    num = _KM_NUM * big
    den = _KM_DEN * (big - 1) + _KM_NUM
    sample = (2 * num + den) // (2 * den)
    return np.where(known, sample.astype("float64"), np.nan)


def ikm_hundredths(sums, counts, weight: Fraction) -> np.ndarray:
    """IKM × 100, rounded half-up to an integer, exactly; -1 where nothing was answered.

    Items nobody answered are left out and the weights renormalised over the
    answered ones (×9/k), like the other parts of the score.

    Args:
        sums: (groups × 9) integer sums of the answers per item.
        counts: (groups × 9) number of answers per item.
        weight: the item weight w as a Fraction (1/9 or 111/1000).

    Examples:
        >>> ikm_hundredths([[26] * 9], [[10] * 9], Fraction(1, 9)).tolist()  # NRR 2.6
        [6500]
    """
    sums = np.asarray(sums, dtype=np.int64).reshape(-1, 9)
    counts = np.asarray(counts, dtype=np.int64).reshape(-1, 9)
    if len(sums) == 0:
        return np.zeros(0, dtype=np.int64)
    p, q = weight.numerator, weight.denominator
    answered = counts > 0
    k = answered.sum(axis=1)
    n = counts.max(axis=1)
    equal = (k > 0) & np.all(~answered | (counts == n[:, None]), axis=1)
    out = np.full(len(sums), -1, dtype=np.int64)
    total = sums.sum(axis=1)
    # Same count n on every answered item: IKM×100 = 22500·p·ΣS / (q·k·n), in int64.
    if equal.any() and 2 * 22500 * p * int(total.max()) + 9 * q * int(n.max()) < 2**62:
        num = 22500 * p * total[equal]
        den = q * k[equal] * n[equal]
        out[equal] = (2 * num + den) // (2 * den)
    else:
        equal[:] = False
    rest = np.flatnonzero((k > 0) & ~equal)
    if len(rest):
        out[rest] = _hundredths_unequal(sums[rest], counts[rest], k[rest], p, q)
    return out


def _hundredths_unequal(sums, counts, k, p, q) -> np.ndarray:
    """Different counts per item: float estimate, exact Fraction near a rounding tie."""
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr_total = np.where(counts > 0, sums / counts, 0.0).sum(axis=1)
    value = 22500 * p / (q * k) * nrr_total + 0.5
    out = np.floor(value).astype(np.int64)
    # Float error here is ~1e-10; only values this close to x.5 can round wrongly.
    for i in np.flatnonzero(np.abs(value - np.round(value)) < 1e-6):
        exact = sum(Fraction(int(s), int(c)) for s, c in zip(sums[i], counts[i], strict=True)
                    if c > 0)
        out[i] = int(Fraction(22500 * p, q * int(k[i])) * exact + Fraction(1, 2))
    return out


def quality(hundredths) -> np.ndarray:
    """Mutu (A–D) from IKM × 100; None where there is no IKM.

    Examples:
        >>> quality([8831, 8830, 7661, 7660, 6500, 6499, -1]).tolist()
        ['A', 'B', 'B', 'C', 'C', 'D', None]
    """
    h = np.asarray(hundredths, dtype=np.int64)
    out = np.where(h >= 0, "D", None).astype(object)
    for bound, band in reversed(_BANDS):
        out[h >= bound] = band
    return out


def unit_key(names) -> pd.Series:
    """Service/work unit names for matching: case-folded, spaces collapsed.

    Examples:
        >>> unit_key(["  Dinas  KESEHATAN ", None]).tolist()
        ['dinas kesehatan', None]
    """
    names = pd.Series(names)
    if isinstance(names.dtype, pd.CategoricalDtype):
        codes, uniques = names.cat.codes.to_numpy(), names.cat.categories
    else:
        codes, uniques = pd.factorize(names.astype(object))
    # Normalise each distinct name once: there are few units and many rows.
    keys = np.array([" ".join(str(name).casefold().split()) for name in uniques] + [None],
                    dtype=object)
    return pd.Series(keys[codes], dtype=object)


def answers_matrix(surveys: pd.DataFrame, rows: np.ndarray | None = None) -> np.ndarray:
    """The u1…u9 answers as a float matrix; ScoringError on anything but 1–4 or NaN.

    With `rows` (positions), only those rows' answers, in that order: the same matrix and error
    as for `surveys.iloc[rows]`, without copying the frame.
    """
    answers = surveys[list(ITEM_COLUMNS)].to_numpy(dtype="float64", na_value=np.nan)
    if rows is not None:
        answers = answers[rows]
    bad = ~(np.isnan(answers) | np.isin(answers, (1.0, 2.0, 3.0, 4.0)))
    if bad.any():
        row, col = np.argwhere(bad)[0]
        position = row if rows is None else rows[row]
        raise ScoringError(
            f"Survey response {surveys['response_id'].iloc[position]!r} answers "
            f"{ITEM_COLUMNS[col].upper()} with {answers[row, col]:g}; answers must be 1, 2, 3 or 4"
        )
    return answers


def group_totals(ids: np.ndarray, n: int, answers: np.ndarray):
    """Per group id: answer sums and counts ((n × 9) int64) and respondents."""
    given = ~np.isnan(answers)
    filled = np.where(given, answers, 0.0)
    sums = np.column_stack([np.bincount(ids, filled[:, j], minlength=n) for j in range(9)])
    counts = np.column_stack([np.bincount(ids, given[:, j], minlength=n) for j in range(9)])
    return (np.rint(sums).astype(np.int64).reshape(n, 9),
            np.rint(counts).astype(np.int64).reshape(n, 9),
            np.bincount(ids, minlength=n).astype(np.int64))


def score_columns(sums, counts, weight: Fraction) -> dict[str, np.ndarray]:
    """nrr_u1…nrr_u9, ikm, quality and unit_performance columns from sums and counts."""
    hundredths = ikm_hundredths(sums, counts, weight)
    with np.errstate(invalid="ignore", divide="ignore"):
        nrr = sums / np.where(counts > 0, counts, np.nan)
    band = quality(hundredths)
    return {
        **{col: nrr[:, j] for j, col in enumerate(NRR_COLUMNS)},
        "ikm": np.where(hundredths >= 0, hundredths / 100, np.nan),
        "quality": band,
        "unit_performance": pd.Series(band, dtype=object).map(UNIT_PERFORMANCE).to_numpy(),
    }


def group_ikm(surveys: pd.DataFrame, keys: list[str], settings: Settings) -> pd.DataFrame:
    """IKM of the surveys grouped by `keys` (e.g. officer_nip and period).

    Returns a new frame: the keys, respondents, ikm, quality. Rows whose keys
    are missing are left out.

    Examples:
        >>> s = pd.DataFrame({"response_id": ["a", "b"], "officer_nip": ["1", "1"],
        ...     **{f"u{i}": [4.0, 3.0] for i in range(1, 10)}})
        >>> group_ikm(s, ["officer_nip"], Settings())[["respondents", "ikm", "quality"]].to_dict("records")
        [{'respondents': 2, 'ikm': 87.5, 'quality': 'B'}]
    """
    rows = surveys.dropna(subset=keys)
    ids, key_frame = group_ids(rows, keys)
    sums, counts, respondents = group_totals(ids, len(key_frame), answers_matrix(rows))
    scores = score_columns(sums, counts, item_weight(settings))
    return key_frame.assign(respondents=respondents, ikm=scores["ikm"], quality=scores["quality"])
