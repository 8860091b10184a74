"""Which kind of source a command-line SOURCE names, without importing any client library.

Kept apart from `gsheets` so that `kinerja score file.xlsx` never pays for importing
gspread and google-auth.
"""

from __future__ import annotations

import re

GSHEET_PREFIX = "gsheet:"
_KEY = r"[A-Za-z0-9_-]+"
_URL = re.compile(
    rf"^(?:https?://)?docs\.google\.com/spreadsheets/(?:u/\d+/)?d/(?P<key>{_KEY})(?:[/?#].*)?$")
_PUBLISHED = "e"  # .../spreadsheets/d/e/2PACX-.../pubhtml: a publish-to-web id, not a sheet key


def gsheet_key(location: str) -> str | None:
    """The spreadsheet key of a `gsheet:KEY` or a docs.google.com/spreadsheets URL, else None.

    Examples:
        >>> gsheet_key("gsheet:1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCd")
        '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCd'
        >>> gsheet_key("https://docs.google.com/spreadsheets/d/1AbC_d-9/edit#gid=0")
        '1AbC_d-9'
        >>> gsheet_key("opd.xlsx") is None
        True
    """
    text = location.strip()
    if text.startswith(GSHEET_PREFIX):
        key = text[len(GSHEET_PREFIX):].strip()
        return key if re.fullmatch(_KEY, key) else None
    match = _URL.match(text)
    if match is None or match["key"] == _PUBLISHED:
        return None
    return match["key"]


def looks_like_gsheet(location: str) -> bool:
    """True when `location` is meant as a Google Sheet, even a malformed one (for clear errors)."""
    text = location.strip()
    return text.startswith(GSHEET_PREFIX) or "docs.google.com/" in text
