"""Writing a workbook file never loses what a clerk saved, and never falls over (issue 12).

A "clerk's save" here is what Excel does (a new file renamed over the old one)
or what some programs do (the same file rewritten in place), performed at every
step of a write, including inside the final swap; the clerk's bytes must be
what is on disk afterwards, every time.
"""

from __future__ import annotations

import errno
import os
import random
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sync.errors import SourceChanged, SyncError, WorkbookLocked, WorkbookNotWritable
from sync.outtabs import OutputColumn, OutputTab
from sync.sources.excel import package
from sync.sources.excel.source import ExcelSource
from tests.helpers import write_workbook

VALIDASI = OutputTab("Validasi", [OutputColumn("Masalah", width=40)], [("tidak ada masalah",)])


def _tabs(rows: int = 3, marker: str = "asli") -> dict:
    return {"Pegawai": [["NIP", "Nama"], *[[f"{198501012010011000 + i}", f"{marker} {i}"]
                                           for i in range(rows)]]}


@pytest.fixture
def book(tmp_path) -> Path:
    return write_workbook(tmp_path / "w.xlsx", _tabs())


@pytest.fixture
def clerk_bytes(tmp_path) -> bytes:
    """What the clerk saves: a different, valid workbook."""
    return write_workbook(tmp_path / "clerk-version.xlsx", _tabs(marker="diketik clerk")).read_bytes()


def save_by_rename(path: Path, data: bytes) -> None:
    """Excel's way: write a new file, rename it over the workbook."""
    side = path.with_name(f"~clerk{random.random()}.tmp")
    side.write_bytes(data)
    os.replace(side, path)


def save_in_place(path: Path, data: bytes) -> None:
    with open(path, "r+b") as handle:
        handle.truncate(0)
        handle.write(data)


SAVES = {"rename": save_by_rename, "in-place": save_in_place}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".kinerja-"))


# --- the race ------------------------------------------------------------------------------------


def test_a_save_while_the_new_package_is_built_is_not_overwritten(book, clerk_bytes, monkeypatch):
    # The reported case: the clerk saves during the (long) build of the new package.
    real = package.replace_sheets

    def slow_build(original, tabs):
        out = real(original, tabs)
        save_by_rename(book, clerk_bytes)
        return out

    monkeypatch.setattr(package, "replace_sheets", slow_build)
    source = ExcelSource(book)
    source.read()
    with pytest.raises(SourceChanged, match="berubah setelah dibaca"):
        source.write([VALIDASI])
    assert book.read_bytes() == clerk_bytes
    assert leftovers(book.parent) == []


STAGES = ["built", "before-temp", "temp-written", "locked", "verified", "before-replace"]


@pytest.mark.parametrize("how", SAVES)
@pytest.mark.parametrize("stage", STAGES)
def test_a_save_at_any_step_of_the_write_wins(book, clerk_bytes, monkeypatch, stage, how):
    from sync.sources.excel import replace as disk

    def checkpoint(name):
        if name == stage:
            SAVES[how](book, clerk_bytes)

    monkeypatch.setattr(disk, "checkpoint", checkpoint)
    source = ExcelSource(book)
    source.read()
    with pytest.raises(SourceChanged):
        source.write([VALIDASI])
    assert book.read_bytes() == clerk_bytes
    assert leftovers(book.parent) == []


@pytest.mark.parametrize("how", SAVES)
def test_a_save_inside_the_final_swap_is_swapped_back(book, clerk_bytes, monkeypatch, how):
    # The very last moment: after every check, as the rename itself starts.
    from sync.sources.excel import replace as disk

    if disk._exchange is None:
        pytest.skip("no renameat2(RENAME_EXCHANGE) here")
    real = disk._exchange
    calls = []

    def exchange(a, b):
        if not calls:
            SAVES[how](book, clerk_bytes)
        calls.append((a, b))
        real(a, b)

    monkeypatch.setattr(disk, "_exchange", exchange)
    source = ExcelSource(book)
    source.read()
    with pytest.raises(SourceChanged):
        source.write([VALIDASI])
    assert len(calls) == 2  # swapped, seen to be someone else's file, swapped back
    assert book.read_bytes() == clerk_bytes
    assert leftovers(book.parent) == []


