"""Rendering: scoring codes become the words supervisors read."""

import datetime as dt

import pandas as pd

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
