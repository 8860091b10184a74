"""Replace a workbook file on disk without ever losing what a clerk saved.

The new content is written to a temporary file beside the workbook (same folder,
so the final move is a rename on one file system), with the original's
permission bits, owner where allowed, and group. Then, as the very last steps:

1. the workbook is opened and locked (`flock`, and a shared POSIX lock that fails
   while another program such as LibreOffice holds a write lock on it);
2. what is on disk right then is compared with what was read: its size, then a
   SHA-256 of its bytes, read through the locked handle, and its identity
   (device, inode, size, mtime_ns) against the path;
3. on Linux the two files are swapped atomically (`renameat2(RENAME_EXCHANGE)`),
   and the file that was swapped out is checked again: if it is not exactly the
   file verified in step 2 (a save landed in the microseconds between the check
   and the swap), it is swapped straight back, so the clerk's save is what stays.
   Elsewhere (or on a file system without the exchange) a final `stat` comparison
   sits immediately before `os.replace`.

A workbook that is open in Excel or LibreOffice (their lock files `~$NAME.xlsx`
and `.~lock.NAME.xlsx#` beside it) is not written, nor a read-only one. A symlink
is written through to its target. Every failure of the file system ends in one
Indonesian sentence (`WorkbookNotWritable`), with the original untouched and no
temporary file left; temporary files that a killed run left behind are removed
by the next write once they are an hour old.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sync.errors import SourceChanged, SourceNotFound, WorkbookLocked, WorkbookNotWritable

try:  # POSIX only; Windows refuses to replace a file another program has open anyway
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

from sync.sources.excel.lockfiles import find_lock_file, refuse_if_open  # noqa: F401 - part of this module's face
from sync.sources.excel.oserrors import _folder_message, _reason_code, os_reason  # noqa: F401
from sync.sources.excel.tempfiles import (  # noqa: F401
    STALE_AFTER,
    _read_only_fs,
    _temp_inode,
    _write_temp,
    refuse_read_only,
    remove_stale_temps,
)

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True)
class DiskState:
    """What identifies one version of a file on disk."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> DiskState:
        return cls(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def checkpoint(stage: str) -> None:
    """Called between the steps of a write; tests replace it to save the file "meanwhile"."""


# --- the write ------------------------------------------------------------------------------


def replace_workbook(path: Path, data: bytes, expected_sha256: str, expected_size: int,
                     changed_message: str) -> None:
    """Put `data` at `path` if the file there still has the content that was read.

    Args:
        path: the workbook as named by the user (may be a symlink).
        data: the new bytes.
        expected_sha256, expected_size: the file as it was read.
        changed_message: the SourceChanged message if someone saved it meanwhile.

    Raises:
        SourceChanged: the file on disk is not the one that was read.
        WorkbookLocked: it is open in Excel/LibreOffice, or another program locks it.
        WorkbookNotWritable: read-only file, folder or file system; full disk; lost group.
        SourceNotFound: the file (or a symlink's target) is gone.
    """
    target = resolve_target(path)
    refuse_if_open(path, target)
    remove_stale_temps(target.parent)
    try:
        before = os.stat(target)
    except FileNotFoundError:
        raise SourceNotFound(f"Berkas '{path}' tidak ditemukan lagi; mungkin dipindah atau "
                             "dihapus selama Kinerja berjalan. Hasil tidak ditulis.") from None
    refuse_read_only(path, target, before)
    checkpoint("before-temp")
    tmp = _write_temp(path, target, data, before)
    try:
        checkpoint("temp-written")
        refuse_if_open(path, target)
        with _locked(path, target) as handle:
            checkpoint("locked")
            verified = _verify(handle, target, expected_sha256, expected_size, changed_message)
            checkpoint("verified")
            _commit(path, tmp, target, handle, verified, expected_sha256, changed_message)
    finally:
        with contextlib.suppress(OSError):
            if tmp.exists() and tmp.stat().st_ino == _temp_inode.get(str(tmp)):
                tmp.unlink()
        _temp_inode.pop(str(tmp), None)
    _sync_folder(target.parent)


def resolve_target(path: Path) -> Path:
    """The file a path names, following symlinks, so the link itself stays a link."""
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        raise SourceNotFound(
            f"Berkas '{path}' tidak ditemukan (atau tautannya menunjuk ke berkas yang tidak ada). "
            "Periksa nama dan foldernya.") from None
    except OSError as ex:
        raise SourceNotFound(f"Lokasi berkas '{path}' tidak dapat dibuka: {os_reason(ex)}.") from None


# --- the last moments: lock, verify, swap --------------------------------------------------------


@contextlib.contextmanager
def _locked(path: Path, target: Path):
    try:
        handle = open(target, "rb")  # noqa: SIM115 - held across the commit
    except FileNotFoundError:
        raise SourceNotFound(f"Berkas '{path}' tidak ditemukan lagi; mungkin dipindah atau "
                             "dihapus selama Kinerja berjalan. Hasil tidak ditulis.") from None
    except OSError as ex:
        raise WorkbookNotWritable(_folder_message(path, ex.errno)) from None
    with handle:
        if fcntl is not None:
            _lock(path, handle.fileno())
        yield handle


def _lock(path: Path, fd: int) -> None:
    """Hold `flock` (two Kinerja processes never write one file at once) and a POSIX read
    lock (it fails while another program, e.g. LibreOffice, holds a write lock on the file).
    A file system without locks (ENOLCK, EBADF, EINVAL, EOPNOTSUPP) goes on without them."""
    attempts = (lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB),
                lambda: fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB))
    for attempt in attempts:
        try:
            attempt()
        except OSError as ex:
            if ex.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise WorkbookLocked(
                    f"'{path.name}' sedang dikunci oleh program lain (mungkin dibuka di LibreOffice "
                    "atau sedang ditulis proses Kinerja lain), jadi hasil tidak ditulis. Simpan dan "
                    "tutup berkas itu, lalu jalankan lagi.") from None


