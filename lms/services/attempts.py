"""Taking a quiz: start an attempt, submit it exactly once, and explain the result against the SOP."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from lms.db import db, utcnow
from lms.models import Attempt, AttemptDeadline, Enrolment, Question, Response
from lms.services import audit, tallies
from lms.services.enrolments import enrolment_for
from lms.services.errors import Conflict, InvalidInput, NotFound
from lms.services.transactions import transactional
from quizzes.answers import ResponseError, answer_type
from quizzes.engine import giveaways, option_order, select_for_attempt
from quizzes.scoring import grade


@transactional
def start_attempt(user_id: int, enrolment_id: int) -> Attempt:
    """Resume the open attempt, or start a new one with a fresh selection of approved questions."""
    enrolment = enrolment_for(user_id, enrolment_id, lock=True)  # a double click waits, then resumes
    quiz = enrolment.module.quiz
    if enrolment.module.status == "retired":
        raise InvalidInput(
            "This training was replaced by a newer revision of the SOP and can no longer be taken."
        )
    if enrolment.module.status != "published":
        raise InvalidInput("This module is not published yet.")
    open_attempt = next((a for a in enrolment.attempts if a.submitted_at is None), None)
    if open_attempt is not None and not _close_if_timed_out(open_attempt, user_id):
        return open_attempt
    if enrolment.status == "completed":
        raise InvalidInput("You have already passed this quiz.")
    if quiz.max_attempts is not None and len(enrolment.attempts) >= quiz.max_attempts:
        raise InvalidInput(f"You have used all {quiz.max_attempts} attempts for this quiz; ask your trainer.")
    pool = [q.id for q in quiz.approved_questions]
    if not pool:
        raise InvalidInput("This quiz has no approved questions yet.")
    size = quiz.questions_per_attempt or len(pool)
    number = len(enrolment.attempts) + 1
    rng = random.Random(random.SystemRandom().randrange(2**32))  # noqa: S311 (an order, not a secret)
    conflicts = giveaways([(q.id, q.type, q.stem, q.options, q.answer) for q in quiz.approved_questions])
    chosen = select_for_attempt(pool, size, rng, conflicts)
    by_id = {q.id: q for q in quiz.approved_questions}
    attempt = Attempt(
        enrolment=enrolment,
        user_id=user_id,
        quiz=quiz,
        number=number,
        question_ids=chosen,
        option_orders={str(qid): _option_order(by_id[qid], rng) for qid in chosen},
    )
    db.session.add(attempt)
    if enrolment.status == "assigned":
        enrolment.status = "in_progress"
    db.session.flush()
    if quiz.time_limit_minutes:
        db.session.add(
            AttemptDeadline(
                attempt_id=attempt.id,
                time_limit_minutes=quiz.time_limit_minutes,
                deadline_at=attempt.started_at + timedelta(minutes=quiz.time_limit_minutes),
            )
        )
    audit.record(
        "attempt.start", "attempt", attempt.id, {"enrolment_id": enrolment.id, "number": number}, user_id
    )
    return attempt


def attempt_for(user_id: int, attempt_id: int) -> Attempt:
    """The user's own attempt; another learner's attempt is indistinguishable from a missing one."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise NotFound("No such quiz attempt.")
    return attempt


def _option_order(question: Question, rng: random.Random) -> list[int]:
    """A fresh option order for this attempt, so retakes and neighbours see the options elsewhere."""
    return option_order(question.type, len(question.options), rng)


@dataclass(frozen=True)
class PresentedQuestion:
    """A question as this attempt shows it: options in the attempt's order, numbered by position."""

    question: Question
    options: list[str]


def present(attempt: Attempt) -> list[PresentedQuestion]:
    return [PresentedQuestion(q, [q.options[i] for i in _order(attempt, q)]) for q in questions_of(attempt)]


def _order(attempt: Attempt, question: Question) -> list[int]:
    order = (attempt.option_orders or {}).get(str(question.id))
    return order if order and len(order) == len(question.options) else list(range(len(question.options)))


