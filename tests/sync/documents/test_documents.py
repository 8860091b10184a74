"""The PDFs read back: every block and value of the annex, the unit page and the agency recap."""

from __future__ import annotations

import io
import re

import pandas as pd
import pypdf
import pytest

import scoring
from sync.documents import build_documents, plan_documents
from sync.documents.render import Renderer
from tests.sync.documents.agency_data import (
    ADMIN,
    CLERK,
    HEAD,
    KABID,
    LONG_NAME,
    LONG_RHK,
    LONG_URL,
    NURSE,
    ORG,
    PEER,
    SECRETARY,
    UNIT_OFFICE,
    UNIT_SERVICE,
)
from tests.sync.documents.pdf_helpers import page_images, page_texts, pdf_text

PERIOD = "2026-T1"


@pytest.fixture(scope="module")
def documents(agency, texts):
    frames, settings, results = agency
    docs = build_documents(frames, settings, results, PERIOD, texts, workers=1)
    return {doc.path_parts: doc for doc in docs}


def _employee(documents, nip):
    found = [d for d in documents.values() if d.kind == "employee" and d.path_parts[1].startswith(nip)]
    assert len(found) == 1
    return found[0]


def _after(text: str, marker: str, length: int = 400) -> str:
    return text[text.index(marker):text.index(marker) + length]


def test_one_document_per_scored_employee_unit_and_agency(documents):
    paths = set(documents)
    assert (UNIT_SERVICE, f"{NURSE} Cut Nyak Meutia Rahmawati, S.Kep., Ns.pdf") in paths
    assert (UNIT_SERVICE, f"{KABID} Dr. H. Muhammad Ridwan Syahputra, S.E., M.Si.pdf") in paths
    assert (UNIT_SERVICE, f"Rekap {UNIT_SERVICE}.pdf") in paths
    assert (UNIT_OFFICE, f"Rekap {UNIT_OFFICE}.pdf") in paths
    assert (f"Rekap {ORG}.pdf",) in paths
    kinds = [d.kind for d in documents.values()]
    assert kinds.count("employee") == 7 and kinds.count("unit") == 2 and kinds.count("agency") == 1
    assert all(d.pdf.startswith(b"%PDF") and d.pages >= 1 for d in documents.values())


def test_employee_document_has_every_block_in_the_annex_order(documents):
    text = pdf_text(_employee(documents, NURSE).pdf)
    order = ["EVALUASI KINERJA PEGAWAI", "PERIODE: TRIWULAN I 2026",
             "PERIODE PENILAIAN : 1 Januari 2026 s.d. 31 Maret 2026", f"NAMA INSTANSI : {ORG}",
             "1. PEGAWAI YANG DINILAI", "2. PEJABAT PENILAI KINERJA",
             "3. ATASAN PEJABAT PENILAI KINERJA", "4. CAPAIAN KINERJA ORGANISASI", "BAIK",
             "5. HASIL KERJA", "A. KINERJA UTAMA", "B. KINERJA TAMBAHAN", "RATING HASIL KERJA",
             "6. PERILAKU KERJA", "RATING PERILAKU KERJA", "7. PREDIKAT KINERJA PEGAWAI",
             "8. TINDAK LANJUT", "9. POLA DISTRIBUSI DAN KUADRAN KINERJA",
             "KURVA DISTRIBUSI PREDIKAT KINERJA PEGAWAI DENGAN CAPAIAN KINERJA ORGANISASI BAIK",
             "KUADRAN KINERJA PEGAWAI", "Lhokseumawe, 6 April 2026"]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)
    for label in ("Nama", "NIP", "Pangkat/Gol. Ruang", "Jabatan", "Unit Kerja"):
        assert text.count(label) >= 3


