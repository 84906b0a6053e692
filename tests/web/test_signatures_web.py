"""Signing through real HTTP: the signing pages, the receipt, wrong passwords, the lock, other people's
records and CSRF."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.models import AuditEvent, Signature, SopRevision, User
from lms.services import accounts
from tests.conftest import PASSWORD, login, post
from tests.web.helpers import answers_form, attempt_questions, enrolment_of, start_attempt, upload_sample

BINDING = "I understand this is my legally binding electronic signature"


@pytest.fixture
def published(app, client, make_user):
    """A published LOTO module assigned to a role with two learners in it, and a learner outside it."""
    with app.app_context():
        role_id = accounts.create_job_role("Operators").id
    learner = make_user("learner", [role_id], name="Lena Learner")
    other = make_user("learner", [role_id])
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    post(client, f"/modules/{module.id}/publish")
    post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": 7})
    post(client, "/logout")
    return module, learner, other


def signature_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Signature.id)))


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def revision_of(app, module) -> SopRevision:
    with app.app_context():
        revision = db.session.get(SopRevision, module.revision_id)
        _ = revision.sop.code
        db.session.expunge_all()
        return revision


def sign_path(module) -> str:
    return f"/sign/revisions/{module.revision_id}"


def sign(client, path: str, password: str = PASSWORD, confirm: bool = True):
    data = {"password": password}
    if confirm:
        data["confirm"] = "y"
    return post(client, path, data, csrf_path=path)


def test_signing_page_shows_what_is_signed(app, client, published) -> None:
    module, learner, _ = published
    revision = revision_of(app, module)
    login(client, learner)
    page = client.get(sign_path(module)).get_data(as_text=True)
    assert revision.title in page and revision.sop.code in page
    assert f"Read and understood {revision.sop.code} rev {revision.label}" in page
    assert revision.content_hash[:12] in page
    assert 'type="password"' in page and 'type="checkbox"' in page
    assert BINDING in page
    enrolment = enrolment_of(app, learner.id, module.id)
    assert f"/my/training/{enrolment.id}" in page


def test_signing_shows_a_receipt_and_a_second_signing_creates_nothing(app, client, published) -> None:
    module, learner, _ = published
    revision = revision_of(app, module)
    with app.app_context():
        db.session.get(User, learner.id).timezone = "Europe/Berlin"
        db.session.commit()
    login(client, learner)
    response = sign(client, sign_path(module))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    receipt_path = response.headers["Location"]
    assert re.search(r"/sign/signatures/\d+$", receipt_path)
    page = client.get(receipt_path).get_data(as_text=True)
    assert "Lena Learner" in page
    assert f"Read and understood {revision.sop.code} rev {revision.label}" in page
    assert revision.content_hash in page
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC \((\d{4}-\d\d-\d\d )?\d\d:\d\d Europe/Berlin\)", page)
    assert "Verified" in page
    assert signature_count(app) == 1

    assert client.get(sign_path(module)).headers["Location"].endswith(receipt_path)  # shows the existing one
    again = sign(client, sign_path(module), password="whatever it is")
    assert again.headers["Location"].endswith(receipt_path)
    assert signature_count(app) == 1
    assert audit_actions(app).count("signature.create") == 1
    listing = client.get("/sign/signatures").get_data(as_text=True)
    assert "Lena Learner" in listing and "Valid" in listing


def test_wrong_password_records_only_the_failure(app, client, published) -> None:
    module, learner, _ = published
    login(client, learner)
    response = sign(client, sign_path(module), password="wrong password!")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Wrong password" in page and 'role="alert"' in page
    assert "wrong password!" not in page  # the password is not echoed back
    assert signature_count(app) == 0
    assert audit_actions(app).count("signature.failure") == 1
    assert "signature.create" not in audit_actions(app)


def test_repeated_failures_lock_signing_even_with_the_right_password(app, client, published, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_SIGNING_MAX_FAILURES", 2)
    monkeypatch.setitem(app.config, "LMS_SIGNING_LOCK_MINUTES", 30)
    module, learner, _ = published
    login(client, learner)
    assert sign(client, sign_path(module), password="wrong password!").status_code == 400
    locked = sign(client, sign_path(module), password="wrong password!")
    assert locked.status_code == 423
    assert "locked" in locked.get_data(as_text=True)
    assert re.search(r"until \d{4}-\d\d-\d\d \d\d:\d\d UTC", locked.get_data(as_text=True))
    events = len(audit_actions(app))
    right = sign(client, sign_path(module))
    assert right.status_code == 423
    assert "locked" in right.get_data(as_text=True)
    assert signature_count(app) == 0
    assert len(audit_actions(app)) == events
    assert 'data-testid="locked"' in client.get(sign_path(module)).get_data(as_text=True)


def test_the_checkbox_and_the_password_are_both_required(app, client, published) -> None:
    module, learner, _ = published
    login(client, learner)
    unticked = sign(client, sign_path(module), confirm=False)
    assert unticked.status_code == 400
    assert "Tick the box" in unticked.get_data(as_text=True)
    empty = sign(client, sign_path(module), password="")
    assert empty.status_code == 400
    assert "Re-enter your password" in empty.get_data(as_text=True)
    assert signature_count(app) == 0
    assert "signature.failure" not in audit_actions(app)


def test_post_without_csrf_token_is_refused(app, client, published) -> None:
    module, learner, _ = published
    login(client, learner)
    response = client.post(sign_path(module), data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    assert signature_count(app) == 0


def test_signing_needs_a_session(app, client, published) -> None:
    module, _, _ = published
    response = client.get(sign_path(module))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_revisions_attempts_and_signatures_of_others_are_not_found(app, client, published, make_user) -> None:
    module, learner, other = published
    login(client, other)
    attempt_id = start_attempt(client, enrolment_of(app, other.id, module.id).id)
    submitted = post(client, f"/my/attempts/{attempt_id}", answers_form(attempt_questions(app, attempt_id)))
    assert submitted.status_code == 302
    receipt_path = sign(client, sign_path(module)).headers["Location"]
    post(client, "/logout")

    login(client, learner)
    assert client.get(f"/sign/attempts/{attempt_id}").status_code == 404
    assert sign(client, f"/sign/attempts/{attempt_id}").status_code == 404
    assert client.get(receipt_path).status_code == 404
    assert client.get("/sign/revisions/987654").status_code == 404
    post(client, "/logout")

    login(client, make_user("learner"))  # not enrolled on the revision at all
    assert client.get(sign_path(module)).status_code == 404
    assert sign(client, sign_path(module)).status_code == 404
    assert signature_count(app) == 1


def test_signing_a_passed_quiz(app, client, published) -> None:
    module, learner, _ = published
    revision = revision_of(app, module)
    login(client, learner)
    attempt_id = start_attempt(client, enrolment_of(app, learner.id, module.id).id)
    submitted = post(client, f"/my/attempts/{attempt_id}", answers_form(attempt_questions(app, attempt_id)))
    assert submitted.status_code == 302
    path = f"/sign/attempts/{attempt_id}"
    page = client.get(path).get_data(as_text=True)
    meaning = f"Completed training on {revision.sop.code} rev {revision.label}, score 100%"
    assert meaning in page and BINDING in page
    assert sign(client, path, password="wrong password!").status_code == 400
    response = sign(client, path)
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert meaning in receipt and "Lena Learner" in receipt and " UTC" in receipt
    assert signature_count(app) == 1


def test_a_failed_quiz_cannot_be_signed(app, client, published) -> None:
    module, learner, _ = published
    login(client, learner)
    attempt_id = start_attempt(client, enrolment_of(app, learner.id, module.id).id)
    questions = attempt_questions(app, attempt_id)
    post(client, f"/my/attempts/{attempt_id}", answers_form(questions, wrong={q.id for q in questions}))
    response = client.get(f"/sign/attempts/{attempt_id}")
    assert response.status_code == 400
    assert "passed" in response.get_data(as_text=True)
    assert sign(client, f"/sign/attempts/{attempt_id}").status_code == 400
    assert signature_count(app) == 0
