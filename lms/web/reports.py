"""Compliance reports: who is not current on each SOP, and completion per person and SOP revision, on screen
(a page at a time) and as CSV (streamed as the rows come from the database; each download audited)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from lms.analytics import completion_report, standing
from lms.analytics.filters import ReportFilters, parse_filters
from lms.analytics.gaps import filter_options
from lms.db import utcnow
from lms.formats.table import safe_name
from lms.services import report_files
from lms.web import report_matrix, report_records, report_saved
from lms.web.access import allow
from lms.web.downloads import download, organisation, stamp
from lms.web.identity import current_user
from lms.web.safety import page_number

READERS = ("compliance",)  # and admins; trainers have their own completion page


def build() -> Blueprint:
    bp = Blueprint("reports", __name__, url_prefix="/reports")
    bp.add_url_rule("/completion", view_func=completion)
    bp.add_url_rule("/completion.<any(csv, xlsx, pdf):file_format>", view_func=completion_file)
    bp.add_url_rule("/not-current", view_func=not_current_index)
    bp.add_url_rule("/not-current/<int:sop_id>", view_func=not_current)
    bp.add_url_rule("/not-current/<int:sop_id>.<any(csv, xlsx, pdf):file_format>", view_func=not_current_file)
    report_matrix.register(bp)
    report_records.register(bp)
    report_saved.register(bp)
    return bp


def _report_filters() -> tuple[ReportFilters, str | None, list[str]]:
    """The filters of the query string, the status among them; what could not be read is explained."""
    filters, errors = parse_filters(request.args)
    status = (request.args.get("status") or "").strip() or None
    if status is not None and status not in dict(completion_report.status_choices()):
        errors.append(f"Ignored the status filter: “{status[:40]}” is not a status.")
        status = None
    return filters, status, errors


def _sort() -> tuple[str | None, bool]:
    """The page's sort (a column of `completion_report.SORTS`) and direction; anything else: the default."""
    sort = request.args.get("sort") or None
    return (sort if sort in completion_report.SORTS else None), request.args.get("dir") == "desc"


@allow(*READERS)
def completion() -> str:
    filters, status, errors = _report_filters()
    sort, descending = _sort()
    page, roles = completion_report.report_page(
        page_number(request.args.get("page")),
        filters=filters,
        status=status,
        sort=sort,
        descending=descending,
    )
    args = {**filters.as_args(), **({"status": status} if status else {})}
    ordered = {**args, **({"sort": sort, "dir": "desc" if descending else "asc"} if sort else {})}
    return render_template(
        "lms/reports/completion.html",
        page=page,
        roles=roles,
        filters=filters,
        status=status,
        errors=errors,
        args=args,
        ordered=ordered,
        sort=sort,
        descending=descending,
        options=filter_options(),
        status_choices=completion_report.status_choices(),
        labels=dict(completion_report.status_choices()),
    )


@allow(*READERS)
def completion_file(file_format: str) -> Response:
    now = utcnow()
    filters, status, _errors = _report_filters()
    args = {**filters.as_args(), **({"status": status} if status else {})}
    name = f"completion-{stamp(now)}.{file_format}"
    if file_format == "csv":  # PostgreSQL writes this one itself (COPY), ten times faster than Python
        chunks = completion_report.report_csv_chunks(now, filters, status)
        return download(report_files.audited(chunks, "completion", "csv", args, current_user.id), name)
    table = report_files.completion_table(filters, status, now)
    return download(report_files.written(table, file_format, current_user, organisation(), now, args), name)


@allow(*READERS)
def not_current_index() -> str:
    search = (request.args.get("q") or "").strip()[:100]
    return render_template(
        "lms/reports/not_current_index.html",
        page=standing.sop_standings_page(search, page_number(request.args.get("page"))),
        search=search,
    )


def _standing_filter() -> tuple[str | None, list[str]]:
    raw = (request.args.get("standing") or "").strip()
    if not raw or raw in standing.NOT_CURRENT:
        return raw or None, []
    return None, [f"Ignored the status filter: “{raw[:40]}” is not a status of this list."]


@allow(*READERS)
def not_current(sop_id: int) -> str:
    sop = standing.sop_in_force(sop_id)
    chosen, errors = _standing_filter()
    page = standing.not_current_page(sop.id, page_number(request.args.get("page")), chosen)
    return render_template(
        "lms/reports/not_current.html",
        sop=sop,
        page=page,
        chosen=chosen,
        errors=errors,
        args={"standing": chosen} if chosen else {},
        choices=[(name, standing.LABELS[name]) for name in standing.NOT_CURRENT],
    )


@allow(*READERS)
def not_current_file(sop_id: int, file_format: str) -> Response:
    now = utcnow()
    chosen, _errors = _standing_filter()
    table = report_files.not_current_table(sop_id, chosen, now)
    args = {"sop": table.subject, "standing": chosen}
    name = f"not-current-{safe_name(table.subject)}-{stamp(now)}.{file_format}"
    return download(report_files.written(table, file_format, current_user, organisation(), now, args), name)
