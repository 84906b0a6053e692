"""Analytics for trainers and compliance officers: the overview (completion, scores, pass rate over
revisions), comprehension gaps (heatmap, SOP text) and the item analysis of each quiz; each figure with a
data table and a CSV of the numbers shown, and drill-downs to the people behind a number. Views parse the
request and render; the numbers come from `lms.analytics`."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, abort, render_template, request, url_for

from lms.analytics import (
    completion,
    drill,
    figures,
    gap_exports,
    gaps,
    item_exports,
    item_quizzes,
    items,
    overview,
)
from lms.analytics.filters import ReportFilters, parse_filters
from lms.web import policy
from lms.web.access import allow

READERS = ("trainer", "compliance")


def build() -> Blueprint:
    bp = Blueprint("analytics", __name__, url_prefix="/analytics")
    bp.add_url_rule("/", view_func=overview_page)
    bp.add_url_rule("/overview/<any(completion, scores, trend):name>.csv", view_func=overview_csv)
    bp.add_url_rule("/learners", view_func=drill_down)
    bp.add_url_rule("/gaps", view_func=gap_page)
    bp.add_url_rule("/gaps.csv", view_func=gap_csv)
    bp.add_url_rule("/gaps/sops.csv", view_func=gap_sop_csv)
    bp.add_url_rule("/quizzes", view_func=quiz_list)
    bp.add_url_rule("/quizzes/<int:quiz_id>", view_func=item_page)
    bp.add_url_rule("/quizzes/<int:quiz_id>/items.csv", view_func=item_csv)
    bp.add_url_rule("/quizzes/<int:quiz_id>/options.csv", view_func=option_csv)
    bp.add_url_rule("/quizzes/<int:quiz_id>/abilities.csv", view_func=ability_csv)
    bp.add_url_rule("/plotly.min.js", view_func=plotly_js)
    return bp


SOPS_SHOWN = 25  # the per-SOP table on the gap page; its CSV has them all


def _drill_links(filters: ReportFilters):
    """Addresses of the learners behind a completion segment (status, role), a score band or a point of
    the pass-rate trend (an SOP revision)."""
    args = filters.as_args()

    def by_status(status: str, job_role_id: int) -> str:
        return url_for("lms.analytics.drill_down", **{**args, "role": str(job_role_id), "status": status})

    def by_band(band: int) -> str:
        return url_for("lms.analytics.drill_down", **{**args, "band": str(band)})

    def by_revision(revision_id: int) -> str:
        return url_for("lms.analytics.drill_down", **{**args, "revision": str(revision_id)})

    return by_status, by_band, by_revision


@allow(*READERS)
def overview_page() -> Response:
    filters, errors = parse_filters(request.args)
    report = overview.overview(filters)
    by_status, by_band, by_revision = _drill_links(filters)
    drawn = {
        "completion": figures.completion_bars(report, by_status),
        "scores": figures.score_bars(report, by_band),
        "trend": figures.trend_lines(report, by_revision),
    }
    return policy.figure_page(
        render_template(
            "lms/analytics/overview.html",
            report=report,
            figures={name: figures.figure_data(f) for name, f in drawn.items() if f is not None},
            completion_rows=overview.completion_table(report),
            score_rows=overview.scores_table(report),
            trend_rows=overview.trend_table(report),
            by_status=by_status,
            by_band=by_band,
            by_revision=by_revision,
            statuses=overview.STATUSES,
            status_labels=completion.STATUS_LABELS,
            errors=errors,
            options=gaps.filter_options(),
            filters=filters,
        )
    )


@allow(*READERS)
def overview_csv(name: str) -> Response:
    filters, _errors = parse_filters(request.args)
    return _csv(overview.figure_csv(overview.overview(filters), name), f"{name}.csv")


@allow(*READERS)
def drill_down() -> str:
    filters, errors = parse_filters(request.args)
    page_number = request.args.get("page", 1, type=int)
    status, band = request.args.get("status"), request.args.get("band", type=int)
    step, revision = request.args.get("step", type=int), request.args.get("revision", type=int)
    if status in overview.STATUSES:
        page = drill.learners_by_status(filters, status, page_number)
        what, detail, date = completion.STATUS_LABELS[status].lower() + " training", "Status", "Due (UTC)"
        kind = {"status": status}
    elif band is not None and 0 <= band < len(overview.SCORE_BANDS):
        page = drill.learners_by_band(filters, band, page_number)
        what, detail, date = f"first attempts scoring {overview.band_label(band)}", "Score", "Submitted (UTC)"
        kind = {"band": str(band)}
    elif revision is not None and (label := drill.revision_label(revision)):
        page = drill.learners_at_revision(filters, revision, page_number)
        what, detail, date = f"first attempts at {label}", "Score", "Submitted (UTC)"
        kind = {"revision": str(revision)}
    elif step is not None and filters.job_role_id is not None and (label := drill.step_label(step)):
        page = drill.learners_missing_step(filters, step, filters.job_role_id, page_number)
        what, detail, date = f"learners who missed {label}", "Answers", "Last submitted (UTC)"
        kind = {"step": str(step)}
    else:
        abort(404)
    return render_template(
        "lms/analytics/learners.html",
        page=page,
        what=what,
        errors=errors,
        filters=filters,
        options=gaps.filter_options(),
        args={**filters.as_args(), **kind},
        detail_heading=detail,
        date_heading=date,
    )


@allow(*READERS)
def gap_page() -> Response:
    filters, errors = parse_filters(request.args)
    report = gaps.gap_report(filters)
    args = filters.as_args()

    def missed_by(step_id: int, job_role_id: int) -> str:
        return url_for("lms.analytics.drill_down", **{**args, "step": str(step_id), "role": str(job_role_id)})

    figure = figures.gap_heatmap(report, missed_by)
    return policy.figure_page(
        render_template(
            "lms/analytics/gaps.html",
            report=report,
            missed_by=missed_by,
            rows=gap_exports.table_rows(report),
            sop_rows=gap_exports.sop_table(report.sops[:SOPS_SHOWN]),
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
    )


@allow(*READERS)
def gap_sop_csv() -> Response:
    filters, _errors = parse_filters(request.args)
    return _csv(gap_exports.sop_csv(gaps.sop_misses(filters)), "misses-by-sop.csv")


@allow(*READERS)
def gap_csv() -> Response:
    filters, _errors = parse_filters(request.args)
    return _csv(gap_exports.gap_csv(gaps.gap_report(filters)), "step-gaps-by-role.csv")


def _csv(body: str, filename: str) -> Response:
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@allow(*READERS)
def quiz_list() -> str:
    search = request.args.get("q", "")
    page = item_quizzes.quizzes_with_results(search, request.args.get("page", 1, type=int))
    return render_template("lms/analytics/quizzes.html", page=page, search=search)


def _item_report(quiz_id: int, irt: bool = False) -> tuple[items.ItemReport, list[str]]:
    filters, errors = parse_filters(request.args)
    report = items.item_report(
        quiz_id,
        items.parse_which(request.args.get("attempts")),
        irt=irt or request.args.get("irt") == "yes",
        filters=replace(filters, sop_id=None),  # the quiz belongs to one SOP
    )
    if report is None:
        abort(404)
    return report, errors


def _item_args(report: items.ItemReport) -> dict[str, str]:
    """The query string that reproduces this view (filters, attempts, IRT), for its links and CSVs."""
    args = {**report.filters.as_args(), "attempts": report.which}
    if report.irt_note:
        args["irt"] = "yes"
    return args


@allow(*READERS)
def item_page(quiz_id: int) -> Response:
    report, errors = _item_report(quiz_id)
    figure = figures.item_scatter(report)
    args = _item_args(report)
    return policy.figure_page(
        render_template(
            "lms/analytics/items.html",
            report=report,
            args=args,
            form_keeps={k: v for k, v in args.items() if k in ("attempts", "irt")},
            errors=errors,
            filters=report.filters,
            options=gaps.filter_options(),
            rows=item_exports.item_table(report),
            option_rows=item_exports.option_table(report),
            figure=figures.figure_data(figure) if figure is not None else None,
            which_labels=items.WHICH_LABELS,
            thresholds=items.review_thresholds(),
        )
    )


@allow(*READERS)
def item_csv(quiz_id: int) -> Response:
    report, _errors = _item_report(quiz_id)
    return _csv(item_exports.item_csv(report), f"item-analysis-quiz-{quiz_id}-{report.which}-attempts.csv")


@allow(*READERS)
def option_csv(quiz_id: int) -> Response:
    report, _errors = _item_report(quiz_id)
    return _csv(item_exports.option_csv(report), f"option-counts-quiz-{quiz_id}-{report.which}-attempts.csv")


@allow(*READERS)
def ability_csv(quiz_id: int) -> Response:
    report, _errors = _item_report(quiz_id, irt=True)  # the abilities are the fit's: always fit
    return _csv(item_exports.ability_csv(report), f"abilities-quiz-{quiz_id}-{report.which}-attempts.csv")


@allow(*READERS)
def plotly_js() -> Response:
    body, etag = figures.plotly_js()
    response = Response(body, mimetype="text/javascript")
    response.set_etag(etag)
    response.cache_control.private = True
    response.cache_control.max_age = 86400
    return response.make_conditional(request)
