"""Learner experience: dashboard progress, lessons marked read (by POST, idempotent), resuming at the
first unread lesson, and the quiz timer (deadline fixed at start, late answers refused, nothing changed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.models import Attempt, AttemptDeadline, AuditEvent, Enrolment, LessonProgress, Response
from lms.services import accounts, attempts, enrolments, quiz_review, sop_import
from lms.services.errors import InvalidInput
from tests.conftest import DEMO_SOPS, login, post
from tests.web.helpers import LOTO, answers_form, attempt_questions, start_attempt


@dataclass(frozen=True)
class Training:
    learner_id: int
    trainer_id: int
    module_id: int
    enrolment_id: int
    lessons: int


@pytest.fixture
def training(app, make_user) -> Training:
    trainer = make_user("trainer")
    with app.app_context():
        role_id = accounts.create_job_role("Maintenance Technician", "Facilities").id
    learner = make_user("learner", [role_id], name="Lena Learner")
    with app.app_context():
        revision = sop_import.import_sop((DEMO_SOPS / LOTO).read_bytes(), LOTO, trainer.id)
        module = sop_import.modules_of(revision.id)[0]
        quiz_review.publish(module.id, trainer.id)
        enrolments.assign_module_to_role(module.id, role_id, 14, trainer.id)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id))
        return Training(learner.id, trainer.id, module.id, enrolment.id, len(module.lessons))


@pytest.fixture
def learner_client(client, make_user, training, app):
    with app.app_context():
        user = accounts.user(training.learner_id)
        email, name = user.email, user.name
    from tests.conftest import Person

    login(client, Person(training.learner_id, email, name))
    return client


def read_rows(app, enrolment_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(LessonProgress.lesson_id).where(LessonProgress.enrolment_id == enrolment_id)
            )
        )


def test_dashboard_shows_progress_per_enrolment_and_overall(app, learner_client, training) -> None:
    page = learner_client.get("/my/training").get_data(as_text=True)
    assert f"0 of {training.lessons} lessons read" in page
    assert re.search(r'<label for="progress-\d+"[^>]*>0 of \d+ lessons read</label>', page)
    assert re.search(rf'<progress id="progress-\d+" max="{training.lessons}" value="0">', page)
    assert "0 of 1</strong> trainings completed" in page
    assert '<label for="overall-progress">' in page
    assert "Start reading:" in page
    assert "Download my training record (PDF)" in page


def test_viewing_a_lesson_does_not_mark_it_read(app, learner_client, training) -> None:
    page = learner_client.get(f"/my/training/{training.enrolment_id}/lessons/0").get_data(as_text=True)
    assert "not read yet" in page
    assert "Mark as read, next lesson" in page
    assert read_rows(app, training.enrolment_id) == []


def test_mark_read_moves_on_is_idempotent_and_starts_the_training(app, learner_client, training) -> None:
    base = f"/my/training/{training.enrolment_id}"
    response = post(learner_client, f"{base}/lessons/0/read")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{base}/lessons/1")
    again = post(learner_client, f"{base}/lessons/0/read")
    assert again.status_code == 302
    assert len(read_rows(app, training.enrolment_id)) == 1
    with app.app_context():
        assert db.session.get(Enrolment, training.enrolment_id).status == "in_progress"
        events = db.session.scalar(select(func.count()).where(AuditEvent.action == "lesson.read"))
        assert events == 1
    lesson = learner_client.get(f"{base}/lessons/0").get_data(as_text=True)
    assert 'data-testid="read-state">read' in lesson


def test_enrolment_page_shows_read_lessons_and_resumes_at_the_first_unread(
    app, learner_client, training
) -> None:
    base = f"/my/training/{training.enrolment_id}"
    post(learner_client, f"{base}/lessons/0/read")
    post(learner_client, f"{base}/lessons/2/read")
    page = learner_client.get(base).get_data(as_text=True)
    assert f"2 of {training.lessons} lessons read" in page
    assert page.count('class="is-read"') == 2
    resume = re.search(r'data-testid="resume" href="([^"]+)"', page)
    assert resume and resume.group(1).endswith(f"{base}/lessons/1")
    dashboard = learner_client.get("/my/training").get_data(as_text=True)
    assert f"2 of {training.lessons} lessons read" in dashboard
    assert "Continue reading:" in dashboard and f'href="{base}/lessons/1"' in dashboard


def test_reading_the_last_lesson_leads_to_the_quiz(app, learner_client, training) -> None:
    base = f"/my/training/{training.enrolment_id}"
    for position in range(training.lessons):
        response = post(learner_client, f"{base}/lessons/{position}/read")
    assert response.headers["Location"].endswith(f"{base}#quiz")
    page = learner_client.get(base).get_data(as_text=True)
    assert f"{training.lessons} of {training.lessons} lessons read" in page
    assert 'data-testid="resume"' not in page
    assert "All lessons read: go to the quiz" in learner_client.get("/my/training").get_data(as_text=True)


def test_no_lesson_progress_on_someone_elses_enrolment_or_a_missing_lesson(
    app, client, make_user, training
) -> None:
    login(client, make_user("learner"))
    base = f"/my/training/{training.enrolment_id}"
    assert post(client, f"{base}/lessons/0/read").status_code == 404
    assert client.get(f"{base}/lessons/0").status_code == 404
    assert read_rows(app, training.enrolment_id) == []


def test_mark_read_needs_csrf_and_a_real_lesson(app, learner_client, training) -> None:
    base = f"/my/training/{training.enrolment_id}"
    assert learner_client.post(f"{base}/lessons/0/read").status_code == 400
    assert post(learner_client, f"{base}/lessons/{training.lessons}/read").status_code == 404
    assert learner_client.get(f"{base}/lessons/{training.lessons}").status_code == 404
    assert learner_client.get(f"{base}/lessons/0/read").status_code == 405
    assert read_rows(app, training.enrolment_id) == []


# --- quiz timer -------------------------------------------------------------------------------------------


def set_limit(app, training: Training, minutes: int | None) -> None:
    with app.app_context():
        _time_limit(training, minutes)


def _time_limit(training: Training, minutes: int | None) -> None:
    """The trainer sets the quiz's time limit, the other settings as they are (the settings form)."""
    quiz = quiz_review.module(training.module_id).quiz
    quiz_review.update_settings(
        training.module_id,
        quiz.pass_mark,
        quiz.questions_per_attempt,
        quiz.max_attempts,
        training.trainer_id,
        time_limit_minutes=minutes,
    )