@pytest.mark.parametrize("how", SAVES)
def test_a_save_right_after_the_swap_stays(book, clerk_bytes, monkeypatch, how):
    from sync.sources.excel import replace as disk

    monkeypatch.setattr(disk, "checkpoint",
                        lambda name: SAVES[how](book, clerk_bytes) if name == "exchanged" else None)
    source = ExcelSource(book)
    source.read()
    source.write([VALIDASI])  # ours landed first; theirs, saved after it, is what stays
    assert book.read_bytes() == clerk_bytes


@pytest.mark.parametrize("stage", STAGES)
def test_without_the_atomic_swap_the_last_check_still_precedes_the_rename(book, clerk_bytes,
                                                                           monkeypatch, stage):
    from sync.sources.excel import replace as disk

    monkeypatch.setattr(disk, "_exchange", None)  # e.g. a network share, another OS
    monkeypatch.setattr(disk, "checkpoint",
                        lambda name: save_by_rename(book, clerk_bytes) if name == stage else None)
    source = ExcelSource(book)
    source.read()
    with pytest.raises(SourceChanged):
        source.write([VALIDASI])
    assert book.read_bytes() == clerk_bytes


def test_saves_at_random_moments_during_many_writes_are_never_lost(tmp_path):
    book = write_workbook(tmp_path / "besar.xlsx", _tabs(rows=3000))
    original = book.read_bytes()
    clerk = write_workbook(tmp_path / "clerk.xlsx", _tabs(rows=3000, marker="clerk")).read_bytes()
    big = OutputTab("Hasil", [OutputColumn("NIP"), OutputColumn("Nama")],
                    [(str(i), f"pegawai {i}") for i in range(20_000)])
    durations = []
    for _ in range(2):  # the second, warm write is what the clerk races against
        book.write_bytes(original)
        started = time.perf_counter()
        probe = ExcelSource(book)
        probe.read(set())
        probe.write([big])
        durations.append(time.perf_counter() - started)
    duration = durations[-1]
    rng = random.Random(12)
    outcomes = {"refused": 0, "saved after ours": 0}
    for _ in range(30):
        book.write_bytes(original)
        source = ExcelSource(book)
        source.read(set())
        # Mostly in the last fifth of the write, where the reported edits were lost.
        delay = duration * (rng.uniform(0.8, 1.1) if rng.random() < 0.7 else rng.uniform(0, 1))
        clerk_thread = threading.Timer(delay, save_by_rename, (book, clerk))
        clerk_thread.start()
        try:
            source.write([big])
            outcomes["saved after ours"] += 1
        except SourceChanged:
            outcomes["refused"] += 1
        clerk_thread.join()
        assert book.read_bytes() == clerk
    assert leftovers(tmp_path) == []
    assert outcomes["refused"] > 0


# --- Excel and LibreOffice have it open ----------------------------------------------------------


def _excel_owner_file(name: str) -> bytes:
    ansi = name.encode("cp1252", errors="replace")
    head = bytes([len(ansi)]) + ansi
    head += b" " * (54 - len(head))
    return head + len(name).to_bytes(2, "little") + name.encode("utf-16-le") + b"\x00" * 20


@pytest.mark.parametrize(("lock_name", "content", "who", "app"), [
    ("~$w.xlsx", _excel_owner_file("Budi Santoso"), "Budi Santoso", "Excel"),
    ("~$w.xlsx", bytes([4]) + b"Budi", "Budi", "Excel"),
    (".~lock.w.xlsx#", b"Siti Aminah,siti,PC-KEPEG,02.12.2026 08:15,file:///home/siti/.config;",
     "siti", "LibreOffice"),
    (".~lock.w.xlsx#", b",siti,PC-KEPEG,02.12.2026 08:15,file:///home/siti/.config;", "siti",
     "LibreOffice"),
])
def test_a_workbook_open_in_excel_or_libreoffice_is_not_written(book, lock_name, content, who, app):
    (book.parent / lock_name).write_bytes(content)
    before = book.read_bytes()
    source = ExcelSource(book)
    source.read()
    with pytest.raises(WorkbookLocked) as caught:
        source.write([VALIDASI])
    message = str(caught.value)
    assert who in message and app in message and "tutup" in message and lock_name in message
    assert isinstance(caught.value, SyncError)
    assert book.read_bytes() == before
    assert leftovers(book.parent) == []


