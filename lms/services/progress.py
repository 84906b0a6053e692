"""Reading progress: which lessons of an enrolment the learner has read, and where to resume."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import Enrolment, Lesson, LessonProgress
from lms.services import audit
from lms.services.enrolments import enrolment_for
from lms.services.errors import NotFound
from lms.services.transactions import transactional


@dataclass(frozen=True)
class EnrolmentProgress:
    """How far a learner has read one enrolment's module. `resume_at` is the first unread lesson's position
    (None when every lesson is read); `read_at` maps lesson ids to when they were first read."""

    enrolment: Enrolment
    read_at: dict[int, datetime]

    @property
    def lessons(self) -> list[Lesson]:
        return self.enrolment.module.lessons

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def read(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.id in self.read_at)

    @property
    def resume_at(self) -> int | None:
        return next((n for n, lesson in enumerate(self.lessons) if lesson.id not in self.read_at), None)

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.total) if self.total else 100

    def is_read(self, lesson: Lesson) -> bool:
        return lesson.id in self.read_at


def progress_of(user_id: int, enrolment_id: int) -> EnrolmentProgress:
    """The user's own enrolment with its reading progress; another user's looks like a missing one."""
    enrolment = enrolment_for(user_id, enrolment_id)
    return EnrolmentProgress(enrolment, _read_at([enrolment.id]).get(enrolment.id, {}))


def lesson_at(progress: EnrolmentProgress, position: int) -> Lesson:
    if not 0 <= position < progress.total:
        raise NotFound("No such lesson.")
    return progress.lessons[position]


@transactional
def mark_read(user_id: int, enrolment_id: int, position: int) -> int | None:
    """Record that the learner read the lesson at `position`; returns the next lesson's position (None after
    the last one). Idempotent: the first read is kept, a repeat changes nothing. Reading the first lesson
    starts the training (assigned -> in progress)."""
    enrolment = enrolment_for(user_id, enrolment_id, lock=True)  # concurrent clicks run one after the other
    lessons = enrolment.module.lessons
    if not 0 <= position < len(lessons):
        raise NotFound("No such lesson.")
    lesson = lessons[position]
    already = db.session.scalar(
        select(LessonProgress.id).where(
            LessonProgress.enrolment_id == enrolment.id, LessonProgress.lesson_id == lesson.id
        )
    )
    if already is None:
        db.session.add(LessonProgress(enrolment_id=enrolment.id, lesson_id=lesson.id, read_at=utcnow()))
        if enrolment.status == "assigned":
            enrolment.status = "in_progress"
        db.session.flush()
        audit.record(
            "lesson.read",
            "enrolment",
            enrolment.id,
            {"lesson_id": lesson.id, "position": position, "title": lesson.title},
            user_id,
        )
    return position + 1 if position + 1 < len(lessons) else None


def _read_at(enrolment_ids: list[int]) -> dict[int, dict[int, datetime]]:
    found: dict[int, dict[int, datetime]] = {}
    if not enrolment_ids:
        return found
    rows = db.session.execute(
        select(LessonProgress.enrolment_id, LessonProgress.lesson_id, LessonProgress.read_at).where(
            LessonProgress.enrolment_id.in_(enrolment_ids)
        )
    )
    for enrolment_id, lesson_id, read_at in rows:
        found.setdefault(enrolment_id, {})[lesson_id] = read_at
    return found
