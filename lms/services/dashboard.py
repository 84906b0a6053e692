"""A learner's dashboard: every training soonest due first, with how far each is read, in one Core query
(each training joined to its module, revision and SOP, and to its module's lessons with whether each is
read: one row per lesson) and no ORM objects. It is the page every learner opens first, so at 20,000
learners it is read more than any other (issue 12: ORM loading was most of its time, then the ORM's
per-statement work for three small queries). The statement is built once and run on the connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy import and_, bindparam, select

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


_E, _L, _P = Enrolment.__table__, Lesson.__table__, LessonProgress.__table__
_M, _R, _S = TrainingModule.__table__, SopRevision.__table__, Sop.__table__
_TRAININGS = (
    select(
        _E.c.id,
        _E.c.status,
        _E.c.completion,
        _E.c.due_at,
        _E.c.completed_at,
        _E.c.score_percent,
        _M.c.title,
        _R.c.label,
        _R.c.status.label("revision_status"),
        _S.c.code,
        _L.c.id.label("lesson_id"),
        _L.c.title.label("lesson_title"),
        _P.c.lesson_id.label("read_id"),
    )
    .select_from(
        _E.join(_M, _M.c.id == _E.c.module_id)
        .join(_R, _R.c.id == _E.c.revision_id)
        .join(_S, _S.c.id == _R.c.sop_id)
        .outerjoin(_L, _L.c.module_id == _E.c.module_id)
        .outerjoin(_P, and_(_P.c.enrolment_id == _E.c.id, _P.c.lesson_id == _L.c.id))
    )
    .where(_E.c.user_id == bindparam("user_id"))
    .order_by(_E.c.due_at, _E.c.id, _L.c.position)
)


def dashboard(user_id: int, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    cards: list[Card] = []
    rows = groupby(db.session.connection().execute(_TRAININGS, {"user_id": user_id}), key=lambda row: row.id)
    for _enrolment_id, lesson_rows in rows:
        first, *rest = lesson_rows
        lessons = [first, *rest] if first.lesson_id is not None else []
        cards.append(
            Card(
                enrolment_id=first.id,
                module_title=first.title,
                status=first.status,
                display_status=status_of(first.status, first.due_at, first.revision_status, now),
                completion=first.completion,
                due_at=first.due_at,
                completed_at=first.completed_at,
                score_percent=first.score_percent,
                sop_code=first.code,
                revision_label=first.label,
                lessons=tuple((row.lesson_id, row.lesson_title) for row in lessons),
                read_ids=frozenset(row.read_id for row in lessons if row.read_id is not None),
            )
        )
    return Dashboard(cards, now)
