"""Complaints into the evaluation: counts per officer in `Hasil`, coaching for repeated ones, Validasi rows.

Negative citizens' feedback is material for the officer's evaluation (the
Lhokseumawe supervision programme): an officer with `Batas Pengaduan
Berulang per Petugas` complaints in a period gets `Pembinaan Pelayanan` with
the reason. The service proposes; the supervisor decides.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

import scoring
from scoring.ikm import unit_key
from sheet_templates.results import COMPLAINT_COUNT, COMPLAINT_COUNT_LOW_IKM
from sync.check.validate import WARNING, Issue
from sync.complaints.evaluation import ComplaintOutcome

FOLLOW_UP = "complaints"  # follow_up code "complaints:3 pengaduan"; label in sheet_templates.results
SERVICE_COACHING = "service_coaching"  # scoring.follow_up's code for an officer IKM in mutu C or D


def with_complaints(results: scoring.Results, outcome: ComplaintOutcome) -> scoring.Results:
    """`results` with complaints, complaints_overdue per employee and period, and the coaching code."""
    frame = results.results
    # (period, nip) → (complaints, overdue, repeated), looked up per row: reindexing the officers on a
    # MultiIndex cost ~20 pandas calls.
    columns = (outcome.officers[c] for c in ("period", "officer_nip", "complaints", "overdue", "repeated"))
    figures = {(period, nip): tuple(values) for period, nip, *values in zip(*columns, strict=True)}
    count = np.zeros(len(frame), dtype=np.int64)
    overdue = np.zeros(len(frame), dtype=np.int64)
    follow = [tuple(codes) for codes in frame["follow_up"]]
    for i, key in enumerate(zip(_texts(frame["period"]), _texts(frame["nip"]), strict=True)):
        if key in figures:  # a few officers of the 2,400 rows
            count[i], overdue[i], repeated = figures[key]
            if repeated:
                follow[i] = _follow_up(follow[i], count[i])
    out = frame.assign(complaints=count, complaints_overdue=overdue, follow_up=follow)
    return dataclasses.replace(results, results=out, units=unit_figures(results.units, outcome.units),
                               agency=unit_figures(results.agency, outcome.units, agency=True))


UNIT_FIGURES = {"complaints": "complaints", "open": "complaints_open", "overdue": "complaints_overdue",
                "median_days_to_done": "complaints_median_days"}
"""scoring.complaints.unit_complaint_summary column → its column in Rekap Unit (results.units/.agency)."""


def unit_figures(summary: pd.DataFrame, complaints: pd.DataFrame, agency: bool = False) -> pd.DataFrame:
    """Rekap Unit rows with their complaints: complaints, open, overdue, median days to done.

    A work unit takes the figures of the service unit with the same name
    (case and spaces ignored, as its IKM does: `scoring.ikm.unit_key`); a
    work unit that is no service unit has none (missing, not 0). The agency
    rows (`agency`) take the agency-wide figures, every complaint included.
    """
    scope = complaints["scope"].to_numpy() == ("agency" if agency else "unit")
    # (period, unit key) → the first row with them (dicts, not set_index + reindex: ~30 pandas calls).
    first: dict[tuple, int] = {}
    units = complaints["service_unit"].to_numpy()[scope]
    keys = zip(_texts(complaints["period"])[scope], _keys(units, agency), strict=True)
    for position, key in zip(np.flatnonzero(scope), keys, strict=True):
        first.setdefault(key, position)
    wanted = zip(_texts(summary["period"]), _keys(summary["unit"].to_numpy(), agency), strict=True)
    at = np.array([first.get(key, -1) for key in wanted], dtype=np.intp)
    out = {}
    for name, column in UNIT_FIGURES.items():
        # Missing (NaN) where a unit has no figures, as reindex gave it.
        values = pd.api.extensions.take(complaints[name].to_numpy(), at, allow_fill=True)
        out[column] = (pd.array(values, dtype="Float64").round(1) if name == "median_days_to_done"
                       else pd.array(values, dtype="Float64").astype("Int64"))
    return summary.assign(**out)


def _texts(values: pd.Series) -> np.ndarray:
    """`values` as text (missing stays missing), an array to key dicts with."""
    return values.astype(str).to_numpy()


def _keys(names: np.ndarray, agency: bool) -> list:
    if agency:
        return [""] * len(names)
    return ["" if key is None else key for key in unit_key(names)]


def _follow_up(codes: tuple, count: int) -> tuple:
    """`codes` with Pembinaan Pelayanan for `count` complaints; an officer whose own IKM already
    asks for it ("service_coaching") gets one follow-up naming both reasons."""
    if SERVICE_COACHING in codes:
        detail = COMPLAINT_COUNT_LOW_IKM.format(count=count)
        return tuple(c for c in codes if c != SERVICE_COACHING) + (f"{FOLLOW_UP}:{detail}",)
    return codes + (f"{FOLLOW_UP}:{COMPLAINT_COUNT.format(count=count)}",)


def complaint_issues(problems) -> list[Issue]:
    """The supervisor's cells in `Pengaduan` that need a look, as Peringatan (nothing is dropped)."""
    return [Issue(WARNING, p.tab, p.row, p.column, p.cell, p.value, p.problem, p.fix) for p in problems]
