"""The one transaction boundary: a use case commits when it returns, leaves nothing when it raises, and a
use case called from another joins it (only the outermost commits)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.db import db
from lms.models import JobRole
from lms.services import accounts
from lms.services.errors import InvalidInput
from lms.services.transactions import commit_failure_record, transaction, transactional


def _roles() -> int:
    return db.session.scalar(select(func.count()).select_from(JobRole))


def test_a_use_case_commits_on_return(app_ctx):
    before = _roles()
    accounts.create_job_role("Boundary Commits", "Lab")
    db.session.rollback()  # what a commit kept survives a rollback
    assert _roles() == before + 1


def test_an_error_after_a_nested_use_case_leaves_nothing(app_ctx):
    before = _roles()

    @transactional
    def two_roles_then_fail() -> None:
        accounts.create_job_role("Boundary Nested One", "Lab")  # joins: does not commit on its own
        accounts.create_job_role("Boundary Nested Two", "Lab")
        raise InvalidInput("the second half failed")

    with pytest.raises(InvalidInput):
        two_roles_then_fail()
    assert _roles() == before
    assert db.session.scalar(select(JobRole).where(JobRole.name == "Boundary Nested One")) is None


def test_a_failing_use_case_rolls_back_its_own_writes(app_ctx):
    accounts.create_job_role("Boundary Duplicate", "Lab")
    before = _roles()
    with pytest.raises(InvalidInput, match="already exists"):
        accounts.create_job_role("Boundary Duplicate", "Lab")
    assert _roles() == before  # and the session is usable again
    with transaction():
        db.session.add(JobRole(name="Boundary After", department="Lab"))
    db.session.rollback()
    assert _roles() == before + 1


def test_depth_is_restored_after_an_error(app_ctx):
    with pytest.raises(RuntimeError), transaction():
        raise RuntimeError("boom")
    assert db.session.info.get("sop_lms.transaction_depth", 0) == 0


def test_a_failing_commit_rolls_back_and_leaves_the_session_usable(app_ctx):
    before = _roles()
    with pytest.raises(IntegrityError), transaction():
        db.session.add(JobRole(name="Boundary Twice", department="Lab"))
        db.session.add(JobRole(name="Boundary Twice", department="Lab"))  # fails at the commit's flush
    assert _roles() == before  # no PendingRollbackError: the boundary rolled back


def test_a_failure_record_is_kept_only_by_the_outermost_use_case(app_ctx):
    @transactional
    def inner() -> None:
        commit_failure_record()

    with pytest.raises(RuntimeError, match="nested"), transaction():
        inner()
    with transaction():
        commit_failure_record()  # outermost: allowed


# --- SQLite locking, on a database file with real commits (PostgreSQL runs the same steps) ---------------


def _hold_a_write(app, holding: threading.Event, release: threading.Event) -> threading.Thread:
    """A use case on another connection that has written and not yet committed, until `release`."""

    def write() -> None:
        with app.app_context():
            with transaction():
                accounts.create_job_role("Held Open", "Lab")
                db.session.flush()
                holding.set()
                release.wait(30)
            db.session.remove()

    thread = threading.Thread(target=write)
    thread.start()
    assert holding.wait(10), "the writer never started"
    return thread


def test_a_read_does_not_wait_for_a_writer(committed_app):
    holding, release = threading.Event(), threading.Event()
    writer = _hold_a_write(committed_app, holding, release)
    try:
        with committed_app.app_context():  # before: BEGIN IMMEDIATE waited 10 s, then "database is locked"
            names = db.session.scalars(select(JobRole.name)).all()
            db.session.remove()
    finally:
        release.set()
        writer.join(30)
    assert "Held Open" not in names  # the read saw the last committed state, not the writer's
    with committed_app.app_context():
        assert db.session.scalar(select(JobRole.id).where(JobRole.name == "Held Open")) is not None


def test_a_request_holds_no_lock_after_its_use_case_returns(committed_app):
    errors: list[BaseException] = []
    with committed_app.app_context():
        accounts.create_job_role("First Writer", "Lab")
        _roles()  # the request goes on reading (rendering its page) in a transaction of its own

        def second_writer() -> None:
            try:
                with committed_app.app_context():
                    accounts.create_job_role("Second Writer", "Lab")
                    db.session.remove()
            except BaseException as error:  # checked in the test's thread
                errors.append(error)

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join(30)
        db.session.remove()
    assert not errors, errors
    with committed_app.app_context():
        assert _roles() == 2


@pytest.mark.parametrize("committed_app", ["sqlite"], indirect=True)
def test_a_use_case_rereads_what_the_request_read_before_it(committed_app):
    """On SQLite the boundary ends the request's read snapshot: a use case never decides on a stale read.
    (PostgreSQL keeps the session's objects; its use cases re-read what they decide on with `locked`.)"""
    with committed_app.app_context():
        role = accounts.create_job_role("Renamed Elsewhere", "Lab")
        assert role.name == "Renamed Elsewhere"  # read in this request's snapshot

        def rename() -> None:
            with committed_app.app_context():
                with transaction():
                    db.session.get(JobRole, role_id).name = "Renamed"
                db.session.remove()

        role_id = role.id
        thread = threading.Thread(target=rename)
        thread.start()
        thread.join(30)
        with transaction():
            seen = db.session.get(JobRole, role_id).name
        db.session.remove()
    assert seen == "Renamed"
