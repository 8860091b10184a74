"""The workbook contract: every tab, column, label, type, dropdown and default.

This is the only place where a tab or column label is spelled. The template
builder, the readers, validation and the result writers are all driven by it,
so renaming a column here renames it everywhere. Labels are Indonesian (what a
clerk sees); `name` is the internal English snake_case name used by `scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

ColumnType = Literal[
    "text", "nip", "code", "number", "int", "month", "period", "datetime", "date", "choice", "url", "bool"
]


@dataclass(frozen=True)
class Choice:
    """One allowed value of a dropdown: the label a clerk picks and its internal code."""

    label: str
    code: Any
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """One column (or one Pengaturan key) of the contract."""

    label: str
    name: str
    type: ColumnType = "text"
    required: bool = False
    choices: tuple[Choice, ...] = ()
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    unique: bool = False
    note: str = ""  # Indonesian hint, shown in Petunjuk and as the header's comment
    width: float = 16.0
    blocking: bool = True  # False: a bad value is a Peringatan, dropped, and the row is still scored

    @property
    def labels(self) -> tuple[str, ...]:
        """The dropdown labels, in order."""
        return tuple(c.label for c in self.choices)


@dataclass(frozen=True)
class Tab:
    """One tab of the workbook."""

    label: str
    name: str
    kind: Literal["input", "output", "settings", "guide", "shared"]  # shared: both sides write (Pengaduan)
    columns: tuple[Column, ...] = ()
    required: bool = True
    description: str = ""
    key: tuple[str, ...] = ()  # internal names whose combination is unique

    def column(self, name: str) -> Column:
        """The column with internal name `name`."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _choices(*pairs: tuple[str, Any], aliases: dict[str, tuple[str, ...]] | None = None):
    aliases = aliases or {}
    return tuple(Choice(label, code, aliases.get(label, ())) for label, code in pairs)


RATING = _choices(
    ("Di Atas Ekspektasi", "above"),
    ("Sesuai Ekspektasi", "meets"),
    ("Di Bawah Ekspektasi", "below"),
    aliases={
        "Di Atas Ekspektasi": ("Diatas Ekspektasi", "Atas"),
        "Sesuai Ekspektasi": ("Sesuai",),
        "Di Bawah Ekspektasi": ("Dibawah Ekspektasi", "Bawah"),
    },
)
YES_NO = _choices(("Ya", True), ("Tidak", False), aliases={"Ya": ("Y", "Aktif"), "Tidak": ("T",)})

BERAKHLAK = (
    ("Berorientasi Pelayanan", "service"),
    ("Akuntabel", "accountable"),
    ("Kompeten", "competent"),
    ("Harmonis", "harmonious"),
    ("Loyal", "loyal"),
    ("Adaptif", "adaptive"),
    ("Kolaboratif", "collaborative"),
)

SKM_ITEMS = (
    ("U1 Persyaratan", "u1"),
    ("U2 Prosedur", "u2"),
    ("U3 Waktu Penyelesaian", "u3"),
    ("U4 Biaya/Tarif", "u4"),
    ("U5 Produk Layanan", "u5"),
    ("U6 Kompetensi Pelaksana", "u6"),
    ("U7 Perilaku Pelaksana", "u7"),
    ("U8 Sarana dan Prasarana", "u8"),
    ("U9 Penanganan Pengaduan", "u9"),
)

PERIOD_TYPES = _choices(
    ("Bulanan", "monthly"), ("Triwulanan", "quarterly"), ("Semesteran", "semester"), ("Tahunan", "annual")
)
ORG_PREDIKAT = _choices(
    ("Istimewa", "outstanding"),
    ("Baik", "good"),
    ("Butuh Perbaikan", "needs_improvement", ),
    ("Kurang", "poor"),
    ("Sangat Kurang", "very_poor"),
    aliases={"Butuh Perbaikan": ("Cukup",)},
)


def _pct(label: str, name: str, default, note: str = "") -> Column:
    """A TPP percentage key of Pengaturan: 0–100, in percent (0,5 is half a percent)."""
    return Column(label, name, "number", default=default, minimum=0, maximum=100, note=note)


