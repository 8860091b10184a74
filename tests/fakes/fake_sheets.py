"""A stateful fake of the Google Sheets API v4 and Google's OAuth token endpoint, on `responses`.

    fake = FakeSheets(discovery_doc)
    book = fake.create("KEY", {"Pegawai": [["NIP", "Nama"], ["196711101992031001", "Ani"]]})
    with fake.serving():
        ...  # gspread / Kinerja calls

What it models (enough to keep Kinerja and a naive gspread client honest):
`spreadsheets.get` (fields masks, ranges, grid data), `values.get`,
`values:batchGet`, `values.update`, `values.append`, `values.clear`,
`values:batchClear`, `values:batchUpdate` (RAW and USER_ENTERED) and
`spreadsheets.batchUpdate` with the request kinds in `fake_sheets_apply`,
applied atomically to a copy. Every body, query parameter and field mask is
checked against the discovery document (`fake_sheets_schema`); a field that
does not exist is a 400 INVALID_ARGUMENT shaped like Google's. It counts
requests per endpoint, can fail requests on a schedule or at random (429 with
Retry-After, 500, 503), checks bearer tokens it issued against service-account
JWTs it verified, and answers 403 for a sheet not shared with the caller.
"""

from __future__ import annotations

import collections
import contextlib
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import responses

from tests.fakes.fake_sheets_apply import apply_batch, strip_nulls
from tests.fakes.fake_sheets_auth import TOKEN_URL, TokenEndpoint
from tests.fakes.fake_sheets_auth import make_service_account as _make_service_account
from tests.fakes.fake_sheets_cells import effective, typed_cell
from tests.fakes.fake_sheets_schema import Discovery, Violation, apply_mask, parse_mask
from tests.fakes.fake_sheets_state import DEFAULT_GRID, BadRequest, Book, Sheet, Span, parse_range
from tests.fakes.fake_sheets_values import ValuesApi, grid_data, trim_grid_data

BASE = "https://sheets.googleapis.com/v4/spreadsheets"

STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                404: "NOT_FOUND", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 502: "UNAVAILABLE",
                503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
FAILURE_MESSAGES = {
    429: "Quota exceeded for quota metric 'Requests' and limit 'Requests per minute per user' of "
         "service 'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
    500: "Internal error encountered.", 502: "Bad Gateway", 503: "The service is currently unavailable.",
    504: "The request timed out. Please try again.",
}
# Same keys and nesting as the spreadsheet properties in the recordings.
_WHITE = {"red": 1, "green": 1, "blue": 1}
SPREADSHEET_PROPERTIES = {
    "locale": "en_US", "autoRecalc": "ON_CHANGE", "timeZone": "Asia/Jakarta",
    "defaultFormat": {
        "backgroundColor": _WHITE, "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
        "verticalAlignment": "BOTTOM", "wrapStrategy": "OVERFLOW_CELL",
        "textFormat": {"foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10,
                       "bold": False, "italic": False, "strikethrough": False, "underline": False,
                       "foregroundColorStyle": {"rgbColor": {}}},
        "backgroundColorStyle": {"rgbColor": _WHITE}},
    "spreadsheetTheme": {"primaryFontFamily": "Arial", "themeColors": [
        {"colorType": kind, "color": {"rgbColor": colour}} for kind, colour in (
            ("TEXT", {}), ("BACKGROUND", _WHITE),
            ("ACCENT1", {"red": 0.2588, "green": 0.5216, "blue": 0.9569}),
            ("ACCENT2", {"red": 0.9176, "green": 0.2627, "blue": 0.2078}),
            ("ACCENT3", {"red": 0.9843, "green": 0.7373, "blue": 0.0157}),
            ("ACCENT4", {"red": 0.2039, "green": 0.6588, "blue": 0.3255}),
            ("ACCENT5", {"red": 1, "green": 0.4275, "blue": 0.0039}),
            ("ACCENT6", {"red": 0.2745, "green": 0.7412, "blue": 0.7765}),
            ("LINK", {"red": 0.0667, "green": 0.3333, "blue": 0.8}))]},
}


