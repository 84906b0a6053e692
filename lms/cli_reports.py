"""`sop-lms report ...`: every compliance report as a file, for scheduled jobs (cron), with the pages'
filters as options. The same tables and writers as the download links; each export audited (by "the
command line")."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from lms.formats.table import FORMATS, Table

FORMAT_OPTION = click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    help="The file's format (default: from the output file's extension, else csv).",
)
OUTPUT_OPTION = click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="The file to write."
)


report_commands = AppGroup(
    "report", help="Compliance reports as files: not-current, matrix, completion, trained, audit, evidence."
)


def _format_of(output: str, file_format: str | None) -> str:
    if file_format:
        return file_format
    suffix = Path(output).suffix.lstrip(".").lower()
    return suffix if suffix in FORMATS else "csv"


def _write(chunks: Iterable[str | bytes], output: str) -> int:
    """Write to a temporary file beside `output` and move it into place when whole: a scheduled job
    that fails half-way leaves the last good file, never a truncated one."""
    target = Path(output)
    partial = target.with_name(f".{target.name}.partial")
    written = 0
    try:
        with open(partial, "wb") as handle:
            for chunk in chunks:
                data = chunk.encode("utf-8") if isinstance(chunk, str) else chunk
                handle.write(data)
                written += len(data)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return written


def _run(build: Callable[[], Table], output: str, file_format: str | None) -> None:
    from lms.db import utcnow
    from lms.services import report_files
    from lms.services.errors import ServiceError

    chosen = _format_of(output, file_format)
    try:
        table = build()
        organisation = current_app.config["LMS_ORGANISATION_NAME"]
        size = _write(report_files.written(table, chosen, None, organisation, utcnow()), output)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    except ValueError as error:  # e.g. more rows than an XLSX sheet holds
        raise click.ClickException(str(error)) from error
    click.echo(f"Wrote {table.title} to {output} ({chosen.upper()}, {size:,} bytes).")


def _sop_id(code: str) -> int:
    from lms.db import db
    from lms.models import Sop

    found = db.session.scalar(select(Sop.id).where(Sop.code == code))
    if found is None:
        raise click.ClickException(f"No SOP with the code {code!r}.")
    return found


def _role_id(name: str | None) -> int | None:
    from lms.db import db
    from lms.models import JobRole

    if name is None:
        return None
    found = db.session.scalar(select(JobRole.id).where(JobRole.name == name))
    if found is None:
        raise click.ClickException(f"No job role named {name!r}.")
    return found


def _revision_id(code: str, label: str) -> int:
    from lms.db import db
    from lms.models import SopRevision

    found = db.session.scalar(
        select(SopRevision.id).where(SopRevision.sop_id == _sop_id(code), SopRevision.label == label)
    )
    if found is None:
        raise click.ClickException(f"{code} has no revision {label!r}.")
    return found


@report_commands.command("not-current")
@click.option("--sop", "code", required=True, help="The SOP's code.")
@click.option(
    "--status",
    type=click.Choice(["overdue", "outdated_revision", "in_progress", "not_started"]),
    help="Only this reason.",
)
@FORMAT_OPTION
@OUTPUT_OPTION
def not_current_command(code: str, status: str | None, file_format: str | None, output: str) -> None:
    """Everyone who needs the SOP's revision in force and has not completed it."""
    from lms.db import utcnow
    from lms.services import report_files

    _run(lambda: report_files.not_current_table(_sop_id(code), status, utcnow()), output, file_format)


@report_commands.command("matrix")
@click.option("--role", help="Only the members of this job role (its name).")
@click.option("--department")
@click.option("--site")
@click.option("--search", default="", help="Only people whose name or e-mail contains this.")
@FORMAT_OPTION
@OUTPUT_OPTION
def matrix_command(role, department, site, search, file_format, output) -> None:
    """The training matrix: each person and SOP they need, with their standing."""
    from lms.analytics.matrix import MatrixFilters
    from lms.db import utcnow
    from lms.services import report_files

    def build() -> Table:
        filters = MatrixFilters(_role_id(role), department, site, search)
        return report_files.matrix_table(filters, utcnow())

    _run(build, output, file_format)