TPP_BASES = _choices(("Capaian Hasil Kerja", "capaian"), ("Predikat Kinerja", "predikat"),
                     aliases={"Capaian Hasil Kerja": ("Capaian",), "Predikat Kinerja": ("Predikat",)})
DEDUCTION_BASES = _choices(("Porsi Disiplin", "discipline_part"), ("Total TPP", "total"),
                           aliases={"Total TPP": ("Total",)})
TPP_SETTINGS = (
    # Tambahan Penghasilan Pegawai (issue 15, domain.md §5); every internal name is the field of
    # scoring.tpp.TppSettings with a "tpp_" prefix. Defaults: Perkada commonly seen, some UNCONFIRMED.
    _pct("Porsi TPP Kinerja (%)", "tpp_performance_share", 60,
         "Bagian TPP yang dibayar menurut kinerja."),
    _pct("Porsi TPP Disiplin (%)", "tpp_discipline_share", 40,
         "Bagian TPP yang dibayar menurut disiplin (kehadiran); kedua porsi berjumlah 100."),
    Column("Dasar TPP Kinerja", "tpp_performance_basis", "choice", choices=TPP_BASES,
           default="capaian",
           note="Capaian Hasil Kerja: porsi kinerja × capaian (paling tinggi 100%). Predikat "
                "Kinerja: porsi kinerja × persentase predikat di bawah ini."),
    _pct("TPP Kinerja Sangat Baik (%)", "tpp_predikat_pct_very_good", 100),
    _pct("TPP Kinerja Baik (%)", "tpp_predikat_pct_good", 100),
    _pct("TPP Kinerja Butuh Perbaikan (%)", "tpp_predikat_pct_needs_improvement", 80),
    _pct("TPP Kinerja Kurang (%)", "tpp_predikat_pct_poor", 60),
    _pct("TPP Kinerja Sangat Kurang (%)", "tpp_predikat_pct_very_poor", 40),
    *(_pct(f"Potongan {kind}{i} (%)", f"tpp_rate_{kind.lower()}{i}", rate,
           f"Potongan per kejadian {'terlambat masuk' if kind == 'TL' else 'pulang sebelum waktunya'} "
           f"{minutes}.")
      for kind in ("TL", "PSW")
      for i, rate, minutes in ((1, 0.5, "1–30 menit"), (2, 1, "31–60 menit"), (3, 1.25, "61–90 menit"),
                               (4, 1.5, "lebih dari 90 menit atau tidak absen"))),
    _pct("Potongan Tanpa Keterangan per Hari (%)", "tpp_rate_absent_no_reason", 3),
    _pct("Potongan Tidak Apel (%)", "tpp_rate_no_apel", 2, "Per apel/upacara yang tidak diikuti."),
    Column("Potongan Dihitung dari", "tpp_deduction_base", "choice", choices=DEDUCTION_BASES,
           default="discipline_part",
           note="Porsi Disiplin: potongan mengurangi porsi disiplin saja. Total TPP: potongan "
                "dihitung dari seluruh besaran TPP."),
    _pct("Batas Potongan Disiplin (%)", "tpp_deduction_cap", 100,
         "Jumlah potongan sebulan paling banyak sebesar ini."),
)

