"""Analytics benchmark (issue 6, "Scale"): each analytics service and page against the bare SQL query that
computes the same numbers from the stored rows, measured in the same run.

    .venv/bin/python bench/analytics.py [--quick] [--json] [--learners N] [--sops N] [--responses N]
                                        [--roles N] [--steps N] [--repeat N] [--pg URL | TEST_DATABASE_URL]
                                        [--only sqlite|postgresql]

A synthetic organisation is written straight into a fresh, migrated database with SQL bulk inserts (not
through the services, which would take hours at this size): job roles in departments, learners (a tenth
hold two roles), SOPs with one effective revision, sections, steps, a published module and quiz with
questions per step, assignments to roles, enrolments (completed, in progress, not started, some overdue),
submitted attempts of 10 questions drawn from the pool, and their responses. A step's miss probability
depends on the step (some are badly written) and the role (some were never taught). Because the rows
bypass the services, the answer tallies the gap page reads are then rebuilt (`tallies.rebuild()`, timed).

Measured on SQLite (a temporary file) and on PostgreSQL when `--pg URL` or TEST_DATABASE_URL is given (a
database of its own, dropped at the end); median of `--repeat` runs after a warm-up. Every ratio is service
time / bare SQL time, the bare SQL being hand-written GROUP BYs over the responses, enrolments and attempts
fetched through the raw driver cursor; the service's numbers are checked equal to the bare query's first.
- `gap_aggregate`: `gap_queries.step_role_frame()` (the heatmap cells) / the bare step x role GROUP BY.
- `gap_report`: `gaps.gap_report()` (both aggregates, labels, pandas shaping, the SOP text) / both bare
  GROUP BYs. The service reads the running tallies when no date range is set, so this is below 1.
- `overview`: `overview.overview()` (completion by role, score bands, pass rate per revision) / its three
  bare GROUP BYs.
- `item_report`: `items.item_report()` of the most attempted quiz (marks matrix, Moodle statistics, option
  counts by role) / the bare queries fetching the same marks and option counts.
- pages (`gap_page`, `overview_page`, `item_page`): GET as a trainer, figure and template included; on
  PostgreSQL each must return within 1 second (`page_budget_seconds`), which `meets_targets` includes.
Targets: each service within 1.5x of its bare SQL.

Defaults are the issue's size: 20,000 learners / 300 SOPs / 2,000,000 responses (about 3 minutes on SQLite
and 4 on PostgreSQL, most of it building the organisation; `--only` measures one backend). `--quick` is a
tiny organisation (well under a minute; fixed costs dominate its ratios). `--json`
prints one JSON line last: {"benchmark": "analytics", "ratios": {...}, "targets": {...},
"meets_targets": bool, "seconds": {...}, ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.common import log, migrated_app, postgres_database, sqlite_database  # noqa: E402
from lms.analytics import gap_queries, gaps, items, overview  # noqa: E402
from lms.analytics.filters import ReportFilters  # noqa: E402
from lms.db import db  # noqa: E402
from lms.models import (  # noqa: E402
    Assignment,
    Attempt,
    Enrolment,
    JobRole,
    Question,
    Quiz,
    Response,
    Sop,
    SopRevision,
    SopSection,
    SopStep,
    TrainingModule,
    User,
    user_job_roles,
)
from lms.services import tallies  # noqa: E402
from lms.services.accounts import hash_password  # noqa: E402

TARGETS = {"gap_aggregate": 1.5, "gap_report": 1.5, "overview": 1.5, "item_report": 1.5}
PAGE_BUDGET_SECONDS = {
    "postgresql.gap_page": 1.0,
    "postgresql.overview_page": 1.0,
    "postgresql.item_page": 1.0,
}
QUESTIONS_PER_ATTEMPT = 10
DEPARTMENTS = ("Laboratory", "Field", "Maintenance", "Quality", "Operations")
BATCH = 20_000
TRAINER_PASSWORD = "bench-trainer-password"  # noqa: S105 - a throwaway account in a throwaway database

BARE_STEP_ROLE = """
SELECT q.step_id, ujr.job_role_id, COUNT(r.id), SUM(CASE WHEN r.score < 1 THEN 1 ELSE 0 END)
FROM lms_response r
JOIN lms_attempt a ON a.id = r.attempt_id
JOIN lms_question q ON q.id = r.question_id
JOIN lms_user_job_role ujr ON ujr.user_id = a.user_id
WHERE a.submitted_at IS NOT NULL AND q.step_id IS NOT NULL
GROUP BY q.step_id, ujr.job_role_id
"""

BARE_STEP = """
SELECT q.step_id, COUNT(r.id), SUM(CASE WHEN r.score < 1 THEN 1 ELSE 0 END),
       COUNT(DISTINCT r.question_id), COUNT(DISTINCT CASE WHEN r.score < 1 THEN r.question_id END)
