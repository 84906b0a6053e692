"""A trainer's review of generated questions: edit, approve, reject, publish."""

from __future__ import annotations

from types import EllipsisType
from typing import Any

from lms.db import db, utcnow
from lms.models import Question, TrainingModule
from lms.services import audit, retraining, sop_import
from lms.services.errors import InvalidInput, NotFound
from lms.services.transactions import transactional
from quizzes.answers import ResponseError, answer_type, authored_types
from quizzes.generate import alternatives, gives_away
from sops.model import SopDocument

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


@transactional
def update_question(
    question_id: int, stem: str, options: list[str], answer: Any, actor_id: int | None
) -> Question:
    """Save a trainer's edit; the question keeps its SOP step and quote, and goes back to draft for review."""
    item = question(question_id)
    if item.quiz.module.status == "published":
        raise InvalidInput(
            "The module is published; its questions are locked so past results stay comparable."
        )
    stem, options, answer = _validated(item.type, stem, options, answer)
    before = sop_import.question_record(item)
    item.stem, item.options, item.answer = stem, options, answer
    item.origin = "edited"
    item.status = "draft"
    item.updated_at = utcnow()
    audit.record(
        "question.update",
        "question",
        item.id,
        {"old": before, "new": sop_import.question_record(item)},
        actor_id,
    )
    return item


@transactional
def set_status(question_id: int, status: str, actor_id: int | None) -> Question:
    if status not in REVIEW_STATUSES:
        raise InvalidInput(f"Unknown review decision '{status}'.")
    item = question(question_id)
    if item.quiz.module.status == "published" and status != "approved":
        raise InvalidInput("The module is published; its questions can no longer be rejected here.")
    old = item.status
    item.status = status
    audit.record("question.review", "question", item.id, {"old": old, "new": status}, actor_id)
    return item


@transactional
def publish(module_id: int, actor_id: int | None, retraining_mode: str | None = None) -> TrainingModule:
    """Publish a module: every question still in draft is approved; rejected ones stay out of the quiz.

    Publishing makes its SOP revision effective: the previous revision is superseded and the people
    trained on it are retrained as `retraining_mode` says (see lms.services.retraining).
    """
    item = module(module_id)
    if item.status == "published":
        raise InvalidInput("This module is already published.")
    if item.status != "draft" or item.revision.status == "superseded":
        raise InvalidInput("This module belongs to a superseded revision and can no longer be published.")
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
    if item.kind == "full":
        retraining.make_effective(item, retraining_mode, actor_id)
    return item


@transactional
def update_settings(
    module_id: int,
    pass_mark: int,
    questions_per_attempt: int | None,
    max_attempts: int | None,
    actor_id: int | None,
    time_limit_minutes: int | EllipsisType | None = ...,
    partial_credit: bool | None = None,
) -> TrainingModule:
    """Pass mark, questions per attempt (None: all approved), attempt limit and time limit (None: none;
    left out: unchanged)."""
    item = module(module_id)
    if time_limit_minutes is ...:
        time_limit_minutes = item.quiz.time_limit_minutes
    _check_time_limit(time_limit_minutes)
    if not 1 <= pass_mark <= 100:
        raise InvalidInput("The pass mark is a percentage from 1 to 100.")
    for value, label in (
        (questions_per_attempt, "Questions per attempt"),
        (max_attempts, "Attempts allowed"),
    ):
        if value is not None and value < 1:
            raise InvalidInput(f"{label} must be at least 1, or empty for no limit.")
    quiz = item.quiz
    before = {
        "pass_mark": quiz.pass_mark,
        "per_attempt": quiz.questions_per_attempt,
        "max": quiz.max_attempts,
        "minutes": quiz.time_limit_minutes,
    }
    quiz.pass_mark, quiz.questions_per_attempt, quiz.max_attempts = (
        pass_mark,
        questions_per_attempt,
        max_attempts,
    )
    quiz.time_limit_minutes = time_limit_minutes
    if partial_credit is not None:
        quiz.partial_credit = partial_credit
    after = {
        "pass_mark": pass_mark,
        "per_attempt": questions_per_attempt,
        "max": max_attempts,
        "minutes": time_limit_minutes,
        "partial_credit": quiz.partial_credit,
    }
    audit.record("quiz.settings", "quiz", quiz.id, {"old": before, "new": after}, actor_id)
    return item


