"""The audit trail in words, for a person: what happened, to what, by whom ("Dana Reyes passed attempt 2
on QC-014 revision 3 with 90%"), with the raw event one click away on the page.

Entities are named from the database a page at a time: one query per kind of entity on the page, so the
page's queries do not grow with its events. An entity since deleted keeps its type and id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from lms.db import db
from lms.models import (
    Assignment,
    Attempt,
    Enrolment,
    JobRole,
    Question,
    Quiz,
    Signature,
    Sop,
    SopRevision,
    TrainingModule,
    User,
)

Names = dict[tuple[str, str], str]

REPORT_NAMES = {
    "not_current": "the not-current list",
    "matrix": "the training matrix",
    "completion": "the completion report",
    "audit": "the audit trail",
    "evidence": "an evidence pack",
}


def _int_ids(ids: Iterable[str]) -> list[int]:
    return [int(value) for value in ids if value.isdigit() and len(value) < 12]


def _revision_name(code: str, label: str) -> str:
    return f"{code} revision {label}"


def _users(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(User.id, User.name, User.email).where(User.id.in_(ids)))
    return {row.id: f"{row.name} ({row.email})" for row in rows}


def _revisions(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(SopRevision.id, Sop.code, SopRevision.label)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(SopRevision.id.in_(ids))
    )
    return {row.id: _revision_name(row.code, row.label) for row in rows}


def _modules(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(TrainingModule.id, TrainingModule.title, Sop.code, SopRevision.label)
        .join(SopRevision, SopRevision.id == TrainingModule.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(TrainingModule.id.in_(ids))
    )
    return {row.id: f"module “{row.title}” ({_revision_name(row.code, row.label)})" for row in rows}


def _quizzes(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(Quiz.id, TrainingModule.title)
        .join(TrainingModule, TrainingModule.id == Quiz.module_id)
        .where(Quiz.id.in_(ids))
    )
    return {row.id: f"the quiz of “{row.title}”" for row in rows}


def _questions(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(Question.id, Question.position, TrainingModule.title)
        .join(Quiz, Quiz.id == Question.quiz_id)
        .join(TrainingModule, TrainingModule.id == Quiz.module_id)
        .where(Question.id.in_(ids))
    )
    return {row.id: f"question {row.position} of “{row.title}”" for row in rows}


def _trainings(model, ids: list[int], what: str) -> dict[int, str]:
    """Enrolments and attempts: whose, on which revision."""
    revision_of = Enrolment.revision_id
    query = select(model.id, User.name, Sop.code, SopRevision.label)
    if model is Attempt:
        query = query.join(Enrolment, Enrolment.id == Attempt.enrolment_id)
    rows = db.session.execute(
        query.join(User, User.id == Enrolment.user_id)
        .join(SopRevision, SopRevision.id == revision_of)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(model.id.in_(ids))
    )
    return {row.id: f"{row.name}'s {what} on {_revision_name(row.code, row.label)}" for row in rows}


def _signatures(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(Signature.id, User.name, Sop.code, SopRevision.label)
        .join(User, User.id == Signature.user_id)
        .join(SopRevision, SopRevision.id == Signature.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Signature.id.in_(ids))
    )
    return {row.id: f"{row.name}'s signature on {_revision_name(row.code, row.label)}" for row in rows}


def _assignments(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        select(Assignment.id, JobRole.name, Sop.code)
        .join(JobRole, JobRole.id == Assignment.job_role_id)
        .join(Sop, Sop.id == Assignment.sop_id)
        .where(Assignment.id.in_(ids))
    )
    return {row.id: f"{row.code} in the curriculum of {row.name}" for row in rows}


def _sops(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Sop.id, Sop.code, Sop.title).where(Sop.id.in_(ids)))
    return {row.id: f"SOP {row.code} “{row.title}”" for row in rows}


def _job_roles(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(JobRole.id, JobRole.name).where(JobRole.id.in_(ids)))
    return {row.id: f"job role {row.name}" for row in rows}


LOOKUPS: dict[str, Callable[[list[int]], dict[int, str]]] = {
    "user": _users,
    "sop": _sops,
    "sop_revision": _revisions,
    "module": _modules,
    "quiz": _quizzes,
    "question": _questions,
    "enrolment": lambda ids: _trainings(Enrolment, ids, "training"),
    "attempt": lambda ids: _trainings(Attempt, ids, "attempt"),
    "signature": _signatures,
    "assignment": _assignments,
    "job_role": _job_roles,
}


def entity_names(events: Iterable[Any]) -> Names:
    """(entity_type, entity_id) -> a name a person reads, for every event given."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        wanted.setdefault(event.entity_type, set()).add(str(event.entity_id))
    names: Names = {}
    for kind, ids in wanted.items():
        if kind == "report":
            names.update({(kind, value): REPORT_NAMES.get(value, f"the {value} report") for value in ids})
        elif kind in LOOKUPS and (numbers := _int_ids(ids)):
            names.update({(kind, str(key)): name for key, name in LOOKUPS[kind](numbers).items()})
    return names


