"""Excel's and LibreOffice's lock files beside a workbook: who has it open (we never write it then)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sync.errors import WorkbookLocked

try:  # POSIX only; Windows refuses to replace a file another program has open anyway
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]


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


