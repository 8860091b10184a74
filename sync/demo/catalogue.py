"""The demo's catalogues: units, jobs, SKP indicators, names, feedback and survey wording.

Data only, so that `sync.demo.build` reads as the generator it is. Everything here is
what a Pemda in Aceh would recognise.

The jobs, grades and indicators are in `sync.demo.jobs`, the units and their services
in `sync.demo.units`, the personal names in `sync.demo.names`, re-exported here; this
module keeps the agency's name, the wording of feedback, suggestions and complaint
handling, and the numbers that shape how the demo's people perform and rate.
"""

from __future__ import annotations

import numpy as np

from sync.demo.jobs import AHLI, EXTRA, PNS_GRADES, PPPK_GRADES, PROFILES, S1, TERAMPIL, Iki  # noqa: F401
from sync.demo.names import NAMES  # noqa: F401
from sync.demo.units import CLINIC, HEADS, UNITS  # noqa: F401

DEFAULT_ORG_NAME = "Pemerintah Kota Lhokseumawe — Gabungan OPD Layanan"

FEEDBACK = {
    "praise": ("Pertahankan keramahan dan kecepatan pelayanan.",
               "Sangat membantu rekan kerja saat antrean padat.",
               "Inisiatif perbaikan layanan sangat baik, lanjutkan.",
               "Laporan selalu tepat waktu dan rapi."),
    "neutral": ("Kinerja sudah sesuai harapan, tingkatkan inisiatif.",
                "Perlu lebih aktif berbagi pengetahuan dengan rekan.",
                "Koordinasi dengan bidang lain dapat ditingkatkan."),
    "improve": ("Perlu meningkatkan kedisiplinan jam kerja.",
                "Tingkatkan ketelitian dalam verifikasi berkas.",
                "Perlu lebih terbuka menerima masukan dari rekan kerja.",
                "Sikap kepada pemohon layanan perlu lebih ramah."),
}
SUGGESTIONS = {
    "good": ("Petugas ramah, pertahankan.", "Terima kasih, pelayanan cepat.",
             "Pelayanan sudah bagus, semoga terus ditingkatkan.", "Mantap, prosesnya tidak berbelit."),
    "bad": ("Antrian lebih cepat.", "Mohon ruang tunggu diberi pendingin udara.",
            "Informasi persyaratan sebaiknya ditempel di depan loket.", "Tambah loket pada hari Senin.",
            "Layanan online sering gangguan.", "Parkir kurang luas.",
            "Sediakan kursi roda untuk lansia.",
            "Mohon jam istirahat petugas bergantian agar loket tetap buka."),
}
COMPLAINT_ACTIONS = (
    "Petugas diberi teguran lisan dan pembinaan.", "Pemohon dihubungi; berkas diproses ulang hari itu.",
    "Antrian ditata ulang, nomor antrean dipasang.", "Persyaratan ditempel di depan loket.",
    "Petugas pengganti disiapkan pada jam istirahat.", "Gangguan aplikasi dilaporkan ke Diskominfo.",
    "Pemohon diminta maaf dan dilayani kepala seksi.",
)
"""What the demo's supervisors wrote in Tindakan of a complaint."""
COMPLAINT_HANDLERS = ("Kepala Seksi Pelayanan", "Kepala Bidang", "Sekretaris", "Kepala UPT")
"""Who handled it (Ditangani Oleh)."""
TIERS = np.array([0.15, 0.70, 0.10, 0.05])  # star, good, weak, poor
SKILL = np.array([1.2, 1.0, 0.80, 0.97])  # work results relative to target
MOOD = np.array([4.9, 4.05, 3.9, 3.05])  # mean BerAKHLAK score
ROLES = np.array(["Atasan", "Rekan Kerja", "Bawahan", "Diri Sendiri"], dtype=object)
VALUES = ("service", "accountable", "competent", "harmonious", "loyal", "adaptive", "collaborative")
DRIVE = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
