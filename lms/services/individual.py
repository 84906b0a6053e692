"""Assigning a module to particular people, picked by hand or a whole department, outside any job role's
curriculum (a CSV file of them: `csv_assignment`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import JobRole, Sop, SopRevision, TrainingModule, User, user_job_roles
from lms.services import audit
from lms.services.enrolments import create_enrolment, latest_enrolment
from lms.services.errors import InvalidInput, NotFound
from lms.services.transactions import transactional


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def _check_due(day: date | None) -> datetime:
    if day is None:
        raise InvalidInput("Choose a due date.")
    if day < utcnow().date():
        raise InvalidInput("The due date is in the past.")
    return end_of_day(day)


def current_module(sop: Sop) -> TrainingModule | None:
    """The published full module of the SOP's effective revision: what "train on this SOP" means now."""
    return db.session.scalar(
        select(TrainingModule)
        .join(SopRevision, TrainingModule.revision_id == SopRevision.id)
        .where(
            SopRevision.sop_id == sop.id,
            SopRevision.status == "effective",
            TrainingModule.status == "published",
            TrainingModule.kind == "full",
        )
        .limit(1)
    )


def departments() -> list[str]:
    return list(
        db.session.scalars(select(JobRole.department).where(JobRole.department.is_not(None)).distinct())
    )


def people_in_department(department: str) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(user_job_roles, user_job_roles.c.user_id == User.id)
            .join(JobRole, JobRole.id == user_job_roles.c.job_role_id)
            .where(JobRole.department == department, User.active.is_(True))
            .distinct()
            .order_by(User.name)
        )
    )


@transactional
def assign_to_people(
    module_id: int, user_ids: list[int], department: str | None, due_on: date | None, actor_id: int | None
) -> tuple[int, int]:
    """Enrol the chosen people (and a department's members); returns (enrolled, already had it)."""
    module = db.session.get(TrainingModule, module_id)
    if module is None:
        raise NotFound("No such module.")
    if module.status != "published":
        raise InvalidInput("Publish the module before assigning it.")
    due_at = _check_due(due_on)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids or [-1])))}
    if department:
        people.update({u.id: u for u in people_in_department(department)})
    if not people:
        raise InvalidInput("Choose at least one person or a department.")
    enrolled = skipped = 0
    for person in people.values():
        existing = latest_enrolment(person.id, module.id)
        if existing is not None and existing.status != "completed":
            skipped += 1
            continue
        cycle = existing.cycle + 1 if existing is not None else 1
        create_enrolment(person, module, due_at, actor_id, kind="individual", cycle=cycle)
        enrolled += 1
    audit.record(
        "assignment.individual",
        "module",
        module.id,
        {"people": sorted(people), "department": department, "due_at": due_at, "enrolled": enrolled},
        actor_id,
    )
    return enrolled, skipped
