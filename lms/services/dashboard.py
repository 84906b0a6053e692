"""A learner's dashboard: every training soonest due first, with how far each is read, in three plain
queries (the trainings with their module, revision and SOP in one join; the modules' lessons; the lessons
read) and no ORM objects: it is the page every learner opens first, so at 20,000 learners it is read more
than any other (issue 12: ORM loading was most of its time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import Enrolment, Lesson, LessonProgress, Sop, SopRevision, TrainingModule
from lms.models.enrolment import status_of


@dataclass(frozen=True)
class Card:
    """One training on the dashboard. `lessons` are the module's (id, title) in order; `read` the ids of
    those read."""

    enrolment_id: int
    module_title: str
    status: str  # stored: assigned, in_progress, completed
    display_status: str  # what the badge says (`status_of`)
    completion: str
    due_at: datetime
    completed_at: datetime | None
    score_percent: float | None
    sop_code: str
    revision_label: str
    lessons: tuple[tuple[int, str], ...]
    read_ids: frozenset[int]

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def read(self) -> int:
        return sum(1 for lesson_id, _title in self.lessons if lesson_id in self.read_ids)

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.total) if self.total else 100

    @property
    def resume_at(self) -> int | None:
        """The first unread lesson's position, None when every lesson is read."""
        return next(
            (n for n, (lesson_id, _t) in enumerate(self.lessons) if lesson_id not in self.read_ids), None
        )

    @property
    def resume_title(self) -> str:
        return "" if self.resume_at is None else self.lessons[self.resume_at][1]


@dataclass(frozen=True)
class Dashboard:
    cards: list[Card]
    now: datetime

    @property
    def completed(self) -> int:
        return sum(1 for card in self.cards if card.status == "completed")

    @property
    def overdue(self) -> int:
        return sum(1 for card in self.cards if card.display_status == "overdue")

    @property
    def lessons_read(self) -> int:
        return sum(card.read for card in self.cards)

    @property
    def lessons_total(self) -> int:
        return sum(card.total for card in self.cards)


def dashboard(user_id: int, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    trainings = db.session.execute(
        select(
            Enrolment.id,
            Enrolment.module_id,
            Enrolment.status,
            Enrolment.completion,
            Enrolment.due_at,
            Enrolment.completed_at,
            Enrolment.score_percent,
            TrainingModule.title,
            SopRevision.label,
            SopRevision.status.label("revision_status"),
            Sop.code,
        )
        .join(TrainingModule, TrainingModule.id == Enrolment.module_id)
        .join(SopRevision, SopRevision.id == Enrolment.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Enrolment.user_id == user_id)
        .order_by(Enrolment.due_at, Enrolment.id)
    ).all()
    lessons: dict[int, list[tuple[int, str]]] = {}
    read: dict[int, set[int]] = {}
    if trainings:
        for module_id, lesson_id, title in db.session.execute(
            select(Lesson.module_id, Lesson.id, Lesson.title)
            .where(Lesson.module_id.in_({row.module_id for row in trainings}))
            .order_by(Lesson.module_id, Lesson.position)
        ):
            lessons.setdefault(module_id, []).append((lesson_id, title))
        for enrolment_id, lesson_id in db.session.execute(
            select(LessonProgress.enrolment_id, LessonProgress.lesson_id).where(
                LessonProgress.enrolment_id.in_([row.id for row in trainings])
            )
        ):
            read.setdefault(enrolment_id, set()).add(lesson_id)
    cards = [
        Card(
            enrolment_id=row.id,
            module_title=row.title,
            status=row.status,
            display_status=status_of(row.status, row.due_at, row.revision_status, now),
            completion=row.completion,
            due_at=row.due_at,
            completed_at=row.completed_at,
            score_percent=row.score_percent,
            sop_code=row.code,
            revision_label=row.label,
            lessons=tuple(lessons.get(row.module_id, ())),
            read_ids=frozenset(read.get(row.id, ())),
        )
        for row in trainings
    ]
    return Dashboard(cards, now)
