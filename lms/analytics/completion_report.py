"""The completion report compliance officers read and download: every enrolment, once per job role that
requires it, superseded training and enrolments no role requires included (`completion_select` with
`every_enrolment`).

At a real company's size (a million rows) nothing here holds the report in memory: the page reads one page
of rows (LIMIT/OFFSET, plus one COUNT), and the CSV is written while the rows stream from the database, in
chunks a streamed response sends as they come. On PostgreSQL the database writes the CSV itself (`COPY
(...) TO STDOUT`, from `report_cells`, which computes every cell as text exactly as `report_rows` and
`csv_chunks` write it: formula-safe, one line, ISO 8601 times, scores to one decimal): Python writing a
CSV row costs about ten times what COPY does. On SQLite the rows stream in batches and Python writes them.
A test holds the two writers to the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Row,
    Select,
    String,
    case,
    cast,
    func,
    literal,
    select,
)

from lms.analytics.completion import STATUS_LABELS, completion_select
from lms.analytics.filters import ReportFilters
from lms.csv_export import BYTE_ORDER_MARK, FORMULA_STARTS, PLAIN_NUMBER, csv_chunks
from lms.db import db, utcnow
from lms.models import Enrolment
from lms.models.enrolment import DISPLAY_STATUSES, status_expression
from lms.paging import Page, clamp_page

REPORT_COLUMNS = (  # what an inspector asks for, in the order they read it
    "user",
    "email",
    "department",
    "role",
    "sop_code",
    "sop_title",
    "revision",
    "status",
    "assigned_at",
    "due_at",
    "completed_at",
    "late",
    "score",
    "attempts",
    "signature_meaning",
    "signed_at",
)
SORTS = {  # the page's sort keys -> the columns they order by (then the default order breaks ties)
    "person": ("user",),
    "sop": ("sop_code",),
    "status": ("status",),
    "due": ("due_at",),
    "completed": ("completed_at",),
}
STREAM_BATCH = 2000  # rows fetched from the database at a time
PER_PAGE = 100
COPY_CHUNK_BYTES = 64 * 1024


def status_choices() -> list[tuple[str, str]]:
    """The statuses a reader may filter the report by: (value, label)."""
    return [(name, STATUS_LABELS.get(name, name.replace("_", " "))) for name in DISPLAY_STATUSES]


def _ordered(query: Select, sort: str | None = None, descending: bool = False) -> Select:
    columns = query.selected_columns
    first = [getattr(columns, name) for name in SORTS.get(sort or "", ())]
    first = [
        (column.desc() if descending else column.asc()).nulls_last() for column in first
    ]  # alike on both
    return query.order_by(*first, columns.user, columns.sop_code, columns.job_role, columns.enrolment_id)


def _late(now: datetime) -> ColumnElement:
    """Completed after the due date, or not completed and past it: "yes"; else "no"."""
    done, due = Enrolment.completed_at, Enrolment.due_at
    return case(
        (done.is_not(None), case((done > due, literal("yes")), else_=literal("no"))),
        (due < now, literal("yes")),
        else_=literal("no"),
    )


def _matching(
    now: datetime, filters: ReportFilters | None, status: str | None, detail: bool = True
) -> Select:
    """The report's rows for the filters (SOP, job role, department, due dates) and display status;
    without `detail`, only what counting them needs (the same rows, fewer joins)."""
    query = completion_select(filters, now=now, every_enrolment=True, detail=detail)
    if detail:
        query = query.add_columns(_late(now).label("late"))
    return query.where(status_expression(now) == status) if status else query


def report_query(
    now: datetime | None = None,
    filters: ReportFilters | None = None,
    status: str | None = None,
    sort: str | None = None,
    descending: bool = False,
) -> Select:
    return _ordered(_matching(now or utcnow(), filters, status), sort, descending)


_ONE_LINE = str.maketrans("\r\n", "  ")
_TENTH = Decimal("0.1")


def _text(value: str | None) -> str:
    return (value or "").translate(_ONE_LINE)


@lru_cache(maxsize=4096)  # scores repeat: a quiz of ten questions has few
def _score(value: float | None) -> str:
    """One decimal, rounded half up from the value's 15 significant digits: what PostgreSQL's
    `round(value::numeric, 1)` gives, so both writers of the file agree on every score."""
    return "" if value is None else str(Decimal(f"{value:.15g}").quantize(_TENTH, ROUND_HALF_UP))


def _time(value: datetime | None) -> str:
    return value.isoformat(timespec="seconds") if value else ""


def _cells(row: Row) -> list[str]:
    """A row's cells as the page shows them (the CSV writer makes them formula-safe)."""
    return [
        _text(row.user),
        _text(row.email),
        _text(row.department),
        _text(row.job_role),
        _text(row.sop_code),
        _text(row.sop_title),
        _text(row.revision),
        row.status,
        _time(row.assigned_at),
        _time(row.due_at),
        _time(row.completed_at),
        row.late,
        _score(row.score_percent),
        str(row.attempts or 0),
        _text(row.signature_meaning),
        _time(row.signed_at),
    ]


def as_cells(row: Row) -> dict[str, str]:
    return dict(zip(REPORT_COLUMNS, _cells(row), strict=True))


def report_records(
    now: datetime | None,
    filters: ReportFilters | None,
    status: str | None,
    sort: str | None = None,
    descending: bool = False,
) -> Iterator[Row]:
    """The report's rows as the database gives them (typed), a batch at a time; the query runs when the
    first row is asked for."""
    query = report_query(now, filters, status, sort, descending).execution_options(yield_per=STREAM_BATCH)
    yield from db.session.connection().execute(query)


