"""The units a survey may name: the workbook's `Unit Kerja` (Pegawai) and `Unit Layanan` values.

The same rule as the Survei check in `consistency.check_service_units`, read
from the raw tabs so that a workbook with other problems still yields its
units. Names match ignoring case, spaces and punctuation; the workbook's
spelling is what gets written.
"""

from __future__ import annotations

import difflib

from sheet_templates.schema import EMPLOYEES, SERVICE_UNITS, SURVEYS
from sync.check.validate import find_tab
from sync.parse import as_text, is_blank, normalise_label
from sync.sources import Source
from sync.surveys.mapping import PayloadError
from sync.workbook import RawTab, RawWorkbook

UNIT_TABS = {normalise_label(EMPLOYEES.label), normalise_label(SERVICE_UNITS.label)}
_HEADER_SCAN = 10  # the header may sit below a title line or two


def workbook_units(raw: RawWorkbook) -> dict[str, str]:
    """normalise_label(unit) → the unit as spelled in the workbook."""
    units: dict[str, str] = {}
    for tab, column in ((SERVICE_UNITS, SERVICE_UNITS.column("service_unit")),
                        (EMPLOYEES, EMPLOYEES.column("unit"))):
        raw_tab = find_tab(raw, tab)
        if raw_tab is None:
            continue
        for value in column_values(raw_tab, column.label):
            units.setdefault(normalise_label(value), value)
    return units


def read_units(source: Source) -> dict[str, str]:
    """The units of the workbook behind `source`, in one read of two tabs."""
    return workbook_units(source.read(UNIT_TABS))


def column_values(raw_tab: RawTab, label: str) -> list[str]:
    """The non-blank values (as text) below the header cell `label` of a raw tab."""
    wanted = normalise_label(label)
    for i, row in enumerate(raw_tab.rows[:_HEADER_SCAN]):
        for j, value in enumerate(row):
            if normalise_label(as_text(value)) == wanted:
                return [as_text(r[j]) for r in raw_tab.rows[i + 1:] if j < len(r) and not is_blank(r[j])]
    return []


def survey_ids(raw: RawWorkbook) -> set[str]:
    """Every `ID Respons` already in the Survei tab (empty when the tab or column is absent)."""
    raw_tab = find_tab(raw, SURVEYS)
    if raw_tab is None:
        return set()
    return set(column_values(raw_tab, SURVEYS.column("response_id").label))


def resolve_unit(units: dict[str, str], name: str) -> str:
    """The workbook's spelling of unit `name`; PayloadError (field `unit`) when it has no such unit."""
    key = normalise_label(name)
    if key in units:
        return units[key]
    close = difflib.get_close_matches(key, list(units), n=1, cutoff=0.6)
    hint = f" Mungkin maksudnya '{units[close[0]]}'?" if close else ""
    raise PayloadError("unit", "unknown_unit", (
        f"Unit '{name[:80]}' tidak ada di workbook (tab Pegawai kolom Unit Kerja atau tab Unit Layanan)."
        f"{hint} Samakan pilihan unit pada formulir dengan nama unit di workbook."))
