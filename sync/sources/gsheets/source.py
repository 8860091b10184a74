"""Google Sheets workbooks through gspread: one metadata read, one values read, one atomic write.

A `score` run sends three Sheets API requests (retries aside), whatever the
size of the input tabs:

1. `spreadsheets.get` with a `fields` mask: tab titles, ids, grid sizes, the
   charts and protections of every tab (what the write must delete or respect);
2. `values:batchGet` of every input tab at once, unformatted, dates as serial
   numbers (the cell parsers turn serials into dates where a date is expected);
3. `spreadsheets.batchUpdate` rewriting every output tab (see `sheets_requests`).

Results too big for one request body (Google refuses about 10 MB; a monthly
Hasil of some 400 employees is 8 MB) are uploaded in parts to hidden staging
tabs and switched over in one final atomic batch (`sheets_staging`): one more
request per 8 MB, same guarantees.

Concurrent edits. Google Sheets has no cheap revision check, so unlike the
Excel source the write cannot refuse when the sheet changed since it was
read. It does not need to: the batchUpdate names only output tabs, so whatever a
clerk types into an input tab meanwhile is kept (and scored on the next run),
and it is atomic, so a failed write leaves every tab as it was. If an output
tab or one of its charts was renamed or deleted since the read, Google rejects
the batch as a whole; the write then re-reads the metadata and tries once more.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from typing import Any

import gspread
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL

from sheet_templates.gsheet_format import quote_title
from sync.errors import (
    GSheetCredentialsInvalid,
    GSheetRequestRejected,
    GSheetTabMissing,
    SourceNotFound,
    SyncError,
)
from sync.outtabs import OutputTab
from sync.parse import normalise_label
from sync.sources.gsheets import http as sheets_http
from sync.sources.gsheets.append import append_requests
from sync.sources.gsheets.batch import METADATA_FIELDS, write_requests
from sync.sources.gsheets.errors import translate
from sync.sources.gsheets.staging import body_size, staged_requests
from sync.sources.locations import gsheet_key, looks_like_gsheet
from sync.workbook import RawTab, RawWorkbook

__all__ = ["SCOPES", "GSheetSource", "gsheet_key", "load_credentials", "looks_like_gsheet", "open_any",
           "open_gsheet"]

SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)  # no Drive access: sheets are opened by key
VALUE_PARAMS = {"valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "SERIAL_NUMBER"}
# Google refuses request bodies over 10 MiB ("Request payload size exceeds the limit");
# stay well below it, since the limit is not documented and may change.
MAX_PAYLOAD = 8_000_000


class GSheetSource:
    """A Google Sheet; `read()` then `write()` rewrites only the output tabs.

    Args:
        key: the spreadsheet key (the part of the URL between /d/ and /edit).
        client: a gspread client; its HTTP client decides retries (see `sheets_http`).
        location: how the user named the sheet (shown in messages); default `gsheet:KEY`.
        account_email: the service account's e-mail, named when access is denied.
        max_payload: the largest batchUpdate body sent in one request, in bytes.
    """

    def __init__(self, key: str, client: gspread.Client, *, location: str | None = None,
                 account_email: str | None = None, max_payload: int = MAX_PAYLOAD):
        self.key = key
        self.client = client
        self.location = location or f"gsheet:{key}"
        self.account_email = account_email
        self.max_payload = max_payload
        self._metadata: dict | None = None
        self._last_read: RawWorkbook | None = None

    # --- the three requests -------------------------------------------------------------

    def metadata(self, refresh: bool = False) -> dict:
        """The `spreadsheets.get` answer (tabs, ids, sizes, charts, protections); cached until a write."""
        if refresh or self._metadata is None:
            params = {"includeGridData": "false", "fields": METADATA_FIELDS}
            self._metadata = self._call("membaca daftar tab", self.client.http_client.fetch_sheet_metadata,
                                        self.key, params=params)
        return self._metadata

    def read(self, tab_names: set[str] | None = None) -> RawWorkbook:
        """Every tab (or those whose normalised title is in `tab_names`) in two requests."""
        meta = self.metadata(refresh=True)
        titles = [sheet["properties"]["title"] for sheet in meta.get("sheets", [])
                  if sheet["properties"].get("sheetType", "GRID") == "GRID"]
        wanted = [t for t in titles if tab_names is None or normalise_label(t) in tab_names]
        body: dict[str, Any] = {}
        if wanted:  # a batchGet naming a tab that does not exist would fail as a whole
            body = self._call("membaca isi tab", self.client.http_client.values_batch_get, self.key,
                              [quote_title(t) for t in wanted], params=dict(VALUE_PARAMS))
        ranges = body.get("valueRanges", [])
        tabs = {title: raw_tab(title, value_range.get("values", []))
                for title, value_range in zip(wanted, ranges, strict=False)}
        revision = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        self._last_read = RawWorkbook(tabs, revision=revision, location=self.location,
                                      meta={"sheet_names": titles,
                                            "title": meta.get("properties", {}).get("title", "")})
        return self._last_read

    def append_rows(self, tab_label: str, header_labels: list[str], rows: list[list]) -> None:
        """Append `rows` (aligned to `header_labels`) below the last filled row of `tab_label`.

        One atomic batchUpdate; values are data, never formulas. The rows go below what
        the last `read()` saw (the flush reads the tab first to skip answers already there).
        """
        wanted = normalise_label(tab_label)
        if self._last_read is None or not any(normalise_label(t) == wanted for t in self._last_read.tabs):
            self.read({wanted})
        tab = next((t for name, t in self._last_read.tabs.items() if normalise_label(name) == wanted), None)
        meta = self.metadata()
        sheet = next((s for s in meta.get("sheets", [])
                      if normalise_label(s["properties"]["title"]) == wanted), None)
        taken = {s["properties"]["sheetId"] for s in meta.get("sheets", [])}
        requests = append_requests(sheet, tab, tab_label, header_labels, rows, taken)
        if requests:
            self.batch_update(requests, f"menambahkan baris ke tab {tab_label}")
        self._last_read = None

    def write(self, tabs: list[OutputTab]) -> None:
        """Replace `tabs` in one atomic batchUpdate; input tabs are never named in it.

        A write too big for one request (over `max_payload` bytes) is uploaded in parts
        to hidden staging tabs and switched over in one final atomic batch
        (see `sheets_staging`).
        """
        meta = self.metadata()
        try:
            self._write(tabs, meta)
        except (GSheetRequestRejected, GSheetTabMissing):
            # Someone may have renamed or deleted an output tab or chart since the read;
            # the failed batch changed nothing, so rebuild it on fresh metadata once.
            fresh = self.metadata(refresh=True)
            if _structure(fresh) == _structure(meta):
                raise
            self._write(tabs, fresh)
        self._metadata = None  # the write added sheets and charts: ids in the cache are stale

    def _write(self, tabs: list[OutputTab], meta: dict) -> None:
        requests = write_requests(tabs, meta)
        if body_size(requests) <= self.max_payload:
            self.batch_update(requests, "menulis tab hasil")
            return
        uploads, switch = staged_requests(tabs, meta, self.max_payload)
        staging = [r["deleteSheet"] for r in switch if "deleteSheet" in r]
        sent = 0
        try:
            for batch in uploads:
                self.batch_update(batch, f"mengunggah tab hasil (bagian {sent + 1} dari {len(uploads)})")
                sent += 1
            self.batch_update(switch, "menukar tab hasil")
        except SyncError:
            if sent:  # the hidden staging tabs exist: try to remove them now (else the next write will)
                with contextlib.suppress(SyncError):
                    self.batch_update([{"deleteSheet": ids} for ids in staging], "membersihkan tab sementara")
            raise

    # --- building blocks, also used by provisioning -------------------------------------

    def batch_update(self, requests: list[dict], action: str = "mengubah Google Sheet") -> dict:
        """Send one `spreadsheets.batchUpdate` (compact JSON: result tabs can be megabytes)."""
        body = json.dumps({"requests": requests}, separators=(",", ":"), ensure_ascii=False).encode()
        # (the same encoding as sheets_staging.body_size, which decides when to split)
        response = self._call(action, self.client.http_client.request, "post",
                              SPREADSHEET_BATCH_UPDATE_URL % self.key, data=body,
                              headers={"Content-Type": "application/json; charset=utf-8"})
        self._metadata = None
        return response.json()

    def grid(self, ranges: list[str], fields: str) -> dict:
        """`spreadsheets.get` of some cells with their formats and validations (`fields` selects)."""
        params: dict[str, Any] = {"ranges": ranges, "fields": fields}
        return self._call("membaca judul kolom", self.client.http_client.fetch_sheet_metadata, self.key,
                          params=params)

    def _call(self, action: str, fn: Callable, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # translate Google's and the network's errors, re-raise the rest
            error = translate(exc, key=self.key, email=self.account_email, action=action)
            if error is None:
                raise
            raise error from exc


def raw_tab(title: str, values: list[list]) -> RawTab:
    """A values:batchGet range as python-calamine would deliver the same cells.

    Leading empty rows and columns are skipped (their count kept in
    `first_row`/`first_column`), rows are padded with '' to one width, and
    numbers are floats: so the same workbook gives the same `RawTab`, and the
    same messages, from Excel and from Google Sheets.
    """
    rows = [[float(v) if type(v) is int else v for v in row] for row in values]
    used = [[j for j, v in enumerate(row) if v != ""] for row in rows]
    filled = [i for i, columns in enumerate(used) if columns]
    if not filled:
        return RawTab(title, [], 0, 0)
    rows = rows[filled[0]:filled[-1] + 1]
    first_column = min(columns[0] for columns in used if columns)
    rows = [row[first_column:] for row in rows]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    return RawTab(title, rows, filled[0], first_column)


def _structure(meta: dict) -> Any:
    """What a write's requests depend on: tab ids and titles, chart ids, protections."""
    return [(s["properties"].get("sheetId"), s["properties"].get("title"),
             sorted(c.get("chartId", 0) for c in s.get("charts", [])),
             len(s.get("protectedRanges", []))) for s in meta.get("sheets", [])]


