"""Builders for small, hand-made scoring inputs."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from scoring import Frames
from scoring.frames import ITEM_COLUMNS, SCHEMAS, VALUE_COLUMNS

_DEFAULTS = {"str": None, "float64": np.nan, "int64": 0, "bool": True}


def frame(name: str, rows=()) -> pd.DataFrame:
    """An input frame of `name` from dicts; unspecified columns get neutral defaults."""
    rows = list(rows)
    data = {}
    for column, dtype in SCHEMAS[name].items():
        values = [row.get(column, _DEFAULTS[dtype]) for row in rows]
        data[column] = pd.Series(values, dtype=object if dtype == "str" else dtype)
    return pd.DataFrame(data)


def employee(nip, unit="Unit A", **extra):
    return {"nip": nip, "name": f"Pegawai {nip}", "asn_type": "pns", "rank": "III/a",
            "position": "Analis", "unit": unit, "active": True, **extra}


def indicator(code, nip, target=100.0, **extra):
    return {"iki_code": code, "nip": nip, "rhk_type": "main", "aspect": "quantity",
            "target": target, "direction": "up", "aggregation": "sum", **extra}


def realisation(code, month, value, period_target=np.nan):
    return {"iki_code": code, "month": month, "value": value, "period_target": period_target}


def behaviour(nip, rater, role, month=1, score=4, **values):
    """One 360° row; every value is `score` unless given by name."""
    return {"month": month, "nip": nip, "rater_nip": rater, "role": role,
            **{name: values.get(name, score) for name in VALUE_COLUMNS}}


def survey(month, unit, answers, officer=None, rid=None):
    """One SKM response; `answers` is one number for all 9 items or a list of 9."""
    if np.isscalar(answers):
        answers = [answers] * 9
    return {"response_id": rid or f"r-{unit}-{month}-{id(answers)}", "month": month,
            "service_unit": unit, "service_type": "Layanan", "officer_nip": officer,
            **{item: float(a) for item, a in zip(ITEM_COLUMNS, answers, strict=True)}}


def surveys_with_total(month, unit, respondents, total, officer=None):
    """`respondents` responses answering all 9 items, whose answers sum to `total`.

    Starts every answer at 1 and raises answers up to 4 in order until the sum
    is reached, so each item has the same count (`respondents`).
    """
    answers = np.ones(respondents * 9)
    extra = total - respondents * 9
    assert 0 <= extra <= respondents * 27, "total out of reach"
    full, rest = divmod(extra, 3)
    answers[:full] = 4
    if rest:
        answers[full] = 1 + rest
    answers = answers.reshape(respondents, 9)
    return [survey(month, unit, list(row), officer, rid=f"{unit}-{month}-{i}")
            for i, row in enumerate(answers)]


def frames(**rows) -> Frames:
    """Frames from lists of row dicts, e.g. frames(employees=[employee("1")])."""
    return Frames(**{name: frame(name, rows.get(name, ())) for name in SCHEMAS})


@pytest.fixture(scope="session")
def mk():
    """The builders above, as one namespace."""
    return SimpleNamespace(frame=frame, employee=employee, indicator=indicator,
                           realisation=realisation, behaviour=behaviour, survey=survey,
                           surveys_with_total=surveys_with_total, frames=frames)
