"""Google Sheets budget (design.md §6): one full `score` uses at most 3 Sheets API requests, any size.

Lays a filled workbook into the fake Sheets API of the test suite
(tests/fakes/fake_sheets.py, which checks every request against Google's
discovery document in ../shared) and runs a full score three ways, counting the
requests the fake receives (token requests aside):

  a. Kinerja: `pipeline.score(GSheetSource)`: metadata, one values:batchGet, one batchUpdate
     (results over 8 MB: upload batches to hidden tabs, then one switch batch);
  b. naive gspread, per tab: a worksheet lookup and `get_all_values` per input tab; per
     output tab lookup/add, clear, resize, update, header/number/highlight formats,
     freeze, widths, charts, protection (bench/_naive_sheets.py);
  c. gspread-dataframe: `get_as_dataframe` / `set_with_dataframe` per tab (values only:
     no formats, charts or protection), when gspread-dataframe is installed.

Sizes: the demo workbook (`kinerja demo`: 45 employees) and a large one (default
2,000 employees, 5 IKI, 12 months). Google's quota is 60 requests per minute per
user, so the minutes column is the least time each way needs at that quota. The
largest batchUpdate body is shown because Google recommends payloads of at most
a few MB.

Run by hand from the project root:

    .venv/bin/python bench/bench_sheets_requests.py
    .venv/bin/python bench/bench_sheets_requests.py --employees 5000

Prints PASS/FAIL against the budget (Kinerja <= 3 requests at every size) and exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fake lives in tests/

import gspread  # noqa: E402
from _common import machine, table  # noqa: E402
from google.oauth2.credentials import Credentials  # noqa: E402

from sync import pipeline  # noqa: E402
from sync.demo.build import demo_data, demo_frames_for_scale, demo_settings  # noqa: E402
from sync.sources.gsheets.source import MAX_PAYLOAD, GSheetSource  # noqa: E402
from tests.fakes.fake_sheets import FakeSheets  # noqa: E402
from tests.fakes.gsheet_fixtures import KEY, discovery, workbook_rows  # noqa: E402

BUDGET = 3
NOW = dt.datetime(2026, 12, 31, 16, 45)
QUOTA_PER_MINUTE = 60


def count(doc: dict, tabs: dict[str, list[list]], make_source) -> tuple[int, float, dict, int]:
    """(requests, seconds, requests per endpoint, largest batchUpdate body in bytes) of one score run."""
    api = FakeSheets(doc)
    api.create(KEY, tabs)
    client = gspread.Client(Credentials(token="bench"))  # the fake accepts any bearer token
    start = time.perf_counter()
    with api.serving():
        pipeline.score(make_source(client), now=NOW)
    seconds = time.perf_counter() - start
    largest = max((len(json.dumps(b, separators=(",", ":"), ensure_ascii=False).encode())
                   for b in api.batches), default=0)
    return api.sheets_requests(), seconds, dict(api.calls), largest


def ways() -> list[tuple[str, object]]:
    from _naive_sheets import DataFrameSource, NaiveGspreadSource

    out = [("Kinerja (GSheetSource)", lambda c: GSheetSource(KEY, c)),
           ("naive gspread, per tab", lambda c: NaiveGspreadSource(c, KEY))]
    try:
        import gspread_dataframe  # noqa: F401
    except ImportError:
        print("gspread-dataframe is not installed (pip install gspread-dataframe): its row is left out")
    else:
        out.append(("gspread-dataframe (values only)", lambda c: DataFrameSource(c, KEY)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--employees", type=int, default=2000, help="employees of the large workbook")
    args = parser.parse_args()
    shared = ROOT.parent / "shared"
    if not (shared / "fixtures" / "google-discovery" / "sheets.v4.json").exists():
        print("../shared/fixtures/google-discovery/sheets.v4.json is missing: the fake needs it. Skipped.")
        return
    doc = discovery(shared)
    print(machine())
    sizes = [("demo (45 employees)", demo_data()),
             (f"large ({args.employees:,} employees)", demo_frames_for_scale(args.employees))]
    rows, verdict = [], True
    for label, data in sizes:
        tabs = workbook_rows(data, demo_settings())
        cells = sum(len(r) for rows_ in tabs.values() for r in rows_)
        print(f"\n{label}: {cells:,} input cells in {len(tabs)} tabs", flush=True)
        for name, make in ways():
            requests, seconds, calls, largest = count(doc, tabs, make)
            minutes = requests / QUOTA_PER_MINUTE
            rows.append([label, name, str(requests), f"{minutes:.1f}", f"{largest / 1e6:.2f} MB",
                         f"{seconds:.1f} s"])
            print(f"  {name}: {requests} requests {calls}", flush=True)
            if name.startswith("Kinerja"):
                verdict &= requests <= BUDGET
                if requests > BUDGET:
                    print(f"  (Kinerja's result is over {MAX_PAYLOAD:,} bytes: Google refuses bodies "
                          "over about 10 MB, so it was uploaded in parts to hidden tabs and switched "
                          "over in one final batch)")
    print()
    print(table(["workbook", "way", "Sheets API requests", "min at 60/min", "largest batchUpdate",
                 "run time (fake)"], rows))
    print(f"\n{'PASS' if verdict else 'FAIL'}: Kinerja uses at most {BUDGET} Sheets API requests per score"
          f"{'' if verdict else ' (not for results over the one-request size limit; see above)'}.")


if __name__ == "__main__":
    main()
