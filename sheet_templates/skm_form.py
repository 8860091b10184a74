"""The SKM Google Form (PermenPANRB 14/2017): its questions, their answers, and the payload fields.

The nine questions are the regulation's questionnaire (design.md §5), each with
its four answers in score order 1 → 4 (domain.md §3.3). The other questions
feed the payload fields the webhook expects (`unit`, `service`, `officer_nip`,
`profile`, `suggestion`). The Apps Script in `apps_script/kinerja_skm.gs`
recognises those by the same titles; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

QuestionKind = Literal["choice", "dropdown", "text", "paragraph"]


@dataclass(frozen=True)
class Question:
    """One question of the form.

    `key` is the SKM item code ("u1" … "u9") or the payload field it fills
    ("unit", "service", "officer_nip", "suggestion", or a profile key such as
    "usia"). `options` of an SKM item are in score order, the first scoring 1.
    """

    key: str
    title: str
    kind: QuestionKind = "choice"
    options: tuple[str, ...] = ()
    required: bool = True
    help: str = ""
    aliases: tuple[str, ...] = ()  # other titles a clerk's older form may use


SKM_QUESTIONS: tuple[Question, ...] = (
    Question("u1", "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
             "pelayanannya?", options=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Question("u2", "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
             options=("Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah")),
    Question("u3", "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
             options=("Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat")),
    # Reverse wording, still scored 1 → 4: "Gratis" is the best answer.
    Question("u4", "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
             options=("Sangat mahal", "Cukup mahal", "Murah", "Gratis")),
    Question("u5", "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
             "dalam standar pelayanan dengan hasil yang diberikan?",
             options=("Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai")),
    Question("u6", "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
             options=("Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten")),
    Question("u7", "Bagaimana pendapat Saudara perilaku petugas dalam pelayanan terkait kesopanan dan "
             "keramahan?",
             options=("Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
                      "Sangat sopan dan ramah")),
    Question("u8", "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
             options=("Buruk", "Cukup", "Baik", "Sangat Baik")),
    Question("u9", "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
             options=("Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
                      "Dikelola dengan baik")),
)

FIELD_QUESTIONS: tuple[Question, ...] = (
    Question("unit", "Unit Layanan", "dropdown",
             help="Unit tempat Saudara dilayani.", aliases=("Unit Layanan yang Dikunjungi",)),
    Question("service", "Jenis Layanan", "text",
             help="Layanan yang Saudara terima, misalnya Akta Kelahiran.",
             aliases=("Jenis Layanan yang Diterima",)),
    Question("officer_nip", "NIP Petugas", "text", required=False,
             help="Opsional: 18 angka NIP petugas yang melayani, bila tertera pada papan nama.",
             aliases=("NIP Petugas yang Melayani",)),
    Question("jenis_kelamin", "Jenis Kelamin", options=("Laki-laki", "Perempuan")),
    Question("usia", "Usia", "text", help="Usia dalam tahun, misalnya 34.", aliases=("Umur",)),
    Question("pendidikan", "Pendidikan", options=("SD", "SMP", "SMA", "S1", "S2", "S3"),
             aliases=("Pendidikan Terakhir",)),
    Question("pekerjaan", "Pekerjaan",
             options=("PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "Lainnya"),
             aliases=("Pekerjaan Utama",)),
    Question("suggestion", "Saran", "paragraph", required=False,
             help="Saran dan masukan untuk perbaikan pelayanan.", aliases=("Saran dan Masukan",)),
)

PROFILE_KEYS: tuple[str, ...] = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan")
"""Keys of the payload's `profile` object, in the order of the Survei columns they fill."""

FORM_TITLE = "Survei Kepuasan Masyarakat"
FORM_DESCRIPTION = (
    "Terima kasih telah menggunakan layanan kami. Mohon luangkan waktu dua menit untuk menilai "
    "pelayanan yang Saudara terima. Jawaban Saudara dirahasiakan dan dipakai untuk memperbaiki "
    "pelayanan (PermenPANRB Nomor 14 Tahun 2017).")


def all_questions() -> tuple[Question, ...]:
    """The whole form in display order: unit and service first, the nine SKM items, the profile."""
    fields = {q.key: q for q in FIELD_QUESTIONS}
    head = tuple(fields[k] for k in ("unit", "service", "officer_nip"))
    tail = tuple(fields[k] for k in (*PROFILE_KEYS, "suggestion"))
    return (*head, *SKM_QUESTIONS, *tail)
