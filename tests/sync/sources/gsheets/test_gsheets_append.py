"""Survey rows appended to a Google Sheet's Survei tab: aligned, as data, in one request."""

from __future__ import annotations

import datetime as dt

from sheet_templates.schema import SURVEYS
from sync.sources import open_source
from sync.sources.gsheets.append import header_positions
from sync.workbook import RawTab
from tests.fakes.gsheet_fixtures import KEY

LABELS = ["ID Respons", "Waktu", "Unit Layanan", "Saran"]
FORMULA = '=IMPORTXML("http://x","//a")'


def test_header_positions_follow_the_tab_not_the_list():
    tab = RawTab("Survei", [["", ""], ["saran", "ID  respons"]], first_row=2, first_column=1)
    assert header_positions(tab, LABELS) == (3, {"Saran": 1, "ID Respons": 2})


def test_rows_go_below_the_last_row_aligned_to_the_tabs_own_header(fake):
    fake.create(KEY, {"Survei": [["Saran", "ID Respons", "Unit Layanan"], ["lama", "R-0", "Loket"]]})
    source = open_source(f"gsheet:{KEY}")
    source.read({"survei"})
    before = fake.sheets_requests()
    source.append_rows("Survei", LABELS, [["R-1", dt.datetime(2026, 3, 14, 9, 21), "Loket", FORMULA],
                                          ["R-2", None, "Loket", "Antrian cepat"]])
    assert fake.sheets_requests() - before == 1  # one atomic batchUpdate
    rows = fake.values(KEY, "Survei")
    assert rows[0] == ["Saran", "ID Respons", "Unit Layanan", "Waktu"]  # the missing label added last
    assert rows[1] == ["lama", "R-0", "Loket"]
    assert rows[2][:3] == [FORMULA, "R-1", "Loket"]  # text stays text, never a formula
    assert isinstance(rows[2][3], (int, float))  # a date serial, formatted as a date
    assert rows[3] == ["Antrian cepat", "R-2", "Loket"]


def test_a_missing_survei_tab_is_created_with_the_header(fake):
    fake.create(KEY, {"Pegawai": [["NIP"]]})
    source = open_source(f"gsheet:{KEY}")
    labels = [c.label for c in SURVEYS.columns]
    row = [None] * len(labels)
    row[0], row[2] = "R-9", "Loket"
    source.append_rows("Survei", labels, [row])
    rows = fake.values(KEY, "Survei")
    assert rows[0] == labels
    assert rows[1][0] == "R-9" and rows[1][2] == "Loket"


def test_many_rows_grow_the_grid_first(fake):
    fake.create(KEY, {"Survei": [["ID Respons"]]})
    source = open_source(f"gsheet:{KEY}")
    source.read({"survei"})
    source.append_rows("Survei", ["ID Respons"], [[f"R-{i}"] for i in range(1500)])
    rows = fake.values(KEY, "Survei")
    assert len(rows) == 1501 and rows[-1] == ["R-1499"]