SETTINGS = Tab(
    label="Pengaturan",
    name="settings",
    kind="settings",
    description="Pengaturan penilaian instansi: satu baris per kunci. Kolom Kunci jangan diubah; "
    "isi atau ubah kolom Nilai saja.",
    columns=(
        Column("Nama Instansi", "org_name", required=True, note="Nama OPD, misalnya Dinas Kesehatan."),
        Column("Tahun Penilaian", "year", "int", required=True, minimum=2000, maximum=2100,
               note="Tahun yang dinilai, misalnya 2026."),
        Column("Periode Evaluasi", "period_type", "choice", choices=PERIOD_TYPES, default="monthly",
               note="Seberapa sering kinerja dievaluasi."),
        Column("Predikat Kinerja Organisasi", "org_predikat", "choice", choices=ORG_PREDIKAT,
               note="Opsional. Jika diisi, sebaran predikat pegawai diperiksa (SE MenPANRB 03/2023)."),
        Column("Bobot Hasil Kerja (%)", "weight_work", "number", default=60, minimum=0, maximum=100),
        Column("Bobot Perilaku Kerja (%)", "weight_behaviour", "number", default=30, minimum=0, maximum=100),
        Column("Bobot Kepuasan Masyarakat (%)", "weight_satisfaction", "number", default=10,
               minimum=0, maximum=100, note="Ketiga bobot harus berjumlah 100."),
        Column("Ambang Hasil Kerja Di Atas Ekspektasi (%)", "work_above", "number", default=110,
               minimum=0),
        Column("Ambang Hasil Kerja Sesuai Ekspektasi (%)", "work_meets", "number", default=90, minimum=0),
        Column("Ambang Perilaku Di Atas Ekspektasi", "behaviour_above", "number", default=4.5,
               minimum=1, maximum=5),
        Column("Ambang Perilaku Sesuai Ekspektasi", "behaviour_meets", "number", default=3.5,
               minimum=1, maximum=5),
        Column("Batas Capaian Maksimum (%)", "capaian_cap", "number", default=120, minimum=100),
        Column("Metode Rating Hasil Kerja", "work_rating_method", "choice", default="majority",
               choices=_choices(("Mayoritas Indikator", "majority"), ("Rata-rata Capaian", "mean"))),
        Column("Bobot Penilai Atasan (%)", "rater_weight_supervisor", "number", default=50,
               minimum=0, maximum=100),
        Column("Bobot Penilai Rekan Kerja (%)", "rater_weight_peer", "number", default=30,
               minimum=0, maximum=100),
        Column("Bobot Penilai Bawahan (%)", "rater_weight_subordinate", "number", default=20,
               minimum=0, maximum=100),
        Column("Minimal Responden per Petugas", "min_responses_per_officer", "int", default=5, minimum=1),
        Column("Ambang Pengaduan", "complaint_threshold", "int", default=1, minimum=1, maximum=3,
               note="Jawaban survei dengan unsur bernilai sama atau di bawah ambang ini menjadi pengaduan."),
        Column("Batas Hari Tindak Lanjut Pengaduan", "complaint_deadline_days", "int", default=5, minimum=1,
               maximum=60, note="Hari kerja (Senin–Jumat) sejak pengaduan masuk sampai harus selesai."),
        Column("Batas Pengaduan Berulang per Petugas", "complaint_repeat_threshold", "int", default=3,
               minimum=1, note="Petugas dengan pengaduan sebanyak ini dalam satu periode mendapat "
                               "Pembinaan Pelayanan."),
        Column("Tempat Penandatanganan", "signing_place",
               note="Kota tempat dokumen evaluasi ditandatangani, misalnya Lhokseumawe."),
        Column("Bobot Unsur IKM", "ikm_item_weight", "choice", default=Fraction(1, 9),
               choices=_choices(("1/9", Fraction(1, 9)), ("0,111", Fraction(111, 1000)),
                                aliases={"0,111": ("0.111",)})),
        *TPP_SETTINGS,
        Column("Jam Masuk", "office_start", default="07:30",
               note="Jam masuk kantor (JJ:MM), untuk menghitung TL1–TL4 saat mengimpor data mesin "
                    "absen dengan `kinerja kehadiran import`."),
        Column("Jam Pulang", "office_end", default="16:00",
               note="Jam pulang kantor (JJ:MM), untuk menghitung PSW1–PSW4 saat mengimpor data "
                    "mesin absen."),
    ),
)
SETTINGS_KEY_LABEL = "Kunci"
SETTINGS_VALUE_LABEL = "Nilai"
SETTINGS_NOTE_LABEL = "Keterangan"

GUIDE = Tab(
    label="Petunjuk",
    name="guide",
    kind="guide",
    description="Petunjuk pengisian workbook ini. Tab ini tidak dibaca oleh Kinerja.",
)

