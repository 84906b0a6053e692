"""Compliance reports: completion per person and SOP revision, on screen and as CSV."""

from __future__ import annotations

from flask import Blueprint, Response, render_template

from lms.analytics import completion as completion_status
from lms.db import utcnow
from lms.web.access import allow

READERS = ("compliance", "trainer")


def build() -> Blueprint:
    bp = Blueprint("reports", __name__, url_prefix="/reports")
    bp.add_url_rule("/completion", view_func=completion)
    bp.add_url_rule("/completion.csv", view_func=completion_csv)
    return bp


@allow(*READERS)
def completion() -> str:
    return render_template("lms/reports/completion.html", rows=completion_status.report_rows())


@allow(*READERS)
def completion_csv() -> Response:
    stamp = utcnow().strftime("%Y%m%dT%H%MZ")
    return Response(
        completion_status.report_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="completion-{stamp}.csv"'},
    )
