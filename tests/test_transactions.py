"""The one transaction boundary: a use case commits when it returns, leaves nothing when it raises, and a
use case called from another joins it (only the outermost commits)."""

from __future__ import annotations

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
