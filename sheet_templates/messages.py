"""Indonesian wording of every validation message: (problem, fix) templates.

Validation fills them with `str.format`; keeping the words here, next to the
labels, lets a language editor fix wording without reading validation code.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    "missing_tab": (
        "Tab '{tab}' tidak ada di workbook.",
        "Tambahkan tab '{tab}' dengan baris judul: {columns}. Templat kosong dapat dibuat dengan "
        "perintah `kinerja template`.",
    ),
    "ambiguous_tab": (
        "Ada {count} tab yang sama-sama dibaca sebagai '{tab}': {names} (beda spasi atau huruf besar "
        "saja); Kinerja tidak menebak mana yang benar, jadi tab '{tab}' tidak dibaca.",
        "Hapus tab yang lama atau ganti namanya (misalnya menjadi '{tab} lama'), sehingga hanya satu "
        "tab bernama '{tab}', lalu jalankan lagi.",
    ),
    "formula_no_value": (
        "{column} berisi rumus tanpa nilai tersimpan, jadi nilainya tidak dapat dibaca.",
        "Buka berkas di Excel atau LibreOffice agar rumusnya dihitung (tekan F9 bila perhitungan "
        "manual), simpan, lalu jalankan lagi; atau ketik nilainya langsung.",
    ),
    "no_header": (
        "Baris judul tab '{tab}' tidak ditemukan.",
        "Baris pertama tab '{tab}' harus berisi judul kolom: {columns}.",
    ),
    "missing_column": (
        "Kolom wajib '{column}' tidak ada di baris judul tab '{tab}'; seluruh tab tidak dapat dipakai.",
        "Tambahkan judul '{column}' pada baris {header_row} (ejaan seperti di templat).",
    ),
    "duplicate_header": (
        "Judul kolom '{column}' muncul lebih dari sekali; hanya kolom pertama yang dibaca.",
        "Hapus atau ganti nama kolom ganda.",
    ),
    "required": ("{column} wajib diisi tetapi kosong.", "Isi {column} pada baris ini, atau hapus barisnya."),
    "invalid": ("{column} {problem}.", "{fix}"),
    "choice": (
        "'{value}' bukan pilihan {column} yang sah.",
        "Pilih salah satu: {choices}.{suggestion}",
    ),
    "suggestion": (" Mungkin maksudnya '{suggest}'?", ""),
    "minimum": ("{column} harus paling sedikit {limit}.", "Perbaiki nilainya menjadi {limit} atau lebih."),
    "minimum_exclusive": (
        "{column} harus lebih dari {limit}.", "Perbaiki nilainya menjadi lebih dari {limit}."),
    "maximum": ("{column} paling banyak {limit}.", "Perbaiki nilainya menjadi {limit} atau kurang."),
    "outside_year": (
        "{column} {value} di luar Tahun Penilaian {year}.",
        "Ketik bulan dalam tahun {year}, atau ubah Tahun Penilaian di tab Pengaturan.",
    ),
    "bad_period": (
        "{column} '{value}' bukan periode evaluasi {period_type} tahun {year}.",
        "Tulis seperti {example} (Periode Evaluasi di Pengaturan: {period_type}), atau ketik bulannya "
        "(misalnya {year}-03).",
    ),
    "duplicate": (
        "{columns} '{value}' sudah dipakai di baris {first}; baris ini tidak dinilai.",
        "Hapus baris ganda atau perbaiki isinya; hanya baris {first} yang dipakai.",
    ),
    "unknown_reference": (
        "{column} '{value}' tidak ada di tab {target}.",
        "Tambahkan dulu ke tab {target}, atau perbaiki {column} pada baris ini.",
    ),
    "unknown_officer": (
        "{column} '{value}' tidak ada di tab {target}; jawaban dihitung untuk unit saja.",
        "Perbaiki NIP petugas atau tambahkan pegawainya ke tab {target}.",
    ),
    "self_supervisor": (
        "NIP Atasan sama dengan NIP pegawai itu sendiri.",
        "Isi NIP atasan langsung, atau kosongkan untuk kepala instansi.",
    ),
    "target_max_below": (
        "Target Maksimum {value} lebih kecil dari Target {target}.",
        "Target Maksimum adalah batas atas rentang: isi angka yang sama atau lebih besar dari Target, "
        "atau kosongkan.",
    ),
    "setting_missing": (
        "Pengaturan '{column}' wajib diisi tetapi tidak ada atau kosong.",
        "Tambahkan baris '{column}' di tab Pengaturan dan isi kolom Nilai.",
    ),
    "setting_default": (
        "Pengaturan '{column}' tidak dapat dibaca: {problem}; dipakai nilai bawaan {default}.",
        "{fix}",
    ),
    "weights_sum": (
        "{columns} berjumlah {total}, bukan 100; bobot dinormalisasi menjadi 100.",
        "Ubah bobotnya agar berjumlah 100.",
    ),
    "unknown_setting": (
        "Kunci '{value}' tidak dikenal dan diabaikan.",
        "Periksa ejaannya; kunci yang sah tercantum di tab Petunjuk.",
    ),
    "nip_layout": ("NIP {problem}.", "{fix}"),
    "asn_type_layout": (
        "Jenis ASN {value} tidak cocok dengan NIP yang berpola {layout}.",
        "Periksa Jenis ASN atau NIP: NIP PPPK memiliki angka 2 pada posisi ke-13.",
    ),
    "rank": ("Pangkat/Golongan '{value}' {problem}.", "{fix}"),
    "code_spaces": (
        "{column} '{value}' berisi spasi; dibaca sebagai '{fixed}'.",
        "Hapus spasi di dalam kode (misalnya DKS-001-1) agar penulisannya sama di semua tab.",
    ),
    "supervisor_loop": (
        "Rantai atasan berputar: {chain}.",
        "Perbaiki NIP Atasan salah satu pegawai dalam rantai ini; kepala instansi tidak punya atasan.",
    ),
    "not_the_supervisor": (
        "Penilai berperan Atasan tetapi bukan atasan langsung pegawai ini (atasannya {expected}).",
        "Ganti Peran Penilai menjadi Rekan Kerja, atau perbaiki NIP Atasan di tab Pegawai.",
    ),
    "self_rating_role": (
        "NIP Penilai sama dengan NIP Dinilai, tetapi Peran Penilai bukan Diri Sendiri.",
        "Ganti Peran Penilai menjadi Diri Sendiri, atau perbaiki NIP Penilai.",
    ),
    "indicator_weights": (
        "Bobot (%) IKI pegawai {nip} berjumlah {total}, bukan 100.",
        "Ubah bobot IKI pegawai ini agar berjumlah 100, atau kosongkan semuanya (bobot sama rata).",
    ),
    "unknown_service_unit": (
        "Unit Layanan '{value}' tidak dikenal.{suggestion}",
        "Tulis nama unit persis seperti di tab Unit Layanan atau kolom Unit Kerja tab Pegawai.",
    ),
    "thresholds_order": (
        "{upper} ({high}) lebih kecil dari {lower} ({low}); dipakai nilai bawaan.",
        "Ambang Di Atas Ekspektasi harus lebih besar dari ambang Sesuai Ekspektasi.",
    ),
    "summary": (
        "Pemeriksaan {when}: {errors} Galat (baris tidak dinilai), {warnings} Peringatan (tetap dinilai).",
        "",
    ),
    "summary_clean": ("Pemeriksaan {when}: tidak ada masalah. Terima kasih!", ""),
    "summary_capped": (
        " Tab ini memuat {shown} pesan pertama; ringkasan per jenis masalah ada di baris paling bawah.",
        "",
    ),
    "capped_rule": (
        "Masalah yang sama ({example}) ada di {total} sel kolom {column} tab {tab}; {shown} "
        "ditampilkan di atas, {hidden} lainnya tidak. Yang pertama: {first}.",
        "Perbaiki semua sel dengan masalah ini (sering kali satu kesalahan yang disalin ke banyak "
        "baris). Daftar lengkap dapat ditulis ke berkas CSV di samping workbook; lihat "
        "`kinerja check --help`.",
    ),
    "capped_rule_tab": (
        "Masalah yang sama ({example}) ada di {total} tempat di tab {tab}; {shown} ditampilkan di "
        "atas, {hidden} lainnya tidak. Yang pertama: {first}.",
        "Perbaiki semua tempat dengan masalah ini. Daftar lengkap dapat ditulis ke berkas CSV di "
        "samping workbook; lihat `kinerja check --help`.",
    ),
    # --- Kehadiran, Tabel TPP and the TPP keys (issue 15; sync/check/attendance.py) ---
    "attendance_day_over": (
        "{column} {value} hari melebihi Hari Kerja ({work_days}); baris ini tidak dipakai, jadi "
        "TPP Disiplin bulan itu tidak dihitung.",
        "Periksa rekap bulan itu: {column} tidak boleh lebih dari Hari Kerja pegawai ini. Perbaiki "
        "angkanya atau Hari Kerja.",
    ),
    "attendance_days_sum": (
        "Tanpa Keterangan, Izin, Sakit, Cuti dan Dinas Luar berjumlah {total} hari, melebihi Hari "
        "Kerja ({value}); baris ini tidak dipakai.",
        "Jumlah hari tidak masuk tidak boleh lebih dari Hari Kerja: perbaiki salah satu kolom hari "
        "atau Hari Kerja.",
    ),
    "attendance_count_over": (
        "{columns} berjumlah {total} kejadian, lebih dari Hari Kerja ({work_days}); baris ini tidak "
        "dipakai.",
        "Setiap kejadian terjadi paling banyak sekali sehari: cocokkan angka {columns} dengan rekap "
        "mesin absen bulan itu.",
    ),
    "tpp_no_class": (
        "Pegawai ini tidak punya besaran TPP (Kelas Jabatan dan Besaran TPP (Rp) kosong), "
        "sementara pegawai lain punya; TPP-nya tidak dihitung.",
        "Isi Kelas Jabatan (1–17) yang ada di tab Tabel TPP, atau Besaran TPP (Rp) pegawai ini.",
    ),
    "tpp_class_missing": (
        "Kelas Jabatan {value} tidak ada di tab {target}, jadi pegawai ini tidak punya besaran TPP; "
        "TPP-nya tidak dihitung.",
        "Tambahkan kelas {value} beserta besarannya ke tab {target}, perbaiki Kelas Jabatan, atau isi "
        "Besaran TPP (Rp) pegawai ini.",
    ),
    "tpp_shares_sum": (
        "Porsi TPP Kinerja (%) dan Porsi TPP Disiplin (%) berjumlah {total}, bukan 100; dipakai nilai "
        "bawaan {performance} dan {discipline}.",
        "Ubah kedua porsi di tab Pengaturan agar berjumlah 100 sesuai Perkada, misalnya 60 dan 40.",
    ),
    "office_hours": (
        "{column} '{value}' bukan jam yang dapat dibaca; dipakai nilai bawaan {default}.",
        "Tulis jamnya sebagai jam:menit, misalnya 07:30.",
    ),
    "office_hours_order": (
        "Jam Pulang {end} tidak lebih lambat dari Jam Masuk {start}; dipakai nilai bawaan "
        "{default_start}–{default_end}.",
        "Perbaiki Jam Masuk atau Jam Pulang di tab Pengaturan.",
    ),
}


def message(key: str, **values) -> tuple[str, str]:
    """The (problem, fix) pair for `key`, filled with `values`."""
    problem, fix = MESSAGES[key]
    return problem.format(**values), fix.format(**values)
