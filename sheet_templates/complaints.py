"""The `Pengaduan` tab: citizens' complaints, written by the service and by the supervisor (issue 16).

The first tab both sides write. The service owns `SERVICE_COLUMNS` (computed
from the `Survei` answers and rewritten on every run; protected against
typing like an output tab); the supervisor owns `SUPERVISOR_COLUMNS` (open to
typing), which every rewrite keeps by `ID Respons`, even when rows move. The
`Status` dropdown, the red rows past `Batas Waktu` and the counts on the title
line are laid on by both writers and by the template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .schema import SETTINGS, Choice, Column, Tab

STATUS_CHOICES = (
    Choice("Baru", "new"),
    Choice("Diproses", "in_progress"),
    Choice("Selesai", "done"),
)
"""The supervisor's Status; codes are scoring.complaints.STATUSES. A new complaint starts as Baru."""

_THRESHOLD = SETTINGS.column("complaint_threshold").label
_DEADLINE_DAYS = SETTINGS.column("complaint_deadline_days").label

SERVICE_COLUMNS = (
    Column("ID Respons", "response_id", "code", width=22,
           note="ID jawaban di tab Survei. Ketik ID di baris kosong di bawah tabel untuk menjadikan "
                "sebuah Saran pengaduan."),
    Column("Waktu", "timestamp", "datetime", width=17, note="Kapan jawaban survei dikirim."),
    Column("Unit Layanan", "service_unit", width=24),
    Column("Jenis Layanan", "service_type", width=20),
    Column("NIP Petugas", "officer_nip", "nip", width=20),
    Column("Nama Petugas", "officer_name", width=24),
    Column("Unsur Bermasalah", "problem_items", width=40,
           note=f"Unsur yang dinilai sama atau di bawah {_THRESHOLD}, dengan jawabannya, misalnya "
                "\"Waktu Penyelesaian: 1; Perilaku Pelaksana: 1\"."),
    Column("Saran", "suggestion", width=36),
    Column("Batas Waktu", "deadline", "date", width=12,
           note=f"{_DEADLINE_DAYS} hari kerja (Senin–Jumat) sesudah hari pengaduan masuk."),
)
"""The service's nine columns, in tab order: recomputed on every rewrite, protected."""

SUPERVISOR_COLUMNS = (
    Column("Status", "status", "choice", choices=STATUS_CHOICES, default="new", width=12,
           note="Pilih Baru, Diproses atau Selesai."),
    Column("Tindakan", "action", width=36, note="Apa yang dilakukan untuk menindaklanjuti pengaduan."),
    Column("Tanggal Selesai", "finished_on", "date", width=14,
           note="Tanggal pengaduan selesai ditangani; isi bersama Status Selesai."),
    Column("Ditangani Oleh", "handled_by", width=22, note="Nama atau jabatan yang menangani."),
)
"""The supervisor's four columns, in tab order: open to typing, kept by ID Respons on every rewrite."""

COMPLAINTS = Tab(
    label="Pengaduan",
    name="complaints",
    kind="shared",
    required=False,
    key=("response_id",),
    description="Pengaduan warga dari Survei Kepuasan Masyarakat, satu baris per jawaban survei yang "
    f"salah satu unsurnya bernilai sama atau di bawah {_THRESHOLD} (bawaan 1), yang terbaru paling atas. "
    "Jawaban dari formulir online masuk dalam beberapa menit; survei kertas yang diketik di tab Survei "
    "masuk saat Kinerja dijalankan berikutnya. Ditulis bersama: sembilan kolom pertama oleh Kinerja, "
    "empat kolom terakhir oleh atasan.",
    columns=(*SERVICE_COLUMNS, *SUPERVISOR_COLUMNS),
)

STATUS_LABELS = {c.code: c.label for c in STATUS_CHOICES}
"""Status code → the dropdown text (Baru, Diproses, Selesai)."""
MARKED_TEXT = "Saran ditandai"
"""Unsur Bermasalah of a complaint the clerk marked by its Saran, no unsur low."""
OVERDUE_FILL = "F8CBAD"
"""Light red: a row past Batas Waktu whose Status is not Selesai (conditional formatting)."""
SPARE_ROWS = 200
"""Empty rows below the complaints kept open to typing, with the Status dropdown and the red rule."""

TITLE = ("{tab}: {new_label} {new}, {in_progress_label} {in_progress}, {done_label} {done}, terlambat "
         "{overdue} (per {today:%d-%m-%Y}). Isi kolom {columns}; baris merah sudah lewat {deadline}.")
NO_RUN_TITLE = ("{tab}: belum ada pengaduan; Kinerja mengisi tab ini dari tab Survei. Isi kolom {columns}; "
                "baris merah sudah lewat {deadline}.")


def _open_columns() -> str:
    labels = [c.label for c in SUPERVISOR_COLUMNS]
    return ", ".join(labels[:-1]) + " dan " + labels[-1]


def title_line(counts: Mapping[str, int] | None, today: dt.date | None = None) -> str:
    """The line above the header: counts of Baru / Diproses / Selesai / terlambat (None: not run yet).

    Examples:
        >>> title_line({"new": 2, "in_progress": 1, "done": 4, "overdue": 1}, dt.date(2026, 3, 20))[:62]
        'Pengaduan: Baru 2, Diproses 1, Selesai 4, terlambat 1 (per 20-'
    """
    words = {"tab": COMPLAINTS.label, "columns": _open_columns(),
             "deadline": SERVICE_COLUMNS[-1].label}
    if counts is None:
        return NO_RUN_TITLE.format(**words)
    return TITLE.format(**words, **{f"{code}_label": label for code, label in STATUS_LABELS.items()},
                        new=counts.get("new", 0), in_progress=counts.get("in_progress", 0),
                        done=counts.get("done", 0), overdue=counts.get("overdue", 0),
                        today=today or dt.date.today())


def overdue_formula(first_row: int, deadline_column: str, status_column: str,
                    done_text: str = STATUS_LABELS["done"]) -> str:
    """The conditional-format expression of the first data row (relative rows, absolute columns):
    a Batas Waktu filled in and before today, and a Status that is not `done_text`. Excel and Google
    Sheets read the same text (Sheets wants a leading "=").

    Examples:
        >>> overdue_formula(3, "I", "J")
        'AND($I3<>"",$I3<TODAY(),$J3<>"Selesai")'
    """
    done = done_text.replace('"', '""')
    d, s = f"${deadline_column}{first_row}", f"${status_column}{first_row}"
    return f'AND({d}<>"",{d}<TODAY(),{s}<>"{done}")'
