"""One input tab checked: its header found, every column parsed, every problem an Issue."""

from __future__ import annotations

import pandas as pd

from sheet_templates.schema import Tab
from sync.check.cells import RowParsing
from sync.check.columnar import ColumnarParsing, _has_data
from sync.check.issues import ERROR, WARNING, Issue, make_issue
from sync.check.validate import _header_row, _label, empty_frame, unusable_frame
from sync.parse import as_text
from sync.workbook import ColumnarTab, RawTab


class _TabChecker(ColumnarParsing, RowParsing):
    """Parses one input tab; collects issues and the set of rejected row positions."""

    def __init__(self, tab: Tab, raw_tab: RawTab, issues: list[Issue], year: int | None,
                 formulas: set[tuple[int, int]] = frozenset()):
        self.tab, self.raw_tab, self.issues, self.year = tab, raw_tab, issues, year
        self.formulas = formulas  # cells holding a formula without a stored result
        self.unparsed: dict[str, list] = {}  # raw values that failed to parse, per column
        self.value_codes: dict[str, tuple] = {}  # column-wise: (codes per row, distinct values)

    def issue(self, level, key, row=None, col_index=None, column=None, value="", **values):
        sheet_col = None if col_index is None else self.raw_tab.first_column + col_index
        row = None if row is None else int(row)  # the column-wise path holds sheet rows in an array
        self.issues.append(make_issue(level, key, self.tab, row, sheet_col, column, value, **values))

    def run(self) -> pd.DataFrame:
        tab = self.tab
        columnar = isinstance(self.raw_tab, ColumnarTab)
        rows = self.raw_tab.head(10) if columnar else self.raw_tab.rows
        labels = {_label(c.label): c for c in tab.columns}
        header_at = _header_row(rows, labels)
        if columnar and header_at != 0:  # the header is not the first row: read it row by row
            columnar, rows = False, self.raw_tab.rows
        columns_text = ", ".join(c.label for c in tab.columns)
        if header_at is None:
            if rows:
                self.issue(ERROR, "no_header", row=self.raw_tab.first_row + 1, columns=columns_text)
                return unusable_frame(tab)
            return empty_frame(tab)
        header_sheet_row = self.raw_tab.first_row + header_at + 1
        positions: dict[str, int] = {}
        for i, value in enumerate(rows[header_at]):
            col = labels.get(_label(as_text(value)))
            if col is None:
                continue
            if col.name in positions:
                self.issue(WARNING, "duplicate_header", row=header_sheet_row, col_index=i, column=col,
                           value=as_text(value))
                continue
            positions[col.name] = i
        missing = [c for c in tab.columns if c.required and c.name not in positions]
        for col in missing:
            self.issue(ERROR, "missing_column", row=header_sheet_row, column=col,
                       header_row=header_sheet_row)
        if missing:
            return unusable_frame(tab)
        if columnar:
            frame = self._run_columns(positions, header_sheet_row)
            if frame is not None:
                return frame
            rows = self.raw_tab.rows

        body = rows[header_at + 1:]
        read_columns = {self.raw_tab.first_column + pos for pos in positions.values()}
        formula_rows = {row for row, col in self.formulas
                        if col in read_columns and row > header_sheet_row}
        if formula_rows and max(formula_rows) > header_sheet_row + len(body):
            # calamine trims trailing rows it reads as empty, formulas without results included
            body = body + [[] for _ in range(max(formula_rows) - header_sheet_row - len(body))]
        sheet_rows = [header_sheet_row + 1 + i for i in range(len(body))]
        keep = [i for i, r in enumerate(body) if _has_data(r) or sheet_rows[i] in formula_rows]
        body = [body[i] for i in keep]
        sheet_rows = [sheet_rows[i] for i in keep]
        bad: set[int] = set()
        data: dict[str, list] = {"_row": sheet_rows}
        for col in tab.columns:
            pos = positions.get(col.name)
            raw_values = [r[pos] if pos is not None and pos < len(r) else None for r in body]
            data[col.name] = self._parse_column(col, pos, raw_values, sheet_rows, bad)
        data["_ok"] = [i not in bad for i in range(len(body))]
        frame = pd.DataFrame(data)
        frame.attrs["unparsed"] = self.unparsed
        frame.attrs["sheet_columns"] = {
            name: self.raw_tab.first_column + pos for name, pos in positions.items()}
        return frame