def move_deadline(app, attempt_id: int, seconds_from_now: float) -> None:
    with app.app_context():
        deadline = db.session.get(AttemptDeadline, attempt_id)
        deadline.deadline_at = utcnow() + timedelta(seconds=seconds_from_now)
        db.session.commit()


def test_untimed_quiz_shows_no_timer(app, learner_client, training) -> None:
    attempt_id = start_attempt(learner_client, training.enrolment_id)
    page = learner_client.get(f"/my/attempts/{attempt_id}").get_data(as_text=True)
    assert "Time limit" not in page and "quiz-timer.js" not in page
    with app.app_context():
        assert db.session.get(AttemptDeadline, attempt_id) is None


def test_timed_attempt_shows_a_server_computed_deadline(app, learner_client, training) -> None:
    set_limit(app, training, 20)
    assert "time limit 20 minutes" in learner_client.get(f"/my/training/{training.enrolment_id}").get_data(
        as_text=True
    )
    attempt_id = start_attempt(learner_client, training.enrolment_id)
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        deadline = db.session.get(AttemptDeadline, attempt_id).deadline_at
        assert deadline == attempt.started_at + timedelta(minutes=20)
    page = learner_client.get(f"/my/attempts/{attempt_id}").get_data(as_text=True)
    assert "Time limit: 20 minutes" in page
    assert (
        f'<time datetime="{deadline.isoformat()}" data-testid="deadline">{deadline:%H:%M:%S} UTC</time>'
        in page
    )
    assert re.search(r"\(19 min \d\d s left|\(20 min 00 s left", page)
    assert 'aria-live="polite"' in page
    assert re.search(r'<script src="[^"]*/static/lms/quiz-timer.js\?v=[0-9a-f]{12}" defer></script>', page)
    with learner_client.get("/static/lms/quiz-timer.js") as script:
        assert script.status_code == 200

    # the trainer changing the limit later moves no one's clock
    set_limit(app, training, 5)
    with app.app_context():
        assert db.session.get(AttemptDeadline, attempt_id).deadline_at == deadline