def _percent(value: Any) -> str:
    return f"{value:.0f}%" if isinstance(value, (int, float)) else "no score"


def _data(event: Any) -> dict:
    return event.data if isinstance(event.data, dict) else {}


# action -> what the actor did, given the event's data (`d`) and the entity's name (`it`)
PHRASES: dict[str, Callable[[dict, str], str]] = {
    "attempt.start": lambda d, it: f"started {it}",
    "attempt.submit": lambda d, it: (
        f"{'passed' if d.get('passed') else 'did not pass'} {it} with {_percent(d.get('score_percent'))}"
    ),
    "attempt.timeout": lambda d, it: f"ran out of time on {it} ({d.get('time_limit_minutes')} minutes)",
    "enrolment.create": lambda d, it: f"assigned {it}",
    "enrolment.complete": lambda d, it: (
        f"completed {it}"
        + (f" with {_percent(d.get('score_percent'))}" if d.get("by") == "quiz" else " by acknowledgement")
    ),
    "enrolment.due_change": lambda d, it: (
        f"moved the due date of {it} ({d.get('reason', 'no reason given')})"
    ),
    "assignment.create": lambda d, it: f"added {it}",
    "assignment.update": lambda d, it: f"moved {it} to a new module",
    "assignment.individual": lambda d, it: f"assigned {it} to {len(d.get('people') or [])} people by name",
    "assignment.csv": lambda d, it: f"assigned training from a CSV file ({d.get('rows', 0)} rows)",
    "signature.create": lambda d, it: f"signed “{d.get('meaning', '')}” as {d.get('printed_name', '')}: {it}",
    "signature.failure": lambda d, it: (
        f"entered a wrong password while signing ({d.get('consecutive_failures')} in a row)"
    ),
    "signature.lock": lambda d, it: f"was locked out of signing until {d.get('locked_until')}",
    "sop.create": lambda d, it: f"created {it}",
    "sop_revision.create": lambda d, it: f"imported {it} ({d.get('steps', '?')} steps)",
    "sop_revision.effective": lambda d, it: (
        f"made {it} effective"
        + (f", retraining {d.get('retrained')} people ({d.get('mode')})" if d.get("mode") else "")
    ),
    "sop_revision.supersede": lambda d, it: f"superseded {it}",
    "module.create": lambda d, it: f"drafted {it}",
    "module.publish": lambda d, it: f"published {it} with {d.get('questions', '?')} questions",
    "module.retire": lambda d, it: f"retired {it} ({d.get('reason', '')})",
    "question.create": lambda d, it: f"added {it}",
    "question.update": lambda d, it: f"edited {it}",
    "question.regenerate": lambda d, it: f"redrafted {it}",
    "question.review": lambda d, it: f"marked {it} {d.get('new', '')}",
    "quiz.settings": lambda d, it: f"changed the settings of {it}",
    "lesson.read": lambda d, it: f"read lesson “{d.get('title', '')}” of {it}",
    "user.create": lambda d, it: f"created the account {it} ({d.get('app_role', '')})",
    "user.update": lambda d, it: f"changed the account {it}",
    "user.timezone": lambda d, it: f"set the time zone of {it} to {d.get('new', '')}",
    "job_role.create": lambda d, it: f"created {it}",
    "job_role.join": lambda d, it: f"added {it} to job role {d.get('job_role', '')}",
    "job_role.leave": lambda d, it: f"removed {it} from job role {d.get('job_role', '')}",
    "report.export": lambda d, it: f"downloaded {it} as {str(d.get('format', '')).upper()}",
    "report.save": lambda d, it: f"saved the report “{d.get('name', '')}”",
    "report.delete": lambda d, it: f"deleted the saved report “{d.get('name', '')}”",
    "evidence.sealed": lambda d, it: (
        f"sealed the evidence pack of {d.get('title', '')} "
        f"(manifest SHA-256 {str(d.get('manifest_sha256', ''))[:16]}…, {d.get('files', '?')} files)"
    ),
    "audit.verify": lambda d, it: (
        "verified the audit chain: "
        + ("intact" if d.get("ok") else f"broken at event {d.get('first_broken')}")
        + f" ({d.get('checked', 0)} events)"
    ),
}


def describe(event: Any, actor: str, names: Names) -> str:
    """One sentence: who did what to what."""
    it = names.get((event.entity_type, str(event.entity_id)), f"{event.entity_type} {event.entity_id}")
    if it.startswith(f"{actor}'s "):  # "Dana passed her attempt", not "Dana passed Dana's attempt"
        it = "their " + it[len(actor) + 3 :]
    phrase = PHRASES.get(event.action)
    if phrase is None:
        return f"{actor}: {event.action.replace('.', ' ').replace('_', ' ')} on {it}"
    try:
        return f"{actor} {phrase(_data(event), it)}"
    except (TypeError, ValueError):  # an older event whose data has another shape
        return f"{actor}: {event.action} on {it}"
