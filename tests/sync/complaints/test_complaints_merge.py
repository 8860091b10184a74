"""The Pengaduan tab merge: the supervisor's typing survives every rewrite."""

import ast
import datetime as dt
import doctest
from pathlib import Path

import pandas as pd
import pytest

from sync.complaints import merge
from sync.complaints.merge import (
    COLUMNS,
    MARKED_TEXT,
    Problem,
    complaint_problems,
    merge_complaints,
    status_counts,
    supervisor_status,
)

D = dt.date
T = dt.datetime
NIP = "198503142010031002"
LABELS = {"u3": "Waktu Penyelesaian", "u7": "Perilaku Pelaksana"}


def complaint(rid, when, items=(("u3", 1),), marked=False, **extra):
    """One service row, internal names, as detect_complaints (plus officer_name) gives it."""
    return {
        "response_id": rid,
        "timestamp": pd.Timestamp(when),
        "service_unit": "Loket A",
        "service_type": "KTP",
        "officer_nip": NIP,
        "officer_name": "Sri Lestari",
        "problem_items": items,
        "suggestion": extra.pop("suggestion", None),
        "deadline": extra.pop("deadline", D(2026, 3, 20)),
        "marked": marked,
        **extra,
    }


def service(*rows):
    return pd.DataFrame(list(rows))


def tab_row(rid, when=None, status=None, action=None, finished=None, by=None, **service_cells):
    """One row of the tab as read (labels as written, raw cells)."""
    row = dict.fromkeys(COLUMNS)
    row.update(
        {
            "ID Respons": rid,
            "Waktu": when,
            "Status": status,
            "Tindakan": action,
            "Tanggal Selesai": finished,
            "Ditangani Oleh": by,
        }
    )
    row.update({label.replace("_", " "): value for label, value in service_cells.items()})
    return row


def tab(*rows, columns=COLUMNS):
    return pd.DataFrame(list(rows), columns=list(columns))


def supervisor(frame):
    """ID → (Status, Tindakan, Tanggal Selesai, Ditangani Oleh) of a merged frame."""
    return {
        row["ID Respons"]: (row["Status"], row["Tindakan"], row["Tanggal Selesai"], row["Ditangani Oleh"])
        for _, row in frame.iterrows()
    }


# --- a new tab ------------------------------------------------------------------------------------


@pytest.mark.parametrize("existing", [None, pd.DataFrame(), tab()])
def test_new_tab_starts_every_complaint_as_baru(existing):
    rows = service(
        complaint("r1", "2026-03-02 09:00", items=(("u3", 1), ("u7", 1)), suggestion="Lambat"),
        complaint("r2", "2026-03-05 10:00", items=(), marked=True, officer_nip=None, officer_name=None),
    )
    out = merge_complaints(rows, existing, LABELS)
    assert tuple(out.columns) == COLUMNS
    assert out.values.tolist() == [
        [
            "r2",
            T(2026, 3, 5, 10),
            "Loket A",
            "KTP",
            None,
            None,
            MARKED_TEXT,
            None,
            D(2026, 3, 20),
            "Baru",
            None,
            None,
            None,
        ],
        [
            "r1",
            T(2026, 3, 2, 9),
            "Loket A",
            "KTP",
            NIP,
            "Sri Lestari",
            "Waktu Penyelesaian: 1; Perilaku Pelaksana: 1",
            "Lambat",
            D(2026, 3, 20),
            "Baru",
            None,
            None,
            None,
        ],
    ]


def test_unsur_labels_default_to_item_codes_and_text_is_kept():
    rows = service(
        complaint("a", "2026-03-02", items=(("u3", 1), ("u9", 2.0))),
        complaint("b", "2026-03-01", items="Sudah teks"),
    )
    out = merge_complaints(rows, None)
    assert out["Unsur Bermasalah"].tolist() == ["U3: 1; U9: 2", "Sudah teks"]