def test_submission_within_the_grace_period_counts(app, learner_client, training) -> None:
    set_limit(app, training, 10)
    attempt_id = start_attempt(learner_client, training.enrolment_id)
    move_deadline(app, attempt_id, -(attempts.GRACE_SECONDS - 10))
    form = answers_form(attempt_questions(app, attempt_id))
    response = post(learner_client, f"/my/attempts/{attempt_id}", form)
    assert response.headers["Location"].endswith(f"/my/attempts/{attempt_id}/result")
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).passed is True


def test_late_submission_is_refused_and_changes_nothing(app, learner_client, training) -> None:
    set_limit(app, training, 10)
    attempt_id = start_attempt(learner_client, training.enrolment_id)
    move_deadline(app, attempt_id, -(attempts.GRACE_SECONDS + 5))
    with app.app_context():
        events_before = db.session.scalar(select(func.count(AuditEvent.id)))
    form = answers_form(attempt_questions(app, attempt_id))
    response = post(learner_client, f"/my/attempts/{attempt_id}", form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/my/training/{training.enrolment_id}#quiz")
    page = learner_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Time ran out at" in page and "nothing was recorded" in page
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.submitted_at is None and attempt.score_percent is None
        assert (
            db.session.scalar(select(func.count(Response.id)).where(Response.attempt_id == attempt_id)) == 0
        )
        assert db.session.get(Enrolment, training.enrolment_id).status == "in_progress"
        assert db.session.scalar(select(func.count(AuditEvent.id))) == events_before
    # the open attempt's page says the time ran out instead of offering the questions again
    response = learner_client.get(f"/my/attempts/{attempt_id}")
    assert response.status_code == 302
    assert "Time ran out for attempt 1" in learner_client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def test_late_submission_refused_by_the_service(app, training) -> None:
    set_limit(app, training, 1)
    with app.app_context():
        attempt = attempts.start_attempt(training.learner_id, training.enrolment_id)
        attempt_id = attempt.id
    move_deadline(app, attempt_id, -31)
    with app.app_context(), pytest.raises(attempts.TimeUp, match="nothing was recorded"):
        attempts.submit_attempt(training.learner_id, attempt_id, {})


def test_starting_again_closes_the_timed_out_attempt_as_not_passed(app, learner_client, training) -> None:
    set_limit(app, training, 10)
    first = start_attempt(learner_client, training.enrolment_id)
    move_deadline(app, first, -60)
    page = learner_client.get(f"/my/training/{training.enrolment_id}").get_data(as_text=True)
    assert "Time ran out" in page and ">Take the quiz<" in page
    second = start_attempt(learner_client, training.enrolment_id)
    assert second != first
    with app.app_context():
        closed = db.session.get(Attempt, first)
        assert closed.submitted_at is not None and closed.passed is False and closed.score_percent == 0
        assert db.session.get(AttemptDeadline, first).timed_out is True
        assert db.session.get(Attempt, second).number == 2
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert "attempt.timeout" in actions
    result = learner_client.get(f"/my/attempts/{first}/result").get_data(as_text=True)
    assert "time ran out" in result and "Every answer was correct" not in result
    enrolment_page = learner_client.get(f"/my/training/{training.enrolment_id}").get_data(as_text=True)
    assert "Not passed (time ran out)" in enrolment_page


def test_a_timed_out_attempt_counts_towards_the_attempt_limit(app, learner_client, training) -> None:
    set_limit(app, training, 10)
    with app.app_context():
        module = quiz_review.module(training.module_id)
        quiz_review.update_settings(module.id, module.quiz.pass_mark, None, 1, training.trainer_id)
    first = start_attempt(learner_client, training.enrolment_id)
    move_deadline(app, first, -60)
    response = post(learner_client, f"/my/training/{training.enrolment_id}/attempts")
    assert response.status_code == 400
    assert "used all 1 attempts" in response.get_data(as_text=True)


def test_set_time_limit_validates_and_audits(app, training) -> None:
    with app.app_context():
        for bad in (0, -5, 601):
            with pytest.raises(InvalidInput):
                _time_limit(training, bad)
        _time_limit(training, 30)
        assert quiz_review.module(training.module_id).quiz.time_limit_minutes == 30
        _time_limit(training, None)
        assert quiz_review.module(training.module_id).quiz.time_limit_minutes is None
        changes = [
            (event.data["old"]["minutes"], event.data["new"]["minutes"])
            for event in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action == "quiz.settings").order_by(AuditEvent.id)
            )
        ]
        assert changes[-2:] == [(None, 30), (30, None)]  # the refused values left no trace
