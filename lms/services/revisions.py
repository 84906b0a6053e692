"""What changed between two revisions of an SOP, step by step, and which questions that puts in doubt."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms.db import db
from lms.models import Question, SopRevision
from lms.services.errors import InvalidInput, NotFound
from sops.diff import RevisionDiff, StepChange, diff_revisions
from sops.model import SopDocument


@dataclass(frozen=True)
class RevisionComparison:
    old: SopRevision
    new: SopRevision
    diff: RevisionDiff


def previous_revision(revision: SopRevision) -> SopRevision | None:
    """The revision imported just before this one for the same SOP."""
    return db.session.scalar(
        select(SopRevision)
        .where(SopRevision.sop_id == revision.sop_id, SopRevision.id < revision.id)
        .order_by(SopRevision.id.desc())
        .limit(1)
    )


def compare(revision_id: int, against_id: int | None = None) -> RevisionComparison:
    """Diff a revision against another revision of the same SOP (by default, the previous one)."""
    new = db.session.get(SopRevision, revision_id)
    if new is None:
        raise NotFound("No such SOP revision.")
    old = db.session.get(SopRevision, against_id) if against_id else previous_revision(new)
    if old is None:
        raise NotFound("There is no earlier revision of this SOP to compare with.")
    if old.sop_id != new.sop_id:
        raise InvalidInput("Only revisions of the same SOP can be compared.")
    return RevisionComparison(old, new, _diff(old, new))


def _diff(old: SopRevision, new: SopRevision) -> RevisionDiff:
    return diff_revisions(SopDocument.from_dict(old.structure), SopDocument.from_dict(new.structure))


def flag_questions_on_changed_steps(old: SopRevision, new: SopRevision, questions: list[Question]) -> int:
    """Mark the new revision's questions whose source step was added or changed, saying how; returns how many.

    Called when a revision is imported, in the same transaction, so the trainer's review starts with them.
    """
    changes = {c.new_step_id: c for c in _diff(old, new).changes if c.new_step_id and _matters(c)}
    flagged = 0
    for question in questions:
        change = changes.get(question.step.key) if question.step else None
        if change is not None:
            question.review_note = describe(change)
            flagged += 1
    return flagged


def _matters(change: StepChange) -> bool:
    return change.kind == "added" or (change.kind == "changed" and not change.editorial)


def describe(change: StepChange) -> str:
    """One sentence for the trainer: what happened to the step this question tests."""
    if change.kind == "added":
        return f"Step {change.new_number} is new in this revision."
    detail = "; ".join(change.critical_values_changed) or "its wording changed"
    return f"Step {change.new_number} changed in this revision ({detail})."


def compare_for_retraining(enrolment) -> RevisionComparison:
    """The changes a retraining enrolment is about: its revision against the one trained on before."""
    if enrolment.kind != "retraining":
        raise NotFound("This training is not a retraining on a new revision.")
    base = enrolment.module.base_revision or previous_revision(enrolment.revision)
    if base is None:
        raise NotFound("There is no earlier revision of this SOP.")
    return compare(enrolment.revision_id, base.id)
