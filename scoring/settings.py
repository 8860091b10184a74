"""Scoring settings (the `Pengaturan` tab, already parsed into internal codes)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .errors import ScoringError

PERIOD_TYPES = ("monthly", "quarterly", "semester", "annual")
ORG_PREDIKATS = ("outstanding", "good", "needs_improvement", "poor", "very_poor")
WORK_RATING_METHODS = ("majority", "mean")

Number = int | float | Decimal


@dataclass(frozen=True)
class Settings:
    """Every knob of the scoring rules, with the defaults of design.md §3.

    Numeric weights and thresholds may be int, float or Decimal; use
    `as_float` / `band_threshold` to read them.
    """

    org_name: str = ""
    year: int = 2026
    period_type: str = "monthly"
    org_predikat: str | None = None
    weight_work: Number = 60
    weight_behaviour: Number = 30
    weight_satisfaction: Number = 10
    work_above: Number = 110
    work_meets: Number = 90
    behaviour_above: Number = 4.5
    behaviour_meets: Number = 3.5
    capaian_cap: Number = 120
    work_rating_method: str = "majority"
    rater_weight_supervisor: Number = 50
    rater_weight_peer: Number = 30
    rater_weight_subordinate: Number = 20
    min_responses_per_officer: int = 5
    ikm_item_weight: Fraction | Number = Fraction(1, 9)

    def __post_init__(self) -> None:
        _check_choice("period_type", self.period_type, PERIOD_TYPES)
        _check_choice("work_rating_method", self.work_rating_method, WORK_RATING_METHODS)
        if self.org_predikat is not None:
            _check_choice("org_predikat", self.org_predikat, ORG_PREDIKATS)
        if int(self.year) != self.year or not 1900 <= int(self.year) <= 9999:
            raise ScoringError(f"year must be a four-digit year, got {self.year!r}")
        if item_weight(self) <= 0:
            raise ScoringError(f"ikm_item_weight must be positive, got {self.ikm_item_weight!r}")


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ScoringError(f"{name} must be one of {', '.join(choices)}; got {value!r}")


def as_float(value: Number) -> float:
    """A weight or cap as a float (Decimal and int accepted)."""
    return float(value)


def band_threshold(value: Number) -> float:
    """A band threshold as the float nearest its 9-decimal rounding.

    Values compared against it are rounded the same way (`round9`), so a
    capaian of 1.1 / 1 × 100 = 110.00000000000001 meets a threshold of 110.
    """
    return float(round(Decimal(str(value)) if isinstance(value, float) else Decimal(value), 9))


def item_weight(settings: Settings) -> Fraction:
    """The IKM item weight as an exact fraction (0.111 read as 111/1000, not binary)."""
    weight = settings.ikm_item_weight
    if isinstance(weight, float):
        # str() gives the shortest decimal that round-trips, i.e. what the clerk typed.
        return Fraction(str(weight))
    return Fraction(weight)
