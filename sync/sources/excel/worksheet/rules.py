"""The rules of a tab both sides write (e.g. Pengaduan): its conditional fills and its dropdowns,
as `conditionalFormatting` and `dataValidations` over the data and the spare rows.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from sheet_templates.complaints import overdue_formula
from sheet_templates.guide import choice_prompt
from sync.outtabs import OutputTab
from sync.sources.excel.styles import Styles
from sync.sources.excel.worksheet.cells import _xml, _xml_attr


def _shared_tab_rules(tab: OutputTab, styles: Styles) -> list[str]:
    """The conditional fills and the dropdowns of a tab both sides write, over data and spare rows."""
    if not (tab.conditional_fills or tab.dropdowns):
        return []
    first = tab.header_row + 1
    last = tab.header_row + len(tab.rows) + max(tab.spare_rows, 1)
    out = []
    for priority, fill in enumerate(tab.conditional_fills, start=1):
        formula = overdue_formula(first, get_column_letter(fill.formula_column + 1),
                                  get_column_letter(fill.status_column + 1), fill.done_text)
        out.append(f'<conditionalFormatting sqref="A{first}:{get_column_letter(len(tab.columns))}{last}">'
                   f'<cfRule type="expression" dxfId="{styles.dxf_fill("FF" + fill.color)}" '
                   f'priority="{priority}"><formula>{_xml(formula)}</formula></cfRule>'
                   "</conditionalFormatting>")
    if tab.dropdowns:
        out.append(f'<dataValidations count="{len(tab.dropdowns)}">')
        for column, choices in sorted(tab.dropdowns.items()):
            letter = get_column_letter(column + 1)
            listed = '"' + ",".join(c.replace('"', '""') for c in choices) + '"'
            title = tab.columns[column].header[:32]
            out.append(f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" '
                       f'errorTitle="{_xml_attr(title)}" error="{_xml_attr(choice_prompt(choices)[:255])}" '
                       f'sqref="{letter}{first}:{letter}{last}"><formula1>{_xml(listed)}</formula1>'
                       "</dataValidation>")
        out.append("</dataValidations>")
    return out