def report_rows(
    now: datetime | None = None, filters: ReportFilters | None = None, status: str | None = None
) -> Iterator[dict[str, str]]:
    """Every row of the report, streamed from the database a batch at a time."""
    for row in report_records(now, filters, status):
        yield as_cells(row)


def report_csv_chunks(
    now: datetime | None = None, filters: ReportFilters | None = None, status: str | None = None
) -> Iterator[str | bytes]:
    """The report as the CSV compliance officers download, in pieces for a streamed response."""
    if db.session.get_bind().dialect.name == "postgresql":
        return _copied_chunks(now or utcnow(), filters, status)
    return _written_chunks(now, filters, status)


def _written_chunks(
    now: datetime | None, filters: ReportFilters | None = None, status: str | None = None
) -> Iterator[str]:
    return csv_chunks(REPORT_COLUMNS, map(_cells, report_records(now, filters, status)))


# --- PostgreSQL writes the file ---------------------------------------------------------------------


def _sql_text(value: ColumnElement) -> ColumnElement:
    """`_text` and `csv_export.defuse_formula` in SQL: on one line, and formula-safe."""
    flat = func.translate(func.coalesce(value, ""), "\r\n", "  ")
    number = flat.regexp_match(PLAIN_NUMBER.pattern + "$")  # tried only on the few that start riskily
    defused = case((number, flat), else_=literal("'", String) + flat)
    return case((func.substr(flat, 1, 1).in_(FORMULA_STARTS), defused), else_=flat)


def _sql_time(value: ColumnElement) -> ColumnElement:
    return func.to_char(func.timezone("UTC", value), 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')


def report_cells(now: datetime, filters: ReportFilters | None = None, status: str | None = None) -> Select:
    """The report's rows as the CSV's cells, in its order, computed by PostgreSQL. Empty cells are NULL:
    COPY writes NULL as nothing and an empty string as `""`."""
    rows = _matching(now, filters, status).subquery()
    cells = [
        _sql_text(rows.c.user),
        _sql_text(rows.c.email),
        _sql_text(rows.c.department),
        _sql_text(rows.c.job_role),
        _sql_text(rows.c.sop_code),
        _sql_text(rows.c.sop_title),
        _sql_text(rows.c.revision),
        rows.c.status,
        _sql_time(rows.c.assigned_at),
        _sql_time(rows.c.due_at),
        _sql_time(rows.c.completed_at),
        rows.c.late,
        cast(func.round(cast(rows.c.score_percent, Numeric()), 1), String),
        cast(func.coalesce(rows.c.attempts, 0), String),
        _sql_text(rows.c.signature_meaning),
        _sql_time(rows.c.signed_at),
    ]
    query = select(
        *(func.nullif(cell, "").label(name) for cell, name in zip(cells, REPORT_COLUMNS, strict=True))
    )
    return query.order_by(rows.c.user, rows.c.sop_code, rows.c.job_role, rows.c.enrolment_id)


def _copied_chunks(now: datetime, filters: ReportFilters | None, status: str | None) -> Iterator[bytes]:
    """The CSV from `COPY (report_cells) TO STDOUT`, with the byte-order mark, the header and CRLF line
    ends that `csv_chunks` writes (no cell holds a line break, so every LF ends a row)."""
    header = BYTE_ORDER_MARK + ",".join(REPORT_COLUMNS) + "\r\n"
    yield header.encode("utf-8")
    compiled = report_cells(now, filters, status).compile(
        dialect=db.session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    statement = f"COPY ({compiled.string}) TO STDOUT WITH (FORMAT csv, ENCODING 'UTF8')"
    driver = db.session.connection().connection.driver_connection
    pending: list[bytes] = []
    size = 0
    with driver.cursor() as cursor, cursor.copy(statement, compiled.params) as copy:
        for row in copy:  # COPY sends each row as a message of its own: sent on in pieces of ~64 KB
            pending.append(bytes(row))
            size += len(row)
            if size >= COPY_CHUNK_BYTES:
                yield b"".join(pending).replace(b"\n", b"\r\n")
                pending, size = [], 0
    yield b"".join(pending).replace(b"\n", b"\r\n")


def report_page(
    page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
    filters: ReportFilters | None = None,
    status: str | None = None,
    sort: str | None = None,
    descending: bool = False,
) -> tuple[Page, int]:
    """One page of the report, and how many job roles the rows it filters cover. The rows are counted per
    role (a hash aggregate: at a million rows a COUNT DISTINCT sorts them all), without the joins only the
    page needs; the page comes in name order from the index on people's names."""
    now = now or utcnow()
    counted = _matching(now, filters, status, detail=False).subquery()
    per_role = db.session.connection().execute(
        select(counted.c.job_role_id, func.count()).group_by(counted.c.job_role_id)
    )
    groups = per_role.all()
    total = sum(count for _role, count in groups)
    roles = sum(1 for role, _count in groups if role is not None)
    page = clamp_page(page, total, per_page)
    query = _ordered(_matching(now, filters, status), sort, descending)
    query = query.limit(per_page).offset((page - 1) * per_page)
    found = db.session.connection().execute(query)
    return Page(
        found.all(), page, per_page, total
    ), roles  # typed rows: the page shows times in the viewer's zone