def test_people_blocks_name_employee_assessor_and_the_assessors_atasan(documents):
    text = pdf_text(_employee(documents, NURSE).pdf)
    employee = _after(text, "1. PEGAWAI YANG DINILAI")
    assert "Cut Nyak Meutia Rahmawati, S.Kep., Ns." in employee
    assert f"NIP {NURSE}" in employee and "Penata Muda Tingkat I, III/b" in employee
    assert "Perawat Ahli Pertama" in employee and UNIT_SERVICE in employee
    assessor = _after(text, "2. PEJABAT PENILAI KINERJA")
    assert LONG_NAME in assessor and KABID in assessor and "Pembina, IV/a" in assessor
    atasan = _after(text, "3. ATASAN PEJABAT PENILAI KINERJA")
    assert "dr. Teuku Ahmad Fauzi, M.Kes." in atasan and HEAD in atasan
    assert "Pembina Utama Muda, IV/c" in atasan and "Kepala Dinas" in atasan


def test_atasan_of_the_assessor_is_dotted_when_unknown(documents):
    text = pdf_text(_employee(documents, SECRETARY).pdf)
    atasan = _after(text, "3. ATASAN PEJABAT PENILAI KINERJA", 300)
    assert re.search(r"Nama \.{10,} NIP \.{10,} Pangkat/Gol\. Ruang \.{10,}", atasan)
    assert "dr. Teuku Ahmad Fauzi" in _after(text, "2. PEJABAT PENILAI KINERJA")


def test_head_without_assessor_gets_dotted_assessor_and_signature(documents):
    text = pdf_text(_employee(documents, HEAD).pdf)
    assert re.search(r"2\. PEJABAT PENILAI KINERJA Nama \.{10,}", text)
    assert re.search(r"Pejabat Penilai Kinerja, \.{10,} NIP\. \.{10,}", text)
    assert "Catatan Pejabat Penilai Kinerja: Dinilai oleh Sekretaris Daerah" in text
    assert "Sumber rating: Atasan" in text


def test_hasil_kerja_table_rows_split_utama_and_tambahan(documents):
    text = pdf_text(_employee(documents, NURSE).pdf)
    assert ("No RHK Pimpinan yang Diintervensi Rencana Hasil Kerja Aspek Indikator Kinerja "
            "Individu Target Realisasi Capaian Umpan Balik") in text
    utama = text[text.index("A. KINERJA UTAMA"):text.index("B. KINERJA TAMBAHAN")]
    assert LONG_RHK in utama  # the long RHK wraps in its cell and comes back whole
    assert "Meningkatnya mutu pelayanan kesehatan dasar" in utama
    assert "Jumlah kunjungan rumah pasien prioritas" in utama
    assert "Kuantitas" in utama and "Waktu" in utama
    assert "30 kunjungan 37 kunjungan 120,00%" in utama  # target prorated to 3 months; capped
    assert "30 menit 26,67 menit 111,11%" in utama  # Turun: lower is better
    assert "Maret: Kendala: Dua perawat cuti melahirkan sehingga jadwal kunjungan tertunda" in utama
    assert "Rencana tindak lanjut: Kunjungan dialihkan ke kader posyandu terlatih pada April" in utama
    assert LONG_URL in "".join(utama.split())  # broken over lines inside its cell, not cut
    tambahan = _after(text, "B. KINERJA TAMBAHAN", 200)
    assert "Menjadi narasumber penyuluhan kesehatan" in tambahan
    assert "Jumlah penyuluhan 1 kali 2 kali 120,00%" in tambahan
    assert "Capaian Hasil Kerja 115,56% RATING HASIL KERJA Di Atas Ekspektasi" in text


def test_perilaku_lists_seven_values_with_scores_and_unnamed_feedback(documents):
    text = pdf_text(_employee(documents, NURSE).pdf)
    block = text[text.index("6. PERILAKU KERJA"):text.index("7. PREDIKAT KINERJA PEGAWAI")]
    for value in ("Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal",
                  "Adaptif", "Kolaboratif"):
        assert value in block
    assert block.count("4,62") >= 7  # (5 × 50 + 4 × 30) / 80 per value
    assert "Atasan (Maret) Sangat peduli pada pasien lansia" in block
    assert "Rekan Kerja (Maret) Selalu siap membantu rekan saat jaga malam" in block
    assert "Catatan diri yang tidak dicetak" not in text  # self feedback is not a rater's
    assert PEER not in text and "Fitri Handayani" not in text  # peers stay anonymous
    assert "RATING PERILAKU KERJA Di Atas Ekspektasi" in block
    assert "penilaian diri sendiri 4,00, tidak dihitung" in block


