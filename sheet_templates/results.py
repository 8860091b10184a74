"""The output tabs (written by the service) and the Indonesian words for scoring codes."""

from __future__ import annotations

from .schema import BERAKHLAK, RATING, SKM_ITEMS, Column, Tab

C = Column  # output columns reuse Column: label, internal name, display type, width


VALIDATION = Tab(
    label="Validasi",
    name="validation",
    kind="output",
    description="Daftar masalah pada data, dengan sel dan cara memperbaikinya. Ditulis oleh Kinerja.",
    columns=(
        C("Tingkat", "level", width=12),
        C("Tab", "tab", width=18),
        C("Baris", "row", "int", width=8),
        C("Kolom", "column", width=24),
        C("Sel", "cell", width=8),
        C("Nilai", "value", width=24),
        C("Masalah", "problem", width=60),
        C("Cara Memperbaiki", "fix", width=60),
    ),
)

RESULTS = Tab(
    label="Hasil",
    name="results",
    kind="output",
    description="Hasil penilaian: satu baris per pegawai per periode. Ditulis oleh Kinerja.",
    columns=(
        C("Periode", "period", width=10),
        C("NIP", "nip", width=21),
        C("Nama", "name", width=28),
        C("Unit Kerja", "unit", width=30),
        C("Jabatan", "position", width=28),
        C("Capaian Hasil Kerja (%)", "work_achievement", "number", width=13),
        C("Rating Hasil Kerja", "work_rating", width=20),
        C("Nilai Perilaku", "behaviour_score", "number", width=10),
        C("Rating Perilaku Kerja", "behaviour_rating", width=20),
        C("Sumber Rating", "rating_source", width=11),
        C("IKM", "ikm", "number", width=9),
        C("Mutu Layanan", "ikm_quality", width=9),
        C("Nilai Kinerja", "performance_score", "number", width=10),
        C("Predikat Kinerja", "predikat", width=18),
        C("Peringkat Unit", "unit_rank", "int", width=10),
        C("Peringkat Instansi", "agency_rank", "int", width=10),
        C("Perubahan Peringkat", "rank_change", width=11),
        C("Tindak Lanjut", "follow_up", width=40),
        C("Status", "status", width=40),
    ),
)

RANKINGS = Tab(
    label="Peringkat",
    name="rankings",
    kind="output",
    description="Peringkat pegawai per unit dan periode; Pegawai Terbaik ditandai. Ditulis oleh Kinerja.",
    columns=(
        C("Periode", "period", width=10),
        C("Unit Kerja", "unit", width=30),
        C("Peringkat", "unit_rank", "int", width=10),
        C("NIP", "nip", width=21),
        C("Nama", "name", width=28),
        C("Jabatan", "position", width=28),
        C("Predikat Kinerja", "predikat", width=18),
        C("Nilai Kinerja", "performance_score", "number", width=10),
        C("Capaian Hasil Kerja (%)", "work_achievement", "number", width=13),
        C("Pegawai Terbaik", "best_employee", width=16),
    ),
)

PREDIKAT = (
    ("very_good", "Sangat Baik"),
    ("good", "Baik"),
    ("needs_improvement", "Butuh Perbaikan"),
    ("poor", "Kurang/Misconduct"),
    ("very_poor", "Sangat Kurang"),
)

UNIT_SUMMARY = Tab(
    label="Rekap Unit",
    name="unit_summary",
    kind="output",
    description="Rekap per unit kerja dan periode, termasuk sebaran predikat. Ditulis oleh Kinerja.",
    columns=(
        C("Periode", "period", width=10),
        C("Unit Kerja", "unit", width=32),
        C("Jumlah Pegawai", "employees", "int", width=10),
        C("Dinilai", "scored", "int", width=9),
        C("Rata-rata Nilai Kinerja", "mean_score", "number", width=12),
        *(C(label, f"count_{code}", "int", width=11) for code, label in PREDIKAT),
        C("IKM", "ikm", "number", width=9),
        C("Mutu Layanan", "ikm_quality", width=9),
        C("Sebaran Predikat", "distribution", width=14),
        C("Catatan Sebaran", "breaches", width=60),
    ),
)

IKM = Tab(
    label="IKM",
    name="ikm",
    kind="output",
    description="Indeks Kepuasan Masyarakat per unit layanan (PermenPANRB 14/2017). Ditulis oleh Kinerja.",
    columns=(
        C("Cakupan", "scope", width=16),
        C("Periode", "period", width=10),
        C("Unit Layanan", "service_unit", width=32),
        C("Responden", "respondents", "int", width=10),
        C("Populasi", "population", "int", width=10),
        C("Sampel Minimum", "min_sample", "int", width=10),
        C("Sampel Memadai", "adequate", width=10),
        *(C(f"NRR {label.split(' ', 1)[0]}", f"nrr_{name}", "number", width=8)
          for label, name in SKM_ITEMS),
        C("IKM", "ikm", "number", width=9),
        C("Mutu", "quality", width=7),
        C("Kinerja Unit", "unit_performance", width=14),
    ),
)

OUTPUT_TABS: tuple[Tab, ...] = (RESULTS, RANKINGS, UNIT_SUMMARY, IKM, VALIDATION)
OUTPUT_TAB_COLOR = "808080"  # grey sheet tabs mark what Kinerja writes, in the template and after a run

# --- words for scoring codes -------------------------------------------------

PREDIKAT_LABELS = dict(PREDIKAT)
RATING_LABELS = {c.code: c.label for c in RATING}
RATING_SOURCE_LABELS = {"supervisor": "Atasan", "auto": "Otomatis"}
UNIT_PERFORMANCE_LABELS = {
    "very_good": "Sangat Baik", "good": "Baik", "fair": "Kurang Baik", "poor": "Tidak Baik"
}
IKM_SCOPE_LABELS = {"period": "Periode", "ytd": "Tahun berjalan"}
VALUE_LABELS = dict((name, label) for label, name in BERAKHLAK)
STATUS_COMPLETE = "Lengkap"
STATUS_INCOMPLETE = "Belum Lengkap"
REASON_LABELS = {
    "no_indicators": "SKP belum diisi",
    "no_realisation": "realisasi periode ini belum diisi",
    "missing_realisation": "sebagian IKI utama belum ada realisasinya",
    "no_supervisor_rating": "atasan belum menilai",
    "rows_rejected": "data ditolak, lihat tab Validasi",
}
FOLLOW_UP_LABELS = {
    "award": "Penghargaan",
    "coaching": "Pembinaan",
    "intensive_coaching": "Pembinaan intensif",
    "service_coaching": "Pembinaan pelayanan",
    "training": "Pelatihan",
}
BEST_EMPLOYEE_LABEL = "Pegawai Terbaik"
AGENCY_ROW_LABEL = "Seluruh Instansi"
DISTRIBUTION_LABELS = {True: "Sesuai", False: "Tidak Sesuai", None: "-"}
YES_NO_LABELS = {True: "Ya", False: "Tidak", None: ""}
LEVEL_ERROR = "Galat"
LEVEL_WARNING = "Peringatan"
