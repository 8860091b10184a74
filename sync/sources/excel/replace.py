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
import re
import stat
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sync.errors import SourceChanged, SourceNotFound, WorkbookLocked, WorkbookNotWritable

try:  # POSIX only; Windows refuses to replace a file another program has open anyway
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

TEMP_PREFIX = ".kinerja-"
TEMP_SUFFIX = ".xlsx"
_TEMP_NAME = re.compile(r"\.kinerja-[A-Za-z0-9_]{6,16}\.xlsx")  # what tempfile.mkstemp makes
STALE_AFTER = 3600.0  # seconds: a temporary file this old belongs to a run that was killed
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


# --- lock files of Excel and LibreOffice -----------------------------------------------------


def refuse_if_open(path: Path, target: Path | None = None) -> None:
    """Raise WorkbookLocked when Excel or LibreOffice has the workbook open (its lock file)."""
    found = find_lock_file(path, target)
    if found is None:
        return
    lock, app, who = found
    person = who.split(" di komputer ")[0] if who else None
    ask = f"minta {person} menyimpan dan menutupnya" if person else "simpan dan tutup berkas itu di sana"
    raise WorkbookLocked(
        f"'{path.name}' sedang dibuka di {app} oleh {who or 'pengguna lain'} (berkas kunci "
        f"{lock.name}), jadi Kinerja tidak menulis ke berkas itu sekarang agar isinya tidak saling "
        f"menimpa: {ask}, lalu jalankan lagi. Jika berkas sudah tertutup, hapus berkas kunci "
        f"{lock.name} di folder yang sama.")


def find_lock_file(path: Path, target: Path | None = None) -> tuple[Path, str, str | None] | None:
    """(lock file, application, who) of the first lock file beside the path or its target."""
    places = [(path.parent, path.name)]
    if target is not None and (target.parent, target.name) != places[0]:
        places.append((target.parent, target.name))
    for folder, name in places:
        wanted = {f".~lock.{name}#".casefold(): "LibreOffice"}
        for cut in (0, 1, 2):  # Excel shortens long names: ~$ replaces their first characters
            if len(name) - cut > len(Path(name).suffix):
                wanted.setdefault(f"~${name[cut:]}".casefold(), "Excel")
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            app = wanted.get(entry.name.casefold())
            if app is None:
                continue
            lock = Path(entry.path)
            who = _libreoffice_user(lock) if app == "LibreOffice" else _excel_user(lock)
            return lock, app, who
    return None


def _read_small(path: Path, limit: int = 4096) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit)
    except OSError:
        return b""


def _excel_user(lock: Path) -> str | None:
    """The user name in an Excel owner file (`~$NAME.xlsx`).

    Its first byte is the length of the name, followed by the name in the
    Windows code page; at offset 54 the same name follows as a 2-byte length
    and UTF-16LE, which keeps letters the code page lacks.
    """
    data = _read_small(lock, 512)
    if len(data) >= 56:
        n = int.from_bytes(data[54:56], "little")
        if 0 < n <= 256 and len(data) >= 56 + 2 * n:
            with contextlib.suppress(UnicodeDecodeError):
                name = _printable(data[56:56 + 2 * n].decode("utf-16-le"))
                if name:
                    return name
    if data and 0 < data[0] < len(data):
        return _printable(data[1:1 + data[0]].decode("cp1252", errors="replace"))
    return None


def _libreoffice_user(lock: Path) -> str | None:
    """Who a LibreOffice lock file (`.~lock.NAME.xlsx#`) names.

    Its fields, separated by commas (escaped with a backslash inside a field),
    are: the name in LibreOffice's user data (often empty), the system user,
    the computer, the time, the profile. The system user is the one always there.
    """
    text = _read_small(lock).decode("utf-8", errors="replace")
    fields, current, escaped = [], [], False
    for ch in text:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in ",;":
            fields.append("".join(current))
            current = []
            if ch == ";":
                break
        else:
            current.append(ch)
    else:
        fields.append("".join(current))
    full = _printable(fields[0]) if fields else None
    user = _printable(fields[1]) if len(fields) > 1 else None
    host = _printable(fields[2]) if len(fields) > 2 else None
    who = user or full
    if full and user and full != user:
        who = f"{full} ({user})"
    if who and host:
        who = f"{who} di komputer {host}"
    return who


def _printable(text: str) -> str | None:
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    return text[:80] or None


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
