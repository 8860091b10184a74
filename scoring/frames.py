"""The input frames scoring works on, as handed over by the sync layer."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import pandas as pd

from .errors import ScoringError

VALUE_COLUMNS = (
    "service",
    "accountable",
    "competent",
    "harmonious",
    "loyal",
    "adaptive",
    "collaborative",
)
"""The 7 BerAKHLAK values, in the order of the Perilaku tab."""

ITEM_COLUMNS = tuple(f"u{i}" for i in range(1, 10))
"""The 9 SKM items (unsur) U1…U9."""

# Column → dtype of an empty frame; "str" columns accept object or str dtype.
SCHEMAS: dict[str, dict[str, str]] = {
    "employees": {
        "nip": "str",
        "name": "str",
        "asn_type": "str",
        "rank": "str",
        "position": "str",
        "unit": "str",
        "supervisor_nip": "str",
        "active": "bool",
    },
    "indicators": {
        "iki_code": "str",
        "nip": "str",
        "rhk_type": "str",
        "aspect": "str",
        "target": "float64",
        "target_max": "float64",
        "direction": "str",
        "aggregation": "str",
        "weight": "float64",
    },
    "realisations": {
        "iki_code": "str",
        "month": "int64",
        "value": "float64",
        "period_target": "float64",
    },
    "behaviours": {
        "month": "int64",
        "nip": "str",
        "rater_nip": "str",
        "role": "str",
        **{name: "int64" for name in VALUE_COLUMNS},
    },
    "supervisor_ratings": {
        "period": "str",
        "nip": "str",
        "work_rating": "str",
        "behaviour_rating": "str",
    },
    "surveys": {
        "response_id": "str",
        "month": "int64",
        "service_unit": "str",
        "service_type": "str",
        "officer_nip": "str",
        **{name: "float64" for name in ITEM_COLUMNS},
    },
    "service_units": {
        "service_unit": "str",
        "period": "str",
        "population": "int64",
    },
    # Rows validation rejected, about an employee: the months [start, end] a result must not rest on
    # them, and the cell to name (e.g. "SKP!K12").
    "rejected": {
        "nip": "str",
        "start": "int64",
        "end": "int64",
        "cell": "str",
    },
}


def empty_frame(name: str) -> pd.DataFrame:
    """An empty input frame with the columns and dtypes of `name`.

    Examples:
        >>> list(empty_frame("service_units").columns)
        ['service_unit', 'period', 'population']
    """
    schema = SCHEMAS[name]
    return pd.DataFrame({col: pd.Series([], dtype=dtype) for col, dtype in schema.items()})


@dataclass(frozen=True)
class Frames:
    """The validated input frames (and the rejected rows); any may be empty but keeps its columns.

    Frames left out are empty, so tests can write `Frames(indicators=df)`.
    Extra columns (e.g. the indicators' text columns) are ignored.
    """

    employees: pd.DataFrame = field(default_factory=lambda: empty_frame("employees"))
    indicators: pd.DataFrame = field(default_factory=lambda: empty_frame("indicators"))
    realisations: pd.DataFrame = field(default_factory=lambda: empty_frame("realisations"))
    behaviours: pd.DataFrame = field(default_factory=lambda: empty_frame("behaviours"))
    supervisor_ratings: pd.DataFrame = field(
        default_factory=lambda: empty_frame("supervisor_ratings")
    )
    surveys: pd.DataFrame = field(default_factory=lambda: empty_frame("surveys"))
    service_units: pd.DataFrame = field(default_factory=lambda: empty_frame("service_units"))
    rejected: pd.DataFrame = field(default_factory=lambda: empty_frame("rejected"))

    @classmethod
    def empty(cls) -> Frames:
        """All frames empty."""
        return cls()

    def check(self) -> None:
        """Raise ScoringError naming the first frame that lacks a required column."""
        for f in fields(self):
            frame = getattr(self, f.name)
            if not isinstance(frame, pd.DataFrame):
                raise ScoringError(f"Frames.{f.name} must be a pandas DataFrame")
            require_columns(frame, f.name, SCHEMAS[f.name])


def require_columns(frame: pd.DataFrame, name: str, columns) -> None:
    """Raise ScoringError when `frame` lacks any of `columns`."""
    missing = [col for col in columns if col not in frame.columns]
    if missing:
        raise ScoringError(
            f"The {name} frame lacks column(s) {', '.join(missing)}; "
            f"it must have: {', '.join(columns)}"
        )
