"""Training records an inspector asks to see: one person's record for one SOP (where they stand, every
training on every revision with its attempts, every signature they gave on it: what a matrix cell opens),
the people whose records there are, and the SOP training record (everyone trained on one revision)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from lms.analytics import standing
from lms.db import db, utcnow
from lms.models import Attempt, Enrolment, Signature, Sop, SopRevision, User
from lms.models.enrolment import status_of
from lms.paging import Page, clamp_page
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
        if self.standing:
            return standing.LABELS[self.standing]
        return "Not required" if self.person.active else "Not tracked: the account is deactivated"


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
        .options(
            selectinload(Enrolment.attempts),
            # the label and status shown, not the revision's source file and structure
            selectinload(Enrolment.revision).load_only(SopRevision.label, SopRevision.status),
        )
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


# --- people, to find the one whose record an inspector asks for ------------------------------------------

PEOPLE_PER_PAGE = 50


@dataclass(frozen=True)
class PersonLine:
    id: int
    name: str
    email: str
    active: bool


def people_page(search: str = "", page: int = 1, per_page: int = PEOPLE_PER_PAGE) -> Page[PersonLine]:
    """Everyone (deactivated people too: their records stay), by name, found by name or e-mail."""
    query = select(User.id, User.name, User.email, User.active)
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(func.lower(User.name).like(pattern) | func.lower(User.email).like(pattern))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp_page(page, total, per_page)
    rows = db.session.execute(
        query.order_by(User.name, User.id).limit(per_page).offset((page - 1) * per_page)
    )
    return Page([PersonLine(*row) for row in rows], page, per_page, total)


# --- the SOP training record: everyone trained on one revision --------------------------------------------


@dataclass(frozen=True)
class RevisionInfo:
    id: int
    sop_id: int
    code: str
    title: str
    label: str
    status: str
    effective_date: date | None
    content_hash: str


@dataclass(frozen=True)
class TrainedLine:
    user_id: int
    name: str
    email: str
    completed_at: datetime
    score_percent: float | None
    attempts: int
    meaning: str | None  # the person's latest signature on the revision
    signed_at: datetime | None


def revision_info(revision_id: int) -> RevisionInfo:
    found = db.session.execute(
        select(
            SopRevision.id,
            Sop.id,
            Sop.code,
            SopRevision.title,
            SopRevision.label,
            SopRevision.status,
            SopRevision.effective_date,
            SopRevision.content_hash,
        )
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(SopRevision.id == revision_id)
    ).first()
    if found is None:
        raise NotFound("No such SOP revision.")
    return RevisionInfo(*found)


def trained_on(revision_id: int) -> Select:
    """Everyone who completed training on the revision (their latest completion), by name, with their
    attempts on it and their latest signature on it."""
    last = (  # each person's latest completed training on the revision: its time and its score
        select(Enrolment.user_id, func.max(Enrolment.id).label("id"))
        .where(Enrolment.revision_id == revision_id, Enrolment.status == "completed")
        .group_by(Enrolment.user_id)
        .subquery()
    )
    completed = (
        select(Enrolment.user_id, Enrolment.completed_at, Enrolment.score_percent)
        .join(last, last.c.id == Enrolment.id)
        .subquery()
    )
    tries = (
        select(Enrolment.user_id, func.count(Attempt.id).label("attempts"))
        .join(Attempt, Attempt.enrolment_id == Enrolment.id)
        .where(Enrolment.revision_id == revision_id, Attempt.submitted_at.is_not(None))
        .group_by(Enrolment.user_id)
        .subquery()
    )
    latest = (
        select(Signature.user_id, func.max(Signature.id).label("id"))
        .where(Signature.revision_id == revision_id)
        .group_by(Signature.user_id)
        .subquery()
    )
    return (
        select(
            User.id,
            User.name,
            User.email,
            completed.c.completed_at,
            completed.c.score_percent,
            func.coalesce(tries.c.attempts, 0),
            Signature.meaning,
            Signature.signed_at,
        )
        .join(completed, completed.c.user_id == User.id)
        .outerjoin(tries, tries.c.user_id == User.id)
        .outerjoin(latest, latest.c.user_id == User.id)
        .outerjoin(Signature, Signature.id == latest.c.id)
        .order_by(User.name, User.id)
    )


def trained_page(revision_id: int, page: int = 1, per_page: int = PEOPLE_PER_PAGE) -> Page[TrainedLine]:
    query = trained_on(revision_id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp_page(page, total, per_page)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    return Page([TrainedLine(*row) for row in rows], page, per_page, total)


def trained_rows(revision_id: int) -> Iterator[TrainedLine]:
    for row in db.session.connection().execute(trained_on(revision_id).execution_options(yield_per=1000)):
        yield TrainedLine(*row)


def revisions_of(sop_id: int) -> list[RevisionInfo]:
    """Every revision of an SOP, newest first, for links to their training records."""
    ids = db.session.scalars(
        select(SopRevision.id).where(SopRevision.sop_id == sop_id).order_by(SopRevision.id.desc())
    ).all()
    return [revision_info(revision_id) for revision_id in ids]