def test_excel_lock_of_a_long_name_drops_its_first_characters(tmp_path):
    book = write_workbook(tmp_path / "dinkes-2026.xlsx", _tabs())
    (tmp_path / "~$nkes-2026.xlsx").write_bytes(_excel_owner_file("Ratna"))
    source = ExcelSource(book)
    source.read()
    with pytest.raises(WorkbookLocked, match="Ratna"):
        source.write([VALIDASI])


def test_a_lock_file_without_a_name_still_refuses(book):
    (book.parent / ".~lock.w.xlsx#").write_bytes(b"")
    source = ExcelSource(book)
    source.read()
    with pytest.raises(WorkbookLocked, match="pengguna lain"):
        source.write([VALIDASI])


def test_survey_flush_appends_refuse_an_open_workbook_too(book):
    (book.parent / "~$w.xlsx").write_bytes(_excel_owner_file("Budi"))
    before = book.read_bytes()
    source = ExcelSource(book)
    source.read(set())
    with pytest.raises(WorkbookLocked, match="Budi"):
        source.append_rows("Survei", ["ID Respons"], [["r1"]])
    assert book.read_bytes() == before


def test_another_writer_holding_a_lock_is_refused(book):
    import fcntl

    source = ExcelSource(book)
    source.read()
    with open(book, "rb") as other:  # another Kinerja process mid-write holds flock
        fcntl.flock(other.fileno(), fcntl.LOCK_EX)
        with pytest.raises(WorkbookLocked, match="dikunci"):
            source.write([VALIDASI])


def test_a_program_holding_a_posix_write_lock_is_refused(book):
    # LibreOffice locks the files it has open with fcntl write locks (another process).
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, sys, time\n"
         f"f = open({str(book)!r}, 'r+b')\n"
         "fcntl.lockf(f.fileno(), fcntl.LOCK_EX)\n"
         "print('locked', flush=True)\n"
         "time.sleep(30)\n"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = book.read_bytes()
        source = ExcelSource(book)
        source.read()
        with pytest.raises(WorkbookLocked):
            source.write([VALIDASI])
        assert book.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


# --- where it is written, and with which permissions --------------------------------------------


def test_a_symlink_is_written_through_to_its_target(tmp_path):
    real_dir = tmp_path / "data"
    real_dir.mkdir()
    real = write_workbook(real_dir / "dinkes.xlsx", _tabs())
    link = tmp_path / "link.xlsx"
    link.symlink_to(Path("data") / "dinkes.xlsx")
    source = ExcelSource(link)
    source.read()
    source.write([VALIDASI])
    assert link.is_symlink() and os.readlink(link) == str(Path("data") / "dinkes.xlsx")
    assert "Validasi" in ExcelSource(real).read().meta["sheet_names"]
    second = ExcelSource(link)  # the next run sees what this one wrote
    assert "Validasi" in second.read().meta["sheet_names"]
    assert leftovers(real_dir) == [] and leftovers(tmp_path) == []


def test_a_lock_file_beside_the_symlink_counts(tmp_path):
    real_dir = tmp_path / "data"
    real_dir.mkdir()
    write_workbook(real_dir / "dinkes.xlsx", _tabs())
    link = tmp_path / "link.xlsx"
    link.symlink_to(real_dir / "dinkes.xlsx")
    (tmp_path / "~$link.xlsx").write_bytes(_excel_owner_file("Budi"))
    source = ExcelSource(link)
    source.read()
    with pytest.raises(WorkbookLocked, match="Budi"):
        source.write([VALIDASI])


@pytest.mark.skipif(not hasattr(os, "chown"), reason="POSIX ownership")
def test_the_replaced_file_keeps_mode_bits_and_group(book):
    os.chmod(book, 0o640)
    group = 4321 if os.geteuid() == 0 else os.getgroups()[-1]
    os.chown(book, -1, group)
    source = ExcelSource(book)
    source.read()
    source.write([VALIDASI])
    st = book.stat()
    assert stat.S_IMODE(st.st_mode) == 0o640
    assert st.st_gid == group


def test_a_group_the_new_file_cannot_keep_refuses_the_write(book, monkeypatch):
    os.chmod(book, 0o660)
    before = book.read_bytes()

    def fchown(fd, uid, gid):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", fchown)
    original_gid = book.stat().st_gid
    monkeypatch.setattr(os, "fstat", _fstat_with_other_gid(original_gid))
    source = ExcelSource(book)
    source.read()
    with pytest.raises(WorkbookNotWritable, match="grup"):
        source.write([VALIDASI])
    assert book.read_bytes() == before
    assert leftovers(book.parent) == []


