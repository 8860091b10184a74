"""Indonesian words and number/date formats the documents print.

Labels of scoring codes come from `sheet_templates` (the contract); only what
the workbook never shows is spelled here: month names, period names, the
pangkat of each golongan (domain.md §4) and the BerAKHLAK indicators
(domain.md §1.5), which the annex prints under each value.
"""

from __future__ import annotations

import math
import re
from datetime import date

from sheet_templates import results as R
from sheet_templates import schema as S

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")
ROMAN = ("I", "II", "III", "IV")

PANGKAT = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I", "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata", "III/d": "Penata Tingkat I", "IV/a": "Pembina", "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda", "IV/d": "Pembina Utama Madya", "IV/e": "Pembina Utama",
}
"""Pangkat (rank name) of each PNS golongan/ruang; PPPK golongan have none."""

BERAKHLAK_INDICATORS = {
    "service": ("Memahami dan memenuhi kebutuhan masyarakat",
                "Ramah, cekatan, solutif, dan dapat diandalkan",
                "Melakukan perbaikan tiada henti"),
    "accountable": ("Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan "
                    "berintegritas tinggi",
                    "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, "
                    "efektif, dan efisien",
                    "Tidak menyalahgunakan kewenangan jabatan"),
    "competent": ("Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
                  "Membantu orang lain belajar",
                  "Melaksanakan tugas dengan kualitas terbaik"),
    "harmonious": ("Menghargai setiap orang tanpa membedakan latar belakang",
                   "Suka menolong",
                   "Membangun lingkungan kerja yang kondusif"),
    "loyal": ("Memegang teguh ideologi Pancasila, UUD 1945, setia kepada NKRI dan "
              "pemerintahan yang sah",
              "Menjaga nama baik ASN, instansi, dan negara",
              "Menjaga rahasia jabatan dan negara"),
    "adaptive": ("Cepat menyesuaikan diri menghadapi perubahan",
                 "Terus berinovasi dan mengembangkan kreativitas",
                 "Bertindak proaktif"),
    "collaborative": ("Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
                      "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
                      "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama"),
}

ROLE_LABELS = {c.code: c.label for c in S.BEHAVIOURS.column("role").choices}
ASPECT_LABELS = {c.code: c.label for c in S.INDICATORS.column("aspect").choices}
RHK_TYPE_LABELS = {c.code: c.label for c in S.INDICATORS.column("rhk_type").choices}
ORG_PREDIKAT_LABELS = {c.code: c.label for c in S.ORG_PREDIKAT}
PREDIKAT_LABELS = R.PREDIKAT_LABELS
RATING_LABELS = R.RATING_LABELS
VALUE_LABELS = R.VALUE_LABELS
MISSING = "-"


def is_blank(value) -> bool:
    """True for None, NaN, pandas NA and strings that are empty after stripping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # NaN and pd.NA
    except TypeError:
        return True


def text(value) -> str:
    """A cell as clean text: blanks become "", whitespace runs one space."""
    if is_blank(value):
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def number(value, decimals: int = 2, trim: bool = False) -> str:
    """Indonesian number: '1.234,50'; `trim` drops trailing zeros ('12', '3,5'); '-' if missing.

    Examples:
        >>> number(1234.5), number(12.0, trim=True), number(3.333333, trim=True), number(None)
        ('1.234,50', '12', '3,33', '-')
    """
    if is_blank(value) or not math.isfinite(float(value)):
        return MISSING
    shown = f"{float(value):,.{decimals}f}"
    if trim and "." in shown:
        shown = shown.rstrip("0").rstrip(".")
    if shown in ("-0", "-0.00"):
        shown = shown[1:]
    return shown.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(value, decimals: int = 2) -> str:
    """'104,20%' or '-'."""
    shown = number(value, decimals)
    return shown if shown == MISSING else f"{shown}%"


def long_date(day: date) -> str:
    """'31 Maret 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def period_name(label: str, period_type: str, first_month: int) -> str:
    """The period as the annex heads it: 'BULAN MARET 2026', 'TRIWULAN I 2026', 'TAHUNAN 2026'."""
    year = label[:4]
    if period_type == "monthly":
        return f"BULAN {MONTHS[first_month - 1].upper()} {year}"
    if period_type == "quarterly":
        return f"TRIWULAN {ROMAN[(first_month - 1) // 3]} {year}"
    if period_type == "semester":
        return f"SEMESTER {ROMAN[(first_month - 1) // 6]} {year}"
    return f"TAHUNAN {year}"


def short_period(label: str, period_type: str) -> str:
    """A chart axis label: 'Mar', 'T1', 'S1', '2026'."""
    if period_type == "monthly":
        return MONTHS[int(label[5:7]) - 1][:3]
    return label[5:] or label


def rank_text(rank) -> str:
    """'Penata Muda Tingkat I, III/b' for a PNS golongan; PPPK and unknown ranks as typed."""
    shown = text(rank)
    name = PANGKAT.get(shown)
    return f"{name}, {shown}" if name else shown


def follow_up_words(codes) -> list[str]:
    """Follow-up codes as the words of the Hasil tab ('Pelatihan: Akuntabel')."""
    words = []
    for code in codes or ():
        kind, _, detail = str(code).partition(":")
        word = R.FOLLOW_UP_LABELS.get(kind, kind)
        words.append(f"{word}: {VALUE_LABELS.get(detail, detail)}" if detail else word)
    return words


def status_text(status, reasons) -> str:
    """'Lengkap' or 'Belum Lengkap: atasan belum menilai'."""
    if status == "complete":
        return R.STATUS_COMPLETE
    words = [R.REASON_LABELS.get(r, r) for r in reasons or ()]
    return f"{R.STATUS_INCOMPLETE}: {'; '.join(words)}" if words else R.STATUS_INCOMPLETE


def breach_text(breaches) -> str:
    """Each breached SE 03/2023 limit as a short Indonesian phrase, joined by '; ' (decimal comma)."""
    from sync.render.results import breach_text as phrases

    return phrases(breaches, number=lambda value: number(value, 1))


_LONG_WORD = re.compile(r"\S{24,}")


def breakable(value) -> str:
    """Text with zero-width spaces in words of 24+ characters (URLs, codes), so they wrap."""
    shown = text(value)

    def split(match: re.Match) -> str:
        word = re.sub(r"([/_.\-?&=])", "\\1\u200b", match.group(0))
        return re.sub(r"([^\u200b]{16})(?=[^\u200b])", "\\1\u200b", word)

    return _LONG_WORD.sub(split, shown)
