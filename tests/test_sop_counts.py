"""`sop_counts` (how many need each SOP, how many are current, from the roles' sizes) against counting the
row-per-pair `standings` on the same data: people in two roles that both require an SOP, people assigned it
by name inside and outside those roles, deactivated people, and a filter on people (issue 13)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from lms.analytics import standing
from lms.analytics.sop_counts import sop_counts
from lms.db import db, utcnow
from lms.models import JobRole, Sop, User
from lms.services import accounts, enrolments, sop_import
from tests.conftest import PASSWORD


def _by_rows(now, sop_ids, user_ids=None) -> dict[int, tuple[int, int]]:
    rows = db.session.execute(standing.standings(now, sop_ids, user_ids)).all()
    needed = Counter(row.sop_id for row in rows)
    current = Counter(row.sop_id for row in rows if row.standing == "current")
    return {sop_id: (n, current[sop_id]) for sop_id, n in needed.items()}


def test_the_counts_from_role_sizes_are_the_counts_of_every_pair(organisation) -> None:
    lab = db.session.scalars(select(JobRole).where(JobRole.name == "Lab")).one()
    office = db.session.scalars(select(JobRole).where(JobRole.name == "Office")).one()
    qubit = sop_import.modules_of(
        db.session.scalars(select(Sop).where(Sop.id == organisation["sop_id"])).one().revisions[-1].id
    )[0]
    enrolments.assign_module_to_role(qubit.id, office.id, 14, None)  # now two roles require Qubit
    accounts.create_user("both@example.org", "Both", PASSWORD, "learner", [lab.id, office.id])
    gone_twice = accounts.create_user(
        "gone2@example.org", "Gone Twice", PASSWORD, "learner", [lab.id, office.id]
    )
    db.session.get(User, gone_twice.id).active = False
    db.session.commit()
    now = utcnow()
    sop_ids = list(db.session.scalars(select(Sop.id)))
    expected = _by_rows(now, sop_ids)
    assert expected[organisation["sop_id"]][0] == 8  # five in the lab, Both once, Named and Outsider
    assert sop_counts(now, sop_ids) == expected
    lab_people = select(User.id).join(User.job_roles).where(JobRole.id == lab.id)
    assert sop_counts(now, sop_ids, lab_people) == _by_rows(now, sop_ids, lab_people)
    named = [organisation["people"]["named"]]
    assert (
        sop_counts(now, sop_ids, named) == _by_rows(now, sop_ids, named) == {organisation["sop_id"]: (1, 0)}
    )
    assert {s.sop_id: (s.needed, s.current) for s in standing.sop_standings(now)} == expected
