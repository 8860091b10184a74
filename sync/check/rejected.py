"""The rows validation rejected, as what each employee's result must not silently rest on.

A result may be incomplete, but must never look complete (issue 11): every
rejected row that belongs to an employee becomes a `scoring.Frames.rejected`
row (the months it touches and the cell to name), and an employee whose own
`Pegawai` row was rejected is still shown, with what could be read.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from scoring import periods
from scoring.errors import ScoringError
from sheet_templates.schema import BEHAVIOURS, EMPLOYEES, INDICATORS, REALISATIONS, SUPERVISOR_RATINGS
from sync.check.validate import ERROR, Issue
from sync.parse import excel_digits


def _cells(issues: list[Issue]) -> dict[tuple[str, int], str]:
    """(tab label, sheet row) → "Tab!A1" of the first Galat on that row."""
    out: dict[tuple[str, int], str] = {}
    for issue in issues:
        if issue.level == ERROR and issue.row is not None:
            out.setdefault((issue.tab, issue.row), f"{issue.tab}!{issue.cell or issue.row}")
    return out


def _typed(issues: list[Issue], tab: str, column: str) -> dict[int, str]:
    """Sheet row → the value shown by the first issue with one at (`tab`, row, `column`)."""
    out: dict[int, str] = {}
    for issue in issues:
        if issue.tab == tab and issue.column == column and issue.value and issue.row is not None:
            out.setdefault(issue.row, issue.value)
    return out


def _bad(frame: pd.DataFrame, *columns: str):
    """The rejected rows' cells of `columns`, as plain values (no Series per row); usually none,
    and then no column is looked at."""
    bad = np.flatnonzero(~frame["_ok"].to_numpy(dtype=bool))
    if not len(bad):
        return zip()
    return zip(*(frame[c].iloc[bad].tolist() for c in columns), strict=True)


def nip_as_read(value, typed: str | None) -> str | None:
    """An employee key from a NIP cell that failed: its text, or the digits Excel kept of a number."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return excel_digits(float(value))  # as Excel shows it, and as Validasi names it
    if typed:
        digits = re.sub(r"\D", "", typed.split("E")[0].split("e")[0]) if "E+" in typed.upper() else typed
        return digits.strip() or None
    return None


def _add_employees(employees: pd.DataFrame, ok: np.ndarray, issues: list[Issue], add, extra: list[dict]):
    """The rejected `Pegawai` rows: each a rejected row (`add`), and one not among the valid employees
    and not inactive also an employee to show (`extra`)."""
    bad_employees = employees.loc[~ok]
    valid = set(employees.loc[ok, "nip"].dropna().tolist())
    typed_nips = _typed(issues, EMPLOYEES.label, EMPLOYEES.column("nip").label)
    for _, row in bad_employees.iterrows():
        typed = typed_nips.get(int(row["_row"]))
        nip = nip_as_read(row["nip"], typed)
        add(nip, 1, 12, EMPLOYEES.label, row["_row"])
        if nip and nip not in valid and row.get("active") is not False:
            valid.add(nip)
            shown = {column: row.get(column) for column in employees.columns if not column.startswith("_")}
            extra.append(shown | {"nip": nip, "supervisor_nip": None, "active": True})


def rejected_rows(frames: dict[str, pd.DataFrame], issues: list[Issue], year: int | None,
                  period_type: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rejected, extra_employees) from the parsed frames (with `_ok` and `_row`) and the issues.

    rejected: nip, start, end, cell (see `scoring.frames.SCHEMAS["rejected"]`), and for a rejected
    realisation its iki_code and month (so the month is not also reported as missing).
    extra_employees: employees whose own row was rejected and who are not among the valid
    ones, in the employees frame's columns, to be shown `Belum Lengkap`.
    """
    cells = _cells(issues)
    rows: list[dict] = []

    def add(nip, start: int, end: int, tab: str, sheet_row, iki_code=None, month=None) -> None:
        if isinstance(nip, str) and nip:
            cell = cells.get((tab, int(sheet_row)), f"{tab}!{int(sheet_row)}")
            rows.append({"nip": nip, "start": start, "end": end, "cell": cell, "iki_code": iki_code,
                         "month": month})

    employees = frames["employees"]
    extra: list[dict] = []
    ok = employees["_ok"].to_numpy(dtype=bool)
    if not ok.all():
        _add_employees(employees, ok, issues, add, extra)

    indicators = frames["indicators"]
    for nip, sheet_row in _bad(indicators, "nip", "_row"):
        add(nip, 1, 12, INDICATORS.label, sheet_row)

    def month_of(value) -> int | None:
        return value[1] if isinstance(value, tuple) and len(value) == 2 else None

    realisations = frames["realisations"]
    code_to_nip = None  # made only when a realisation was rejected
    for code, month, sheet_row in _bad(realisations, "iki_code", "month", "_row"):
        if code_to_nip is None:
            code_to_nip = dict(zip(indicators["iki_code"].tolist(), indicators["nip"].tolist(), strict=True))
        month = month_of(month)
        # capaian cumulates from January: a bad month spoils every period that ends after it
        add(code_to_nip.get(code), month or 1, 12, REALISATIONS.label, sheet_row, code, month)
    behaviours = frames["behaviours"]
    for nip, month, sheet_row in _bad(behaviours, "nip", "month", "_row"):
        month = month_of(month)
        add(nip, month or 1, month or 12, BEHAVIOURS.label, sheet_row)
    ratings = frames["supervisor_ratings"]
    for nip, period, sheet_row in _bad(ratings, "nip", "period", "_row"):
        start, end = 1, 12
        if year is not None and period_type and isinstance(period, str):
            try:
                start, end = periods.period_months(period, year, period_type)
            except ScoringError:
                pass
        add(nip, start, end, SUPERVISOR_RATINGS.label, sheet_row)

    columns = ["nip", "start", "end", "cell", "iki_code", "month"]
    if rows:
        rejected = pd.DataFrame(rows, columns=columns).astype({"start": "int64", "end": "int64"})
    else:  # usually nothing was rejected: the same empty frame, made from arrays (a fifth of the time)
        rejected = pd.DataFrame({c: np.array([], dtype=np.int64 if c in ("start", "end") else object)
                                 for c in columns})
    extra_frame = pd.DataFrame(extra, columns=[c for c in employees.columns if not c.startswith("_")])
    return rejected, extra_frame
