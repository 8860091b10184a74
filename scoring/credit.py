"""Angka kredit (credit points) of functional positions, from the predikat (domain.md §7).

AK = months in the period ÷ 12 × predikat % × the jenjang's annual
coefficient (PermenPANRB 1/2023, PerBKN 3/2023), to three decimals.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

import numpy as np
import pandas as pd

from ._groups import sort_codes
from .discipline import to_decimal
from .errors import ScoringError
from .frames import require_columns
from .periods import MONTHS_PER_PERIOD, sort_periods
from .predikat import PREDIKATS
from .tpp import active_values

GRADES = ("pemula", "terampil", "mahir", "penyelia",
          "ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama")
"""Jenjang Jabatan Fungsional codes: the Indonesian name in lower snake_case
(Pemula … Penyelia for skill positions, Ahli Pertama … Ahli Utama for expert
ones); proper names, so the code is the name rather than a translation."""

DEFAULT_COEFFICIENTS = MappingProxyType({
    # Annual coefficient per jenjang; only Ahli Pertama and Ahli Muda were read in a
    # regulation (domain.md §7), the others are UNCONFIRMED defaults a caller may override.
    "pemula": Decimal("3.75"), "terampil": Decimal(5), "mahir": Decimal("12.5"),
    "penyelia": Decimal(25), "ahli_pertama": Decimal("12.5"), "ahli_muda": Decimal(25),
    "ahli_madya": Decimal("37.5"), "ahli_utama": Decimal(50),
})

DEFAULT_PREDIKAT_PCT = MappingProxyType({
    "very_good": Decimal(150), "good": Decimal(100), "needs_improvement": Decimal(75),
    "poor": Decimal(50), "very_poor": Decimal(25),
})
"""Persentase per predikat code (PerBKN 3/2023)."""

CREDIT_COLUMNS = ("period", "nip", "name", "unit", "grade", "coefficient", "predikat",
                  "percentage", "credit", "credit_cumulative", "status")
STATUSES = ("complete", "no_predikat")


def period_credit(months: int, percentage, coefficient) -> Decimal:
    """AK of one period: months ÷ 12 × percentage % × coefficient, 3 decimals half up.

    Examples:
        >>> period_credit(3, 100, Decimal("37.5")), period_credit(2, 100, 12.5)
        (Decimal('9.375'), Decimal('2.083'))
    """
    return round3(exact_credit(months, percentage, coefficient))


def exact_credit(months: int, percentage, coefficient) -> Fraction:
    """The unrounded AK of one period, as an exact fraction."""
    pct = Fraction(to_decimal(percentage, "percentage"))
    return Fraction(int(months), 12) * pct / 100 * Fraction(to_decimal(coefficient, "coefficient"))


def round3(value: Fraction) -> Decimal:
    """A non-negative fraction to three decimals, half up, in integers (no float, no context).

    Examples:
        >>> round3(Fraction(25, 12)), round3(Fraction(1, 2000))
        (Decimal('2.083'), Decimal('0.001'))
    """
    whole, rest = divmod(value.numerator * 1000, value.denominator)
    if 2 * rest >= value.denominator:
        whole += 1
    return Decimal(whole).scaleb(-3)


def angka_kredit(employees: pd.DataFrame, results: pd.DataFrame, *, year: int,
                 period_type: str, coefficients=None, predikat_pct=None) -> pd.DataFrame:
    """Angka kredit per employee with a functional grade and evaluation period.

    `credit_cumulative` is the year so far: the exact sum of every earlier
    period's credit in `results` and this one's, rounded once, so twelve
    monthly Baik periods of an Ahli Pertama give 12.500 like one annual
    period, even though each shows 1.042. Pass every period of the year so
    far in `results`; a period left out adds nothing. A period without a
    predikat earns nothing (credit NaN, status "no_predikat").

    Args:
        employees: nip, name, unit, functional_grade (a GRADES code, or
            empty for non-functional positions); optional active (False → left out).
        results: period, nip, predikat (code or missing), e.g. scoring's results.
        year, period_type: the evaluation year and period type of `results`.
        coefficients: grade code → annual coefficient, overriding
            DEFAULT_COEFFICIENTS for the grades it names.
        predikat_pct: predikat code → %, overriding DEFAULT_PREDIKAT_PCT likewise.

    Returns:
        A new frame with CREDIT_COLUMNS, sorted by period, unit, nip: grade
        (code), coefficient, percentage, credit and credit_cumulative (floats,
        the last two at 3 decimals; percentage and credit NaN without a
        predikat), status (STATUSES).

    Raises:
        ScoringError: an unknown grade or predikat code, a negative override.
    """
    require_columns(employees, "employees", ("nip", "name", "unit", "functional_grade"))
    require_columns(results, "results", ("period", "nip", "predikat"))
    coefficient_of = _table({**DEFAULT_COEFFICIENTS, **(coefficients or {})}, GRADES, "grade")
    pct_of = _table({**DEFAULT_PREDIKAT_PCT, **(predikat_pct or {})}, PREDIKATS, "predikat")
    staff = employees
    if "active" in staff.columns:
        staff = staff.loc[active_values(staff["active"])]
    staff = staff.loc[staff["functional_grade"].notna()]
    unknown = sorted(set(staff["functional_grade"]) - set(GRADES))
    if unknown:
        raise ScoringError(f"Unknown functional grade {unknown[0]!r}; use one of {', '.join(GRADES)}")
    periods = sort_periods(results["period"].dropna().unique(), year, period_type)
    if staff.empty or not periods:
        out = pd.DataFrame([], columns=list(CREDIT_COLUMNS)).astype(_FLOATS)
        return out.sort_values(["period", "unit", "nip"], kind="stable").reset_index(drop=True)
    months = MONTHS_PER_PERIOD[period_type]
    nips = [str(nip) for nip in staff["nip"].tolist()]
    unique_nips = pd.Index(nips, dtype=object).unique()
    cells = _found_codes(results, periods, unique_nips)
    n_staff, n_periods = len(nips), len(periods)
    # Output row r is staff row r // n_periods in period r % n_periods, as the loop of before.
    of_staff = np.repeat(np.arange(n_staff), n_periods)
    in_period = np.tile(np.arange(n_periods), n_staff)
    cell = unique_nips.get_indexer(nips)[of_staff] * n_periods + in_period
    codes = cells.ravel()[cell]
    missing = pd.isna(codes)
    known, pct_code = _code_positions(codes, missing, pct_of)
    if not known.all():
        code = codes[np.argmin(known)]  # the first unknown met, in the order of before
        raise ScoringError(f"Unknown predikat code {code!r}; use one of {', '.join(PREDIKATS)}")
    grades = staff["functional_grade"].tolist()
    grade_code = np.array([GRADES.index(g) for g in grades], dtype=np.intp)[of_staff]
    pct_codes = list(pct_of)
    numerators, denominator = _scaled_credits(months, [pct_of[c] for c in pct_codes],
                                              [coefficient_of[g] for g in GRADES])
    credit = numerators[grade_code, pct_code]
    credit[missing] = 0
    total = credit.reshape(n_staff, n_periods).cumsum(axis=1).ravel()
    coefficient = np.array([float(coefficient_of[g]) for g in GRADES])[grade_code]
    percentage = np.array([float(pct_of[c]) for c in pct_codes])[pct_code]
    out = pd.DataFrame({
        "period": _inferred(periods, in_period),
        "nip": _inferred(nips, of_staff),
        "name": _inferred(staff["name"].tolist(), of_staff),
        "unit": _inferred(staff["unit"].tolist(), of_staff),
        "grade": _inferred(grades, of_staff),
        "coefficient": coefficient,
        "predikat": _inferred(np.where(missing, None, codes).tolist(), None),
        "percentage": np.where(missing, np.nan, percentage),
        "credit": np.where(missing, np.nan, _round3_floats(credit, denominator)),
        "credit_cumulative": _round3_floats(total, denominator),
        "status": _inferred(list(STATUSES), missing.astype(np.intp)),
    })
    # Sorted by period, unit and NIP with one take: the staff sorted once (stably, as sort_values
    # sorts), then each period's rows in that order (the periods' calendar order is their text order).
    units = np.array(staff["unit"].tolist(), dtype=object)
    order = np.lexsort((sort_codes(np.array(nips, dtype=object)), sort_codes(units)))
    return out.take((order * n_periods + np.arange(n_periods)[:, None]).ravel()).reset_index(drop=True)


_FLOATS = {"coefficient": "float64", "percentage": "float64", "credit": "float64",
           "credit_cumulative": "float64"}


def _found_codes(results: pd.DataFrame, periods: list[str], nips: pd.Index) -> np.ndarray:
    """The predikat given to each (nip, period) cell, as objects (None when not given).

    Keys compare as text (str of the nip and period), and for a repeated key the
    later row wins, as a dict built row by row would have it.
    """
    cells = np.full(len(nips) * len(periods), None, dtype=object)
    period = pd.Index(periods, dtype=object).get_indexer(
        [str(p) for p in results["period"].tolist()])
    nip = nips.get_indexer([str(n) for n in results["nip"].tolist()])
    key = np.where((period >= 0) & (nip >= 0), nip * len(periods) + period, -1)
    rows = np.flatnonzero((key >= 0) & ~pd.Series(key).duplicated(keep="last").to_numpy())
    values = results["predikat"].tolist()  # the cells' own objects, as iterating rows gives them
    cells[key[rows]] = np.fromiter((values[i] for i in rows.tolist()), dtype=object,
                                   count=len(rows))
    return cells.reshape(len(nips), len(periods))


def _code_positions(codes: np.ndarray, missing: np.ndarray, pct_of: dict):
    """(known mask, position in pct_of) per code; a missing code counts as known.

    Each distinct code is looked up once (hash equality, as the dict look-up of before).
    """
    positions = np.zeros(len(codes), dtype=np.intp)
    known = missing.copy()
    given = np.flatnonzero(~missing)
    if len(given):
        ids, uniques = pd.factorize(codes[given])
        order = {code: i for i, code in enumerate(pct_of)}
        lookup = np.array([order.get(code, -1) for code in uniques], dtype=np.intp)
        positions[given] = np.maximum(lookup[ids], 0)
        known[given] = lookup[ids] >= 0
    return known, positions


def _inferred(values: list, take) -> pd.api.extensions.ExtensionArray:
    """`values` typed as pandas types a column built from rows (str, float, object …), then
    repeated by position: the type is inferred from the few distinct rows, not a million."""
    array = pd.Series(values, dtype=None).array
    return array if take is None else array.take(take)


def _scaled_credits(months: int, percentages: list, coefficients: list) -> tuple[np.ndarray, int]:
    """Every (grade, predikat) credit as an integer count of 1/denominator units, exactly.

    AK is a product of decimals over 1200, so one common denominator holds every
    credit and every sum of them: the year-so-far totals become integer cumsums.
    int64 when the largest year total (12 periods) and its rounding fit, else
    Python ints in an object array (only for absurd overrides).
    """
    # exact_credit's product, each percentage and coefficient made a fraction once (not 40 times)
    pcts = [Fraction(to_decimal(pct, "percentage")) for pct in percentages]
    coefs = [Fraction(to_decimal(coef, "coefficient")) for coef in coefficients]
    base = Fraction(int(months), 12)
    table = [[base * pct / 100 * coef for pct in pcts] for coef in coefs]
    denominator = math.lcm(*(value.denominator for row in table for value in row))
    scaled = [[value.numerator * (denominator // value.denominator) for value in row]
              for row in table]
    largest = max((value for row in scaled for value in row), default=0)
    fits = 2 * 1000 * 12 * largest + denominator < 2**62 and 12 * largest * 1000 // denominator < 2**53
    return np.array(scaled, dtype=np.int64 if fits else object), denominator


def _round3_floats(scaled: np.ndarray, denominator: int) -> np.ndarray:
    """`round3` of scaled / denominator as floats, vectorised: half up, in integers.

    whole / 1000 is the correctly rounded float of the decimal whole/1000, as
    float(Decimal) is: integer and float division both round correctly (int64
    wholes stay below 2**53, so they convert exactly).
    """
    thousandths = scaled * 1000
    whole = thousandths // denominator  # // and -, not divmod: object arrays take these too
    whole = whole + (2 * (thousandths - whole * denominator) >= denominator)
    return (whole / 1000).astype(np.float64)


def _table(values: dict, codes, what: str) -> dict[str, Decimal]:
    """The merged default/override table as Decimals; unknown codes and negatives refused."""
    unknown = sorted(set(values) - set(codes))
    if unknown:
        raise ScoringError(f"Unknown {what} code {unknown[0]!r}; use one of {', '.join(codes)}")
    table = {code: to_decimal(value, f"{what} {code}") for code, value in values.items()}
    if any(value < 0 for value in table.values()):
        raise ScoringError(f"A {what} value is negative; use 0 or more")
    return table
