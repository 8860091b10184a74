"""Complaints (issue 16): the `Pengaduan` tab that the service and supervisors both write.

`merge.py` is pure: the service's freshly computed complaints plus the tab as
read → the rows to write, keeping every cell the supervisor typed.
"""

from .merge import (
    COLUMNS,
    SERVICE_LABELS,
    STATUS_LABELS,
    SUPERVISOR_LABELS,
    TAB,
    Problem,
    complaint_problems,
    merge_complaints,
    status_counts,
    supervisor_status,
)

COMPLAINTS_TAB = TAB

__all__ = [
    "COMPLAINTS_TAB",
    "COLUMNS",
    "SERVICE_LABELS",
    "STATUS_LABELS",
    "SUPERVISOR_LABELS",
    "TAB",
    "Problem",
    "complaint_problems",
    "merge_complaints",
    "status_counts",
    "supervisor_status",
]
