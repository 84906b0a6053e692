"""Steps of the journey, through real HTTP, shared by the web tests."""

from __future__ import annotations

import io
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.db import db
from lms.models import Attempt, Enrolment, Question, SopRevision, TrainingModule
from tests.conftest import DEMO_SOPS, post

LOTO = "safety-lockout-tagout-osha-typical-minimal-procedure.md"


def upload(client: FlaskClient, data: bytes, filename: str):
    return post(
        client, "/sops/upload", {"document": (io.BytesIO(data), filename)}, content_type="multipart/form-data"
    )


def upload_sample(client: FlaskClient, app: Flask, name: str = LOTO) -> TrainingModule:
    response = upload(client, (DEMO_SOPS / name).read_bytes(), name)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    revision_id = int(re.search(r"/sops/revisions/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        revision = db.session.get(SopRevision, revision_id)
        module = db.session.scalar(select(TrainingModule).where(TrainingModule.revision_id == revision.id))
        db.session.expunge_all()
        return module


def form_answer(question: Question, answer: Any) -> dict[str, Any]:
    """The form fields a browser sends for `answer` to `question`."""
    name = f"q-{question.id}"
    if question.type in ("single_choice", "scenario"):
        return {name: str(answer)}
    if question.type == "multiple_response":
        return {name: [str(i) for i in answer]}
    if question.type == "true_false":
        return {name: "true" if answer else "false"}
    if question.type == "ordering":
        return {f"{name}-pos-{option}": str(position) for position, option in enumerate(answer, 1)}
    if question.type == "numeric":
        return {name: str(answer["value"] if isinstance(answer, dict) else answer)}
    if question.type == "matching":
        return {f"{name}-match-{i}": right for i, (_, right) in enumerate(answer)}
    raise AssertionError(question.type)


def wrong_answer(question: Question) -> Any:
    from lms.services.demo import _wrong_answer

    return _wrong_answer(question.type, question.options, question.answer)


def attempt_questions(app: Flask, attempt_id: int) -> list[Question]:
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        by_id = {
            q.id: q for q in db.session.scalars(select(Question).where(Question.id.in_(attempt.question_ids)))
        }
        questions = [by_id[i] for i in attempt.question_ids]
        db.session.expunge_all()
        return questions


def enrolment_of(app: Flask, user_id: int, module_id: int) -> Enrolment | None:
    with app.app_context():
        found = db.session.scalar(
            select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.module_id == module_id)
        )
        db.session.expunge_all()
        return found


def start_attempt(client: FlaskClient, enrolment_id: int) -> int:
    response = post(client, f"/my/training/{enrolment_id}/attempts", csrf_path="/my/training")
    assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return int(re.search(r"/my/attempts/(\d+)", response.headers["Location"]).group(1))


def answers_form(questions: list[Question], wrong: set[int] = frozenset()) -> dict[str, Any]:
    form: dict[str, Any] = {}
    for question in questions:
        form.update(
            form_answer(question, wrong_answer(question) if question.id in wrong else question.answer)
        )
    return form
