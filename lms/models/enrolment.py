"""Who must complete which module: role assignments, the enrolments they create, attempts and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    case,
    literal_column,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import UTCDateTime, db, utcnow
from lms.models.sop import SopRevision
from lms.models.training import Question, Quiz, TrainingModule
from lms.models.user import JobRole, User

ENROLMENT_STATUSES = ("assigned", "in_progress", "completed")  # what is stored
# what every page, export and figure shows: derived from the stored status, the due date and the revision
DISPLAY_STATUSES = ("completed", "in_progress", "not_started", "overdue", "superseded")


def status_of(stored: str, due_at: datetime, revision_status: str, now: datetime) -> str:
    """The display status: superseded when the revision trained on was replaced (the history stays, the
    person needs the newer training); else completed; else overdue past the due date; else in progress or
    not started. `status_expression` is the same rule in SQL."""
    if revision_status == "superseded":
        return "superseded"
    if stored == "completed":
        return "completed"
    if due_at < now:
        return "overdue"
    return "in_progress" if stored == "in_progress" else "not_started"


def status_expression(now: datetime):
    """`status_of` as a SQL CASE over Enrolment and its SopRevision (the query joins the revision)."""
    return case(
        (SopRevision.status == "superseded", literal_column("'superseded'")),
        (Enrolment.status == "completed", literal_column("'completed'")),
        (Enrolment.due_at < now, literal_column("'overdue'")),
        (Enrolment.status == "in_progress", literal_column("'in_progress'")),
        else_=literal_column("'not_started'"),
    )


class Assignment(db.Model):
    """A job role's curriculum item: its members must be trained on an SOP within `due_days` of joining.

    `module` is the SOP's training in force (it moves to the new module when a revision is published, so
    new joiners always get the current revision); `recurrence_days` asks for a refresher that long after
    each completion.
    """

    __tablename__ = "lms_assignment"
    __table_args__ = (UniqueConstraint("sop_id", "job_role_id", name="uq_lms_assignment_sop_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("lms_sop.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_module.id", ondelete="CASCADE"), index=True)
    job_role_id: Mapped[int] = mapped_column(ForeignKey("lms_job_role.id", ondelete="CASCADE"), index=True)
    due_days: Mapped[int] = mapped_column(Integer, default=14)
    recurrence_days: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    module: Mapped[TrainingModule] = relationship()
    job_role: Mapped[JobRole] = relationship()


class Enrolment(db.Model):
    """One user's obligation to complete one module (and so one SOP revision)."""

    __tablename__ = "lms_enrolment"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id", "cycle", name="uq_lms_enrolment_user_module_cycle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_module.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("lms_sop_revision.id"), index=True)
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("lms_assignment.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="assigned")
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score_percent: Mapped[float | None] = mapped_column(Float)
    # initial (joined a role), retraining (new revision), refresher (recurrence), individual (by hand)
    kind: Mapped[str] = mapped_column(String(20), default="initial")
    # quiz: passing the quiz completes it; acknowledgement: a signed "read and understood" does
    completion: Mapped[str] = mapped_column(String(20), default="quiz")
    cycle: Mapped[int] = mapped_column(Integer, default=1)

    user: Mapped[User] = relationship()
    module: Mapped[TrainingModule] = relationship()
    revision: Mapped[SopRevision] = relationship()
    assignment: Mapped[Assignment | None] = relationship()
    attempts: Mapped[list[Attempt]] = relationship(back_populates="enrolment", order_by="Attempt.number")

    def display_status(self, now: datetime | None = None) -> str:
        """Derived at read time, never stored (`status_of`)."""
        return status_of(self.status, self.due_at, self.revision.status, now or utcnow())


class Attempt(db.Model):
    __tablename__ = "lms_attempt"
    __table_args__ = (
        UniqueConstraint("enrolment_id", "number", name="uq_lms_attempt_enrolment_number"),
        # a learner's attempts at one quiz: "is this the first attempt?" in every first-attempt statistic
        Index("ix_lms_attempt_user_id_quiz_id", "user_id", "quiz_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("lms_enrolment.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"))
    quiz_id: Mapped[int] = mapped_column(ForeignKey("lms_quiz.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    question_ids: Mapped[list[int]] = mapped_column(JSON)
    # question id (as text) -> permutation: the option shown at position i is the question's option perm[i]
    option_orders: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score_percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    enrolment: Mapped[Enrolment] = relationship(back_populates="attempts")
    user: Mapped[User] = relationship()
    quiz: Mapped[Quiz] = relationship()
    responses: Mapped[list[Response]] = relationship(back_populates="attempt", cascade="all, delete-orphan")


class Response(db.Model):
    __tablename__ = "lms_response"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id", name="uq_lms_response_attempt_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("lms_attempt.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("lms_question.id", ondelete="CASCADE"), index=True)
    value: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)

    attempt: Mapped[Attempt] = relationship(back_populates="responses")
    question: Mapped[Question] = relationship()


def is_miss(score: float) -> bool:
    """Below full marks: the learner did not fully understand the step (partial credit is a miss)."""
    return score < 1


def missed():
    """`is_miss` in SQL: 1 for a miss, else 0, as literals (bound parameters would make PostgreSQL sum
    numerics)."""
    return case((Response.score < literal_column("1"), literal_column("1")), else_=literal_column("0"))
