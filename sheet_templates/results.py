"""The output tabs (written by the service) and the Indonesian words for scoring codes."""

from __future__ import annotations

from .schema import BERAKHLAK, FUNCTIONAL_GRADES, RATING, SKM_ITEMS, Column, Tab

C = Column  # output columns reuse Column: label, internal name, display type, width

WORK_ACHIEVEMENT_LABEL = "Capaian Hasil Kerja s.d. Periode (%)"  # cumulative from January


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
        C("Masalah", "problem", width=48),
        C("Cara Memperbaiki", "fix", width=48),
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
        C("Nama", "name", width=22),
        C("Unit Kerja", "unit", width=20),
        C("Jabatan", "position", width=22),
        C(WORK_ACHIEVEMENT_LABEL, "work_achievement", "number", width=13),
        C("Rating Hasil Kerja", "work_rating", width=12),
        C("Nilai Perilaku", "behaviour_score", "number", width=10),
        C("Rating Perilaku Kerja", "behaviour_rating", width=12),
        C("Sumber Rating", "rating_source", width=11),
        C("IKM", "ikm", "number", width=9),
        C("Mutu Layanan", "ikm_quality", width=9),
        C("Pengaduan", "complaints", "int", width=10,
          note="Pengaduan warga pada periode ini yang menyebut pegawai ini sebagai petugas (tab Pengaduan)."),
        C("Pengaduan Terlambat", "complaints_overdue", "int", width=11,
          note="Dari pengaduan itu, yang tidak selesai sampai Batas Waktu."),
        C("Nilai Kinerja", "performance_score", "number", width=10),
        C("Komponen Nilai", "components", width=13,
          note="Bagian yang membentuk Nilai Kinerja pegawai ini: Hasil Kerja, Perilaku, IKM."),
        C("Predikat Kinerja", "predikat", width=11),
        C("Peringkat Unit", "unit_rank", "int", width=10),
        C("Peringkat Instansi", "agency_rank", "int", width=10),
        C("Perubahan Peringkat", "rank_change", width=11),
        C("Kehadiran (%)", "attendance_pct", "number", width=10,
          note="Dari tab Kehadiran, sejak Januari: (Hari Kerja − Tanpa Keterangan) ÷ Hari Kerja."),
        C("Tindak Lanjut", "follow_up", width=26),
        C("Status", "status", width=26),
    ),
)

