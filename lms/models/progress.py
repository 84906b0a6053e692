"""A learner's progress inside an enrolment: which lessons were read, and the deadline of a timed attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import UTCDateTime, db, utcnow


class LessonProgress(db.Model):
    """A lesson was read within an enrolment; only the first read is kept (marking is idempotent)."""

    __tablename__ = "lms_lesson_progress"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "lesson_id", name="uq_lms_lesson_progress_enrolment_lesson"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("lms_enrolment.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lms_lesson.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AttemptDeadline(db.Model):
    """The deadline fixed when a timed attempt starts: changing the quiz's limit later moves no one's clock.

    `timed_out` is set when the attempt is closed unscored because its time ran out.
    """

    __tablename__ = "lms_attempt_deadline"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("lms_attempt.id", ondelete="CASCADE"), primary_key=True
    )
    time_limit_minutes: Mapped[int]
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime())
    timed_out: Mapped[bool] = mapped_column(Boolean, default=False)
