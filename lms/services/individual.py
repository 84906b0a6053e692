"""Assigning a module to particular people: picked by hand, a whole department, or a CSV file.

A CSV is checked in full first and shown as a preview with an error per row; it is applied all at once
or not at all, so a rejected file saves nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.models import JobRole, Sop, SopRevision, TrainingModule, User, user_job_roles
from lms.services import audit
from lms.services.enrolments import create_enrolment, latest_enrolment
from lms.services.errors import InvalidInput, NotFound
from lms.services.transactions import transactional

CSV_COLUMNS = ("email", "sop_code", "due_date")
MAX_CSV_ROWS = 5000


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=UTC)


def _check_due(day: date | None) -> datetime:
    if day is None:
        raise InvalidInput("Choose a due date.")
    if day < utcnow().date():
        raise InvalidInput("The due date is in the past.")
    return _end_of(day)


def current_module(sop: Sop) -> TrainingModule | None:
    """The published full module of the SOP's effective revision: what "train on this SOP" means now."""
    return db.session.scalar(
        select(TrainingModule)
        .join(SopRevision, TrainingModule.revision_id == SopRevision.id)
        .where(
            SopRevision.sop_id == sop.id,
            SopRevision.status == "effective",
            TrainingModule.status == "published",
            TrainingModule.kind == "full",
        )
        .limit(1)
    )


def departments() -> list[str]:
    return list(
        db.session.scalars(select(JobRole.department).where(JobRole.department.is_not(None)).distinct())
    )


def people_in_department(department: str) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(user_job_roles, user_job_roles.c.user_id == User.id)
            .join(JobRole, JobRole.id == user_job_roles.c.job_role_id)
            .where(JobRole.department == department, User.active.is_(True))
            .distinct()
            .order_by(User.name)
        )
    )


@transactional
def assign_to_people(
    module_id: int, user_ids: list[int], department: str | None, due_on: date | None, actor_id: int | None
) -> tuple[int, int]:
    """Enrol the chosen people (and a department's members); returns (enrolled, already had it)."""
    module = db.session.get(TrainingModule, module_id)
    if module is None:
        raise NotFound("No such module.")
    if module.status != "published":
        raise InvalidInput("Publish the module before assigning it.")
    due_at = _check_due(due_on)
    people = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids or [-1])))}
    if department:
        people.update({u.id: u for u in people_in_department(department)})
    if not people:
        raise InvalidInput("Choose at least one person or a department.")
    enrolled = skipped = 0
    for person in people.values():
        existing = latest_enrolment(person.id, module.id)
        if existing is not None and existing.status != "completed":
            skipped += 1
            continue
        cycle = existing.cycle + 1 if existing is not None else 1
        create_enrolment(person, module, due_at, actor_id, kind="individual", cycle=cycle)
        enrolled += 1
    audit.record(
        "assignment.individual",
        "module",
        module.id,
        {"people": sorted(people), "department": department, "due_at": due_at, "enrolled": enrolled},
        actor_id,
    )
    return enrolled, skipped


@dataclass
class CsvRow:
    line: int
    email: str
    sop_code: str
    due_date: str
    errors: list[str] = field(default_factory=list)
    user_id: int | None = None
    module_id: int | None = None
    due_at: datetime | None = None


@dataclass
class CsvPreview:
    rows: list[CsvRow]
    problems: list[str] = field(default_factory=list)  # file-level problems (header, size)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows) and not any(row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.problems) + sum(1 for row in self.rows if row.errors)


