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
    officers = outcome.officers.rename(columns={"officer_nip": "nip"})
    keyed = officers.set_index(["period", "nip"])
    index = pd.MultiIndex.from_arrays([frame["period"].astype(str), frame["nip"].astype(str)])
    count = keyed["complaints"].reindex(index).fillna(0).astype("int64").to_numpy()
    overdue = keyed["overdue"].reindex(index).fillna(0).astype("int64").to_numpy()
    repeated = keyed["repeated"].reindex(index).fillna(False).astype(bool).to_numpy()
    follow = [_follow_up(tuple(codes), n) if again else tuple(codes)
              for codes, n, again in zip(frame["follow_up"], count, repeated, strict=True)]
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
    scope = complaints.loc[complaints["scope"] == ("agency" if agency else "unit")]
    keys = pd.MultiIndex.from_arrays([scope["period"].astype(str).to_numpy(),
                                      _keys(scope["service_unit"], agency)])
    figures = scope.set_index(keys)[list(UNIT_FIGURES)]
    figures = figures.loc[~figures.index.duplicated()]
    wanted = pd.MultiIndex.from_arrays([summary["period"].astype(str).to_numpy(),
                                        _keys(summary["unit"], agency)])
    found = figures.reindex(wanted)
    out = {}
    for name, column in UNIT_FIGURES.items():
        values = found[name].to_numpy()
        out[column] = (pd.array(values, dtype="Float64").round(1) if name == "median_days_to_done"
                       else pd.array(values, dtype="Float64").astype("Int64"))
    return summary.assign(**out)


def _keys(names: pd.Series, agency: bool) -> np.ndarray:
    if agency:
        return np.array([""] * len(names), dtype=object)
    return unit_key(names.reset_index(drop=True)).fillna("").to_numpy(dtype=object)


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
