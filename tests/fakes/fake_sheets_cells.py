"""Cell values in the fake Sheets API: how they render (values.get) and how typed text is read.

Models Google Sheets in the en_US locale closely enough for Kinerja and the
recordings: RAW keeps text as text; USER_ENTERED reads numbers, TRUE/FALSE,
ISO dates and simple arithmetic formulas, except in cells formatted as plain
text, where text stays text.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from typing import Any

EPOCH = dt.datetime(1899, 12, 30)


def effective(cell: dict) -> Any:
    """The typed value a cell shows: str, number, bool, or None when empty."""
    value = cell.get("effectiveValue") or cell.get("userEnteredValue")
    if not value:
        return None
    for key in ("stringValue", "numberValue", "boolValue"):
        if key in value:
            return value[key]
    if "errorValue" in value:
        return "#ERROR!"
    return None


def render(cell: dict, value_option: str, date_option: str) -> Any:
    """A cell as values.get returns it, per valueRenderOption and dateTimeRenderOption."""
    if value_option == "FORMULA" and "formulaValue" in cell.get("userEnteredValue", {}):
        return cell["userEnteredValue"]["formulaValue"]
    value = effective(cell)
    if value is None:
        return ""
    number_format = cell.get("userEnteredFormat", {}).get("numberFormat", {})
    is_date = number_format.get("type") in ("DATE", "DATE_TIME", "TIME")
    if isinstance(value, bool):
        return value if value_option != "FORMATTED_VALUE" else str(value).upper()
    if isinstance(value, int | float):
        if is_date and (value_option == "FORMATTED_VALUE" or date_option == "FORMATTED_STRING"):
            return format_date(value, number_format.get("pattern", "yyyy-mm-dd"))
        if value_option == "FORMATTED_VALUE":
            return format_number(value, number_format.get("pattern"))
        return json_number(value)
    return value


def json_number(value: float) -> int | float:
    """Google writes integral doubles without a fraction (2, not 2.0)."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def format_number(value: float, pattern: str | None) -> str:
    if pattern and re.fullmatch(r"0(\.0+)?", pattern):
        return f"{value:.{len(pattern) - 2 if '.' in pattern else 0}f}"
    return str(json_number(value))


def format_date(serial: float, pattern: str) -> str:
    moment = EPOCH + dt.timedelta(days=serial)
    for google, python in (("yyyy", "%Y"), ("mm", "%m"), ("dd", "%d"), ("hh", "%H"), ("ss", "%S")):
        pattern = pattern.replace(google, python)
    return moment.strftime(pattern.replace("%H:%m", "%H:%M"))


def entered(value: Any, option: str, text_format: bool = False) -> dict:
    """The CellData of a value written with valueInputOption RAW or USER_ENTERED ({} clears it)."""
    if value is None or value == "":
        return {}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    text = str(value)
    if option == "RAW" or text_format:
        return {"userEnteredValue": {"stringValue": text}}
    return user_entered(text)


def user_entered(text: str) -> dict:
    """How Google Sheets (en_US) reads typed text: formulas, numbers, booleans, dates, else text."""
    if text.startswith("'"):
        return {"userEnteredValue": {"stringValue": text[1:]}}
    if text.startswith("="):
        result = _arithmetic(text[1:])
        effective_value = ({"numberValue": result} if result is not None else
                           {"errorValue": {"type": "ERROR", "message": "Formula parse error."}})
        return {"userEnteredValue": {"formulaValue": text}, "effectiveValue": effective_value}
    if text.upper() in ("TRUE", "FALSE"):
        return {"userEnteredValue": {"boolValue": text.upper() == "TRUE"}}
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        return {"userEnteredValue": {"numberValue": float(text) if re.search(r"[.eE]", text) else int(text)}}
    for pattern, fmt, google in (("%Y-%m-%d", "DATE", "yyyy-mm-dd"), ("%Y-%m", "DATE", "yyyy-mm"),
                                 ("%Y-%m-%d %H:%M:%S", "DATE_TIME", "yyyy-mm-dd hh:mm:ss"),
                                 ("%Y-%m-%d %H:%M", "DATE_TIME", "yyyy-mm-dd hh:mm")):
        try:
            moment = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        serial = (moment - EPOCH) / dt.timedelta(days=1)
        return {"userEnteredValue": {"numberValue": json_number(serial)},
                "userEnteredFormat": {"numberFormat": {"type": fmt, "pattern": google}}}
    return {"userEnteredValue": {"stringValue": text}}


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _arithmetic(expression: str) -> float | None:
    """The value of a formula made of numbers, + - * / and brackets; None for anything else."""
    def ev(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return node.value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        raise ValueError(expression)

    try:
        return ev(ast.parse(expression, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError):
        return None


def typed_cell(value: Any) -> dict:
    """A cell as a clerk types it into a sheet: text, a number, TRUE/FALSE, a date or date-time."""
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return {}
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        serial = (value.replace(tzinfo=None) - EPOCH) / dt.timedelta(days=1)
        return {"userEnteredValue": {"numberValue": serial},
                "userEnteredFormat": {"numberFormat": {"type": "DATE_TIME",
                                                       "pattern": "yyyy-mm-dd hh:mm:ss"}}}
    if isinstance(value, dt.date):
        return {"userEnteredValue": {"numberValue": (value - EPOCH.date()).days},
                "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}}
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}
