"""Lenient readers for one cell: what a person typed, to the value they meant.

Each parser takes a raw cell (str, float, int, bool, date, datetime or None as
delivered by python-calamine or the Sheets API) and returns the parsed value,
or raises `CellError` naming the problem and the fix in Indonesian. They are
pure and small so that validation can apply them column by column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from urllib.parse import urlparse

from openpyxl.utils import get_column_letter

MONTHS_ID = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
    "november": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
}
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Numbers beyond these magnitudes are typing slips (1e308, 0,000…1); left in, a ratio or a sum
# of them overflows to infinity in scoring. Excel itself keeps only 15 significant digits.
LARGEST_NUMBER = 1e15
SMALLEST_NUMBER = 1e-100
EXCEL_DIGITS = 15


class CellError(ValueError):
    """A cell that cannot be read: `problem` and `fix` are shown to the clerk."""

    def __init__(self, problem: str, fix: str):
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


class NoSuchRank(CellError):
    """A pangkat/golongan that reads clearly but does not exist (III/e): a Galat, not a guess."""


def is_blank(value) -> bool:
    """True for cells a person would call empty (None, '', spaces, NaN)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    return False


def as_text(value) -> str:
    """The cell as the clerk sees it, for messages and text columns."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            if abs(value) < 10**EXCEL_DIGITS:
                return str(int(value))
            return excel_digits(value)
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time() else value.strftime(
            "%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()


_SPACES = re.compile(r"\s+")


def excel_digits(value: float) -> str:
    """A large whole number as Excel shows it: 15 significant digits, the rest zeros.

    An 18-digit NIP typed into a number cell is stored as 1.98503142010031E+17;
    Excel shows 198503142010031000, while the float's own digits end in ...008.
    """
    if not math.isfinite(value):
        return str(value)
    digits = f"{value:.{EXCEL_DIGITS - 1}e}"  # d.dddddddddddddde+XX
    mantissa, exponent = digits.split("e")
    sign = "-" if mantissa.startswith("-") else ""
    mantissa = mantissa.lstrip("-").replace(".", "")
    exponent = int(exponent)
    if exponent < len(mantissa) - 1:
        return repr(value)
    if exponent >= 21:  # Excel writes these as 1E+308 even in the formula bar
        digits = mantissa.rstrip("0") or "0"
        shown = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{shown}E+{exponent}"
    return sign + mantissa + "0" * (exponent - len(mantissa) + 1)


def check_magnitude(number: float) -> float:
    """`number`, or CellError when it is too large (or too close to zero) to compute with."""
    size = abs(number)
    if size > LARGEST_NUMBER:
        raise CellError("terlalu besar untuk dihitung (lebih dari 15 digit)",
                        "Periksa angkanya; ketik nilai yang sebenarnya, paling banyak 15 digit.")
    if 0 < size < SMALLEST_NUMBER:
        raise CellError("terlalu kecil untuk dihitung (hampir nol tetapi bukan nol)",
                        "Ketik 0, atau nilai yang sebenarnya.")
    return number


def normalise_label(text: str) -> str:
    """Case-, space- and punctuation-insensitive form of a label (for headers and dropdowns).

    "N.I.P.", "nip" and " NIP " are the same label; so are "Bobot (%)" and "bobot".
    """
    text = str(text).casefold().replace("\u00a0", " ")
    text = re.sub(r"[\s_\-./()%:'’*]+", " ", text).strip()
    words = text.split(" ")
    # Letters typed apart with dots or spaces ("n i p") read as one word ("nip").
    merged, run = [], ""
    for word in words:
        if len(word) == 1 and word.isalpha():
            run += word
            continue
        if run:
            merged.append(run)
            run = ""
        merged.append(word)
    if run:
        merged.append(run)
    return " ".join(w for w in merged if w)


def parse_number(value) -> float:
    """A number typed any way an Indonesian clerk would: 85,5 · 85.5 · 1.234,5 · 90% · ' 12 '."""
    if isinstance(value, bool):
        raise CellError("berisi nilai benar/salah, bukan angka", "Ketik angka, misalnya 85,5.")
    if isinstance(value, int):
        if abs(value) > LARGEST_NUMBER:
            return check_magnitude(math.inf)
        return float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("bukan angka yang sah", "Ketik angka, misalnya 85,5.")
        return check_magnitude(value)
    if isinstance(value, dt.date):
        raise CellError("berisi tanggal, bukan angka",
                        "Ketik angka; jika Excel mengubahnya menjadi tanggal, format sel sebagai Angka.")
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    text = text.removesuffix("%")
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?", text):  # 1.234,5 (Indonesian grouping)
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text) and "." in text:  # 1,234.5
        text = text.replace(",", "")
    elif text.count(",") == 1 and "." not in text:  # 85,5
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise CellError("bukan angka", "Ketik angka saja, misalnya 85,5 (tanpa satuan atau huruf).") from None
    if math.isnan(number) or (math.isinf(number) and text.lstrip("+-").isalpha()):
        raise CellError("bukan angka yang sah", "Ketik angka, misalnya 85,5.")
    return check_magnitude(number)


def parse_int(value) -> int:
    """A whole number; 4,0 is fine, 4,5 is not."""
    number = parse_number(value)
    if not number.is_integer():
        raise CellError("harus bilangan bulat", "Ketik bilangan bulat tanpa koma, misalnya 4.")
    return int(number)


def parse_nip(value) -> str:
    """An 18-digit NIP as text; spaces inside ('19770312 200312 2 007') are allowed."""
    if isinstance(value, bool):
        raise CellError("bukan NIP", "Ketik 18 angka NIP.")
    if isinstance(value, int) and len(str(value)) == 18:
        return str(value)  # an exact integer (e.g. from an API): every digit survived
    if isinstance(value, int | float):
        # Excel keeps 15 significant digits, so an 18-digit NIP stored as a number has lost
        # its last digits; accepting it would silently attach data to the wrong person.
        raise CellError(
            "tersimpan sebagai angka sehingga Excel membulatkan digit terakhirnya",
            "Format kolom NIP sebagai Teks (Format Cells > Text), lalu ketik ulang NIP-nya.")
    text = re.sub(r"[\s.\-]", "", str(value))
    if text.startswith("'"):
        text = text[1:]
    if not text.isdigit() or not text.isascii():
        raise CellError("hanya boleh berisi angka", "Ketik 18 angka NIP tanpa huruf atau tanda baca.")
    if len(text) != 18:
        raise CellError(f"harus 18 angka, bukan {len(text)}", "Periksa NIP pada SK atau kartu pegawai.")
    return text


def parse_code(value) -> str:
    """An identifier (Kode IKI, ID Respons) as text; 12.0 from a number cell becomes '12'."""
    text = as_text(value)
    if not text:
        raise CellError("kosong", "Isi kode.")
    return text


def parse_month(value, default_year: int | None = None) -> tuple[int, int]:
    """(year, month) from 2026-03 · 03/2026 · 3-2026 · Maret 2026 · Mar-26 · a date cell."""
    if isinstance(value, dt.date):
        return value.year, value.month
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial date that arrived unformatted
            day = EXCEL_EPOCH + dt.timedelta(days=float(value))
            return day.year, day.month
        raise CellError("bukan bulan", "Ketik bulan sebagai TTTT-BB, misalnya 2026-03.")
    text = str(value).strip().casefold()
    m = re.fullmatch(r"(\d{4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*\d{1,2})?", text)
    if m:
        year, month = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"(\d{1,2})\s*[-/.]\s*(\d{4})", text):
        year, month = int(m[2]), int(m[1])
    elif m := re.fullmatch(r"([a-z]+)\.?\s*[-/ ]?\s*(\d{2}|\d{4})", text):
        if m[1] not in MONTHS_ID:
            raise CellError(f"nama bulan '{m[1]}' tidak dikenal", "Ketik misalnya Maret 2026 atau 2026-03.")
        month = MONTHS_ID[m[1]]
        year = int(m[2]) if len(m[2]) == 4 else 2000 + int(m[2])
    else:
        raise CellError("bukan bulan", "Ketik bulan sebagai TTTT-BB, misalnya 2026-03.")
    if not 1 <= month <= 12:
        raise CellError(f"bulan {month} tidak ada", "Bulan harus 01 sampai 12, misalnya 2026-03.")
    return year, month


def parse_datetime(value) -> dt.datetime:
    """A timestamp from a date cell, an ISO text, or dd/mm/yyyy [hh:mm[:ss]]."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(
            dt.UTC).replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20000 < value < 80000:
            return EXCEL_EPOCH + dt.timedelta(days=float(value))
        raise CellError("bukan tanggal", "Ketik tanggal sebagai TTTT-BB-HH jj:mm, misalnya 2026-03-14 09:21.")
    text = str(value).strip()
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed if parsed.tzinfo is None else parsed.astimezone(dt.UTC).replace(tzinfo=None)
    except ValueError:
        pass
    for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise CellError("bukan tanggal", "Ketik tanggal sebagai TTTT-BB-HH jj:mm, misalnya 2026-03-14 09:21.")


