"""The `Validasi` tab: every issue with its cell, capped per rule with summary rows; the full list as CSV."""

from __future__ import annotations

import datetime as dt

from sheet_templates import results as R
from sheet_templates.messages import message
from sync.check.validate import ERROR, Issue
from sync.outtabs import (
    OutputTab,
)
from sync.render.common import LEVEL_LABELS, output_columns

MAX_PER_RULE = 50  # Validasi rows per rule per column; the rest is counted in a summary row
MAX_VALIDATION_ROWS = 10_000  # Validasi rows of messages in all (Excel stops at 1,048,576)
_FIRST_SHOWN = 5  # cells a summary row names


def render_validation(issues: list[Issue], when: dt.datetime, per_rule: int = MAX_PER_RULE,
                      limit: int = MAX_VALIDATION_ROWS) -> OutputTab:
    """The `Validasi` tab: a summary line, then one row per issue, in a clerk's working order.

    Bounded: at most `per_rule` messages of one rule in one column and `limit` in all; each
    rule with messages left out gets a summary row at the bottom (how many, and the first
    cells). The title counts every issue. `write_validation_csv` writes the full list.
    """
    errors = sum(i.level == ERROR for i in issues)
    stamp = when.strftime("%Y-%m-%d %H:%M")
    if issues:
        title = message("summary", when=stamp, errors=_count(errors),
                        warnings=_count(len(issues) - errors))[0]
    else:
        title = message("summary_clean", when=stamp)[0]
    shown: list[Issue] = []
    groups: dict[tuple, _RuleGroup] = {}
    for issue in ordered_issues(issues):
        key = (issue.level, issue.tab, issue.column, issue.rule or issue.problem)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _RuleGroup(issue)
        group.total += 1
        if len(group.first) < _FIRST_SHOWN:
            group.first.append(issue)
        if group.shown < per_rule and len(shown) < limit:
            group.shown += 1
            shown.append(issue)
    rows = [validation_row(i) for i in shown]
    capped = [group.summary_row() for group in groups.values() if group.total > group.shown]
    if capped:
        title += message("summary_capped", shown=_count(len(shown)))[0]
    return OutputTab(R.VALIDATION.label, output_columns(R.VALIDATION), rows + capped, title=title)


def ordered_issues(issues: list[Issue]) -> list[Issue]:
    """Galat first, then in a clerk's working order (tab, row, column)."""
    return sorted(issues, key=lambda i: (i.level != ERROR, *i.sort_key()))


def validation_row(issue: Issue) -> tuple:
    """One issue as a `Validasi` row (and a CSV line)."""
    return (LEVEL_LABELS[issue.level], issue.tab, issue.row, issue.column, issue.cell, issue.value,
            issue.problem, issue.fix)


class _RuleGroup:
    """The messages of one rule in one column: how many, how many shown, the first ones."""

    def __init__(self, issue: Issue):
        self.issue, self.total, self.shown, self.first = issue, 0, 0, []

    def summary_row(self) -> tuple:
        issue = self.issue
        first = ", ".join(_where(i) for i in self.first)
        if self.total > len(self.first):
            first += ", …"
        example = issue.problem.rstrip(". ")
        if len(example) > 120:
            example = example[:117].rstrip() + "…"
        values = dict(example=f"'{example}'", total=_count(self.total), tab=issue.tab,
                      column=issue.column, shown=_count(self.shown),
                      hidden=_count(self.total - self.shown), first=first)
        problem, fix = message("capped_rule" if issue.column else "capped_rule_tab", **values)
        return (LEVEL_LABELS[issue.level], issue.tab, None, issue.column, self.first[0].cell,
                f"{_count(self.total)} pesan", problem, fix)


def _where(issue: Issue) -> str:
    if issue.cell:
        return f"{issue.tab}!{issue.cell}"
    return f"{issue.tab} baris {issue.row}" if issue.row else issue.tab


def _count(n: int) -> str:
    """1.234.567, as Indonesians group digits."""
    return f"{n:,}".replace(",", ".")


def write_validation_csv(issues: list[Issue], path) -> None:
    """Every issue, uncapped, as a CSV for Excel in an Indonesian locale (`;`, UTF-8 with BOM).

    The columns are those of `Validasi`. A cell that Excel would take for a formula
    (`=`, `+`, `-`, `@` first) is written with a leading apostrophe, so it stays text.
    Written to a temporary file beside `path` and moved into place.

    Raises:
        SyncError: the file cannot be written (one Indonesian sentence).
    """
    import csv
    import os
    import tempfile
    from pathlib import Path

    from sync.errors import SyncError

    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".kinerja-", suffix=".csv", dir=path.parent or ".")
        try:
            with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as handle:
                writer = csv.writer(handle, delimiter=";")
                writer.writerow([c.label for c in R.VALIDATION.columns])
                for issue in ordered_issues(issues):
                    writer.writerow([_csv_cell(v) for v in validation_row(issue)])
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise SyncError(f"Daftar lengkap Validasi tidak dapat ditulis ke '{path}' (kode galat sistem "
                        f"{exc.errno}); periksa folder dan ruang disknya.") from None


def _csv_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