def preview_csv(text: str) -> CsvPreview:
    """Check every row without saving anything."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        return CsvPreview(
            [],
            [
                f"The header row must name the columns {', '.join(CSV_COLUMNS)} "
                f"(missing: {', '.join(missing)})."
            ],
        )
    rows: list[CsvRow] = []
    for line, record in enumerate(reader, start=2):
        values = {k.strip().lower(): (v or "").strip() for k, v in record.items() if k}
        rows.append(CsvRow(line, values["email"].lower(), values["sop_code"], values["due_date"]))
        if len(rows) > MAX_CSV_ROWS:
            return CsvPreview([], [f"The file has more than {MAX_CSV_ROWS} rows; split it."])
    if not rows:
        return CsvPreview([], ["The file has a header but no rows."])
    _check_rows(rows)
    return CsvPreview(rows)


def _check_rows(rows: list[CsvRow]) -> None:
    emails = {row.email for row in rows}
    codes = {row.sop_code for row in rows}
    users = {
        u.email.lower(): u for u in db.session.scalars(select(User).where(func.lower(User.email).in_(emails)))
    }
    sops = {s.code: s for s in db.session.scalars(select(Sop).where(Sop.code.in_(codes)))}
    modules = {code: current_module(sop) for code, sop in sops.items()}
    seen: set[tuple[str, str]] = set()
    today = utcnow().date()
    for row in rows:
        user = users.get(row.email)
        if not row.email:
            row.errors.append("The email is empty.")
        elif user is None:
            row.errors.append(f"No account for {row.email}.")
        elif not user.active:
            row.errors.append(f"{row.email} is deactivated.")
        else:
            row.user_id = user.id
        module = modules.get(row.sop_code)
        if row.sop_code not in sops:
            row.errors.append(f"No SOP with the code '{row.sop_code}'.")
        elif module is None:
            row.errors.append(f"{row.sop_code} has no published training module.")
        else:
            row.module_id = module.id
        try:
            due = date.fromisoformat(row.due_date)
        except ValueError:
            row.errors.append(f"'{row.due_date}' is not a date like 2026-12-31.")
        else:
            if due < today:
                row.errors.append("The due date is in the past.")
            row.due_at = _end_of(due)
        if (row.email, row.sop_code) in seen:
            row.errors.append("The same person and SOP appear on an earlier row.")
        seen.add((row.email, row.sop_code))
        if row.user_id and row.module_id:
            existing = latest_enrolment(row.user_id, row.module_id)
            if existing is not None and existing.status != "completed":
                row.errors.append("This person already has this training open.")


@transactional
def apply_csv(text: str, actor_id: int | None) -> int:
    """Re-check the file and enrol every row, or nothing at all if any row is wrong."""
    preview = preview_csv(text)
    if not preview.ok:
        raise InvalidInput(f"The file was rejected ({preview.error_count} problems); nothing was saved.")
    for row in preview.rows:
        user = db.session.get(User, row.user_id)
        module = db.session.get(TrainingModule, row.module_id)
        existing = latest_enrolment(user.id, module.id)
        cycle = existing.cycle + 1 if existing is not None else 1
        create_enrolment(user, module, row.due_at, actor_id, kind="individual", cycle=cycle)
    audit.record("assignment.csv", "module", "-", {"rows": len(preview.rows)}, actor_id)
    return len(preview.rows)


@transactional
def schedule_refreshers(now: datetime | None = None, lead_days: int = 30) -> int:
    """Open the next cycle for every completed curriculum training whose refresher falls due.

    A refresher is due `recurrence_days` after the last completion; it is created `lead_days` before
    that, so people see it coming. Idempotent: running it twice creates nothing more.
    """
    from lms.models import Assignment, Enrolment

    now = now or utcnow()
    created = 0
    completed = db.session.scalars(
        select(Enrolment)
        .join(Assignment, Enrolment.assignment_id == Assignment.id)
        .where(Enrolment.status == "completed", Assignment.recurrence_days.is_not(None))
    )
    for enrolment in list(completed):
        assignment = enrolment.assignment
        due_at = enrolment.completed_at + timedelta(days=assignment.recurrence_days)
        if due_at - timedelta(days=lead_days) > now or enrolment.revision.status == "superseded":
            continue
        if latest_enrolment(enrolment.user_id, enrolment.module_id).id != enrolment.id:
            continue  # the next cycle exists already
        if enrolment.user not in assignment.job_role.members:
            continue  # left the role: no new requirements
        create_enrolment(
            enrolment.user,
            enrolment.module,
            due_at,
            None,
            assignment=assignment,
            kind="refresher",
            cycle=enrolment.cycle + 1,
            now=now,
        )
        created += 1
    return created
