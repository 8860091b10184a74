"""Which documents a request gives, the texts it prints, and the Indonesian errors."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import scoring
from sync.documents import (
    DocumentError,
    DocumentTexts,
    NoResultsForPeriod,
    build_documents,
    plan_documents,
)
from tests.sync.documents.agency_data import (
    CLERK,
    NURSE,
    ORG,
    PEER,
    SECRETARY,
    UNIT_OFFICE,
    UNIT_SERVICE,
)
from tests.sync.documents.pdf_helpers import pdf_text

PERIOD = "2026-T1"


def _kinds(jobs):
    return [(job.kind, job.path_parts[-1]) for job in jobs]


@pytest.mark.parametrize(("period", "message"), [
    ("2026-03", "Periode '2026-03' tidak sesuai Periode Evaluasi dan Tahun Penilaian workbook; "
                "tulis seperti 2026-T1."),
    ("2025-T1", "Periode '2025-T1' tidak sesuai"),
    ("2026-T5", "Periode '2026-T5' tidak sesuai"),
])
def test_a_malformed_period_is_a_sentence(agency, period, message):
    with pytest.raises(DocumentError, match=message):
        plan_documents(*agency, period)


def test_a_period_without_results_says_so(agency):
    with pytest.raises(NoResultsForPeriod,
                       match=r"^Periode 2026-T2 belum punya hasil penilaian: belum ada pegawai"):
        plan_documents(*agency, "2026-T2")


def test_results_scored_for_the_period_only_still_draw_the_whole_trend(agency):
    frames, _, _ = agency
    january = frames.behaviours.assign(month=1)  # a repeated index, as concat leaves it
    monthly = scoring.Frames(**{**frames.__dict__,
                                "behaviours": pd.concat([frames.behaviours, january]),
                                "supervisor_ratings": scoring.Frames().supervisor_ratings})
    settings = scoring.Settings(org_name=ORG, year=2026, period_type="monthly")
    trends = []
    for periods in (None, ["2026-03"]):
        results = scoring.score(monthly, settings, periods)
        (unit,) = [j for j in plan_documents(monthly, settings, results, "2026-03",
                                             unit=UNIT_OFFICE) if j.kind == "unit"]
        trends.append(json.loads(unit.data)["trend"])
    assert trends[0] == trends[1]
    points = trends[1]["series"][0]["points"]
    assert [round(p["x"] * 12 - 0.5) for p in points] == [0, 1, 2]  # January to March
    assert trends[1]["labels"][:3] == ["Jan", "Feb", "Mar"] and len(trends[1]["labels"]) == 12


def test_named_nips_give_only_their_documents_in_the_order_asked(agency):
    jobs = plan_documents(*agency, PERIOD, nips=[SECRETARY, NURSE])
    assert [j.path_parts[1][:18] for j in jobs] == [SECRETARY, NURSE]
    assert {j.kind for j in jobs} == {"employee"}


def test_a_named_employee_without_predikat_gets_a_document_saying_why(agency):
    frames, settings, _ = agency
    unrated = scoring.Frames(**{**frames.__dict__,
                                "behaviours": frames.behaviours.loc[frames.behaviours["nip"] != PEER]})
    results = scoring.score(unrated, settings)
    assert [j.kind for j in plan_documents(unrated, settings, results, PERIOD)].count(
        "employee") == 6  # by default only employees with a predikat
    (document,) = build_documents(unrated, settings, results, PERIOD, nips=[PEER], workers=1)
    text = pdf_text(document.pdf)
    assert "7. PREDIKAT KINERJA PEGAWAI - Belum Lengkap: atasan belum menilai" in text
    assert "RATING PERILAKU KERJA -" in text


def test_unknown_nip_or_unit_is_named(agency):
    with pytest.raises(DocumentError, match="NIP 123456789012345678 tidak ada di hasil periode "
                                            "2026-T1"):
        plan_documents(*agency, PERIOD, nips=["123456789012345678"])
    with pytest.raises(DocumentError, match="Unit Kerja 'Gudang' tidak ada di hasil periode 2026-T1;"
                                            " pilih salah satu: "):
        plan_documents(*agency, PERIOD, unit="Gudang")
    with pytest.raises(DocumentError, match=f"NIP {SECRETARY} tidak ada di Unit Kerja "
                                            f"{UNIT_SERVICE}"):
        plan_documents(*agency, PERIOD, unit=UNIT_SERVICE, nips=[SECRETARY])


def test_one_unit_gives_its_employees_and_its_page_without_the_agency_recap(agency):
    jobs = plan_documents(*agency, PERIOD, unit="sekretariat")  # matched ignoring case
    kinds = _kinds(jobs)
    assert [k for k, _ in kinds] == ["employee"] * 3 + ["unit"]
    assert ("unit", f"Rekap {UNIT_OFFICE}.pdf") in kinds
    assert all(j.path_parts[0] == UNIT_OFFICE for j in jobs)


def test_texts_given_explicitly_replace_the_frames_columns(agency, texts):
    frames, settings, results = agency
    bare = scoring.Frames(  # no text columns at all, as a caller might hand them over
        employees=frames.employees,
        indicators=frames.indicators.drop(columns=["parent_rhk", "rhk", "indicator",
                                                   "unit_of_measure"]),
        realisations=frames.realisations.drop(columns=["obstacle", "follow_up_plan"]),
        behaviours=frames.behaviours.drop(columns=["feedback"]),
        supervisor_ratings=frames.supervisor_ratings, surveys=frames.surveys)
    given = DocumentTexts(
        indicators=pd.DataFrame({"iki_code": ["C-1"], "rhk": ["RHK dari teks"],
                                 "indicator": ["IKI dari teks"], "unit_of_measure": ["berkas"]}),
        realisations=pd.DataFrame({"iki_code": ["C-1"], "month": [2],
                                   "obstacle": ["Kendala dari teks"]}),
        behaviours=pd.DataFrame({"month": [3], "nip": [CLERK], "role": ["subordinate"],
                                 "rater_nip": ["999"], "feedback": ["Umpan balik dari teks"]}),
        place=texts.place, signed_on=texts.signed_on)
    (document,) = build_documents(bare, settings, results, PERIOD, given, nips=[CLERK], workers=1)
    text = pdf_text(document.pdf)
    assert "RHK dari teks" in text and "IKI dari teks" in text and "3 berkas" in text
    assert "Februari: Kendala: Kendala dari teks" in text
    assert "Bawahan (Maret) Umpan balik dari teks" in text
    assert "Laporan perlu lebih teliti" not in text  # the frames' feedback was dropped


def test_missing_texts_print_blank_not_fail(agency):
    frames, settings, results = agency
    bare = scoring.Frames(employees=frames.employees[["nip", "name", "asn_type", "rank", "position",
                                                      "unit", "supervisor_nip", "active"]],
                          indicators=frames.indicators[list(scoring.frames.SCHEMAS["indicators"])],
                          realisations=frames.realisations[["iki_code", "month", "value",
                                                            "period_target"]],
                          behaviours=frames.behaviours.drop(columns=["feedback"]),
                          surveys=frames.surveys)
    (document,) = build_documents(bare, settings, results, PERIOD, nips=[NURSE], workers=1)
    text = pdf_text(document.pdf)
    assert "Belum ada umpan balik tertulis pada periode ini." in text
    assert "30 kunjungan" not in text and "120,00%" in text  # no Satuan; figures still there


def test_complaints_appear_on_the_unit_page_and_the_recap_when_given(agency, texts):
    frames, settings, results = agency
    complaints = pd.DataFrame({"period": [PERIOD, PERIOD, "2026-T2"],
                               "unit": [UNIT_SERVICE.upper(), UNIT_OFFICE, UNIT_SERVICE],
                               "complaints": [5, 1, 9], "open": [2, 0, 9], "overdue": [1, 0, 9]})
    given = DocumentTexts(complaints=complaints, place=texts.place, signed_on=texts.signed_on)
    documents = {d.path_parts[-1]: d for d in build_documents(
        frames, settings, results, PERIOD, given, unit=UNIT_SERVICE, workers=1)}
    unit = pdf_text(documents[f"Rekap {UNIT_SERVICE}.pdf"].pdf)
    assert "Pengaduan masyarakat 5 pengaduan (2 belum selesai, 1 melewati batas waktu)" in unit
    (recap,) = [d for d in build_documents(frames, settings, results, PERIOD, given, workers=1)
                if d.kind == "agency"]
    text = pdf_text(recap.pdf)
    assert "Pengaduan masyarakat 6 pengaduan (2 belum selesai, 1 melewati batas waktu)" in text
    assert f"Rekap {ORG}" in text


def test_without_an_org_predikat_the_check_and_curve_say_so(agency):
    frames, _, _ = agency
    settings = scoring.Settings(org_name=ORG, year=2026, period_type="quarterly")
    results = scoring.score(frames, settings)
    documents = build_documents(frames, settings, results, PERIOD, nips=[NURSE], workers=1)
    text = pdf_text(documents[0].pdf)
    assert "4. CAPAIAN KINERJA ORGANISASI BELUM DITETAPKAN" in text
    assert "KURVA DISTRIBUSI PREDIKAT KINERJA PEGAWAI (Dinas" in text
    (unit,) = [d for d in build_documents(frames, settings, results, PERIOD, unit=UNIT_OFFICE,
                                          workers=1) if d.kind == "unit"]
    assert ("Sebaran predikat Tidak diperiksa: Predikat Kinerja Organisasi belum ditetapkan di "
            "Pengaturan.") in pdf_text(unit.pdf)
