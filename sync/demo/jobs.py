"""The demo's jobs: PNS and PPPK grades, the staff positions (`Job`) and SKP indicator
templates (`Iki`) of each kind of unit (`Profile`: sections, staff, indicators, obstacles,
degrees), and the functional levels (Ahli, Terampil) by grade.
"""

from __future__ import annotations

from dataclasses import dataclass

PNS_GRADES = ("I/a", "I/b", "I/c", "I/d", "II/a", "II/b", "II/c", "II/d", "III/a", "III/b",
              "III/c", "III/d", "IV/a", "IV/b", "IV/c", "IV/d", "IV/e")
PPPK_GRADES = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
               "XIII", "XIV", "XV", "XVI", "XVII")
# Entry grades (indexes into both tuples above): the same index is the PNS
# golongan and the PPPK golongan for that education level.
SMA, D3, S1, DOKTER = 4, 6, 8, 9


@dataclass(frozen=True)
class Iki:
    """An SKP indicator template; `target` is annual (a level for Rata-rata/Terakhir)."""

    rhk: str
    indicator: str
    aspect: str
    uom: str
    target: float
    direction: str = "Naik"
    aggregation: str = "Jumlah"
    target_max: float | None = None


@dataclass(frozen=True)
class Job:
    """A staff position; `front` staff serve citizens and are named in surveys."""

    title: str
    entry: int
    suffix: str = ""
    prefix: str = ""
    front: bool = False
    weight: float = 1.0
    female: bool = False


@dataclass(frozen=True)
class Profile:
    """What a kind of unit looks like: sections, jobs, indicators, typical obstacles."""

    sections: tuple[str, ...]
    staff: tuple[Job, ...]
    lead: tuple[Iki, ...]
    work: tuple[Iki, ...]
    obstacles: tuple[tuple[str, str], ...]
    degrees: tuple[tuple[str, str], ...] = (
        ("", ", S.E., M.Si."), ("", ", S.Sos., M.A.P."), ("", ", S.H."), ("", ", S.STP., M.Si."),
        ("", ", S.T."), ("", ", S.Kom., M.T."))


BUDGET = Iki("Terkelolanya anggaran perangkat daerah secara akuntabel",
               "Persentase kesesuaian realisasi anggaran dengan rencana kas", "Biaya", "%", 90,
               aggregation="Rata-rata", target_max=100)
EXTRA = (  # Tambahan: tasks beyond the job
    Iki("Terlaksananya tugas tambahan sebagai anggota Tim Pembangunan Zona Integritas",
         "Jumlah laporan kegiatan Tim Zona Integritas", "Kuantitas", "laporan", 12),
    Iki("Terkelolanya media sosial instansi", "Jumlah konten informasi layanan yang dipublikasikan",
         "Kuantitas", "konten", 48),
    Iki("Terlaksananya tugas sebagai narasumber sosialisasi",
         "Jumlah kegiatan sosialisasi sebagai narasumber", "Kuantitas", "kegiatan", 12),
)
OFFICE = (
    Job("Analis Kebijakan Ahli Pertama", S1, ", S.Sos."),
    Job("Perencana Ahli Pertama", S1, ", S.E."),
    Job("Pranata Komputer Ahli Pertama", S1, ", S.Kom."),
    Job("Pengelola Keuangan", D3, ", A.Md.Ak."),
    Job("Arsiparis Terampil", D3, ", A.Md."),
    Job("Pengadministrasi Perkantoran", SMA, weight=2),
    Job("Pengelola Layanan Operasional", SMA, front=True, weight=2),
    Job("Penata Layanan Operasional", S1, ", S.A.P.", front=True),
)
HEALTH_JOBS = (
    Job("Perawat Ahli Pertama", S1, ", S.Kep., Ns.", front=True, weight=2),
    Job("Perawat Terampil", D3, ", A.Md.Kep.", front=True, weight=2),
    Job("Bidan Terampil", D3, ", A.Md.Keb.", front=True, weight=2, female=True),
    Job("Dokter Ahli Pertama", DOKTER, prefix="dr. ", front=True),
    Job("Apoteker Ahli Pertama", S1, ", S.Farm.", prefix="apt. ", front=True),
    Job("Epidemiolog Kesehatan Ahli Pertama", S1, ", S.K.M."),
    Job("Penyuluh Kesehatan Masyarakat Ahli Pertama", S1, ", S.K.M."),
    Job("Nutrisionis Terampil", D3, ", A.Md.Gz."),
    Job("Sanitarian Terampil", D3, ", A.Md.K.L."),
    Job("Pengadministrasi Perkantoran", SMA),
)
HEALTH_DEGREES = (("dr. ", ", M.Kes."), ("", ", S.K.M., M.Kes."), ("", ", S.Kep., Ns., M.Kep."),
                   ("drg. ", ""), ("", ", S.K.M."))
