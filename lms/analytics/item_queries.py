"""The item analysis's aggregates, each one GROUP BY in the database: marks per attempt and question, how
often each question was drawn, and the options chosen per job role."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import Text, cast, func, select

from lms.analytics.filters import ReportFilters, in_range, learners_in
from lms.models import (
    Attempt,
    Question,
    Response,
    user_job_roles,
)
from quizzes.answers import choice_type_names

Which = Literal["first", "all"]
CHOICE_TYPES = choice_type_names()
NO_FILTERS = ReportFilters()


def attempts_condition(quiz_id: int, which: Which, filters: ReportFilters = NO_FILTERS) -> list:
    """The attempts analysed: submitted attempts at the quiz; with "first", each learner's earliest one.
    The filters then keep learners of a job role or department and attempts submitted in a date range (a
    first attempt stays the learner's first ever, so a range does not turn a retake into a first)."""
    conditions = [Attempt.quiz_id == quiz_id, Attempt.submitted_at.is_not(None)]
    if which == "first":
        firsts = (
            select(func.min(Attempt.id))
            .where(Attempt.quiz_id == quiz_id, Attempt.submitted_at.is_not(None))
            .group_by(Attempt.user_id)
        )
        conditions.append(Attempt.id.in_(firsts))
    members = learners_in(filters)
    if members is not None:
        conditions.append(Attempt.user_id.in_(members))
    return conditions + in_range(Attempt.submitted_at, filters)


def marks_query(quiz_id: int, which: Which, filters: ReportFilters = NO_FILTERS):
    """One row per response of the analysed attempts: attempt, learner, question, mark (fraction of it) and
    the answer as JSON text (the all-learner option counts are tallied from these rows, which the response
    matrix needs anyway, instead of a second pass over the same responses)."""
    return (
        select(
            Response.attempt_id,
            Attempt.user_id,
            Response.question_id,
            Response.score,
            cast(Response.value, Text),
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(*attempts_condition(quiz_id, which, filters))
    )


def drawn_query(quiz_id: int, which: Which, filters: ReportFilters = NO_FILTERS):
    """The questions each analysed attempt drew, in the order shown: its positions ("slots")."""
    return select(Attempt.id, Attempt.question_ids).where(*attempts_condition(quiz_id, which, filters))


def choices_by_role_query(quiz_id: int, which: Which, filters: ReportFilters = NO_FILTERS):
    """How many times each answer was given to each choice question, per job role of the learner."""
    answer = cast(Response.value, Text)
    return (
        select(Response.question_id, user_job_roles.c.job_role_id, answer, func.count(Response.id))
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(Question, Question.id == Response.question_id)
        .outerjoin(user_job_roles, user_job_roles.c.user_id == Attempt.user_id)
        .where(*attempts_condition(quiz_id, which, filters), Question.type.in_(CHOICE_TYPES))
        .group_by(Response.question_id, user_job_roles.c.job_role_id, answer)
    )
