"""A synthetic organisation of any size, for the benchmarks and load tests (`sop-lms seed-synthetic`).

Twenty thousand learners and two million responses would take hours through the services, so the rows go
in with bulk inserts of explicit ids, in batches, straight into an empty, migrated database. The content is
real: each SOP is one of the demo SOPs (cycled, under its own code), with the document stored as uploaded
and its parsed structure, sections, steps and lessons, so pages and exports read what they would in
production. Learners belong to job roles in departments (a tenth hold two); every SOP is assigned to
some roles; enrolments are completed, in progress, not started or overdue; attempts of ten questions are
scored with a miss rate that depends on the step (some are badly written) and the role (some were never
taught). The answer tallies are rebuilt from the responses at the end, and on PostgreSQL every id
sequence is moved past the ids written, so the application can insert afterwards.

Every learner signs in with the same password (one argon2 hash, computed once); no audit events are
written: this is test data, not a record of training.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select, text

from lms.db import db
from lms.models import (
    Assignment,
    Attempt,
    Enrolment,
    JobRole,
    Lesson,
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
from lms.services import tallies
from lms.services.accounts import hash_password
from lms.services.transactions import transaction
from quizzes.answers.single_choice import SingleChoice
from sops.model import SopDocument
from sops.parse import parse_sop

DEMO_SOPS = Path(__file__).resolve().parent / "demo" / "sops"
DEPARTMENTS = ("Laboratory", "Field", "Maintenance", "Quality", "Operations", "Finance", "IT")
QUESTIONS_PER_ATTEMPT = 10
BATCH = 5_000
NOT_LESSONS = {"revision_history", "references"}


@dataclass(frozen=True)
class Size:
    learners: int = 20_000
    sops: int = 300
    responses: int = 2_000_000
    roles: int = 40
    seed: int = 7
    enrolments: int | None = None  # at least this many (not-started ones fill up), for export sizes

    @property
    def attempts(self) -> int:
        return max(1, self.responses // QUESTIONS_PER_ATTEMPT)


@dataclass
class Built:
    """What was written: rows per table and the seconds it took (tallies and sequences included)."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    learner_emails: list[str] = field(default_factory=list)  # the first few, for signing in

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds else 0.0


class NotEmpty(Exception):
    """The database already holds an organisation; synthetic rows are only written into an empty one."""


@dataclass(frozen=True)
class _Content:
    """One demo SOP, parsed once: what every synthetic SOP cut from it stores."""

    data: bytes
    filename: str
    doc: SopDocument
    structure: dict[str, Any]


@cache
def demo_contents() -> tuple[_Content, ...]:
    found = []
    for path in sorted(DEMO_SOPS.glob("*.md")):
        if path.name == "SOURCES.md":
            continue
        data = path.read_bytes()
        doc = parse_sop(data, path.name)
        if len(doc.steps) >= 5:  # a pool of two questions per step fills an attempt of ten
            found.append(_Content(data, path.name, doc, doc.to_dict()))
    return tuple(found)


def estimated_rows(size: Size) -> int:
    """About how many rows `build` writes (for a progress bar's length)."""
    steps = sum(len(c.doc.steps) for c in demo_contents()) / len(demo_contents())
    per_sop = 1 + 1 + 8 + steps + 1 + 1 + 6 + 2 * steps
    return int(
        max(0, (size.enrolments or 0) - size.attempts)
        + size.roles
        + size.learners * 2.1
        + size.sops * per_sop
        + size.attempts * 1.6
        + size.attempts
        + size.responses
    )


def build(size: Size, password: str, progress: Callable[[int], None] = lambda rows: None) -> Built:
    """Write the organisation into the (empty) database of the current app; `progress(n)` after each batch
    of n rows. Raises `NotEmpty` when the database already has users or SOPs."""
    existing = db.session.scalar(select(func.count(User.id))) + db.session.scalar(select(func.count(Sop.id)))
    if existing:
        raise NotEmpty(
            "seed-synthetic fills an empty database; this one already has users or SOPs. "
            "Point DATABASE_URL at a new database and run `sop-lms db upgrade` first."
        )
    started = time.perf_counter()
    built = Built()
    with transaction():
        _write(size, password, _Writer(built, progress), built)
        tallies.rebuild()  # the rows went in past the services that keep the tallies current
        _move_sequences()
    built.seconds = time.perf_counter() - started
    return built


