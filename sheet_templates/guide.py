"""The Indonesian text of the `Petunjuk` tab, generated from the schema so it never drifts.

`guide_lines()` returns (style, text) pairs, one per sheet row; the template
builder only decides how each style looks. Every tab and column label comes
from `schema`/`results`; only the explaining sentences are spelled here.
"""

from __future__ import annotations

from fractions import Fraction

from . import complaints, results, schema
from .schema import Column, Tab

GUIDE: Tab = schema.GUIDE

# Styles a line can have; the builder maps each to a font.
STYLES = ("title", "heading", "subheading", "text", "item", "step", "warning", "blank")

OUTPUT_NOTE = "Ditulis otomatis oleh Kinerja — jangan diketik."
OUTPUT_NOTE_LONG = (
    OUTPUT_NOTE + " Tab ini ditulis ulang setiap kali Kinerja dijalankan; apa pun yang diketik di "
    "sini akan hilang. Tab dikunci tanpa kata sandi agar tidak terketik tanpa sengaja."
)
NOT_RUN_YET = "Kinerja belum pernah dijalankan pada workbook ini."

_TYPE_WORDS = {
    "text": "teks bebas",
    "nip": "NIP 18 angka, diketik sebagai teks",
    "code": "kode, diketik sebagai teks",
    "month": "bulan, ditulis tahun-bulan (TTTT-BB)",
    "period": "label periode",
    "datetime": "tanggal dan jam, misalnya 2026-03-14 09:21",
    "url": "tautan yang diawali http:// atau https://",
    "bool": "Ya atau Tidak",
}


def format_number(value) -> str:
    """A number the way an Indonesian clerk writes it: 4,5 · 60 · 0,111."""
    if isinstance(value, Fraction):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", ",")


def value_label(col: Column, value) -> str:
    """How `value` (an internal code or a plain value) is shown to a clerk."""
    for choice in col.choices:
        if type(choice.code) is type(value) and choice.code == value:
            return choice.label
    if isinstance(value, int | float | Fraction) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def choice_list(col: Column) -> str:
    """The dropdown labels joined for reading; `;` when a label has a comma (0,111)."""
    sep = "; " if any("," in label for label in col.labels) else ", "
    return sep.join(col.labels)


def choice_prompt(labels: tuple[str, ...] | list[str]) -> str:
    """The message of a dropdown that refuses other text.

    Examples:
        >>> choice_prompt(("Baru", "Diproses", "Selesai"))
        'Pilih salah satu: Baru, Diproses, Selesai.'
    """
    sep = "; " if any("," in label for label in labels) else ", "
    return f"Pilih salah satu: {sep.join(labels)}."


def _range_words(col: Column) -> str:
    low, high = col.minimum, col.maximum
    if low is not None and high is not None:
        return f"{format_number(low)} sampai {format_number(high)}"
    if low is not None:
        return f"lebih dari {format_number(low)}" if col.exclusive_minimum else (
            f"paling sedikit {format_number(low)}")
    if high is not None:
        return f"paling banyak {format_number(high)}"
    return ""


def allowed_words(col: Column) -> str:
    """What may be typed in `col`, as one Indonesian phrase."""
    if col.choices:
        return "pilih salah satu: " + choice_list(col)
    if col.type in ("number", "int"):
        kind = "bilangan bulat" if col.type == "int" else "angka"
        limits = _range_words(col)
        return f"{kind} {limits}" if limits else kind
    return _TYPE_WORDS.get(col.type, _TYPE_WORDS["text"])


def describe_values(col: Column) -> str:
    """Required or not, allowed values, default and note of `col`, as one or more sentences."""
    need = "Wajib diisi" if col.required else "Boleh kosong"
    if col.unique:
        need += ", tidak boleh ganda"
    text = f"{need}. {_capitalise(allowed_words(col))}."
    if col.default is not None:
        text += f" Bila kosong dianggap {value_label(col, col.default)}."
    if col.note:
        text += f" {col.note}"
    return text


def describe_column(col: Column) -> str:
    """One line about a column: its label, then `describe_values`."""
    return f"{col.label} — {describe_values(col)}"


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _intro() -> list[tuple[str, str]]:
    inputs = ", ".join(t.label for t in schema.INPUT_TABS)
    outputs = ", ".join(t.label for t in results.OUTPUT_TABS)
    return [
        ("title", f"{GUIDE.label} Pengisian Workbook Kinerja"),
        ("text", "Kinerja menghitung penilaian kinerja ASN instansi Anda dari workbook ini: "
                 "capaian SKP (hasil kerja), perilaku kerja BerAKHLAK dan kepuasan masyarakat "
                 "(SKM). Anda cukup mengisi tab masukan. Kinerja memeriksa setiap baris, "
                 "menghitung nilai, predikat dan peringkat, lalu menuliskan hasilnya ke tab "
                 "keluaran."),
        ("text", f"Tab {schema.SETTINGS.label}: pengaturan penilaian instansi "
                 "(biasanya diisi sekali setahun)."),
        ("text", f"Tab masukan (diisi oleh operator dan atasan): {inputs}."),
        ("text", f"Tab keluaran (ditulis oleh Kinerja): {outputs}."),
        ("text", f"Tab {complaints.COMPLAINTS.label} ditulis bersama: Kinerja menuliskan pengaduan warga "
                 "dari survei, atasan mencatat tindak lanjutnya."),
        ("blank", ""),
    ]


