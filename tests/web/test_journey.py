"""The walking skeleton's journey, steps 1-5, through real HTTP on a real database."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from lms.db import db
from lms.models import AuditEvent, Enrolment, Question, Response, TrainingModule
from lms.services import accounts
from lms.services.question_edit import answer_to_text
from tests.conftest import login, post
from tests.web.helpers import (
    LOTO,
    answers_form,
    attempt_questions,
    enrolment_of,
    start_attempt,
    upload_sample,
)


def test_trainer_uploads_an_sop_and_sees_its_sections_and_steps(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    module = upload_sample(client, app, LOTO)
    page = client.get(f"/sops/revisions/{module.revision_id}").get_data(as_text=True)
    assert "Sequence of Lockout" in page
    assert "(1)" in page and "(8)" in page
    assert "Review the training module" in page
    listing = client.get("/sops?q=lockout").get_data(as_text=True)
    assert "Typical Minimal Lockout Procedure" in listing


def test_generated_quiz_is_traceable_and_mixed(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    with app.app_context():
        questions = db.session.get(TrainingModule, module.id).quiz.questions
        assert len(questions) >= 5  # the pool is sized by what the SOP gives to ask, not padded
        created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "question.create")).all()
        assert sorted(int(e.entity_id) for e in created) == sorted(q.id for q in questions)
        assert all(e.data["stem"] and "answer" in e.data for e in created)
        assert len({q.type for q in questions}) >= 2
        for q in questions:
            assert q.step is not None, q.stem
            assert q.step.revision_id == module.revision_id
            assert q.quote and q.quote in q.step.text
    page = client.get(f"/modules/{module.id}").get_data(as_text=True)
    assert page.count('class="review-item') == len(questions)
    assert "Tests step" in page


def test_trainer_edits_rejects_and_publishes(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    with app.app_context():
        first, second = db.session.get(TrainingModule, module.id).quiz.questions[:2]
        first_id, second_id = first.id, second.id
        first_answer = answer_to_text(first.type, first.answer)
        first_options = "\n".join(first.options)
    response = post(
        client,
        f"/questions/{first_id}/edit",
        {"stem": "Edited: what does the SOP require here?", "options": first_options, "answer": first_answer},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    assert post(client, f"/questions/{second_id}/review", {"decision": "rejected"}).status_code == 302
    assert post(client, f"/modules/{module.id}/publish").status_code == 302
    with app.app_context():
        quiz = db.session.get(TrainingModule, module.id).quiz
        assert quiz.module.status == "published"
        edited = db.session.get(Question, first_id)
        assert edited.stem == "Edited: what does the SOP require here?"
        assert edited.origin == "edited" and edited.status == "approved" and edited.step is not None
        assert db.session.get(Question, second_id).status == "rejected"
        assert second_id not in [q.id for q in quiz.approved_questions]
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"question.update", "question.review", "module.publish"} <= actions


def test_the_whole_journey(app, client, make_user) -> None:
    admin = make_user("admin")
    trainer = make_user("trainer")
    compliance = make_user("compliance")
    with app.app_context():
        role_id = accounts.create_job_role("Maintenance Technician", "Facilities").id
    early = make_user("learner", [role_id], name="Early Learner")
    bystander = make_user("learner", name="Not In Role")

    # 1-2: upload, review, publish
    login(client, trainer)
    module = upload_sample(client, app)
    assert post(client, f"/modules/{module.id}/publish").status_code == 302

    # 3: assign to the role: members now are enrolled, and so is someone who joins later
    response = post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": 10})
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    assert enrolment_of(app, early.id, module.id) is not None
    assert enrolment_of(app, bystander.id, module.id) is None
    late = make_user("learner", name="Late Joiner")
    post(client, "/logout")
    login(client, admin)
    assert post(client, f"/admin/users/{late.id}", {"job_role": role_id}).status_code == 302
    late_enrolment = enrolment_of(app, late.id, module.id)
    assert late_enrolment is not None and late_enrolment.status == "assigned"
    post(client, "/logout")

    # 4: the learner reads, takes the quiz, gets a score and the SOP steps behind misses
    login(client, early)
    dashboard = client.get("/my/training").get_data(as_text=True)
    assert "Qubit Quantification" in dashboard and "Not started" in dashboard
    enrolment = enrolment_of(app, early.id, module.id)
    overview = client.get(f"/my/training/{enrolment.id}").get_data(as_text=True)
    assert "Lessons" in overview
    assert client.get(f"/my/training/{enrolment.id}/lessons/0").status_code == 200
    attempt_id = start_attempt(client, enrolment.id)
    questions = attempt_questions(app, attempt_id)
    # an all-or-nothing item, so the expected score is exactly (n - 1) / n whatever partial credit does
    missed = next(q for q in questions if q.type in ("single_choice", "scenario", "true_false", "numeric"))
    response = post(client, f"/my/attempts/{attempt_id}", answers_form(questions, wrong={missed.id}))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    result = client.get(f"/my/attempts/{attempt_id}/result").get_data(as_text=True)
    expected = round(100 * (len(questions) - 1) / len(questions))
    assert f"{expected}%" in result
    assert ("Passed" if expected >= 80 else "Not passed") in result
    with app.app_context():
        step_text = db.session.get(Question, missed.id).step.text
        assert db.session.scalar(select(Response).where(Response.question_id == missed.id)).score == 0
    assert step_text[:60].replace("&", "&amp;").replace("'", "&#39;").replace('"', "&#34;") in result
    post(client, "/logout")

    # 5: completion per role for the trainer; CSV for the compliance officer
    login(client, trainer)
    completion = client.get("/completion").get_data(as_text=True)
    assert "Maintenance Technician" in completion
    post(client, "/logout")
    login(client, compliance)
    response = client.get("/reports/completion.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte-order mark, so Excel reads accents right"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {"user", "role", "sop_code", "revision", "status", "score", "completed_at"} <= set(rows[0])
    mine = next(r for r in rows if r["user"] == "Early Learner")
    assert mine["role"] == "Maintenance Technician"
    assert mine["status"] == ("completed" if expected >= 80 else "in_progress")
    assert float(mine["score"]) == round(100 * (len(questions) - 1) / len(questions), 1)
    late_row = next(r for r in rows if r["user"] == "Late Joiner")
    assert late_row["status"] == "not_started" and late_row["completed_at"] == ""
    with app.app_context():
        assert db.session.scalar(select(Enrolment).where(Enrolment.user_id == early.id)).attempts