FROM lms_response r
JOIN lms_attempt a ON a.id = r.attempt_id
JOIN lms_question q ON q.id = r.question_id
WHERE a.submitted_at IS NOT NULL AND q.step_id IS NOT NULL
GROUP BY q.step_id
"""


IS_FIRST = (
    "a.submitted_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM lms_attempt b WHERE b.user_id = a.user_id "
    "AND b.quiz_id = a.quiz_id AND b.submitted_at IS NOT NULL AND b.id < a.id)"
)
PASSED = "SUM(CASE WHEN a.passed THEN 1 ELSE 0 END)"
BAND = (
    "CASE " + " ".join(f"WHEN a.score_percent >= {10 * i} THEN {i}" for i in range(9, 0, -1)) + " ELSE 0 END"
)

BARE_COMPLETION = """
SELECT jr.id, jr.name, jr.department, st.status, COUNT(*)
FROM (
  SELECT ujr.job_role_id AS job_role_id,
         CASE WHEN e.status = 'completed' THEN 'completed' WHEN e.due_at < {now} THEN 'overdue'
              WHEN e.status = 'in_progress' THEN 'in_progress' ELSE 'not_started' END AS status
  FROM lms_assignment asg
  JOIN lms_user_job_role ujr ON ujr.job_role_id = asg.job_role_id
  JOIN lms_enrolment e ON e.user_id = ujr.user_id AND e.module_id = asg.module_id
  JOIN lms_sop_revision rev ON rev.id = e.revision_id
  WHERE rev.status <> 'superseded'
) st JOIN lms_job_role jr ON jr.id = st.job_role_id
GROUP BY jr.id, jr.name, jr.department, st.status
"""

BARE_OUTCOMES = f"""
SELECT m.revision_id, {BAND} AS band, COUNT(*), {PASSED}
FROM lms_attempt a
JOIN lms_quiz q ON q.id = a.quiz_id
JOIN lms_module m ON m.id = q.module_id
WHERE {IS_FIRST}
GROUP BY m.revision_id, band
"""

ITEM_ATTEMPTS = (
    "a.quiz_id = {quiz} AND a.submitted_at IS NOT NULL AND a.id IN (SELECT MIN(id) FROM lms_attempt "
    "WHERE quiz_id = {quiz} AND submitted_at IS NOT NULL GROUP BY user_id)"
)
CHOICE_TYPES = "('single_choice', 'scenario', 'true_false', 'multiple_response')"
BARE_ITEM = (
    "SELECT r.attempt_id, a.user_id, r.question_id, r.score, CAST(r.value AS TEXT) FROM lms_response r "
    "JOIN lms_attempt a ON a.id = r.attempt_id WHERE " + ITEM_ATTEMPTS,
    "SELECT a.id, a.question_ids FROM lms_attempt a WHERE " + ITEM_ATTEMPTS,
    "SELECT r.question_id, CAST(r.value AS TEXT), COUNT(r.id) FROM lms_response r "
    "JOIN lms_attempt a ON a.id = r.attempt_id JOIN lms_question q ON q.id = r.question_id "
    "WHERE " + ITEM_ATTEMPTS + " AND q.type IN " + CHOICE_TYPES + " "
    "GROUP BY r.question_id, CAST(r.value AS TEXT)",
    "SELECT r.question_id, ujr.job_role_id, CAST(r.value AS TEXT), COUNT(r.id) FROM lms_response r "
    "JOIN lms_attempt a ON a.id = r.attempt_id JOIN lms_question q ON q.id = r.question_id "
    "LEFT JOIN lms_user_job_role ujr ON ujr.user_id = a.user_id "
    "WHERE " + ITEM_ATTEMPTS + " AND q.type IN " + CHOICE_TYPES + " "
    "GROUP BY r.question_id, ujr.job_role_id, CAST(r.value AS TEXT)",
)
LARGEST_QUIZ = "SELECT quiz_id FROM lms_attempt GROUP BY quiz_id ORDER BY COUNT(*) DESC, quiz_id LIMIT 1"


# --- the synthetic organisation ------------------------------------------------------------------------


def build_organisation(args: argparse.Namespace) -> dict[str, int]:
    """Bulk-insert the organisation into the app's database (inside an app context)."""
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    started = time.perf_counter()
    connection = db.session.connection()

    def insert(table, rows: list[dict]) -> None:
        for start in range(0, len(rows), BATCH):
            connection.execute(table.insert(), rows[start : start + BATCH])

    roles = [
        {"id": i, "name": f"Role {i:03d}", "department": DEPARTMENTS[i % len(DEPARTMENTS)], "description": ""}
        for i in range(1, args.roles + 1)
    ]
    insert(JobRole.__table__, roles)
    untaught = {rng.randrange(1, args.roles + 1) for _ in range(max(1, args.roles // 5))}

    users = [
        {
            "id": i,
            "email": f"learner{i}@bench.example",
            "name": f"Learner {i}",
            "password_hash": "!",
            "app_role": "learner",
            "active": True,
            "created_at": now,
            "timezone": "UTC",
            "signing_failures": 0,
        }
        for i in range(1, args.learners + 1)
    ]
    insert(User.__table__, users)
    memberships, role_of = [], {}
    for user in users:
        chosen = rng.sample(range(1, args.roles + 1), 2 if rng.random() < 0.1 and args.roles > 1 else 1)
        role_of[user["id"]] = chosen
        memberships += [{"user_id": user["id"], "job_role_id": r, "joined_at": now} for r in chosen]
    insert(user_job_roles, memberships)

    sops, revisions, sections, steps, modules, quizzes, questions = [], [], [], [], [], [], []
    step_difficulty: dict[int, float] = {}
    questions_of_sop: dict[int, list[tuple[int, int]]] = {}
    for s in range(1, args.sops + 1):
        sops.append({"id": s, "code": f"BENCH-{s:04d}", "title": f"Benchmark SOP {s}", "created_at": now})
        revisions.append(
            {
                "id": s,
                "sop_id": s,
                "label": "1.0",
                "title": f"Benchmark SOP {s}",
                "status": "effective",
                "content_hash": f"{s:064d}",
                "source_filename": f"bench-{s}.md",
                "source_blob": b"",
                "structure": {},
                "imported_at": now,
            }
        )
        modules.append({"id": s, "revision_id": s, "title": f"Benchmark SOP {s}", "status": "published"})
        quizzes.append({"id": s, "module_id": s, "pass_mark": 80, "partial_credit": True})
        for k in range(2):
            section_id = 2 * s - 1 + k
            sections.append(
                {
                    "id": section_id,
                    "revision_id": s,
                    "key": f"sec-{k + 1}",
                    "position": k,
                    "kind": "procedure",
                    "heading": f"Procedure part {k + 1}",
                    "text": "",
                    "level": 1,
                }
            )
        questions_of_sop[s] = []
        for n in range(args.steps):
            step_id = (s - 1) * args.steps + n + 1
            steps.append(
                {
                    "id": step_id,
                    "revision_id": s,
                    "section_id": 2 * s - 1 + (n >= args.steps // 2),
                    "key": f"step-{n + 1}",
                    "position": n,
                    "number": str(n + 1),
                    "depth": 0,
                    "text": f"Step {n + 1} of SOP {s}: do the thing at {20 + n} °C.",
                    "warnings": [],
                    "critical_values": [],
                    "conditions": [],
                }
            )
            step_difficulty[step_id] = 0.45 if rng.random() < 0.08 else rng.uniform(0.02, 0.15)
            for _ in range(2):
                question_id = len(questions) + 1
                questions.append(
                    {
                        "id": question_id,
                        "quiz_id": s,
                        "position": len(questions_of_sop[s]),
                        "type": "single_choice",
                        "stem": f"Question {question_id}",
                        "options": ["a", "b", "c", "d"],
                        "answer": 0,
                        "step_id": step_id,
                        "status": "approved",
                        "updated_at": now,
                    }
                )
                questions_of_sop[s].append((question_id, step_id))
    for table, rows in (
        (Sop.__table__, sops),
        (SopRevision.__table__, revisions),
        (SopSection.__table__, sections),
        (SopStep.__table__, steps),
        (TrainingModule.__table__, modules),
        (Quiz.__table__, quizzes),
        (Question.__table__, questions),
    ):
        insert(table, rows)

    attempts_wanted = max(1, args.responses // QUESTIONS_PER_ATTEMPT)
    enrolments, attempts, responses = [], [], []
    enrolment_of: dict[tuple[int, int], tuple[int, int]] = {}
    for attempt_id in range(1, attempts_wanted + 1):
        user_id = rng.randrange(1, args.learners + 1)
        sop_id = rng.randrange(1, args.sops + 1)
        enrolment_id, number = enrolment_of.get((user_id, sop_id), (len(enrolments) + 1, 0))
        if number == 0:
            enrolments.append(
                {
                    "id": enrolment_id,
                    "user_id": user_id,
                    "module_id": sop_id,
                    "revision_id": sop_id,
                    "status": "in_progress",
                    "assigned_at": now - timedelta(days=400),
                    "due_at": now + timedelta(days=14),
                    "kind": "initial",
                    "completion": "quiz",
                    "cycle": 1,
                }
            )
        enrolment_of[(user_id, sop_id)] = (enrolment_id, number + 1)
        pool = questions_of_sop[sop_id]
        shown = rng.sample(pool, min(QUESTIONS_PER_ATTEMPT, len(pool)))
        penalty = 0.25 if any(r in untaught for r in role_of[user_id]) else 0.0
        scores = []
        for question_id, step_id in shown:
            missed = rng.random() < min(0.95, step_difficulty[step_id] + penalty)
            score = (0.5 if rng.random() < 0.2 else 0.0) if missed else 1.0
            scores.append(score)
            responses.append(
                {
                    "attempt_id": attempt_id,
                    "question_id": question_id,
                    "value": 1 if missed else 0,
                    "score": score,
                }
            )
        submitted = now - timedelta(days=rng.randrange(0, 365), minutes=rng.randrange(0, 1440))
        percent = 100.0 * sum(scores) / len(scores)
        attempts.append(
            {
                "id": attempt_id,
                "enrolment_id": enrolment_id,
                "user_id": user_id,
                "quiz_id": sop_id,
                "number": number + 1,
                "question_ids": [q for q, _ in shown],
                "option_orders": {},
                "started_at": submitted - timedelta(minutes=15),
                "submitted_at": submitted,
                "score_percent": percent,
                "passed": percent >= 80,
            }
        )
    # Each enrolment comes through an assignment of its SOP to the learner's (first) job role; a learner who
    # passed an attempt has completed it; due dates spread from two months ago to a month ahead, so the
    # overview has overdue, in-progress and completed training; and some learners have not started yet.
    assignments: dict[tuple[int, int], int] = {}
    passed_at: dict[int, datetime] = {}
    for attempt in attempts:
        if attempt["passed"]:
            previous = passed_at.get(attempt["enrolment_id"])
            passed_at[attempt["enrolment_id"]] = min(
                previous or attempt["submitted_at"], attempt["submitted_at"]
            )
    for (user_id, sop_id), (enrolment_id, _n) in enrolment_of.items():
        key = (role_of[user_id][0], sop_id)
        assignments.setdefault(key, len(assignments) + 1)
        enrolment = enrolments[enrolment_id - 1]
        enrolment["assignment_id"] = assignments[key]
        enrolment["due_at"] = now + timedelta(days=rng.randint(-60, 30))
        if enrolment_id in passed_at:
            enrolment["status"], enrolment["completed_at"] = "completed", passed_at[enrolment_id]
    for user_id in rng.sample(range(1, args.learners + 1), args.learners // 5):
        sop_id = rng.randrange(1, args.sops + 1)
        if (user_id, sop_id) in enrolment_of:
            continue
        key = (role_of[user_id][0], sop_id)
        assignments.setdefault(key, len(assignments) + 1)
        enrolment_of[(user_id, sop_id)] = (len(enrolments) + 1, 0)
        enrolments.append(
            {
                "id": len(enrolments) + 1,
                "user_id": user_id,
                "module_id": sop_id,
                "revision_id": sop_id,
                "assignment_id": assignments[key],
                "status": "assigned",
                "assigned_at": now - timedelta(days=20),
                "due_at": now + timedelta(days=rng.randint(-30, 30)),
                "kind": "initial",
                "completion": "quiz",
                "cycle": 1,
            }
        )
    insert(
        Assignment.__table__,
        [
            {"id": i, "sop_id": sop, "module_id": sop, "job_role_id": role, "due_days": 14, "created_at": now}
            for (role, sop), i in assignments.items()
        ],
    )
    insert(Enrolment.__table__, [{"completed_at": None, **e} for e in enrolments])
    insert(Attempt.__table__, attempts)
    insert(Response.__table__, responses)
    trainer_id = args.learners + 1
    connection.execute(
        User.__table__.insert(),
        {
            "id": trainer_id,
            "email": "trainer@bench.example",
            "name": "Bench Trainer",
            "password_hash": hash_password(TRAINER_PASSWORD),
            "app_role": "trainer",
            "active": True,
            "created_at": now,
            "timezone": "UTC",
            "signing_failures": 0,
        },
    )
    db.session.commit()
    tallied = time.perf_counter()
    tallies.rebuild()  # the rows went in with SQL, past the services that keep the tallies current
    db.session.commit()
    log(f"  answer tallies rebuilt from the responses in {time.perf_counter() - tallied:.1f} s")
    with db.engine.connect() as fresh:  # planner statistics, as a maintained production database has
        fresh.execute(text("ANALYZE"))
        fresh.commit()
    log(
        f"  built {args.learners} learners, {args.roles} roles, {args.sops} SOPs, {len(steps)} steps, "
        f"{len(attempts)} attempts, {len(responses)} responses in {time.perf_counter() - started:.1f} s"
    )
    return {"steps": len(steps), "attempts": len(attempts), "responses": len(responses)}


# --- timing --------------------------------------------------------------------------------------------


def bare(sql: str) -> list[tuple]:
    """The query through the raw driver cursor: no ORM, no pandas."""
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql)
        rows = cursor.fetchall()
        cursor.close()
        raw.commit()
        return rows
    finally:
        raw.close()


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    work()  # warm-up: caches, compiled statements, connection pool
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def check_same_numbers() -> None:
    service = gap_queries.step_role_frame(ReportFilters())
    ours = {
        (int(r.step_id), int(r.job_role_id)): (int(r.responses), int(r.misses)) for r in service.itertuples()
    }
    theirs = {(int(s), int(r)): (int(n), int(m)) for s, r, n, m in bare(BARE_STEP_ROLE)}
    assert ours == theirs, "the service's step x role numbers differ from the bare SQL query's"
    steps = gap_queries.step_frame(ReportFilters())
    ours_steps = {tuple(int(v) for v in row) for row in steps.itertuples(index=False)}
    theirs_steps = {tuple(int(v) for v in row) for row in bare(BARE_STEP)}
    assert ours_steps == theirs_steps, "the service's step totals differ from the bare SQL query's"


def now_literal(now: datetime) -> str:
    """`now` as an SQL literal the way the app's UTC column stores it on this backend."""
    if db.engine.dialect.name == "sqlite":
        return f"'{now.astimezone(UTC):%Y-%m-%d %H:%M:%S.%f}'"
    return f"'{now.astimezone(UTC).isoformat()}'::timestamptz"


def bare_overview(now: datetime) -> tuple[list, list]:
    return bare(BARE_COMPLETION.format(now=now_literal(now))), bare(BARE_OUTCOMES)


def bare_items(quiz_id: int) -> list[list]:
    return [bare(sql.format(quiz=int(quiz_id))) for sql in BARE_ITEM]


def check_overview_numbers(now: datetime) -> None:
    completion, outcomes = bare_overview(now)
    report = overview.overview(ReportFilters(), now)
    ours = {(r.job_role_id, s): n for r in report.completion for s, n in r.counts.items() if n}
    assert ours == {(int(r), s): int(n) for r, _name, _d, s, n in completion}, "completion differs"
    bands: dict[int, tuple[int, int]] = {}
    revisions: dict[int, tuple[int, int]] = {}
    for revision, band, n, p in outcomes:
        for totals, key in ((bands, int(band)), (revisions, int(revision))):
            old = totals.get(key, (0, 0))
            totals[key] = (old[0] + int(n), old[1] + int(p))
    assert {b.index: (b.first_attempts, b.passed) for b in report.scores if b.first_attempts} == bands, (
        "bands"
    )
    # the trend draws the SOPs with the most first attempts: each of its points must match
    assert all(revisions[t.revision_id] == (t.first_attempts, t.passed) for t in report.trend), (
        "trend differs"
    )
    assert report.trend and len(report.trend) <= len(revisions), "trend rows"


def check_item_numbers(quiz_id: int) -> None:
    marks, _drawn, choices, _by_role = bare_items(quiz_id)
    report = items.item_report(quiz_id, "first")
    totals: dict[int, list[float]] = {}
    for _attempt, _learner, question, score, _answer in marks:
        totals.setdefault(int(question), []).append(float(score))
    assert {row.question_id: (row.attempts, round(row.facility, 6)) for row in report.rows} == {
        q: (len(v), round(100 * sum(v) / len(v), 6)) for q, v in totals.items()
    }, "item facilities differ"
    counted = {
        (o.question_id, o.option): o.count
        for o in report.options
        if o.group == items.ALL_LEARNERS and o.count
    }
    theirs = {(int(q), "abcd"[int(v)]): int(n) for q, v, n in choices}
    assert counted == theirs, "option counts differ"


def signed_in_client(app):
    client = app.test_client()
    with app.app_context():
        token = (
            client.get("/login").get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
        )
    login = client.post(
        "/login", data={"email": "trainer@bench.example", "password": TRAINER_PASSWORD, "csrf_token": token}
    )
    assert login.status_code == 302, "the benchmark trainer could not sign in"
    return client


def measure(app, repeat: int) -> dict[str, float]:
    with app.app_context():
        check_same_numbers()
        now = datetime.now(UTC)
        check_overview_numbers(now)
        largest = int(bare(LARGEST_QUIZ)[0][0])
        check_item_numbers(largest)
        everything = ReportFilters()

        def fresh(work: Callable[[], object]) -> Callable[[], object]:
            def run() -> object:
                try:
                    return work()
                finally:
                    db.session.remove()

            return run

        seconds = {
            "bare_step_role": median_seconds(lambda: bare(BARE_STEP_ROLE), repeat),
            "gap_aggregate": median_seconds(fresh(lambda: gap_queries.step_role_frame(everything)), repeat),
            "bare_both": median_seconds(lambda: (bare(BARE_STEP_ROLE), bare(BARE_STEP)), repeat),
            "gap_report": median_seconds(fresh(lambda: gaps.gap_report(everything)), repeat),
            "bare_overview": median_seconds(lambda: bare_overview(now), repeat),
            "overview": median_seconds(fresh(lambda: overview.overview(everything, now)), repeat),
            "bare_items": median_seconds(lambda: bare_items(largest), repeat),
            "item_report": median_seconds(fresh(lambda: items.item_report(largest, "first")), repeat),
        }
    client = signed_in_client(app)
    pages = {
        "gap_page": ("/analytics/gaps", b"gap-heatmap-data"),
        "overview_page": ("/analytics/", b"completion-data"),
        "item_page": (f"/analytics/quizzes/{largest}", b"item-scatter-data"),
    }
    for name, (path, marker) in pages.items():

        def page(path: str = path, marker: bytes = marker) -> None:
            response = client.get(path)
            assert response.status_code == 200 and marker in response.data, path

        seconds[name] = median_seconds(page, repeat)
    with app.app_context():
        seconds["irt_fit"] = median_seconds(fresh(lambda: items.item_report(largest, "first", irt=True)), 1)
    return seconds


# --- backends ------------------------------------------------------------------------------------------


def run_backend(name: str, url: str, args: argparse.Namespace) -> dict:
    with migrated_app(url) as app:
        with app.app_context():
            size = build_organisation(args)
        seconds = measure(app, args.repeat)
    ratios = {
        "gap_aggregate": seconds["gap_aggregate"] / seconds["bare_step_role"],
        "gap_report": seconds["gap_report"] / seconds["bare_both"],
        "overview": seconds["overview"] / seconds["bare_overview"],
        "item_report": seconds["item_report"] / seconds["bare_items"],
        "gap_page": seconds["gap_page"] / seconds["bare_both"],
        "overview_page": seconds["overview_page"] / seconds["bare_overview"],
        "item_page": seconds["item_page"] / seconds["bare_items"],
    }

    def ms(key: str) -> str:
        return f"{seconds[key] * 1000:.1f} ms"

    log(
        f"  {name}: gaps: bare step x role {ms('bare_step_role')}, service {ms('gap_aggregate')} "
        f"(x{ratios['gap_aggregate']:.2f}); bare both {ms('bare_both')}, gap_report {ms('gap_report')} "
        f"(x{ratios['gap_report']:.2f}), page {ms('gap_page')}\n"
        f"  {name}: overview: bare {ms('bare_overview')}, service {ms('overview')} "
        f"(x{ratios['overview']:.2f}), page {ms('overview_page')}\n"
        f"  {name}: item analysis of the largest quiz: bare {ms('bare_items')}, service {ms('item_report')} "
        f"(x{ratios['item_report']:.2f}), page {ms('item_page')}; with the IRT fit {ms('irt_fit')}"
    )
    return {"size": size, "seconds": seconds, "ratios": ratios}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument("--sops", type=int, default=300)
    parser.add_argument("--responses", type=int, default=2_000_000)
    parser.add_argument("--roles", type=int, default=20)
    parser.add_argument("--steps", type=int, default=15, help="steps per SOP (two questions each)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--quick", action="store_true", help="a tiny organisation, well under a minute")
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL", "").strip() or None)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--only", choices=("sqlite", "postgresql"), help="measure one backend (the full size takes a while)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.learners, args.sops, args.responses, args.roles, args.steps = 100, 5, 5_000, 6, 8
    backends = [] if args.only == "postgresql" else [("sqlite", sqlite_database())]
    if args.pg and args.only != "sqlite":
        backends.append(("postgresql", postgres_database(args.pg)))
    elif args.only != "sqlite":
        log("PostgreSQL not measured: pass --pg URL or set TEST_DATABASE_URL.")

    results = {}
    for name, database in backends:
        log(f"{name}:")
        with database as url:
            results[name] = run_backend(name, url, args)

    ratios = {
        f"{backend}.{key}": round(value, 3)
        for backend, r in results.items()
        for key, value in r["ratios"].items()
    }
    targets = {f"{backend}.{key}": limit for backend in results for key, limit in TARGETS.items()}
    seconds = {
        f"{backend}.{key}": round(value, 4)
        for backend, r in results.items()
        for key, value in r["seconds"].items()
    }
    budgets = {key: limit for key, limit in PAGE_BUDGET_SECONDS.items() if key in seconds}
    meets = all(ratios[key] <= limit for key, limit in targets.items()) and all(
        seconds[key] <= limit for key, limit in budgets.items()
    )
    for key, limit in targets.items():
        log(f"{key}: x{ratios[key]:.2f} (target <= {limit}) {'ok' if ratios[key] <= limit else 'MISSED'}")
    for key, limit in budgets.items():
        verdict = "ok" if seconds[key] <= limit else "MISSED"
        log(f"{key}: {seconds[key]:.3f} s (budget <= {limit} s) {verdict}")
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "analytics",
                    "ratios": ratios,
                    "targets": targets,
                    "meets_targets": meets,
                    "seconds": seconds,
                    "page_budget_seconds": budgets,
                    "size": {backend: r["size"] for backend, r in results.items()},
                    "learners": args.learners,
                    "sops": args.sops,
                }
            )
        )
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
