"""The training matrix: people (filtered by job role, department, site, name) against the SOPs they need,
each cell the person's standing on that SOP (`standing`), with counts per person and per SOP.

Paginated both ways on the server (people 50 a page, SOPs 20 a page), so 30,000 people by 2,000 SOPs is
never loaded: a page is six queries (how many people, the people of the page, the SOPs they need, the
totals of the page's SOPs over the filtered people, the page's cells, the page's people's totals across
every SOP); only the page's SOPs have their standings computed for everyone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, case, func, select

from lms.analytics import standing
from lms.db import db, utcnow
from lms.models import JobRole, Sop, SopRevision, User, user_job_roles
from lms.paging import Page, clamp_page

PEOPLE_PER_PAGE = 50
SOPS_PER_PAGE = 20
_U, _UJ, _J = User.__table__, user_job_roles, JobRole.__table__
_S, _R = Sop.__table__, SopRevision.__table__


@dataclass(frozen=True)
class MatrixFilters:
    job_role_id: int | None = None
    department: str | None = None
    site: str | None = None
    search: str = ""

    def as_args(self) -> dict[str, str]:
        values = {
            "role": self.job_role_id,
            "department": self.department,
            "site": self.site,
            "q": self.search,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


def parse_matrix_filters(args: Mapping[str, str]) -> tuple[MatrixFilters, list[str]]:
    errors: list[str] = []
    raw_role = (args.get("role") or "").strip()
    role = int(raw_role) if raw_role.isdigit() and len(raw_role) < 12 else None
    if raw_role and role is None:
        errors.append(f"Ignored the job role filter: “{raw_role[:40]}” is not a valid choice.")
    text = {key: (args.get(key) or "").strip()[:120] or None for key in ("department", "site", "q")}
    return MatrixFilters(role, text["department"], text["site"], text["q"] or ""), errors


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str
    needed: int
    current: int

    @property
    def percent_current(self) -> int:
        return round(100 * self.current / self.needed) if self.needed else 100


@dataclass(frozen=True)
class Cell:
    standing: str
    latest_id: int | None

    @property
    def label(self) -> str:
        return standing.LABELS[self.standing]


@dataclass(frozen=True)
class Matrix:
    people: Page[Person]
    sops: Page[standing.SopStanding]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)

    def cell(self, user_id: int, sop_id: int) -> Cell | None:
        """None: the person does not need the SOP."""
        return self.cells.get((user_id, sop_id))


def _kept(filters: MatrixFilters) -> Select | None:
    """The ids of the people the filters keep (None: no filter), as the counts take them: they count only
    active people who need an SOP themselves, so this stays a plain lookup of job roles and names."""
    role_conditions = []
    if filters.job_role_id is not None:
        role_conditions.append(_J.c.id == filters.job_role_id)
    if filters.department:
        role_conditions.append(_J.c.department == filters.department)
    if filters.site:
        role_conditions.append(_J.c.site == filters.site)
    query = None
    if role_conditions:
        query = select(_UJ.c.user_id).join(_J, _J.c.id == _UJ.c.job_role_id).where(and_(*role_conditions))
    if filters.search:
        pattern = f"%{filters.search.lower()}%"
        named = func.lower(_U.c.name).like(pattern) | func.lower(_U.c.email).like(pattern)
        query = select(_U.c.id).where(named, *([_U.c.id.in_(query)] if query is not None else []))
    return query


def _people(filters: MatrixFilters) -> Select:
    """The active people the filters keep who need at least one SOP in force: the matrix's rows."""
    query = select(_U.c.id, _U.c.name, _U.c.email).where(
        _U.c.active.is_(True), standing.needs_an_sop(_U.c.id)
    )
    kept = _kept(filters)
    return query.where(_U.c.id.in_(kept)) if kept is not None else query


def matrix(
    filters: MatrixFilters | None = None,
    page: int = 1,
    sop_page: int = 1,
    now: datetime | None = None,
    per_page: int = PEOPLE_PER_PAGE,
    sops_per_page: int = SOPS_PER_PAGE,
) -> Matrix:
    now = now or utcnow()
    filters = filters or MatrixFilters()
    connection = db.session.connection()
    people = _people(filters)
    total = connection.execute(select(func.count()).select_from(people.subquery())).scalar_one()
    page = clamp_page(page, total, per_page)
    listed = connection.execute(
        people.order_by(_U.c.name, _U.c.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    kept_ids = _kept(filters)  # None: everyone who needs one
    columns = connection.execute(standing.sops_needed(kept_ids)).all()
    sop_page = clamp_page(sop_page, len(columns), sops_per_page)
    on_page = [row.id for row in columns[(sop_page - 1) * sops_per_page : sop_page * sops_per_page]]
    shown = standing.sop_standings(now, user_ids=kept_ids, by_code=True, sop_ids=on_page) if on_page else []
    ids = [row.id for row in listed]
    cells: dict[tuple[int, int], Cell] = {}
    totals: dict[int, tuple[int, int]] = {}
    if ids:
        if shown:
            for row in connection.execute(standing.standings(now, [s.sop_id for s in shown], ids)):
                cells[(row.user_id, row.sop_id)] = Cell(row.standing, row.latest_id)
        every = standing.standings(now, user_ids=ids).subquery()
        for user_id, needed, current in connection.execute(
            select(
                every.c.user_id, func.count(), func.sum(case((every.c.standing == "current", 1), else_=0))
            ).group_by(every.c.user_id)
        ):
            totals[user_id] = (needed, int(current or 0))
    persons = [Person(row.id, row.name, row.email, *totals.get(row.id, (0, 0))) for row in listed]
    return Matrix(
        Page(persons, page, per_page, total),
        Page(shown, sop_page, sops_per_page, len(columns)),
        cells,
    )


def matrix_options() -> dict[str, list]:
    """What the filter form offers: job roles, and the departments and sites they are in."""
    connection = db.session.connection()
    roles = connection.execute(select(_J.c.id, _J.c.name, _J.c.department).order_by(_J.c.name, _J.c.id)).all()

    def distinct(column) -> list[str]:
        found = connection.execute(select(column).where(column.is_not(None)).distinct().order_by(column))
        return [value for (value,) in found if value]

    return {
        "roles": [(r.id, f"{r.name} ({r.department})" if r.department else r.name) for r in roles],
        "departments": distinct(_J.c.department),
        "sites": distinct(_J.c.site),
    }


@dataclass(frozen=True)
class MatrixRow:
    name: str
    email: str
    roles: str
    code: str
    title: str
    revision: str
    standing: str


def matrix_rows(filters: MatrixFilters | None = None, now: datetime | None = None) -> Iterator[MatrixRow]:
    """The whole matrix for the filters, one row per person and SOP they need, by person then SOP code:
    streamed (a server-side cursor on PostgreSQL), for the download."""
    rows = standing.standings(now or utcnow(), user_ids=_kept(filters or MatrixFilters())).subquery()
    query = (
        select(rows.c.user_id, _U.c.name, _U.c.email, _S.c.code, _S.c.title, _R.c.label, rows.c.standing)
        .join(_U, _U.c.id == rows.c.user_id)
        .join(_S, _S.c.id == rows.c.sop_id)
        .join(_R, _R.c.id == rows.c.revision_id)
        .order_by(_U.c.name, _U.c.id, _S.c.code)
        .execution_options(yield_per=1000)
    )
    found = db.session.connection().execute(query)
    for batch, roles in standing.with_roles(found):
        for row in batch:
            yield MatrixRow(
                row.name, row.email, roles.get(row.user_id, ""), row.code, row.title, row.label, row.standing
            )