@report_commands.command("completion")
@click.option("--sop", "code", help="Only this SOP (its code).")
@click.option("--role", help="Only this job role (its name).")
@click.option("--department")
@click.option(
    "--status", type=click.Choice(["completed", "in_progress", "not_started", "overdue", "superseded"])
)
@click.option("--due-from", type=click.DateTime(["%Y-%m-%d"]), help="Due on or after (YYYY-MM-DD).")
@click.option("--due-to", type=click.DateTime(["%Y-%m-%d"]), help="Due on or before (YYYY-MM-DD).")
@click.option("--completed-from", type=click.DateTime(["%Y-%m-%d"]), help="Completed on or after.")
@click.option("--completed-to", type=click.DateTime(["%Y-%m-%d"]), help="Completed on or before.")
@FORMAT_OPTION
@OUTPUT_OPTION
def completion_command(
    code, role, department, site, status, due_from, due_to, completed_from, completed_to, file_format, output
) -> None:
    """Every enrolment, once per job role that requires it, with its status and score."""
    from lms.analytics.filters import ReportFilters
    from lms.db import utcnow
    from lms.services import report_files

    def day(value) -> date | None:
        return value.date() if value else None

    def build() -> Table:
        filters = ReportFilters(
            _sop_id(code) if code else None,
            _role_id(role),
            department,
            day(due_from),
            day(due_to),
            site,
            day(completed_from),
            day(completed_to),
        )
        return report_files.completion_table(filters, status, utcnow())

    _run(build, output, file_format)


@report_commands.command("trained")
@click.option("--sop", "code", required=True, help="The SOP's code.")
@click.option("--revision", "label", required=True, help="The revision's label, e.g. 1.1.0.")
@FORMAT_OPTION
@OUTPUT_OPTION
def trained_command(code: str, label: str, file_format: str | None, output: str) -> None:
    """The SOP training record: everyone who completed training on one revision."""
    from lms.services import report_files

    _run(lambda: report_files.revision_table(_revision_id(code, label)), output, file_format)


@report_commands.command("audit")
@click.option("--action", default="", help="Only this action, e.g. signature.create.")
@click.option("--actor", default="", help="Only events by people whose name or e-mail contains this.")
@click.option("--from", "date_from", default="", help="From this UTC day (YYYY-MM-DD).")
@click.option("--to", "date_to", default="", help="To this UTC day, inclusive (YYYY-MM-DD).")
@FORMAT_OPTION
@OUTPUT_OPTION
def audit_command(action, actor, date_from, date_to, file_format, output) -> None:
    """The audit trail's events, oldest first, in words and with their hashes."""
    from lms.services import audit_search, report_files

    def build() -> Table:
        args = {"action": action, "actor": actor, "date_from": date_from, "date_to": date_to}
        return report_files.audit_table(audit_search.AuditFilter.from_args(args))

    _run(build, output, file_format)


@report_commands.command("evidence")
@click.option("--person", "email", help="The person's e-mail.")
@click.option("--job-role", "role", help="The job role's name.")
@click.option("--sop", "code", help="With --revision: the SOP's code.")
@click.option("--revision", "label", help="With --sop: the revision's label.")
@OUTPUT_OPTION
def evidence_command(email, role, code, label, output) -> None:
    """An evidence pack (ZIP) for one person, job role or SOP revision."""
    from lms.db import db, utcnow
    from lms.models import User
    from lms.services import evidence
    from lms.services.errors import ServiceError

    chosen = [name for name, value in (("--person", email), ("--job-role", role), ("--sop", code)) if value]
    if len(chosen) != 1 or (code is None) != (label is None):
        raise click.ClickException("Give exactly one of --person, --job-role, or --sop with --revision.")
    if email:
        user_id = db.session.scalar(select(User.id).where(User.email == email.strip().lower()))
        if user_id is None:
            raise click.ClickException(f"No person with the e-mail {email!r}.")
        kind, key = "person", user_id
    elif role:
        kind, key = "job_role", _role_id(role)
    else:
        kind, key = "revision", _revision_id(code, label)
    try:
        scope = evidence.scope_of(kind, key)
        organisation = current_app.config["LMS_ORGANISATION_NAME"]
        size = _write(evidence.evidence_pack(scope, organisation, None, utcnow()), output)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Wrote the evidence pack of {scope.title} to {output} ({size:,} bytes).")


@report_commands.command("saved")
@click.argument("name")
@FORMAT_OPTION
@OUTPUT_OPTION
def saved_command(name: str, file_format: str | None, output: str) -> None:
    """A saved report (saved from its page under NAME), with its filters."""
    from lms.db import utcnow
    from lms.services import saved_reports
    from lms.services.errors import ServiceError

    def build() -> Table:
        try:
            return saved_reports.table_of(saved_reports.by_name(name), utcnow())
        except ServiceError as error:
            raise click.ClickException(error.message) from error

    _run(build, output, file_format)
