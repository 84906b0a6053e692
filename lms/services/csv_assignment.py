"""Bulk assignment from a CSV file (email, SOP code, due date): checked in full and shown as a preview with an
error per row, then applied all at once or not at all, so a rejected file saves nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.models import Sop, TrainingModule, User
from lms.services import audit
from lms.services.enrolments import create_enrolment, latest_enrolment
from lms.services.errors import InvalidInput
from lms.services.individual import current_module, end_of_day
from lms.services.transactions import transactional

CSV_COLUMNS = ("email", "sop_code", "due_date")
MAX_CSV_ROWS = 5000


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
            row.due_at = end_of_day(due)
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
