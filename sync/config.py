"""The Pemda's configuration file (kinerja.toml): its agencies' workbooks and their SKM forms.

Shared by `kinerja serve`, `kinerja surveys …` and `kinerja run`. Example::

    [pemda]
    name = "Pemerintah Kabupaten Contoh"
    timezone = "Asia/Jakarta"          # optional; the time written in the Survei tab

    [[sources]]
    name = "dinkes"
    location = "dinkes-2026.xlsx"      # relative to this file; or gsheet:KEY
    forms = ["1FAIpQLSfExampleFormId"]

    [[sources]]
    name = "disdukcapil"
    location = "disdukcapil-2026.xlsx"
    [[sources.forms]]
    id = "1FAIpQLSfOtherFormId"
    questions = { "Apakah persyaratannya jelas?" = "U1" }   # title → SKM item
    answers = { "Puas" = 3, "Sangat puas" = 4, U8 = { "Bersih" = 4 } }

    [output]
    location = "rekap-pemda.xlsx"

Every mistake is one `ConfigError` in Indonesian naming the file, the section
(with its line) and the key.
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.errors import SyncError

DEFAULT_TIMEZONE = "Asia/Jakarta"
DEFAULT_DATABASE_URL = "sqlite:///kinerja.db"  # beside where kinerja runs (`sync.database`)
ITEM_CODES = tuple(f"u{i}" for i in range(1, 10))
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_ITEM = re.compile(r"\s*[uU]\s*([1-9])\b.*")


DEFAULT_FLUSH_INTERVAL = 300.0  # complaints reach their workbook within 5 minutes


class ConfigError(SyncError):
    """The configuration file is missing, unreadable or has a wrong or missing key."""


@dataclass(frozen=True)
class FormConfig:
    """One Google Form whose answers go to a source's Survei tab.

    `questions` maps a question title (as written in the form) to an SKM item
    code ("u1" … "u9"); `answers` maps an item code, or "*" for every item, to
    {answer text: score 1–4}. Both extend the 14/2017 defaults.
    """

    form_id: str
    questions: Mapping[str, str] = field(default_factory=dict)
    answers: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceConfig:
    """One agency's workbook: a short name, where it lives, and its forms."""

    name: str
    location: str
    forms: tuple[FormConfig, ...] = ()


@dataclass(frozen=True)
class Config:
    """The whole file."""

    pemda_name: str
    timezone: str = DEFAULT_TIMEZONE
    sources: tuple[SourceConfig, ...] = ()
    output_location: str | None = None
    path: Path | None = None
    flush_interval: float = DEFAULT_FLUSH_INTERVAL  # [surveys]: seconds between `kinerja serve`'s flushes

    def source(self, name: str) -> SourceConfig:
        """The source called `name`; ConfigError listing the known names otherwise."""
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "(belum ada)"
        raise ConfigError(f"Sumber '{name}' tidak ada di {self._file}. Sumber yang ada: {known}.")

    def form(self, form_id: str) -> tuple[SourceConfig, FormConfig] | None:
        """The source and form for a Google Form id, or None when no source lists it."""
        for source in self.sources:
            for form in source.forms:
                if form.form_id == form_id:
                    return source, form
        return None

    @property
    def _file(self) -> str:
        return self.path.name if self.path else "konfigurasi"


def load_config(path: str | Path) -> Config:
    """Read and check a kinerja.toml.

    Raises:
        ConfigError: the file is missing, not TOML, or a key is wrong or missing.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Berkas konfigurasi '{path}' tidak ditemukan. Periksa nama dan foldernya."
                          ) from None
    except (OSError, UnicodeDecodeError) as ex:
        raise ConfigError(f"Berkas konfigurasi '{path}' tidak dapat dibaca ({ex}).") from None
    return parse_config(text, path)


def parse_config(text: str, path: Path | None = None) -> Config:
    """Check the TOML `text`; relative workbook paths are resolved against `path`'s folder."""
    where = path.name if path else "konfigurasi"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as ex:
        raise ConfigError(f"{where} bukan TOML yang sah: {ex}. Periksa tanda kutip, = dan [bagian]."
                          ) from None
    return _Checker(text, where, path).config(data)


