"""The training matrix: people by SOPs, each cell a standing, opening the person's record on that SOP
(`report_records`). Part of the reports blueprint (`reports.build`)."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from lms.analytics import matrix as training_matrix
from lms.analytics import standing
from lms.db import utcnow
from lms.services import report_files
from lms.web.access import allow
from lms.web.downloads import download, organisation, stamp
from lms.web.identity import current_user
from lms.web.safety import page_number

READERS = ("compliance",)
SHORT = {  # what a cell shows; the full label is its title and, for screen readers, its text
    "current": "Current",
    "overdue": "Overdue",
    "outdated_revision": "Outdated",
    "in_progress": "Started",
    "not_started": "Not started",
}


def register(bp: Blueprint) -> None:
    bp.add_url_rule("/matrix", view_func=matrix)
    bp.add_url_rule("/matrix.<any(csv, xlsx, pdf):file_format>", view_func=matrix_file)


@allow(*READERS)
def matrix() -> str:
    filters, errors = training_matrix.parse_matrix_filters(request.args)
    found = training_matrix.matrix(
        filters, page_number(request.args.get("page")), page_number(request.args.get("sop_page"))
    )
    return render_template(
        "lms/reports/matrix.html",
        m=found,
        filters=filters,
        errors=errors,
        args=filters.as_args(),
        options=training_matrix.matrix_options(),
        short=SHORT,
        labels=standing.LABELS,
    )


@allow(*READERS)
def matrix_file(file_format: str) -> Response:
    now = utcnow()
    filters, _errors = training_matrix.parse_matrix_filters(request.args)
    table = report_files.matrix_table(filters, now)
    written = report_files.written(table, file_format, current_user, organisation(), now, filters.as_args())
    return download(written, f"matrix-{stamp(now)}.{file_format}")
