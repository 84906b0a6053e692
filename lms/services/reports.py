"""The completion report compliance officers download, and the trainer's completion by role: both read
`lms.analytics.completion`, the one query and status vocabulary behind every completion figure."""

from __future__ import annotations

from datetime import datetime

from lms.analytics.completion import REPORT_COLUMNS, RoleStatus, by_role, report_rows
from lms.services.csv_export import csv_text


def completion_by_role(now: datetime | None = None) -> list[RoleStatus]:
    """Current training per job role: not started, in progress, completed and overdue."""
    return by_role(now=now)


def completion_rows(now: datetime | None = None) -> list[dict[str, str]]:
    """One row per enrolment and role requiring it: who, which SOP revision, and where they stand."""
    return report_rows(now)


def completion_csv(now: datetime | None = None) -> str:
    return csv_text(REPORT_COLUMNS, ([row[c] for c in REPORT_COLUMNS] for row in completion_rows(now)))
