"""Import an SOP file: parse it, store it as a new immutable revision, and draft its training module."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lms.db import db
from lms.models import Lesson, Question, Quiz, Sop, SopRevision, SopRule, SopSection, SopStep, TrainingModule
from lms.services import audit, revisions
from lms.services.errors import InvalidInput, NotFound
from lms.services.transactions import flush_unique, locked, transactional
from quizzes.generate import ATTEMPT_SIZE, draft_pool
from sops.errors import SopParseError
from sops.limits import DEFAULT_LIMITS, ReadLimits
from sops.model import CriticalValue, SopDocument
from sops.parse import parse_sop

MAX_DERIVED_CODE_LENGTH = 28
_FILLER_WORDS = {"A", "AN", "THE", "OF", "FOR", "AND", "TO", "IN", "ON"} | {
    "SOP",
    "PROCEDURE",
    "STANDARD",
    "OPERATING",
}
# Administrative parts of an SOP that make poor lessons.
NOT_LESSONS = {"revision_history", "references"}


@transactional
def import_sop(
    data: bytes, filename: str, actor_id: int | None, pass_mark: int = 80, limits: ReadLimits = DEFAULT_LIMITS
) -> SopRevision:
    """Parse, store and draft training in one transaction: a file that fails leaves nothing behind.

    A new revision of a known SOP has the questions on its added or changed steps flagged for review.
    """
    if not data:
        raise InvalidInput("The file is empty: choose an SOP document with text in it.")
    try:
        doc = parse_sop(data, filename, limits)
    except SopParseError as error:
        raise InvalidInput(str(error)) from error
    revision = _store_revision(doc, data, filename, actor_id)
    module = _draft_module(revision, doc, pass_mark, actor_id)
    previous = revisions.previous_revision(revision)
    if previous is not None:
        revisions.flag_questions_on_changed_steps(previous, revision, module.quiz.questions)
    return revision


def sop_code_for(doc: SopDocument) -> str:
    """The document number when the SOP has one, else a stable code derived from its title."""
    if doc.code:
        return doc.code.strip()[:80]
    words = [w for w in re.split(r"[^A-Z0-9]+", doc.title.upper()) if w and w not in _FILLER_WORDS]
    code = "DOC"
    for word in words:
        if len(code) + 1 + len(word) > MAX_DERIVED_CODE_LENGTH:
            break
        code += "-" + word
    return code if code != "DOC" else "DOC-" + (words[0][:20] if words else "UNTITLED")


def _store_revision(doc: SopDocument, data: bytes, filename: str, actor_id: int | None) -> SopRevision:
    code = sop_code_for(doc)
    sop_id = db.session.scalar(select(Sop.id).where(Sop.code == code))
    sop = locked(Sop, sop_id) if sop_id else None  # two uploads of one SOP are numbered one after the other
    if sop is None:
        sop = Sop(code=code, title=doc.title[:300])
        db.session.add(sop)
        flush_unique(f"{code} was being imported by someone else at the same moment; try again.")
        audit.record("sop.create", "sop", sop.id, {"code": code, "title": sop.title}, actor_id)
    if any(r.content_hash == doc.content_hash for r in sop.revisions):
        raise InvalidInput(f"This exact content is already imported as {code}; nothing was changed.")
    label = _revision_label(sop, doc.revision)
    revision = SopRevision(
        sop=sop,
        label=label,
        title=doc.title[:300],
        effective_date=_parse_date(doc.effective_date),
        status="draft",  # effective once its module is published
        content_hash=doc.content_hash,
        source_filename=filename[:255],
        source_blob=data,
        structure=doc.to_dict(),
        imported_by_id=actor_id,
    )
    db.session.add(revision)
    sections = {}
    for position, section in enumerate(doc.sections):
        row = SopSection(
            revision=revision,
            key=section.id,
            position=position,
            kind=section.kind,
            heading=section.heading[:500],
            text=section.text,
            level=section.level,
        )
        sections[section.id] = row
        db.session.add(row)
    step_rows: dict[str, SopStep] = {}
    for position, step in enumerate(doc.steps):
        step_rows[step.id] = SopStep(
            revision=revision,
            section=sections[step.section_id],
            key=step.id,
            position=position,
            number=step.number[:40],
            depth=step.depth,
            text=step.text,
            actor=(step.actor or None) and step.actor[:200],
            warnings=list(step.warnings),
            critical_values=_values_json(step.critical_values),
            conditions=list(step.conditions),
        )
        db.session.add(step_rows[step.id])
    for position, rule in enumerate(doc.rules):
        db.session.add(
            SopRule(
                revision=revision,
                section=sections[rule.section_id],
                step=step_rows.get(rule.step_id or ""),
                key=rule.id,
                position=position,
                kind=rule.kind,
                text=rule.text,
                condition=rule.condition,
                actor=(rule.actor or None) and rule.actor[:200],
                critical_values=_values_json(rule.critical_values),
            )
        )
    db.session.flush()
    audit.record(
        "sop_revision.create",
        "sop_revision",
        revision.id,
        {"code": code, "label": label, "content_hash": revision.content_hash, "steps": len(doc.steps)},
        actor_id,
    )
    return revision


def _draft_module(
    revision: SopRevision, doc: SopDocument, pass_mark: int, actor_id: int | None
) -> TrainingModule:
    module = TrainingModule(revision=revision, title=f"{revision.sop.code}: {revision.title}"[:300])
    teachable = (s for s in revision.sections if (s.text or s.steps) and s.kind not in NOT_LESSONS)
    for position, section in enumerate(teachable):
        module.lessons.append(Lesson(position=position, title=section.heading, section=section))
    quiz = Quiz(pass_mark=pass_mark)
    module.quiz = quiz
    steps_by_key = {step.key: step for step in revision.steps}
    rules_by_key = {rule.key: rule for rule in revision.rules}
    for position, generated in enumerate(draft_pool(doc)):
        quiz.questions.append(
            Question(
                position=position,
                type=generated.type,
                stem=generated.stem,
                options=list(generated.options),
                answer=generated.answer,
                step=steps_by_key.get(generated.source.step_id or ""),
                rule=rules_by_key.get(generated.source.step_id or ""),
                quote=generated.source.quote,
                quality=generated.quality,
                rationale=generated.rationale,
            )
        )
    if len(quiz.questions) > ATTEMPT_SIZE:  # a pool sized from the SOP: each attempt draws a subset
        quiz.questions_per_attempt = ATTEMPT_SIZE
    db.session.add(module)
    db.session.flush()
    audit.record(
        "module.create",
        "module",
        module.id,
        {"revision_id": revision.id, "lessons": len(module.lessons), "questions": len(quiz.questions)},
        actor_id,
    )
    for question in quiz.questions:
        audit.record("question.create", "question", question.id, question_record(question), actor_id)
    return module


def question_record(question: Question) -> dict:
    """What the audit trail keeps of a question: everything a learner is asked and marked against."""
    return {
        "type": question.type,
        "stem": question.stem,
        "options": question.options,
        "answer": question.answer,
        "step": question.step.key if question.step else None,
        "origin": question.origin or "generated",
        "status": question.status or "draft",
    }


def _revision_label(sop: Sop, declared: str | None) -> str:
    taken = {r.label for r in sop.revisions}
    if declared and declared.strip():
        label = declared.strip()[:40]
        if label in taken:
            raise InvalidInput(
                f"{sop.code} revision {label} is already imported with different content; "
                "give the changed document a new revision number."
            )
        return label
    number = len(taken) + 1
    while str(number) in taken:
        number += 1
    return str(number)


def _parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def revision(revision_id: int) -> SopRevision:
    found = db.session.get(SopRevision, revision_id)
    if found is None:
        raise NotFound("No such SOP revision.")
    return found


def list_sops(search: str = "", page: int = 1, per_page: int = 50):
    """One page of SOPs by code, optionally filtered by code or title (a Flask-SQLAlchemy Pagination), each
    with its revisions' labels and statuses loaded in one more query (never their documents)."""
    revisions = selectinload(Sop.revisions).load_only(
        SopRevision.label, SopRevision.status, SopRevision.sop_id
    )
    query = select(Sop).options(revisions).order_by(Sop.code)
    if search.strip():
        term = f"%{search.strip()}%"
        query = query.where(Sop.code.ilike(term) | Sop.title.ilike(term))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def modules_of(revision_id: int) -> list[TrainingModule]:
    return list(db.session.scalars(select(TrainingModule).where(TrainingModule.revision_id == revision_id)))


def _values_json(values: list[CriticalValue]) -> list[dict[str, Any]]:
    return [{"text": v.text, "value": v.value, "unit": v.unit} for v in values]
