"""Complaints in one evaluation: the `Pengaduan` tab, its problems, and what they mean for officers and units.

Called by the pipeline between validation and rendering; pure (the tab as
read comes in with the workbook).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd

from scoring.complaints import (
    ComplaintSettings,
    answer_floats,
    complaint_outcomes,
    detect_complaints,
    officers_from_outcomes,
    units_from_outcomes,
)
from scoring.frames import ITEM_COLUMNS
from sync.complaints.merge import supervisor_status
from sync.complaints.tab import complaint_tab, existing_rows
from sync.outtabs import OutputTab
from sync.workbook import RawWorkbook

SURVEY_COLUMNS = ("response_id", "timestamp", "service_unit", "service_type", "officer_nip", "suggestion",
                  *ITEM_COLUMNS)


@dataclasses.dataclass(frozen=True)
class ComplaintOutcome:
    """What the complaints loop gives one run."""

    tab: OutputTab
    problems: list  # merge.Problem: the supervisor's cells that need a look (Peringatan)
    officers: pd.DataFrame  # period, officer_nip, complaints, open, overdue, repeated
    units: pd.DataFrame  # period, scope, service_unit, complaints, open, overdue, …, median_days_to_done


def complaint_settings(settings: dict) -> ComplaintSettings:
    """The three Pengaturan keys of the complaints loop, defaults where blank."""
    values = {"threshold": settings.get("complaint_threshold"),
              "deadline_days": settings.get("complaint_deadline_days"),
              "repeat_threshold": settings.get("complaint_repeat_threshold")}
    return ComplaintSettings(**{k: v for k, v in values.items() if v is not None})


def evaluate_complaints(frames: dict[str, pd.DataFrame], settings: dict, raw: RawWorkbook,
                        today: dt.date) -> ComplaintOutcome:
    """The `Pengaduan` tab (complaints merged with the supervisor's typing) and its consequences."""
    rules = complaint_settings(settings)
    surveys = _surveys(frames["surveys"])
    existing = existing_rows(raw)
    tab, merged, problems = complaint_tab(surveys, frames["employees"], existing, rules, today)
    marked = {str(v) for v in merged["ID Respons"].dropna()}
    complaints = detect_complaints(surveys, rules, marked_ids=marked)
    handled = supervisor_status(merged, today)
    year, kind = settings["year"], settings["period_type"]
    # What `officer_complaints` and `unit_complaint_summary` compute, from one `complaint_outcomes`.
    outcomes = complaint_outcomes(complaints, handled, year=year, period_type=kind, today=today)
    officers = officers_from_outcomes(outcomes, year=year, period_type=kind, settings=rules)
    units = units_from_outcomes(outcomes, year=year, period_type=kind,
                                units=tuple(pd.unique(surveys["service_unit"].dropna())))
    return ComplaintOutcome(tab, problems, officers, units)


def _surveys(frame: pd.DataFrame) -> pd.DataFrame:
    """The checked Survei rows with the columns the rules read; answers as numbers.

    One constructor call (a reindex and nine column assignments cost ~4 times more); the columns are
    the frame's own Series, so nothing is realigned, and a missing column is all NaN as reindex made it.
    """
    data = {}
    for name in SURVEY_COLUMNS:
        if name not in frame.columns:
            data[name] = np.full(len(frame), np.nan)
        elif name in ITEM_COLUMNS:
            data[name] = answer_floats(frame[name])
        else:
            data[name] = frame[name]
    return pd.DataFrame(data, index=frame.index)
