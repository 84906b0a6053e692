"""The audit trail for compliance officers: search it on screen, export exactly what was found as CSV."""

from __future__ import annotations

from flask import Blueprint, render_template, request, send_file
from werkzeug.wrappers import Response

from lms.db import utcnow
from lms.services import audit_search, audit_verification, exports, report_files
from lms.web.access import allow
from lms.web.downloads import download, organisation, stamp
from lms.web.identity import current_user
from lms.web.safety import page_number

READERS = ("compliance",)  # and admins, who pass every check; trainers and learners get 403


def build() -> Blueprint:
    bp = Blueprint("audit", __name__)
    bp.add_url_rule("/audit", view_func=events)
    bp.add_url_rule("/audit.csv", view_func=events_csv)
    bp.add_url_rule("/audit.<any(xlsx, pdf):file_format>", view_func=events_file)
    bp.add_url_rule("/audit/events/<int:event_id>", view_func=event)
    bp.add_url_rule("/audit/verify", view_func=verify, methods=["GET", "POST"])
    return bp


@allow(*READERS)
def events() -> str:
    wanted = audit_search.AuditFilter.from_args(request.args)
    page = audit_search.search(wanted, page_number(request.args.get("page")))
    return render_template(
        "lms/audit/events.html",
        page=page,
        wanted=wanted,
        args=wanted.as_args(),
        **audit_search.filter_choices(),
    )


@allow(*READERS)
def events_csv() -> Response:
    wanted = audit_search.AuditFilter.from_args(request.args)
    exports.record_export("audit", "csv", wanted.as_args(), current_user.id)

    response = send_file(
        audit_search.export_csv(wanted),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"audit-trail-{stamp(utcnow())}.csv",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@allow(*READERS)
def events_file(file_format: str) -> Response:
    """The events found, in words with their hashes, as XLSX or PDF (the CSV holds every column)."""
    now = utcnow()
    wanted = audit_search.AuditFilter.from_args(request.args)
    table = report_files.audit_table(wanted)
    chunks = report_files.written(table, file_format, current_user, organisation(), now, wanted.as_args())
    return download(chunks, f"audit-trail-{stamp(now)}.{file_format}")


@allow(*READERS)
def event(event_id: int) -> str:
    return render_template("lms/audit/event.html", e=audit_search.event(event_id))


@allow(*READERS)
def verify() -> str:
    """GET: what verifying does, and the button; POST (CSRF-checked like every POST): verify now, record
    it on the trail, show the result."""
    report = audit_verification.verify_and_record(current_user.id) if request.method == "POST" else None
    return render_template("lms/audit/verify.html", report=report)
