"""The two-sided merge of the `Pengaduan` tab, pure (pandas and the standard library only).

The tab's first nine columns (SERVICE_LABELS) are the service's, recomputed on
every rewrite; the last four (SUPERVISOR_LABELS) are the supervisor's and are
carried over by `ID Respons`, exactly as typed. How rows are kept:

* A complaint the service produces gets its supervisor cells from the tab row
  with the same ID Respons (ids compared as text, stripped; an id a
  spreadsheet turned into a number, 123.0, is read as "123", and an all-digit
  id whose leading zeros the spreadsheet dropped matches "00123" when exactly
  one complaint fits). Without such a row it starts as `Baru`, other cells blank.
* When several tab rows share an ID Respons, the one with the most filled
  supervisor cells (the topmost on a tie) is merged into the complaint; the
  others are kept as extra rows right below it, with the service's fresh cells
  and their own supervisor cells, and `complaint_problems` reports them.
* A tab row whose ID Respons the service no longer produces (its survey row
  was deleted, a complaint the supervisor typed by hand, or a row without an
  ID) is kept with all its cells exactly as read, service cells included;
  rows that are blank in every cell are dropped.
* Columns the supervisor added after the thirteen (a non-blank header) are
  kept after them and carried with their row. A second column whose header
  reads as one already used is kept under the header with " (2)" added.
* Rows are newest first by `Waktu` (read leniently for kept rows), ties by
  ID Respons; rows whose Waktu cannot be read come last, in their tab order.

Headers of the tab as read are matched ignoring case, spaces and punctuation.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from sync.complaints.cells import (
    COLUMNS,
    ID,
    MARKED_TEXT,
    NEW_STATUS,
    SERVICE_COLUMNS,
    SERVICE_LABELS,
    STATUS,
    STATUS_LABELS,
    SUPERVISOR_LABELS,
    TAB,
    TIME,
    _filled,
    _read_rows,
    _Row,
    format_problem_items,
    id_text,
    is_blank,
    parse_date,
    parse_datetime,
    status_code,
)
from sync.complaints.status import Problem, complaint_problems, status_counts, supervisor_status

# The tab's contract and the readers live in `cells`, what the supervisor's side says in `status`;
# this module stays the one name to import them from.
__all__ = [
    "COLUMNS",
    "MARKED_TEXT",
    "SERVICE_COLUMNS",
    "SERVICE_LABELS",
    "STATUS_LABELS",
    "SUPERVISOR_LABELS",
    "TAB",
    "Problem",
    "complaint_problems",
    "format_problem_items",
    "id_text",
    "merge_complaints",
    "parse_date",
    "parse_datetime",
    "status_code",
    "status_counts",
    "supervisor_status",
]

# --- the merge ----------------------------------------------------------------------------------


def merge_complaints(
    service_rows: pd.DataFrame,
    existing_rows: pd.DataFrame | None,
    item_labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The rows to write to the `Pengaduan` tab (rules in the module docstring).

    Args:
        service_rows: the complaints as computed, internal names: response_id
            (required), timestamp, service_unit, service_type, officer_nip,
            officer_name, problem_items (tuple of (item, answer) or text),
            suggestion, deadline, optionally marked (as from
            scoring.complaints.detect_complaints plus officer_name); a missing
            column is blank.
        existing_rows: the tab as read, one column per header cell, raw cells
            (None or an empty frame when the tab is new).
        item_labels: item code → unsur label for Unsur Bermasalah (u3 →
            "Waktu Penyelesaian"); U1…U9 when not given.

    Returns:
        A new frame, all columns object: COLUMNS, then any extra columns of
        the tab. Service cells hold datetime (Waktu), date (Batas Waktu) and
        text; supervisor cells are the values as read (blank as None).
    """
    rows, extra_headers = _read_rows(existing_rows)
    extra_labels = [h.label for h in extra_headers]
    service = _service_records(service_rows, item_labels)
    by_digits: dict[int, list[str]] = {}
    for rid in service:
        if rid.isdigit():
            by_digits.setdefault(int(rid), []).append(rid)

    groups: dict[str, list[_Row]] = {}
    loose: list[_Row] = []
    for row in rows:
        key = _resolve(id_text(row.cells[ID]), service, by_digits)
        if key:
            groups.setdefault(key, []).append(row)
        else:
            loose.append(row)

    ordered: list[tuple[tuple, dict]] = []
    for rid, record in service.items():
        group = groups.pop(rid, [])
        primary = max(group, key=_filled, default=None)  # max keeps the topmost on a tie
        when = record[TIME]
        supervisor = dict.fromkeys(SUPERVISOR_LABELS) | {STATUS: NEW_STATUS}
        if primary is not None:
            supervisor = {label: primary.cells[label] for label in SUPERVISOR_LABELS}
        ordered.append((_sort_key(when, rid, 0, -1), record | supervisor | _extras(primary, extra_labels)))
        for row in group:
            if row is not primary:
                own = {label: row.cells[label] for label in SUPERVISOR_LABELS}
                ordered.append(
                    (_sort_key(when, rid, 1, row.position), record | own | _extras(row, extra_labels))
                )
    kept = [row for group in groups.values() for row in group] + loose
    for row in kept:
        key = _sort_key(parse_datetime(row.cells[TIME]), id_text(row.cells[ID]), 0, row.position)
        ordered.append((key, dict(row.cells) | _extras(row, extra_labels)))

    ordered.sort(key=lambda item: item[0])
    columns = [*COLUMNS, *extra_labels]
    index = pd.RangeIndex(len(ordered))  # shared by every column: the constructor then aligns nothing
    return pd.DataFrame({c: pd.Series([rec.get(c) for _, rec in ordered], index=index, dtype=object)
                         for c in columns}, index=index)


def _resolve(text: str, service: dict, by_digits: dict[int, list[str]]) -> str:
    if not text or text in service:
        return text
    if text.isdigit() and len(by_digits.get(int(text), ())) == 1:
        return by_digits[int(text)][0]
    return text


def _extras(row: _Row | None, labels: list[str]) -> dict:
    return {label: (row.extras.get(label) if row else None) for label in labels}


def _sort_key(when, rid: str, rank: int, position: int) -> tuple:
    if when is None:
        return (1, 0, "", rank, position)
    return (0, -pd.Timestamp(when).value, rid, rank, position)


def _service_records(frame: pd.DataFrame, item_labels) -> dict[str, dict]:
    """response_id text → the nine service cells; the first row of a repeated id wins."""
    if "response_id" not in frame.columns:
        raise ValueError("service_rows needs a response_id column")
    records: dict[str, dict] = {}
    for row in frame.to_dict("records"):
        flag = row.get("marked", False)
        rid = id_text(row["response_id"])
        if not rid or rid in records:
            continue
        record = {}
        for label, name in SERVICE_COLUMNS:
            value = row.get(name)
            if name == "problem_items":
                value = format_problem_items(
                    value, item_labels, marked=bool(flag) if not is_blank(flag) else False
                )
            elif name == "timestamp":
                value = parse_datetime(value)
            elif name == "deadline":
                value = parse_date(value)
            elif is_blank(value):
                value = None
            record[label] = value
        record[ID] = rid
        records[rid] = record
    return records
