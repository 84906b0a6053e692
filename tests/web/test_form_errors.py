"""Trainer and admin forms: invalid input is refused with a message next to the field, and nothing changes."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.db import db
from lms.models import Assignment, Enrolment, JobRole, Question, TrainingModule, User
from lms.services import accounts
from tests.conftest import login, post
from tests.web.helpers import upload_sample


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def first_question(app, module_id: int, question_type: str | None = None) -> Question:
    with app.app_context():
        questions = db.session.get(TrainingModule, module_id).quiz.questions
        found = next(q for q in questions if question_type in (None, q.type))
        db.session.expunge_all()
        return found


def test_question_edit_rejects_an_invalid_key_and_keeps_the_question(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    with app.app_context():
        question = next(
            q for q in db.session.get(TrainingModule, module.id).quiz.questions if q.type == "single_choice"
        )
        question_id, stem, options = question.id, question.stem, list(question.options)
    cases = [
        ({"stem": "Changed", "options": "\n".join(options), "answer": "9"}, "Option numbers run from 1"),
        ({"stem": "Changed", "options": "\n".join(options), "answer": "two"}, "counting from 1"),
        ({"stem": "Changed", "options": "Same\nSame", "answer": "1"}, "identical"),
        ({"stem": "   ", "options": "\n".join(options), "answer": "1"}, "This field is required"),
    ]
    for data, message in cases:
        response = post(client, f"/questions/{question_id}/edit", data)
        assert response.status_code == 400, data
        assert message in response.get_data(as_text=True), message
    with app.app_context():
        unchanged = db.session.get(Question, question_id)
        assert (unchanged.stem, unchanged.options, unchanged.origin) == (stem, options, "generated")


def test_published_questions_are_locked(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    post(client, f"/modules/{module.id}/publish")
    question = first_question(app, module.id)
    response = post(client, f"/questions/{question.id}/edit", {"stem": "x", "options": "a\nb", "answer": "1"})
    assert response.status_code == 400
    assert "locked" in response.get_data(as_text=True)
    assert post(client, f"/questions/{question.id}/review", {"decision": "rejected"}).status_code == 400
    assert post(client, f"/modules/{module.id}/publish").status_code == 400
    with app.app_context():
        assert db.session.get(Question, question.id).stem == question.stem


def test_assigning_needs_a_published_module_a_sane_due_date_and_no_duplicate(app, client, make_user) -> None:
    with app.app_context():
        role_id = accounts.create_job_role("Lab").id
    make_user("learner", [role_id])
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    response = post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": 7})
    assert response.status_code == 400 and "Publish the module" in response.get_data(as_text=True)
    post(client, f"/modules/{module.id}/publish")
    for due in ("0", "-3", "99999", "soon"):
        response = post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": due})
        assert response.status_code == 400, due
    assert count(app, Assignment) == 0 and count(app, Enrolment) == 0
    assert (
        post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": 7}).status_code == 302
    )
    response = post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": 7})
    assert response.status_code == 400 and "already on the curriculum" in response.get_data(as_text=True)
    assert count(app, Assignment) == 1 and count(app, Enrolment) == 1


def test_creating_users_and_roles_validates_input(app, client, make_user) -> None:
    admin = make_user("admin")
    login(client, admin)
    users_before = count(app, User)
    bad = [
        {"name": "A", "email": "not-an-email", "password": "long enough pw", "app_role": "learner"},
        {"name": "A", "email": "a@example.org", "password": "short", "app_role": "learner"},
        {"name": "A", "email": admin.email, "password": "long enough pw", "app_role": "learner"},
        {"name": "A", "email": "b@example.org", "password": "long enough pw", "app_role": "superuser"},
    ]
    for data in bad:
        assert post(client, "/admin/users/new", data).status_code == 400, data
    assert count(app, User) == users_before
    response = post(
        client,
        "/admin/users/new",
        {"name": "New Hire", "email": "new@example.org", "password": "long enough pw", "app_role": "learner"},
    )
    assert response.status_code == 302
    assert count(app, User) == users_before + 1
    assert post(client, "/admin/job-roles", {"name": "Welder", "department": "Plant"}).status_code == 302
    response = post(client, "/admin/job-roles", {"name": "Welder"})
    assert response.status_code == 400 and "already exists" in response.get_data(as_text=True)
    assert post(client, "/admin/job-roles", {"name": ""}).status_code == 400
    assert count(app, JobRole) == 1