SCHOOL_DEGREES = (("", ", S.Pd., M.Pd."), ("", ", S.Pd."), ("", ", S.Ag., M.Pd."), ("", ", S.Pd.I., M.Pd."))
HEALTH_LEAD = (
    Iki("Meningkatnya cakupan imunisasi", "Cakupan imunisasi dasar lengkap", "Kualitas", "%", 90,
         aggregation="Rata-rata", target_max=100),
    Iki("Menurunnya prevalensi stunting", "Prevalensi stunting pada balita", "Kualitas", "%", 14,
         "Turun", "Terakhir"),
    Iki("Meningkatnya mutu pelayanan kesehatan",
         "Persentase fasilitas kesehatan yang memenuhi standar pelayanan minimal", "Kualitas", "%",
         85, aggregation="Rata-rata"),
    Iki("Meningkatnya kepuasan masyarakat terhadap layanan kesehatan",
         "Indeks Kepuasan Masyarakat layanan kesehatan", "Kualitas", "nilai", 82,
         aggregation="Rata-rata"),
    BUDGET,
)
HEALTH_WORK = (
    Iki("Terlaksananya pembinaan posyandu", "Jumlah kunjungan posyandu yang dibina", "Kuantitas",
         "kunjungan", 48),
    Iki("Terlayaninya imunisasi bayi", "Jumlah bayi yang mendapat imunisasi dasar lengkap",
         "Kuantitas", "bayi", 360),
    Iki("Terlayaninya pemeriksaan ibu hamil", "Jumlah ibu hamil yang mendapat pelayanan K4",
         "Kuantitas", "orang", 240),
    Iki("Terlaksananya penyelidikan epidemiologi", "Rata-rata waktu respons laporan kasus KLB",
         "Waktu", "jam", 24, "Turun", "Rata-rata"),
    Iki("Terlaksananya penyuluhan kesehatan masyarakat", "Jumlah kegiatan penyuluhan kesehatan",
         "Kuantitas", "kegiatan", 36),
    Iki("Tersedianya laporan surveilans tepat waktu",
         "Persentase laporan surveilans mingguan yang lengkap dan tepat waktu", "Kualitas", "%", 90,
         aggregation="Rata-rata", target_max=100),
    Iki("Terlayaninya pasien rawat jalan", "Jumlah pasien rawat jalan yang dilayani", "Kuantitas",
         "pasien", 3000),
)
HEALTH_OBSTACLES = (
    ("Distribusi vaksin dari provinsi terlambat", "Menjadwalkan ulang sweeping imunisasi bersama kader"),
    ("Kunjungan posyandu menurun pada musim hujan", "Kunjungan rumah bersama kader posyandu"),
    ("Petugas mengikuti pelatihan di Banda Aceh", "Pembagian tugas sementara dengan rekan satu tim"),
    ("Aplikasi pelaporan ASIK mengalami gangguan", "Mencatat manual lalu menginput ulang setelah pulih"),
)
SCHOOL_WORK = (
    Iki("Terlaksananya pembelajaran di kelas", "Jumlah jam tatap muka pembelajaran", "Kuantitas",
         "jam pelajaran", 960),
    Iki("Meningkatnya hasil belajar peserta didik",
         "Persentase peserta didik yang mencapai KKTP", "Kualitas", "%", 80, aggregation="Rata-rata"),
    Iki("Tersusunnya perangkat ajar", "Jumlah modul ajar yang disusun", "Kuantitas", "modul", 12),
    Iki("Terlaksananya penilaian hasil belajar", "Rata-rata waktu pengolahan nilai rapor",
         "Waktu", "hari", 5, "Turun", "Rata-rata"),
    Iki("Terlaksananya supervisi sekolah binaan", "Jumlah sekolah yang disupervisi", "Kuantitas",
         "sekolah", 36),
    Iki("Termutakhirnya data pokok pendidikan", "Persentase sekolah dengan data Dapodik mutakhir",
         "Kualitas", "%", 95, aggregation="Rata-rata"),
    Iki("Terlayaninya legalisir ijazah", "Rata-rata waktu penyelesaian legalisir ijazah", "Waktu",
         "hari", 1, "Turun", "Rata-rata"),
)
SCHOOL_LEAD = (
    Iki("Meningkatnya mutu pendidikan dasar",
         "Persentase satuan pendidikan dasar terakreditasi minimal B", "Kualitas", "%", 90,
         aggregation="Terakhir"),
    Iki("Meningkatnya akses pendidikan dasar", "Angka Partisipasi Murni SD/MI", "Kualitas", "%", 97,
         aggregation="Terakhir"),
    Iki("Menurunnya angka putus sekolah", "Angka putus sekolah jenjang SMP", "Kualitas", "%", 0.5,
         "Turun", "Terakhir"),
    Iki("Meningkatnya kompetensi pendidik", "Persentase guru yang mengikuti pelatihan Kurikulum Merdeka",
         "Kualitas", "%", 80, aggregation="Terakhir"),
    BUDGET,
)
SCHOOL_OBSTACLES = (
    ("Libur semester mengurangi jam tatap muka", "Menambah jam pembelajaran remedial dan pengayaan"),
    ("Data Dapodik belum sinkron dengan sekolah", "Pendampingan operator sekolah secara daring"),
    ("Ujian sekolah bertepatan dengan jadwal supervisi", "Menyesuaikan jadwal supervisi bulan berikutnya"),
)
OFFICE_LEAD = (
    Iki("Meningkatnya kualitas pelayanan publik", "Indeks Kepuasan Masyarakat", "Kualitas", "nilai",
         82, aggregation="Rata-rata"),
    Iki("Meningkatnya akuntabilitas kinerja perangkat daerah", "Nilai SAKIP perangkat daerah",
         "Kualitas", "nilai", 70, aggregation="Terakhir"),
    Iki("Terlaksananya program prioritas daerah", "Persentase program prioritas yang terealisasi",
         "Kuantitas", "%", 90, aggregation="Rata-rata"),
    Iki("Meningkatnya kualitas perencanaan", "Persentase kegiatan yang sesuai dokumen perencanaan",
         "Kualitas", "%", 95, aggregation="Rata-rata"),
    BUDGET,
)
OFFICE_WORK = (
    Iki("Tersusunnya laporan kinerja", "Jumlah laporan yang disusun tepat waktu", "Kuantitas",
         "laporan", 12),
    Iki("Terlayaninya permohonan layanan", "Jumlah permohonan layanan yang diselesaikan",
         "Kuantitas", "berkas", 600),
    Iki("Terselesaikannya permohonan layanan tepat waktu", "Rata-rata waktu penyelesaian permohonan",
         "Waktu", "hari", 5, "Turun", "Rata-rata"),
    Iki("Terkelolanya administrasi persuratan", "Jumlah surat masuk dan keluar yang diproses",
         "Kuantitas", "surat", 1200),
    Iki("Tersedianya data yang akurat", "Persentase data yang valid dan mutakhir", "Kualitas", "%",
         95, aggregation="Rata-rata"),
    Iki("Tertibnya pertanggungjawaban keuangan kegiatan", "Persentase SPJ yang diselesaikan tepat waktu",
         "Biaya", "%", 90, aggregation="Rata-rata", target_max=100),
)
OFFICE_OBSTACLES = (
    ("Anggaran kegiatan belum dicairkan", "Berkoordinasi dengan BPKD untuk percepatan pencairan"),
    ("Pegawai cuti dan mengikuti diklat", "Membagi beban kerja kepada rekan satu bidang"),
    ("Aplikasi layanan dalam pemeliharaan", "Menerima berkas manual dan menginput setelah aplikasi pulih"),
    ("Berkas permohonan belum lengkap", "Menyebarkan informasi persyaratan melalui media sosial"),
)
OFFICE_SECTIONS = ("Sekretaris", "Kepala Bidang Perencanaan dan Program", "Kepala Bidang Pelayanan",
                    "Kepala Bidang Pembinaan dan Pengembangan", "Kepala Bidang Pengendalian dan Evaluasi")

