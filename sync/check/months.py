"""Months a result silently carries over: every month without `Realisasi` is named (issue 11).

Capaian cumulates from January, so a forgotten February row makes February's
capaian January's. The rule itself is `scoring.gaps.missing_months`; this
turns its rows into Peringatan for `Validasi`.
"""

from __future__ import annotations

import pandas as pd

from scoring.gaps import missing_months
from sheet_templates.results import MONTH_NAMES
from sheet_templates.schema import REALISATIONS
from sync.check.validate import WARNING, Checked, Issue


def missing_month_issues(checked: Checked, last_month: int) -> list[Issue]:
    """One Peringatan per indicator and month without a realisation, up to `last_month`."""
    frames = checked.frames
    realisations = frames["realisations"]
    if realisations.empty or last_month < 2:
        return []
    months = pd.DataFrame({"iki_code": realisations["iki_code"],
                           "month": [ym[1] for ym in realisations["month"]]})
    year = checked.settings.get("year")
    column = REALISATIONS.column("month").label
    issues = []
    rejected = checked.rejected_rows
    typed = set() if rejected is None else set(zip(rejected["iki_code"], rejected["month"], strict=True))
    for row in missing_months(frames["indicators"], months, last_month).itertuples(index=False):
        if (row.iki_code, row.month) in typed:
            continue  # the row is there but was rejected: its Galat says so
        label = f"{year}-{row.month:02d}"
        before = MONTH_NAMES[row.month - 1]
        issues.append(Issue(
            WARNING, REALISATIONS.label, None, column, None, f"{row.iki_code} {label}",
            f"Realisasi {row.iki_code} untuk {label} belum ada; capaian {MONTH_NAMES[row.month]} memakai "
            f"data s.d. {before}.",
            f"Tambahkan baris Realisasi {row.iki_code} periode {label} (isi 0 bila memang belum ada hasil)."))
    return issues