def _routine() -> list[tuple[str, str]]:
    tabs = ", ".join(t.label for t in (results.RESULTS, results.RANKINGS, results.UNIT_SUMMARY))
    return [
        ("heading", "Rutinitas bulanan"),
        ("step", f"1. Isi tab {schema.REALISATIONS.label} untuk bulan lalu sebelum tanggal 5."),
        ("step", f"2. Atasan mengisi tab {schema.BEHAVIOURS.label} (dan, bila perlu, tab "
                 f"{schema.SUPERVISOR_RATINGS.label})."),
        ("step", "3. Jalankan Kinerja, atau tunggu jadwal otomatisnya."),
        ("step", f"4. Buka tab {results.VALIDATION.label} dan perbaiki setiap baris bertingkat "
                 f"{results.LEVEL_ERROR}: baris itu belum dinilai sampai diperbaiki. Baris "
                 f"{results.LEVEL_WARNING} tetap dinilai, tetapi sebaiknya diperiksa."),
        ("step", f"5. Baca hasilnya di tab {tabs} dan {results.IKM.label}."),
        ("blank", ""),
    ]


def _typing() -> list[tuple[str, str]]:
    nip = schema.EMPLOYEES.column("nip").label
    return [
        ("heading", "Cara mengetik data"),
        ("item", f"{nip}: ketik sebagai teks, 18 angka tanpa spasi, misalnya 198503142010031002. "
                 f"Kolom {nip} sudah berformat Teks. Jika Excel menampilkan 1,98503E+17, NIP itu "
                 "sudah terbulatkan: format selnya sebagai Teks lalu ketik ulang, atau awali "
                 "dengan tanda petik: '198503142010031002."),
        ("item", "Angka: 85,5 dan 85.5 sama-sama diterima. Tulis angkanya saja, tanpa satuan. "
                 "Jika Excel memperingatkan bahwa isinya bukan angka, pilih Yes/Ya untuk tetap "
                 "menyimpannya; Kinerja tetap membacanya."),
        ("item", "Bulan: tulis tahun dan bulan, misalnya 2026-03 untuk Maret 2026. Kolom bulan "
                 "sudah berformat Teks agar Excel tidak mengubahnya menjadi tanggal."),
        ("item", "Pilihan: klik sel lalu pilih dari daftar (tanda panah kecil di samping sel)."),
        ("item", "Judul kolom di baris 1 jangan diubah. Kolom tambahan di sebelah kanan boleh; "
                 "Kinerja mengabaikannya. Baris kosong juga boleh."),
        ("warning", f"Tab keluaran ({', '.join(t.label for t in results.OUTPUT_TABS)}) ditulis "
                    "ulang oleh Kinerja setiap kali dijalankan. Jangan mengetik di sana: "
                    "isinya akan hilang. Tab itu dikunci tanpa kata sandi agar tidak terketik "
                    "tanpa sengaja."),
        ("blank", ""),
    ]


def _settings_section() -> list[tuple[str, str]]:
    tab = schema.SETTINGS
    lines = [
        ("heading", f"Tab {tab.label}"),
        ("text", tab.description),
        ("text", f"Setiap baris adalah satu kunci (kolom {schema.SETTINGS_KEY_LABEL}); isi "
                 f"kolom {schema.SETTINGS_VALUE_LABEL} di sampingnya."),
    ]
    lines += [("item", describe_column(col)) for col in tab.columns]
    return lines + [("blank", "")]


def _input_section(tab: Tab) -> list[tuple[str, str]]:
    lines = [("heading", f"Tab {tab.label}" + ("" if tab.required else " (opsional)")),
             ("text", tab.description)]
    lines += [("item", describe_column(col)) for col in tab.columns]
    return lines + [("blank", "")]


