"""Completion figures for trainers and the completion report compliance officers download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import contains_eager

from lms.db import db, utcnow
from lms.models import Assignment, Enrolment, JobRole, Sop, SopRevision, User, user_job_roles
from lms.services.csv_export import csv_text

REPORT_COLUMNS = (
    "user",
    "email",
    "role",
    "sop_code",
    "revision",
    "status",
    "score",
    "completed_at",
    "due_at",
)


@dataclass(frozen=True)
class RoleCompletion:
    role: str
    enrolled: int
    completed: int
    overdue: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.completed / self.enrolled, 1) if self.enrolled else 0.0


def _required_through_roles():
    """(job role, enrolment) pairs: each enrolment once for every role of its user that requires the module.

    Counting through role membership rather than the assignment that created the enrolment keeps a person
    who holds two roles in both roles' figures.
    """
    return (
        select(JobRole.name.label("role"), Enrolment.id.label("enrolment_id"))
        .join(Assignment, Assignment.job_role_id == JobRole.id)
        .join(user_job_roles, user_job_roles.c.job_role_id == JobRole.id)
        .join(
            Enrolment,
            and_(Enrolment.user_id == user_job_roles.c.user_id, Enrolment.module_id == Assignment.module_id),
        )
    )


def completion_by_role(now: datetime | None = None) -> list[RoleCompletion]:
    """Enrolled, completed and overdue counts per job role, aggregated in the database."""
    now = now or utcnow()
    pairs = _required_through_roles().subquery()
    completed = Enrolment.status == "completed"
    overdue = and_(Enrolment.status != "completed", Enrolment.due_at < now)
    rows = db.session.execute(
        select(
            pairs.c.role,
            func.count(Enrolment.id),
            func.sum(case((completed, 1), else_=0)),
            func.sum(case((overdue, 1), else_=0)),
        )
        .join(Enrolment, Enrolment.id == pairs.c.enrolment_id)
        .group_by(pairs.c.role)
        .order_by(pairs.c.role)
    )
    return [RoleCompletion(name, total, int(done or 0), int(late or 0)) for name, total, done, late in rows]


def completion_rows(now: datetime | None = None) -> list[dict[str, str]]:
    """One row per enrolment and role requiring it: who, which SOP revision, and where they stand."""
    now = now or utcnow()
    pairs = _required_through_roles().subquery()
    query = (
        select(Enrolment, User, pairs.c.role, Sop.code, SopRevision.label)
        .join(User, Enrolment.user_id == User.id)
        .join(SopRevision, Enrolment.revision_id == SopRevision.id)
        .join(Sop, SopRevision.sop_id == Sop.id)
        .outerjoin(pairs, pairs.c.enrolment_id == Enrolment.id)
        .options(contains_eager(Enrolment.revision))  # display_status reads it: no query per row
        .order_by(User.name, Sop.code, pairs.c.role, Enrolment.id)
    )
    return [
        {
            "user": user.name,
            "email": user.email,
            "role": role or "",
            "sop_code": code,
            "revision": label,
            "status": enrolment.display_status(now),
            "score": "" if enrolment.score_percent is None else f"{enrolment.score_percent:.1f}",
            "completed_at": enrolment.completed_at.isoformat() if enrolment.completed_at else "",
            "due_at": enrolment.due_at.isoformat(),
        }
        for enrolment, user, role, code, label in db.session.execute(query)
    ]


def completion_csv(now: datetime | None = None) -> str:
    return csv_text(REPORT_COLUMNS, ([row[c] for c in REPORT_COLUMNS] for row in completion_rows(now)))