CAPAIAN_IKI = Tab(
    label="Capaian IKI",
    name="indicator_scores",
    kind="output",
    description="Angka di balik Rating Hasil Kerja: satu baris per pegawai, IKI dan periode, "
    "dengan target dan realisasi kumulatif sejak Januari. Ditulis oleh Kinerja.",
    columns=(
        C("Periode", "period", width=10),
        C("NIP", "nip", width=21),
        C("Nama", "name", width=22),
        C("Unit Kerja", "unit", width=20),
        C("Kode IKI", "iki_code", width=12),
        C("Jenis RHK", "rhk_type", width=10),
        C("Rencana Hasil Kerja", "rhk", width=30),
        C("Indikator Kinerja Individu", "indicator", width=30),
        C("Aspek", "aspect", width=10),
        C("Arah", "direction", width=7),
        C("Target s.d. Periode", "target", "number", width=12),
        C("Realisasi s.d. Periode", "realisation", "number", width=12),
        C("Capaian (%)", "capaian", "number", width=11),
        C("Kendala", "obstacle", width=24),
        C("Rencana Tindak Lanjut", "follow_up_plan", width=24),
        C("Status", "status", width=24),
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
        C(WORK_ACHIEVEMENT_LABEL, "work_achievement", "number", width=13),
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

COMPLAINT_SUMMARY = (
    C("Pengaduan", "complaints", "int", width=10,
      note="Pengaduan warga pada periode ini ke unit layanan yang bernama sama dengan unit kerja ini."),
    C("Belum Selesai", "complaints_open", "int", width=9, note="Pengaduan yang Statusnya belum Selesai."),
    C("Terlambat", "complaints_overdue", "int", width=10,
      note="Pengaduan yang tidak selesai sampai Batas Waktu (yang masih terbuka dan yang selesai "
           "terlambat)."),
    C("Median Hari Selesai", "complaints_median_days", "number", width=10,
      note="Median hari kalender dari pengaduan masuk sampai Tanggal Selesai."),
)
"""Rekap Unit's complaint figures per unit and agency (tab Pengaduan); empty for a unit that serves no one."""

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
        *COMPLAINT_SUMMARY,
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

TPP = Tab(
    label="TPP",
    name="tpp",
    kind="output",
    description="Tambahan Penghasilan Pegawai per pegawai per bulan: porsi kinerja dari capaian atau "
    "predikat, porsi disiplin dikurangi potongan kehadiran (tab Kehadiran), menurut kunci TPP di tab "
    "Pengaturan. Hanya pegawai yang punya besaran TPP (tab Tabel TPP atau kolom Besaran TPP (Rp) di tab "
    "Pegawai). Angkanya sebelum pajak (PPh 21) dan iuran BPJS, yang dihitung bagian gaji sesudahnya. "
    "Ditulis oleh Kinerja bila ada besaran TPP.",
    columns=(
        C("Periode", "period", width=10),
        C("NIP", "nip", width=21),
        C("Nama", "name", width=24),
        C("Unit Kerja", "unit", width=22),
        C("Kelas Jabatan", "job_class", "int", width=8),
        C("Besaran TPP (Rp)", "amount", "int", width=13),
        C("Dasar Kinerja", "performance_basis", width=18,
          note="Capaian Hasil Kerja (paling tinggi dibayar 100%) atau predikat, sesuai Dasar TPP Kinerja."),
        C("TPP Kinerja (Rp)", "performance_pay", "int", width=13),
        C("Potongan Disiplin (%)", "deduction_pct", "number", width=10),
        C("Rincian Potongan", "deduction_detail", width=30),
        C("TPP Disiplin (Rp)", "discipline_pay", "int", width=13),
        C("TPP Diterima (Rp)", "total_pay", "int", width=13),
        C("Status", "status", width=26),
    ),
)

ANGKA_KREDIT = Tab(
    label="Angka Kredit",
    name="credit",
    kind="output",
    description="Angka kredit pegawai jabatan fungsional (PermenPANRB 1/2023, PerBKN 3/2023): bulan "
    "dalam periode ÷ 12 × persentase predikat × koefisien tahunan jenjangnya; kumulatif sejak awal "
    "tahun. Ditulis oleh Kinerja bila ada pegawai dengan Jenjang Jabatan Fungsional.",
    columns=(
        C("Periode", "period", width=10),
        C("NIP", "nip", width=21),
        C("Nama", "name", width=24),
        C("Jenjang", "grade", width=13),
        C("Koefisien", "coefficient", "number", width=9),
        C("Predikat Kinerja", "predikat", width=12),
        C("Persentase", "percentage", "number", width=10),
        C("Angka Kredit Periode", "credit", "number", width=10),
        C("Angka Kredit Kumulatif", "credit_cumulative", "number", width=10),
    ),
)

OUTPUT_TABS: tuple[Tab, ...] = (RESULTS, CAPAIAN_IKI, RANKINGS, UNIT_SUMMARY, IKM, TPP, ANGKA_KREDIT,
                                VALIDATION)
FILTERED_TABS = frozenset({RESULTS.name, CAPAIAN_IKI.name, RANKINGS.name, VALIDATION.name, TPP.name,
                           ANGKA_KREDIT.name})
"""Output tabs with a row per employee (or per problem): an AutoFilter on their header row."""

WRAPPED_COLUMNS = frozenset({
    "name", "unit", "position", "work_rating", "behaviour_rating", "components", "predikat",
    "follow_up", "status", "rhk", "indicator", "obstacle", "follow_up_plan", "service_unit",
    "breaches", "problem", "fix", "value", "column", "unit_performance", "best_employee",
    "performance_basis", "deduction_detail",
})
"""Text columns whose cells wrap inside the column (the row grows) instead of running over."""

GROUPED_COLUMNS = frozenset({"respondents", "population", "min_sample", "employees", "target",
                             "realisation", "amount", "performance_pay", "discipline_pay",
                             "total_pay", "tpp_total"})
"""Whole numbers shown with thousands separators (32.404 in an Indonesian-locale sheet)."""

PREDIKAT_COLORS = {
    "very_good": "1B5E20",  # dark green
    "good": "66BB6A",  # green
    "needs_improvement": "FBC02D",  # yellow
    "poor": "FB8C00",  # orange
    "very_poor": "D32F2F",  # red
}
"""One colour per predikat in every chart (agency tabs, Google Sheets, the Pemda recap)."""

IKM_AXIS = (25.0, 100.0)  # the IKM scale of PermenPANRB 14/2017: every IKM chart shows all of it
IKM_BAND_EDGES = (
    ("Batas Mutu C (65,00)", 65.0, "D32F2F"),
    ("Batas Mutu B (76,61)", 76.61, "FB8C00"),
    ("Batas Mutu A (88,31)", 88.31, "1B5E20"),
)
"""The lowest IKM of mutu C, B and A, drawn as lines on the IKM chart, with their colours."""
IKM_BAR_COLOR = "4472C4"
TREND_TITLE = "Tren Rata-rata Nilai Kinerja per Unit"
TREND_AXIS = "Rata-rata Nilai Kinerja"
TREND_AXIS_RANGE = (50.0, 120.0)  # fixed, so that two runs and two units compare at one scale
AGENCY_LINE_COLOR = "404040"  # the whole agency's line on the trend chart, dark grey

PRINT_FOOTER = "&LDicetak &D &T&RHalaman &P dari &N"
"""The printed page footer (Excel codes): the print date and time, "Halaman 3 dari 12"."""


def print_header(org_name: str = "", period: str = "") -> str:
    """The printed page header (Excel codes): the agency left in bold, the tab's name (&A)
    centred, the period right; an & in the agency's name is doubled so it prints as one.

    Examples:
        >>> print_header("Dinas A & B", "Periode 2026-03")
        '&L&"-,Bold"Dinas A && B&C&"-,Bold"&A&RPeriode 2026-03'
    """
    left = '&L&"-,Bold"' + org_name.replace("&", "&&") if org_name else ""
    right = "&R" + period.replace("&", "&&") if period else ""
    return f'{left}&C&"-,Bold"&A{right}'


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
COMPONENT_LABELS = {"work": "Hasil Kerja", "behaviour": "Perilaku", "ikm": "IKM"}
INDICATOR_STATUS_LABELS = {
    "complete": "Lengkap",
    "no_realisation": "Belum ada realisasi s.d. periode ini",
    "invalid_target": "Target s.d. periode tidak lebih dari 0: capaian tidak dihitung",
    "missing_month": "realisasi {months} belum ada (capaian memakai data bulan sebelumnya)",
    "rejected_month": "realisasi {months} ditolak, lihat tab Validasi",
    "rejected": "data ditolak, lihat tab Validasi",
}
"""Status of one Capaian IKI row; {months} names the months concerned (Februari, Maret)."""
RHK_TYPE_LABELS = {"main": "Utama", "additional": "Tambahan"}
REASON_LABELS = {
    "no_indicators": "SKP belum diisi",
    "no_realisation": "realisasi periode ini belum diisi",
    "missing_realisation": "sebagian IKI utama belum ada realisasinya",
    "no_supervisor_rating": "atasan belum menilai",
    "rows_rejected": "data ditolak, lihat tab Validasi",
    "missing_month": "realisasi bulan sebelumnya belum lengkap",
}
REASON_REJECTED_CELLS = "data ditolak"
SEE_VALIDATION = "lihat Validasi"
REASON_MISSING_MONTHS = "realisasi {months} belum ada (capaian memakai data bulan sebelumnya)"
MONTH_NAMES = {1: "Januari", 2: "Februari", 3: "Maret", 4: "April", 5: "Mei", 6: "Juni", 7: "Juli",
               8: "Agustus", 9: "September", 10: "Oktober", 11: "November", 12: "Desember"}
FOLLOW_UP_LABELS = {
    "award": "Penghargaan",
    "coaching": "Pembinaan",
    "intensive_coaching": "Pembinaan intensif",
    "service_coaching": "Pembinaan pelayanan",
    "complaints": "Pembinaan Pelayanan",  # with COMPLAINT_COUNT: "Pembinaan Pelayanan: 3 pengaduan"
    "training": "Pelatihan",
}
COMPLAINT_COUNT = "{count} pengaduan"
"""The reason of the complaints follow-up: an officer's complaints in the period (issue 16)."""
COMPLAINT_COUNT_LOW_IKM = "{count} pengaduan, IKM petugas mutu C/D"
"""... when the officer's own IKM asks for Pembinaan pelayanan too: one follow-up, both reasons."""
BEST_EMPLOYEE_LABEL = "Pegawai Terbaik"
AGENCY_ROW_LABEL = "Seluruh Instansi"
DISTRIBUTION_LABELS = {True: "Sesuai", False: "Tidak Sesuai", None: "-"}
YES_NO_LABELS = {True: "Ya", False: "Tidak", None: ""}
LEVEL_ERROR = "Galat"
LEVEL_WARNING = "Peringatan"

# --- words of the TPP and Angka Kredit tabs and the discipline follow-up (issue 15) -------------

DISCIPLINE_FOLLOW_UP = "Pembinaan Disiplin ({days} hari tanpa keterangan: {sanction} menurut PP 94/2021)"
"""Tindak Lanjut when the year's days Tanpa Keterangan reach a rung of PP 94/2021 (a proposal for
the Pejabat Pembina; the service does not punish)."""
TPP_BASIS_CAPAIAN = "Capaian {capaian}%"
TPP_BASIS_CAPPED = "Capaian {capaian}% (dibayar {paid}%)"
TPP_BASIS_PREDIKAT = "{predikat} ({pct}%)"
TPP_NO_DEDUCTION = "Tanpa potongan"
TPP_STATUS_LABELS = {
    "no_attendance": "kehadiran belum diisi",
    "rejected_attendance": "kehadiran ditolak, lihat tab Validasi",
    "no_capaian": "Capaian Hasil Kerja belum ada",
    "no_predikat": "Predikat Kinerja belum ada",
}
"""Reasons in the `Status` of a TPP row (after "Belum Lengkap: ")."""
GRADE_LABELS = {c.code: c.label for c in FUNCTIONAL_GRADES}
DISCIPLINE_LEVEL_LABELS = {"light": "Ringan", "moderate": "Sedang", "severe": "Berat"}
"""PP 94/2021 levels of hukuman disiplin."""
