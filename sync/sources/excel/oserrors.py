"""What the file system said, as one Indonesian sentence a clerk can act on."""

from __future__ import annotations

import errno
from pathlib import Path

try:  # POSIX only; Windows refuses to replace a file another program has open anyway
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]


# --- words -----------------------------------------------------------------------------------


def _folder_message(path: Path, code: int | None) -> str:
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return (f"Disk tempat '{path}' penuh (atau kuota habis), jadi hasil tidak ditulis dan berkas "
                "tetap seperti semula. Kosongkan sebagian ruang disk, lalu jalankan lagi.")
    if code == errno.EROFS:
        return (f"'{path}' berada di lokasi yang hanya bisa dibaca (read-only), jadi hasil tidak dapat "
                "ditulis. Salin workbook ke folder yang bisa ditulisi, lalu jalankan lagi di sana.")
    if code in (errno.EACCES, errno.EPERM):
        return (f"Folder '{path.parent}' tidak mengizinkan Kinerja membuat atau mengganti berkas "
                "(izin folder, atau folder/berkas dikunci agar tidak bisa diubah), jadi hasil tidak "
                "ditulis dan berkas tetap seperti semula. Minta izin tulis untuk folder itu, atau "
                "salin workbook ke folder lain.")
    if code == errno.ENOENT:
        return (f"Folder '{path.parent}' tidak ditemukan lagi; mungkin dipindah selama Kinerja "
                "berjalan. Hasil tidak ditulis.")
    return (f"Hasil tidak dapat ditulis ke '{path}' ({_reason_code(code)}); berkas tetap seperti "
            "semula. Periksa disk dan folder itu, lalu jalankan lagi.")


def os_reason(ex: OSError) -> str:
    return _reason_code(ex.errno)


def _reason_code(code: int | None) -> str:
    words = {
        errno.EIO: "kesalahan baca/tulis disk",
        errno.ENAMETOOLONG: "nama atau lokasi berkas terlalu panjang",
        errno.ELOOP: "tautan (symlink) berputar",
        errno.ENOTDIR: "bagian dari lokasinya bukan folder",
        errno.EBUSY: "berkas sedang dipakai sistem",
        errno.ETXTBSY: "berkas sedang dipakai",
        errno.EXDEV: "berkas sementara dan workbook berada di disk berbeda",
    }
    return words.get(code, f"kode galat sistem {code}" if code else "galat sistem")
