"""A trainer's review of generated questions: edit, approve, reject, publish."""

from __future__ import annotations

from typing import Any

from lms.db import db, utcnow
from lms.models import Question, TrainingModule
from lms.services import audit
from lms.services.errors import InvalidInput, NotFound
from quizzes.scoring import ResponseError, normalise_response

REVIEW_STATUSES = ("draft", "approved", "rejected")


def module(module_id: int) -> TrainingModule:
    found = db.session.get(TrainingModule, module_id)
    if found is None:
        raise NotFound("No such training module.")
    return found


def question(question_id: int) -> Question:
    found = db.session.get(Question, question_id)
    if found is None:
        raise NotFound("No such question.")
    return found


def update_question(
    question_id: int, stem: str, options: list[str], answer: Any, actor_id: int | None
) -> Question:
    """Save a trainer's edit; the question keeps its SOP step and quote, and goes back to draft for review."""
    item = question(question_id)
    if item.quiz.module.status == "published":
        raise InvalidInput(
            "The module is published; its questions are locked so past results stay comparable."
        )
    stem = stem.strip()
    options = [o.strip() for o in options if o.strip()]
    if not stem:
        raise InvalidInput("The question text cannot be empty.")
    if item.type in ("single_choice", "multiple_response", "ordering", "scenario"):
        if len(options) < 2:
            raise InvalidInput("Give at least two options, one per line.")
        if len(set(options)) != len(options):
            raise InvalidInput("Two options are identical; every option must differ.")
    if item.type != "numeric":  # a numeric key is {value, unit, tolerance}, already checked when parsed
        try:
            answer = normalise_response(item.type, options, answer)
        except ResponseError as error:
            raise InvalidInput(f"The correct answer is not valid: {error}") from error
    before = {"stem": item.stem, "options": item.options, "answer": item.answer}
    item.stem, item.options, item.answer = stem, options, answer
    item.origin = "edited"
    item.status = "draft"
    item.updated_at = utcnow()
    audit.record(
        "question.update",
        "question",
        item.id,
        {"old": before, "new": {"stem": stem, "options": options, "answer": answer}},
        actor_id,
    )
    db.session.commit()
    return item


def set_status(question_id: int, status: str, actor_id: int | None) -> Question:
    if status not in REVIEW_STATUSES:
        raise InvalidInput(f"Unknown review decision '{status}'.")
    item = question(question_id)
    if item.quiz.module.status == "published" and status != "approved":
        raise InvalidInput("The module is published; its questions can no longer be rejected here.")
    old = item.status
    item.status = status
    audit.record("question.review", "question", item.id, {"old": old, "new": status}, actor_id)
    db.session.commit()
    return item


def publish(module_id: int, actor_id: int | None) -> TrainingModule:
    """Publish a module: every question still in draft is approved; rejected ones stay out of the quiz."""
    item = module(module_id)
    if item.status == "published":
        raise InvalidInput("This module is already published.")
    drafts = [q for q in item.quiz.questions if q.status == "draft"]
    if len(item.quiz.approved_questions) + len(drafts) == 0:
        raise InvalidInput("The quiz has no question left to publish; approve or write at least one.")
    for draft in drafts:
        draft.status = "approved"
    item.status = "published"
    item.published_at = utcnow()
    audit.record(
        "module.publish",
        "module",
        item.id,
        {"approved_on_publish": [q.id for q in drafts], "questions": len(item.quiz.approved_questions)},
        actor_id,
    )
    db.session.commit()
    return item
