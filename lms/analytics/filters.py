"""The filters every report and figure takes (SOP, job role, department, a date range), read from a query
string once, and the SQL conditions they become. The gap report, item analysis, the overview and the
completion figures all use these, so one filter means the same thing on every page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from lms.models import JobRole, user_job_roles


@dataclass(frozen=True)
class ReportFilters:
    sop_id: int | None = None
    job_role_id: int | None = None
    department: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    site: str | None = None  # the completion report's: the site of a job role
    completed_from: date | None = None  # the completion report's: completed on these UTC days
    completed_to: date | None = None

    def as_args(self) -> dict[str, str]:
        """The query-string form of these filters (for links such as the CSV download)."""
        values = {
            "sop": self.sop_id,
            "role": self.job_role_id,
            "department": self.department,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "site": self.site,
            "completed_from": self.completed_from.isoformat() if self.completed_from else None,
            "completed_to": self.completed_to.isoformat() if self.completed_to else None,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def parse_filters(args: Mapping[str, str]) -> tuple[ReportFilters, list[str]]:
    """Filters from a query string; a value that cannot be read is dropped and explained."""
    errors: list[str] = []

    def number(key: str, label: str) -> int | None:
        raw = (args.get(key) or "").strip()
        if not raw:
            return None
        if raw.isdigit() and len(raw) < 12:
            return int(raw)
        errors.append(f"Ignored the {label} filter: “{raw[:40]}” is not a valid choice.")
        return None

    def day(key: str, label: str) -> date | None:
        raw = (args.get(key) or "").strip()
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors.append(f"Ignored the {label} date: “{raw[:40]}” is not a date (YYYY-MM-DD).")
            return None

    department = (args.get("department") or "").strip()[:120] or None
    site = (args.get("site") or "").strip()[:120] or None
    date_from, date_to = day("from", "from"), day("to", "to")
    if date_from and date_to and date_from > date_to:
        errors.append("The “from” date is after the “to” date: nothing can match.")
    done_from, done_to = day("completed_from", "completed from"), day("completed_to", "completed to")
    if done_from and done_to and done_from > done_to:
        errors.append("The “completed from” date is after the “completed to” date: nothing can match.")
    found = ReportFilters(
        number("sop", "SOP"),
        number("role", "job role"),
        department,
        date_from,
        date_to,
        site,
        done_from,
        done_to,
    )
    return found, errors


def in_range(column, filters: ReportFilters) -> list:
    """The date range filter on a UTC timestamp column: UTC days, both ends included."""
    return days_between(column, filters.date_from, filters.date_to)


def days_between(column, first: date | None, last: date | None) -> list:
    conditions = []
    if first is not None:
        conditions.append(column >= _day_start(first))
    if last is not None:
        conditions.append(column < _day_start(last + timedelta(days=1)))
    return conditions


def _day_start(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=UTC)


def role_conditions(filters: ReportFilters) -> list:
    conditions = []
    if filters.job_role_id is not None:
        conditions.append(user_job_roles.c.job_role_id == filters.job_role_id)
    if filters.department is not None:
        in_department = select(JobRole.id).where(JobRole.department == filters.department)
        conditions.append(user_job_roles.c.job_role_id.in_(in_department))
    if filters.site is not None:
        conditions.append(
            user_job_roles.c.job_role_id.in_(select(JobRole.id).where(JobRole.site == filters.site))
        )
    return conditions


def learners_in(filters: ReportFilters):
    """The learners the role and department filters keep (a subquery of user ids), or None when neither is
    set: a learner counts when they hold that role / a role of that department now."""
    conditions = role_conditions(filters)
    return select(user_job_roles.c.user_id).where(*conditions) if conditions else None
