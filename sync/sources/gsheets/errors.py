"""Google's errors → `SyncError`s whose Indonesian message tells the clerk's IT person what to do."""

from __future__ import annotations

import re

import requests
from google.auth import exceptions as auth_errors
from gspread.exceptions import APIError

from sync.errors import (
    GSheetAccessDenied,
    GSheetCredentialsInvalid,
    GSheetNotFound,
    GSheetRequestRejected,
    GSheetTabMissing,
    GSheetUnavailable,
    SyncError,
)
from sync.sources.gsheets.http import RetriesExhausted

_RANGE = re.compile(r"Unable to parse range: (?P<range>.+)$")
_DISABLED = ("has not been used in project", "it is disabled", "SERVICE_DISABLED")
UNCHANGED = "Google Sheet tidak diubah."


def translate(exc: Exception, *, key: str, email: str | None, action: str) -> SyncError | None:
    """The `SyncError` for a failure of one API call, or None when `exc` is not Google's.

    Args:
        exc: what the gspread call raised.
        key: the spreadsheet key, named in messages.
        email: the service account's e-mail (from the key file), named in 403 messages.
        action: what Kinerja was doing, in Indonesian ("membaca daftar tab").
    """
    if isinstance(exc, RetriesExhausted):
        return _exhausted(exc, action)
    if isinstance(exc, auth_errors.TransportError | requests.ConnectionError | requests.Timeout):
        return GSheetUnavailable(
            f"Tidak dapat terhubung ke Google saat {action} ({exc}). Periksa koneksi internet "
            f"server, lalu jalankan lagi. {UNCHANGED}")
    if isinstance(exc, auth_errors.RefreshError):
        reason = exc.args[0] if exc.args else exc  # args[1] is Google's raw answer: not for clerks
        return GSheetCredentialsInvalid(
            f"Google menolak kunci akun layanan {email or ''} saat masuk ({reason}). Kunci itu mungkin "
            "sudah dihapus atau akun layanannya dinonaktifkan: buat kunci JSON baru (Service Accounts "
            "> Keys > Add key) dan arahkan GOOGLE_APPLICATION_CREDENTIALS ke berkas itu.")
    if isinstance(exc, APIError):
        return _api_error(exc, key, email, action)
    return None


def _api_error(exc: APIError, key: str, email: str | None, action: str) -> SyncError:
    status = exc.response.status_code
    message = str(exc.error.get("message", "")).strip()
    if status == 403:
        if any(mark in message or mark in str(exc.error.get("details", "")) for mark in _DISABLED):
            return GSheetAccessDenied(
                "Google Sheets API belum diaktifkan di proyek Google Cloud milik akun layanan. Buka "
                "console.cloud.google.com > APIs & Services > Library, cari 'Google Sheets API', klik "
                "Enable (Aktifkan), tunggu beberapa menit, lalu jalankan lagi.")
        who = email or "akun layanan (alamat client_email di berkas kunci JSON)"
        return GSheetAccessDenied(
            f"Google Sheet '{key}' belum dibagikan ke {who}. Buka Sheet itu, klik Bagikan (Share), "
            f"tambahkan {who} sebagai Editor, lalu jalankan lagi.")
    if status == 404:
        return GSheetNotFound(
            f"Google Sheet dengan kunci '{key}' tidak ditemukan. Periksa alamatnya: salin URL lengkap "
            "dari bilah alamat browser (kuncinya adalah bagian di antara /d/ dan /edit). Jika Sheet baru "
            "dihapus, pulihkan dari Sampah (Trash) Google Drive.")
    if status == 401:
        return GSheetCredentialsInvalid(
            f"Google menolak kunci akun layanan {email or ''} (HTTP 401). Buat kunci JSON baru dan "
            "arahkan GOOGLE_APPLICATION_CREDENTIALS ke berkas itu.")
    match = _RANGE.search(message)
    if status == 400 and match:
        return GSheetTabMissing(
            f"Tab {match['range']} tidak ada lagi di Google Sheet saat {action}; mungkin baru saja diganti "
            "namanya atau dihapus. Kembalikan nama tab seperti di tab Petunjuk, lalu jalankan lagi. "
            f"{UNCHANGED}")
    return GSheetRequestRejected(
        f"Google Sheets menolak permintaan Kinerja saat {action} (HTTP {status}): {message or exc}. "
        "Ini kesalahan di Kinerja, bukan di isi Sheet; laporkan pesan ini ke pengelola Kinerja. "
        f"{UNCHANGED}")


def _exhausted(exc: RetriesExhausted, action: str) -> GSheetUnavailable:
    if exc.status == 429:
        what = "kuota Google Sheets habis (HTTP 429: terlalu banyak permintaan per menit)"
    elif exc.status is None:
        what = f"Google Sheets tidak dapat dihubungi ({exc.last})"
    else:
        what = f"Google Sheets sedang tidak tersedia (HTTP {exc.status})"
    waited = (f" Google meminta menunggu {exc.wait_asked:.0f} detik, lebih lama dari batas waktu."
              if exc.wait_asked else "")
    return GSheetUnavailable(
        f"Saat {action}, {what}; sudah dicoba {exc.attempts} kali selama {exc.elapsed:.0f} detik.{waited} "
        f"Tunggu beberapa menit lalu jalankan lagi. {UNCHANGED}")
