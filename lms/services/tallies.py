"""Keeping the answer tallies (`lms.models.tally`) equal to what the responses say.

Three events change them, each inside the caller's transaction: an attempt is submitted (its answers are
added), a person joins a job role (their answers so far are added to the role's step totals), a person leaves
one (subtracted). Increments are upserts (`INSERT ... ON CONFLICT DO UPDATE`, on SQLite and PostgreSQL), so
concurrent submissions add up instead of overwriting each other, and rows are always touched in key order so
two transactions never wait on each other in a cycle. `rebuild()` recomputes everything from the responses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from sqlalchemy import Table, bindparam, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from lms.db import db
from lms.models import Attempt, Question, QuestionTally, Response, StepRoleTally, user_job_roles
from lms.models.enrolment import is_miss, missed


def _add(table: Table, keys: Sequence[str], rows: Iterable[dict]) -> None:
    rows = sorted(rows, key=lambda row: tuple(row[k] for k in keys))
    if not rows:
        return
    db.session.execute(_upsert(table, tuple(keys), db.session.get_bind().dialect.name), rows)


@cache
def _upsert(table: Table, keys: tuple[str, ...], dialect: str):
    """One row's upsert with bound parameters, sent once per row in one executemany: compiled once (a
    multi-row VALUES statement is a new statement, compiled anew, for every number of rows)."""
    columns = [*keys, "responses", "misses"]
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(
        {name: bindparam(name) for name in columns}
    )
    return statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={
            "responses": table.c.responses + statement.excluded.responses,
            "misses": table.c.misses + statement.excluded.misses,
        },
    )


def _role_ids(user_id: int) -> list[int]:
    return list(
        db.session.scalars(select(user_job_roles.c.job_role_id).where(user_job_roles.c.user_id == user_id))
    )


def count_submitted(user_id: int, answers: Iterable[tuple[int, int | None, float]]) -> None:
    """Add one submitted attempt's answers: (question id, the question's SOP step id or None, score)."""
    by_question: dict[int, list[int]] = {}
    by_step: dict[int, list[int]] = {}
    for question_id, step_id, score in answers:
        miss = int(is_miss(score))
        totals = by_question.setdefault(question_id, [0, 0])
        totals[0], totals[1] = totals[0] + 1, totals[1] + miss
        if step_id is not None:
            totals = by_step.setdefault(step_id, [0, 0])
            totals[0], totals[1] = totals[0] + 1, totals[1] + miss
    _add(
        QuestionTally.__table__,
        ["question_id"],
        ({"question_id": q, "responses": n, "misses": m} for q, (n, m) in by_question.items()),
    )
    roles = _role_ids(user_id)
    _add(
        StepRoleTally.__table__,
        ["step_id", "job_role_id"],
        (
            {"step_id": s, "job_role_id": r, "responses": n, "misses": m}
            for s, (n, m) in by_step.items()
            for r in roles
        ),
    )


def move_member(user_id: int, job_role_id: int, sign: int) -> None:
    """A person joined (sign +1) or left (-1) a job role: move their answers so far with them."""
    totals = db.session.execute(
        select(Question.step_id, func.count(Response.id), func.sum(missed()))
        .select_from(Response)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(Question, Question.id == Response.question_id)
        .where(Attempt.user_id == user_id, Attempt.submitted_at.is_not(None), Question.step_id.is_not(None))
        .group_by(Question.step_id)
    ).all()
    _add(
        StepRoleTally.__table__,
        ["step_id", "job_role_id"],
        (
            {"step_id": s, "job_role_id": job_role_id, "responses": sign * n, "misses": sign * int(m or 0)}
            for s, n, m in totals
        ),
    )


def rebuild() -> None:
    """Recompute both tallies from the responses (after a bulk load that bypassed the services)."""
    db.session.execute(delete(StepRoleTally))
    db.session.execute(delete(QuestionTally))
    submitted = Attempt.submitted_at.is_not(None)
    db.session.execute(
        insert(QuestionTally).from_select(
            ["question_id", "responses", "misses"],
            select(Response.question_id, func.count(Response.id), func.sum(missed()))
            .join(Attempt, Attempt.id == Response.attempt_id)
            .where(submitted)
            .group_by(Response.question_id),
        )
    )
    db.session.execute(
        insert(StepRoleTally).from_select(
            ["step_id", "job_role_id", "responses", "misses"],
            select(
                Question.step_id, user_job_roles.c.job_role_id, func.count(Response.id), func.sum(missed())
            )
            .select_from(Response)
            .join(Attempt, Attempt.id == Response.attempt_id)
            .join(Question, Question.id == Response.question_id)
            .join(user_job_roles, user_job_roles.c.user_id == Attempt.user_id)
            .where(submitted, Question.step_id.is_not(None))
            .group_by(Question.step_id, user_job_roles.c.job_role_id),
        )
    )