FUNCTIONAL_GRADES = _choices(
    ("Pemula", "pemula"), ("Terampil", "terampil"), ("Mahir", "mahir"), ("Penyelia", "penyelia"),
    ("Ahli Pertama", "ahli_pertama"), ("Ahli Muda", "ahli_muda"), ("Ahli Madya", "ahli_madya"),
    ("Ahli Utama", "ahli_utama"),
    aliases={"Ahli Pertama": ("Pertama",), "Ahli Muda": ("Muda",), "Ahli Madya": ("Madya",),
             "Ahli Utama": ("Utama",)},
)
"""Jenjang Jabatan Fungsional; the codes are scoring.credit.GRADES."""

EMPLOYEES = Tab(
    label="Pegawai",
    name="employees",
    kind="input",
    key=("nip",),
    description="Daftar pegawai yang dinilai, satu baris per pegawai.",
    columns=(
        Column("NIP", "nip", "nip", required=True, unique=True, width=22,
               note="18 angka tanpa spasi. Format kolom sebagai Teks agar Excel tidak membulatkannya."),
        Column("Nama", "name", required=True, width=28),
        Column("Jenis ASN", "asn_type", "choice", required=True,
               choices=_choices(("PNS", "pns"), ("PPPK", "pppk"))),
        Column("Pangkat/Golongan", "rank", note="PNS: I/a sampai IV/e. PPPK: I sampai XVII."),
        Column("Jabatan", "position", width=28),
        Column("Unit Kerja", "unit", required=True, width=30),
        Column("NIP Atasan", "supervisor_nip", "nip", width=22,
               note="NIP atasan langsung; harus ada di tab ini. Kosongkan untuk kepala instansi."),
        Column("Aktif", "active", "choice", choices=YES_NO, default=True),
        Column("Kelas Jabatan", "job_class", "int", minimum=1, maximum=17, width=10,
               note="Opsional: kelas jabatan 1–17; besaran TPP-nya diambil dari tab Tabel TPP."),
        Column("Besaran TPP (Rp)", "tpp_amount", "number", minimum=0, width=16,
               note="Opsional: besaran TPP pegawai ini bila berbeda dari Tabel TPP (Plt., "
                    "bendahara, tambahan kondisi kerja); menggantikan besaran kelas jabatannya."),
        Column("Jenjang Jabatan Fungsional", "functional_grade", "choice", choices=FUNCTIONAL_GRADES,
               width=18, note="Hanya untuk jabatan fungsional (untuk tab Angka Kredit); kosongkan "
                              "untuk jabatan lain."),
    ),
)

INDICATORS = Tab(
    label="SKP",
    name="indicators",
    kind="input",
    key=("iki_code",),
    description="Sasaran Kinerja Pegawai: satu baris per Indikator Kinerja Individu (IKI).",
    columns=(
        Column("Kode IKI", "iki_code", "code", required=True, unique=True,
               note="Kode unik per indikator, misalnya DKS-001-1."),
        Column("NIP", "nip", "nip", required=True, width=22),
        Column("Jenis RHK", "rhk_type", "choice", default="main",
               choices=_choices(("Utama", "main"), ("Tambahan", "additional"))),
        Column("RHK Atasan yang Diintervensi", "parent_rhk", width=30),
        Column("Rencana Hasil Kerja", "rhk", required=True, width=30),
        Column("Aspek", "aspect", "choice", required=True,
               choices=_choices(("Kuantitas", "quantity"), ("Kualitas", "quality"), ("Waktu", "time"),
                                ("Biaya", "cost"))),
        Column("Indikator Kinerja Individu", "indicator", required=True, width=36),
        Column("Satuan", "unit_of_measure"),
        Column("Target", "target", "number", required=True, minimum=0, exclusive_minimum=True,
               note="Target tahunan, lebih dari 0."),
        Column("Target Maksimum", "target_max", "number", minimum=0,
               note="Opsional: batas atas target rentang; tidak boleh kurang dari Target."),
        Column("Arah", "direction", "choice", required=True,
               choices=_choices(("Naik", "up"), ("Turun", "down")),
               note="Naik: makin tinggi makin baik. Turun: makin rendah makin baik (mis. jumlah hari)."),
        Column("Cara Agregasi", "aggregation", "choice",
               choices=_choices(("Jumlah", "sum"), ("Rata-rata", "mean"), ("Terakhir", "last")),
               note="Kosong: Jumlah untuk Kuantitas, Rata-rata untuk aspek lain."),
        Column("Bobot (%)", "weight", "number", minimum=0, maximum=100,
               note="Opsional. Jika diisi, bobot semua IKI seorang pegawai berjumlah 100."),
    ),
)