# --- opening a sheet: the only place that reads the environment ----------------------------


def load_credentials(path: str | os.PathLike) -> tuple[Any, str]:
    """Service-account credentials and their e-mail from a JSON key file, or a clear error."""
    from google.oauth2 import service_account

    try:
        with open(path, encoding="utf-8") as handle:
            info = json.load(handle)
    except FileNotFoundError:
        raise GSheetCredentialsInvalid(
            f"Berkas kunci akun layanan '{path}' tidak ditemukan. Periksa jalur di "
            "GOOGLE_APPLICATION_CREDENTIALS (lihat docs/google-sheets.md).") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GSheetCredentialsInvalid(
            f"Berkas '{path}' tidak dapat dibaca sebagai kunci JSON akun layanan ({exc}). Unduh ulang "
            "kuncinya: Google Cloud Console > IAM & Admin > Service Accounts > Keys > Add key > JSON."
        ) from None
    kind = info.get("type") if isinstance(info, dict) else None
    if kind != "service_account":
        raise GSheetCredentialsInvalid(
            f"Berkas '{path}' bukan kunci akun layanan (type: {kind or 'tidak ada'}); mungkin kunci OAuth "
            "client. Buat Service Account di Google Cloud Console, lalu Keys > Add key > Create new key > "
            "JSON, dan arahkan GOOGLE_APPLICATION_CREDENTIALS ke berkas itu.")
    try:
        credentials = service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
    except (ValueError, KeyError) as exc:
        raise GSheetCredentialsInvalid(
            f"Kunci akun layanan '{path}' rusak atau tidak lengkap ({exc}). Unduh kunci JSON baru dari "
            "Google Cloud Console.") from None
    return credentials, info.get("client_email", "")