# --- the supervisor's typing survives -------------------------------------------------------------


@pytest.fixture
def typed_tab():
    """The tab as a supervisor left it: oldest first (they sorted it), cells of every kind."""
    return tab(
        tab_row("r1", T(2026, 3, 2, 9), "Selesai", "Petugas ditegur", D(2026, 3, 4), "Kasi Pelayanan"),
        tab_row("r2", T(2026, 3, 3, 9), "Diproses", "Menelepon warga", "14/03/2026", None),
        tab_row("r3", T(2026, 3, 4, 9), "sudah ditelpon", None, 46095.0, "Budi"),
    )


def test_typing_kept_when_rows_moved(typed_tab):
    rows = service(
        complaint("r1", "2026-03-02 09:00"),
        complaint("r2", "2026-03-03 09:00"),
        complaint("r3", "2026-03-04 09:00"),
    )
    out = merge_complaints(rows, typed_tab)
    assert out["ID Respons"].tolist() == ["r3", "r2", "r1"]
    assert supervisor(out) == {
        "r1": ("Selesai", "Petugas ditegur", D(2026, 3, 4), "Kasi Pelayanan"),
        "r2": ("Diproses", "Menelepon warga", "14/03/2026", None),
        "r3": ("sudah ditelpon", None, 46095.0, "Budi"),
    }
    finished = out.set_index("ID Respons")["Tanggal Selesai"]
    assert type(finished["r1"]) is dt.date and type(finished["r3"]) is float


def test_new_complaint_arrives_above(typed_tab):
    rows = service(
        complaint("r1", "2026-03-02 09:00"),
        complaint("r2", "2026-03-03 09:00"),
        complaint("r3", "2026-03-04 09:00"),
        complaint("r4", "2026-03-09 08:00"),
    )
    out = merge_complaints(rows, typed_tab)
    assert out["ID Respons"].tolist() == ["r4", "r3", "r2", "r1"]
    assert supervisor(out)["r4"] == ("Baru", None, None, None)
    assert supervisor(out)["r1"] == ("Selesai", "Petugas ditegur", D(2026, 3, 4), "Kasi Pelayanan")
    assert supervisor(out)["r2"] == ("Diproses", "Menelepon warga", "14/03/2026", None)


def test_service_cells_are_refreshed_not_read_back():
    stale = tab(tab_row("r1", "kemarin", "Selesai", Unit_Layanan="Ditulis tangan", Batas_Waktu="x"))
    out = merge_complaints(service(complaint("r1", "2026-03-02 09:00")), stale)
    row = out.iloc[0]
    assert (row["Waktu"], row["Unit Layanan"], row["Batas Waktu"], row["Status"]) == (
        T(2026, 3, 2, 9),
        "Loket A",
        D(2026, 3, 20),
        "Selesai",
    )


def test_rows_the_service_no_longer_produces_are_kept_as_read(typed_tab):
    existing = tab(
        *typed_tab.to_dict("records"),
        tab_row(
            "TELP-1",
            "15/03/2026 10:00",
            "Diproses",
            "Warga ditelepon balik",
            None,
            "Ani",
            Unit_Layanan="Loket B",
            Saran="Keluhan lewat telepon",
        ),
        tab_row(None, None, "Baru", "Aduan lisan, belum ada ID"),
        tab_row(None, None, None, None),  # an empty row: dropped
    )
    # The survey row of r2 was deleted: the service produces r1 and r3 only.
    rows = service(complaint("r1", "2026-03-02 09:00"), complaint("r3", "2026-03-04 09:00"))
    out = merge_complaints(rows, existing)
    assert out["ID Respons"].tolist() == ["TELP-1", "r3", "r2", "r1", None]
    kept = out.set_index(out["ID Respons"].fillna("-"))
    assert kept.loc["r2", "Waktu"] == T(2026, 3, 3, 9)  # its own cells, as read
    assert kept.loc["r2", "Unit Layanan"] is None
    assert supervisor(out)["r2"] == ("Diproses", "Menelepon warga", "14/03/2026", None)
    assert kept.loc["TELP-1", "Waktu"] == "15/03/2026 10:00"  # text stays text
    assert (kept.loc["TELP-1", "Unit Layanan"], kept.loc["TELP-1", "Saran"]) == (
        "Loket B",
        "Keluhan lewat telepon",
    )
    assert kept.loc["-", "Tindakan"] == "Aduan lisan, belum ada ID"