REALISATIONS = Tab(
    label="Realisasi",
    name="realisations",
    kind="input",
    key=("iki_code", "month"),
    description="Laporan bulanan: satu baris per IKI per bulan.",
    columns=(
        Column("Kode IKI", "iki_code", "code", required=True),
        Column("Periode", "month", "month", required=True, note="Bulan laporan, misalnya 2026-03."),
        Column("Realisasi", "value", "number", required=True, minimum=0),
        Column("Target Periode", "period_target", "number", minimum=0, exclusive_minimum=True,
               note="Opsional: menggantikan target tahunan yang diprorata untuk bulan ini."),
        Column("Kendala", "obstacle", width=30),
        Column("Rencana Tindak Lanjut", "follow_up_plan", width=30),
        Column("Tautan Bukti", "evidence_url", "url", width=30, blocking=False),
    ),
)

BEHAVIOURS = Tab(
    label="Perilaku",
    name="behaviours",
    kind="input",
    key=("month", "nip", "rater_nip"),
    description="Penilaian perilaku kerja BerAKHLAK 360°: satu baris per penilai per pegawai per bulan.",
    columns=(
        Column("Periode", "month", "month", required=True),
        Column("NIP Dinilai", "nip", "nip", required=True, width=22),
        Column("NIP Penilai", "rater_nip", "nip", required=True, width=22),
        Column("Peran Penilai", "role", "choice", required=True,
               choices=_choices(("Atasan", "supervisor"), ("Rekan Kerja", "peer"),
                                ("Bawahan", "subordinate"), ("Diri Sendiri", "self"),
                                aliases={"Rekan Kerja": ("Rekan",)})),
        *(Column(label, name, "int", required=True, minimum=1, maximum=5, width=12,
                 note="Nilai bulat 1 sampai 5.") for label, name in BERAKHLAK),
        Column("Umpan Balik", "feedback", width=36),
    ),
)

SUPERVISOR_RATINGS = Tab(
    label="Penilaian Atasan",
    name="supervisor_ratings",
    kind="input",
    required=False,
    key=("period", "nip"),
    description="Opsional: keputusan akhir atasan; menggantikan rating yang dihitung otomatis.",
    columns=(
        Column("Periode", "period", "period", required=True,
               note="Label periode evaluasi: 2026-03, 2026-T1, 2026-S1 atau 2026."),
        Column("NIP", "nip", "nip", required=True, width=22),
        Column("Rating Hasil Kerja", "work_rating", "choice", choices=RATING, width=22),
        Column("Rating Perilaku Kerja", "behaviour_rating", "choice", choices=RATING, width=22),
        Column("Catatan", "note", width=36),
    ),
)

SURVEYS = Tab(
    label="Survei",
    name="surveys",
    kind="input",
    required=False,
    key=("response_id",),
    description="Jawaban Survei Kepuasan Masyarakat (SKM). Formulir online ditambahkan otomatis; "
    "survei kertas diketik di sini dengan Sumber = Manual.",
    columns=(
        Column("ID Respons", "response_id", "code", required=True, unique=True, width=20),
        Column("Waktu", "timestamp", "datetime", required=True, width=18),
        Column("Unit Layanan", "service_unit", required=True, width=30),
        Column("Jenis Layanan", "service_type", width=22),
        Column("NIP Petugas", "officer_nip", "nip", width=22),
        *(Column(label, name, "int", minimum=1, maximum=4, width=12, note="Nilai 1 sampai 4.")
          for label, name in SKM_ITEMS),
        Column("Jenis Kelamin", "sex", "choice", blocking=False,
               choices=_choices(("L", "L"), ("P", "P"),
                                aliases={"L": ("Laki-laki",), "P": ("Perempuan",)})),
        Column("Usia", "age", "int", minimum=10, maximum=120, blocking=False),
        Column("Pendidikan", "education"),
        Column("Pekerjaan", "occupation"),
        Column("Saran", "suggestion", width=36),
        Column("Sumber", "source", "choice", default="manual",
               choices=_choices(("Formulir", "form"), ("Manual", "manual"))),
    ),
)