def test_predikat_follow_up_and_signatures(documents):
    text = pdf_text(_employee(documents, NURSE).pdf)
    assert "7. PREDIKAT KINERJA PEGAWAI SANGAT BAIK" in text
    assert "Nilai Kinerja 105,83" in text
    assert "Peringkat 1 dari 4 di unit kerja; 1 dari 7 di instansi" in text
    assert "Indeks Kepuasan Masyarakat 87,50 (mutu B, IKM petugas)" in text
    assert "8. TINDAK LANJUT • Penghargaan" in text
    sign = text[text.index("Pegawai yang Dinilai,"):]
    assert "Lhokseumawe, 6 April 2026 Pejabat Penilai Kinerja," in sign
    assert f"Cut Nyak Meutia Rahmawati, S.Kep., Ns. NIP. {NURSE}" in sign
    assert f"{LONG_NAME} NIP. {KABID}" in sign


def test_follow_up_for_weak_employees_names_the_value_to_train(documents):
    clerk = pdf_text(_employee(documents, CLERK).pdf)
    assert "PREDIKAT KINERJA PEGAWAI KURANG/MISCONDUCT" in clerk
    assert "Pembinaan intensif" in clerk and "Pelatihan: Akuntabel" in clerk
    admin = pdf_text(_employee(documents, ADMIN).pdf)
    assert "Pangkat/Gol. Ruang IX" in admin  # PPPK: golongan only
    assert "SANGAT KURANG" in admin and "Kendala: Aplikasi arsip elektronik gangguan" in admin


def test_distribution_curve_and_quadrant_show_the_agency_and_the_employee(documents):
    pages = page_texts(_employee(documents, NURSE).pdf)
    last = pages[-1]
    for label in ("Sangat Kurang", "Kurang/ Misconduct", "Butuh Perbaikan", "Baik",
                  "Sangat Baik", "Frekuensi Pegawai"):
        assert label in last
    assert "7 pegawai berpredikat" in last
    assert ("Sel yang ditandai: Rating Hasil Kerja Di Atas Ekspektasi × Rating Perilaku Kerja "
            "Di Atas Ekspektasi") in last


def test_pages_are_numbered_x_of_y(documents):
    for document in documents.values():
        pages = page_texts(document.pdf)
        for number, text in enumerate(pages, start=1):
            assert f"Halaman {number} dari {len(pages)}" in text


def test_unit_page_for_the_head(documents):
    text = pdf_text(documents[(UNIT_SERVICE, f"Rekap {UNIT_SERVICE}.pdf")].pdf)
    assert "REKAP KINERJA UNIT KERJA" in text and UNIT_SERVICE.upper() in text
    assert "TRIWULAN I 2026 (1 Januari 2026 s.d. 31 Maret 2026)" in text
    assert "Jumlah pegawai 4" in text and "Pegawai berpredikat 4" in text
    assert "Rata-rata Nilai Kinerja 97,06" in text
    assert "Indeks Kepuasan Masyarakat 87,50 (mutu B)" in text
    assert "Sebaran predikat Sesuai SE MenPANRB No. 03 Tahun 2023." in text
    assert f"Pegawai Terbaik Cut Nyak Meutia Rahmawati, S.Kep., Ns. (NIP {NURSE})" in text
    assert "Sangat Baik 1 25,0%" in text and "Baik 2 50,0% maks. 70%" in text
    assert "TREN NILAI KINERJA" in text and "T1 T2 T3 T4" in text
    assert "Rizki Maulana, A.Md.Kes. NIP 199205102019031004 Kurang/ Misconduct Pembinaan " \
           "intensif; Pelatihan: Akuntabel" in text
    for nip in (NURSE, KABID, CLERK, PEER):
        assert nip in text
    assert "Pengaduan" not in text  # not given
    assert f"Kepala Bidang Pelayanan Kesehatan, {LONG_NAME} NIP. {KABID}" in text


