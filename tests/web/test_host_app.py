"""sop-lms mounted in an ordinary Flask application (tests/host_app) that has its own Flask-SQLAlchemy, its
own users and Flask-Login, and its own Alembic history: both live side by side, on SQLite and PostgreSQL,
and a member of the host walks the whole learner journey in sop-lms under /training."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import flask_migrate
import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event, inspect, select, text

from lms import schema
from lms.db import EXTENSION_KEY, LmsSession, db, is_writing
from lms.models import Attempt, AuditEvent, Signature, TrainingModule, User
from lms.services import accounts, audit, enrolments
from tests.conftest import BACKENDS, DEMO_SOPS, _postgres_database, post
from tests.host_app.app import Member, add_member, create_host, host_db, load_member
from tests.web.helpers import QUIZ_SOP, answers_form, attempt_questions

PASSWORD = "members-password-1"


@pytest.fixture(params=BACKENDS)
def host(request, tmp_path) -> Iterator[Flask]:
    """The host on a database of its own, migrated the way its operators would: the host's `flask db
    upgrade` for its history, then `flask sop-lms db upgrade` for sop-lms's."""
    yield from _host(request.param, tmp_path, sop_lms_first=False)


@pytest.fixture(params=BACKENDS)
def host_mounting_sop_lms_first(request, tmp_path) -> Iterator[Flask]:
    yield from _host(request.param, tmp_path, sop_lms_first=True)


def _host(backend: str, tmp_path, sop_lms_first: bool) -> Iterator[Flask]:
    if backend == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'members.sqlite'}"])
    else:
        urls = _postgres_database(f"sop_lms_host_{uuid.uuid4().hex[:12]}")
    app = create_host(next(urls), str(tmp_path / "instance"), sop_lms_first)
    try:
        with app.app_context():
            flask_migrate.upgrade()  # the host's own `flask db upgrade`
        result = app.test_cli_runner().invoke(args=["sop-lms", "db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert "sop-lms schema at" in result.output
        yield app
    finally:
        with app.app_context():
            host_db.engine.dispose()
            db.engine.dispose()
        next(urls, None)  # drops the PostgreSQL database


def test_both_database_handles_logins_and_histories_coexist(host) -> None:
    assert host.extensions["sqlalchemy"] is host_db and host.extensions[EXTENSION_KEY] is db
    assert host.login_manager.login_view == "members.sign_in"
    assert host.login_manager._user_callback is load_member
    with host.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {"member", "alembic_version", "lms_alembic_version", "lms_user"} <= tables
        with db.engine.connect() as connection:
            assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "host0001"
        assert schema.current_revision() == schema.head_revision() is not None
        # the audit trail's guard listens to sop-lms's sessions, so no statement of the host's meets it
        assert isinstance(db.session(), LmsSession) and not isinstance(host_db.session(), LmsSession)
        assert event.contains(LmsSession, "do_orm_execute", audit._refuse_bulk_change)
        assert not event.contains(sa.orm.Session, "do_orm_execute", audit._refuse_bulk_change)
    result = host.test_cli_runner().invoke(args=["sop-lms", "db", "current"])
    assert schema.head_revision() in result.output


def _sign_in(client, email: str, password: str = PASSWORD) -> None:
    response = client.post("/sign-in", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def _publish_module(host: Flask, client) -> int:
    """The host's staff member, a trainer in sop-lms, uploads an SOP and publishes its module."""
    upload = post(
        client,
        "/training/sops/upload",
        {"document": ((DEMO_SOPS / QUIZ_SOP).open("rb"), QUIZ_SOP)},
        csrf_path="/training/sops",
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302, upload.get_data(as_text=True)[:800]
    revision_id = int(re.search(r"/sops/revisions/(\d+)", upload.headers["Location"]).group(1))
    with host.app_context():
        module_id = db.session.scalar(
            select(TrainingModule.id).where(TrainingModule.revision_id == revision_id)
        )
    published = post(
        client, f"/training/modules/{module_id}/publish", csrf_path=f"/training/modules/{module_id}"
    )
    assert published.status_code == 302
    return module_id


def test_a_member_of_the_host_is_trained_and_signs_in_sop_lms(host) -> None:
    with host.app_context():
        add_member("tara@members.example", "Tara Trainer", PASSWORD, staff=True)
        add_member("liam@members.example", "Liam Learner", PASSWORD)
    trainer, learner = host.test_client(), host.test_client()

    anonymous = learner.get("/training/my/training")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/sign-in?next=")

    _sign_in(trainer, "tara@members.example")
    assert trainer.get("/training/").headers["Location"] == "/training/sops"  # the hook made Tara a trainer
    module_id = _publish_module(host, trainer)

    _sign_in(learner, "liam@members.example")
    assert learner.get("/").get_data(as_text=True) == "Welcome to the members' site, Liam Learner"
    first = learner.get("/training/my/training").get_data(as_text=True)
    assert "Liam Learner" in first and "Sign out" not in first  # the host signs people in and out
    with host.app_context():
        liam = db.session.scalar(select(User).where(User.email == "liam@members.example"))
        assert liam.app_role == "learner" and not accounts.authenticate(liam.email, PASSWORD)
        role = accounts.create_job_role("Lab analysts")
        accounts.add_to_job_role(liam.id, role.id)
        enrolments.assign_module_to_role(module_id, role.id, 14, None)
        enrolment_id = enrolments.enrolments_for(liam.id)[0].id

    dashboard = learner.get("/training/my/training").get_data(as_text=True)
    assert f"/training/my/training/{enrolment_id}" in dashboard
    assert learner.get(f"/training/my/training/{enrolment_id}/lessons/1").status_code == 200
    started = post(
        learner, f"/training/my/training/{enrolment_id}/attempts", csrf_path="/training/my/training"
    )
    attempt_id = int(re.search(r"/my/attempts/(\d+)", started.headers["Location"]).group(1))
    page = f"/training/my/attempts/{attempt_id}"
    form = answers_form(attempt_questions(host, attempt_id))
    submitted = post(learner, page, form, csrf_path=page)
    assert submitted.status_code == 302, submitted.get_data(as_text=True)[:1500]
    assert "passed" in learner.get(f"{page}/result").get_data(as_text=True).lower()

    signing = f"/training/sign/attempts/{attempt_id}"
    wrong = post(learner, signing, {"password": "not my password", "confirm": "y"}, csrf_path=signing)
    assert wrong.status_code == 400 and "Wrong password" in wrong.get_data(as_text=True)
    signed = post(learner, signing, {"password": PASSWORD, "confirm": "y"}, csrf_path=signing)
    assert signed.status_code == 302, signed.get_data(as_text=True)[:1500]
    with host.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.passed and attempt.enrolment.status == "completed"
        signature = db.session.scalar(select(Signature).where(Signature.attempt_id == attempt_id))
        assert signature.printed_name == "Liam Learner"
        created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.create")).all()
        assert {(e.data["email"], e.data["by"]) for e in created} == {
            ("liam@members.example", "host"),
            ("tara@members.example", "host"),
        }
        assert audit.verify_chain().ok
        assert host_db.session.scalar(select(sa.func.count(Member.id))) == 2  # the host's rows untouched


def test_a_member_the_host_keeps_out_of_sop_lms_is_refused(host) -> None:
    with host.app_context():
        add_member("gil@guest.example", "Gil Guest", PASSWORD)
    client = host.test_client()
    _sign_in(client, "gil@guest.example")
    assert client.get("/training/my/training").status_code == 403
    assert client.get("/training/login").status_code == 403
    with host.app_context():
        assert db.session.scalar(select(sa.func.count(User.id))) == 0


def test_a_host_that_sets_up_its_login_after_sop_lms_still_maps_its_users(
    host_mounting_sop_lms_first,
) -> None:
    """Flask-Login set up after sop-lms replaces sop-lms's manager: the host's users must go through the
    hook, never be read as the sop-lms accounts that share their id (member 1 is not sop-lms user 1)."""
    host = host_mounting_sop_lms_first
    with host.app_context():
        assert (
            accounts.create_user("boss@sop-lms.example", "Boss Admin", "a long admin pass", "admin").id == 1
        )
    with host.app_context():
        assert add_member("liam@members.example", "Liam Learner", PASSWORD).id == 1
    client = host.test_client()
    _sign_in(client, "liam@members.example")
    transcript = client.get("/training/my/transcript.pdf")
    assert transcript.status_code == 200 and b"Boss Admin" not in transcript.data
    assert client.get("/training/admin/users").status_code == 403
    page = client.get("/training/my/training").get_data(as_text=True)
    assert "Liam Learner" in page and "Boss Admin" not in page


def test_a_host_answer_sop_lms_refuses_gives_a_page_and_creates_nothing(host) -> None:
    with host.app_context():
        add_member("max@misconfigured.example", "Max Misconfigured", PASSWORD)
    client = host.test_client()
    _sign_in(client, "max@misconfigured.example")
    response = client.get("/training/my/training")
    assert response.status_code == 400 and "unknown app role" in response.get_data(as_text=True)
    with host.app_context():
        assert db.session.scalar(select(sa.func.count(User.id))) == 0


def test_an_account_sop_lms_made_is_never_handed_to_a_host_user_with_its_e_mail(host) -> None:
    with host.app_context():
        accounts.create_user(
            "liam@members.example", "Liam (sop-lms account)", "his sop-lms password", "admin"
        )
        add_member("liam@members.example", "Liam Learner", PASSWORD)
    client = host.test_client()
    _sign_in(client, "liam@members.example")
    response = client.get("/training/my/training")
    assert response.status_code == 400 and "administrator must resolve" in response.get_data(as_text=True)
    assert client.get("/training/admin/users").status_code == 400  # not the admin the e-mail names
    with host.app_context():
        kept = db.session.scalar(select(User).where(User.email == "liam@members.example"))
        assert (
            kept.app_role == "admin" and kept.host_subject is None and kept.name == "Liam (sop-lms account)"
        )


def test_the_account_follows_the_host_id_when_the_e_mail_changes(host) -> None:
    with host.app_context():
        member_id = add_member("liam@members.example", "Liam Learner", PASSWORD).id
    client = host.test_client()
    _sign_in(client, "liam@members.example")
    assert client.get("/training/my/training").status_code == 200
    with host.app_context():
        renamed = host_db.session.get(Member, member_id)
        renamed.email, renamed.name = "liam.l@members.example", "Liam L."
        host_db.session.commit()
    assert "Liam L." in client.get("/training/my/training").get_data(as_text=True)
    with host.app_context():
        users = db.session.scalars(select(User)).all()
        assert [(u.email, u.name, u.host_subject) for u in users] == [
            ("liam.l@members.example", "Liam L.", f"member-{member_id}")
        ]
        changes = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.update")).all()
        assert changes[-1].data["email"] == {"old": "liam@members.example", "new": "liam.l@members.example"}


def test_a_returning_host_user_is_read_without_a_write_transaction(host) -> None:
    """Every request in a host looks up the person's account: when nothing changed that is a read, not a
    use case (on SQLite a use case takes the database lock, so every page view would queue)."""
    with host.app_context():
        add_member("rita@members.example", "Rita Reader", PASSWORD)
    client = host.test_client()
    _sign_in(client, "rita@members.example")
    assert client.get("/training/my/training").status_code == 200  # the first visit creates the account
    begun_writing: list[bool] = []

    def on_begin(_session, _transaction, _connection) -> None:
        begun_writing.append(is_writing())

    event.listen(LmsSession, "after_begin", on_begin)
    try:
        assert client.get("/training/my/training").status_code == 200
    finally:
        event.remove(LmsSession, "after_begin", on_begin)
    assert begun_writing and not any(begun_writing)
