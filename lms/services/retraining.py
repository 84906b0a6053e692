"""Retraining when a new SOP revision becomes effective.

Publishing a revision's module makes the revision effective. Everyone whose curriculum includes the SOP
then needs training on it: people who had completed the old revision get retraining in the form the
trainer chose (the full module, a delta module of only the changed and added steps, or a signed
acknowledgement for editorial changes); people who had not finished the old one start the new one;
the curriculum items move to the new module so new joiners get the current revision.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import Assignment, Enrolment, Lesson, Question, Quiz, SopRevision, TrainingModule, User
from lms.services import audit, revisions, sop_import
from lms.services.enrolments import create_enrolment, due_date
from lms.services.errors import InvalidInput

MODES = ("full", "delta", "acknowledgement")
MODE_LABELS = {
    "full": "Full retraining: the whole module and its quiz",
    "delta": "Delta module: only the changed and added steps, with questions on them",
    "acknowledgement": "Acknowledgement only (editorial changes): read the changes and sign",
}


@dataclass(frozen=True)
class Rollout:
    retrained: int
    started_over: int
    delta_module: TrainingModule | None


def suggested_mode(module: TrainingModule) -> str | None:
    """None for a first revision (nobody to retrain); acknowledgement when only editorial changes."""
    previous = _previous_effective(module.revision)
    if previous is None:
        return None
    return (
        "acknowledgement" if revisions.compare(module.revision_id, previous.id).diff.is_editorial else "delta"
    )


def make_effective(module: TrainingModule, mode: str | None, actor_id: int | None) -> Rollout:
    """Called by publish, inside its transaction: supersede the old revision and roll out retraining."""
    new = module.revision
    previous = _previous_effective(new)
    if previous is not None and mode not in MODES:
        raise InvalidInput("Choose how people trained on the previous revision are retrained.")
    new.status = "effective"
    if previous is None:
        audit.record("sop_revision.effective", "sop_revision", new.id, {"first_revision": True}, actor_id)
        return Rollout(0, 0, None)
    _supersede(previous, actor_id)
    assignments = list(db.session.scalars(select(Assignment).where(Assignment.sop_id == new.sop_id)))
    for assignment in assignments:
        audit.record(
            "assignment.update",
            "assignment",
            assignment.id,
            {"old_module_id": assignment.module_id, "new_module_id": module.id},
            actor_id,
        )
        assignment.module = module  # new joiners get the current revision, in full
    delta = build_delta_module(module, previous, actor_id) if mode == "delta" else None
    now = utcnow()
    retrained = started_over = 0
    for user, due_days in _people_requiring(assignments).items():
        latest = _latest_on_sop(user.id, new.sop_id)
        if latest is not None and latest.revision_id == new.id:
            continue
        due_at = due_date(now, due_days)
        if latest is not None and latest.status == "completed":
            target, completion = _retraining_target(module, delta, mode)
            create_enrolment(
                user, target, due_at, actor_id, kind="retraining", completion=completion, now=now
            )
            retrained += 1
        else:
            create_enrolment(user, module, due_at, actor_id, assignment=_first(assignments, user), now=now)
            started_over += 1
    audit.record(
        "sop_revision.effective",
        "sop_revision",
        new.id,
        {"mode": mode, "retrained": retrained, "started_over": started_over, "previous": previous.label},
        actor_id,
    )
    return Rollout(retrained, started_over, delta)


def build_delta_module(
    full: TrainingModule, base: SopRevision, actor_id: int | None
) -> TrainingModule | None:
    """A published module with only the steps added or changed since `base`, and the questions on them."""
    changed = set(revisions.compare(full.revision_id, base.id).diff.changed_step_ids(old=False))
    if not changed:
        return None
    delta = TrainingModule(
        revision=full.revision,
        base_revision=base,
        kind="delta",
        title=f"{full.revision.sop.code} rev {full.revision.label}: what changed since rev {base.label}"[
            :300
        ],
        status="published",
        published_at=utcnow(),
    )
    for section in full.revision.sections:
        keys = [step.key for step in section.steps if step.key in changed]
        if keys:
            delta.lessons.append(
                Lesson(position=len(delta.lessons), title=section.heading, section=section, step_keys=keys)
            )
    delta.quiz = Quiz(pass_mark=full.quiz.pass_mark, max_attempts=full.quiz.max_attempts)
    for question in full.quiz.approved_questions:
        if question.step is not None and question.step.key in changed:
            delta.quiz.questions.append(_copy(question, len(delta.quiz.questions)))
    db.session.add(delta)
    db.session.flush()
    audit.record(
        "module.create",
        "module",
        delta.id,
        {
            "kind": "delta",
            "base_revision": base.label,
            "steps": sorted(changed),
            "questions": len(delta.quiz.questions),
        },
        actor_id,
    )
    return delta


def _retraining_target(full: TrainingModule, delta: TrainingModule | None, mode: str | None):
    if mode == "acknowledgement":
        return full, "acknowledgement"
    if mode == "delta":
        if delta is None:  # nothing but editorial changes: reading and signing is all there is to do
            return full, "acknowledgement"
        return delta, "quiz" if delta.quiz.questions else "acknowledgement"
    return full, "quiz"


def _copy(question: Question, position: int) -> Question:
    return Question(
        position=position,
        type=question.type,
        stem=question.stem,
        options=list(question.options),
        answer=question.answer,
        step=question.step,
        quote=question.quote,
        quality=question.quality,
        rationale=question.rationale,
        origin=question.origin,
        status="approved",
        review_note=question.review_note,
    )


def _previous_effective(revision: SopRevision) -> SopRevision | None:
    return db.session.scalar(
        select(SopRevision)
        .where(
            SopRevision.sop_id == revision.sop_id,
            SopRevision.id != revision.id,
            SopRevision.status == "effective",
        )
        .order_by(SopRevision.id.desc())
        .limit(1)
    )


def _supersede(previous: SopRevision, actor_id: int | None) -> None:
    """The old revision stops being trained on: its modules are retired, their history is kept."""
    previous.status = "superseded"
    for module in sop_import.modules_of(previous.id):
        if module.status != "retired":
            module.status = "retired"
            audit.record("module.retire", "module", module.id, {"reason": "revision superseded"}, actor_id)
    audit.record("sop_revision.supersede", "sop_revision", previous.id, {"label": previous.label}, actor_id)


def _people_requiring(assignments: list[Assignment]) -> dict[User, int]:
    """Everyone currently in a role whose curriculum has the SOP, with the shortest due period."""
    people: dict[User, int] = {}
    for assignment in assignments:
        for member in assignment.job_role.members:
            people[member] = min(people.get(member, assignment.due_days), assignment.due_days)
    return people


def _first(assignments: list[Assignment], user: User) -> Assignment | None:
    return next((a for a in assignments if user in a.job_role.members), None)


def _latest_on_sop(user_id: int, sop_id: int) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment)
        .join(SopRevision, Enrolment.revision_id == SopRevision.id)
        .where(Enrolment.user_id == user_id, SopRevision.sop_id == sop_id)
        .order_by(Enrolment.id.desc())
        .limit(1)
    )
