"""`kinerja run` over several agencies (Excel and Google Sheets, two of them broken) and its master recap."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from sheet_templates import recap as T
from sheet_templates import results as R
from sync.demo.build import demo_settings
from tests.fakes.gsheet_fixtures import workbook_rows
from tests.sync.run.helpers import agency_data, invoke, read_tab, records, write_agency, write_config

SHEET_KEYS = {"dinsos": "1KinerjaDinsosSheetKey_0123456789abcdefgh",
              "bappeda": "1KinerjaBappedaKey_0123456789abcdefghijkl"}
MISSING_KEY = "1KinerjaNoSuchSheet_0123456789abcdefghijk"
PREDIKAT_LABELS = [label for _, label in R.PREDIKAT]


@pytest.fixture
def pemda(tmp_path, fake):
    """Three Excel agencies and two Google Sheets ones, plus three broken sources, in one config."""
    write_agency(tmp_path / "dinkes.xlsx", seed=11, units=2, per_unit=5)
    write_agency(tmp_path / "disdik.xlsx", seed=12, units=3, per_unit=4)
    write_agency(tmp_path / "dukcapil.xlsx", seed=13, units=1, per_unit=7)
    write_agency(tmp_path / "tanpa-tahun.xlsx", seed=14, units=1, per_unit=3, year=None)
    for seed, (name, key) in enumerate(SHEET_KEYS.items(), start=21):
        fake.create(key, workbook_rows(agency_data(seed, 2, 4), demo_settings(org_name=f"Dinas {name}")))
    sources = {"dinkes": "dinkes.xlsx", "dinsos": f"gsheet:{SHEET_KEYS['dinsos']}", "disdik": "disdik.xlsx",
               "hilang": "hilang.xlsx", "bappeda": f"gsheet:{SHEET_KEYS['bappeda']}",
               "tanpa-tahun": "tanpa-tahun.xlsx", "dukcapil": "dukcapil.xlsx",
               "sheet-hilang": f"gsheet:{MISSING_KEY}"}
    return write_config(tmp_path, sources)


def agency_tabs(tmp_path, fake, source: str) -> dict[str, list[list]]:
    """An agency's own Hasil, Peringkat and Rekap Unit tabs as written by the run."""
    names = (R.RESULTS.label, R.RANKINGS.label, R.UNIT_SUMMARY.label)
    if source in SHEET_KEYS:
        return {n: [[("" if v is None else v) for v in row] for row in fake.values(SHEET_KEYS[source], n)]
                for n in names}
    return {n: read_tab(tmp_path / f"{source}.xlsx", n) for n in names}