def _verify(handle, target: Path, expected_sha256: str, expected_size: int,
            changed_message: str) -> DiskState:
    """The state of the file the handle holds, if it is the content that was read."""
    held = DiskState.of(os.fstat(handle.fileno()))
    if held.size != expected_size or _hash(handle) != expected_sha256:
        raise SourceChanged(changed_message)
    if DiskState.of(os.fstat(handle.fileno())) != held or _state(target) != held:
        raise SourceChanged(changed_message)  # written while hashed, or replaced meanwhile
    return held


def _hash(handle) -> str:
    digest = hashlib.sha256()
    handle.seek(0)
    while chunk := handle.read(_HASH_CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _state(path: Path) -> DiskState | None:
    try:
        return DiskState.of(os.stat(path))
    except OSError:
        return None


def _commit(path: Path, tmp: Path, target: Path, handle, verified: DiskState,
            expected_sha256: str, changed_message: str) -> None:
    if _exchange is not None:
        checkpoint("before-replace")
        try:
            _exchange(tmp, target)
        except OSError as ex:
            if ex.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
                raise WorkbookNotWritable(_folder_message(path, ex.errno)) from None
        else:
            _check_swapped_out(path, tmp, target, handle, verified, expected_sha256,
                               changed_message)
            return
    checkpoint("before-replace")
    if _state(target) != verified:  # the last look, immediately before the rename
        raise SourceChanged(changed_message)
    try:
        os.replace(tmp, target)
    except OSError as ex:
        raise WorkbookNotWritable(_folder_message(path, ex.errno)) from None


def _check_swapped_out(path: Path, tmp: Path, target: Path, handle, verified: DiskState,
                       expected_sha256: str, changed_message: str) -> None:
    """After the swap, `tmp` holds what was at the path: it must be the verified file."""
    checkpoint("exchanged")
    swapped_out = _state(tmp)
    unchanged = swapped_out == verified and DiskState.of(os.fstat(handle.fileno())) == verified \
        and _hash(handle) == expected_sha256
    if unchanged:
        _temp_inode[str(tmp)] = verified.inode  # the old version: ours to delete
        return
    try:
        _exchange(tmp, target)  # someone saved in the last moments: theirs goes back
    except OSError:
        keep = target.with_name(f"{target.stem} (disimpan {time.strftime('%Y%m%d-%H%M%S')})"
                                f"{target.suffix}")
        with contextlib.suppress(OSError):
            os.replace(tmp, keep)
        raise SourceChanged(f"{changed_message} Versi yang baru disimpan ada di '{keep}'.") from None
    raise SourceChanged(changed_message)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (a power cut right after must not bring the old file back)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _linux_exchange():
    """`renameat2(RENAME_EXCHANGE)` through libc, or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2

    def exchange(a: Path, b: Path) -> None:
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(b))

    return exchange


_exchange = _linux_exchange()