def test_merging_its_own_output_changes_nothing(typed_tab):
    rows = service(
        complaint("r1", "2026-03-02 09:00"),
        complaint("r3", "2026-03-04 09:00"),
        complaint("r4", "2026-03-09 08:00"),
    )
    once = merge_complaints(rows, typed_tab)
    twice = merge_complaints(rows, once)
    pd.testing.assert_frame_equal(once, twice)


def test_headers_match_ignoring_case_spaces_and_punctuation():
    existing = pd.DataFrame(
        [[" r1 ", "selesai", "ditegur", D(2026, 3, 4), "Kasi"]],
        columns=["  id   RESPONS", "STATUS", "Tindakan.", "tanggal_selesai", "Ditangani oleh"],
    )
    out = merge_complaints(service(complaint("r1", "2026-03-02")), existing)
    assert supervisor(out) == {"r1": ("selesai", "ditegur", D(2026, 3, 4), "Kasi")}


def test_extra_columns_are_kept_with_their_row():
    existing = tab(
        tab_row("r1", status="Selesai") | {"Catatan Kabid": "sudah dicek"},
        tab_row("r2", status="Baru") | {"Catatan Kabid": None},
        columns=[*COLUMNS, "Catatan Kabid"],
    )
    rows = service(
        complaint("r1", "2026-03-02"), complaint("r2", "2026-03-03"), complaint("r3", "2026-03-04")
    )
    out = merge_complaints(rows, existing)
    assert list(out.columns) == [*COLUMNS, "Catatan Kabid"]
    assert out[["ID Respons", "Catatan Kabid"]].values.tolist() == [
        ["r3", None],
        ["r2", None],
        ["r1", "sudah dicek"],
    ]


# --- ids a spreadsheet turned into numbers --------------------------------------------------------


def test_numeric_looking_ids_match_by_their_text():
    existing = tab(
        tab_row(123.0, status="Selesai", finished=D(2026, 3, 5)),
        tab_row(456, status="Diproses"),
        tab_row(789.0, status="Selesai", action="dari 00789"),  # leading zeros lost
        tab_row("  1011 ", status="Diproses", action="teks berspasi"),
    )
    rows = service(
        complaint("123", "2026-03-02"),
        complaint("456", "2026-03-03"),
        complaint("00789", "2026-03-04"),
        complaint("1011", "2026-03-05"),
    )
    out = merge_complaints(rows, existing)
    assert out["ID Respons"].tolist() == ["1011", "00789", "456", "123"]
    assert supervisor(out) == {
        "1011": ("Diproses", "teks berspasi", None, None),
        "00789": ("Selesai", "dari 00789", None, None),
        "456": ("Diproses", None, None, None),
        "123": ("Selesai", None, D(2026, 3, 5), None),
    }


def test_a_number_that_fits_two_ids_matches_neither():
    existing = tab(tab_row(7.0, T(2026, 3, 1), "Selesai"))
    out = merge_complaints(service(complaint("07", "2026-03-02"), complaint("007", "2026-03-03")), existing)
    assert out["ID Respons"].tolist() == ["007", "07", 7.0]
    assert out["Status"].tolist() == ["Baru", "Baru", "Selesai"]


# --- duplicates and other problems ----------------------------------------------------------------