# A link urlparse reads as http(s) with a host, recognised without it (it costs 15 µs a link).
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9._~%!$&'()*+,;=-]+(?:[/?#].*)?", re.IGNORECASE | re.DOTALL)


def parse_url(value) -> str:
    """An http or https link."""
    text = as_text(value)
    if _PLAIN_URL.fullmatch(text):
        return text
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise CellError("bukan tautan http/https", "Salin tautan lengkap yang diawali https://.")
    return text


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    return get_column_letter(index + 1)


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII")


def nip_layout(nip: str) -> str:
    """'pppk' when the 13th digit is the PPPK code 2, else 'pns' (a TMT month starts with 0 or 1)."""
    return "pppk" if nip[12] == "2" else "pns"


def check_nip_layout(nip: str) -> None:
    """Raise CellError unless the 18 digits follow the PNS or PPPK layout (domain.md §4).

    PNS: YYYYMMDD birth + YYYYMM TMT + sex (1/2) + NNN. PPPK: YYYYMMDD birth +
    YYYY TMT + 2 + term (1–9) + sex (1/2) + NNN.
    """
    try:
        born = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise CellError(f"8 angka pertama ({nip[:8]}) bukan tanggal lahir yang sah",
                        "Periksa tanggal lahir dalam NIP (TTTTBBHH) pada SK pegawai.") from None
    if not 1940 <= born.year <= dt.date.today().year - 15:
        raise CellError(f"tahun lahir {born.year} dalam NIP tidak masuk akal",
                        "Periksa 4 angka pertama NIP pada SK pegawai.")
    layout = nip_layout(nip)
    tmt_year = int(nip[8:12])
    if layout == "pns":
        tmt_month, sex, seq = int(nip[12:14]), nip[14], nip[15:]
        if not 1 <= tmt_month <= 12:
            raise CellError(f"bulan TMT {nip[12:14]} dalam NIP tidak ada",
                            "Angka ke-13 dan ke-14 NIP PNS adalah bulan TMT CPNS (01–12).")
    else:
        sex, seq = nip[14], nip[15:]
        if nip[13] == "0":
            raise CellError("angka ke-14 NIP PPPK (periode) tidak boleh 0", "Periksa NIP pada SK PPPK.")
    if not born.year + 15 <= tmt_year <= dt.date.today().year + 1:
        raise CellError(f"tahun TMT {tmt_year} dalam NIP tidak cocok dengan tahun lahir {born.year}",
                        "Periksa angka ke-9 sampai ke-12 NIP pada SK pegawai.")
    if sex not in "12":
        raise CellError(f"angka jenis kelamin dalam NIP adalah {sex}, harus 1 atau 2",
                        "Periksa angka ke-15 NIP pada SK pegawai.")
    if seq == "000":
        raise CellError("nomor urut NIP tidak boleh 000", "Periksa 3 angka terakhir NIP.")


