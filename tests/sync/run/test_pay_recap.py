"""The Pemda recap's TPP and discipline columns (issue 15): stored per run, shown per agency."""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from sheet_templates import recap as T
from sync import database
from sync.run import history, recap, recap_tabs
from tests.sync.run.helpers import invoke, read_tab, records, write_agency, write_config
from tests.sync.run.test_recap import AGENCIES, summary

BEST = pd.DataFrame(columns=["source", "period", "unit", "nip", "name", "position", "predikat",
                             "performance_score", "unit_rank", "agency_rank", "rank_change"])
PAY_LABELS = ["Pegawai dengan TPP", "Bulan TPP", "TPP Diterima Bulan Itu (Rp)",
              "Rata-rata Potongan Disiplin (%)", "Disiplin Ringan", "Disiplin Sedang", "Disiplin Berat"]


def pay_row(source, period, **values):
    row = dict.fromkeys(("month", "tpp_employees", "tpp_total", "mean_deduction", "discipline_light",
                         "discipline_moderate", "discipline_severe"))
    return {"source": source, "period": period, **row, **values}


def test_each_agency_shows_the_pay_of_its_latest_period():
    summaries = pd.DataFrame([summary("a", "2026-02"), summary("a", "2026-03"), summary("b", "2026-T1"),
                              summary("c", "2026-03")])
    pay = pd.DataFrame([
        pay_row("a", "2026-02", month="2026-02", tpp_employees=9, tpp_total=1, mean_deduction=9.0),
        pay_row("a", "2026-03", month="2026-03", tpp_employees=10, tpp_total=45_000_000,
                mean_deduction=1.25, discipline_light=2, discipline_moderate=1, discipline_severe=0),
        pay_row("b", "2026-T1", discipline_light=0, discipline_moderate=0, discipline_severe=0),
    ])
    out = recap.agency_recap(AGENCIES, summaries, pay).set_index("source")
    assert out.loc["a", "tpp_month"] == "2026-03" and out.loc["a", "tpp_total"] == 45_000_000
    assert out.loc["a", "tpp_employees"] == 10 and out.loc["a", "discipline_moderate"] == 1
    assert pd.isna(out.loc["b", "tpp_total"]) and out.loc["b", "discipline_light"] == 0  # Kehadiran only
    assert pd.isna(out.loc["c", "tpp_employees"])  # neither
    tab = recap_tabs.build_recap(AGENCIES, summaries, BEST,
                                 pay=pay)[0]
    headers = [c.header for c in tab.columns]
    assert headers[headers.index("Catatan Sebaran") + 1:headers.index("Dinilai Pada")] == PAY_LABELS
    row = dict(zip(headers, next(r for r in tab.rows if r[3] == "a"), strict=True))
    assert row["TPP Diterima Bulan Itu (Rp)"] == 45_000_000 and row["Rata-rata Potongan Disiplin (%)"] == 1.25
    grouped = next(c for c in tab.columns if c.header == "TPP Diterima Bulan Itu (Rp)")
    assert grouped.kind == "int" and grouped.grouped


def test_without_pay_rows_the_columns_are_empty():
    summaries = pd.DataFrame([summary("a", "2026-03")])
    tab = recap_tabs.build_recap(AGENCIES, summaries, BEST)[0]
    assert [c.header for c in tab.columns if c.header in PAY_LABELS] == PAY_LABELS
    headers = [c.header for c in tab.columns]
    assert all(row[headers.index(label)] is None for row in tab.rows for label in PAY_LABELS)
    assert T.AGENCY_RECAP.column("tpp_total").label == "TPP Diterima Bulan Itu (Rp)"


def test_kinerja_run_stores_the_pay_and_the_recap_shows_it(tmp_path, db_url):
    write_agency(tmp_path / "dinkes.xlsx", seed=41, units=2, per_unit=4)
    config = write_config(tmp_path, {"dinkes": "dinkes.xlsx"})
    result = invoke("run", "--config", str(config), "--database", db_url)
    assert result.exit_code == 0, result.output
    engine = database.make_engine(db_url)
    with engine.connect() as conn:
        stored = history.pay_summaries(conn, ["dinkes"]).set_index("period")
        tpp = conn.execute(sa.select(sa.func.count()).select_from(history.period_pay)).scalar_one()
    engine.dispose()
    assert tpp == 3 and list(stored.index) == ["2026-01", "2026-02", "2026-03"]
    march = stored.loc["2026-03"]
    assert march["month"] == "2026-03" and march["tpp_employees"] == 8
    tpp_tab = records(read_tab(tmp_path / "dinkes.xlsx", "TPP"))
    paid = sum(r["TPP Diterima (Rp)"] for r in tpp_tab if r["Periode"] == "2026-03")
    assert march["tpp_total"] == paid > 8 * 2_000_000
    agency = records(read_tab(tmp_path / "rekap.xlsx", T.AGENCY_RECAP.label), header_row=1)[0]
    assert agency["Pegawai dengan TPP"] == 8 and agency["Bulan TPP"] == "2026-03"
    assert agency["TPP Diterima Bulan Itu (Rp)"] == paid
    assert agency["Disiplin Ringan"] is not None