def test_duplicate_rows_are_all_kept_and_the_fullest_is_merged():
    existing = tab(
        tab_row("r1", status="Baru"),
        tab_row("r2", status="Diproses"),
        tab_row("r1", status="Selesai", action="Ditegur", finished=D(2026, 3, 4), by="Kasi"),
    )
    rows = service(complaint("r1", "2026-03-02"), complaint("r2", "2026-03-01"))
    out = merge_complaints(rows, existing)
    assert out[["ID Respons", "Status", "Tindakan"]].values.tolist() == [
        ["r1", "Selesai", "Ditegur"],
        ["r1", "Baru", None],
        ["r2", "Diproses", None],
    ]
    assert out["Waktu"].tolist()[:2] == [T(2026, 3, 2)] * 2  # the duplicate gets the fresh service cells
    status = supervisor_status(out)
    assert status.values.tolist()[0] == ["r1", "done", D(2026, 3, 4)]
    problems = complaint_problems(out, first_row=3)
    assert problems == [
        Problem(
            "Pengaduan",
            4,
            "ID Respons",
            "A4",
            "r1",
            "ID Respons 'r1' ganda: sudah ada di baris 3; hanya tindak lanjut di baris 3 yang dihitung.",
            "Salin isian yang masih perlu ke baris 3, lalu hapus baris ini.",
        )
    ]


def test_duplicates_in_the_tab_as_read_name_their_rows():
    existing = tab(tab_row("x"), tab_row(5.0), tab_row("x"), tab_row("5"), tab_row(None), tab_row(None))
    found = [(p.row, p.cell, p.value) for p in complaint_problems(existing)]
    assert found == [(4, "A4", "x"), (5, "A5", "5")]  # blank ids are not duplicates (rows 6, 7 blank)


def test_status_and_date_problems():
    existing = tab(
        tab_row("a", T(2026, 3, 2, 9), status="Selsai", finished=D(2026, 3, 3)),
        tab_row("b", T(2026, 3, 2, 9), status="Selesai"),
        tab_row("c", T(2026, 3, 2, 9), status="Selesai", finished="besok"),
        tab_row("d", T(2026, 3, 2, 9), status="Selesai", finished=D(2026, 2, 28)),
        tab_row("e", T(2026, 3, 2, 9), status=" selesai ", finished=T(2026, 3, 2, 15)),
        tab_row("f", T(2026, 3, 2, 9), status="ok"),
    )
    problems = complaint_problems(existing, first_row=3)
    assert [(p.row, p.column, p.cell, p.value) for p in problems] == [
        (3, "Status", "J3", "Selsai"),
        (4, "Tanggal Selesai", "L4", ""),
        (5, "Tanggal Selesai", "L5", "besok"),
        (6, "Tanggal Selesai", "L6", "2026-02-28"),
        (8, "Status", "J8", "ok"),
    ]
    assert problems[0].problem == (
        "Status 'Selsai' bukan pilihan yang sah; pengaduan ini dihitung belum selesai."
    )
    assert problems[0].fix == "Pilih salah satu: Baru, Diproses, Selesai. Mungkin maksudnya 'Selesai'?"
    assert problems[4].fix == "Pilih salah satu: Baru, Diproses, Selesai."
    assert problems[3].problem == (
        "Tanggal Selesai 2026-02-28 lebih awal dari Waktu pengaduan (2026-03-02); tanggal ini diabaikan."
    )
    assert all(p.tab == "Pengaduan" for p in problems)


def test_duplicate_header_is_kept_renamed_and_reported():
    existing = pd.DataFrame([["r1", "Baru", "Diproses"]], columns=["ID Respons", "Status", "status"])
    out = merge_complaints(service(complaint("r1", "2026-03-02")), existing)
    assert list(out.columns) == [*COLUMNS, "status (2)"]
    assert (out["Status"].iloc[0], out["status (2)"].iloc[0]) == ("Baru", "Diproses")
    problems = complaint_problems(existing, first_row=2)
    assert [(p.row, p.cell, p.value) for p in problems] == [(1, "C1", "status")]
    assert "status (2)" in problems[0].problem


