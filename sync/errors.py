"""Errors a workbook owner (or the operator running Kinerja) can fix.

Every message is in Indonesian and says what is wrong, where, and how to fix
it; the CLI prints it as one line without a traceback.
"""


class SyncError(Exception):
    """Base for problems a workbook owner can fix."""


class SourceNotFound(SyncError):
    """The workbook named on the command line does not exist or cannot be opened."""


class WorkbookUnreadable(SyncError):
    """The file is not a workbook we can read (not .xlsx, corrupt, password-protected)."""


class SourceChanged(SyncError):
    """The workbook changed on disk after it was read; writing would lose someone's edits."""


class WorkbookInvalid(SyncError):
    """The workbook cannot be scored at all (e.g. no Pengaturan, no Tahun Penilaian)."""