class _Writer:
    def __init__(self, built: Built, progress: Callable[[int], None]) -> None:
        self.built, self.progress = built, progress
        self.connection = db.session.connection()

    def insert(self, table: Table, rows: list[dict] | Iterator[dict]) -> None:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                self._flush(table, batch)
                batch = []
        if batch:
            self._flush(table, batch)

    def _flush(self, table: Table, batch: list[dict]) -> None:
        self.connection.execute(table.insert(), batch)
        self.built.rows[table.name] = self.built.rows.get(table.name, 0) + len(batch)
        self.progress(len(batch))


def _write(size: Size, password: str, out: _Writer, built: Built) -> None:
    rng = random.Random(size.seed)  # noqa: S311 (test data, not a secret)
    now = datetime.now(UTC)
    out.insert(
        JobRole.__table__,
        (
            {
                "id": i,
                "name": f"{DEPARTMENTS[i % len(DEPARTMENTS)]} role {i:03d}",
                "department": DEPARTMENTS[i % len(DEPARTMENTS)],
                "description": "",
            }
            for i in range(1, size.roles + 1)
        ),
    )
    untaught = {rng.randrange(1, size.roles + 1) for _ in range(max(1, size.roles // 5))}
    password_hash = hash_password(password)
    out.insert(
        User.__table__,
        (
            {
                "id": i,
                "email": f"learner{i}@synthetic.example",
                "name": f"Learner {i}",
                "password_hash": password_hash,
                "app_role": "learner",
                "active": True,
                "created_at": now,
                "timezone": "UTC",
                "signing_failures": 0,
            }
            for i in range(1, size.learners + 1)
        ),
    )
    built.learner_emails = [f"learner{i}@synthetic.example" for i in range(1, min(size.learners, 200) + 1)]
    role_of = {
        user: rng.sample(range(1, size.roles + 1), 2 if rng.random() < 0.1 and size.roles > 1 else 1)
        for user in range(1, size.learners + 1)
    }
    out.insert(
        user_job_roles,
        ({"user_id": u, "job_role_id": r, "joined_at": now} for u, roles in role_of.items() for r in roles),
    )
    pools, difficulty = _write_sops(size, out, rng, now)
    _write_training(size, out, rng, now, role_of, untaught, pools, difficulty)


def _write_sops(
    size: Size, out: _Writer, rng: random.Random, now: datetime
) -> tuple[dict[int, list[tuple[int, int]]], dict[int, float]]:
    """SOPs, their effective revision with the real document, sections, steps, a published module with
    lessons, a quiz of two approved questions per step. Returns each SOP's question pool (question id,
    step id) and each step's miss probability."""
    contents = demo_contents()
    ids = {"section": 0, "step": 0, "lesson": 0, "question": 0}
    tables: dict[str, list[dict]] = {
        name: [] for name in ("sop", "revision", "section", "step", "module", "lesson", "quiz", "question")
    }
    pools: dict[int, list[tuple[int, int]]] = {}
    difficulty: dict[int, float] = {}
    for s in range(1, size.sops + 1):
        content = contents[(s - 1) % len(contents)]
        doc = content.doc
        code = f"SYN-{s:04d}"
        title = f"{doc.title} ({code})"[:300]
        tables["sop"].append({"id": s, "code": code, "title": title, "created_at": now})
        tables["revision"].append(
            {
                "id": s,
                "sop_id": s,
                "label": "1.0",
                "title": title,
                "status": "effective",
                "content_hash": f"{s:064d}",
                "source_filename": content.filename,
                "source_blob": content.data,
                "structure": content.structure,
                "imported_at": now,
            }
        )
        tables["module"].append(
            {"id": s, "revision_id": s, "title": f"{code}: {title}"[:300], "status": "published"}
        )
        tables["quiz"].append(
            {
                "id": s,
                "module_id": s,
                "pass_mark": 80,
                "partial_credit": True,
                "questions_per_attempt": QUESTIONS_PER_ATTEMPT,
            }
        )
        section_ids = {}
        for position, section in enumerate(doc.sections):
            ids["section"] += 1
            section_ids[section.id] = ids["section"]
            tables["section"].append(
                {
                    "id": ids["section"],
                    "revision_id": s,
                    "key": section.id,
                    "position": position,
                    "kind": section.kind,
                    "heading": section.heading[:500],
                    "text": section.text,
                    "level": section.level,
                }
            )
        with_steps = {step.section_id for step in doc.steps}
        teachable = [
            sec for sec in doc.sections if (sec.text or sec.id in with_steps) and sec.kind not in NOT_LESSONS
        ]
        for position, section in enumerate(teachable):
            ids["lesson"] += 1
            tables["lesson"].append(
                {
                    "id": ids["lesson"],
                    "module_id": s,
                    "section_id": section_ids[section.id],
                    "position": position,
                    "title": section.heading[:500],
                }
            )
        pools[s] = []
        for position, step in enumerate(doc.steps):
            ids["step"] += 1
            step_id = ids["step"]
            tables["step"].append(
                {
                    "id": step_id,
                    "revision_id": s,
                    "section_id": section_ids[step.section_id],
                    "key": step.id,
                    "position": position,
                    "number": step.number[:40],
                    "depth": step.depth,
                    "text": step.text,
                    "warnings": list(step.warnings),
                    "critical_values": [],
                    "conditions": list(step.conditions),
                }
            )
            difficulty[step_id] = 0.45 if rng.random() < 0.08 else rng.uniform(0.02, 0.15)
            for k in range(2):
                ids["question"] += 1
                tables["question"].append(
                    {
                        "id": ids["question"],
                        "quiz_id": s,
                        "position": len(pools[s]),
                        "type": SingleChoice.name,
                        "stem": f"Which is what step {step.number} asks{' first' if k == 0 else ''}?",
                        "options": [step.text[:300], "Skip it", "Ask a colleague to do it", "Do it later"],
                        "answer": 0,
                        "step_id": step_id,
                        "status": "approved",
                        "updated_at": now,
                    }
                )
                pools[s].append((ids["question"], step_id))
    for name, table in (
        ("sop", Sop.__table__),
        ("revision", SopRevision.__table__),
        ("section", SopSection.__table__),
        ("step", SopStep.__table__),
        ("module", TrainingModule.__table__),
        ("lesson", Lesson.__table__),
        ("quiz", Quiz.__table__),
        ("question", Question.__table__),
    ):
        out.insert(table, tables[name])
    return pools, difficulty


def _write_training(
    size: Size,
    out: _Writer,
    rng: random.Random,
    now: datetime,
    role_of: dict[int, list[int]],
    untaught: set[int],
    pools: dict[int, list[tuple[int, int]]],
    difficulty: dict[int, float],
) -> None:
    """Assignments, enrolments, attempts and responses. The attempts are planned first (who, which SOP,
    which questions, what score) with a random generator per attempt, so the responses can be drawn again
    from the same generators while they are written, in batches, instead of being held in memory."""
    enrolment_of: dict[tuple[int, int], int] = {}
    plans: list[tuple[int, int, int, int, float, datetime]] = []  # enrolment, user, sop, number, %, when
    numbers: dict[int, int] = {}
    first_pass: dict[int, datetime] = {}
    for attempt_id in range(1, size.attempts + 1):
        user, sop = rng.randrange(1, size.learners + 1), rng.randrange(1, size.sops + 1)
        enrolment_id = enrolment_of.setdefault((user, sop), len(enrolment_of) + 1)
        numbers[enrolment_id] = numbers.get(enrolment_id, 0) + 1
        scores = [
            score for _q, score in _answers(size, attempt_id, user, pools[sop], role_of, untaught, difficulty)
        ]
        percent = 100.0 * sum(scores) / len(scores)
        when = now - timedelta(days=rng.randrange(0, 365), minutes=rng.randrange(0, 1440))
        plans.append((enrolment_id, user, sop, numbers[enrolment_id], percent, when))
        if percent >= 80:
            first_pass[enrolment_id] = min(first_pass.get(enrolment_id, when), when)
    for user in rng.sample(range(1, size.learners + 1), size.learners // 5):  # assigned, not started
        enrolment_of.setdefault((user, rng.randrange(1, size.sops + 1)), len(enrolment_of) + 1)
    wanted = min(size.enrolments or 0, size.learners * size.sops)
    while len(enrolment_of) < wanted:
        pair = (rng.randrange(1, size.learners + 1), rng.randrange(1, size.sops + 1))
        enrolment_of.setdefault(pair, len(enrolment_of) + 1)

    assignments: dict[tuple[int, int], int] = {}
    for user, sop in enrolment_of:
        assignments.setdefault((role_of[user][0], sop), len(assignments) + 1)
    out.insert(
        Assignment.__table__,
        (
            {"id": i, "sop_id": sop, "module_id": sop, "job_role_id": role, "due_days": 14, "created_at": now}
            for (role, sop), i in assignments.items()
        ),
    )

    def enrolment_rows() -> Iterator[dict]:  # in id order (ids were given in insertion order), one at a time
        for (user, sop), enrolment_id in enrolment_of.items():
            started = enrolment_id in numbers
            completed = first_pass.get(enrolment_id)
            yield {
                "id": enrolment_id,
                "user_id": user,
                "module_id": sop,
                "revision_id": sop,
                "assignment_id": assignments[(role_of[user][0], sop)],
                "status": "completed" if completed else ("in_progress" if started else "assigned"),
                "assigned_at": now - timedelta(days=400 if started else 20),
                "due_at": now + timedelta(days=rng.randint(-60, 30)),
                "completed_at": completed,
                "kind": "initial",
                "completion": "quiz",
                "cycle": 1,
            }

    out.insert(Enrolment.__table__, enrolment_rows())

    def attempt_rows() -> Iterator[dict]:
        for attempt_id, (enrolment_id, user, sop, number, percent, when) in enumerate(plans, 1):
            shown = _answers(size, attempt_id, user, pools[sop], role_of, untaught, difficulty)
            yield {
                "id": attempt_id,
                "enrolment_id": enrolment_id,
                "user_id": user,
                "quiz_id": sop,
                "number": number,
                "question_ids": [q for q, _s in shown],
                "option_orders": {},
                "started_at": when - timedelta(minutes=15),
                "submitted_at": when,
                "score_percent": percent,
                "passed": percent >= 80,
            }

    def response_rows() -> Iterator[dict]:
        for attempt_id, (_e, user, sop, _n, _p, _w) in enumerate(plans, 1):
            for question_id, score in _answers(
                size, attempt_id, user, pools[sop], role_of, untaught, difficulty
            ):
                yield {
                    "attempt_id": attempt_id,
                    "question_id": question_id,
                    "value": int(score < 1),
                    "score": score,
                }

    out.insert(Attempt.__table__, attempt_rows())
    out.insert(Response.__table__, response_rows())


def _answers(
    size: Size,
    attempt_id: int,
    user: int,
    pool: list[tuple[int, int]],
    role_of: dict[int, list[int]],
    untaught: set[int],
    difficulty: dict[int, float],
) -> list[tuple[int, float]]:
    """The questions one attempt showed and each score, the same every time it is drawn."""
    rng = random.Random(size.seed * 1_000_003 + attempt_id)  # noqa: S311 (test data)
    penalty = 0.25 if any(role in untaught for role in role_of[user]) else 0.0
    answers = []
    for question_id, step_id in rng.sample(pool, min(QUESTIONS_PER_ATTEMPT, len(pool))):
        missed = rng.random() < min(0.95, difficulty[step_id] + penalty)
        answers.append((question_id, (0.5 if rng.random() < 0.2 else 0.0) if missed else 1.0))
    return answers


def _move_sequences() -> None:
    """On PostgreSQL, move each table's id sequence past the largest id written (explicit ids leave it at
    1, and the application's next insert would collide)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.primary_key or table.c.id.autoincrement is False:
            continue
        sequence = db.session.scalar(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        )
        if sequence:
            past = select(func.coalesce(func.max(table.c.id), 0) + 1).scalar_subquery()
            db.session.execute(select(func.setval(sequence, past, False)))
