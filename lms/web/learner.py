"""What a learner sees: assignments by due date, lessons, quiz attempts and results."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from lms.forms.auth import ActionForm
from lms.services import attempts, enrolments
from lms.services.errors import Conflict, InvalidInput
from lms.web.access import signed_in
from lms.web.answers import AnswerFormError, parse_answers


def build() -> Blueprint:
    bp = Blueprint("learner", __name__, url_prefix="/my")
    bp.add_url_rule("/training", view_func=dashboard)
    bp.add_url_rule("/training/<int:enrolment_id>", view_func=enrolment)
    bp.add_url_rule("/training/<int:enrolment_id>/lessons/<int:position>", view_func=lesson)
    bp.add_url_rule("/training/<int:enrolment_id>/attempts", view_func=start_attempt, methods=["POST"])
    bp.add_url_rule("/attempts/<int:attempt_id>", view_func=take_attempt, methods=["GET", "POST"])
    bp.add_url_rule("/attempts/<int:attempt_id>/result", view_func=attempt_result)
    return bp


@signed_in
def dashboard() -> str:
    return render_template(
        "lms/learner/dashboard.html", enrolments=enrolments.enrolments_for(current_user.id)
    )


@signed_in
def enrolment(enrolment_id: int) -> str:
    item = enrolments.enrolment_for(current_user.id, enrolment_id)
    return render_template("lms/learner/enrolment.html", enrolment=item, form=ActionForm())


@signed_in
def lesson(enrolment_id: int, position: int) -> str:
    item = enrolments.enrolment_for(current_user.id, enrolment_id)
    lessons = item.module.lessons
    if not 0 <= position < len(lessons):
        abort(404)
    return render_template(
        "lms/learner/lesson.html",
        enrolment=item,
        lesson=lessons[position],
        position=position,
        count=len(lessons),
    )


@signed_in
def start_attempt(enrolment_id: int) -> Response:
    attempt = attempts.start_attempt(current_user.id, enrolment_id)
    return redirect(url_for("lms.learner.take_attempt", attempt_id=attempt.id))


@signed_in
def take_attempt(attempt_id: int) -> str | Response | tuple[str, int]:
    attempt = attempts.attempt_for(current_user.id, attempt_id)
    if attempt.submitted_at is not None and request.method == "GET":
        return redirect(url_for("lms.learner.attempt_result", attempt_id=attempt.id))
    questions = attempts.questions_of(attempt)

    if request.method == "POST":
        try:
            given = parse_answers(request.form, {q.id: q.type for q in questions})
            attempts.submit_attempt(current_user.id, attempt.id, given)
        except Conflict as error:
            flash(error.message, "error")
            return redirect(url_for("lms.learner.attempt_result", attempt_id=attempt.id))
        except (InvalidInput, AnswerFormError) as error:
            flash(str(error), "error")
            return _attempt_page(attempt), 400
        return redirect(url_for("lms.learner.attempt_result", attempt_id=attempt.id))
    return _attempt_page(attempt)


def _attempt_page(attempt) -> str:
    return render_template(
        "lms/learner/attempt.html", attempt=attempt, presented=attempts.present(attempt), form=ActionForm()
    )


@signed_in
def attempt_result(attempt_id: int) -> str | Response:
    attempt = attempts.attempt_for(current_user.id, attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for("lms.learner.take_attempt", attempt_id=attempt.id))
    return render_template("lms/learner/result.html", attempt=attempt, answers=attempts.review(attempt))
