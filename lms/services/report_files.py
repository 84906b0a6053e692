"""Every compliance report as a file (CSV, XLSX or PDF), for the pages' download links and for the command
line alike: the report's rows as a typed `Table`, written in the format asked for, the export audited.

The rows stream from the database (server-side cursors on PostgreSQL); the writers keep what their format
needs and no more (`lms.formats`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import chain

from lms.analytics import completion_report, records, standing
from lms.analytics import matrix as training_matrix
from lms.analytics.completion import STATUS_LABELS
from lms.analytics.filters import ReportFilters
from lms.db import db
from lms.formats.table import FORMATS, Column, Table, csv_file
from lms.models import JobRole, Sop, User
from lms.services import audit_search, exports
from lms.services.errors import InvalidInput, Unavailable

PERSON = (Column("person", "Person", width=24), Column("email", "Email", width=28))


def not_current_table(sop_id: int, chosen: str | None, now: datetime) -> Table:
    sop = standing.sop_in_force(sop_id)
    columns = (
        Column("sop", "SOP", width=18),
        Column("revision", "Revision", width=12),
        *PERSON,
        Column("job_roles", "Job roles", width=28),
        Column("status", "Status", width=14, labels=standing.LABELS),
        Column("assigned_at", "Assigned", "datetime", 24),
        Column("due_at", "Due", "datetime", 24),
        Column("last_completed_at", "Last completed", "datetime", 24),
    )
    rows = (
        (
            sop.code,
            sop.revision,
            r.name,
            r.email,
            r.roles,
            r.standing,
            r.assigned_at,
            r.due_at,
            r.completed_at,
        )
        for r in standing.not_current_rows(sop.id, chosen, now)
    )
    filters = {"SOP": f"{sop.code} {sop.title}, revision {sop.revision}"}
    if chosen:
        filters["Status"] = standing.LABELS[chosen]
    return Table("not_current", f"Not current on {sop.code}", columns, rows, filters, sop.code)


def matrix_table(filters: training_matrix.MatrixFilters, now: datetime) -> Table:
    columns = (
        *PERSON,
        Column("job_roles", "Job roles", width=28),
        Column("sop", "SOP", width=18),
        Column("title", "Title", width=36),
        Column("revision", "Revision", width=12),
        Column("status", "Status", width=14, labels=standing.LABELS),
    )
    rows = (
        (r.name, r.email, r.roles, r.code, r.title, r.revision, r.standing)
        for r in training_matrix.matrix_rows(filters, now)
    )
    shown = {
        "Job role": _role_name(filters.job_role_id),
        "Department": filters.department,
        "Site": filters.site,
        "Name or e-mail": filters.search,
    }
    return Table("matrix", "Training matrix", columns, rows, {k: v for k, v in shown.items() if v})


def completion_table(
    filters: ReportFilters,
    status: str | None,
    now: datetime,
    sort: str | None = None,
    descending: bool = False,
) -> Table:
    columns = (
        Column("user", "Person", width=22),
        Column("email", "Email", width=26),
        Column("department", "Department", width=14),
        Column("role", "Job role", width=18),
        Column("sop_code", "SOP", width=18),
        Column("sop_title", "Title", width=28),
        Column("revision", "Revision", width=10),
        Column("status", "Status", width=13, labels=STATUS_LABELS),
        Column("assigned_at", "Assigned", "datetime", 22),
        Column("due_at", "Due", "datetime", 22),
        Column("completed_at", "Completed", "datetime", 22),
        Column("late", "Late", width=6),
        Column("score", "Score (%)", "percent", 9),
        Column("attempts", "Attempts", "number", 9),
        Column("signature_meaning", "Signature meaning", width=28),
        Column("signed_at", "Signed", "datetime", 22),
    )
    rows = (
        (
            r.user,
            r.email,
            r.department,
            r.job_role,
            r.sop_code,
            r.sop_title,
            r.revision,
            r.status,
            r.assigned_at,
            r.due_at,
            r.completed_at,
            r.late,
            r.score_percent,
            r.attempts or 0,
            r.signature_meaning,
            r.signed_at,
        )
        for r in completion_report.report_records(now, filters, status, sort, descending)
    )
    sop = db.session.get(Sop, filters.sop_id) if filters.sop_id else None
    shown = {
        "SOP": sop.code if sop else None,
        "Job role": _role_name(filters.job_role_id),
        "Department": filters.department,
        "Site": filters.site,
        "Due from": filters.date_from.isoformat() if filters.date_from else None,
        "Due to": filters.date_to.isoformat() if filters.date_to else None,
        "Completed from": filters.completed_from.isoformat() if filters.completed_from else None,
        "Completed to": filters.completed_to.isoformat() if filters.completed_to else None,
        "Status": STATUS_LABELS.get(status or "", status),
    }
    return Table("completion", "Completion report", columns, rows, {k: v for k, v in shown.items() if v})


def _role_name(job_role_id: int | None) -> str | None:
    if job_role_id is None:
        return None
    role = db.session.get(JobRole, job_role_id)
    return role.name if role else f"#{job_role_id} (no such job role)"


def written(
    table: Table,
    file_format: str,
    actor: User | None,
    organisation: str,
    now: datetime,
    args: dict[str, str | None] | None = None,
) -> Iterator[str | bytes]:
    """The table in `file_format`, its export recorded on the audit trail (as `args`, the filters in their
    machine form, or the table's own) once the format is known to be writable here."""
    if file_format == "csv":
        chunks = csv_file(table)
    elif file_format == "xlsx":  # imported when asked for: XlsxWriter is large, WeasyPrint loads Pango
        from lms.formats.xlsx import xlsx_file

        chunks = xlsx_file(table)
    elif file_format == "pdf":
        by = f"{actor.name} <{actor.email}>" if actor else "the sop-lms command line"
        chunks = _pdf_writer()(table, organisation, by, now)
    else:
        raise InvalidInput(
            f"“{file_format[:10]}” is not a report format: choose one of {', '.join(FORMATS)}."
        )
    filters = args if args is not None else table.filters
    return audited(chunks, table.report, file_format, filters, actor.id if actor else None)


def audited(
    chunks: Iterator[str | bytes], report: str, file_format: str, filters: dict, actor_id: int | None
) -> Iterator[str | bytes]:
    """`chunks`, its export recorded once the first piece exists: an XLSX or PDF is whole by then (a
    failure to write it is refused before anything is recorded or sent), a CSV has its header."""
    try:
        first = next(chunks, b"")
    except ValueError as error:  # the writer refused the rows (more than an XLSX sheet holds, say)
        raise InvalidInput(f"{error}. Nothing was exported.") from error
    exports.record_export(report, file_format, filters, actor_id)
    return chain([first], chunks)


def _pdf_writer():
    try:
        from lms.formats.pdf import pdf_file
    except OSError as missing:  # WeasyPrint could not load Pango
        raise Unavailable(
            "PDF reports need Pango on the server (Debian: libpango-1.0-0 libpangoft2-1.0-0 "
            "libharfbuzz-subset0; `make pango`). The CSV and XLSX downloads work without it."
        ) from missing
    return pdf_file


def revision_table(revision_id: int) -> Table:
    """The SOP training record: everyone trained on one revision."""
    revision = records.revision_info(revision_id)
    columns = (
        *PERSON,
        Column("completed_at", "Completed", "datetime", 24),
        Column("score", "Score (%)", "percent", 9),
        Column("attempts", "Attempts", "number", 9),
        Column("signature_meaning", "Signature meaning", width=36),
        Column("signed_at", "Signed", "datetime", 24),
    )
    rows = (
        (r.name, r.email, r.completed_at, r.score_percent, r.attempts, r.meaning, r.signed_at)
        for r in records.trained_rows(revision.id)
    )
    filters = {
        "SOP": f"{revision.code} {revision.title}",
        "Revision": f"{revision.label} ({revision.status})",
    }
    title = f"Trained on {revision.code} revision {revision.label}"
    return Table("sop_training_record", title, columns, rows, filters, f"{revision.code}-{revision.label}")


def audit_table(wanted: audit_search.AuditFilter) -> Table:
    """The audit trail's events the filter finds, oldest first, in words and with their hashes."""
    columns = (
        Column("event_id", "Event", "number", 8),
        Column("occurred_at", "When", "datetime", 24),
        Column("actor", "Who", width=22),
        Column("actor_email", "Email", width=26),
        Column("action", "Action", width=20),
        Column("summary", "What happened", width=60),
        Column("reason", "Reason", width=20),
        Column("hash", "Hash (SHA-256)", width=66),
    )
    rows = (
        (r.id, r.occurred_at, r.actor_name, r.actor_email, r.action, r.summary, r.reason, r.hash)
        for r in audit_search.export_rows(wanted)
    )
    shown = {name.replace("_", " ").capitalize(): value for name, value in wanted.as_args().items()}
    return Table("audit", "Audit trail", columns, rows, shown)