PROFILES: dict[str, Profile] = {
    "dukcapil": Profile(
        sections=("Sekretaris", "Kepala Bidang Pelayanan Pendaftaran Penduduk",
                  "Kepala Bidang Pelayanan Pencatatan Sipil",
                  "Kepala Bidang Pengelolaan Informasi Administrasi Kependudukan",
                  "Kepala Bidang Pemanfaatan Data dan Inovasi Pelayanan"),
        staff=(Job("Pengadministrasi Kependudukan", SMA, front=True, weight=3),
               Job("Verifikator Data Kependudukan", SMA, front=True, weight=2),
               Job("Operator Layanan Operasional", SMA, front=True, weight=2),
               Job("Analis Kependudukan", S1, ", S.Sos."),
               Job("Pranata Komputer Ahli Pertama", S1, ", S.Kom."),
               Job("Pengelola Data Administrasi Kependudukan", D3, ", A.Md."),
               Job("Arsiparis Terampil", D3, ", A.Md.")),
        lead=(Iki("Meningkatnya cakupan kepemilikan dokumen kependudukan",
                   "Persentase penduduk wajib KTP yang telah memiliki KTP-el", "Kualitas", "%", 97,
                   aggregation="Terakhir"),
              Iki("Meningkatnya cakupan kepemilikan akta kelahiran",
                   "Persentase anak usia 0-18 tahun yang memiliki akta kelahiran", "Kualitas", "%", 95,
                   aggregation="Terakhir"),
              Iki("Meningkatnya kualitas pelayanan administrasi kependudukan",
                   "Indeks Kepuasan Masyarakat layanan adminduk", "Kualitas", "nilai", 85,
                   aggregation="Rata-rata"),
              Iki("Terselenggaranya pelayanan adminduk tepat waktu",
                   "Persentase dokumen yang terbit sesuai standar waktu pelayanan", "Waktu", "%", 90,
                   aggregation="Rata-rata"),
              BUDGET),
        work=(Iki("Terlayaninya penerbitan akta kelahiran", "Rata-rata waktu penerbitan akta kelahiran",
                   "Waktu", "hari", 3, "Turun", "Rata-rata"),
              Iki("Terlayaninya penerbitan dokumen kependudukan",
                   "Jumlah dokumen kependudukan yang diterbitkan", "Kuantitas", "dokumen", 2400),
              Iki("Terlayaninya perekaman KTP-el", "Jumlah perekaman KTP-el", "Kuantitas", "orang", 1800),
              Iki("Tersedianya data kependudukan yang akurat",
                   "Persentase data kependudukan terverifikasi tanpa kesalahan", "Kualitas", "%", 95,
                   aggregation="Rata-rata"),
              Iki("Terlayaninya penerbitan Kartu Keluarga", "Rata-rata waktu penerbitan Kartu Keluarga",
                   "Waktu", "hari", 2, "Turun", "Rata-rata"),
              Iki("Terlaksananya pelayanan jemput bola adminduk", "Jumlah kegiatan jemput bola di gampong",
                   "Kuantitas", "kegiatan", 24),
              Iki("Terkelolanya pengaduan layanan adminduk", "Persentase pengaduan yang ditindaklanjuti",
                   "Kualitas", "%", 95, aggregation="Rata-rata")),
        obstacles=(("Blangko KTP-el terbatas dari Kemendagri",
                    "Mengajukan tambahan blangko dan memprioritaskan pemohon pemula"),
                   ("Jaringan SIAK Terpusat terganggu beberapa hari",
                    "Berkoordinasi dengan Ditjen Dukcapil dan menambah jam layanan"),
                   ("Berkas pemohon belum lengkap",
                    "Menyebarkan informasi persyaratan melalui media sosial dan papan informasi"),
                   ("Printer dokumen rusak", "Mengajukan perbaikan dan meminjam printer bidang lain"))),
    "kesehatan": Profile(
        sections=("Sekretaris", "Kepala Bidang Kesehatan Masyarakat",
                  "Kepala Bidang Pencegahan dan Pengendalian Penyakit", "Kepala Bidang Pelayanan Kesehatan",
                  "Kepala Bidang Sumber Daya Kesehatan"),
        staff=HEALTH_JOBS, lead=HEALTH_LEAD, work=HEALTH_WORK, obstacles=HEALTH_OBSTACLES,
        degrees=HEALTH_DEGREES),
    "pendidikan": Profile(
        sections=("Sekretaris", "Kepala Bidang Pembinaan Sekolah Dasar",
                  "Kepala Bidang Pembinaan Sekolah Menengah Pertama",
                  "Kepala Bidang Pendidik dan Tenaga Kependidikan",
                  "Kepala Bidang Pendidikan Anak Usia Dini dan Pendidikan Nonformal"),
        staff=(Job("Guru Ahli Pertama", S1, ", S.Pd.", weight=5),
               Job("Pengawas Sekolah Ahli Pertama", S1, ", S.Pd., M.Pd."),
               Job("Penilik Ahli Pertama", S1, ", S.Pd."),
               Job("Analis Kebijakan Ahli Pertama", S1, ", S.Sos."),
               Job("Pranata Komputer Terampil", D3, ", A.Md.Kom."),
               Job("Pengelola Layanan Operasional", SMA, front=True, weight=2),
               Job("Pengadministrasi Perkantoran", SMA, front=True)),
        lead=SCHOOL_LEAD, work=SCHOOL_WORK, obstacles=SCHOOL_OBSTACLES, degrees=SCHOOL_DEGREES),
    "umum": Profile(sections=OFFICE_SECTIONS, staff=OFFICE, lead=OFFICE_LEAD, work=OFFICE_WORK,
                     obstacles=OFFICE_OBSTACLES),
    "kecamatan": Profile(
        sections=("Sekretaris Kecamatan", "Kepala Seksi Pemerintahan", "Kepala Seksi Pelayanan Umum",
                  "Kepala Seksi Ketenteraman dan Ketertiban Umum",
                  "Kepala Seksi Pemberdayaan Masyarakat Gampong"),
        staff=OFFICE, lead=OFFICE_LEAD, work=OFFICE_WORK, obstacles=OFFICE_OBSTACLES),
    "rsud": Profile(
        sections=("Kepala Bagian Tata Usaha", "Kepala Bidang Pelayanan Medik", "Kepala Bidang Keperawatan",
                  "Kepala Bidang Penunjang Medik"),
        staff=HEALTH_JOBS, lead=HEALTH_LEAD, work=HEALTH_WORK, obstacles=HEALTH_OBSTACLES,
        degrees=HEALTH_DEGREES),
    "puskesmas": Profile(
        sections=("Kepala Subbagian Tata Usaha", "Penanggung Jawab Upaya Kesehatan Masyarakat",
                  "Penanggung Jawab Upaya Kesehatan Perseorangan",
                  "Penanggung Jawab Jaringan Pelayanan Puskesmas"),
        staff=HEALTH_JOBS, lead=HEALTH_LEAD, work=HEALTH_WORK, obstacles=HEALTH_OBSTACLES,
        degrees=HEALTH_DEGREES),
    "sekolah": Profile(
        sections=("Wakil Kepala Sekolah Bidang Kurikulum", "Wakil Kepala Sekolah Bidang Kesiswaan",
                  "Kepala Urusan Tata Usaha"),
        staff=(Job("Guru Ahli Pertama", S1, ", S.Pd.", weight=7),
               Job("Guru Ahli Pertama", S1, ", S.Pd., M.Pd."),
               Job("Pengelola Layanan Operasional", SMA, front=True)),
        lead=SCHOOL_LEAD, work=SCHOOL_WORK, obstacles=SCHOOL_OBSTACLES, degrees=SCHOOL_DEGREES),
}

AHLI = {g: " Ahli " + level for levels, level in (
    (("III/a", "III/b", "IX", "X"), "Pertama"), (("III/c", "III/d", "XI"), "Muda"),
    (("IV/a", "IV/b", "IV/c", "XII", "XIII"), "Madya")) for g in levels}
TERAMPIL = {g: " " + level for levels, level in (
    (("II/c", "II/d", "VII", "VIII"), "Terampil"), (("III/a", "III/b"), "Mahir"),
    (("III/c", "III/d"), "Penyelia")) for g in levels}
