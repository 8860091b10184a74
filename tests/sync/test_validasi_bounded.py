"""`Validasi` stays bounded: capped per rule per column and in all, with summary rows (issue 12)."""

from __future__ import annotations

import csv
import datetime as dt

from sheet_templates import results as R
from sync import render
from sync.check.checking import check_workbook
from sync.check.validate import Issue
from sync.sources.excel.source import ExcelSource
from tests.sync.check.test_checking import SKP, STAFF, base

WHEN = dt.datetime(2026, 4, 2, 8, 30)


def _issues(n: int, rule: str, column: str, col: int, letter: str, level: str = "error",
            tab: str = "SKP", start: int = 2) -> list[Issue]:
    return [Issue(level, tab, r, column, f"{letter}{r}", "x", f"{column} salah di baris {r}.", "Perbaiki.",
                  col, rule) for r in range(start, start + n)]


def test_each_rule_shows_at_most_50_per_column_then_a_summary_row():
    issues = (_issues(20_000, "required", "Target", 8, "I")
              + _issues(30, "choice", "Arah", 10, "K")
              + _issues(120, "required", "Satuan", 7, "H")
              + _issues(70, "unknown_reference", "NIP", 1, "B", level="warning"))
    tab = render.render_validation(issues, WHEN)
    messages = [r for r in tab.rows if r[2] is not None]
    summaries = [r for r in tab.rows if r[2] is None]
    by_column = {}
    for row in messages:
        by_column[row[3]] = by_column.get(row[3], 0) + 1
    assert by_column == {"Target": 50, "Arah": 30, "Satuan": 50, "NIP": 50}
    assert tab.rows[:len(messages)] == messages  # summaries come after every message
    assert [(r[0], r[3]) for r in summaries] == [("Galat", "Satuan"), ("Galat", "Target"),
                                                  ("Peringatan", "NIP")]
    target = next(r for r in summaries if r[3] == "Target")
    assert target[4] == "I2" and target[5] == "20.000 pesan"
    assert "20.000" in target[6] and "19.950" in target[6]
    assert "SKP!I2, SKP!I3, SKP!I4, SKP!I5, SKP!I6, …" in target[6]
    assert "CSV" in target[7]
    assert tab.title.startswith("Pemeriksaan 2026-04-02 08:30: 20.150 Galat")
    assert "ringkasan" in tab.title


def test_no_more_than_10000_messages_in_all():
    issues = []
    for k in range(300):  # 300 rules × 50 rows: 15,000 messages that each pass the per-rule cap
        issues += _issues(50, f"rule{k}", f"Kolom {k}", k, "A", start=2 + 50 * k)
    tab = render.render_validation(issues, WHEN)
    messages = [r for r in tab.rows if r[2] is not None]
    summaries = [r for r in tab.rows if r[2] is None]
    assert len(messages) == 10_000
    assert len(summaries) == 100  # the rules that did not fit, each counted
    assert all("50 pesan" == r[5] for r in summaries)
    assert len(tab.rows) < 1_048_576


def test_a_small_list_is_unchanged():
    issues = _issues(3, "required", "Target", 8, "I")
    tab = render.render_validation(issues, WHEN)
    assert len(tab.rows) == 3 and "ringkasan" not in tab.title


def test_thousands_of_broken_rows_give_a_bounded_validasi(make_workbook):
    tabs = base()
    bad = ["A-9", STAFF, "Utama", "", "RHK", "Kuantitas", "Akta", "dok", "seratus", None, "Naek", None, None]
    tabs["SKP"] = [list(SKP), *[[f"B-{i}", *bad[1:]] for i in range(3000)]]
    checked = check_workbook(ExcelSource(make_workbook(tabs)).read())
    assert len(checked.issues) >= 6000
    tab = render.render_validation(checked.issues, WHEN)
    assert len(tab.rows) <= 2 * 50 + 10 + len({(i.rule, i.column) for i in checked.issues})
    assert sum(r[2] is None for r in tab.rows) >= 2


def test_the_full_list_goes_to_a_csv_excel_opens_in_an_indonesian_locale(tmp_path):
    issues = _issues(200, "required", "Target", 8, "I")
    issues.append(Issue("warning", "Survei", 5, "Saran", "S5", '=IMPORTXML("http://x","//a")', "p", "f",
                        18, "x"))
    path = tmp_path / "w.validasi.csv"
    render.write_validation_csv(issues, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents right
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == [c.label for c in R.VALIDATION.columns]
    assert len(rows) == 1 + 201
    assert rows[1][:5] == ["Galat", "SKP", "2", "Target", "I2"]
    assert rows[-1][5] == "'" + '=IMPORTXML("http://x","//a")'  # stays text, never a formula
    assert [p.name for p in tmp_path.iterdir()] == ["w.validasi.csv"]
