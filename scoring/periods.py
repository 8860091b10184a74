"""Evaluation periods: labels, their months, and month → label mapping.

Labels by period type (design.md §4.0): monthly ``2026-03``, quarterly
``2026-T1``, semester ``2026-S1``, annual ``2026``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .errors import ScoringError

MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "semester": 6, "annual": 12}
_EXAMPLES = {"monthly": "{y}-03", "quarterly": "{y}-T1", "semester": "{y}-S1", "annual": "{y}"}
_PATTERNS = {
    "monthly": re.compile(r"(\d{4})-(\d{2})"),
    "quarterly": re.compile(r"(\d{4})-T(\d)"),
    "semester": re.compile(r"(\d{4})-S(\d)"),
    "annual": re.compile(r"(\d{4})"),
}


def _size(period_type: str) -> int:
    try:
        return MONTHS_PER_PERIOD[period_type]
    except KeyError:
        raise ScoringError(
            f"Unknown period type {period_type!r}; use one of {', '.join(MONTHS_PER_PERIOD)}"
        ) from None


def _label(year: int, index: int, period_type: str) -> str:
    if period_type == "monthly":
        return f"{year}-{index + 1:02d}"
    if period_type == "quarterly":
        return f"{year}-T{index + 1}"
    if period_type == "semester":
        return f"{year}-S{index + 1}"
    return f"{year}"


def all_periods(year: int, period_type: str) -> list[str]:
    """Every period label of `year`, in calendar order.

    Examples:
        >>> all_periods(2026, "quarterly")
        ['2026-T1', '2026-T2', '2026-T3', '2026-T4']
    """
    count = 12 // _size(period_type)
    return [_label(year, i, period_type) for i in range(count)]


def period_index(label: str, year: int, period_type: str) -> int:
    """The 0-based position of `label` in its year; ScoringError when malformed.

    Examples:
        >>> period_index("2026-S2", 2026, "semester")
        1
    """
    size = _size(period_type)
    example = _EXAMPLES[period_type].format(y=year)
    text = str(label).strip() if label is not None else ""
    match = _PATTERNS[period_type].fullmatch(text)
    if match is None:
        raise ScoringError(
            f"Period {label!r} is not a {period_type} period label; write it like {example!r}"
        )
    if int(match.group(1)) != int(year):
        raise ScoringError(
            f"Period {label!r} is outside the evaluation year {year}; write it like {example!r}"
        )
    if period_type == "annual":
        return 0
    index = int(match.group(2)) - 1
    if not 0 <= index < 12 // size:
        raise ScoringError(
            f"Period {label!r} does not exist: a {period_type} period number runs "
            f"from 1 to {12 // size}; write it like {example!r}"
        )
    return index


def validate_period(label: str, year: int, period_type: str) -> str:
    """Return the canonical label (surrounding spaces dropped) or raise ScoringError."""
    return _label(year, period_index(label, year, period_type), period_type)


def period_months(label: str, year: int, period_type: str) -> tuple[int, int]:
    """The (first_month, last_month) of a period label, both 1-based and inclusive.

    Examples:
        >>> period_months("2026-T2", 2026, "quarterly")
        (4, 6)
    """
    size = _size(period_type)
    index = period_index(label, year, period_type)
    return index * size + 1, (index + 1) * size


def month_to_period(months, year: int, period_type: str) -> np.ndarray:
    """The period label of each month (1–12), vectorised; an object array of str.

    Examples:
        >>> month_to_period([1, 4, 12], 2026, "quarterly").tolist()
        ['2026-T1', '2026-T2', '2026-T4']
    """
    index = month_to_period_index(months, period_type)
    labels = np.array(all_periods(year, period_type), dtype=object)
    return labels[index]


def month_to_period_index(months, period_type: str) -> np.ndarray:
    """The 0-based period position of each month (1–12); ScoringError outside 1–12."""
    original = values = np.asarray(months)
    if values.dtype.kind not in "iu":
        values = np.asarray(pd.to_numeric(pd.Series(values), errors="coerce"), dtype="float64")
    # Range and wholeness checked with min/max/any: 6 million rows pass through here.
    bad = (values < 1) | (values > 12)
    if values.dtype.kind == "f":
        bad |= np.isnan(values) | (values != np.floor(values))
    if bad.any():
        shown = original[np.flatnonzero(bad)[0]]
        shown = shown.item() if hasattr(shown, "item") else shown
        raise ScoringError(f"Month {shown!r} is not a month number 1–12 of the evaluation year")
    return (values.astype(np.int64) - 1) // _size(period_type)


def previous_period(label: str, year: int, period_type: str) -> str | None:
    """The period just before `label` in the same year, or None for the first one."""
    index = period_index(label, year, period_type)
    return _label(year, index - 1, period_type) if index > 0 else None


def sort_periods(labels, year: int, period_type: str) -> list[str]:
    """Validated, de-duplicated labels in calendar order."""
    indexes = {period_index(label, year, period_type) for label in labels}
    return [_label(year, i, period_type) for i in sorted(indexes)]
