"""Comprehension gaps for trainers and compliance officers: heatmap, SOP text, data table and CSV."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request

from lms.analytics import figures, gaps
from lms.web.access import allow

READERS = ("trainer", "compliance")


def build() -> Blueprint:
    bp = Blueprint("analytics", __name__, url_prefix="/analytics")
    bp.add_url_rule("/gaps", view_func=gap_page)
    bp.add_url_rule("/gaps.csv", view_func=gap_csv)
    bp.add_url_rule("/plotly.min.js", view_func=plotly_js)
    return bp


@allow(*READERS)
def gap_page() -> str:
    filters, errors = gaps.parse_filters(request.args)
    report = gaps.gap_report(filters)
    figure = figures.gap_heatmap(report)
    return render_template(
        "lms/analytics/gaps.html",
        report=report,
        rows=gaps.table_rows(report),
        figure=figures.figure_data(figure) if figure is not None else None,
        errors=errors,
        options=gaps.filter_options(),
        filters=filters,
        thresholds={
            "misunderstood": round(100 * gaps.MISUNDERSTOOD_RATE),
            "questions": gaps.REWRITE_MIN_QUESTIONS,
            "roles": gaps.REWRITE_MIN_ROLES,
            "responses": gaps.REWRITE_MIN_RESPONSES,
            "rate": round(100 * gaps.REWRITE_MIN_RATE),
            "max_steps": gaps.MAX_HEATMAP_STEPS,
        },
    )


@allow(*READERS)
def gap_csv() -> Response:
    filters, _errors = gaps.parse_filters(request.args)
    return Response(
        gaps.gap_csv(gaps.gap_report(filters)),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="step-gaps-by-role.csv"'},
    )


@allow(*READERS)
def plotly_js() -> Response:
    body, etag = figures.plotly_js()
    response = Response(body, mimetype="text/javascript")
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.max_age = 86400
    return response.make_conditional(request)
