"""Training modules built from one SOP revision: lessons to read and a quiz to pass."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Float, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import UTCDateTime, db, utcnow
from lms.models.sop import SopRevision, SopRule, SopSection, SopStep

MODULE_STATUSES = ("draft", "published", "retired")
QUESTION_STATUSES = ("draft", "approved", "rejected", "retired")


class TrainingModule(db.Model):
    __tablename__ = "lms_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("lms_sop_revision.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # full: the whole revision; delta: only the steps changed since `base_revision` (retraining)
    kind: Mapped[str] = mapped_column(String(20), default="full")
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("lms_sop_revision.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    revision: Mapped[SopRevision] = relationship(foreign_keys=[revision_id])
    base_revision: Mapped[SopRevision | None] = relationship(foreign_keys=[base_revision_id])
    lessons: Mapped[list[Lesson]] = relationship(
        back_populates="module", order_by="Lesson.position", cascade="all, delete-orphan"
    )
    quiz: Mapped[Quiz] = relationship(back_populates="module", uselist=False, cascade="all, delete-orphan")


class Lesson(db.Model):
    __tablename__ = "lms_lesson"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_module.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("lms_sop_section.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    # a delta lesson shows only these steps of its section (step keys); None shows the whole section
    step_keys: Mapped[list[str] | None] = mapped_column(JSON)

    module: Mapped[TrainingModule] = relationship(back_populates="lessons")
    section: Mapped[SopSection | None] = relationship()

    @property
    def steps(self) -> list:
        steps = self.section.steps if self.section else []
        return steps if self.step_keys is None else [s for s in steps if s.key in self.step_keys]


class Quiz(db.Model):
    __tablename__ = "lms_quiz"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("lms_module.id", ondelete="CASCADE"), unique=True)
    pass_mark: Mapped[int] = mapped_column(Integer, default=80)
    questions_per_attempt: Mapped[int | None] = mapped_column(Integer)
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)  # None: no timer
    # partial credit on multiple-response, ordering and matching items; False: all or nothing
    partial_credit: Mapped[bool] = mapped_column(Boolean, default=True)

    module: Mapped[TrainingModule] = relationship(back_populates="quiz")
    questions: Mapped[list[Question]] = relationship(
        back_populates="quiz", order_by="Question.position", cascade="all, delete-orphan"
    )

    @property
    def approved_questions(self) -> list[Question]:
        return [q for q in self.questions if q.status == "approved"]


question_rule = Table(
    "lms_question_rule",
    db.metadata,
    Column("question_id", ForeignKey("lms_question.id", ondelete="CASCADE"), primary_key=True),
    Column("rule_id", ForeignKey("lms_sop_rule.id", ondelete="CASCADE"), index=True, nullable=False),
)


class Question(db.Model):
    """A quiz item; `answer` follows the formats in `quizzes.model`, `step` is the SOP step it tests."""

    __tablename__ = "lms_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("lms_quiz.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(30))
    stem: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)
    answer: Mapped[Any] = mapped_column(JSON)
    step_id: Mapped[int | None] = mapped_column(
        ForeignKey("lms_sop_step.id", ondelete="SET NULL"), index=True
    )
    quote: Mapped[str] = mapped_column(Text, default="")
    quality: Mapped[float] = mapped_column(Float, default=0.5)
    rationale: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(20), default="generated")  # generated, edited, manual
    # why a trainer should look again, e.g. "step 4.2 changed in this revision: 20 °C -> 25 °C"
    review_note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    quiz: Mapped[Quiz] = relationship(back_populates="questions")
    step: Mapped[SopStep | None] = relationship()
    # a question drafted from a rule written outside the steps ("Never ...", "If ..., tell ...") tests it; a
    # link table rather than a column, so adding it rewrote no table that answers reference
    rule: Mapped[SopRule | None] = relationship(secondary=lambda: question_rule, uselist=False)
