"""`kinerja provision`: lay the template onto a Google Sheet in at most three requests.

One metadata read, one read of the first rows of the template tabs that
exist (their headers, Pengaturan keys and dropdowns), then one atomic
batchUpdate with whatever `sheet_templates.gsheet` plans; nothing is sent when
the plan is empty, so a second run is free and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from sheet_templates import gsheet
from sync.parse import normalise_label
from sync.sources.gsheets.source import GSheetSource


def provision(source: GSheetSource, settings: Mapping[str, object] | None = None) -> gsheet.Plan:
    """Add the template's missing tabs, headers, Pengaturan keys, dropdowns and protections.

    Args:
        source: the Google Sheet.
        settings: Pengaturan values for keys that get added (internal names:
            `{"org_name": "Dinas Kesehatan", "year": 2026}`); existing values are never changed.

    Returns:
        The plan that was applied (its `changes` and `notes` describe it in Indonesian).
    """
    meta = source.metadata(refresh=True)
    ranges = gsheet.probe_ranges(meta, normalise_label)
    grid = source.grid(ranges, gsheet.GRID_FIELDS) if ranges else None
    plan = gsheet.provision_requests(meta, grid, settings=settings, match=normalise_label)
    if plan.requests:
        source.batch_update(plan.requests, "memasang templat")
    return plan
