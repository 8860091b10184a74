"""`kinerja kehadiran import`: a fingerprint/face machine's monthly export into the Kehadiran tab.

Registered in the `kinerja` group by sync.cli.main. The work is
`sync.attendance.workbook.import_attendance`; this module reads the options and
says what happened, naming every PIN/NIP that matched nobody.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import click

from sync.attendance.errors import MachineImportError
from sync.attendance.workbook import SHOWN_FIELDS, AttendanceImport, columns_with, import_attendance
from sync.cli.boundary import KinerjaGroup

MAX_LISTED = 30  # NIPs named on one line; the rest are counted
FIELD_WORDS = {"nip": "NIP", "pin": "PIN", "name": "nama", "date": "tanggal", "scan_in": "scan masuk",
               "scan_out": "scan pulang", "late_minutes": "menit terlambat",
               "early_minutes": "menit pulang cepat", "absence": "tidak hadir"}


@click.group(name="kehadiran", cls=KinerjaGroup)
def attendance():
    """Attendance (Kehadiran) from the office's fingerprint or face machine.

    \b
    Example:
        kinerja kehadiran import dinkes-2026.xlsx absensi-maret.csv --period 2026-03
    """


@attendance.command(name="import")
@click.argument("source")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", required=True, metavar="TTTT-BB", help="The month of the export, e.g. 2026-03.")
@click.option("--pin", "pin_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV with two columns PIN,NIP for a machine that knows employees by a short PIN.")
@click.option("--libur", "holidays", multiple=True, metavar="TTTT-BB-HH",
              help="A holiday of the month (repeatable, or comma-separated). Given, every other "
                   "weekday is a work day; default: the weekdays on which anyone scanned.")
@click.option("--kolom", "mapping", multiple=True, metavar="BIDANG=JUDUL",
              help=f"The export's header for a field, tried before the defaults (repeatable); fields: "
                   f"{', '.join(SHOWN_FIELDS)}. E.g. --kolom masuk='Jam Datang'.")
def import_(source: str, file: Path, period: str, pin_file: Path | None, holidays: tuple[str, ...],
            mapping: tuple[str, ...]):
    """Add FILE's month (a machine export, .csv or .xlsx) to the Kehadiran tab of SOURCE.

    Late arrivals and early leavings are counted in the TL1-TL4 and PSW1-PSW4
    brackets from Jam Masuk and Jam Pulang in Pengaturan; a work day without
    any scan counts as Tanpa Keterangan (move it to Izin, Sakit, Cuti or Dinas
    Luar where that applies). Employees who already have a row for the month
    keep it unchanged. PINs/NIPs that match no employee are listed, not imported.

    \b
    Example:
        kinerja kehadiran import dinkes-2026.xlsx absensi-maret.csv --period 2026-03
        kinerja kehadiran import gsheet:1AbC... export.xlsx --period 2026-03 --pin pin.csv --libur 2026-03-19
    """
    from sync.cli.main import opener

    report = import_attendance(opener()(source), file, period, pin_to_nip=_pins(pin_file),
                               holidays=_holidays(holidays), columns=columns_with(_mapping(mapping)))
    for line in summary_lines(report, file.name):
        click.echo(line)


def summary_lines(report: AttendanceImport, name: str) -> list[str]:
    """What the clerk reads after an import, in Indonesian."""
    machine = report.machine
    lines = [f"Kehadiran {report.period} dari {name}: {len(machine.work_dates)} hari kerja, "
             f"{len(report.appended)} baris ditambahkan ke tab Kehadiran"
             + (" (tab baru)." if report.created_tab else ".")]
    if report.kept:
        lines.append(f"{len(report.kept)} pegawai sudah punya baris Kehadiran {report.period}; baris itu "
                     f"tidak diubah dan data mesinnya tidak diimpor: {_listed(report.kept)}. Hapus "
                     "barisnya lalu impor lagi bila data mesin yang dipakai.")
    if machine.unmatched:
        lines.append(f"{len(machine.unmatched)} PIN/NIP di berkas tidak cocok dengan pegawai mana pun "
                     "dan tidak diimpor (tambahkan ke --pin atau perbaiki NIP di tab Pegawai):")
        for who in machine.unmatched:
            ident = who.ident or "(tanpa PIN/NIP)"
            lines.append(f"  {ident}" + (f" {who.name}" if who.name else "")
                         + f": {who.rows} baris, pertama di baris {who.first_row}")
    if machine.not_in_export:
        lines.append(f"{len(machine.not_in_export)} pegawai tidak ada di berkas ini: "
                     f"{_listed(machine.not_in_export)}.")
    left_out = machine.outside_month + machine.without_date
    if left_out:
        lines.append(f"{left_out} baris di luar bulan {report.period} atau tanpa tanggal dilewati.")
    if machine.fields:
        lines.append("Kolom dibaca: " + ", ".join(f"{FIELD_WORDS.get(field, field)} ← '{header}'"
                                                  for field, header in machine.fields.items()) + ".")
    return lines


def _listed(nips: list[str]) -> str:
    shown = ", ".join(nips[:MAX_LISTED])
    return shown + (f" dan {len(nips) - MAX_LISTED} lainnya" if len(nips) > MAX_LISTED else "")


def _pins(path: Path | None) -> dict[str, str] | None:
    """PIN → NIP from a two-column CSV (a header line is skipped when it is not a PIN)."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MachineImportError(f"Berkas PIN '{path}' tidak dapat dibaca ({type(exc).__name__}); "
                                 "simpan sebagai CSV UTF-8 dengan dua kolom PIN,NIP.") from None
    dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
    pins = {}
    for number, row in enumerate(csv.reader(text.splitlines(), dialect), start=1):
        cells = [c.strip().lstrip("'") for c in row]
        if not any(cells):
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise MachineImportError(f"{path.name} baris {number}: perlu dua kolom, PIN lalu NIP.")
        if number == 1 and not cells[1].isdigit():
            continue  # the header
        pins[cells[0]] = cells[1]
    return pins


def _holidays(values: tuple[str, ...]) -> list[dt.date] | None:
    days = [part.strip() for value in values for part in value.split(",") if part.strip()]
    if not days:
        return None
    out = []
    for day in days:
        try:
            out.append(dt.date.fromisoformat(day))
        except ValueError:
            raise MachineImportError(f"--libur '{day}' bukan tanggal; tulis seperti 2026-03-19.") from None
    return out


def _mapping(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        key, sep, header = value.partition("=")
        if not sep or not key.strip() or not header.strip():
            raise MachineImportError(f"--kolom '{value}' tidak dapat dibaca; tulis seperti "
                                     "--kolom masuk='Jam Datang'.")
        out[key] = header
    return out
