"""Completion figures for trainers and the completion report compliance officers download."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, select

from lms.db import db, utcnow
from lms.models import Assignment, Enrolment, JobRole, Sop, SopRevision, User

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


def completion_by_role(now: datetime | None = None) -> list[RoleCompletion]:
    """Enrolled, completed and overdue counts per job role, aggregated in the database."""
    now = now or utcnow()
    completed = Enrolment.status == "completed"
    overdue = and_(Enrolment.status != "completed", Enrolment.due_at < now)
    rows = db.session.execute(
        select(
            JobRole.name,
            func.count(Enrolment.id),
            func.sum(case((completed, 1), else_=0)),
            func.sum(case((overdue, 1), else_=0)),
        )
        .join(Assignment, Assignment.job_role_id == JobRole.id)
        .join(Enrolment, Enrolment.assignment_id == Assignment.id)
        .group_by(JobRole.name)
        .order_by(JobRole.name)
    )
    return [RoleCompletion(name, total, int(done or 0), int(late or 0)) for name, total, done, late in rows]


def completion_rows(now: datetime | None = None) -> list[dict[str, str]]:
    """One row per enrolment: who, through which role, which SOP revision, and where they stand."""
    now = now or utcnow()
    query = (
        select(Enrolment, User, JobRole.name, Sop.code, SopRevision.label)
        .join(User, Enrolment.user_id == User.id)
        .join(SopRevision, Enrolment.revision_id == SopRevision.id)
        .join(Sop, SopRevision.sop_id == Sop.id)
        .outerjoin(Assignment, Enrolment.assignment_id == Assignment.id)
        .outerjoin(JobRole, Assignment.job_role_id == JobRole.id)
        .order_by(User.name, Sop.code, Enrolment.id)
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
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in completion_rows(now):
        writer.writerow({key: _defuse_formula(value) for key, value in row.items()})
    return buffer.getvalue()


def _defuse_formula(value: str) -> str:
    """Stop a name like '=HYPERLINK(...)' from running as a formula when opened in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
