"""Drill-down: the people behind a number on an analytics page. Trainers and compliance officers reach it
from a bar or a table cell; it lists names, so it sits behind the same role check as the figures.

- by status: current training of one status (completed, in progress, not started, overdue), in a job role;
- by score band: first attempts whose score falls in one 10-point band;
- by SOP revision: first attempts at the quiz of one revision (a point of the pass-rate trend);
- by missed step: learners in a job role who missed answers on questions about one SOP step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from lms.analytics.completion import STATUS_LABELS, completion_select
from lms.analytics.filters import ReportFilters
from lms.analytics.gap_queries import responses_where
from lms.analytics.overview import band_of, first_attempts
from lms.db import db, utcnow
from lms.models import (
    Attempt,
    Enrolment,
    Question,
    Response,
    Sop,
    SopRevision,
    SopStep,
    User,
    user_job_roles,
)
from lms.models.enrolment import missed
from lms.paging import Page, clamp_page

PER_PAGE = 50


@dataclass(frozen=True)
class LearnerRow:
    name: str
    email: str
    sop_code: str
    revision: str
    detail: str  # status, score, or answers missed
    date: datetime | None  # due date, or submission time


def _page(query, order_by, page: int, per_page: int, to_row: Callable[..., LearnerRow]) -> Page:
    """One page of `query` in `order_by` order, each result row made a LearnerRow by `to_row(*row)`."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp_page(page, total, per_page)
    rows = db.session.execute(query.order_by(*order_by).limit(per_page).offset((page - 1) * per_page)).all()
    return Page([to_row(*row) for row in rows], page, per_page, total)


def learners_by_status(
    filters: ReportFilters,
    status: str,
    page: int = 1,
    now: datetime | None = None,
    per_page: int = PER_PAGE,
) -> Page:
    """The people behind one completion bar: enrolments with that status in that role (the filters' role)."""
    base = completion_select(filters, now or utcnow(), detail=False).subquery()
    ids = select(base.c.enrolment_id).where(base.c.status == status).distinct()
    query = (
        select(User.name, User.email, Sop.code, SopRevision.label, Enrolment.due_at)
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .join(SopRevision, SopRevision.id == Enrolment.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Enrolment.id.in_(ids))
    )
    label = STATUS_LABELS[status]
    return _page(
        query,
        (Enrolment.due_at, User.name, Enrolment.id),
        page,
        per_page,
        lambda name, email, code, revision, due: LearnerRow(name, email, code, revision, label, due),
    )


def learners_by_band(filters: ReportFilters, band: int, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The first attempts behind one score bar, lowest score first."""
    firsts = first_attempts(filters).subquery()
    return _first_attempts_page(firsts, band_of(firsts.c.score_percent) == band, page, per_page)


def learners_at_revision(
    filters: ReportFilters, revision_id: int, page: int = 1, per_page: int = PER_PAGE
) -> Page:
    """The first attempts behind one point of the pass-rate trend, lowest score first."""
    firsts = first_attempts(filters).subquery()
    return _first_attempts_page(firsts, firsts.c.revision_id == revision_id, page, per_page)


def _first_attempts_page(firsts, condition, page: int, per_page: int) -> Page:
    """One page of the first attempts (`overview.first_attempts` as a subquery) that meet `condition`."""
    query = (
        select(
            User.name,
            User.email,
            Sop.code,
            SopRevision.label,
            firsts.c.score_percent,
            firsts.c.passed,
            Attempt.submitted_at,
        )
        .select_from(firsts)
        .join(Attempt, Attempt.id == firsts.c.id)
        .join(User, User.id == firsts.c.user_id)
        .join(SopRevision, SopRevision.id == firsts.c.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(condition)
    )

    def to_row(name, email, code, revision, score, passed, at) -> LearnerRow:
        outcome = "passed" if passed else "not passed"
        return LearnerRow(name, email, code, revision, f"{score:.1f}% · {outcome}", at)

    return _page(query, (firsts.c.score_percent, User.name, firsts.c.id), page, per_page, to_row)


def revision_label(revision_id: int) -> str | None:
    """ "SOP-7 revision 3", or None when there is no such revision."""
    found = db.session.execute(
        select(Sop.code, SopRevision.label)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(SopRevision.id == revision_id)
    ).first()
    return None if found is None else f"{found[0]} revision {found[1]}"


def step_label(step_id: int) -> str | None:
    """ "step 4.2 of SOP-7 revision 3", or None when there is no such step."""
    found = db.session.execute(
        select(SopStep.number, Sop.code, SopRevision.label)
        .join(SopRevision, SopRevision.id == SopStep.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(SopStep.id == step_id)
    ).first()
    return None if found is None else f"step {found[0]} of {found[1]} revision {found[2]}"


def learners_missing_step(
    filters: ReportFilters, step_id: int, job_role_id: int, page: int = 1, per_page: int = PER_PAGE
) -> Page:
    """The people behind one heatmap cell: learners holding the job role who missed at least one answer on a
    question about the step (the filters' dates apply), the most misses first."""
    misses = func.sum(missed())
    query = select(
        User.name,
        User.email,
        Sop.code,
        SopRevision.label,
        func.count(Response.id),
        misses,
        func.max(Attempt.submitted_at),
    ).select_from(Response)
    query = (
        responses_where(query, ReportFilters(date_from=filters.date_from, date_to=filters.date_to))
        .join(User, User.id == Attempt.user_id)
        .join(SopStep, SopStep.id == Question.step_id)
        .join(SopRevision, SopRevision.id == SopStep.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(
            Question.step_id == step_id,
            Attempt.user_id.in_(
                select(user_job_roles.c.user_id).where(user_job_roles.c.job_role_id == job_role_id)
            ),
        )
        .group_by(User.id, User.name, User.email, Sop.code, SopRevision.label)
        .having(misses > 0)
    )

    def to_row(name, email, code, revision, answers, missed_answers, last) -> LearnerRow:
        detail = f"missed {int(missed_answers)} of {int(answers)} answers"
        return LearnerRow(name, email, code, revision, detail, last)

    return _page(query, (misses.desc(), User.name, User.id), page, per_page, to_row)
