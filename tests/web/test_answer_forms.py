"""A learner answers a quiz holding one question of every answer type, through the real form: each type's
partial renders its fields, the fields a browser sends score as the type says, and a matching question can
be answered right (its form once sent item numbers that could never match the key)."""

from __future__ import annotations

import re

from sqlalchemy import select

from lms.db import db
from lms.models import Attempt, Question, TrainingModule
from lms.services import accounts, enrolments, quiz_review
from quizzes.answers import ANSWER_TYPES, answer_type
from tests.conftest import login, post
from tests.web.helpers import answers_form, attempt_questions, start_attempt, upload_sample

WRITTEN = [  # (type, stem, options, key) as a trainer would write them
    ("single_choice", "Which tube do you read first?", ["Standard 1", "Standard 2", "The sample"], 0),
    ("multiple_response", "What do you wear?", ["Gloves", "Goggles", "Sandals", "A lab coat"], [0, 1, 3]),
    ("true_false", "You may reuse a tube after reading it.", [], False),
    (
        "ordering",
        "Put these in order.",
        ["Prepare the solution", "Add the sample", "Read the tube"],
        [0, 1, 2],
    ),
    ("numeric", "How long do you incubate the tubes?", [], {"value": 2.0, "unit": "min", "tolerance": 0}),
]
NOT_AUTHORED = [  # the registry's types a trainer cannot write yet, stored as a generator or import would
    ("matching", "Match each task to who does it.", ["Analyst", "Supervisor"],
     [["Read the tubes", "Analyst"], ["Approve the results", "Supervisor"]]),
    ("scenario", "The reading is out of range. What do you do?", ["Repeat it", "Report it", "Ignore it"], 0),
]  # fmt: skip


def _module_with_every_type(app, client, make_user) -> tuple[int, int]:
    with app.app_context():
        role_id = accounts.create_job_role("Analysts").id
    learner = make_user("learner", [role_id])
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    with app.app_context():
        item = db.session.get(TrainingModule, module.id)
        for question in list(item.quiz.questions):
            item.quiz.questions.remove(question)
            db.session.delete(question)
        item.quiz.questions_per_attempt = None
        db.session.flush()
        for question_type, stem, options, key in WRITTEN:
            quiz_review.add_question(module.id, question_type, stem, options, key, None, None)
        for position, (question_type, stem, options, key) in enumerate(NOT_AUTHORED, len(WRITTEN)):
            db.session.add(
                Question(quiz=item.quiz, position=position, type=question_type, stem=stem, options=options,
                         answer=key, origin="manual", status="approved")
            )  # fmt: skip
        db.session.commit()
    assert post(client, f"/modules/{module.id}/publish").status_code == 302
    with app.app_context():
        enrolments.assign_module_to_role(module.id, role_id, 7, None)
        db.session.commit()
        enrolment_id = enrolments.enrolments_for(learner.id)[0].id
    post(client, "/logout")
    login(client, learner)
    return module.id, enrolment_id


def test_every_answer_type_is_answered_through_its_form(app, client, make_user) -> None:
    _, enrolment_id = _module_with_every_type(app, client, make_user)
    attempt_id = start_attempt(client, enrolment_id)
    page = client.get(f"/my/attempts/{attempt_id}").get_data(as_text=True)
    assert set(re.findall(r'data-type="(\w+)"', page)) == set(ANSWER_TYPES)
    assert (
        'type="checkbox"' in page and 'inputmode="decimal"' in page and "-pos-" in page and "-match-" in page
    )
    questions = attempt_questions(app, attempt_id)
    for question in questions:  # what the helper sends is what the page's own fields can send
        for field, value in (
            answer_type(question.type).form_fields(f"q-{question.id}", question.answer, question.key).items()
        ):
            assert f'name="{field}"' in page, field
            for one in value if isinstance(value, list) else [value]:
                control = re.search(rf'<(input|select)[^>]*name="{re.escape(field)}"[^>]*>', page).group(0)
                if 'type="radio"' in control or 'type="checkbox"' in control:
                    assert f'name="{field}" value="{one}"' in page, (field, one)
                elif control.startswith("<select"):
                    options = page.split(control, 1)[1].split("</select>", 1)[0]
                    assert f'value="{one}"' in options or f">{one}</option>" in options, (field, one)
    response = post(client, f"/my/attempts/{attempt_id}", answers_form(questions))
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        scores = {r.question.type: r.score for r in attempt.responses}
        assert scores == dict.fromkeys(ANSWER_TYPES, 1.0) and attempt.score_percent == 100.0


def test_wrong_answers_of_every_type_score_as_the_type_says(app, client, make_user) -> None:
    _, enrolment_id = _module_with_every_type(app, client, make_user)
    attempt_id = start_attempt(client, enrolment_id)
    questions = attempt_questions(app, attempt_id)
    response = post(client, f"/my/attempts/{attempt_id}", answers_form(questions, {q.id for q in questions}))
    assert response.status_code == 302
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        scores = {r.question.type: r.score for r in attempt.responses}
        assert all(score < 1.0 for score in scores.values()), scores
        assert scores["matching"] == 0.0 and not attempt.passed


def test_a_malformed_ordering_form_is_refused_and_records_nothing(app, client, make_user) -> None:
    _, enrolment_id = _module_with_every_type(app, client, make_user)
    attempt_id = start_attempt(client, enrolment_id)
    questions = attempt_questions(app, attempt_id)
    form = answers_form(questions)
    ordering = next(q for q in questions if q.type == "ordering")
    for key in [k for k in form if k.startswith(f"q-{ordering.id}-pos-")]:
        form[key] = "1"
    response = post(client, f"/my/attempts/{attempt_id}", form)
    assert response.status_code == 400
    assert "number the items 1 to 3, each once" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).submitted_at is None
        assert not db.session.scalars(select(Attempt).where(Attempt.submitted_at.is_not(None))).all()