def as_displayed(attempt: Attempt, question: Question, answer: Any) -> Any:
    """An answer in the question's own option indices as positions on this attempt's page."""
    return answer_type(question.type).to_shown(answer, _order(attempt, question))


def questions_of(attempt: Attempt) -> list[Question]:
    by_id = {
        q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(attempt.question_ids)))
    }
    return [by_id[qid] for qid in attempt.question_ids if qid in by_id]


@transactional
def submit_attempt(user_id: int, attempt_id: int, raw_answers: dict[int, Any]) -> Attempt:
    """Score an attempt once. A second submission, however concurrent, is refused and changes nothing."""
    attempt = attempt_for(user_id, attempt_id)
    if attempt.submitted_at is not None:
        raise Conflict("This attempt was already submitted; the first submission stands.")
    timer = timer_of(attempt)
    if timer is not None and timer.is_over(utcnow()):
        raise TimeUp(
            f"Time ran out at {timer.deadline_at:%H:%M:%S} UTC ({timer.limit_minutes} minutes were allowed), "
            "so these answers were not accepted and nothing was recorded. "
            "Start a new attempt from the module page."
        )
    questions = questions_of(attempt)
    unknown = set(raw_answers) - {q.id for q in questions}
    if unknown:
        raise InvalidInput("The submission answers a question that is not part of this attempt.")
    missing = [n for n, q in enumerate(questions, 1) if raw_answers.get(q.id) in (None, "", [])]
    if missing:
        raise InvalidInput(
            "Answer every question before submitting (missing: " + ", ".join(map(str, missing)) + ")."
        )
    answers: dict[int, Any] = {}
    for number, item in enumerate(questions, 1):
        kind = answer_type(item.type)
        try:
            shown = kind.normalise(item.options, raw_answers[item.id])
        except ResponseError as error:
            raise InvalidInput(f"Question {number}: {error}") from error
        answers[item.id] = kind.from_shown(shown, _order(attempt, item))

    quiz = attempt.quiz
    scores = [
        answer_type(item.type).mark(item.options, item.answer, answers[item.id], partial=quiz.partial_credit)
        for item in questions
    ]
    result = grade([(score, 1.0) for score in scores], quiz.pass_mark)
    _record_submission(attempt, questions, answers, scores, result.score_percent, result.passed)
    return attempt


def _record_submission(
    attempt: Attempt,
    questions: list[Question],
    answers: dict[int, Any],
    scores: list[float],
    score_percent: float,
    passed: bool,
) -> None:
    """The writes of a submission, in a fixed number of statements whatever the number of answers: claim
    and score the attempt in one UPDATE (which refuses a second submission), every response in one
    executemany INSERT (none for an attempt without questions), the enrolment in one UPDATE, the audit
    events in one chain read, and the answer tallies last, so the row locks they take on shared totals
    are held only until the commit."""
    now = utcnow()
    claimed = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=now, score_percent=score_percent, passed=passed)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # a concurrent submission came first; the boundary rolls this one back
        raise Conflict("This attempt was already submitted; the first submission stands.")
    for name, value in (("submitted_at", now), ("score_percent", score_percent), ("passed", passed)):
        set_committed_value(attempt, name, value)
    responses = [
        {"attempt_id": attempt.id, "question_id": item.id, "value": answers[item.id], "score": score}
        for item, score in zip(questions, scores, strict=True)
    ]
    if responses:  # an empty list would run the INSERT once with no values
        db.session.execute(insert(Response.__table__), responses)  # Core executemany: cheaper than the ORM
    completed = passed and _complete(attempt.enrolment_id, now, score_percent)
    if completed:
        audit.record(
            "enrolment.complete",
            "enrolment",
            attempt.enrolment_id,
            {"by": "quiz", "attempt_id": attempt.id, "score_percent": score_percent},
            attempt.user_id,
        )
    audit.record(
        "attempt.submit",
        "attempt",
        attempt.id,
        {"score_percent": score_percent, "passed": passed, "answers": answers},
        attempt.user_id,
    )
    db.session.flush()
    tallies.count_submitted(
        attempt.user_id,
        [(item.id, item.step_id, score) for item, score in zip(questions, scores, strict=True)],
    )


