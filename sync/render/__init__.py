"""Scoring results and validation issues → the output tabs supervisors read (pure).

Codes become Indonesian words (from `sheet_templates.results`), numbers are
rounded for reading, and each tab gets its columns from the contract;
`print_ready` fits widths and names the agency and period for the printed
page. One module per kind of tab: `results` (Hasil, Peringkat, Rekap Unit,
IKM), `indicators` (Capaian IKI), `validation` (Validasi), `pay` (TPP, Angka
Kredit), and what they share (`common`, `printing`).
"""

from sync.outtabs import OutputTab
from sync.render.common import LEVEL_LABELS, output_columns, table_rows
from sync.render.indicators import indicator_status, render_indicators
from sync.render.printing import fit_widths, period_range, print_ready
from sync.render.results import (
    _follow_up,
    _status,
    breach_text,
    components_text,
    rank_change_text,
    render_ikm,
    render_rankings,
    render_results,
    render_unit_summary,
    results_frame,
    trend_rows,
)
from sync.render.validation import ordered_issues, render_validation, validation_row, write_validation_csv

__all__ = [
    "LEVEL_LABELS", "OutputTab", "_follow_up", "_status", "breach_text", "components_text", "fit_widths",
    "indicator_status", "ordered_issues", "output_columns", "period_range", "print_ready", "rank_change_text",
    "render_ikm", "render_indicators", "render_rankings", "render_results", "render_unit_summary",
    "render_validation", "results_frame", "table_rows", "trend_rows", "validation_row",
    "write_validation_csv",
]
