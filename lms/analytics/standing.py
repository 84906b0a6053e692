"""Where each person stands on each SOP they need: current, or why not.

A person needs an SOP when one of their job roles has it in its curriculum (an `Assignment`), or when they
were assigned its revision in force themselves (an enrolment on it). Their standing comes from their
enrolments on the SOP's revisions, judged against the revision in force (`effective`):

- `current`: the latest training on the revision in force is completed, or an earlier one on it is and a
  refresher is open but not yet due;
- `overdue`: the latest training on the revision in force is past its due date and not completed;
- `outdated_revision`: trained (completed) only on a revision that has since been replaced;
- `in_progress`, `not_started`: never completed any revision, and the open training is started or not.

One rule for every page and file (the not-current list, the matrix): computed in SQL, grouped by person
and SOP, so it answers for a whole organisation without loading it. `standing_of` is the same rule in
Python, for one person's rows, and the tests hold the SQL to it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice

from sqlalchemy import Select, and_, case, func, literal, or_, select, true, union

from lms.db import db, utcnow
from lms.models import Assignment, Enrolment, JobRole, Sop, SopRevision, User, user_job_roles
from lms.paging import Page, clamp_page
from lms.services.errors import NotFound

STANDINGS = ("overdue", "outdated_revision", "in_progress", "not_started", "current")  # most urgent first
NOT_CURRENT = STANDINGS[:-1]
LABELS = {
    "current": "Current",
    "overdue": "Overdue",
    "outdated_revision": "Trained on an outdated revision",
    "in_progress": "In progress",
    "not_started": "Not started",
}
PER_PAGE = 50

_E, _R, _U = Enrolment.__table__, SopRevision.__table__, User.__table__
_A, _UJ, _S, _J = Assignment.__table__, user_job_roles, Sop.__table__, JobRole.__table__


@dataclass(frozen=True)
class Training:
    """One enrolment, as `standing_of` needs it."""

    revision_id: int
    status: str  # stored: assigned, in_progress, completed
    due_at: datetime
    enrolment_id: int


def standing_of(trainings: Iterable[Training], current_revision_id: int, now: datetime) -> str:
    """The rule of this module for one person and one SOP, in Python (the SQL below is the same rule)."""
    trainings = list(trainings)
    on_current = [t for t in trainings if t.revision_id == current_revision_id]
    latest = max(on_current, key=lambda t: t.enrolment_id, default=None)
    if latest is not None and latest.status == "completed":
        return "current"
    if latest is not None and latest.due_at < now:
        return "overdue"
    if any(t.status == "completed" for t in on_current):
        return "current"
    if any(t.status == "completed" for t in trainings):
        return "outdated_revision"
    return "in_progress" if latest is not None and latest.status == "in_progress" else "not_started"


def _in_force(sop_ids: Collection[int] | None):
    query = select(_R.c.id.label("revision_id"), _R.c.sop_id).where(_R.c.status == "effective")
    return (query.where(_R.c.sop_id.in_(sop_ids)) if sop_ids is not None else query).subquery("in_force")


def _needed(in_force, user_ids=None):
    """(user_id, sop_id) for each SOP in force a person needs: by a job role's curriculum, or by name."""
    by_role = (
        select(_UJ.c.user_id, _A.c.sop_id)
        .join(_A, _A.c.job_role_id == _UJ.c.job_role_id)
        .join(in_force, in_force.c.sop_id == _A.c.sop_id)
    )
    by_person = select(_E.c.user_id, in_force.c.sop_id).join(
        in_force, in_force.c.revision_id == _E.c.revision_id
    )
    if user_ids is not None:
        by_role = by_role.where(_UJ.c.user_id.in_(user_ids))
        by_person = by_person.where(_E.c.user_id.in_(user_ids))
    return union(by_role, by_person)


