"""The temporary file beside a workbook: written with the original's mode and group; old leftovers removed."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

from sync.errors import WorkbookNotWritable
from sync.sources.excel.oserrors import _folder_message

try:  # POSIX only; Windows refuses to replace a file another program has open anyway
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]


TEMP_PREFIX = ".kinerja-"
TEMP_SUFFIX = ".xlsx"
_TEMP_NAME = re.compile(r"\.kinerja-[A-Za-z0-9_]{6,16}\.xlsx")  # what tempfile.mkstemp makes
STALE_AFTER = 3600.0  # seconds: a temporary file this old belongs to a run that was killed


# --- leftovers, permissions, the temporary file -------------------------------------------------


def remove_stale_temps(folder: Path, now: float | None = None) -> list[Path]:
    """Delete `.kinerja-*.xlsx` files a killed run left here over an hour ago; returns them."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_NAME.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and now - st.st_mtime > STALE_AFTER:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def refuse_read_only(path: Path, target: Path, st: os.stat_result) -> None:
    """WorkbookNotWritable when the file, its folder or its file system is read-only."""
    where = target.parent
    if _read_only_fs(where):
        raise WorkbookNotWritable(
            f"'{path}' berada di lokasi yang hanya bisa dibaca (read-only), jadi hasil tidak dapat "
            "ditulis. Salin workbook ke folder yang bisa ditulisi, lalu jalankan lagi di sana.")
    if not stat.S_IMODE(st.st_mode) & 0o222 or not os.access(target, os.W_OK):
        raise WorkbookNotWritable(
            f"'{path}' ditandai hanya-baca (read-only), jadi Kinerja tidak menimpanya. Jika hasil "
            "memang boleh ditulis, hapus tanda hanya-baca di properti berkas (atau minta pemiliknya), "
            "lalu jalankan lagi.")
    if not os.access(where, os.W_OK | os.X_OK):
        raise WorkbookNotWritable(_folder_message(path, errno.EACCES))


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


_temp_inode: dict[str, int] = {}  # temporary files this process made, so only those are deleted


def _write_temp(path: Path, target: Path, data: bytes, original: os.stat_result) -> Path:
    try:
        fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=target.parent)
    except OSError as ex:
        raise WorkbookNotWritable(_folder_message(path, ex.errno)) from None
    tmp = Path(name)
    try:
        _temp_inode[name] = os.fstat(fd).st_ino
        _keep_owner_and_mode(path, fd, original)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException as ex:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        _temp_inode.pop(name, None)
        if isinstance(ex, OSError):
            raise WorkbookNotWritable(_folder_message(path, ex.errno)) from None
        raise
    os.close(fd)
    return tmp


def _keep_owner_and_mode(path: Path, fd: int, original: os.stat_result) -> None:
    """The new file gets the original's owner (where allowed), group and permission bits."""
    if hasattr(os, "fchown"):
        try:
            os.fchown(fd, original.st_uid, original.st_gid)
        except PermissionError:
            with contextlib.suppress(PermissionError):
                os.fchown(fd, -1, original.st_gid)
        if os.fstat(fd).st_gid != original.st_gid:
            raise WorkbookNotWritable(
                f"Hasil tidak ditulis ke '{path}': berkas baru tidak dapat diberi grup yang sama "
                f"dengan aslinya (grup {original.st_gid}), sehingga rekan satu grup akan kehilangan "
                "akses. Jalankan Kinerja sebagai pengguna anggota grup itu, lalu ulangi.")
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(original.st_mode))


