"""The `Pengaturan` tab: key/value rows → a dict of settings by internal name."""

from __future__ import annotations

from typing import Any

from sheet_templates import SETTINGS
from sheet_templates.messages import message
from sheet_templates.schema import SETTINGS_KEY_LABEL, SETTINGS_VALUE_LABEL
from sync.check.validate import (
    ERROR,
    WARNING,
    Issue,
    _label,
    ambiguous_tab_issue,
    column_parser,
    formula_cells,
    matching_tabs,
)
from sync.parse import CellError, as_text, column_letter, is_blank
from sync.workbook import RawWorkbook

WEIGHT_GROUPS = (
    ("weight_work", "weight_behaviour", "weight_satisfaction"),
    ("rater_weight_supervisor", "rater_weight_peer", "rater_weight_subordinate"),
)


def defaults() -> dict[str, Any]:
    """Every setting at its default value."""
    return {col.name: col.default for col in SETTINGS.columns}


def read_settings(raw: RawWorkbook) -> tuple[dict[str, Any], list[Issue], bool]:
    """Parse `Pengaturan`; returns (settings, issues, fatal). Fatal means nothing can be scored."""
    values = defaults()
    issues: list[Issue] = []
    found = matching_tabs(raw, SETTINGS)
    if len(found) > 1:
        return values, [ambiguous_tab_issue(SETTINGS, found)], True
    if not found:
        problem, fix = message("missing_tab", tab=SETTINGS.label,
                               columns=f"{SETTINGS_KEY_LABEL}, {SETTINGS_VALUE_LABEL}")
        return values, [Issue(ERROR, SETTINGS.label, None, None, None, "", problem, fix,
                              rule="missing_tab")], True
    raw_tab = found[0]
    formulas = formula_cells(raw, raw_tab)
    by_label = {_label(c.label): c for c in SETTINGS.columns}
    seen: set[str] = set()
    reported: set[str] = set()  # settings whose cell already has its own message
    value_col = raw_tab.first_column + 1
    for i, row in enumerate(raw_tab.rows):
        sheet_row = raw_tab.first_row + i + 1
        key = as_text(row[0]) if row else ""
        value = row[1] if len(row) > 1 else None
        norm = _label(key)
        if not norm or norm in (_label(SETTINGS_KEY_LABEL),):
            continue
        col = by_label.get(norm)
        if col is None:
            problem, fix = message("unknown_setting", value=key)
            issues.append(Issue(WARNING, SETTINGS.label, sheet_row, SETTINGS_KEY_LABEL,
                                f"{column_letter(raw_tab.first_column)}{sheet_row}", key, problem, fix,
                                rule="unknown_setting"))
            continue
        seen.add(col.name)
        cell = f"{column_letter(value_col)}{sheet_row}"
        if is_blank(value):
            if (sheet_row, value_col) in formulas:
                level = ERROR if col.required else WARNING
                problem, fix = message("formula_no_value", column=col.label)
                if not col.required:
                    problem = f"{problem} Dipakai nilai bawaan {_show_default(col)}."
                issues.append(Issue(level, SETTINGS.label, sheet_row, SETTINGS_VALUE_LABEL, cell, "",
                                    problem, fix, value_col, "formula_no_value"))
                reported.add(col.name)
            continue
        try:
            parsed = _parse_setting(col, value)
        except CellError as exc:
            level = ERROR if col.required else WARNING
            if col.required:
                problem, fix = exc.problem, exc.fix
                problem = f"{col.label} {problem}."
            else:
                problem, fix = message("setting_default", column=col.label, problem=exc.problem,
                                       default=_show_default(col), fix=exc.fix)
            issues.append(Issue(level, SETTINGS.label, sheet_row, SETTINGS_VALUE_LABEL, cell,
                                _typed(value), problem, fix, value_col, "setting_value"))
            reported.add(col.name)
            continue
        values[col.name] = parsed
    fatal = False
    for col in SETTINGS.columns:
        if col.required and values.get(col.name) in (None, ""):
            fatal = True
            if col.name in reported:  # typed but unusable (out of range, a formula): said there
                continue
            problem, fix = message("setting_missing", column=col.label)
            issues.append(Issue(ERROR, SETTINGS.label, None, col.label, None, "", problem, fix,
                                rule="setting_missing"))
    issues.extend(_check_weights(values))
    return values, issues, fatal


def _parse_setting(col, value):
    parsed = _try(col, value)
    if col.type in ("number", "int"):
        low, high = col.minimum, col.maximum
        if (low is not None and parsed < low) or (high is not None and parsed > high):
            shown = _typed(value)
            if low is not None and high is not None:
                raise CellError(f"{shown} di luar rentang yang sah ({_number(low)}–{_number(high)})",
                                f"Isi angka dari {_number(low)} sampai {_number(high)}.")
            if low is not None:
                raise CellError(f"{shown} di luar rentang yang sah: harus paling sedikit {_number(low)}",
                                f"Isi angka {_number(low)} atau lebih.")
            raise CellError(f"{shown} di luar rentang yang sah: paling banyak {_number(high)}",
                            f"Isi angka {_number(high)} atau kurang.")
    return parsed


def _try(col, value):
    try:
        return column_parser(col)(value)
    except LookupError:
        raise CellError(f"'{as_text(value)}' bukan pilihan yang sah",
                        f"Pilih salah satu: {', '.join(col.labels)}.") from None


def _show_default(col) -> str:
    for choice in col.choices:
        if choice.code == col.default:
            return choice.label
    return "kosong" if col.default is None else _number(col.default) if isinstance(
        col.default, int | float) else str(col.default)


def _number(value: float) -> str:
    """A bound, default or total as the clerk types it in Pengaturan: 4,5 (a decimal comma), 110.

    Fifteen significant digits: enough to show 59,999999 as typed, few enough that a sum such as
    30 + 10 + 59,999999 does not show float noise."""
    return f"{value:.15g}".replace(".", ",")


def _typed(value) -> str:
    """A typed setting for a message: a number with a decimal comma, as Excel shows it here."""
    return _number(value) if isinstance(value, float) and not value.is_integer() else as_text(value)


def _check_weights(values: dict[str, Any]) -> list[Issue]:
    issues = []
    for group in WEIGHT_GROUPS:
        total = sum(float(values[name]) for name in group)
        if abs(total - 100) > 1e-9:
            labels = " + ".join(SETTINGS.column(name).label for name in group)
            problem, fix = message("weights_sum", columns=labels, total=_number(total))
            issues.append(Issue(WARNING, SETTINGS.label, None, None, None, _number(total), problem, fix,
                                rule="weights_sum"))
    return issues