def needs_an_sop(user_id):
    """A condition on a user id column: the person needs at least one SOP in force, being in a job role
    whose curriculum has one (a few hundred roles) or assigned one by name (their enrolments, by index)."""
    in_force = _in_force(None)
    curricula = select(_A.c.job_role_id).join(in_force, in_force.c.sop_id == _A.c.sop_id)
    by_role = select(_UJ.c.user_id).where(_UJ.c.job_role_id.in_(curricula))
    by_name = (
        select(_E.c.id)
        .join(in_force, in_force.c.revision_id == _E.c.revision_id)
        .where(_E.c.user_id == user_id)
        .exists()
    )
    return or_(user_id.in_(by_role), by_name)


INDEX_PER_PAGE = 50


def sop_standings_page(
    search: str = "", page: int = 1, now: datetime | None = None, per_page: int = INDEX_PER_PAGE
) -> Page[SopStanding]:
    """The not-current index: the SOPs in force that someone needs, in code order, a page at a time,
    each with how many need it and how many are current. Only the page's SOPs have their standings
    computed: at 30,000 people and 300 SOPs every person and SOP pair is over four million rows."""
    query = sops_needed()
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(_S.c.code).like(pattern), func.lower(_S.c.title).like(pattern)))
    connection = db.session.connection()
    total = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = clamp_page(page, total, per_page)
    ids = [row.id for row in connection.execute(query.limit(per_page).offset((page - 1) * per_page))]
    found = sop_standings(now, by_code=True, sop_ids=ids) if ids else []
    return Page(found, page, per_page, total)


def sops_needed(user_ids=None) -> Select:
    """The SOPs in force that someone (of `user_ids`) needs, in code order: (id, code). Cheaper than their
    standings: nobody's trainings are read, and no person and SOP pair is formed."""
    in_force = _in_force(None)
    active = select(_U.c.id).where(_U.c.active.is_(True))  # as `standings`: only active people need
    members = select(_UJ.c.job_role_id).where(_UJ.c.user_id.in_(active))
    trained = select(_E.c.revision_id).where(_E.c.user_id.in_(active))
    if user_ids is not None:
        members, trained = (
            members.where(_UJ.c.user_id.in_(user_ids)),
            trained.where(_E.c.user_id.in_(user_ids)),
        )
    by_role = select(_A.c.sop_id).where(_A.c.job_role_id.in_(members))
    by_person = select(in_force.c.sop_id).where(in_force.c.revision_id.in_(trained))
    wanted = or_(_S.c.id.in_(by_role), _S.c.id.in_(by_person))
    return (
        select(_S.c.id, _S.c.code)
        .where(_S.c.id.in_(select(in_force.c.sop_id)), wanted)
        .order_by(_S.c.code, _S.c.id)
    )


def _trainings(in_force, user_ids=None):
    """Per (person, SOP in force) they trained on: their latest training on the revision in force, whether
    they completed it or any revision, and when they last completed one."""
    on_current = _E.c.revision_id == in_force.c.revision_id
    completed = _E.c.status == "completed"
    return (
        select(
            _E.c.user_id,
            _R.c.sop_id,
            func.max(case((on_current, _E.c.id))).label("latest_id"),
            func.max(case((and_(on_current, completed), 1), else_=0)).label("done_current"),
            func.max(case((completed, 1), else_=0)).label("done_any"),
            func.max(case((completed, _E.c.completed_at))).label("completed_at"),
        )
        .join(_R, _R.c.id == _E.c.revision_id)
        .join(in_force, in_force.c.sop_id == _R.c.sop_id)
        .where(_E.c.user_id.in_(user_ids) if user_ids is not None else true())
        .group_by(_E.c.user_id, _R.c.sop_id)
        .subquery("trainings")
    )


def _standing_case(now: datetime, trainings, latest):
    """`standing_of` in SQL, over `_trainings` and the latest training it names (NULLs: never trained)."""
    return case(
        (latest.c.status == "completed", literal("current")),
        (latest.c.due_at < now, literal("overdue")),
        (trainings.c.done_current == 1, literal("current")),
        (trainings.c.done_any == 1, literal("outdated_revision")),
        (latest.c.status == "in_progress", literal("in_progress")),
        else_=literal("not_started"),
    )