PNS_LAST_GRADE = {"I": "d", "II": "d", "III": "d", "IV": "e"}  # I/a–I/d … IV/a–IV/e
PNS_RANKS_TEXT = "I/a–I/d, II/a–II/d, III/a–III/d, IV/a–IV/e"
_PNS_RANK = re.compile(r"(IV|III|II|I|[1-4])\s*[/.\-]?\s*([A-Ea-e])")
# "IV/f": written as a golongan, but past the ladder's last letter (a Galat, not an unreadable text)
_PNS_RANK_BEYOND = re.compile(r"(IV|III|II|I|[1-4])\s*[/.\-]\s*([F-Zf-z])")


def parse_rank(value, asn_type: str | None) -> str:
    """A pangkat/golongan in canonical form: PNS 'III/b', PPPK 'IX' (spelling variants accepted)."""
    text = as_text(value).upper().replace("TK.", "").replace("TKT.", "")
    inner = re.search(r"\(([^)]*)\)", text)  # "Penata Muda Tk. I (III/b)"
    candidate = (inner[1] if inner else text).strip()
    m = _PNS_RANK.fullmatch(candidate) or _PNS_RANK_BEYOND.fullmatch(candidate) or _PNS_RANK.search(candidate)
    if asn_type != "pppk" and m:
        group = m[1] if not m[1].isdigit() else ROMAN[int(m[1]) - 1]
        rank = f"{group}/{m[2].lower()}"
        if rank[-1] > PNS_LAST_GRADE[group]:
            raise NoSuchRank(f"tidak ada: golongan {group} hanya sampai {group}/{PNS_LAST_GRADE[group]}",
                             f"Golongan PNS: {PNS_RANKS_TEXT}. Periksa SK pangkat terakhir pegawai.")
        return rank
    plain = candidate.replace(" ", "")
    if asn_type != "pns" and (plain in ROMAN or (plain.isdigit() and 1 <= int(plain) <= 17)):
        return plain if plain in ROMAN else ROMAN[int(plain) - 1]
    if asn_type == "pppk":
        raise CellError("bukan golongan PPPK", "Golongan PPPK ditulis I sampai XVII, misalnya IX.")
    raise CellError("bukan pangkat/golongan PNS",
                    f"Tulis golongan PNS seperti III/b ({PNS_RANKS_TEXT}).")
