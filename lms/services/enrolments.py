"""Assigning modules to job roles, and enrolling the people in those roles (now and when they join later)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.db import db, utcnow
from lms.models import Assignment, Enrolment, JobRole, SopRevision, TrainingModule, User
from lms.services import audit
from lms.services.errors import InvalidInput, NotFound
from lms.services.transactions import locked, transactional

MAX_DUE_DAYS = 3650


@transactional
def assign_module_to_role(
    module_id: int, job_role_id: int, due_days: int, actor_id: int | None, recurrence_days: int | None = None
) -> tuple[Assignment, int]:
    """Put the module's SOP on a role's curriculum; every member is enrolled now, joiners on joining.

    Returns the curriculum item and the number of new enrolments. `recurrence_days` asks for a refresher
    that long after each completion (e.g. 365 for an annual refresher).
    """
    module = db.session.get(TrainingModule, module_id)
    role = locked(JobRole, job_role_id)
    if module is None or role is None:
        raise NotFound("No such module or job role.")
    if module.status != "published":
        raise InvalidInput("Publish the module before assigning it.")
    if module.revision.status != "effective":
        raise InvalidInput("This module trains a superseded revision; assign the current revision's module.")
    if module.kind != "full":
        raise InvalidInput("A retraining (delta) module cannot go on a curriculum; assign the full module.")
    if not 1 <= due_days <= MAX_DUE_DAYS:
        raise InvalidInput(f"Due within must be between 1 and {MAX_DUE_DAYS} days.")
    if recurrence_days is not None and not 30 <= recurrence_days <= MAX_DUE_DAYS:
        raise InvalidInput(f"A refresher interval must be between 30 and {MAX_DUE_DAYS} days.")
    sop_id = module.revision.sop_id
    existing = db.session.scalar(
        select(Assignment).where(Assignment.sop_id == sop_id, Assignment.job_role_id == job_role_id)
    )
    if existing is not None:
        raise InvalidInput(f"{module.revision.sop.code} is already on the curriculum of {role.name}.")
    assignment = Assignment(
        sop_id=sop_id,
        module=module,
        job_role=role,
        due_days=due_days,
        recurrence_days=recurrence_days,
        created_by_id=actor_id,
    )
    db.session.add(assignment)
    db.session.flush()
    audit.record(
        "assignment.create",
        "assignment",
        assignment.id,
        {
            "sop": module.revision.sop.code,
            "module": module.title,
            "job_role": role.name,
            "due_days": due_days,
            "recurrence_days": recurrence_days,
        },
        actor_id,
    )
    now = utcnow()
    created = sum(_enrol(member, assignment, now, actor_id) for member in role.members)
    return assignment, created


def enrol_new_member(user: User, role: JobRole, actor_id: int | None) -> int:
    """Called in the transaction that adds `user` to `role`: enrol them in everything the role requires."""
    assignments = db.session.scalars(
        select(Assignment)
        .join(TrainingModule, Assignment.module_id == TrainingModule.id)
        .join(SopRevision, TrainingModule.revision_id == SopRevision.id)
        .where(
            Assignment.job_role_id == role.id,
            TrainingModule.status == "published",
            SopRevision.status == "effective",
        )
    ).all()
    now = utcnow()
    return sum(_enrol(user, assignment, now, actor_id) for assignment in assignments)


def _enrol(user: User, assignment: Assignment, now: datetime, actor_id: int | None) -> int:
    due_at = due_date(now, assignment.due_days)
    existing = latest_enrolment(user.id, assignment.module_id)
    if existing is not None:
        if existing.status != "completed" and due_at < existing.due_at:
            audit.record(
                "enrolment.due_change",
                "enrolment",
                existing.id,
                {"old": existing.due_at, "new": due_at, "reason": f"required by {assignment.job_role.name}"},
                actor_id,
            )
            existing.due_at = due_at  # a second role that needs it sooner brings the deadline forward
        return 0
    create_enrolment(user, assignment.module, due_at, actor_id, assignment=assignment, now=now)
    return 1


def latest_enrolment(user_id: int, module_id: int) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment)
        .where(Enrolment.user_id == user_id, Enrolment.module_id == module_id)
        .order_by(Enrolment.cycle.desc())
        .limit(1)
    )


def create_enrolment(
    user: User,
    module: TrainingModule,
    due_at: datetime,
    actor_id: int | None,
    *,
    assignment: Assignment | None = None,
    kind: str = "initial",
    completion: str = "quiz",
    cycle: int = 1,
    now: datetime | None = None,
) -> Enrolment:
    """The one place enrolments are made, so every kind (initial, retraining, refresher, individual) is
    audited the same way."""
    enrolment = Enrolment(
        user=user,
        module=module,
        revision_id=module.revision_id,
        assignment=assignment,
        assigned_at=now or utcnow(),
        due_at=due_at,
        kind=kind,
        completion=completion,
        cycle=cycle,
    )
    db.session.add(enrolment)
    db.session.flush()
    audit.record(
        "enrolment.create",
        "enrolment",
        enrolment.id,
        {
            "user": user.email,
            "module_id": module.id,
            "kind": kind,
            "completion": completion,
            "due_at": due_at,
        },
        actor_id,
    )
    return enrolment


def due_date(start: datetime, days: int) -> datetime:
    """Due at the end of the day (UTC) `days` after `start`, so a learner never turns overdue mid-day."""
    end = start + timedelta(days=days)
    return end.replace(hour=23, minute=59, second=59, microsecond=0)


def enrolments_for(user_id: int) -> list[Enrolment]:
    """A learner's training, soonest due first."""
    return list(
        db.session.scalars(
            select(Enrolment)
            .where(Enrolment.user_id == user_id)
            .options(  # what the dashboard shows, in one query per relation whatever the number of rows
                selectinload(Enrolment.revision)
                .load_only(SopRevision.label, SopRevision.status, SopRevision.sop_id)  # not the document
                .selectinload(SopRevision.sop),
                selectinload(Enrolment.module).selectinload(TrainingModule.lessons),
            )
            .order_by(Enrolment.due_at, Enrolment.id)
        )
    )


def enrolment_for(user_id: int, enrolment_id: int, lock: bool = False) -> Enrolment:
    """The user's own enrolment; another user's looks exactly like a missing one."""
    enrolment = locked(Enrolment, enrolment_id) if lock else db.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.user_id != user_id:
        raise NotFound("No such training assignment.")
    return enrolment


def assignments_of(module_id: int) -> list[Assignment]:
    return list(
        db.session.scalars(
            select(Assignment).where(Assignment.module_id == module_id).order_by(Assignment.id)
        )
    )


def complete_by_acknowledgement(
    user_id: int, revision_id: int, signed_at: datetime, actor_id: int | None
) -> int:
    """A signed "read and understood" completes the person's open acknowledgement-only training on that
    revision, in the signing transaction. Returns how many enrolments it completed."""
    open_ones = db.session.scalars(
        select(Enrolment).where(
            Enrolment.user_id == user_id,
            Enrolment.revision_id == revision_id,
            Enrolment.completion == "acknowledgement",
            Enrolment.status != "completed",
        )
    ).all()
    for enrolment in open_ones:
        enrolment.status = "completed"
        enrolment.completed_at = signed_at
        audit.record("enrolment.complete", "enrolment", enrolment.id, {"by": "acknowledgement"}, actor_id)
    return len(open_ones)