@transactional
def add_question(
    module_id: int,
    question_type: str,
    stem: str,
    options: list[str],
    answer: Any,
    step_id: int | None,
    actor_id: int | None,
) -> Question:
    """A question the trainer writes by hand, tied to the SOP step it tests when one is chosen."""
    item = module(module_id)
    if item.status != "draft":
        raise InvalidInput("Questions can only be added while the module is a draft.")
    authored = [t.name for t in authored_types()]
    if question_type not in authored:
        raise InvalidInput(f"Choose a question type: {', '.join(authored)}.")
    step = next((s for s in item.revision.steps if s.id == step_id), None) if step_id else None
    if step_id and step is None:
        raise InvalidInput("The chosen step is not part of this SOP revision.")
    stem, options, answer = _validated(question_type, stem, options, answer)
    question = Question(
        position=len(item.quiz.questions),
        type=question_type,
        stem=stem,
        options=options,
        answer=answer,
        step=step,
        quote=step.text if step else "",
        quality=1.0,
        origin="manual",
        rationale="Written by a trainer.",
    )
    item.quiz.questions.append(question)
    db.session.flush()
    audit.record("question.create", "question", question.id, {"stem": stem, "type": question_type}, actor_id)
    return question


@transactional
def regenerate(question_id: int, actor_id: int | None) -> Question:
    """Replace a generated question with another one drawn from the same SOP step."""
    item = question(question_id)
    if item.quiz.module.status != "draft":
        raise InvalidInput("The module is published; its questions are locked.")
    source = item.step or item.rule
    if source is None:
        raise InvalidInput(
            "This question is not tied to an SOP step or rule, so there is nothing to regenerate from."
        )
    doc = SopDocument.from_dict(item.quiz.module.revision.structure)
    taken = {q.stem for q in item.quiz.questions}
    others = [(q.stem, q.options, q.type, q.answer) for q in item.quiz.questions if q.id != item.id]
    fresh = [
        candidate
        for seed in range(1, 4)
        for candidate in alternatives(doc, source.key, seed=item.id * 7 + seed)
        if candidate.stem not in taken
        and not gives_away((candidate.stem, candidate.options, candidate.type, candidate.answer), others)
    ]
    if not fresh:
        where = f"step {item.step.number}" if item.step is not None else "this rule"
        raise InvalidInput(
            f"No different question can be generated from {where} without giving away another question's "
            "answer; edit it instead."
        )
    best = max(fresh, key=lambda candidate: candidate.quality)
    before = {"type": item.type, "stem": item.stem, "options": item.options, "answer": item.answer}
    item.type, item.stem, item.options, item.answer = best.type, best.stem, list(best.options), best.answer
    item.quote, item.quality, item.rationale = best.source.quote, best.quality, best.rationale
    item.origin, item.status, item.review_note, item.updated_at = "generated", "draft", "", utcnow()
    audit.record(
        "question.regenerate",
        "question",
        item.id,
        {"old": before, "new": sop_import.question_record(item)},
        actor_id,
    )
    return item


def _validated(question_type: str, stem: str, options: list[str], answer: Any) -> tuple[str, list[str], Any]:
    kind = answer_type(question_type)
    stem = stem.strip()
    options = [o.strip() for o in options if o.strip()] if kind.has_options else []
    if not stem:
        raise InvalidInput("The question text cannot be empty.")
    try:
        kind.check_options(options)
    except ResponseError as error:
        raise InvalidInput(str(error)) from error
    try:
        answer = kind.check_key(options, answer)
    except ResponseError as error:
        raise InvalidInput(f"The correct answer is not valid: {error}") from error
    return stem, options, answer


MAX_TIME_LIMIT_MINUTES = 600


def _check_time_limit(minutes: int | None) -> None:
    if minutes is not None and not 1 <= minutes <= MAX_TIME_LIMIT_MINUTES:
        raise InvalidInput(
            f"The time limit is a number of minutes from 1 to {MAX_TIME_LIMIT_MINUTES}, or empty for none."
        )
