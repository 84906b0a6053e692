"""Double clicks and simultaneous requests, on separate database connections: one result, no errors."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select, update

from lms.analytics import gap_queries
from lms.analytics.filters import ReportFilters
from lms.db import db
from lms.models import Attempt, AuditEvent, Enrolment, Question, Response, user_job_roles
from lms.services import accounts, attempts, audit, enrolments, quiz_review, sop_import
from lms.services.transactions import locked, transaction
from quizzes.answers import answer_type
from tests.conftest import DEMO_SOPS, PASSWORD

LOTO = "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md"  # a drafted pool of several questions
CLICKS = 6


def race(app, work: Callable[[], Any], times: int = CLICKS) -> list[Any]:
    """Run `work` in `times` threads at once, each in its own app context (own session and connection)."""
    barrier = threading.Barrier(times)
    outcomes: list[Any] = [None] * times

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                outcomes[index] = work()
            except Exception as error:  # the outcome, error or not, is what the test checks
                outcomes[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def setup_enrolment(app) -> tuple[int, int, int]:
    with app.app_context():
        role = accounts.create_job_role("Operators")
        trainer = accounts.create_user("t@example.org", "Trainer", PASSWORD, "trainer")
        learner = accounts.create_user("l@example.org", "Learner", PASSWORD, "learner", [role.id])
        revision = sop_import.import_sop((DEMO_SOPS / LOTO).read_bytes(), LOTO, trainer.id)
        module = sop_import.modules_of(revision.id)[0]
        quiz_review.publish(module.id, trainer.id)
        enrolments.assign_module_to_role(module.id, role.id, 7, trainer.id)
        enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == learner.id))
        return learner.id, enrolment.id, role.id


def test_simultaneous_quiz_starts_open_one_attempt(committed_app) -> None:
    learner_id, enrolment_id, _ = setup_enrolment(committed_app)
    outcomes = race(committed_app, lambda: attempts.start_attempt(learner_id, enrolment_id).id)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert len(set(outcomes)) == 1
    with committed_app.app_context():
        assert db.session.scalar(select(func.count(Attempt.id))) == 1


def test_simultaneous_submissions_record_exactly_one_result(committed_app) -> None:
    learner_id, enrolment_id, _ = setup_enrolment(committed_app)
    with committed_app.app_context():
        attempt = attempts.start_attempt(learner_id, enrolment_id)
        attempt_id = attempt.id
        answers = {
            q.id: attempts.as_displayed(attempt, q, answer_type(q.type).right_response(q.answer))
            for q in attempts.questions_of(attempt)
        }

    def submit() -> float | None:
        return attempts.submit_attempt(learner_id, attempt_id, answers).score_percent

    outcomes = race(committed_app, submit)
    accepted = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, attempts.Conflict)]
    assert accepted == [100.0], outcomes
    assert len(refused) == CLICKS - 1, outcomes
    with committed_app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == len(answers)
        assert db.session.get(Enrolment, enrolment_id).status == "completed"


def test_simultaneous_role_joins_enrol_once(committed_app) -> None:
    _, _, role_id = setup_enrolment(committed_app)
    with committed_app.app_context():
        newcomer = accounts.create_user("n@example.org", "Newcomer", PASSWORD).id
    outcomes = race(committed_app, lambda: accounts.add_to_job_role(newcomer, role_id))
    assert outcomes.count(1) == 1, outcomes
    refused = [o for o in outcomes if isinstance(o, accounts.InvalidInput)]
    assert len(refused) == CLICKS - 1 and "already in" in refused[0].message
    with committed_app.app_context():
        memberships = select(func.count()).where(user_job_roles.c.user_id == newcomer)
        assert db.session.scalar(memberships) == 1
        assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.user_id == newcomer)) == 1


def test_simultaneous_job_role_creation_creates_one(committed_app) -> None:
    outcomes = race(committed_app, lambda: accounts.create_job_role("Welders").id)
    assert len([o for o in outcomes if isinstance(o, int)]) == 1, outcomes
    assert all(isinstance(o, (int, accounts.InvalidInput)) for o in outcomes), outcomes


def test_simultaneous_submissions_by_different_learners_all_reach_the_tallies(committed_app) -> None:
    """Six learners submit at the same instant: every answer is counted once in the running tallies (the
    upserts add up instead of overwriting each other), exactly as the responses say."""

    _, _, role_id = setup_enrolment(committed_app)
    started = []
    with committed_app.app_context():
        for n in range(CLICKS):
            user = accounts.create_user(f"racer{n}@example.org", f"Racer {n}", PASSWORD, "learner", [role_id])
            enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == user.id))
            attempt = attempts.start_attempt(user.id, enrolment.id)
            answers = {
                q.id: attempts.as_displayed(attempt, q, answer_type(q.type).right_response(q.answer))
                for q in attempts.questions_of(attempt)
            }
            started.append((user.id, attempt.id, answers))
    turn = iter(range(CLICKS))
    lock = threading.Lock()

    def submit() -> float:
        with lock:
            user_id, attempt_id, answers = started[next(turn)]
        return attempts.submit_attempt(user_id, attempt_id, answers).score_percent

    outcomes = race(committed_app, submit)
    assert outcomes == [100.0] * CLICKS, outcomes
    with committed_app.app_context():
        shown = gap_queries.step_role_frame(ReportFilters()).sort_values(["step_id", "job_role_id"])
        raw = gap_queries.frame_of(
            gap_queries.raw_step_role_query(ReportFilters()), gap_queries.STEP_ROLE_COLUMNS
        )
        assert shown.to_dict("records") == raw.sort_values(["step_id", "job_role_id"]).to_dict("records")
        per_step = Counter(q.step_id for q in db.session.scalars(select(Question)) if q.step_id)
        assert {r.step_id: r.responses for r in shown.itertuples()} == {
            step: CLICKS * n for step, n in per_step.items()
        }


def test_a_row_locked_before_auditing_and_one_audited_before_writing_it_do_not_deadlock(
    committed_app,
) -> None:
    """A submission locks its enrolment and then records its event; leaving a job role records its event
    and then writes the enrolments. Run against each other they must queue, not deadlock (PostgreSQL
    aborts one of two transactions that each wait for the other's lock)."""
    _, enrolment_id, _ = setup_enrolment(committed_app)
    row_locked = threading.Event()
    errors: list[BaseException] = []

    def lock_row_then_audit() -> None:
        with transaction():
            locked(Enrolment, enrolment_id)
            row_locked.set()
            time.sleep(0.5)  # the other use case records its event meanwhile
            audit.record("test.row_then_audit", "enrolment", enrolment_id)

    def audit_then_write_row() -> None:
        assert row_locked.wait(10)
        with transaction():
            audit.record("test.audit_then_row", "enrolment", enrolment_id)
            db.session.execute(
                update(Enrolment).where(Enrolment.id == enrolment_id).values(kind="retraining")
            )

    def run(work: Callable[[], None]) -> None:
        with committed_app.app_context():
            try:
                work()
            except BaseException as error:  # the test asserts there were none
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(w,)) for w in (lock_row_then_audit, audit_then_write_row)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with committed_app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(2)).all()
        assert sorted(actions) == ["test.audit_then_row", "test.row_then_audit"]
        assert db.session.get(Enrolment, enrolment_id).kind == "retraining"
        assert audit.verify_chain().ok
