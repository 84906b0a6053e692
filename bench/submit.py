"""Quiz submission benchmark (issue 12): the submission use case against hand-written SQL doing the same
writes in one transaction, measured side by side on the same synthetic organisation.

    .venv/bin/python bench/submit.py [--quick] [--json] [--trials N] [--pg URL | TEST_DATABASE_URL]
                                     [--only sqlite|postgresql]

The organisation is `sop-lms seed-synthetic`'s (20,000 learners, 300 SOPs, 2,000,000 responses; `--quick`:
2,000 / 60 / 100,000). Each trial submits a fresh attempt of ten questions, all right, so it takes the
longest path: the attempt claimed and scored, ten responses, the enrolment completed, two audit events on
the hash chain, the answer tallies of each question and of each step for each of the learner's job roles.
- `latency`: median `attempts.submit_attempt()` in a fresh session (it reads the attempt and its questions
  itself) / median of the reference: the raw driver connection running, in one transaction, the reads those
  writes need (the attempt, its questions' keys and steps, the chain head, the learner's roles) and the same
  writes (the same audit hashes computed). Target <= 1.5.
- `statements`: statements one submission sends with 3 answers and with 10; target: equal.
- `contention`: 50 learners submitting at once (10 threads) on one quiz, throughput against 50 on 50
  different quizzes (the tally rows they share are locked only at the end of the transaction). Target >= 0.8.
- `audit`: submissions per second with the audit trail against the same use case with `audit.record` made a
  no-op (the cost measured is reading the chain's head and hashing the events; on PostgreSQL the chain's lock
  is taken at a use case's first write either way, so it is in both). Target >= 0.8.
Starting the attempts is not timed. `--quick` scales the organisation down, not the work per submission:
its ratios measure the same thing, and `meets_targets` applies to it as to the full run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, func, select, update

from bench.common import databases, log, print_result, synthetic_app
from lms.db import db
from lms.models import Attempt, Enrolment, Quiz
from lms.services import attempts, audit
from lms.synthetic import Size
from quizzes.answers import answer_type

TARGETS = {"latency": 1.5, "contention": 0.8, "audit": 0.8}
FULL = Size()
QUICK = Size(learners=2_000, sops=60, responses=100_000, roles=10)  # 50 quizzes at once need 50 SOPs
CHAIN_LOCK = 0x50504C4D53


# --- preparing attempts (not timed) ------------------------------------------------------------------


def open_enrolments(count: int, one_module: bool = False, exclude: set[int] = frozenset()) -> list[Enrolment]:
    """Enrolments not yet completed and with no open attempt: `count` on one module, or one per module."""
    has_open = select(Attempt.id).where(Attempt.enrolment_id == Enrolment.id, Attempt.submitted_at.is_(None))
    where = [Enrolment.status != "completed", Enrolment.id.not_in(exclude or {0}), ~has_open.exists()]
    if one_module:
        busiest = db.session.scalar(
            select(Enrolment.module_id)
            .where(*where)
            .group_by(Enrolment.module_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        ids = select(Enrolment.id).where(*where, Enrolment.module_id == busiest).limit(count)
    else:
        ids = select(func.min(Enrolment.id)).where(*where).group_by(Enrolment.module_id).limit(count)
    return list(db.session.scalars(select(Enrolment).where(Enrolment.id.in_(ids)).order_by(Enrolment.id)))


def prepared(enrolment: Enrolment) -> tuple[int, int, dict[int, object]]:
    """(learner, attempt id, right answers as the page shows them) for a newly started attempt."""
    attempt = attempts.start_attempt(enrolment.user_id, enrolment.id)
    answers = {
        q.id: attempts.as_displayed(attempt, q, answer_type(q.type).right_response(q.answer))
        for q in attempts.questions_of(attempt)
    }
    return enrolment.user_id, attempt.id, answers


def prepare(app, count: int, one_module: bool = False, used: set[int] | None = None) -> list[tuple]:
    used = used if used is not None else set()
    with app.app_context():
        chosen = open_enrolments(count, one_module, used)
        used.update(e.id for e in chosen)
        jobs = [prepared(e) for e in chosen]
        db.session.remove()
    if len(jobs) < count:
        raise SystemExit(f"only {len(jobs)} open enrolments for {count} trials: use a larger organisation")
    return jobs


# --- the two ways of submitting ------------------------------------------------------------------------


def by_service(app, job: tuple) -> float:
    user_id, attempt_id, answers = job
    with app.app_context():
        started = time.perf_counter()
        attempts.submit_attempt(user_id, attempt_id, answers)
        seconds = time.perf_counter() - started
        db.session.remove()
    return seconds


def by_hand(app, job: tuple) -> float:
    """The same writes, hand-written, on the raw driver connection, in one transaction."""
    user_id, attempt_id, _answers = job
    with app.app_context():
        raw = db.engine.raw_connection()
        sqlite = db.engine.dialect.name == "sqlite"
    p = "?" if sqlite else "%s"
    try:
        started = time.perf_counter()
        cursor = raw.cursor()
        if sqlite:
            cursor.execute("BEGIN IMMEDIATE")
        now = datetime.now(UTC)
        cursor.execute(
            f"SELECT question_ids, enrolment_id FROM lms_attempt WHERE id = {p} AND submitted_at IS NULL",
            (attempt_id,),
        )
        question_ids, enrolment_id = cursor.fetchone()
        question_ids = json.loads(question_ids) if isinstance(question_ids, str) else question_ids
        marks = ",".join([p] * len(question_ids))
        cursor.execute(f"SELECT id, step_id, answer FROM lms_question WHERE id IN ({marks})", question_ids)
        keys = cursor.fetchall()
        scores = [
            (qid, step, json.loads(answer) if isinstance(answer, str) else answer, 1.0)
            for qid, step, answer in keys
        ]
        percent = 100.0
        cursor.execute(
            f"UPDATE lms_attempt SET submitted_at = {p}, score_percent = {p}, passed = {p} "
            f"WHERE id = {p} AND submitted_at IS NULL",
            (now, percent, True, attempt_id),
        )
        cursor.executemany(
            f"INSERT INTO lms_response (attempt_id, question_id, value, score) VALUES ({p}, {p}, {p}, {p})",
            [(attempt_id, qid, json.dumps(answer), score) for qid, _s, answer, score in scores],
        )
        cursor.execute(
            f"UPDATE lms_enrolment SET status = 'completed', completed_at = {p}, score_percent = {p} "
            f"WHERE id = {p} AND status <> 'completed'",
            (now, percent, enrolment_id),
        )
        if not sqlite:
            cursor.execute(f"SELECT pg_advisory_xact_lock({p})", (CHAIN_LOCK,))
        cursor.execute("SELECT id, hash FROM lms_audit_event ORDER BY id DESC LIMIT 1")
        head = cursor.fetchone() or (0, "0" * 64)
        events, last_id, last_hash = [], head[0], head[1]
        for action, entity, entity_id, data in (
            ("enrolment.complete", "enrolment", enrolment_id, {"by": "quiz", "attempt_id": attempt_id}),
            ("attempt.submit", "attempt", attempt_id, {"score_percent": percent, "passed": True}),
        ):
            row = SimpleNamespace(
                id=last_id + 1,
                occurred_at=now,
                actor_id=user_id,
                action=action,
                entity_type=entity,
                entity_id=str(entity_id),
                data=data,
                reason="",
                prev_hash=last_hash,
            )
            row.hash = audit.event_hash(row)
            events.append(row)
            last_id, last_hash = row.id, row.hash
        cursor.executemany(
            "INSERT INTO lms_audit_event (id, occurred_at, actor_id, action, entity_type, entity_id, data, "
            f"reason, prev_hash, hash) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})",
            [
                (
                    e.id,
                    e.occurred_at,
                    e.actor_id,
                    e.action,
                    e.entity_type,
                    e.entity_id,
                    json.dumps(e.data),
                    e.reason,
                    e.prev_hash,
                    e.hash,
                )
                for e in events
            ],
        )
        cursor.execute(f"SELECT job_role_id FROM lms_user_job_role WHERE user_id = {p}", (user_id,))
        roles = [r for (r,) in cursor.fetchall()]
        question_rows = sorted((qid, 1, 0) for qid, _s, _a, _sc in scores)
        cursor.execute(
            "INSERT INTO lms_question_tally (question_id, responses, misses) VALUES "
            + ",".join([f"({p}, {p}, {p})"] * len(question_rows))
            + " ON CONFLICT (question_id) DO UPDATE SET responses = lms_question_tally.responses + "
            "excluded.responses, misses = lms_question_tally.misses + excluded.misses",
            [value for row in question_rows for value in row],
        )
        totals: dict[tuple[int, int], int] = {}
        for _q, step, _a, _s in scores:
            for role in roles:
                totals[(step, role)] = totals.get((step, role), 0) + 1
        step_rows = [(step, role, n, 0) for (step, role), n in sorted(totals.items())]
        if step_rows:
            cursor.execute(
                "INSERT INTO lms_step_role_tally (step_id, job_role_id, responses, misses) VALUES "
                + ",".join([f"({p}, {p}, {p}, {p})"] * len(step_rows))
                + " ON CONFLICT (step_id, job_role_id) DO UPDATE SET responses = "
                "lms_step_role_tally.responses + excluded.responses, misses = lms_step_role_tally.misses + "
                "excluded.misses",
                [value for row in step_rows for value in row],
            )
        raw.commit()
        return time.perf_counter() - started
    finally:
        raw.close()


# --- measurements --------------------------------------------------------------------------------------


def latency(app, trials: int, used: set[int], submit: Callable) -> float:
    jobs = prepare(app, trials, used=used)
    return statistics.median(submit(app, job) for job in jobs)


def statements_for(app, answers: int, used: set[int]) -> int:
    """Statements one submission sends when its quiz asks `answers` questions an attempt."""
    with app.app_context():
        enrolment = open_enrolments(1, exclude=used)[0]
        used.add(enrolment.id)
        db.session.execute(
            update(Quiz).where(Quiz.module_id == enrolment.module_id).values(questions_per_attempt=answers)
        )
        db.session.commit()
        job = prepared(db.session.get(Enrolment, enrolment.id))
        db.session.remove()
        sent: list[str] = []
        listener = lambda *args: sent.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
    try:
        by_service(app, job)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", listener)
    assert len(job[2]) == answers, (len(job[2]), answers)
    return len(sent)


def concurrent_seconds(app, jobs: list[tuple]) -> float:
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(job: tuple) -> None:
        try:
            by_service(app, job)
        except BaseException as error:  # reported below
            with lock:
                errors.append(error)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(run, jobs))
    seconds = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} concurrent submissions failed: {errors[0]!r}")
    return seconds


def run_backend(name: str, url: str, size: Size, trials: int) -> dict:
    with synthetic_app(url, size) as (app, built):
        used: set[int] = set()
        latency(app, 5, used, by_service)  # warm-up: caches, the first connections
        latency(app, 5, used, by_hand)
        service = latency(app, trials, used, by_service)
        hand = latency(app, trials, used, by_hand)
        real_record = audit.record
        audit.record = lambda *args, **kwargs: None
        try:
            unaudited = latency(app, trials, used, by_service)
        finally:
            audit.record = real_record
        statements = {n: statements_for(app, n, used) for n in (3, 10)}
        same = concurrent_seconds(app, prepare(app, 50, one_module=True, used=used))
        different = concurrent_seconds(app, prepare(app, 50, used=used))
    ratios = {
        "latency": service / hand,
        "contention": different / same,
        "audit": unaudited / service,
        "statements": statements[10] / statements[3],
    }
    log(
        f"  {name}: submit {service * 1000:.2f} ms, hand-written {hand * 1000:.2f} ms "
        f"(x{ratios['latency']:.2f}); "
        f"without the audit trail {unaudited * 1000:.2f} ms; statements {statements[3]} (3 answers), "
        f"{statements[10]} (10); 50 at once on one quiz {same:.2f} s, on 50 quizzes {different:.2f} s"
    )
    return {
        "ratios": ratios,
        "ms": {"service": service * 1000, "hand": hand * 1000, "unaudited": unaudited * 1000},
        "statements": statements,
        "seed": built,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smaller organisation, under a minute")
    parser.add_argument("--trials", type=int)
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", "").strip() or None)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    size = QUICK if args.quick else FULL
    trials = args.trials or (30 if args.quick else 200)
    results = {}
    for name, database in databases(args.pg, args.only):
        log(f"{name}:")
        with database as url:
            results[name] = run_backend(name, url, size, trials)
    ratios = {f"{b}.{k}": round(v, 3) for b, r in results.items() for k, v in r["ratios"].items()}
    targets = {f"{b}.{k}": limit for b in results for k, limit in TARGETS.items()}
    targets.update({f"{b}.statements": 1.0 for b in results})
    meets = all(
        ratios[key] <= limit if key.endswith(("latency", "statements")) else ratios[key] >= limit
        for key, limit in targets.items()
    )
    for key, limit in targets.items():
        better = "<=" if key.endswith(("latency", "statements")) else ">="
        log(f"{key}: x{ratios[key]:.2f} (target {better} {limit})")
    if args.json:
        print_result(
            "submit",
            ratios,
            targets,
            meets,
            ms={b: {k: round(v, 3) for k, v in r["ms"].items()} for b, r in results.items()},
            statements={b: r["statements"] for b, r in results.items()},
            size={"learners": size.learners, "sops": size.sops, "responses": size.responses},
            quick=args.quick,
        )
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