def _shared_section(tab: Tab) -> list[tuple[str, str]]:
    """`Pengaduan` for the supervisor: what the tab is, what to fill, what a passed deadline does."""
    service, own = complaints.SERVICE_COLUMNS, complaints.SUPERVISOR_COLUMNS
    status, finished = tab.column("status"), tab.column("finished_on")
    deadline = tab.column("deadline").label
    new, done = complaints.STATUS_LABELS["new"], complaints.STATUS_LABELS["done"]
    setting = {c.name: c for c in schema.SETTINGS.columns}
    days, repeat = setting["complaint_deadline_days"], setting["complaint_repeat_threshold"]
    late_unit = results.UNIT_SUMMARY.column("complaints_overdue").label
    late_officer = results.RESULTS.column("complaints_overdue").label
    own_labels = ", ".join(c.label for c in own[:-1]) + " dan " + own[-1].label
    return [
        ("heading", f"Tab {tab.label} (ditulis bersama: Kinerja dan atasan)"),
        ("text", tab.description),
        ("item", f"Kolom {service[0].label} sampai {service[-1].label} diisi Kinerja dan dikunci seperti "
                 "tab keluaran: jangan diketik, isinya dihitung ulang setiap kali Kinerja menulis tab ini."),
        ("item", f"Atasan mengisi kolom {own_labels}. Isian itu tidak pernah ditimpa: Kinerja "
                 f"menyimpannya menurut {service[0].label} setiap kali menulis tab ini, juga bila barisnya "
                 "berpindah karena ada pengaduan baru."),
        ("item", f"{status.label}: pilih {', '.join(status.labels[:-1])} atau {status.labels[-1]}. Pengaduan "
                 f"baru berstatus {new}; ubah menjadi {complaints.STATUS_LABELS['in_progress']} saat "
                 f"ditangani dan {done} bila sudah tuntas."),
        *(("item", f"{c.label}: {c.note[:1].lower()}{c.note[1:]}") for c in own[1:]),
        ("item", f"{deadline}: {format_number(days.default)} hari kerja ({days.label}; Sabtu dan Minggu "
                 "tidak dihitung) sesudah hari pengaduan masuk."),
        ("warning", f"Bila {deadline} sudah lewat dan {status.label} belum {done}, baris itu berwarna merah; "
                    "warnanya berubah sendiri setiap hari, tanpa menunggu Kinerja dijalankan. Pengaduan "
                    f"seperti itu dihitung terlambat, juga yang {finished.label}-nya sesudah {deadline}: "
                    f"kolom {late_unit} di tab {results.UNIT_SUMMARY.label} (per unit dan seluruh instansi) "
                    f"dan {late_officer} di tab {results.RESULTS.label} (per petugas)."),
        ("item", f"Isi {finished.label} setiap kali memilih {done}: tanpa tanggal itu pengaduan tetap "
                 f"dihitung terlambat setelah {deadline} lewat, meskipun barisnya tidak merah."),
        ("item", f"Petugas dengan {format_number(repeat.default)} pengaduan atau lebih dalam satu periode "
                 f"({repeat.label}) mendapat Tindak Lanjut "
                 f"'{results.FOLLOW_UP_LABELS['complaints']}: {results.COMPLAINT_COUNT.format(count='n')}' "
                 f"di tab {results.RESULTS.label}."),
        ("item", f"Baris 1 menghitung pengaduan {new}, {complaints.STATUS_LABELS['in_progress']}, {done} dan "
                 "yang terlambat."),
        ("item", f"Menjadikan sebuah Saran pengaduan: ketik {service[0].label} jawaban itu (dari tab "
                 f"{schema.SURVEYS.label}) di baris kosong di bawah tabel; Kinerja melengkapi kolom lainnya "
                 "saat menulis tab ini berikutnya. Baris yang diketik sendiri tidak pernah dihapus."),
        ("blank", ""),
    ]


def _output_section(tab: Tab) -> list[tuple[str, str]]:
    columns = ", ".join(col.label for col in tab.columns)
    lines = [("heading", f"Tab {tab.label} (ditulis oleh Kinerja)"),
             ("text", tab.description),
             ("item", f"Kolom: {columns}.")]
    if tab is results.VALIDATION:
        lines.append(("item", f"{results.LEVEL_ERROR}: baris itu tidak dinilai sampai "
                              f"diperbaiki. {results.LEVEL_WARNING}: baris tetap dinilai, tetapi "
                              "periksa isinya. Baris 1 menunjukkan kapan pemeriksaan berjalan "
                              "dan jumlah masalahnya."))
    lines += _EXPLAINED.get(tab.name, lambda: [])()
    return lines + [("blank", "")]


