"""Trainers tune the quiz, write their own questions and regenerate weak ones; provenance is kept."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from lms.models import AuditEvent, Question, SopStep, TrainingModule
from quizzes.generate import gives_away
from tests.conftest import login, post
from tests.web.helpers import upload_sample


def test_quiz_settings_are_validated_and_saved(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    for bad in ({"pass_mark": "0"}, {"pass_mark": "101"}, {"pass_mark": "80", "max_attempts": "0"}):
        assert post(client, f"/modules/{module.id}/settings", bad).status_code == 400, bad
    response = post(
        client,
        f"/modules/{module.id}/settings",
        {"pass_mark": "70", "questions_per_attempt": "5", "max_attempts": "", "time_limit_minutes": "20"},
    )
    assert response.status_code == 302
    with app.app_context():
        quiz = db.session.get(TrainingModule, module.id).quiz
        assert (quiz.pass_mark, quiz.questions_per_attempt, quiz.max_attempts) == (70, 5, None)
        assert quiz.time_limit_minutes == 20
    assert "pass mark 70%" in client.get(f"/modules/{module.id}").get_data(as_text=True)


def test_trainer_writes_a_question_tied_to_a_step(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    with app.app_context():
        step = db.session.scalar(select(SopStep).where(SopStep.revision_id == module.revision_id).limit(1))
        step_id, step_text = step.id, step.text
    form = {
        "type": "single_choice",
        "step": str(step_id),
        "stem": "Who must be notified before lockout begins?",
        "options": "All affected employees\nOnly the supervisor\nNobody",
        "answer": "1",
    }
    assert post(client, f"/modules/{module.id}/questions/new", {**form, "answer": "4"}).status_code == 400
    assert post(client, f"/modules/{module.id}/questions/new", {**form, "step": "999999"}).status_code == 400
    response = post(client, f"/modules/{module.id}/questions/new", form)
    assert response.status_code == 302
    with app.app_context():
        written = db.session.scalar(select(Question).where(Question.origin == "manual"))
        assert written.answer == 0 and written.step_id == step_id and written.quote == step_text
        assert written.status == "draft"
    numeric = {"type": "numeric", "step": "0", "stem": "How long?", "options": "", "answer": "30 min ± 2"}
    assert post(client, f"/modules/{module.id}/questions/new", numeric).status_code == 302
    with app.app_context():
        value = db.session.scalar(select(Question).where(Question.stem == "How long?"))
        assert value.answer == {"value": 30.0, "unit": "min", "tolerance": 2.0} and value.step is None


def test_regenerate_replaces_a_question_from_the_same_step(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    with app.app_context():
        questions = db.session.get(TrainingModule, module.id).quiz.questions
        before = {q.id: (q.stem, q.step_id, q.rule.key if q.rule else None) for q in questions}
    regenerated = 0
    for question_id, (stem, step_id, rule_key) in before.items():
        response = post(client, f"/questions/{question_id}/regenerate")
        if response.status_code == 302:
            with app.app_context():
                fresh = db.session.get(Question, question_id)
                assert fresh.stem != stem and fresh.step_id == step_id and fresh.status == "draft"
                assert (fresh.rule.key if fresh.rule else None) == rule_key  # a rule's stays the rule's
                assert fresh.quote in (fresh.step or fresh.rule).text
                rest = [(q.stem, q.options, q.type, q.answer) for q in fresh.quiz.questions if q is not fresh]
                assert not gives_away((fresh.stem, fresh.options, fresh.type, fresh.answer), rest)
            regenerated += 1
        else:
            assert response.status_code == 400
            assert "No different question" in response.get_data(as_text=True)
    assert regenerated >= 1
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "question.regenerate"))
    post(client, f"/modules/{module.id}/publish")
    first = next(iter(before))
    assert post(client, f"/questions/{first}/regenerate").status_code == 400
    assert (
        post(
            client,
            f"/modules/{module.id}/questions/new",
            {"type": "true_false", "stem": "x", "answer": "true", "step": "0"},
        ).status_code
        == 400
    )


def test_partial_credit_can_be_switched_off(app, client, make_user) -> None:
    """A half-right ordering answer earns part of the mark by default, nothing when partial credit is off."""
    from lms.services import accounts, attempts, enrolments, quiz_review

    with app.app_context():
        role_id = accounts.create_job_role("Operators").id
    learner = make_user("learner", [role_id])
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    with app.app_context():  # the trainer writes an ordering question (none is drafted)
        quiz_review.add_question(
            module.id,
            "ordering",
            "Put the first three preparation steps in order.",
            ["Prepare the working solution", "Label the tubes on the lid", "Read the standards"],
            [0, 1, 2],
            None,
            None,
        )
    post(client, f"/modules/{module.id}/publish")
    scores = {}
    with app.app_context():
        enrolments.assign_module_to_role(module.id, role_id, 7, None)
        ordering = [
            q for q in db.session.get(TrainingModule, module.id).quiz.questions if q.type == "ordering"
        ]
        assert ordering
        enrolment_id = enrolments.enrolments_for(learner.id)[0].id
        for partial in (True, False):
            quiz_review.update_settings(module.id, 100, None, None, None, partial_credit=partial)
            attempt = attempts.start_attempt(learner.id, enrolment_id)
            answers = {}
            for q in attempts.questions_of(attempt):
                right = q.answer if q.type != "numeric" else q.answer["value"]
                if q.type == "ordering":  # swap the first two: the rest stay in place
                    right = [right[1], right[0], *right[2:]]
                answers[q.id] = attempts.as_displayed(attempt, q, right)
            attempts.submit_attempt(learner.id, attempt.id, answers)
            target = next(r for r in attempt.responses if r.question_id == ordering[0].id)
            scores[partial] = target.score
    assert 0 < scores[True] < 1
    assert scores[False] == 0
