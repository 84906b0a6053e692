"""The demo organisation `make run` seeds: realistic, complete, and with something on every dashboard."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.analytics import completion, overview
from lms.analytics.filters import ReportFilters
from lms.db import db, utcnow
from lms.models import Attempt, Enrolment, JobRole, Sop, User
from lms.services import demo


def test_seed_demo_builds_a_working_organisation(app_ctx) -> None:
    assert not demo.has_users()
    summary = demo.seed_demo()
    assert demo.has_users()
    assert summary.users == db.session.scalar(select(func.count(User.id))) == 40
    assert summary.job_roles == db.session.scalar(select(func.count(JobRole.id))) == len(demo.JOB_ROLES)
    assert summary.sops == db.session.scalar(select(func.count(Sop.id))) == 11
    expected_enrolments = sum(len(files) * headcount for _, files, headcount in demo.JOB_ROLES.values())
    retrained = demo.JOB_ROLES["IT Operations Engineer"][2]  # revision 2 of the on-call SOP retrains them all
    assert summary.enrolments == expected_enrolments + retrained
    assert summary.attempts == db.session.scalar(select(func.count(Attempt.id))) > 20
    app_roles = set(db.session.scalars(select(User.app_role)))
    assert app_roles == {"admin", "trainer", "compliance", "learner"}

    now = utcnow()
    statuses = [e.display_status(now) for e in db.session.scalars(select(Enrolment))]
    assert {"completed", "overdue", "not_started"} <= set(statuses)
    by_role = completion.by_role(now=now)
    assert len(by_role) == len(demo.JOB_ROLES) and any(r.counts["completed"] for r in by_role)

    learner = db.session.scalar(select(User).where(User.email == demo.DEMO_LOGINS[3][1]))
    own = db.session.scalars(select(Enrolment).where(Enrolment.user_id == learner.id))
    mine = [e.display_status(now) for e in own]
    assert mine.count("completed") == 1 and "overdue" not in mine and len(mine) >= 2
    trend = overview.overview(ReportFilters()).trend
    on_call = [t for t in trend if t.sop_code == "DOC-BEING-CALL"]
    assert [(t.revision, t.order) for t in on_call] == [("1", 1), ("2", 2)] and on_call[1].first_attempts >= 3
    for attempt in db.session.scalars(select(Attempt)):
        assert attempt.submitted_at is not None and attempt.submitted_at <= now
        assert attempt.submitted_at >= attempt.enrolment.assigned_at
