"""Complaints into the evaluation: counts per officer in `Hasil`, coaching for repeated ones, Validasi rows.

Negative citizens' feedback is material for the officer's evaluation (the
Lhokseumawe supervision programme): an officer with `Batas Pengaduan
Berulang per Petugas` complaints in a period gets `Pembinaan Pelayanan` with
the reason. The service proposes; the supervisor decides.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

import scoring
from sync.check.validate import WARNING, Issue
from sync.complaints.evaluation import ComplaintOutcome

FOLLOW_UP = "complaints"  # follow_up code; its label is in sheet_templates.results.FOLLOW_UP_LABELS


def with_complaints(results: scoring.Results, outcome: ComplaintOutcome) -> scoring.Results:
    """`results` with complaints, complaints_overdue per employee and period, and the coaching code."""
    frame = results.results
    officers = outcome.officers.rename(columns={"officer_nip": "nip"})
    keyed = officers.set_index(["period", "nip"])
    index = pd.MultiIndex.from_arrays([frame["period"].astype(str), frame["nip"].astype(str)])
    count = keyed["complaints"].reindex(index).fillna(0).astype("int64").to_numpy()
    overdue = keyed["overdue"].reindex(index).fillna(0).astype("int64").to_numpy()
    repeated = keyed["repeated"].reindex(index).fillna(False).astype(bool).to_numpy()
    follow = [tuple(codes) + ((f"{FOLLOW_UP}:{n} pengaduan",) if again else ())
              for codes, n, again in zip(frame["follow_up"], count, repeated, strict=True)]
    out = frame.assign(complaints=count, complaints_overdue=overdue, follow_up=follow)
    return dataclasses.replace(results, results=out)


def complaint_issues(problems) -> list[Issue]:
    """The supervisor's cells in `Pengaduan` that need a look, as Peringatan (nothing is dropped)."""
    return [Issue(WARNING, p.tab, p.row, p.column, p.cell, p.value, p.problem, p.fix) for p in problems]