def _results_notes() -> list[tuple[str, str]]:
    work = results.WORK_ACHIEVEMENT_LABEL
    agg = {c.code: c.label for c in schema.INDICATORS.column("aggregation").choices}
    return [
        ("item", f"{work} adalah capaian kumulatif: realisasi sejak Januari sampai akhir periode "
                 "dibandingkan dengan target sampai akhir periode yang sama, bukan capaian bulan itu "
                 "saja. Angka per IKI ada di tab " + results.CAPAIAN_IKI.label + "."),
        ("item", f"Bulan yang belum ada realisasinya dihitung begini. {agg['sum']}: realisasi bulan "
                 "itu tidak menambah jumlah, sedangkan targetnya tetap bertambah, sehingga capaian "
                 f"turun. {agg['mean']}: rata-rata hanya dari bulan yang dilaporkan. {agg['last']}: "
                 "memakai bulan terakhir yang dilaporkan. Bulan seperti itu tidak pernah dianggap "
                 f"lengkap diam-diam: ada {results.LEVEL_WARNING} di tab {results.VALIDATION.label}, "
                 "dan Status pegawai menyebut bulannya."),
        ("item", f"Status {results.STATUS_COMPLETE} hanya bila semua data pegawai untuk periode itu "
                 f"ada dan sah. Selain itu {results.STATUS_INCOMPLETE} dengan alasannya: SKP belum "
                 "diisi, realisasi periode ini belum diisi, sebagian IKI utama belum ada "
                 "realisasinya, atasan belum menilai, realisasi bulan sebelumnya belum ada, atau "
                 f"data ditolak (dengan sel yang ditolak, lihat tab {results.VALIDATION.label}). "
                 "Pegawai yang hasilnya bertumpu pada data ditolak atau bulan yang hilang tidak "
                 "diberi peringkat dan tidak dapat menjadi Pegawai Terbaik."),
        ("item", "Komponen Nilai menyebut bagian yang membentuk Nilai Kinerja pegawai itu "
                 "(Hasil Kerja, Perilaku, IKM). Bila satu bagian tidak ada, misalnya unitnya belum "
                 "punya jawaban survei, bobotnya dibagi ke bagian yang ada."),
    ]


def _indicator_notes() -> list[tuple[str, str]]:
    above = format_number(110)
    meets = format_number(90)
    return [
        ("item", "Target s.d. Periode dan Realisasi s.d. Periode dijumlahkan, dirata-ratakan atau "
                 "diambil yang terakhir sesuai Cara Agregasi IKI itu, sejak Januari. Capaian (%) "
                 "dipotong (tidak dibulatkan) ke dua desimal, sehingga 109,996 tertulis 109,99."),
        ("item", f"Cara membaca Rating Hasil Kerja (metode Mayoritas Indikator, ambang bawaan): IKI "
                 f"dengan capaian paling sedikit {above}% di atas ekspektasi, paling sedikit "
                 f"{meets}% sesuai, selebihnya di bawah. Pegawai Di Atas Ekspektasi bila lebih dari "
                 "separuh IKI-nya di atas dan tidak ada IKI utama yang di bawah; Di Bawah Ekspektasi "
                 "bila lebih dari separuh di bawah; selain itu Sesuai Ekspektasi. Rating dari tab "
                 f"{schema.SUPERVISOR_RATINGS.label} selalu didahulukan."),
        ("item", "Status menyebut IKI yang belum ada realisasinya, bulan yang belum dilaporkan, "
                 "atau target yang tidak sah."),
    ]


def _printing_notes() -> list[tuple[str, str]]:
    return [
        ("heading", "Mencetak"),
        ("text", "Setiap tab siap dicetak di kertas A4: selebar satu halaman (mendatar bila tabnya "
                 "lebar), baris judul kolom diulang di setiap halaman, dan kepala halaman memuat "
                 "Nama Instansi, nama tab, periode, tanggal cetak serta nomor halaman. Gunakan "
                 "filter pada baris judul (Hasil, Capaian IKI, Peringkat, Validasi) untuk mencetak "
                 "satu unit atau satu periode saja."),
        ("blank", ""),
    ]


_EXPLAINED = {results.RESULTS.name: _results_notes, results.CAPAIAN_IKI.name: _indicator_notes}


def guide_lines() -> list[tuple[str, str]]:
    """The Petunjuk tab as (style, text) rows, top to bottom.

    Examples:
        >>> guide_lines()[0]
        ('title', 'Petunjuk Pengisian Workbook Kinerja')
    """
    lines = _intro() + _routine() + _typing() + _settings_section()
    for tab in schema.INPUT_TABS:
        lines += _input_section(tab)
    lines += _shared_section(complaints.COMPLAINTS)
    for tab in results.OUTPUT_TABS:
        lines += _output_section(tab)
    lines += _printing_notes()
    return lines[:-1] if lines and lines[-1][0] == "blank" else lines


def guide_text() -> str:
    """The Petunjuk as plain text (for the README, a Google Sheet, or a quick look)."""
    return "\n".join(text for _, text in guide_lines())