class FakeSheets:
    """The fake API; its state survives between calls until the object is dropped.

    Attributes:
        books: spreadsheets by key.
        calls: requests received per endpoint ("get", "values.batchGet", "batchUpdate", "token", ...),
            failed ones included.
        log: (endpoint, HTTP status) of every request, in order.
        batches: the body of every batchUpdate received (valid or not).
    """

    def __init__(self, discovery: dict, *, seed: int = 0):
        self.discovery = Discovery(discovery)
        self.books: dict[str, Book] = {}
        self.calls: collections.Counter[str] = collections.Counter()
        self.log: list[tuple[str, int]] = []
        self.batches: list[dict] = []
        self.auth = TokenEndpoint(self.calls, self.log)
        self._scheduled: collections.deque[int] = collections.deque()
        self.fail_rate = 0.0
        self.fail_statuses: tuple[int, ...] = (429, 503)
        self.retry_after: float | None = None
        self.fail_endpoints: set[str] | None = None
        self._rng = random.Random(seed)

    # --- setting up ----------------------------------------------------------------------------

    def create(self, key: str, tabs: dict[str, list[list]] | None = None, *, title: str = "Kinerja",
               shared_with: set[str] | None = None, grid: tuple[int, int] = DEFAULT_GRID) -> Book:
        """A spreadsheet whose tabs hold `rows` typed as a clerk would (see `typed_cell`)."""
        book = Book(key, title, shared_with=shared_with)
        for index, (name, rows) in enumerate((tabs or {"Sheet1": []}).items()):
            book.sheets.append(self.sheet(name, rows, index, grid))
        self.books[key] = book
        return book

    @staticmethod
    def sheet(title: str, rows: list[list], index: int = 0, grid: tuple[int, int] = DEFAULT_GRID) -> Sheet:
        """A sheet with `rows` laid from A1; the grid grows to hold them."""
        n_rows = max(grid[0], len(rows) + 1)
        n_cols = max(grid[1], max((len(r) for r in rows), default=0))
        sheet = Sheet({"sheetId": 0 if index == 0 else 1000 + index, "title": title, "index": index,
                       "sheetType": "GRID", "gridProperties": {"rowCount": n_rows, "columnCount": n_cols}})
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                cell = typed_cell(value)
                if cell:
                    sheet.cells[(r, c)] = cell
        return sheet

    def register_account(self, email: str, public_key: Any) -> None:
        """Accept JWTs from this service account (verified with its public key)."""
        self.auth.register(email, public_key)

    def fail_next(self, *statuses: int) -> None:
        """The next Sheets API requests fail with these statuses, one each, in order."""
        self._scheduled.extend(statuses)

    def fail_randomly(self, rate: float, statuses: tuple[int, ...] = (429, 503), seed: int = 0,
                      endpoints: set[str] | None = None) -> None:
        """Each Sheets API request (to `endpoints`, default all) fails with probability `rate`."""
        self.fail_rate, self.fail_statuses, self._rng = rate, statuses, random.Random(seed)
        self.fail_endpoints = endpoints

    # --- looking at the state ------------------------------------------------------------------

    def sheets_requests(self) -> int:
        """Requests to the Sheets API (token requests aside)."""
        return sum(n for endpoint, n in self.calls.items() if endpoint != "token")

    def values(self, key: str, title: str) -> list[list]:
        """Typed cell values of a tab (None for empty), trailing empties trimmed."""
        sheet = self.books[key].by_title(title)
        assert sheet is not None, f"no tab {title!r}"
        rows, columns = sheet.extent()
        grid = [[effective(sheet.cells.get((r, c), {})) for c in range(columns)] for r in range(rows)]
        return [_trim(row) for row in grid]

    def cell(self, key: str, title: str, a1: str) -> dict:
        """The stored CellData of one cell."""
        span = parse_range(self.books[key], f"'{title}'!{a1}")
        return span.sheet.cells.get((span.r0, span.c0), {})

    # --- wiring --------------------------------------------------------------------------------

    @contextlib.contextmanager
    def serving(self) -> Iterator[responses.RequestsMock]:
        """Serve the fake for the duration of a `with` block; any other HTTP request fails."""
        with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
            self.install(rsps)
            yield rsps

    def install(self, rsps) -> None:
        """Register the fake's callbacks on a `responses.RequestsMock`."""
        pattern = re.compile(re.escape(BASE) + r"/.+")
        for method in ("GET", "POST", "PUT"):
            rsps.add_callback(method, pattern, callback=self._sheets)
        rsps.add_callback("POST", TOKEN_URL, callback=self.auth)

    def _sheets(self, request) -> tuple[int, dict, str]:
        url = urlsplit(request.url)
        path = unquote(url.path)[len(urlsplit(BASE).path) + 1:]
        params = parse_qs(url.query, keep_blank_values=True)
        endpoint, key, target = _route(request.method, path)
        self.calls[endpoint] += 1
        status, headers, body = self._answer(endpoint, key, target, params, request)
        self.log.append((endpoint, status))
        return status, {"Content-Type": "application/json; charset=UTF-8", **headers}, json.dumps(body)

    def _answer(self, endpoint, key, target, params, request) -> tuple[int, dict, dict]:
        failure = self._failure(endpoint)
        if failure:
            headers = {"Retry-After": str(self.retry_after)} if failure == 429 and self.retry_after else {}
            return failure, headers, error_body(failure, FAILURE_MESSAGES[failure])
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not token:
            return 401, {}, error_body(401, "Request is missing required authentication credential.")
        book = self.books.get(key)
        if book is None:
            return 404, {}, error_body(404, "Requested entity was not found.")
        if book.shared_with is not None and self.auth.email(token) not in book.shared_with:
            return 403, {}, error_body(403, "The caller does not have permission")
        body = json.loads(request.body) if request.body else None
        if endpoint == "batchUpdate":
            self.batches.append(body)
        try:
            self.discovery.check_params(_METHOD_IDS[endpoint], _query(params))
            if endpoint.startswith("values."):
                values = ValuesApi(book, self.discovery, self.books)
                return 200, {}, values.call(endpoint.removeprefix("values."), target, params, body)
            handler = self._get if endpoint == "get" else self._batch_update
            return 200, {}, handler(book, params, body, self.auth.email(token))
        except Violation as exc:
            return 400, {}, error_body(400, exc.description, field=exc.field)
        except BadRequest as exc:
            return 400, {}, error_body(400, exc.message, field=exc.field)

    def _failure(self, endpoint: str) -> int | None:
        if self._scheduled:
            return self._scheduled.popleft()
        if self.fail_endpoints is not None and endpoint not in self.fail_endpoints:
            return None
        if self.fail_rate and self._rng.random() < self.fail_rate:
            return self._rng.choice(self.fail_statuses)
        return None

    # --- endpoints -----------------------------------------------------------------------------

    def _get(self, book: Book, params: dict, body: Any, email: str | None) -> dict:
        spans = [parse_range(book, r) for r in params.get("ranges", [])]
        fields = params.get("fields", [None])[0]
        tree = parse_mask(fields) if fields else None
        if fields:
            self.discovery.check_mask(fields, "Spreadsheet")
            sheet_tree = tree.get("sheets", {}) if "*" not in tree else {"*": {}}
            with_data = "data" in sheet_tree or "*" in sheet_tree or ("sheets" in tree and not sheet_tree)
        else:
            with_data = params.get("includeGridData", ["false"])[0].lower() == "true"
        sheets = []
        for sheet in book.sheets:
            mine = [s for s in spans if s.sheet is sheet]
            if spans and not mine:
                continue  # with ranges, only the sheets they touch are returned
            resource = sheet.resource()
            if with_data:
                resource["data"] = [grid_data(s) for s in mine or [Span(sheet, 0, None, 0, None)]]
            sheets.append(resource)
        out = {"spreadsheetId": book.key, "properties": {"title": book.title, **SPREADSHEET_PROPERTIES},
               "sheets": sheets, "spreadsheetUrl": book.url()}
        return trim_grid_data(apply_mask(out, tree)) if tree else out

    def _batch_update(self, book: Book, params: dict, body: Any, email: str | None) -> dict:
        self.discovery.check_body(body, "BatchUpdateSpreadsheetRequest")
        draft = book.copy()  # atomic: the copy is kept only when every request succeeded
        replies = apply_batch(draft, strip_nulls(body).get("requests") or [], email)
        self.books[book.key] = draft
        out = {"spreadsheetId": book.key, "replies": replies}
        if body.get("includeSpreadsheetInResponse"):
            out["updatedSpreadsheet"] = self._get(draft, {}, None, email)
        return out


