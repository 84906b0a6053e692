"""How many people need each SOP and how many of them are current, without forming every (person, SOP)
pair: at 30,000 people and 300 SOPs those are over four million rows, and a page of 20 SOPs is 600,000.

Needed counts come from the job roles' sizes: each SOP's curriculum roles summed, less the people counted
twice (those in two roles that both require it, few and found directly), plus the people assigned it by
name outside those roles. Current counts come from the trainings alone (`standing.trained_standings`):
whoever is current has trained on the revision in force. The same numbers as counting `standing.standings`
row by row, which `tests/test_sop_counts.py` holds it to.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, exists, func, select

from lms.analytics import standing
from lms.db import db
from lms.models import Assignment, Enrolment, User, user_job_roles

_A, _E, _U, _UJ = Assignment.__table__, Enrolment.__table__, User.__table__, user_job_roles


def _members(user_ids):
    """Job role memberships of the active people (of `user_ids`)."""
    query = select(_UJ.c.user_id, _UJ.c.job_role_id).join(
        _U, and_(_U.c.id == _UJ.c.user_id, _U.c.active.is_(True))
    )
    return (query.where(_UJ.c.user_id.in_(user_ids)) if user_ids is not None else query).subquery("members")


def sop_counts(now: datetime, sop_ids: Collection[int], user_ids=None) -> dict[int, tuple[int, int]]:
    """SOP id -> (people who need it, people current on it), for the SOPs of `sop_ids` that are in force,
    among the active people (of `user_ids`)."""
    connection = db.session.connection()
    in_force = standing._in_force(sop_ids)
    members = _members(user_ids)
    per_role = (
        select(members.c.job_role_id, func.count().label("n")).group_by(members.c.job_role_id).subquery()
    )
    by_role = connection.execute(
        select(_A.c.sop_id, func.sum(per_role.c.n))
        .join(in_force, in_force.c.sop_id == _A.c.sop_id)
        .join(per_role, per_role.c.job_role_id == _A.c.job_role_id)
        .group_by(_A.c.sop_id)
    ).all()
    several = select(members.c.user_id).group_by(members.c.user_id).having(func.count() > 1)
    twice = (
        select(_A.c.sop_id, members.c.user_id, func.count().label("k"))
        .join(in_force, in_force.c.sop_id == _A.c.sop_id)
        .join(members, members.c.job_role_id == _A.c.job_role_id)
        .where(members.c.user_id.in_(several))
        .group_by(_A.c.sop_id, members.c.user_id)
        .subquery()
    )
    counted_twice = connection.execute(
        select(twice.c.sop_id, func.sum(twice.c.k - 1)).where(twice.c.k > 1).group_by(twice.c.sop_id)
    ).all()
    in_a_role = exists(
        select(members.c.user_id)
        .join(_A, _A.c.job_role_id == members.c.job_role_id)
        .where(members.c.user_id == _E.c.user_id, _A.c.sop_id == in_force.c.sop_id)
    )
    active = select(_U.c.id).where(_U.c.active.is_(True))
    by_name = select(_E.c.user_id, in_force.c.sop_id).join(
        in_force, in_force.c.revision_id == _E.c.revision_id
    )
    by_name = by_name.where(_E.c.user_id.in_(active), ~in_a_role)
    if user_ids is not None:
        by_name = by_name.where(_E.c.user_id.in_(user_ids))
    named = by_name.distinct().subquery()
    by_name_only = connection.execute(select(named.c.sop_id, func.count()).group_by(named.c.sop_id)).all()
    trained = standing.trained_standings(now, sop_ids, user_ids).subquery()
    current = connection.execute(
        select(trained.c.sop_id, func.count())
        .join(_U, and_(_U.c.id == trained.c.user_id, _U.c.active.is_(True)))
        .where(trained.c.standing == "current")
        .group_by(trained.c.sop_id)
    ).all()
    needed: dict[int, int] = {}
    for rows, sign in ((by_role, 1), (counted_twice, -1), (by_name_only, 1)):
        for sop_id, n in rows:
            needed[sop_id] = needed.get(sop_id, 0) + sign * int(n)
    currents = {sop_id: int(n) for sop_id, n in current}
    return {sop_id: (n, currents.get(sop_id, 0)) for sop_id, n in needed.items() if n > 0}
