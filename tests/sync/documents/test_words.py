"""Indonesian formats, period headings and chart scaling."""

from __future__ import annotations

import pytest

import scoring
from sync.documents import charts, words
from sync.documents.context_unit import rule_texts
from sync.documents.inputs import PeriodInfo


@pytest.mark.parametrize(("kind", "label", "name", "dates"), [
    ("monthly", "2026-02", "BULAN FEBRUARI 2026", "1 Februari 2026 s.d. 28 Februari 2026"),
    ("monthly", "2024-02", "BULAN FEBRUARI 2024", "1 Februari 2024 s.d. 29 Februari 2024"),
    ("quarterly", "2026-T1", "TRIWULAN I 2026", "1 Januari 2026 s.d. 31 Maret 2026"),
    ("quarterly", "2026-T4", "TRIWULAN IV 2026", "1 Oktober 2026 s.d. 31 Desember 2026"),
    ("semester", "2026-S2", "SEMESTER II 2026", "1 Juli 2026 s.d. 31 Desember 2026"),
    ("annual", "2026", "TAHUNAN 2026", "1 Januari 2026 s.d. 31 Desember 2026"),
])
def test_period_headings(kind, label, name, dates):
    year = int(label[:4])
    info = PeriodInfo.of(f" {label} ", scoring.Settings(year=year, period_type=kind))
    assert (info.label, info.name, info.dates) == (label, name, dates)


@pytest.mark.parametrize(("value", "decimals", "trim", "expected"), [
    (1234567.891, 2, False, "1.234.567,89"),
    (120.0, 2, False, "120,00"),
    (12.0, 2, True, "12"),
    (26.666666, 2, True, "26,67"),
    (-0.001, 2, False, "0,00"),
    (float("nan"), 2, False, "-"),
    (None, 2, False, "-"),
])
def test_numbers(value, decimals, trim, expected):
    assert words.number(value, decimals, trim) == expected


def test_rank_text_names_the_pangkat_of_pns_only():
    assert words.rank_text("III/b") == "Penata Muda Tingkat I, III/b"
    assert words.rank_text("IV/e") == "Pembina Utama, IV/e"
    assert words.rank_text("IX") == "IX"
    assert words.rank_text(None) == ""


def test_breakable_only_splits_long_words():
    assert words.breakable("Dr. H. Muhammad Ridwan Syahputra, S.E., M.Si.") == \
        "Dr. H. Muhammad Ridwan Syahputra, S.E., M.Si."
    split = words.breakable("lihat https://example.go.id/laporan/2026/triwulan-pertama.pdf")
    assert split.replace("\u200b", "") == \
        "lihat https://example.go.id/laporan/2026/triwulan-pertama.pdf"
    assert all(len(part) <= 16 for part in split.split()[1].split("\u200b"))


def test_follow_up_words_use_the_result_tab_labels():
    assert words.follow_up_words(("coaching", "training:loyal", "service_coaching")) == [
        "Pembinaan", "Pelatihan: Loyal", "Pembinaan pelayanan"]


def test_distribution_bars_run_from_sangat_kurang_to_sangat_baik():
    chart = charts.distribution({"very_good": 3, "good": 7, "poor": 1}, "good")
    assert [b["label"] for b in chart["bars"]] == [
        "Sangat Kurang", "Kurang/Misconduct", "Butuh Perbaikan", "Baik", "Sangat Baik"]
    assert [b["count"] for b in chart["bars"]] == [0, 1, 0, 7, 3]
    assert [t["label"] for t in chart["ticks"]] == ["0", "2", "4", "6", "8"]
    assert chart["bars"][3]["mine"] and chart["bars"][3]["height"] == 7 / 8
    assert chart["total"] == 11


def test_trend_leaves_gaps_and_keeps_a_flat_line_flat():
    chart = charts.trend(["Jan", "Feb", "Mar"], [
        {"name": "Unit", "values": [95.0, None, 95.4], "main": True}])
    points = chart["series"][0]["points"]
    assert [p["x"] for p in points] == [0.5 / 3, 2.5 / 3]
    low, high = chart["ticks"][0]["label"], chart["ticks"][-1]["label"]
    assert (low, high) == ("90", "105")  # at least 10 points tall, in steps of 5


def test_rule_texts_of_each_org_predikat():
    assert rule_texts("outstanding")["very_good"] == "maks. 70%"
    assert rule_texts("very_poor")["very_good"] == "tidak boleh ada"
    assert rule_texts("very_poor")["poor"] == "min. 10% (bersama Butuh Perbaikan)"
    assert rule_texts(None)["good"] == "-"
