"""The Pemda recap's complaint columns (issue 16): stored per run and unit, shown per agency and unit.

The agency is the hand-counted workbook of tests/sync/complaints/test_complaints_counts.py,
scored by `kinerja run` today (after March 2026, so every March complaint not
Selesai is past its deadline): in March Loket Pelayanan has 5 complaints, 3 open,
4 overdue (R-2 finished late, R-3, R-4, R-6 open), median 6 days to Selesai; the
agency adds R-8 (open, overdue): 6, 4, 5, 6. Sekretariat serves no one.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from sheet_templates import recap as T
from sync import database
from sync.run import history, recap_tabs
from tests.helpers import write_workbook
from tests.sync.complaints.test_complaints_counts import LOKET, tabs
from tests.sync.run.helpers import invoke, read_tab, records, write_config
from tests.sync.run.test_recap import AGENCIES, summary

LABELS = ["Pengaduan", "Belum Selesai", "Terlambat", "Median Hari Selesai"]
BEST = pd.DataFrame(columns=["source", "period", "unit", "nip", "name", "position", "predikat",
                             "performance_score", "unit_rank", "agency_rank", "rank_change"])


def test_kinerja_run_stores_the_complaints_and_the_recap_shows_them(tmp_path, db_url):
    write_workbook(tmp_path / "dinas.xlsx", tabs())
    config = write_config(tmp_path, {"dinas": "dinas.xlsx"})
    result = invoke("run", "--config", str(config), "--database", db_url)
    assert result.exit_code == 0, result.output
    engine = database.make_engine(db_url)
    with engine.connect() as conn:
        stored = conn.execute(sa.select(history.period_complaints)).mappings().all()
        joined = history.summaries(conn, ["dinas"])
    engine.dispose()
    march = {row["unit"]: (row["complaints"], row["complaints_open"], row["complaints_overdue"],
                           row["complaints_median_days"]) for row in stored if row["period"] == "2026-03"}
    assert march == {LOKET: (5, 3, 4, 6.0), history.AGENCY_UNIT: (6, 4, 5, 6.0)}  # Sekretariat: none stored
    sekretariat = joined.loc[(joined["period"] == "2026-03") & (joined["unit"] == "Sekretariat")]
    assert sekretariat["complaints"].isna().all()

    agency = records(read_tab(tmp_path / "rekap.xlsx", T.AGENCY_RECAP.label), header_row=1)[0]
    assert [agency[label] for label in LABELS] == [6, 4, 5, 6]
    units = {r["Unit Kerja"]: [r[label] for label in LABELS]
             for r in records(read_tab(tmp_path / "rekap.xlsx", T.UNIT_RECAP.label))}
    assert units[LOKET] == [5, 3, 4, 6] and units["Seluruh Instansi"] == [6, 4, 5, 6]
    assert units["Sekretariat"] == [None] * 4


def test_summaries_stored_before_issue_16_show_empty_complaint_columns():
    summaries = pd.DataFrame([summary("a", "2026-03")])  # no complaint columns at all
    agency_tab, unit_tab, *_ = recap_tabs.build_recap(AGENCIES, summaries, BEST)
    for tab in (agency_tab, unit_tab):
        headers = [c.header for c in tab.columns]
        assert all(label in headers for label in LABELS)
        assert all(row[headers.index(label)] is None for row in tab.rows for label in LABELS)
