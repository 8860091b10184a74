"""A small hand-built agency for the document tests: two units, seven employees, one quarter.

Frames carry the input tabs' text columns as extra columns, the way the sync
layer hands them over, so the documents find RHK texts, Kendala and feedback.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import scoring

HEAD = "197501012000031001"
KABID = "198003152005011002"
NURSE = "199001012015032003"
CLERK = "199205102019031004"
SECRETARY = "198506202010012005"
ADMIN = "199607072020122006"
PEER = "199303032018011007"

LONG_RHK = (
    "Meningkatnya cakupan pelayanan kesehatan dasar yang bermutu, merata dan terjangkau bagi "
    "seluruh lapisan masyarakat di wilayah kerja puskesmas melalui penguatan jejaring "
    "fasilitas kesehatan tingkat pertama, pemberdayaan kader posyandu, dan integrasi data "
    "layanan antarprogram sehingga target Standar Pelayanan Minimal bidang kesehatan tercapai"
)
LONG_URL = "https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-kunjungan"
LONG_NAME = "Dr. H. Muhammad Ridwan Syahputra, S.E., M.Si."
UNIT_SERVICE = "Bidang Pelayanan Kesehatan"
UNIT_OFFICE = "Sekretariat"
ORG = "Dinas Kesehatan Kota Lhokseumawe"


def _employees() -> pd.DataFrame:
    rows = [
        (HEAD, "dr. Teuku Ahmad Fauzi, M.Kes.", "IV/c", "Kepala Dinas", UNIT_OFFICE, None),
        (KABID, LONG_NAME, "IV/a", "Kepala Bidang Pelayanan Kesehatan", UNIT_SERVICE, HEAD),
        (NURSE, "Cut Nyak Meutia Rahmawati, S.Kep., Ns.", "III/b", "Perawat Ahli Pertama",
         UNIT_SERVICE, KABID),
        (CLERK, "Rizki Maulana, A.Md.Kes.", "II/d", "Pengelola Data Kesehatan", UNIT_SERVICE, KABID),
        (PEER, "Fitri Handayani, S.K.M.", "III/a", "Epidemiolog Kesehatan Ahli Pertama",
         UNIT_SERVICE, KABID),
        (SECRETARY, "Nurul Hidayah, S.H.", "III/d", "Sekretaris", UNIT_OFFICE, HEAD),
        (ADMIN, "Zulfikar", "IX", "Pengadministrasi Perkantoran", UNIT_OFFICE, SECRETARY),
    ]
    frame = pd.DataFrame(rows, columns=["nip", "name", "rank", "position", "unit", "supervisor_nip"])
    frame["asn_type"] = np.where(frame["nip"] == ADMIN, "pppk", "pns")
    frame["active"] = True
    return frame


def _indicators() -> pd.DataFrame:
    # (code, nip, type, parent, rhk, aspect, indicator, uom, target, target_max, agg)
    rows = [
        ("H-1", HEAD, "main", "Meningkatnya derajat kesehatan masyarakat",
         "Terlaksananya program kesehatan kota", "quantity", "Jumlah program terlaksana",
         "program", 12, None, "sum"),
        ("K-1", KABID, "main", "Terlaksananya program kesehatan kota",
         "Meningkatnya mutu pelayanan kesehatan dasar", "quality",
         "Persentase puskesmas terakreditasi", "persen", 90, 100, "mean"),
        ("K-2", KABID, "main", "Terlaksananya program kesehatan kota",
         "Meningkatnya mutu pelayanan kesehatan dasar", "quantity",
         "Jumlah supervisi puskesmas", "kegiatan", 24, None, "sum"),
        ("N-1", NURSE, "main", "Meningkatnya mutu pelayanan kesehatan dasar", LONG_RHK,
         "quantity", "Jumlah kunjungan rumah pasien prioritas", "kunjungan", 120, None, "sum"),
        ("N-2", NURSE, "main", "Meningkatnya mutu pelayanan kesehatan dasar", LONG_RHK,
         "time", "Rata-rata waktu tunggu pelayanan", "menit", 30, None, "mean"),
        ("N-3", NURSE, "additional", "", "Menjadi narasumber penyuluhan kesehatan",
         "quantity", "Jumlah penyuluhan", "kali", 4, None, "sum"),
        ("C-1", CLERK, "main", "Meningkatnya mutu pelayanan kesehatan dasar",
         "Tersedianya data pelayanan kesehatan yang mutakhir", "quantity",
         "Jumlah laporan data bulanan", "laporan", 12, None, "sum"),
        ("P-1", PEER, "main", "Meningkatnya mutu pelayanan kesehatan dasar",
         "Terlaksananya surveilans penyakit menular", "quantity",
         "Jumlah laporan surveilans mingguan", "laporan", 52, None, "sum"),
        ("S-1", SECRETARY, "main", "Terlaksananya program kesehatan kota",
         "Terkelolanya administrasi umum dan keuangan", "quantity",
         "Jumlah laporan keuangan tepat waktu", "laporan", 12, None, "sum"),
        ("A-1", ADMIN, "main", "Terkelolanya administrasi umum dan keuangan",
         "Tertatanya arsip persuratan dinas", "quantity", "Jumlah surat diarsipkan", "surat",
         1200, None, "sum"),
    ]
    frame = pd.DataFrame(rows, columns=["iki_code", "nip", "rhk_type", "parent_rhk", "rhk", "aspect",
                                        "indicator", "unit_of_measure", "target", "target_max",
                                        "aggregation"])
    frame["direction"] = np.where(frame["iki_code"] == "N-2", "down", "up")
    frame["weight"] = np.nan
    frame["target"] = frame["target"].astype("float64")
    frame["target_max"] = frame["target_max"].astype("float64")
    return frame


MONTHLY = {  # realisation per month, Jan–Mar
    "H-1": (1, 1, 1), "K-1": (95, 96, 97), "K-2": (2, 2, 3), "N-1": (12, 11, 14),
    "N-2": (28, 27, 25), "N-3": (1, 0, 1), "C-1": (1, 1, 1), "P-1": (4, 4, 5),
    "S-1": (1, 1, 1), "A-1": (80, 85, 70),
}


def _realisations() -> pd.DataFrame:
    rows = []
    for code, values in MONTHLY.items():
        for month, value in enumerate(values, start=1):
            obstacle = plan = ""
            if code == "N-1" and month == 3:
                obstacle = "Dua perawat cuti melahirkan sehingga jadwal kunjungan tertunda"
                plan = "Kunjungan dialihkan ke kader posyandu terlatih pada April"
            if code == "N-1" and month == 2:
                obstacle = f"Bukti di {LONG_URL}"
            if code == "A-1" and month == 3:
                obstacle = "Aplikasi arsip elektronik gangguan selama sepekan"
            rows.append((code, month, float(value), np.nan, obstacle, plan))
    return pd.DataFrame(rows, columns=["iki_code", "month", "value", "period_target", "obstacle",
                                       "follow_up_plan"])


def _rating(month, nip, rater, role, score, feedback=""):
    return (month, nip, rater, role, *([score] * 7), feedback)


def _behaviours() -> pd.DataFrame:
    rows = [
        _rating(3, KABID, HEAD, "supervisor", 5, "Kepemimpinan supervisi puskesmas sangat baik"),
        _rating(3, NURSE, KABID, "supervisor", 5, "Sangat peduli pada pasien lansia"),
        _rating(3, NURSE, PEER, "peer", 4, "Selalu siap membantu rekan saat jaga malam"),
        _rating(3, NURSE, NURSE, "self", 4, "Catatan diri yang tidak dicetak"),
        _rating(3, CLERK, KABID, "supervisor", 3, "Laporan perlu lebih teliti"),
        _rating(3, PEER, KABID, "supervisor", 4),
        _rating(3, SECRETARY, HEAD, "supervisor", 4, "Administrasi tertib dan rapi"),
        _rating(3, ADMIN, SECRETARY, "supervisor", 2, "Sering terlambat mengarsipkan surat"),
    ]
    frame = pd.DataFrame(rows, columns=["month", "nip", "rater_nip", "role", "service", "accountable",
                                        "competent", "harmonious", "loyal", "adaptive",
                                        "collaborative", "feedback"])
    frame.loc[frame["nip"] == CLERK, "accountable"] = 2
    return frame


def _supervisor_ratings() -> pd.DataFrame:
    return pd.DataFrame({"period": ["2026-T1"], "nip": [HEAD], "work_rating": ["meets"],
                         "behaviour_rating": ["above"],
                         "note": ["Dinilai oleh Sekretaris Daerah"]})


def _surveys() -> pd.DataFrame:
    rows = []
    for i in range(12):
        answers = [3.0 + (i % 2)] * 9
        rows.append((f"r{i}", 1 + i % 3, UNIT_SERVICE, "Rawat Jalan", NURSE if i < 6 else None,
                     *answers))
    return pd.DataFrame(rows, columns=["response_id", "month", "service_unit", "service_type",
                                       "officer_nip", *[f"u{i}" for i in range(1, 10)]])


def agency_frames() -> tuple[scoring.Frames, scoring.Settings]:
    """The frames and settings of the hand-built agency (quarterly, org predikat Baik)."""
    frames = scoring.Frames(employees=_employees(), indicators=_indicators(),
                            realisations=_realisations(), behaviours=_behaviours(),
                            supervisor_ratings=_supervisor_ratings(), surveys=_surveys())
    settings = scoring.Settings(org_name=ORG, year=2026, period_type="quarterly",
                                org_predikat="good", min_responses_per_officer=5)
    return frames, settings
