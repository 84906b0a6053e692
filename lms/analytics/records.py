"""One person's record for one SOP: where they stand, every training on every revision with its attempts,
and every signature they gave on it. What a matrix cell opens, and what an inspector asks to see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.analytics import standing
from lms.db import db, utcnow
from lms.models import Enrolment, Signature, SopRevision, User
from lms.models.enrolment import status_of
from lms.services.errors import NotFound


@dataclass(frozen=True)
class AttemptLine:
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score_percent: float | None
    passed: bool | None


@dataclass(frozen=True)
class TrainingLine:
    revision: str
    revision_status: str
    kind: str
    status: str  # the display status
    assigned_at: datetime
    due_at: datetime
    completed_at: datetime | None
    score_percent: float | None
    attempts: list[AttemptLine]


@dataclass(frozen=True)
class SignatureLine:
    revision: str
    meaning: str
    printed_name: str
    signed_at: datetime


@dataclass(frozen=True)
class SopRecord:
    person: User
    roles: list[str]
    sop: standing.SopInForce
    standing: str | None  # None: the person does not need the SOP
    trainings: list[TrainingLine]
    signatures: list[SignatureLine]

    @property
    def standing_label(self) -> str:
        return standing.LABELS[self.standing] if self.standing else "Not required"


def sop_record(user_id: int, sop_id: int, now: datetime | None = None) -> SopRecord:
    now = now or utcnow()
    person = db.session.get(User, user_id)
    if person is None:
        raise NotFound("No such person.")
    sop = standing.sop_in_force(sop_id)
    found = db.session.connection().execute(standing.standings(now, [sop_id], [user_id])).first()
    enrolments = db.session.scalars(
        select(Enrolment)
        .join(SopRevision, SopRevision.id == Enrolment.revision_id)
        .where(Enrolment.user_id == user_id, SopRevision.sop_id == sop_id)
        .options(selectinload(Enrolment.attempts), selectinload(Enrolment.revision))
        .order_by(Enrolment.assigned_at.desc(), Enrolment.id.desc())
    ).all()
    trainings = [
        TrainingLine(
            e.revision.label,
            e.revision.status,
            e.kind,
            status_of(e.status, e.due_at, e.revision.status, now),
            e.assigned_at,
            e.due_at,
            e.completed_at,
            e.score_percent,
            [
                AttemptLine(a.number, a.started_at, a.submitted_at, a.score_percent, a.passed)
                for a in e.attempts
            ],
        )
        for e in enrolments
    ]
    signed = db.session.execute(
        select(SopRevision.label, Signature.meaning, Signature.printed_name, Signature.signed_at)
        .join(SopRevision, SopRevision.id == Signature.revision_id)
        .where(Signature.user_id == user_id, SopRevision.sop_id == sop_id)
        .order_by(Signature.signed_at.desc())
    ).all()
    roles = sorted(f"{r.name} ({r.department})" if r.department else r.name for r in person.job_roles)
    return SopRecord(
        person,
        roles,
        sop,
        found.standing if found else None,
        trainings,
        [SignatureLine(*row) for row in signed],
    )
