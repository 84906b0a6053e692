"""Steps of the journey, through real HTTP, shared by the web tests."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select

from lms.db import db
from lms.models import Attempt, Enrolment, SopRevision, TrainingModule
from lms.services import attempts
from quizzes.answers import answer_type
from tests.conftest import DEMO_SOPS, post

LOTO = "safety-lockout-tagout-osha-typical-minimal-procedure.md"
# The SOP the journey tests upload to get a drafted quiz of several question types (values in their
# sentence, value choices, statements); LOTO's steps carry few values, so its drafted pool is small.
QUIZ_SOP = "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md"


def upload(client: FlaskClient, data: bytes, filename: str):
    return post(
        client, "/sops/upload", {"document": (io.BytesIO(data), filename)}, content_type="multipart/form-data"
    )


def upload_sample(client: FlaskClient, app: Flask, name: str = QUIZ_SOP) -> TrainingModule:
    response = upload(client, (DEMO_SOPS / name).read_bytes(), name)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    revision_id = int(re.search(r"/sops/revisions/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        revision = db.session.get(SopRevision, revision_id)
        module = db.session.scalar(select(TrainingModule).where(TrainingModule.revision_id == revision.id))
        db.session.expunge_all()
        return module


@dataclass(frozen=True)
class ShownQuestion:
    """A question as one attempt shows it; answers are in the positions the page displays."""

    id: int
    type: str
    answer: Any  # the correct answer, in displayed positions
    wrong: Any  # a wrong answer, in displayed positions
    key: Any  # the question's stored key (a matching question's form lists its left-hand items)


def attempt_questions(app: Flask, attempt_id: int) -> list[ShownQuestion]:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        shown = []
        for q in attempts.questions_of(attempt):
            right = attempts.as_displayed(attempt, q, answer_type(q.type).right_response(q.answer))
            wrong = attempts.as_displayed(attempt, q, answer_type(q.type).wrong_response(q.options, q.answer))
            shown.append(ShownQuestion(q.id, q.type, right, wrong, q.answer))
        return shown


def form_answer(question: ShownQuestion, answer: Any) -> dict[str, Any]:
    """The form fields a browser sends for `answer` (in shown positions) to `question`."""
    return answer_type(question.type).form_fields(f"q-{question.id}", answer, question.key)


def answers_form(questions: list[ShownQuestion], wrong: set[int] = frozenset()) -> dict[str, Any]:
    form: dict[str, Any] = {}
    for question in questions:
        form.update(form_answer(question, question.wrong if question.id in wrong else question.answer))
    return form


def enrolment_of(app: Flask, user_id: int, module_id: int) -> Enrolment | None:
    with app.app_context():
        found = db.session.scalar(
            select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.module_id == module_id)
        )
        db.session.expunge_all()
        return found


def start_attempt(client: FlaskClient, enrolment_id: int) -> int:
    response = post(client, f"/my/training/{enrolment_id}/attempts")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return int(re.search(r"/my/attempts/(\d+)", response.headers["Location"]).group(1))


@contextmanager
def counted_statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the block runs (requests made by the test client
    included): the query-bound tests count them."""
    statements: list[str] = []
    with app.app_context():
        target = db.engines[None]  # the test's connection (see conftest._rolled_back), or the engine

    def record(_connection, _cursor, statement, *_args) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)  # not the savepoints the test's rolled-back transaction adds

    event.listen(target, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(target, "before_cursor_execute", record)


def enrol_in_many(app: Flask, user_id: int, count: int, template_module_id: int) -> None:
    """Give the learner `count` more trainings, each its own SOP, revision and published module (copies of
    a template module's lessons), enrolled through the one enrolment use case: a learner with 50 SOPs to
    train on, without importing 50 documents."""
    from datetime import timedelta

    from lms.db import utcnow
    from lms.models import Lesson, Sop, User
    from lms.services.enrolments import create_enrolment
    from lms.services.transactions import transaction

    with app.app_context(), transaction():
        template = db.session.get(TrainingModule, template_module_id)
        person = db.session.get(User, user_id)
        start = db.session.scalar(select(func.count(Sop.id)))
        for k in range(start, start + count):
            sop = Sop(code=f"COPY-{k:03}", title=f"Copied procedure {k}")
            revision = SopRevision(
                sop=sop,
                label="1.0",
                title=sop.title,
                status="effective",
                content_hash=f"{k:064d}",
                source_filename="copy.md",
                source_blob=b"",
                structure=template.revision.structure,
            )
            module = TrainingModule(revision=revision, title=f"{sop.code} training", status="published")
            module.lessons = [Lesson(position=n, title=ls.title) for n, ls in enumerate(template.lessons)]
            db.session.add(module)
            db.session.flush()
            create_enrolment(person, module, utcnow() + timedelta(days=14 + k), None, kind="individual")
