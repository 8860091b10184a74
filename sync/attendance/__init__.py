"""Attendance data brought in from fingerprint/face machines (issue 15).

`import_machine_file` turns a machine's monthly export into rows of the
`Kehadiran` tab (internal column names of scoring.discipline); writing them
into the workbook is the caller's job.
"""

from .config import MachineColumns, MachineImportConfig
from .errors import MachineImportError
from .machine_import import (
    KEHADIRAN_COLUMNS,
    MachineImport,
    UnmatchedEmployee,
    convert_export,
    import_machine_file,
)
from .reading import ExportTable, read_export

__all__ = [
    "KEHADIRAN_COLUMNS", "ExportTable", "MachineColumns", "MachineImport", "MachineImportConfig",
    "MachineImportError", "UnmatchedEmployee", "convert_export", "import_machine_file",
    "read_export",
]
