"""Saved reports on the reports pages: save the report on screen with its filters under a name, open it
again in one click, take it as a file, delete it (after a confirmation). Part of the reports blueprint."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from lms.db import utcnow
from lms.formats.table import safe_name
from lms.services import report_files, saved_reports
from lms.web.access import allow
from lms.web.downloads import download, organisation, stamp
from lms.web.identity import current_user

READERS = ("compliance",)
PAGES = {  # report -> its page's endpoint and the parameters in the page's path
    "matrix": ("lms.reports.matrix", ()),
    "completion": ("lms.reports.completion", ()),
    "not_current": ("lms.reports.not_current", ("sop_id",)),
    "trained": ("lms.reports.revision", ("revision_id",)),
    "audit": ("lms.audit.events", ()),
}


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/saved", view_func=saved, methods=["GET", "POST"])
    bp.add_url_rule("/saved/<int:saved_id>", view_func=open_saved)
    bp.add_url_rule("/saved/<int:saved_id>.<any(csv, xlsx, pdf):file_format>", view_func=saved_file)
    bp.add_url_rule("/saved/<int:saved_id>/delete", view_func=delete_saved, methods=["GET", "POST"])


def page_url(report: str, params: dict[str, str]) -> str:
    endpoint, in_path = PAGES[report]
    path = {key: int(params[key]) for key in in_path if params.get(key, "").isdigit()}
    query = {key: value for key, value in params.items() if key not in in_path}
    return url_for(endpoint, **path, **query)


@allow(*READERS)
def saved() -> Response | str:
    """GET: the saved reports. POST (from a report page's "Save this report"): save it, then list them."""
    if request.method == "POST":
        report = request.form.get("report", "")
        found = saved_reports.save(request.form.get("name", ""), report, request.form, current_user.id)
        flash(f"Saved “{found.name}”: open it from Saved reports in one click.", "success")
        return redirect(url_for("lms.reports.saved"))
    rows = [
        (s, page_url(s.report, s.params), saved_reports.LABELS[s.report]) for s in saved_reports.all_saved()
    ]
    return render_template("lms/reports/saved.html", rows=rows)


@allow(*READERS)
def open_saved(saved_id: int) -> Response:
    found = saved_reports.get(saved_id)
    return redirect(page_url(found.report, found.params))


@allow(*READERS)
def saved_file(saved_id: int, file_format: str) -> Response:
    now = utcnow()
    found = saved_reports.get(saved_id)
    table = saved_reports.table_of(found, now)
    args = {"saved": found.name, **found.params}
    chunks = report_files.written(table, file_format, current_user, organisation(), now, args)
    return download(chunks, f"{safe_name(found.name)}-{stamp(now)}.{file_format}")


@allow(*READERS)
def delete_saved(saved_id: int) -> Response | str:
    """GET: are you sure? POST: delete it (the report's data is untouched)."""
    found = saved_reports.get(saved_id)
    if request.method == "POST":
        name = saved_reports.delete(found.id, current_user.id)
        flash(f"Deleted the saved report “{name}”.", "success")
        return redirect(url_for("lms.reports.saved"))
    return render_template("lms/reports/saved_delete.html", saved=found)
