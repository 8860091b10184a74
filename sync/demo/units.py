"""The demo agency's units: the OPD of Kota Lhokseumawe with their Kode IKI prefix, profile,
share of surveys, citizens served and services surveyed, and the title of each kind of unit's head.
"""

from __future__ import annotations

ADMINDUK = ("Akta Kelahiran", "KTP-el", "Kartu Keluarga", "Akta Kematian", "Kartu Identitas Anak",
             "Surat Keterangan Pindah")
CLINIC = ("Imunisasi", "Pemeriksaan Kesehatan", "Layanan KIA", "Surat Keterangan Sehat", "Pelayanan Obat")
KECAMATAN = ("Surat Keterangan", "Rekomendasi Izin Usaha Mikro", "Legalisasi Dokumen")
# name, Kode IKI prefix, profile, share of surveys, citizens served per month, services.
# "Served" counts the citizens of the unit's front office who can be asked (the SKM population,
# PermenPANRB 14/2017): with some 4,000 answers a year the first two units reach the Krejcie-Morgan
# minimum sample most months and Dinas Pendidikan, with few answers, mostly does not (to show the flag).
UNITS: tuple[tuple[str, str, str, float, int, tuple[str, ...]], ...] = (
    ("Dinas Kependudukan dan Pencatatan Sipil", "DKC", "dukcapil", 5, 240, ADMINDUK),
    ("Dinas Kesehatan", "DKS", "kesehatan", 3.5, 150, CLINIC),
    ("Dinas Pendidikan", "DIK", "pendidikan", 1.5, 120,
     ("Legalisir Ijazah", "Mutasi Peserta Didik", "Surat Keterangan Pengganti Ijazah",
      "Rekomendasi Izin Operasional Sekolah")),
    ("Dinas Sosial", "SOS", "umum", 1, 700,
     ("Rekomendasi Bantuan Sosial", "Pendaftaran DTKS", "Surat Keterangan Tidak Mampu")),
    ("Dinas Perhubungan", "HUB", "umum", 1, 900, ("Uji Berkala Kendaraan Bermotor", "Izin Trayek")),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "PTSP", "umum", 3, 1200,
     ("Perizinan Berusaha", "Persetujuan Bangunan Gedung", "Izin Praktik Tenaga Kesehatan")),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR", "umum", 0, 0, ()),
    ("Dinas Lingkungan Hidup", "DLH", "umum", 0.5, 300, ("Pengangkutan Sampah", "Persetujuan Lingkungan")),
    ("Dinas Tenaga Kerja", "TKR", "umum", 1, 500, ("Kartu Pencari Kerja (AK-1)", "Pelatihan Kerja")),
    ("Dinas Koperasi, Usaha Kecil dan Menengah", "KUK", "umum", 0.5, 200, ("Pendampingan UMKM",)),
    ("Dinas Perdagangan dan Perindustrian", "DAG", "umum", 0.5, 250, ("Tera Ulang Alat Ukur",)),
    ("Dinas Pertanian dan Pangan", "TAN", "umum", 0, 0, ()),
    ("Dinas Kelautan dan Perikanan", "DKP", "umum", 0, 0, ()),
    ("Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "P3A", "umum", 0.3, 60,
     ("Pengaduan Kekerasan terhadap Perempuan dan Anak",)),
    ("Dinas Pemuda dan Olahraga", "DPO", "umum", 0, 0, ()),
    ("Dinas Pariwisata dan Kebudayaan", "PAR", "umum", 0, 0, ()),
    ("Dinas Komunikasi dan Informatika", "KOM", "umum", 0.3, 80, ("Layanan Informasi Publik (PPID)",)),
    ("Dinas Perpustakaan dan Kearsipan", "PUS", "umum", 0.5, 1500, ("Layanan Perpustakaan",)),
    ("Dinas Perumahan Rakyat dan Kawasan Permukiman", "KIM", "umum", 0, 0, ()),
    ("Dinas Pemberdayaan Masyarakat dan Gampong", "DPMG", "umum", 0, 0, ()),
    ("Badan Perencanaan Pembangunan Daerah", "BAP", "umum", 0, 0, ()),
    ("Badan Pengelolaan Keuangan Daerah", "BPKD", "umum", 0, 0, ()),
    ("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "BKP", "umum", 0.5, 300,
     ("Layanan Administrasi Kepegawaian",)),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", "umum", 0, 0, ()),
    ("Badan Kesatuan Bangsa dan Politik", "KBP", "umum", 0.2, 20, ("Surat Keterangan Terdaftar Ormas",)),
    ("Satuan Polisi Pamong Praja dan Wilayatul Hisbah", "POL", "umum", 0, 0, ()),
    ("Rumah Sakit Umum Daerah", "RSU", "rsud", 3, 6000,
     ("Rawat Jalan", "Instalasi Gawat Darurat", "Rawat Inap", "Laboratorium")),
    ("Kecamatan Banda Sakti", "KBS", "kecamatan", 1, 400, KECAMATAN),
    ("Kecamatan Muara Dua", "KMD", "kecamatan", 1, 350, KECAMATAN),
    ("Kecamatan Muara Satu", "KMS", "kecamatan", 1, 300, KECAMATAN),
    ("Kecamatan Blang Mangat", "KBM", "kecamatan", 0.8, 200, KECAMATAN),
)
HEADS = (("Dinas", "Kepala Dinas"), ("Badan", "Kepala Badan"), ("Satuan", "Kepala Satuan"),
          ("Rumah Sakit", "Direktur"), ("Kecamatan", "Camat"), ("UPTD Puskesmas", "Kepala Puskesmas"),
          ("SD Negeri", "Kepala Sekolah"))
