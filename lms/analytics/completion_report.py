"""The completion report compliance officers read and download: every enrolment, once per job role that
requires it, superseded training and enrolments no role requires included (`completion_select` with
`every_enrolment`).

At a real company's size (a million rows) nothing here holds the report in memory: the page reads one page
of rows (LIMIT/OFFSET, plus one COUNT), and the CSV is written while the rows stream from the database
(`yield_per`: a server-side cursor on PostgreSQL), in chunks a streamed response sends as they come.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Row, Select, distinct, func, select

from lms.analytics.completion import completion_select
from lms.csv_export import csv_chunks
from lms.db import db, utcnow
from lms.paging import Page, clamp_page

REPORT_COLUMNS = (
    "user",
    "email",
    "role",
    "sop_code",
    "revision",
    "status",
    "score",
    "completed_at",
    "due_at",
)
STREAM_BATCH = 2000  # rows fetched from the database at a time
PER_PAGE = 100


def report_query(now: datetime | None = None) -> Select:
    query = completion_select(now=now or utcnow(), every_enrolment=True)
    columns = query.selected_columns
    return query.order_by(columns.user, columns.sop_code, columns.job_role, columns.enrolment_id)


def _as_dict(row: Row) -> dict[str, str]:
    return {
        "user": row.user,
        "email": row.email,
        "role": row.job_role or "",
        "sop_code": row.sop_code,
        "revision": row.revision,
        "status": row.status,
        "score": "" if row.score_percent is None else f"{row.score_percent:.1f}",
        "completed_at": row.completed_at.isoformat() if row.completed_at else "",
        "due_at": row.due_at.isoformat(),
    }


def report_rows(now: datetime | None = None) -> Iterator[dict[str, str]]:
    """Every row of the report, streamed from the database a batch at a time."""
    query = report_query(now).execution_options(yield_per=STREAM_BATCH)
    for row in db.session.connection().execute(query):
        yield _as_dict(row)


def report_csv_chunks(now: datetime | None = None) -> Iterator[str]:
    """The report as the CSV compliance officers download, in pieces for a streamed response."""
    return csv_chunks(REPORT_COLUMNS, ([row[c] for c in REPORT_COLUMNS] for row in report_rows(now)))


def report_page(page: int = 1, per_page: int = PER_PAGE, now: datetime | None = None) -> tuple[Page, int]:
    """One page of the report, and how many job roles the whole report covers."""
    query = report_query(now)
    rows = query.subquery()
    total, roles = (
        db.session.connection().execute(select(func.count(), func.count(distinct(rows.c.job_role_id)))).one()
    )
    page = clamp_page(page, total, per_page)
    found = db.session.connection().execute(query.limit(per_page).offset((page - 1) * per_page))
    return Page([_as_dict(row) for row in found], page, per_page, total), roles
