"""Rendering: scoring codes become the words supervisors read."""

import datetime as dt

import pandas as pd

from sheet_templates import results as R
from sync import render
from sync.check.validate import Issue


def test_breaches_in_plain_indonesian():
    text = render.breach_text((
        {"rule": "max", "predikat": ("good",), "limit": 70, "actual": 71.42857},
        {"rule": "must_have", "predikat": ("needs_improvement", "poor"), "limit": None, "actual": 0.0},
        {"rule": "none", "predikat": ("very_good",), "limit": None, "actual": 5.0},
    ))
    assert text == ("Baik 71,4% melebihi batas 70%; harus ada pegawai Butuh Perbaikan atau "
                    "Kurang/Misconduct; tidak boleh ada Sangat Baik (5,0%)")


def test_rank_change_and_follow_up_words():
    assert [render.rank_change_text(v) for v in (2, -1, 0, pd.NA, None)] == ["▲ 2", "▼ 1", "=", "", ""]
    assert render._follow_up(("intensive_coaching", "training:accountable", "service_coaching")) == (
        "Pembinaan intensif; Pelatihan: Akuntabel; Pembinaan pelayanan")


def test_status_names_every_reason():
    assert render._status("complete", (), "1", set()) == "Lengkap"
    assert render._status("incomplete", ("no_supervisor_rating",), "1", {"1"}) == (
        "Belum Lengkap: atasan belum menilai; data ditolak, lihat tab Validasi")


def test_validasi_puts_galat_first_with_a_summary_line():
    issues = [
        Issue("warning", "Pegawai", 3, "NIP Atasan", "G3", "x", "p1", "f1", 6),
        Issue("error", "SKP", 2, "Arah", "K2", "Naek", "p2", "f2", 10),
    ]
    tab = render.render_validation(issues, dt.datetime(2026, 4, 2, 8, 30))
    assert tab.title.startswith("Pemeriksaan 2026-04-02 08:30: 1 Galat")
    assert [r[0] for r in tab.rows] == ["Galat", "Peringatan"]
    assert tab.rows[0] == ("Galat", "SKP", 2, "Arah", "K2", "Naek", "p2", "f2")


def test_komponen_nilai_from_scoring_or_from_the_scores_that_exist():
    given = pd.DataFrame({"components": [("work", "behaviour", "ikm"), ("work",), ()]})
    assert render.components_text(given) == ["Hasil Kerja, Perilaku, IKM", "Hasil Kerja", ""]
    nan = float("nan")
    derived = pd.DataFrame({"work_achievement": [90.0, 80.0], "behaviour_score": [4.1, nan],
                            "ikm": [nan, 81.0]})
    assert render.components_text(derived) == ["Hasil Kerja, Perilaku", "Hasil Kerja, IKM"]


def test_capaian_iki_names_the_missing_month_and_cuts_capaian():
    indicators = pd.DataFrame({
        "period": ["2026-03", "2026-03"], "iki_code": ["K1", "K2"], "nip": ["1", "1"],
        "rhk_type": ["main", "additional"], "weight": [float("nan")] * 2, "realisation": [30.0, float("nan")],
        "target": [30.0, 5.0], "target_max": [float("nan"), float("nan")], "capaian": [109.996, float("nan")],
        "rating": ["meets", None], "reported": [True, False], "flag": [None, "no_realisation"]})
    results = pd.DataFrame({"period": ["2026-03"], "nip": ["1"], "name": ["Ani"], "unit": ["Umum"]})
    skp = pd.DataFrame({"iki_code": ["K1", "K2"], "rhk": ["r1", "r2"], "indicator": ["i1", "i2"],
                        "aspect": ["quantity", "quality"], "direction": ["up", "down"]})
    realisations = pd.DataFrame({"iki_code": ["K1", "K1"], "month": [(2026, 1), (2026, 3)],
                                 "obstacle": ["hujan", None], "follow_up_plan": [None, "lembur"]})
    tab = render.render_indicators(indicators, results, skp, realisations, 2026, "monthly")
    assert [c.header for c in tab.columns] == [c.label for c in R.CAPAIAN_IKI.columns]
    first, second = (dict(zip([c.header for c in tab.columns], row, strict=True)) for row in tab.rows)
    assert first["Capaian (%)"] == 109.99  # cut, so it reads below the 110 % band it was rated in
    assert first["Status"] == "Realisasi Februari belum ada (capaian memakai data bulan sebelumnya)"
    assert (first["Kendala"], first["Rencana Tindak Lanjut"]) == (None, "lembur")  # March's own rows
    assert (first["Jenis RHK"], first["Aspek"], first["Arah"]) == ("Utama", "Kuantitas", "Naik")
    assert second["Status"] == R.INDICATOR_STATUS_LABELS["no_realisation"]
    assert tab.autofilter


def test_widths_fit_the_values_within_the_contract():
    tab = render.print_ready(render.OutputTab("Hasil", render.output_columns(R.RESULTS), [
        ("2026-01", "198503142010031002", "Ani", *[None] * 17)]), "Dinas A", "Periode 2026-01")
    widths = {c.header: c.width for c in tab.columns}
    assert widths["Nama"] < R.RESULTS.column("name").width  # "Ani" needs less
    assert 18 < widths["NIP"] <= R.RESULTS.column("nip").width
    assert widths["Peringkat Instansi"] >= 9  # never narrower than "Peringkat", its longest word
    assert tab.autofilter and tab.print_info.org_name == "Dinas A"
    assert render.period_range(["2026-03", "2026-01"]) == "Periode 2026-01 s.d. 2026-03"