def trained_standings(now: datetime, sop_ids: Collection[int] | None = None, user_ids=None) -> Select:
    """`standings` for the pairs someone trained on only (user_id, sop_id, standing), without forming
    every pair of person and SOP needed: the current ones are all among them."""
    trainings = _trainings(_in_force(sop_ids), user_ids)
    latest = _E.alias("latest")
    return (
        select(
            trainings.c.user_id, trainings.c.sop_id, _standing_case(now, trainings, latest).label("standing")
        )
        .select_from(trainings)
        .outerjoin(latest, latest.c.id == trainings.c.latest_id)
    )


def standings(now: datetime, sop_ids: Collection[int] | None = None, user_ids=None) -> Select:
    """One row per (person, SOP needed): user_id, sop_id, revision_id (in force), standing, and the latest
    training on the revision in force (latest_id, due_at, assigned_at), the last completion on any
    revision (completed_at). Active people only; SOPs with a revision in force only. `sop_ids` and
    `user_ids` (ids, or a select of them) narrow it down inside, where the indexes apply."""
    in_force = _in_force(sop_ids)
    needed = _needed(in_force, user_ids).subquery("needed")
    trainings = _trainings(in_force, user_ids)
    latest = _E.alias("latest")
    standing = _standing_case(now, trainings, latest)
    return (
        select(
            needed.c.user_id,
            needed.c.sop_id,
            in_force.c.revision_id,
            standing.label("standing"),
            latest.c.id.label("latest_id"),
            latest.c.due_at,
            latest.c.assigned_at,
            trainings.c.completed_at,
        )
        .select_from(needed)
        .join(_U, and_(_U.c.id == needed.c.user_id, _U.c.active.is_(True)))
        .join(in_force, in_force.c.sop_id == needed.c.sop_id)
        .outerjoin(
            trainings, and_(trainings.c.user_id == needed.c.user_id, trainings.c.sop_id == needed.c.sop_id)
        )
        .outerjoin(latest, latest.c.id == trainings.c.latest_id)
    )


# --- the SOPs, with how many people are not current on each --------------------------------------------


@dataclass(frozen=True)
class SopStanding:
    sop_id: int
    code: str
    title: str
    revision: str
    needed: int
    current: int

    @property
    def not_current(self) -> int:
        return self.needed - self.current

    @property
    def percent_current(self) -> int:
        return round(100 * self.current / self.needed) if self.needed else 100


def sop_standings(
    now: datetime | None = None,
    search: str = "",
    user_ids=None,
    by_code: bool = False,
    sop_ids: Collection[int] | None = None,
) -> list[SopStanding]:
    """Every SOP (of `sop_ids`) with a revision in force that someone (of `user_ids`) needs: how many
    people need it and how many are current (`sop_counts`: no person and SOP pair is formed); the SOPs with
    the most people not current first (or in code order)."""
    from lms.analytics.sop_counts import sop_counts

    query = select(_S.c.id, _S.c.code, _S.c.title, _R.c.label).join(
        _R, and_(_R.c.sop_id == _S.c.id, _R.c.status == "effective")
    )
    if sop_ids is not None:
        query = query.where(_S.c.id.in_(sop_ids))
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        query = query.where(or_(func.lower(_S.c.code).like(pattern), func.lower(_S.c.title).like(pattern)))
    sops = db.session.connection().execute(query).all()
    counts = sop_counts(now or utcnow(), [row.id for row in sops], user_ids) if sops else {}
    found = [SopStanding(*row, *counts[row.id]) for row in sops if row.id in counts]
    if by_code:
        return sorted(found, key=lambda s: (s.code, s.sop_id))
    return sorted(found, key=lambda s: (-s.not_current, s.code, s.sop_id))


# --- the people not current on one SOP -------------------------------------------------------------------


@dataclass(frozen=True)
class SopInForce:
    id: int
    code: str
    title: str
    revision: str
    effective_date: date | None
    revision_id: int


