"""Angka kredit (credit points) of functional positions, from the predikat (domain.md §7).

AK = months in the period ÷ 12 × predikat % × the jenjang's annual
coefficient (PermenPANRB 1/2023, PerBKN 3/2023), to three decimals.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

import numpy as np
import pandas as pd

from .discipline import to_decimal
from .errors import ScoringError
from .frames import require_columns
from .periods import MONTHS_PER_PERIOD, sort_periods
from .predikat import PREDIKATS

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
        staff = staff.loc[staff["active"].astype(object).where(staff["active"].notna(), True)
                          .astype(bool).to_numpy()]
    staff = staff.loc[staff["functional_grade"].notna()]
    unknown = sorted(set(staff["functional_grade"]) - set(GRADES))
    if unknown:
        raise ScoringError(f"Unknown functional grade {unknown[0]!r}; use one of {', '.join(GRADES)}")
    periods = sort_periods(results["period"].dropna().unique(), year, period_type)
    months = MONTHS_PER_PERIOD[period_type]
    found = {(str(p), str(n)): code for p, n, code in
             results[["period", "nip", "predikat"]].itertuples(index=False)}
    rows = []
    for nip, name, unit, grade in staff[["nip", "name", "unit", "functional_grade"]].itertuples(
            index=False):
        total = Fraction(0)
        for period in periods:
            code = found.get((period, str(nip)))
            code = None if code is None or pd.isna(code) else code
            if code is not None and code not in pct_of:
                raise ScoringError(f"Unknown predikat code {code!r}; use one of "
                                   f"{', '.join(PREDIKATS)}")
            credit = None if code is None else exact_credit(months, pct_of[code],
                                                            coefficient_of[grade])
            total += credit or 0
            rows.append((period, str(nip), name, unit, grade, float(coefficient_of[grade]), code,
                         np.nan if code is None else float(pct_of[code]),
                         np.nan if credit is None else float(round3(credit)),
                         float(round3(total)), STATUSES[code is None]))
    out = pd.DataFrame(rows, columns=list(CREDIT_COLUMNS)).astype(
        {"coefficient": "float64", "percentage": "float64", "credit": "float64",
         "credit_cumulative": "float64"})
    out = out.sort_values(["period", "unit", "nip"], kind="stable", na_position="last")
    return out.reset_index(drop=True)


def _table(values: dict, codes, what: str) -> dict[str, Decimal]:
    """The merged default/override table as Decimals; unknown codes and negatives refused."""
    unknown = sorted(set(values) - set(codes))
    if unknown:
        raise ScoringError(f"Unknown {what} code {unknown[0]!r}; use one of {', '.join(codes)}")
    table = {code: to_decimal(value, f"{what} {code}") for code, value in values.items()}
    if any(value < 0 for value in table.values()):
        raise ScoringError(f"A {what} value is negative; use 0 or more")
    return table
