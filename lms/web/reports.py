"""Compliance reports: completion per person and SOP revision, on screen (a page at a time) and as CSV
(streamed as the rows come from the database)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, stream_with_context

from lms.analytics import completion_report
from lms.db import utcnow
from lms.web.access import allow
from lms.web.safety import page_number

READERS = ("compliance", "trainer")


def build() -> Blueprint:
    bp = Blueprint("reports", __name__, url_prefix="/reports")
    bp.add_url_rule("/completion", view_func=completion)
    bp.add_url_rule("/completion.csv", view_func=completion_csv)
    return bp


@allow(*READERS)
def completion() -> str:
    page, roles = completion_report.report_page(page_number(request.args.get("page")))
    return render_template("lms/reports/completion.html", page=page, roles=roles)


@allow(*READERS)
def completion_csv() -> Response:
    now = utcnow()
    return Response(
        stream_with_context(completion_report.report_csv_chunks(now)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="completion-{now:%Y%m%dT%H%MZ}.csv"'},
    )