SERVICE_UNITS = Tab(
    label="Unit Layanan",
    name="service_units",
    kind="input",
    required=False,
    key=("service_unit", "period"),
    description="Opsional: jumlah penerima layanan per unit per periode, untuk sampel minimum SKM.",
    columns=(
        Column("Unit Layanan", "service_unit", required=True, width=30),
        Column("Periode", "period", "period", required=True),
        Column("Jumlah Penerima Layanan", "population", "int", required=True, minimum=1, width=18),
    ),
)

TPP_TABLE = Tab(
    label="Tabel TPP",
    name="tpp_table",
    kind="input",
    required=False,
    key=("job_class",),
    description="Opsional: besaran TPP (Tambahan Penghasilan Pegawai) per kelas jabatan menurut "
    "Perkada (Perbup/Perwal/Pergub) tahun ini, satu baris per kelas. Besaran di tab Pegawai "
    "menggantikannya untuk pegawai itu.",
    columns=(
        Column("Kelas Jabatan", "job_class", "int", required=True, unique=True, minimum=1, maximum=17,
               width=10),
        Column("Besaran TPP (Rp)", "amount", "number", required=True, minimum=0,
               exclusive_minimum=True, width=18, note="Besaran TPP sebulan, dalam rupiah."),
    ),
)

ATTENDANCE_COUNTS = (
    # (label, internal name, what a cell counts); TL = terlambat, PSW = pulang sebelum waktunya
    *((f"TL{i}", f"tl{i}", f"Terlambat masuk {m}: jumlah kejadian sebulan.") for i, m in (
        (1, "1–30 menit"), (2, "31–60 menit"), (3, "61–90 menit"),
        (4, "lebih dari 90 menit atau tidak absen masuk"))),
    *((f"PSW{i}", f"psw{i}", f"Pulang sebelum waktunya {m}: jumlah kejadian sebulan.") for i, m in (
        (1, "1–30 menit"), (2, "31–60 menit"), (3, "61–90 menit"),
        (4, "lebih dari 90 menit atau tidak absen pulang"))),
)
ATTENDANCE_DAYS = (
    ("Izin", "leave_permit"), ("Sakit", "sick"), ("Cuti", "leave"), ("Dinas Luar", "official_travel"),
)

ATTENDANCE = Tab(
    label="Kehadiran",
    name="attendance",
    kind="input",
    required=False,
    key=("month", "nip"),
    description="Opsional: rekap kehadiran bulanan, satu baris per pegawai per bulan, untuk potongan "
    "TPP dan pembinaan disiplin (PP 94/2021). Dapat diisi dari ekspor mesin absen dengan perintah "
    "`kinerja kehadiran import`. Kosong dibaca 0.",
    columns=(
        Column("Periode", "month", "month", required=True, note="Bulan, misalnya 2026-03."),
        Column("NIP", "nip", "nip", required=True, width=22),
        Column("Hari Kerja", "work_days", "int", required=True, minimum=1, maximum=31, width=10,
               note="Hari kerja pegawai ini pada bulan itu."),
        *(Column(label, name, "int", minimum=0, width=8, note=note)
          for label, name, note in ATTENDANCE_COUNTS),
        Column("Tanpa Keterangan", "absent_no_reason", "number", minimum=0, width=11,
               note="Hari tidak masuk tanpa keterangan yang sah; tidak boleh melebihi Hari Kerja."),
        Column("Tidak Apel", "no_apel", "int", minimum=0, width=9,
               note="Apel/upacara yang tidak diikuti: jumlah kejadian sebulan."),
        *(Column(label, name, "number", minimum=0, width=9, note="Hari; tidak memotong TPP.")
          for label, name in ATTENDANCE_DAYS),
        Column("Keterangan", "note", width=30),
    ),
)

INPUT_TABS: tuple[Tab, ...] = (
    EMPLOYEES, INDICATORS, REALISATIONS, BEHAVIOURS, SUPERVISOR_RATINGS, SURVEYS, SERVICE_UNITS,
    TPP_TABLE, ATTENDANCE,
)
