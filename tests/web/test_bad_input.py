"""Bad input on every form gets a clear message and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.models import Attempt, AuditEvent, Response, Sop, SopRevision, TrainingModule
from lms.services import accounts
from tests.conftest import DEMO_SOPS, csrf_token, login, post
from tests.web.helpers import (
    LOTO,
    answers_form,
    attempt_questions,
    enrolment_of,
    start_attempt,
    upload,
    upload_sample,
)


def counts(app) -> tuple[int, int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Sop, SopRevision, TrainingModule, AuditEvent)
        )


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.md", "empty"),
        (b"   \n\n  \t\n", "blank.md", "empty"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4,
            "picture.md",
            "binary",
        ),
        ("Caf\xe9 proc\xe9dure\n1. Ouvrir la vanne\n".encode("latin-1"), "latin1.txt", "UTF-8"),
        (b"# Just a title\n\nSome prose with no steps at all.\n", "nosteps.md", "step"),
        (b"MZ\x90\x00" + b"\x00" * 100, "tool.exe", "Markdown"),
    ],
)
def test_bad_uploads_are_refused_with_a_message(app, client, make_user, data, filename, message) -> None:
    login(client, make_user("trainer"))
    before = counts(app)
    response = upload(client, data, filename)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message.lower() in page.lower()
    assert 'role="alert"' in page
    assert counts(app) == before


def test_missing_file_is_refused(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    response = post(client, "/sops/upload", {}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a file" in response.get_data(as_text=True)


def test_oversized_upload_is_refused(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    before = counts(app)
    limit = app.config["LMS_MAX_UPLOAD_BYTES"]
    boundary = "sop-lms-test-boundary"
    token = csrf_token(client)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="document"; filename="huge.md"\r\n\r\n'
        ).encode()
        + b"1. Step\n" * (limit // 8 + 10)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    # raw bytes rather than the test client's file upload, whose spooled temp file it never closes
    response = client.post(
        "/sops/upload", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert "MB limit" in response.get_data(as_text=True)
    assert counts(app) == before


def test_same_document_twice_is_refused(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    upload_sample(client, app, LOTO)
    before = counts(app)
    response = upload(client, (DEMO_SOPS / LOTO).read_bytes(), LOTO)
    assert response.status_code == 400
    assert "already imported" in response.get_data(as_text=True)
    assert counts(app) == before


@pytest.fixture
def published(app, client, make_user):
    """A published LOTO module assigned to a role with two learners in it."""
    with app.app_context():
        role_id = accounts.create_job_role("Operators").id
    learner, other = make_user("learner", [role_id]), make_user("learner", [role_id])
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    post(client, f"/modules/{module.id}/publish")
    post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": 7})
    post(client, "/logout")
    return module, learner, other


def test_answer_to_a_question_not_in_the_attempt_is_refused(app, client, published) -> None:
    module, learner, _ = published
    login(client, learner)
    attempt_id = start_attempt(client, enrolment_of(app, learner.id, module.id).id)
    form = answers_form(attempt_questions(app, attempt_id))
    form["q-999999"] = "0"
    response = post(client, f"/my/attempts/{attempt_id}", form)
    assert response.status_code == 400
    assert "not part of this attempt" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).submitted_at is None
        assert db.session.scalar(select(func.count(Response.id))) == 0


def test_unanswered_and_malformed_answers_are_refused(app, client, published) -> None:
    module, learner, _ = published
    login(client, learner)
    attempt_id = start_attempt(client, enrolment_of(app, learner.id, module.id).id)
    questions = attempt_questions(app, attempt_id)
    response = post(client, f"/my/attempts/{attempt_id}", answers_form(questions[1:]))
    assert response.status_code == 400
    assert "Answer every question" in response.get_data(as_text=True)
    choice = next((q for q in questions if q.type in ("single_choice", "scenario")), None)
    if choice is not None:
        form = answers_form(questions)
        form[f"q-{choice.id}"] = "17"
        response = post(client, f"/my/attempts/{attempt_id}", form)
        assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).submitted_at is None


def test_second_submission_changes_nothing(app, client, published) -> None:
    module, learner, _ = published
    login(client, learner)
    attempt_id = start_attempt(client, enrolment_of(app, learner.id, module.id).id)
    questions = attempt_questions(app, attempt_id)
    assert post(client, f"/my/attempts/{attempt_id}", answers_form(questions)).status_code == 302
    with app.app_context():
        first = db.session.get(Attempt, attempt_id)
        score, submitted = first.score_percent, first.submitted_at
    wrong = answers_form(questions, wrong={q.id for q in questions})
    response = post(client, f"/my/attempts/{attempt_id}", wrong, follow_redirects=True)
    assert "already submitted" in response.get_data(as_text=True)
    with app.app_context():
        again = db.session.get(Attempt, attempt_id)
        assert (again.score_percent, again.submitted_at) == (score, submitted) and score == 100
        assert db.session.scalar(select(func.count(Response.id))) == len(questions)


def test_a_learner_cannot_open_another_learners_attempt(app, client, published) -> None:
    module, learner, other = published
    login(client, learner)
    attempt_id = start_attempt(client, enrolment_of(app, learner.id, module.id).id)
    questions = attempt_questions(app, attempt_id)
    post(client, f"/my/attempts/{attempt_id}", answers_form(questions))
    post(client, "/logout")
    login(client, other)
    assert client.get(f"/my/attempts/{attempt_id}").status_code == 404
    assert client.get(f"/my/attempts/{attempt_id}/result").status_code == 404
    their_enrolment = enrolment_of(app, learner.id, module.id).id
    assert client.get(f"/my/training/{their_enrolment}").status_code == 404
    response = post(
        client, f"/my/attempts/{attempt_id}", answers_form(questions, wrong={q.id for q in questions})
    )
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).score_percent == 100


def test_csv_cells_that_look_like_formulas_are_defused() -> None:
    from lms.csv_export import defuse_formula as _defuse_formula

    assert _defuse_formula('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert _defuse_formula("+1") == "'+1" and _defuse_formula("@SUM(A1)") == "'@SUM(A1)"
    assert _defuse_formula("Ada Lovelace") == "Ada Lovelace"