class _Checker:
    """Turns the parsed TOML into a Config, naming the section and line of each mistake."""

    def __init__(self, text: str, where: str, path: Path | None):
        self.where, self.path = where, path
        self.lines = text.splitlines()

    def fail(self, section: str, message: str) -> ConfigError:
        return ConfigError(f"{self.where}, {section}: {message}")

    def header_line(self, pattern: str, nth: int = 0) -> str:
        """" (baris N)" for the nth line matching the section header `pattern`, if found."""
        regex = re.compile(rf"^\s*{pattern}\s*(#.*)?$")
        hits = [i + 1 for i, line in enumerate(self.lines) if regex.match(line)]
        return f" (baris {hits[nth]})" if nth < len(hits) else ""

    def config(self, data: dict[str, Any]) -> Config:
        unknown = set(data) - {"pemda", "sources", "output", "surveys"}
        if unknown:
            raise self.fail("bagian teratas", f"bagian {_names(unknown)} tidak dikenal; yang dipakai: "
                                              "[pemda], [[sources]], [output], [surveys].")
        section = "[pemda]" + self.header_line(r"\[\s*pemda\s*\]")
        pemda = self.table(data, "pemda", section)
        name = self.text(pemda, "name", section, 'name = "Pemerintah Kabupaten Contoh"')
        timezone = pemda.get("timezone", DEFAULT_TIMEZONE)
        if not isinstance(timezone, str) or not _valid_timezone(timezone):
            raise self.fail(section, f"timezone = {timezone!r} bukan zona waktu; tulis misalnya "
                                     '"Asia/Jakarta" (WIB), "Asia/Makassar" (WITA) atau '
                                     '"Asia/Jayapura" (WIT).')
        sources = data.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(s, dict) for s in sources):
            raise self.fail("[[sources]]", "tulis setiap sumber sebagai bagian [[sources]] tersendiri.")
        checked = tuple(self.source(s, i) for i, s in enumerate(sources))
        self.unique(checked)
        output = None
        if "output" in data:
            section = "[output]" + self.header_line(r"\[\s*output\s*\]")
            out = self.table(data, "output", section)
            output = self.location(self.text(out, "location", section, 'location = "rekap.xlsx"'))
            clash = next((s for s in checked if _same_place(s.location, output)), None)
            if clash is not None:
                # The recap would replace the agency's own workbook: the clerks' tabs would be lost.
                raise self.fail(section, f"location sama dengan workbook sumber '{clash.name}'; rekap Pemda "
                                         "harus ditulis ke workbook tersendiri, misalnya "
                                         'location = "rekap-pemda.xlsx".')
        return Config(name, timezone, checked, output, self.path, self.flush_interval(data))

    def flush_interval(self, data: dict) -> float:
        if "surveys" not in data:
            return DEFAULT_FLUSH_INTERVAL
        section = "[surveys]" + self.header_line(r"\[\s*surveys\s*\]")
        table = self.table(data, "surveys", section)
        unknown = set(table) - {"flush_interval"}
        if unknown:
            raise self.fail(section, f"kunci {_names(unknown)} tidak dikenal; yang dipakai: flush_interval.")
        value = table.get("flush_interval", DEFAULT_FLUSH_INTERVAL)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 86_400:
            raise self.fail(section, f"flush_interval = {value!r} harus berupa detik antara 1 dan 86400, "
                                     "misalnya flush_interval = 300.")
        return float(value)

    def table(self, data: dict, key: str, section: str) -> dict:
        value = data.get(key)
        if value is None:
            raise self.fail(section, f"bagian [{key}] wajib ada.")
        if not isinstance(value, dict):
            raise self.fail(section, f"'{key}' harus berupa bagian [{key}], bukan nilai tunggal.")
        return value

    def text(self, table: dict, key: str, section: str, example: str) -> str:
        value = table.get(key)
        if value is None:
            raise self.fail(section, f"kunci '{key}' wajib diisi, misalnya {example}.")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(section, f"'{key}' harus berupa teks yang tidak kosong, misalnya {example}.")
        return value.strip()

    def source(self, table: dict, index: int) -> SourceConfig:
        section = f"[[sources]] ke-{index + 1}" + self.header_line(r"\[\[\s*sources\s*\]\]", index)
        unknown = set(table) - {"name", "location", "forms"}
        if unknown:
            raise self.fail(section, f"kunci {_names(unknown)} tidak dikenal; yang dipakai: name, "
                                     "location, forms.")
        name = self.text(table, "name", section, 'name = "dinkes"')
        section = f"{section} (name = \"{name}\")"
        if not _NAME.fullmatch(name):
            raise self.fail(section, "name hanya boleh berisi huruf, angka, titik, garis bawah dan tanda "
                                     "hubung, tanpa spasi, misalnya \"dinkes\".")
        location = self.location(self.text(table, "location", section, 'location = "dinkes-2026.xlsx"'))
        forms = table.get("forms", [])
        if not isinstance(forms, list):
            raise self.fail(section, 'forms harus berupa daftar, misalnya forms = ["1FAIpQL..."].')
        return SourceConfig(name, location, tuple(self.form(f, section, i) for i, f in enumerate(forms)))

    def location(self, value: str) -> str:
        if value.startswith(("gsheet:", "https://")) or self.path is None:
            return value
        return str((self.path.parent / value).resolve()) if not Path(value).is_absolute() else value

    def form(self, value: Any, section: str, index: int) -> FormConfig:
        where = f"{section}, forms[{index + 1}]"
        if isinstance(value, str):
            value = {"id": value}
        if not isinstance(value, dict):
            raise self.fail(where, 'tulis ID formulir sebagai teks, misalnya "1FAIpQL...".')
        unknown = set(value) - {"id", "questions", "answers"}
        if unknown:
            raise self.fail(where, f"kunci {_names(unknown)} tidak dikenal; yang dipakai: id, questions, "
                                   "answers.")
        form_id = self.text(value, "id", where, 'id = "1FAIpQL..."')
        questions = value.get("questions", {})
        if not isinstance(questions, dict):
            raise self.fail(where, 'questions harus berupa tabel judul = butir, misalnya '
                                   '{ "Apakah persyaratannya jelas?" = "U1" }.')
        mapped = {title: self.item(code, f"{where}, questions.\"{title}\"") for title, code in
                  questions.items()}
        return FormConfig(form_id, mapped, self.answers(value.get("answers", {}), where))

    def item(self, code: Any, where: str) -> str:
        match = _ITEM.fullmatch(code) if isinstance(code, str) else None
        if not match:
            raise self.fail(where, f"{code!r} bukan butir SKM; tulis U1 sampai U9.")
        return f"u{match[1]}"

    def answers(self, table: Any, where: str) -> dict[str, dict[str, int]]:
        if not isinstance(table, dict):
            raise self.fail(where, 'answers harus berupa tabel jawaban = nilai, misalnya { "Puas" = 3 }.')
        out: dict[str, dict[str, int]] = {}
        for key, value in table.items():
            if isinstance(value, dict):  # per item: U8 = { "Bersih" = 4 }
                item = self.item(key, f"{where}, answers.{key}")
                for text, score in value.items():
                    out.setdefault(item, {})[text] = self.score(score, f"{where}, answers.{key}.\"{text}\"")
            else:
                out.setdefault("*", {})[key] = self.score(value, f"{where}, answers.\"{key}\"")
        return out

    def score(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            raise self.fail(where, f"nilai {value!r} harus bilangan bulat 1 sampai 4.")
        return value

    def unique(self, sources: tuple[SourceConfig, ...]) -> None:
        seen: set[str] = set()
        for source in sources:
            if source.name in seen:
                raise self.fail("[[sources]]", f"name \"{source.name}\" dipakai dua kali; setiap sumber "
                                               "perlu nama sendiri.")
            seen.add(source.name)
        owners: dict[str, str] = {}
        for source in sources:
            for form in source.forms:
                if form.form_id in owners:
                    raise self.fail("[[sources]]", f"formulir {form.form_id} tercantum pada sumber "
                                                   f"\"{owners[form.form_id]}\" dan \"{source.name}\"; "
                                                   "satu formulir hanya untuk satu workbook.")
                owners[form.form_id] = source.name


def _names(keys) -> str:
    return ", ".join(f"'{k}'" for k in sorted(keys))


def _valid_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _same_place(a: str, b: str) -> bool:
    """Whether two locations name one workbook: one Google Sheet key, or one file (links followed)."""
    from sync.sources.locations import gsheet_key, looks_like_gsheet

    if looks_like_gsheet(a) or looks_like_gsheet(b):
        return looks_like_gsheet(a) and looks_like_gsheet(b) and gsheet_key(a) == gsheet_key(b)
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b