def test_agency_recap_summarises_each_unit(documents):
    document = documents[(f"Rekap {ORG}.pdf",)]
    text = pdf_text(document.pdf)
    assert document.pages == 1
    assert "REKAP KINERJA INSTANSI" in text and ORG.upper() in text
    assert f"{UNIT_SERVICE} 4 4 97,06 1 2 0 1 0 87,50 (mutu B) Sesuai" in text
    assert f"{UNIT_OFFICE} 3 3 86,30 0 2 0 0 1 - Tidak sesuai" in text
    assert "Jumlah pegawai / berpredikat 7 / 7" in text


def test_no_typst_warnings_missing_glyphs_or_fonts(agency, texts):
    frames, settings, results = agency
    renderer = Renderer()
    for job in plan_documents(frames, settings, results, PERIOD, texts):
        assert renderer.warnings(job.kind, job.data) == [], job.path_parts


def test_pages_are_drawn_and_nothing_runs_off_the_right_edge(documents, tmp_path):
    """Render each page to pixels: ink on it, and the right margin stays white."""
    for i, key in enumerate([(UNIT_SERVICE, f"Rekap {UNIT_SERVICE}.pdf"), (f"Rekap {ORG}.pdf",)]
                            + [d.path_parts for d in documents.values() if d.kind == "employee"]):
        folder = tmp_path / str(i)
        folder.mkdir()
        for width, height, pixels in page_images(documents[key].pdf, folder):
            dark = sum(1 for p in pixels if p < 128)
            assert dark > width * height * 0.01, key  # not blank
            margin = int(width * 1.0 / 21.0)  # the outer 1 cm of the 1.5 cm margin
            for row in range(height):
                strip = pixels[row * width + width - margin:(row + 1) * width]
                assert min(strip) > 200, (key, row)


def test_a4_pages_with_embedded_fonts(documents):
    for document in documents.values():
        reader = pypdf.PdfReader(io.BytesIO(document.pdf))
        for page in reader.pages:
            assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (
                595, 842)
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                assert "Libertinus" in font["/BaseFont"]
                for part in font.get("/DescendantFonts", [font]):
                    descriptor = part.get_object()["/FontDescriptor"].get_object()
                    assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)


def test_a_long_hasil_kerja_table_repeats_its_header_on_every_page(agency, texts):
    frames, settings, _ = agency
    extra = pd.DataFrame([{
        "iki_code": f"X-{i}", "nip": NURSE, "rhk_type": "main" if i % 4 else "additional",
        "parent_rhk": "Meningkatnya mutu pelayanan kesehatan dasar", "rhk": f"RHK tambahan {i}",
        "aspect": "quantity", "indicator": f"Indikator ke-{i} yang cukup panjang untuk dua baris",
        "unit_of_measure": "kegiatan", "target": 12.0, "target_max": float("nan"),
        "direction": "up", "aggregation": "sum", "weight": float("nan")} for i in range(40)])
    realised = pd.DataFrame({"iki_code": [f"X-{i}" for i in range(40)], "month": 3,
                             "value": 3.0, "period_target": float("nan")})
    many = scoring.Frames(**{**frames.__dict__,
                             "indicators": pd.concat([frames.indicators, extra]),
                             "realisations": pd.concat([frames.realisations, realised])})
    results = scoring.score(many, settings)
    (document,) = build_documents(many, settings, results, PERIOD, texts, nips=[NURSE],
                                  workers=1)
    pages = page_texts(document.pdf)
    header = "No RHK Pimpinan yang Diintervensi Rencana Hasil Kerja Aspek"
    with_rows = [p for p in pages if "RHK tambahan" in p]
    assert len(with_rows) >= 2
    assert all(header in p for p in with_rows)
    assert "RHK tambahan 39" in pdf_text(document.pdf)
