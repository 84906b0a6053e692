"""The gap report's aggregates, each one GROUP BY in the database: responses and misses per SOP step and job
role, per step, and per role, read from the running tallies when the filters allow and from the responses
otherwise."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import and_, case, func, literal_column, select

from lms.analytics import fetch
from lms.analytics.filters import ReportFilters, in_range, learners_in, role_conditions
from lms.models import (
    Attempt,
    JobRole,
    Question,
    QuestionTally,
    Response,
    SopRevision,
    SopStep,
    StepRoleTally,
    user_job_roles,
)
from lms.models.enrolment import missed

STEP_ROLE_COLUMNS = ["step_id", "job_role_id", "responses", "misses"]
STEP_COLUMNS = ["step_id", "responses", "misses", "questions", "questions_missed"]


def responses_where(query, filters: ReportFilters):
    """Joins and conditions shared by every aggregate: submitted attempts, questions on a step, filters."""
    query = (
        query.join(Attempt, Attempt.id == Response.attempt_id)
        .join(Question, Question.id == Response.question_id)
        .where(Attempt.submitted_at.is_not(None), Question.step_id.is_not(None))
    )
    if filters.sop_id is not None:
        query = query.join(SopStep, SopStep.id == Question.step_id).join(
            SopRevision, and_(SopRevision.id == SopStep.revision_id, SopRevision.sop_id == filters.sop_id)
        )
    return query.where(*in_range(Attempt.submitted_at, filters))


def uses_tallies(filters: ReportFilters) -> bool:
    """The running tallies (lms.models.tally) hold all-time totals: a date range needs the responses."""
    return filters.date_from is None and filters.date_to is None


def step_role_query(filters: ReportFilters, step_ids: list[int] | None = None):
    """Responses and misses per (SOP step, job role): the heatmap's numbers (only `step_ids`, if given)."""
    if not uses_tallies(filters):
        return raw_step_role_query(filters, step_ids)
    tally = StepRoleTally
    query = select(tally.step_id, tally.job_role_id, tally.responses, tally.misses).where(tally.responses > 0)
    if step_ids is not None:
        query = query.where(tally.step_id.in_(step_ids))
    if filters.sop_id is not None:
        query = query.join(SopStep, SopStep.id == tally.step_id).join(
            SopRevision, and_(SopRevision.id == SopStep.revision_id, SopRevision.sop_id == filters.sop_id)
        )
    if filters.job_role_id is not None:
        query = query.where(tally.job_role_id == filters.job_role_id)
    if filters.department is not None:
        query = query.where(
            tally.job_role_id.in_(select(JobRole.id).where(JobRole.department == filters.department))
        )
    return query


def raw_step_role_query(filters: ReportFilters, step_ids: list[int] | None = None):
    """The same numbers straight from the responses (with a date range, and to check the tallies)."""
    query = select(
        Question.step_id,
        user_job_roles.c.job_role_id,
        func.count(Response.id).label("responses"),
        func.sum(missed()).label("misses"),
    ).select_from(Response)
    query = responses_where(query, filters).join(user_job_roles, user_job_roles.c.user_id == Attempt.user_id)
    if step_ids is not None:
        query = query.where(Question.step_id.in_(step_ids))
    return query.where(*role_conditions(filters)).group_by(Question.step_id, user_job_roles.c.job_role_id)


def _per_step(per_question):
    """Step totals from per-question totals (`question_id`, `responses`, `misses` columns)."""
    return (
        select(
            Question.step_id,
            func.sum(per_question.c.responses),
            func.sum(per_question.c.misses),
            func.count(per_question.c.question_id),
            func.sum(case((per_question.c.misses > 0, literal_column("1")), else_=literal_column("0"))),
        )
        .join(Question, Question.id == per_question.c.question_id)
        .where(Question.step_id.is_not(None), per_question.c.responses > 0)
        .group_by(Question.step_id)
    )


def step_query(filters: ReportFilters):
    """Per SOP step, each response once: responses, misses, questions asked and questions missed.

    From the question tallies unless a date range or a role/department filter asks for the responses
    (a person in two roles of a department must still count once)."""
    if uses_tallies(filters) and not role_conditions(filters):
        per_question = select(
            QuestionTally.question_id.label("question_id"),
            QuestionTally.responses.label("responses"),
            QuestionTally.misses.label("misses"),
        )
        if filters.sop_id is not None:
            per_question = (
                per_question.join(Question, Question.id == QuestionTally.question_id)
                .join(SopStep, SopStep.id == Question.step_id)
                .join(
                    SopRevision,
                    and_(SopRevision.id == SopStep.revision_id, SopRevision.sop_id == filters.sop_id),
                )
            )
        return _per_step(per_question.subquery())
    return raw_step_query(filters)


def raw_step_query(filters: ReportFilters):
    """The same numbers straight from the responses: totals per question first, then per step (one pass over
    the responses, no COUNT(DISTINCT))."""
    per_question = select(
        Response.question_id.label("question_id"),
        func.count(Response.id).label("responses"),
        func.sum(missed()).label("misses"),
    ).select_from(Response)
    per_question = responses_where(per_question, filters)
    members = learners_in(filters)
    if members is not None:
        per_question = per_question.where(Attempt.user_id.in_(members))
    return _per_step(per_question.group_by(Response.question_id).subquery())


def role_summary_query(filters: ReportFilters):
    """Per step: in how many job roles someone answered, and in how many someone missed (from the step x role
    numbers, in the database, so only one row per step comes back)."""
    cells = step_role_query(filters).subquery()
    step_id, misses = cells.c[0], cells.c[3]
    return select(
        step_id, func.count(), func.sum(case((misses > 0, literal_column("1")), else_=literal_column("0")))
    ).group_by(step_id)


def frame_of(query, columns: list[str]) -> pd.DataFrame:
    rows = fetch(query)
    frame = pd.DataFrame([tuple(row) for row in rows], columns=columns)
    return frame.astype(dict.fromkeys(columns, "int64"))


def step_role_frame(filters: ReportFilters) -> pd.DataFrame:
    return frame_of(step_role_query(filters), STEP_ROLE_COLUMNS)


def step_frame(filters: ReportFilters) -> pd.DataFrame:
    return frame_of(step_query(filters), STEP_COLUMNS)