def _fstat_with_other_gid(original_gid):
    real = os.fstat

    def fstat(fd):
        st = real(fd)
        path = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists(f"/proc/self/fd/{fd}") else ""
        if ".kinerja-" in path:
            values = list(st)
            values[stat.ST_GID] = original_gid + 1
            return os.stat_result(values)
        return st

    return fstat


def test_a_read_only_workbook_is_not_overwritten(book):
    os.chmod(book, 0o444)
    before = book.read_bytes()
    source = ExcelSource(book)
    source.read()
    with pytest.raises(WorkbookNotWritable, match="hanya-baca") as caught:
        source.write([VALIDASI])
    assert "\n" not in str(caught.value) and "Errno" not in str(caught.value)
    assert book.read_bytes() == before
    assert stat.S_IMODE(book.stat().st_mode) == 0o444
    assert leftovers(book.parent) == []


@pytest.mark.parametrize(("code", "words"), [
    (errno.EACCES, "tidak mengizinkan"),  # a read-only folder
    (errno.EPERM, "tidak mengizinkan"),  # an immutable folder (chattr +i)
    (errno.EROFS, "hanya bisa dibaca"),  # a read-only file system
    (errno.ENOSPC, "penuh"),
    (errno.EDQUOT, "penuh"),
])
def test_an_unwritable_folder_ends_in_one_indonesian_sentence(book, monkeypatch, code, words):
    import tempfile

    def mkstemp(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    before = book.read_bytes()
    source = ExcelSource(book)
    source.read()
    with pytest.raises(WorkbookNotWritable, match=words) as caught:
        source.write([VALIDASI])
    _one_indonesian_sentence(str(caught.value))
    assert book.read_bytes() == before


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_a_disk_that_fills_up_during_the_write_leaves_no_temporary_file(book, monkeypatch, code):
    def fsync(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", fsync)
    before = book.read_bytes()
    source = ExcelSource(book)
    source.read()
    with pytest.raises(WorkbookNotWritable) as caught:
        source.write([VALIDASI])
    _one_indonesian_sentence(str(caught.value))
    assert book.read_bytes() == before
    assert leftovers(book.parent) == []


@pytest.mark.parametrize("code", [errno.EACCES, errno.EPERM, errno.EROFS, errno.EBUSY])
def test_a_rename_the_folder_refuses_leaves_everything_as_it_was(book, monkeypatch, code):
    from sync.sources.excel import replace as disk

    def refuse(*args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(disk, "_exchange", None)
    monkeypatch.setattr(os, "replace", refuse)
    before = book.read_bytes()
    source = ExcelSource(book)
    source.read()
    with pytest.raises(WorkbookNotWritable) as caught:
        source.write([VALIDASI])
    _one_indonesian_sentence(str(caught.value))
    assert book.read_bytes() == before
    assert leftovers(book.parent) == []


def test_a_read_only_file_system_is_named(book, monkeypatch):
    real = os.statvfs

    class ReadOnly:
        def __init__(self, path):
            self.f_flag = real(path).f_flag | os.ST_RDONLY

    monkeypatch.setattr(os, "statvfs", ReadOnly)
    before = book.read_bytes()
    source = ExcelSource(book)
    source.read()
    with pytest.raises(WorkbookNotWritable, match="hanya bisa dibaca"):
        source.write([VALIDASI])
    assert book.read_bytes() == before


def _one_indonesian_sentence(message: str) -> None:
    assert "\n" not in message and "Errno" not in message and "Traceback" not in message
    for english in ("No space", "Permission denied", "Read-only file system", "Operation not",
                    "Input/output", "busy"):
        assert english not in message


# --- leftovers of a killed run -----------------------------------------------------------------


def test_leftover_temporary_files_over_an_hour_old_are_removed_by_the_next_write(book):
    folder = book.parent
    old = folder / ".kinerja-ab12cd34.xlsx"
    fresh = folder / ".kinerja-ef56gh78.xlsx"  # perhaps another run, writing right now
    other = folder / ".kinerja-catatan.txt"
    for path in (old, fresh, other):
        path.write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(other, (two_hours_ago, two_hours_ago))
    source = ExcelSource(book)
    source.read()
    source.write([VALIDASI])
    assert not old.exists()
    assert fresh.exists() and other.exists()
