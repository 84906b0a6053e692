"""Refresher training: the next cycle of a completed curriculum training, opened ahead of its due date."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import Assignment, Enrolment
from lms.services.enrolments import create_enrolment, latest_enrolment
from lms.services.transactions import transactional


@transactional
def schedule_refreshers(now: datetime | None = None, lead_days: int = 30) -> int:
    """Open the next cycle for every completed curriculum training whose refresher falls due.

    A refresher is due `recurrence_days` after the last completion; it is created `lead_days` before
    that, so people see it coming. Idempotent: running it twice creates nothing more.
    """
    now = now or utcnow()
    created = 0
    completed = db.session.scalars(
        select(Enrolment)
        .join(Assignment, Enrolment.assignment_id == Assignment.id)
        .where(Enrolment.status == "completed", Assignment.recurrence_days.is_not(None))
    )
    for enrolment in list(completed):
        assignment = enrolment.assignment
        due_at = enrolment.completed_at + timedelta(days=assignment.recurrence_days)
        if due_at - timedelta(days=lead_days) > now or enrolment.revision.status == "superseded":
            continue
        if latest_enrolment(enrolment.user_id, enrolment.module_id).id != enrolment.id:
            continue  # the next cycle exists already
        if enrolment.user not in assignment.job_role.members:
            continue  # left the role: no new requirements
        create_enrolment(
            enrolment.user,
            enrolment.module,
            due_at,
            None,
            assignment=assignment,
            kind="refresher",
            cycle=enrolment.cycle + 1,
            now=now,
        )
        created += 1
    return created
