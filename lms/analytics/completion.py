"""Where each person stands on the training their job roles require: one query and one status vocabulary for
the trainer's Completion page, the completion CSV, the analytics overview and its drill-down.

Before, the Completion page counted superseded revisions and the overview did not, so the two disagreed
for the same role, and the CSV said "assigned" where the pages said "not started". Now:
- a row is an enrolment, once for every job role of its learner that has the module assigned (a person who
  holds two roles counts in both); the CSV also lists enrolments no role requires (role left blank);
- its status is `lms.models.enrolment.status_of` (in SQL, `status_expression`): completed, in progress,
  not started, overdue, or superseded when the revision it trained on was replaced;
- figures count current training, every status but superseded.
`completion_select` is a Core select of the columns shown, so the report (`completion_report`) streams.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, select

from lms.analytics import fetch, percent
from lms.analytics.filters import ReportFilters, days_between, in_range
from lms.db import utcnow
from lms.models import (
    Assignment,
    Attempt,
    Enrolment,
    JobRole,
    Signature,
    Sop,
    SopRevision,
    User,
    user_job_roles,
)
from lms.models.enrolment import DISPLAY_STATUSES, status_expression

SUPERSEDED = "superseded"
STATUSES = tuple(s for s in DISPLAY_STATUSES if s != SUPERSEDED)  # current training, as figures count it
STATUS_LABELS = {
    "completed": "Completed",
    "in_progress": "In progress",
    "not_started": "Not started",
    "overdue": "Overdue",
    SUPERSEDED: "Superseded",
}


def _role_conditions(filters: ReportFilters) -> list:
    conditions = []
    if filters.job_role_id is not None:
        conditions.append(Assignment.job_role_id == filters.job_role_id)
    if filters.department is not None:
        in_department = select(JobRole.id).where(JobRole.department == filters.department)
        conditions.append(Assignment.job_role_id.in_(in_department))
    if filters.site is not None:
        conditions.append(Assignment.job_role_id.in_(select(JobRole.id).where(JobRole.site == filters.site)))
    return conditions


def _required(query: Select) -> Select:
    """The query joined from Assignment to Enrolment through role membership: each enrolment once for every
    role of its user that requires the module (not through the assignment that created the enrolment)."""
    return query.join(user_job_roles, user_job_roles.c.job_role_id == Assignment.job_role_id).join(
        Enrolment,
        and_(Enrolment.user_id == user_job_roles.c.user_id, Enrolment.module_id == Assignment.module_id),
    )


_ROLE_NAMES = (JobRole.name.label("job_role"), JobRole.department.label("department"))


def _attempts():
    """How many quiz attempts the training had, submitted ones (a row's own, by the attempts' index)."""
    submitted = and_(Attempt.enrolment_id == Enrolment.id, Attempt.submitted_at.is_not(None))
    return (
        select(func.count(Attempt.id))
        .where(submitted)
        .correlate(Enrolment)
        .scalar_subquery()
        .label("attempts")
    )


def _signature():
    """The meaning and time of the person's latest signature on the revision trained on (by its index)."""
    mine = and_(Signature.user_id == Enrolment.user_id, Signature.revision_id == Enrolment.revision_id)

    def latest(column):
        query = select(column).where(mine).order_by(Signature.id.desc()).limit(1)
        return query.correlate(Enrolment).scalar_subquery()

    return latest(Signature.meaning).label("signature_meaning"), latest(Signature.signed_at).label(
        "signed_at"
    )


def completion_select(
    filters: ReportFilters | None = None,
    now: datetime | None = None,
    every_enrolment: bool = False,
    detail: bool = True,
) -> Select:
    """The rows: role, enrolment and status, and with `detail` the role's name and department, the learner,
    SOP revision, score and dates. By default current training that a role requires (what figures count),
    joined straight from the role's assignments; `every_enrolment` adds superseded training and enrolments
    no role requires (the CSV, for inspectors). Figures that only count leave out `detail`: its joins would
    cost time at 20,000 learners for nothing."""
    filters = filters or ReportFilters()
    status = status_expression(now or utcnow()).label("status")
    every = (
        every_enrolment
        and filters.job_role_id is None
        and filters.department is None
        and filters.site is None
    )
    if every:  # roles joined to every enrolment, so one no role requires is still listed
        pairs = _required(
            select(Assignment.job_role_id.label("job_role_id"), *_ROLE_NAMES, Enrolment.id.label("enrolment"))
            .select_from(Assignment)
            .join(JobRole, JobRole.id == Assignment.job_role_id)
        ).subquery()
        roles = [pairs.c.job_role_id, *([pairs.c.job_role, pairs.c.department] if detail else [])]
    else:
        roles = [Assignment.job_role_id.label("job_role_id"), *(_ROLE_NAMES if detail else ())]
    columns = [*roles, Enrolment.id.label("enrolment_id"), status]
    if detail:
        columns += [User.name.label("user"), User.email, Sop.code.label("sop_code")]
        columns += [SopRevision.label.label("revision"), Enrolment.score_percent]
        columns += [Enrolment.completed_at, Enrolment.due_at]
        columns += [SopRevision.title.label("sop_title"), Enrolment.assigned_at, _attempts(), *_signature()]
    if every:
        query = select(*columns).select_from(Enrolment).outerjoin(pairs, pairs.c.enrolment == Enrolment.id)
    else:
        query = _required(select(*columns).select_from(Assignment)).where(*_role_conditions(filters))
        if detail:
            query = query.join(JobRole, JobRole.id == Assignment.job_role_id)
    query = query.join(SopRevision, SopRevision.id == Enrolment.revision_id).where(
        *in_range(Enrolment.due_at, filters),
        *days_between(Enrolment.completed_at, filters.completed_from, filters.completed_to),
    )
    if detail:
        query = query.join(User, User.id == Enrolment.user_id).join(Sop, Sop.id == SopRevision.sop_id)
    if not every_enrolment:
        query = query.where(SopRevision.status != SUPERSEDED)
    if filters.sop_id is not None:
        query = query.where(SopRevision.sop_id == filters.sop_id)
    return query


@dataclass(frozen=True)
class RoleStatus:
    job_role_id: int
    job_role: str
    department: str
    counts: dict[str, int]  # status -> enrolments, for every status in STATUSES

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def completed_percent(self) -> float:
        return percent(self.counts["completed"], self.total)


def by_role(filters: ReportFilters | None = None, now: datetime | None = None) -> list[RoleStatus]:
    """Current training per job role and status, counted in the database; ordered by role name."""
    rows = completion_select(filters, now, detail=False).subquery()
    counted = (
        select(rows.c.job_role_id, rows.c.status, func.count().label("n"))
        .group_by(rows.c.job_role_id, rows.c.status)
        .subquery()
    )  # grouped by the role's id; its name and department are joined to the few grouped rows
    query = select(JobRole.id, JobRole.name, JobRole.department, counted.c.status, counted.c.n).join(
        counted, counted.c.job_role_id == JobRole.id
    )
    found: dict[int, RoleStatus] = {}
    for role_id, name, department, status, count in fetch(query):
        row = found.setdefault(
            role_id, RoleStatus(role_id, name, department or "", dict.fromkeys(STATUSES, 0))
        )
        row.counts[status] += count
    return sorted(found.values(), key=lambda r: (r.job_role.lower(), r.job_role_id))
