"""Compliance reports: completion per person and SOP revision, on screen (a page at a time) and as CSV
(streamed as the rows come from the database)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, stream_with_context

from lms.analytics import completion_report
from lms.analytics.filters import ReportFilters, parse_filters
from lms.analytics.gaps import filter_options
from lms.db import utcnow
from lms.web.access import allow
from lms.web.safety import page_number

READERS = ("compliance", "trainer")


def build() -> Blueprint:
    bp = Blueprint("reports", __name__, url_prefix="/reports")
    bp.add_url_rule("/completion", view_func=completion)
    bp.add_url_rule("/completion.csv", view_func=completion_csv)
    return bp


def _report_filters() -> tuple[ReportFilters, str | None, list[str]]:
    """The filters of the query string, the status among them; what could not be read is explained."""
    filters, errors = parse_filters(request.args)
    status = (request.args.get("status") or "").strip() or None
    if status is not None and status not in dict(completion_report.status_choices()):
        errors.append(f"Ignored the status filter: “{status[:40]}” is not a status.")
        status = None
    return filters, status, errors


@allow(*READERS)
def completion() -> str:
    filters, status, errors = _report_filters()
    page, roles = completion_report.report_page(
        page_number(request.args.get("page")), filters=filters, status=status
    )
    args = {**filters.as_args(), **({"status": status} if status else {})}
    return render_template(
        "lms/reports/completion.html",
        page=page,
        roles=roles,
        filters=filters,
        status=status,
        errors=errors,
        args=args,
        options=filter_options(),
        status_choices=completion_report.status_choices(),
    )


@allow(*READERS)
def completion_csv() -> Response:
    now = utcnow()
    filters, status, _errors = _report_filters()
    return Response(
        stream_with_context(completion_report.report_csv_chunks(now, filters, status)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="completion-{now:%Y%m%dT%H%MZ}.csv"'},
    )
