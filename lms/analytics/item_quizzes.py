"""The list of quizzes that have results, for the item analysis index: one summary row per quiz (attempts,
learners, last submission), searchable and paged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from lms.db import db
from lms.models import (
    Attempt,
    Quiz,
    Sop,
    SopRevision,
    TrainingModule,
)
from lms.paging import Page, clamp_page

QUIZZES_PER_PAGE = 25


@dataclass(frozen=True)
class QuizSummary:
    quiz_id: int
    sop_code: str
    sop_title: str
    revision: str
    module_title: str
    attempts: int
    learners: int
    mean_score: float | None

    @property
    def label(self) -> str:
        return f"{self.sop_code} revision {self.revision} · {self.module_title}"


def _summary_query():
    return (
        select(
            Quiz.id,
            Sop.code,
            Sop.title,
            SopRevision.label,
            TrainingModule.title,
            func.count(Attempt.id),
            func.count(func.distinct(Attempt.user_id)),
            func.avg(Attempt.score_percent),
        )
        .select_from(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(TrainingModule, TrainingModule.id == Quiz.module_id)
        .join(SopRevision, SopRevision.id == TrainingModule.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Attempt.submitted_at.is_not(None))
        .group_by(Quiz.id, Sop.code, Sop.title, SopRevision.label, TrainingModule.title)
    )


def _summary(row) -> QuizSummary:
    quiz_id, code, title, revision, module_title, attempts, learners, mean = row
    return QuizSummary(
        quiz_id,
        code,
        title,
        revision,
        module_title,
        attempts,
        learners,
        None if mean is None else float(mean),
    )


def quizzes_with_results(search: str = "", page: int = 1, per_page: int = QUIZZES_PER_PAGE) -> Page:
    """Quizzes with a submitted attempt, most attempted first; `search` matches the SOP code or title."""
    query = _summary_query()
    words = search.strip()[:100]
    if words:
        query = query.where(
            or_(Sop.code.icontains(words, autoescape=True), Sop.title.icontains(words, autoescape=True))
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp_page(page, total, per_page)
    rows = db.session.execute(
        query.order_by(func.count(Attempt.id).desc(), Sop.code, Quiz.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page([_summary(row) for row in rows], page, per_page, total)


def quiz_label(quiz_id: int) -> QuizSummary | None:
    """Which SOP revision and module the quiz belongs to (counts left at zero), or None."""
    found = db.session.execute(
        select(Quiz.id, Sop.code, Sop.title, SopRevision.label, TrainingModule.title)
        .join(TrainingModule, TrainingModule.id == Quiz.module_id)
        .join(SopRevision, SopRevision.id == TrainingModule.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Quiz.id == quiz_id)
    ).first()
    return None if found is None else QuizSummary(*found, 0, 0, None)
