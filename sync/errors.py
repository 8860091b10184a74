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


# --- Google Sheets ----------------------------------------------------------------------


class GSheetCredentialsInvalid(SyncError):
    """The service-account key is missing, unreadable, not a service-account key, or revoked."""


class GSheetAccessDenied(SyncError):
    """Google refused access (403): the sheet is not shared with the service account, or the API is off."""


class GSheetNotFound(SourceNotFound):
    """No Google Sheet has this key (404): a wrong URL or key, or the sheet was deleted."""


class GSheetTabMissing(SyncError):
    """A tab Kinerja read or wrote a moment ago is gone (renamed or deleted during the run)."""


class GSheetRequestRejected(SyncError):
    """Google rejected a request as invalid (400): a Kinerja bug, reported with Google's message."""


class GSheetUnavailable(SyncError):
    """Google Sheets kept answering 'busy' (429/5xx) or could not be reached, even after retries."""


class GSheetOutputBlocked(SyncError):
    """An output tab cannot be written: its name is taken by a chart sheet, or it is locked to others."""


# --- writing a workbook file ------------------------------------------------------------


class WorkbookNotWritable(SyncError):
    """The workbook cannot be replaced where it is: a read-only file, folder or file system,
    a full disk, or a group the new file could not keep. The original is left untouched."""


class WorkbookLocked(WorkbookNotWritable):
    """The workbook is open in Excel or LibreOffice (their lock file lies beside it), or
    another program holds a lock on it: writing now would be overwritten by the next save
    there, or overwrite it."""