def sop_in_force(sop_id: int) -> SopInForce:
    """The SOP and its revision in force; NotFound for an SOP without one (nobody can be current on it)."""
    found = (
        db.session.connection()
        .execute(
            select(_S.c.id, _S.c.code, _S.c.title, _R.c.label, _R.c.effective_date, _R.c.id)
            .join(_R, and_(_R.c.sop_id == _S.c.id, _R.c.status == "effective"))
            .where(_S.c.id == sop_id)
        )
        .first()
    )
    if found is None:
        raise NotFound("No such SOP, or it has no revision in force yet.")
    return SopInForce(*found)


@dataclass(frozen=True)
class NotCurrent:
    user_id: int
    name: str
    email: str
    roles: str  # the person's job roles, "Role (Department)", comma separated
    standing: str
    due_at: datetime | None
    assigned_at: datetime | None
    completed_at: datetime | None  # the last completion, on any revision

    @property
    def label(self) -> str:
        return LABELS[self.standing]


def _not_current(now: datetime, sop_id: int, standing: str | None) -> Select:
    rows = standings(now, [sop_id]).subquery()
    wanted = [standing] if standing else list(NOT_CURRENT)
    priority = case({name: index for index, name in enumerate(STANDINGS)}, value=rows.c.standing)
    return (
        select(
            rows.c.user_id,
            _U.c.name,
            _U.c.email,
            rows.c.standing,
            rows.c.due_at,
            rows.c.assigned_at,
            rows.c.completed_at,
        )
        .join(_U, _U.c.id == rows.c.user_id)
        .where(rows.c.standing.in_(wanted))
        .order_by(priority, _U.c.name, _U.c.id)
    )


def with_roles(rows: Iterable) -> Iterator[tuple[list, dict[int, str]]]:
    """The rows (with a `user_id`) a batch at a time, each batch with its people's job roles ("Role
    (Department)", comma separated): one lookup per 1,000 rows, so memory stays flat."""
    rows = iter(rows)
    while batch := list(islice(rows, 1000)):  # itertools.batched from Python 3.12
        roles: dict[int, list[str]] = {}
        found = db.session.connection().execute(
            select(_UJ.c.user_id, _J.c.name, _J.c.department)
            .join(_J, _J.c.id == _UJ.c.job_role_id)
            .where(_UJ.c.user_id.in_({row.user_id for row in batch}))
            .order_by(_J.c.name, _J.c.id)
        )
        for user_id, name, department in found:
            roles.setdefault(user_id, []).append(f"{name} ({department})" if department else name)
        yield batch, {user_id: ", ".join(names) for user_id, names in roles.items()}


def _with_roles(rows: Iterable) -> Iterator[NotCurrent]:
    for batch, roles in with_roles(rows):
        for row in batch:
            yield NotCurrent(
                row.user_id,
                row.name,
                row.email,
                roles.get(row.user_id, ""),
                row.standing,
                row.due_at,
                row.assigned_at,
                row.completed_at,
            )


def not_current_page(
    sop_id: int,
    page: int = 1,
    standing: str | None = None,
    now: datetime | None = None,
    per_page: int = PER_PAGE,
) -> Page[NotCurrent]:
    now = now or utcnow()
    query = _not_current(now, sop_id, standing)
    total = db.session.connection().execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = clamp_page(page, total, per_page)
    found = db.session.connection().execute(query.limit(per_page).offset((page - 1) * per_page))
    return Page(list(_with_roles(found)), page, per_page, total)


def not_current_rows(
    sop_id: int, standing: str | None = None, now: datetime | None = None
) -> Iterator[NotCurrent]:
    """Every row of the list, streamed (a server-side cursor on PostgreSQL), for the download."""
    query = _not_current(now or utcnow(), sop_id, standing).execution_options(yield_per=1000)
    yield from _with_roles(db.session.connection().execute(query))  # the option on the statement, not
    # on the connection: there it would stay, and turn every later statement into a server-side cursor
