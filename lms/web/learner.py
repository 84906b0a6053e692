"""What a learner sees: assignments by due date with reading progress, lessons, timed or untimed quiz
attempts, results, and their own training record as PDF."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from lms.forms.auth import ActionForm
from lms.services import attempts, lessons, progress, signature_display, signatures, transcript
from lms.services.dashboard import dashboard as dashboard_of
from lms.services.errors import Conflict, InvalidInput
from lms.web.access import signed_in
from lms.web.answers import parse_answers
from lms.web.identity import current_user
from quizzes.answers import ResponseError


def build() -> Blueprint:
    bp = Blueprint("learner", __name__, url_prefix="/my")
    bp.add_url_rule("/training", view_func=dashboard)
    bp.add_url_rule("/training/<int:enrolment_id>", view_func=enrolment)
    bp.add_url_rule("/training/<int:enrolment_id>/lessons/<int:position>", view_func=lesson)
    bp.add_url_rule(
        "/training/<int:enrolment_id>/lessons/<int:position>/read", view_func=mark_read, methods=["POST"]
    )
    bp.add_url_rule("/training/<int:enrolment_id>/attempts", view_func=start_attempt, methods=["POST"])
    bp.add_url_rule("/attempts/<int:attempt_id>", view_func=take_attempt, methods=["GET", "POST"])
    bp.add_url_rule("/attempts/<int:attempt_id>/result", view_func=attempt_result)
    bp.add_url_rule("/transcript.pdf", view_func=transcript_pdf)
    return bp


@signed_in
def dashboard() -> str:
    return render_template("lms/learner/dashboard.html", overview=dashboard_of(current_user.id))


@signed_in
def enrolment(enrolment_id: int) -> str:
    read = progress.progress_of(current_user.id, enrolment_id)
    return render_template(
        "lms/learner/enrolment.html",
        enrolment=read.enrolment,
        progress=read,
        timers=attempts.timers_of(read.enrolment),
        form=ActionForm(),
        signature=_shown(signatures.revision_signature(current_user.id, read.enrolment.revision_id)),
    )


def _shown(signature):
    return signature_display.manifestation(signature) if signature is not None else None


@signed_in
def lesson(enrolment_id: int, position: int) -> str:
    read = progress.progress_of(current_user.id, enrolment_id)
    shown = progress.lesson_at(read, position)
    return render_template(
        "lms/learner/lesson.html",
        enrolment=read.enrolment,
        progress=read,
        lesson=shown,
        body=lessons.lesson_body(shown),
        position=position,
        count=read.total,
        form=ActionForm(),
    )


@signed_in
def mark_read(enrolment_id: int, position: int) -> Response:
    """Reading is recorded by this POST ("Mark as read"), never by viewing: a prefetch, a link preview or
    a crawler must not count as reading an SOP."""
    following = progress.mark_read(current_user.id, enrolment_id, position)
    if following is None:
        return redirect(url_for("lms.learner.enrolment", enrolment_id=enrolment_id, _anchor="quiz"))
    return redirect(url_for("lms.learner.lesson", enrolment_id=enrolment_id, position=following))


@signed_in
def start_attempt(enrolment_id: int) -> Response:
    attempt = attempts.start_attempt(current_user.id, enrolment_id)
    return redirect(url_for("lms.learner.take_attempt", attempt_id=attempt.id))


@signed_in
def take_attempt(attempt_id: int) -> str | Response | tuple[str, int]:
    attempt = attempts.attempt_for(current_user.id, attempt_id)
    if attempt.submitted_at is not None and request.method == "GET":
        return redirect(url_for("lms.learner.attempt_result", attempt_id=attempt.id))
    timer = attempts.timer_of(attempt)
    if request.method == "GET" and timer is not None and timer.is_over():
        flash(
            f"Time ran out for attempt {attempt.number} ({timer.limit_minutes} minutes were allowed). "
            "Start a new attempt when you are ready.",
            "error",
        )
        return redirect(url_for("lms.learner.enrolment", enrolment_id=attempt.enrolment_id, _anchor="quiz"))
    if request.method == "POST":
        try:
            given = parse_answers(request.form, attempts.present(attempt))
            attempts.submit_attempt(current_user.id, attempt_id, given)
        except attempts.TimeUp as error:
            flash(error.message, "error")
            return redirect(
                url_for("lms.learner.enrolment", enrolment_id=attempt.enrolment_id, _anchor="quiz")
            )
        except Conflict as error:
            flash(error.message, "error")
            return redirect(url_for("lms.learner.attempt_result", attempt_id=attempt_id))
        except (InvalidInput, ResponseError) as error:
            flash(str(error), "error")
            return _attempt_page(attempt, timer), 400
        return redirect(url_for("lms.learner.attempt_result", attempt_id=attempt_id))
    return _attempt_page(attempt, timer)


def _attempt_page(attempt, timer: attempts.Timer | None) -> str:
    return render_template(
        "lms/learner/attempt.html",
        attempt=attempt,
        presented=attempts.present(attempt),
        timer=timer,
        remaining=timer.remaining_seconds() if timer else None,
        grace_seconds=attempts.GRACE_SECONDS,
        form=ActionForm(),
    )


@signed_in
def attempt_result(attempt_id: int) -> str | Response:
    attempt = attempts.attempt_for(current_user.id, attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("lms.learner.take_attempt", attempt_id=attempt.id))
    return render_template(
        "lms/learner/result.html",
        attempt=attempt,
        answers=attempts.review(attempt),
        timer=attempts.timer_of(attempt),
        signature=_shown(signatures.attempt_signature(current_user.id, attempt.id)),
    )


@signed_in
def transcript_pdf() -> Response:
    """The signed-in person's own training record; there is no id in the URL, so no one else's to ask for."""
    record = transcript.transcript_for(
        current_user.id, organisation=current_app.config["LMS_ORGANISATION_NAME"]
    )
    response = Response(transcript.render_pdf(record), mimetype="application/pdf")
    filename = f"training-record-{record.generated_at:%Y-%m-%d}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
