"""Shared by the analytics tests: quiz results built through the real services (publish an SOP's module,
submit attempts wrong on exactly the questions a test names), and readers for the pages and CSVs."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Callable

from sqlalchemy import select

from lms.db import db
from lms.models import Attempt, Question, Response, Sop, SopRevision, SopStep, TrainingModule
from lms.services import attempts, enrolments, quiz_review, sop_import
from quizzes.answers import answer_type
from tests.conftest import DEMO_SOPS, login


def take_quiz(user_id: int, module_id: int, wrong_questions: set[int]) -> int:
    """One submitted attempt of the user's enrolment on the module, wrong exactly on `wrong_questions`
    (a wrong single choice is always the option after the key, so misses pile onto one distractor)."""
    enrolment = next(e for e in enrolments.enrolments_for(user_id) if e.module_id == module_id)
    attempt = attempts.start_attempt(user_id, enrolment.id)
    answers = {}
    for q in attempts.questions_of(attempt):
        given = answer_type(q.type).wrong_response(q.options, q.answer) if q.id in wrong_questions else None
        answers[q.id] = attempts.as_displayed(
            attempt, q, given if given is not None else answer_type(q.type).right_response(q.answer)
        )
    attempts.submit_attempt(user_id, attempt.id, answers)
    return attempt.id


def publish(name: str) -> TrainingModule:
    """Import a demo SOP; its generated module (not yet published)."""
    revision = sop_import.import_sop((DEMO_SOPS / name).read_bytes(), name, None)
    return sop_import.modules_of(revision.id)[0]


def publish_written(name: str, count: int = 12) -> TrainingModule:
    """Import a demo SOP and give its module a trainer-written quiz: one single-choice question on each of its
    first `count` steps ("What does step N ask?", the key that step's text, two other steps as distractors),
    in place of the drafted ones. For the analytics tests whose arithmetic needs a known quiz shape, whatever
    the generator drafts from that SOP today."""
    module = publish(name)
    for question in list(module.quiz.questions):
        module.quiz.questions.remove(question)
        db.session.delete(question)
    module.quiz.questions_per_attempt = None
    db.session.flush()
    steps = module.revision.steps
    assert len(steps) >= count, f"{name} has {len(steps)} steps, fewer than {count}"
    for k, step in enumerate(steps[:count]):
        others = [steps[(k + 1) % len(steps)].text, steps[(k + 2) % len(steps)].text]
        quiz_review.add_question(
            module.id,
            "single_choice",
            f"What does step {step.number} ask?",
            [step.text, *others],
            0,
            step.id,
            None,
        )
    db.session.refresh(module)
    return module


def raw_sop_revision_totals(keep: Callable[[int], bool] = lambda user_id: True) -> dict:
    """(SOP code, revision label) -> (answers, misses) counted in Python from every submitted response on a
    step, each once, keeping the learners `keep(user_id)` accepts: the reference for the per-SOP totals."""
    counted: Counter = Counter()
    for score, user_id, code, label in db.session.execute(
        select(Response.score, Attempt.user_id, Sop.code, SopRevision.label)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(Question, Question.id == Response.question_id)
        .join(SopStep, SopStep.id == Question.step_id)
        .join(SopRevision, SopRevision.id == SopStep.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Attempt.submitted_at.is_not(None))
    ):
        if keep(user_id):
            counted[(code, label, "answers")] += 1
            counted[(code, label, "misses")] += score < 1
    return {
        (code, label): (n, counted[(code, label, "misses")])
        for (code, label, kind), n in counted.items()
        if kind == "answers"
    }


# --- reading the analytics pages -------------------------------------------------------------------------

_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&#34;": '"', "&#39;": "'"}


def signed_in(client, make_user, app_role: str = "trainer"):
    """The test client, signed in as a new user of that app role."""
    login(client, make_user(app_role))
    return client


def table(html: str, table_id: str) -> list[list[str]]:
    """The body cells of the table with that id, as text (tags stripped, entities decoded)."""
    found = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert found, f"no table {table_id!r}"

    def text(cell: str) -> str:
        cell = re.sub(r"<[^>]+>", "", cell).strip()
        for raw, char in _ENTITIES.items():
            cell = cell.replace(raw, char)
        return cell

    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(1), re.S)
    return [[text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def csv_rows(body: str) -> list[dict[str, str]]:
    """A downloaded CSV (which must start with the UTF-8 byte-order mark) as dicts."""
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))