def open_gsheet(location: str, credentials_file: str | os.PathLike | None = None,
                http_client: Callable[..., Any] | None = None) -> GSheetSource:
    """The Google Sheet named by `location`, opened with a service account.

    Args:
        location: `gsheet:KEY` or a https://docs.google.com/spreadsheets/d/KEY/... URL.
        credentials_file: the service-account JSON key; default $GOOGLE_APPLICATION_CREDENTIALS.
        http_client: gspread's `http_client` factory; default retries per `sheets_http.DEFAULT_POLICY`.

    Raises:
        SourceNotFound: `location` is not a usable Google Sheets address.
        GSheetCredentialsInvalid: no key file is configured, or it is not a valid one.
    """
    key = gsheet_key(location)
    if key is None:
        raise SourceNotFound(
            f"'{location}' bukan alamat Google Sheet yang dapat dipakai. Buka Sheet di browser dan salin "
            "alamatnya (https://docs.google.com/spreadsheets/d/KUNCI/edit), atau tulis gsheet:KUNCI. "
            "Alamat 'Publikasikan ke web' (/d/e/...) tidak dapat dipakai.")
    path = credentials_file or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if not path:
        raise GSheetCredentialsInvalid(
            "Untuk membuka Google Sheet, Kinerja memerlukan kunci akun layanan (service account). "
            "Isi variabel lingkungan GOOGLE_APPLICATION_CREDENTIALS dengan jalur berkas kunci JSON-nya, "
            "misalnya export GOOGLE_APPLICATION_CREDENTIALS=/etc/kinerja/kunci.json "
            "(langkahnya: docs/google-sheets.md).")
    credentials, email = load_credentials(path)
    client = gspread.Client(credentials, http_client=http_client or sheets_http.retrying(
        sheets_http.DEFAULT_POLICY))
    return GSheetSource(key, client, location=location, account_email=email)


def open_any(location: str):
    """The source for any command-line SOURCE: a Google Sheet address or an .xlsx path."""
    from sync.sources import open_source

    return open_source(location)