def _complete(enrolment_id: int, when: datetime, score_percent: float) -> bool:
    """Mark the enrolment completed by this attempt, unless it already was; whether this completed it."""
    done = db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == enrolment_id, Enrolment.status != "completed")
        .values(status="completed", completed_at=when, score_percent=score_percent)
        .execution_options(synchronize_session=False)
    )
    loaded = db.session.identity_map.get(identity_key(Enrolment, enrolment_id))
    if loaded is not None:  # read again on next use, with what this statement wrote
        db.session.expire(loaded)
    return done.rowcount == 1


@dataclass(frozen=True)
class ReviewedAnswer:
    number: int
    question: Question
    given: Any
    score: float

    @property
    def correct(self) -> bool:
        return self.score >= 1.0


def review(attempt: Attempt) -> list[ReviewedAnswer]:
    """Each answer of a submitted attempt with its score, in the order the learner saw the questions."""
    if attempt.submitted_at is None:
        raise InvalidInput("This attempt has not been submitted yet.")
    responses = {r.question_id: r for r in attempt.responses}
    return [
        ReviewedAnswer(n, q, responses[q.id].value, responses[q.id].score)
        for n, q in enumerate(questions_of(attempt), 1)
        if q.id in responses
    ]


# --- Timed attempts -------------------------------------------------------------------------------------

GRACE_SECONDS = 30  # a submission this late after the deadline still counts (slow networks, a last click)


class TimeUp(Conflict):
    """A submission arrived after the attempt's deadline and its grace period."""


@dataclass(frozen=True)
class Timer:
    """The clock of a timed attempt, fixed when it started."""

    limit_minutes: int
    deadline_at: datetime
    timed_out: bool  # closed unscored because the time ran out

    def remaining_seconds(self, now: datetime | None = None) -> int:
        return max(0, int((self.deadline_at - (now or utcnow())).total_seconds()))

    def is_over(self, now: datetime | None = None) -> bool:
        """Past the deadline and the grace period: a submission now is refused."""
        return (now or utcnow()) > self.deadline_at + timedelta(seconds=GRACE_SECONDS)


def timer_of(attempt: Attempt) -> Timer | None:
    """The attempt's timer, or None when its quiz had no time limit when it started."""
    found = db.session.get(AttemptDeadline, attempt.id)
    return None if found is None else Timer(found.time_limit_minutes, found.deadline_at, found.timed_out)


def timers_of(enrolment: Enrolment) -> dict[int, Timer]:
    """Timers of an enrolment's attempts by attempt id (untimed attempts are absent)."""
    ids = [a.id for a in enrolment.attempts]
    if not ids:
        return {}
    rows = db.session.scalars(select(AttemptDeadline).where(AttemptDeadline.attempt_id.in_(ids)))
    return {r.attempt_id: Timer(r.time_limit_minutes, r.deadline_at, r.timed_out) for r in rows}


def _close_if_timed_out(attempt: Attempt, user_id: int) -> bool:
    """Close an open attempt whose time ran out: it counts as a failed attempt with no answers (score 0),
    submitted at its deadline. Returns whether it was closed. Called with the enrolment row locked."""
    deadline = db.session.get(AttemptDeadline, attempt.id)
    if deadline is None or utcnow() <= deadline.deadline_at + timedelta(seconds=GRACE_SECONDS):
        return False
    attempt.submitted_at = deadline.deadline_at
    attempt.score_percent = 0.0
    attempt.passed = False
    deadline.timed_out = True
    audit.record(
        "attempt.timeout",
        "attempt",
        attempt.id,
        {"deadline_at": deadline.deadline_at, "time_limit_minutes": deadline.time_limit_minutes},
        user_id,
    )
    db.session.flush()
    return True