# --- what scoring and the header line read --------------------------------------------------------


def test_supervisor_status_codes_and_dates():
    existing = tab(
        tab_row("a", status="Selesai", finished="14/03/2026"),
        tab_row("b", status="DIPROSES", finished=46095.0),  # an Excel day number: 2026-03-14
        tab_row("c", status=None),
        tab_row("d", status="beres", finished="kemarin"),
        tab_row("a", status="Baru"),
        tab_row(None, status="Selesai"),
    )
    assert supervisor_status(existing).values.tolist() == [
        ["a", "done", D(2026, 3, 14)],
        ["b", "in_progress", D(2026, 3, 14)],
        ["c", "new", None],
        ["d", None, None],
    ]
    assert list(supervisor_status(None).columns) == ["response_id", "status", "finished_on"]


def test_a_finish_date_in_a_year_not_begun_is_reported_and_not_counted():
    existing = tab(
        tab_row("a", status="Selesai", finished="17/03/3026"),  # 3026 for 2026
        tab_row("b", status="Selesai", finished=D(2027, 1, 5)),
        tab_row("c", status="Selesai", finished=D(2026, 12, 20)),  # later this year: taken as typed
    )
    today = D(2026, 12, 3)
    assert supervisor_status(existing, today)["finished_on"].tolist() == [None, None, D(2026, 12, 20)]
    assert supervisor_status(existing)["finished_on"].tolist() == [D(3026, 3, 17), D(2027, 1, 5),
                                                                    D(2026, 12, 20)]
    problems = complaint_problems(existing, first_row=3, today=today)
    assert [(p.cell, p.value) for p in problems] == [("L3", "17/03/3026"), ("L4", "2027-01-05")]
    assert problems[0].problem == (
        "Tanggal Selesai 17/03/3026 jatuh pada tahun yang belum tiba (hari ini 2026-12-03); tanggal ini "
        "diabaikan dan pengaduan ini dihitung belum selesai.")
    assert problems[0].fix == "Perbaiki tahun pada Tanggal Selesai; mungkin salah ketik."
    assert complaint_problems(existing, first_row=3) == []  # without a date to compare with


def test_status_counts_for_the_header_line():
    existing = tab(
        tab_row("a", status="Baru") | {"Batas Waktu": D(2026, 3, 9)},
        tab_row("b", status=None) | {"Batas Waktu": D(2026, 3, 20)},
        tab_row("c", status="Diproses") | {"Batas Waktu": "2026-03-10"},
        tab_row("d", status="Selesai") | {"Batas Waktu": D(2026, 3, 1)},
        tab_row("e", status="??") | {"Batas Waktu": D(2026, 3, 19)},
    )
    assert status_counts(existing, D(2026, 3, 20)) == {
        "new": 2,
        "in_progress": 1,
        "done": 1,
        "unknown": 1,
        "overdue": 3,
    }


def test_docstring_examples():
    assert doctest.testmod(merge, optionflags=doctest.NORMALIZE_WHITESPACE).failed == 0


@pytest.mark.parametrize("name", ["merge", "cells", "status"])
def test_the_merge_modules_import_nothing_but_each_other(name):
    tree = ast.parse((Path(merge.__file__).parent / f"{name}.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    ours = {m for m in imported if m.split(".")[0] in ("sync", "scoring", "sheet_templates", "webhook")}
    # ... and the tab's contract (labels, owners), which is as pure as they are
    assert ours <= {"sync.complaints.cells", "sync.complaints.status", "sheet_templates.complaints"}
    assert {m.split(".")[0] for m in imported - ours} <= {
        "__future__",
        "ast",
        "collections",
        "datetime",
        "decimal",
        "difflib",
        "math",
        "re",
        "typing",
        "pandas",
    }