def error_body(status: int, message: str, field: str | None = None) -> dict:
    """Google's error JSON: code, message, status, and for a field error a BadRequest detail."""
    error: dict[str, Any] = {"code": status, "message": message,
                             "status": STATUS_NAMES.get(status, "UNKNOWN")}
    if field is not None:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.BadRequest",
                             "fieldViolations": [{"field": field, "description": message}]}]
    elif status == 429:
        error["details"] = [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                             "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com",
                             "metadata": {"service": "sheets.googleapis.com",
                                          "quota_limit_value": "60"}}]
    return {"error": error}


def make_service_account(path: Path, email: str = "kinerja@kinerja-test.iam.gserviceaccount.com",
                         fake: FakeSheets | None = None) -> Path:
    """Write a service-account JSON key to `path` whose JWTs `fake` (if given) accepts."""
    return _make_service_account(path, email, fake.auth if fake is not None else None)


_METHOD_IDS = {  # endpoint → discovery method id
    endpoint: "sheets.spreadsheets." + endpoint for endpoint in (
        "get", "batchUpdate", "values.get", "values.batchGet", "values.update", "values.append",
        "values.clear", "values.batchClear", "values.batchUpdate")
}


def _route(method: str, path: str) -> tuple[str, str, str | None]:
    """(endpoint, spreadsheet key, range) of a request path below /v4/spreadsheets/."""
    if method == "POST" and path.endswith(":batchUpdate") and "/" not in path:
        return "batchUpdate", path[:-len(":batchUpdate")], None
    key, _, rest = path.partition("/")
    if not rest:
        return "get", key, None
    if rest in ("values:batchGet", "values:batchClear", "values:batchUpdate"):
        return "values." + rest.split(":")[1], key, None
    target = rest.removeprefix("values/")
    if method == "POST":
        target, _, action = target.rpartition(":")
        return f"values.{action}", key, target
    return ("values.update" if method == "PUT" else "values.get"), key, target


def _query(params: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k: v for k, v in params.items() if k not in ("$.xgafv",)}


def _trim(row: list) -> list:
    while row and row[-1] is None:
        row = row[:-1]
    return row
