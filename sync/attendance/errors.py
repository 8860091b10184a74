"""The one error of the attendance-machine import."""

from sync.errors import SyncError


class MachineImportError(SyncError):
    """An attendance-machine export that cannot be read or converted.

    The message is in Indonesian and says what is wrong, where (file, row,
    column) and how to fix it; the CLI prints it as one line.
    """