def test_every_agency_is_scored_the_broken_ones_named_and_the_recap_matches_their_own_tabs(
        tmp_path, pemda, fake):
    result = invoke("run", "--config", str(pemda), "--database", f"sqlite:///{tmp_path / 'k.db'}")

    assert result.exit_code == 1
    tail = result.stdout.split("3 sumber gagal:")[1]
    assert "hilang (" in tail and "tidak ditemukan" in tail
    assert "tanpa-tahun (" in tail and "Tahun Penilaian" in tail
    assert "sheet-hilang (" in tail
    assert "Rekap Pemda ditulis ke" in result.stdout
    assert result.stderr.count("Berhasil") == 5 and "[8/8]" in result.stderr

    rekap = tmp_path / "rekap.xlsx"
    agencies = {r["Sumber"]: r for r in records(read_tab(rekap, T.AGENCY_RECAP.label), header_row=1)}
    assert set(agencies) == {"dinkes", "dinsos", "disdik", "hilang", "bappeda", "tanpa-tahun", "dukcapil",
                             "sheet-hilang"}
    scored = ["dinkes", "dinsos", "disdik", "bappeda", "dukcapil"]
    best_rows = records(read_tab(rekap, R.BEST_EMPLOYEE_LABEL))
    unit_rows = records(read_tab(rekap, T.UNIT_RECAP.label))
    for source in scored:
        own = agency_tabs(tmp_path, fake, source)
        row = agencies[source]
        hasil = records(own[R.RESULTS.label])
        last = max(r["Periode"] for r in hasil)
        assert row["Periode"] == last
        hasil = [r for r in hasil if r["Periode"] == last]
        counts = Counter(r["Predikat Kinerja"] for r in hasil if r["Predikat Kinerja"])
        assert row["Jumlah Pegawai"] == len(hasil)
        assert row["Dinilai"] == sum(counts.values())
        assert [row[label] for label in PREDIKAT_LABELS] == [counts[label] for label in PREDIKAT_LABELS]
        scores = [r["Nilai Kinerja"] for r in hasil if r["Nilai Kinerja"] is not None]
        assert row["Rata-rata Nilai Kinerja"] == pytest.approx(statistics.mean(scores), abs=0.011)
        assert row["Status Terakhir"].startswith("Berhasil")

        peringkat = [r for r in records(own[R.RANKINGS.label]) if r["Periode"] == last]
        own_best = {(r["Unit Kerja"], r["NIP"]) for r in peringkat if r["Pegawai Terbaik"]}
        recap_best = [r for r in best_rows if r["Instansi"] == row["Instansi"]]
        assert {(r["Unit Kerja"], r["NIP"]) for r in recap_best} == own_best and own_best
        top = min(recap_best, key=lambda r: r["Peringkat Instansi"])
        assert [r["NIP"] for r in recap_best if r["Terbaik Instansi"]] == [top["NIP"]]

        own_units = [r for r in records(own[R.UNIT_SUMMARY.label]) if r["Periode"] == last]
        recap_units = [{k: v for k, v in r.items() if k != "Instansi"} for r in unit_rows
                       if r["Instansi"] == row["Instansi"]]
        assert recap_units == own_units

    ranked = sorted((agencies[s] for s in scored), key=lambda r: r["Peringkat"])
    assert [r["Peringkat"] for r in ranked] == [1, 2, 3, 4, 5]
    means = [r["Rata-rata Nilai Kinerja"] for r in ranked]
    assert means == sorted(means, reverse=True)
    for broken in ("hilang", "tanpa-tahun", "sheet-hilang"):
        assert agencies[broken]["Peringkat"] is None
        assert agencies[broken]["Status Terakhir"].startswith("Gagal")

    tren = read_tab(rekap, T.TREND.label)
    assert tren[1][:2] == ["Instansi", "Sumber"] and tren[1][2:5] == ["2026-01", "2026-02", "2026-03"]
    assert len(records(tren, header_row=1)) == len(scored)


def test_the_recap_goes_to_a_google_sheet_too(tmp_path, fake):
    write_agency(tmp_path / "dinkes.xlsx", seed=11, units=1, per_unit=4)
    key = "1KinerjaRekapPemdaSheet_0123456789abcdefg"
    fake.create(key)
    config = write_config(tmp_path, {"dinkes": "dinkes.xlsx"}, output=f"gsheet:{key}")
    result = invoke("run", "--config", str(config), "--database", f"sqlite:///{tmp_path / 'k.db'}")
    assert result.exit_code == 0, result.output
    assert fake.values(key, T.AGENCY_RECAP.label)[2][3] == "dinkes"
    charts = fake.books[key].by_title(T.AGENCY_RECAP.label).charts
    assert len(charts) == 2


def test_jobs_run_sources_side_by_side_with_the_same_results(tmp_path):
    for seed, name in enumerate(("a", "b", "c", "d"), start=31):
        write_agency(tmp_path / f"{name}.xlsx", seed=seed, units=1, per_unit=4)
    config = write_config(tmp_path, {n: f"{n}.xlsx" for n in "abcd"})
    result = invoke("run", "--config", str(config), "--jobs", "3", "--database",
                    f"sqlite:///{tmp_path / 'k.db'}")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Berhasil") == 4
    rows = records(read_tab(tmp_path / "rekap.xlsx", T.AGENCY_RECAP.label), header_row=1)
    assert sorted(r["Peringkat"] for r in rows) == [1, 2, 3, 4]
    # The workers and their fork server end while the recap is written, and are waited for.
    import multiprocessing
    import multiprocessing.forkserver
    import threading

    assert multiprocessing.forkserver._forkserver._forkserver_pid is None
    assert not [t for t in threading.enumerate() if t.name == "kinerja-close"]
