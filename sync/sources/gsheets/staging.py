"""Writing result tabs too big for one request, still switching them over atomically (pure).

Google rejects a request body over about 10 MB ("Request payload size exceeds
the limit: 10485760 bytes"); a monthly Hasil of some 500 employees is already
that big as `updateCells`, and `GSheetSource` splits from 8 MB on. Such a write is split in two phases:

1. upload: the new content of every output tab goes into a hidden staging tab
   ("Kinerja sementara Hasil"), in as many batchUpdates as the size needs;
2. switch: one last, small batchUpdate prepares each real output tab as usual
   (charts deleted, resized, cleared), copies the staging tab onto it with
   `copyPaste` (values and formats, server-side), adds widths, charts and
   protection, and deletes the staging tabs.

The visible tabs change only in the switch, which is atomic; a failure during
the upload leaves them as they were, and leftover staging tabs are deleted by
the next write. Tab ids stay the same, so links and formulas pointing at the
output tabs keep working.
"""

from __future__ import annotations

import json

from sheet_templates import gsheet_format as fmt
from sync.outtabs import OutputTab
from sync.sources.gsheets.batch import (
    check_tabs,
    finish_requests,
    format_requests,
    prepare_requests,
    values_request,
)

STAGING_PREFIX = "Kinerja sementara "  # hidden tabs that exist only while a large write uploads
_ENVELOPE = len('{"requests":[]}')


def body_size(requests: list[dict]) -> int:
    """Bytes of the batchUpdate body for `requests`, encoded as `GSheetSource` sends it."""
    return len(json.dumps({"requests": requests}, separators=(",", ":"), ensure_ascii=False).encode())


def staged_requests(tabs: list[OutputTab], spreadsheet: dict, limit: int) -> tuple[list[list[dict]],
                                                                                    list[dict]]:
    """The upload batches (each at most `limit` bytes) and the final switch batch.

    Args:
        tabs: the output tabs, as for `write_requests`.
        spreadsheet: the `spreadsheets.get` answer (`METADATA_FIELDS`).
        limit: the largest body, in bytes, of one upload batch.

    Returns:
        (upload batches, switch batch).
    """
    check_tabs(tabs)
    existing = fmt.sheets_by_title(spreadsheet)
    taken = fmt.sheet_ids(spreadsheet)
    setup = [{"deleteSheet": {"sheetId": s["properties"]["sheetId"]}} for s in spreadsheet.get("sheets", [])
             if s["properties"]["title"].startswith(STAGING_PREFIX)]  # left by a failed upload
    uploads: list[dict] = []
    switch: list[dict] = []
    staged: list[int] = []
    for tab in tabs:
        stage_id = fmt.free_sheet_id(STAGING_PREFIX + tab.name, taken)
        staged.append(stage_id)
        rows = tab.last_row  # the table and, below it, the charts' data rows
        columns = max(len(tab.columns), 1, *(len(row) for row in tab.chart_data))
        setup.append(fmt.add_sheet_request(stage_id, (STAGING_PREFIX + tab.name)[:100], rows, columns,
                                           hidden=True))
        setup.extend(format_requests(tab, stage_id))
        uploads.extend(_split(values_request(tab, stage_id), limit - _ENVELOPE))
        sheet_id, prepare, protected = prepare_requests(tab, existing.get(tab.name.strip().casefold()), taken)
        switch.extend(prepare)
        switch.append({"copyPaste": {
            "source": fmt.grid_range(stage_id, (0, rows), (0, columns)),
            "destination": fmt.grid_range(sheet_id, (0, rows), (0, columns)),
            "pasteType": "PASTE_NORMAL", "pasteOrientation": "NORMAL"}})
        switch.extend(finish_requests(tab, sheet_id, protected))
    switch.extend({"deleteSheet": {"sheetId": stage_id}} for stage_id in staged)
    return _pack(setup + uploads, limit), switch


def _split(request: dict, limit: int) -> list[dict]:
    """One `updateCells` (from `values_request`) as several, each below `limit` bytes."""
    cells = request["updateCells"]
    start = cells["start"]
    out, rows, size, first = [], [], 0, 0
    overhead = body_size([request | {"updateCells": cells | {"rows": []}}])
    for i, row in enumerate(cells["rows"]):
        row_size = len(json.dumps(row, separators=(",", ":"), ensure_ascii=False).encode()) + 1
        if rows and size + row_size + overhead > limit:
            out.append(_part(cells, start, first, rows))
            rows, size, first = [], 0, i
        rows.append(row)
        size += row_size
    if rows or not out:
        out.append(_part(cells, start, first, rows))
    return out


def _part(cells: dict, start: dict, first_row: int, rows: list[dict]) -> dict:
    return {"updateCells": {"start": start | {"rowIndex": start["rowIndex"] + first_row}, "rows": rows,
                            "fields": cells["fields"]}}


def _pack(requests: list[dict], limit: int) -> list[list[dict]]:
    """Requests in order, grouped greedily into batches whose bodies stay below `limit` bytes."""
    batches: list[list[dict]] = [[]]
    size = _ENVELOPE
    for request in requests:
        request_size = body_size([request]) - _ENVELOPE + 1
        if batches[-1] and size + request_size > limit:
            batches.append([])
            size = _ENVELOPE
        batches[-1].append(request)
        size += request_size
    return batches
