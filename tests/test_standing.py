"""Who is current on an SOP and why the others are not (issue 13), on SQLite and PostgreSQL: the SQL that
every compliance page uses against each person's expected standing, and against the same rule computed in
Python from their enrolments."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.analytics import standing
from lms.db import db, utcnow
from lms.models import Enrolment, SopRevision, User
from lms.services import enrolments
from lms.services.transactions import transaction
from tests.compliance_org import on_revision

EXPECTED = {
    "retrained": "outdated_revision",
    "pending": "not_started",
    "reader": "in_progress",
    "late": "overdue",
    "fresh": "current",
    "named": "not_started",
}


def test_each_person_needing_the_sop_has_the_standing_their_trainings_give(organisation) -> None:
    people, sop_id = organisation["people"], organisation["sop_id"]
    now = utcnow()
    rows = db.session.execute(standing.standings(now, [sop_id])).all()
    got = {name: row.standing for row in rows for name, user_id in people.items() if row.user_id == user_id}
    assert got == EXPECTED  # the outsider does not need it; an inactive person is not listed
    assert {row.revision_id for row in rows} == {organisation["revision_id"]}
    for row in rows:  # the same rule in Python, from the person's enrolments on every revision of the SOP
        trainings = [
            standing.Training(e.revision_id, e.status, e.due_at, e.id)
            for e in db.session.scalars(
                select(Enrolment)
                .join(SopRevision, SopRevision.id == Enrolment.revision_id)
                .where(Enrolment.user_id == row.user_id, SopRevision.sop_id == sop_id)
            )
        ]
        assert standing.standing_of(trainings, row.revision_id, now) == row.standing


def test_a_refresher_not_yet_due_keeps_a_person_current_and_an_overdue_one_does_not(organisation) -> None:
    fresh, revision_id = organisation["people"]["fresh"], organisation["revision_id"]
    done = on_revision(fresh, revision_id)
    user = db.session.get(User, fresh)
    module = done.module
    with transaction():
        refresher = enrolments.create_enrolment(
            user, module, utcnow() + timedelta(days=7), None, kind="refresher", cycle=2
        )

    def standing_now() -> str:
        rows = db.session.execute(standing.standings(utcnow(), [organisation["sop_id"]])).all()
        return next(row.standing for row in rows if row.user_id == fresh)

    assert standing_now() == "current"
    refresher.due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert standing_now() == "overdue"


def test_the_not_current_list_puts_the_most_urgent_first_with_roles_and_counts(organisation) -> None:
    people, sop_id = organisation["people"], organisation["sop_id"]
    page = standing.not_current_page(sop_id)
    assert [row.standing for row in page.items] == ["overdue", "outdated_revision", "in_progress"] + [
        "not_started"
    ] * 2
    assert page.total == 5 and people["fresh"] not in {row.user_id for row in page.items}
    late = page.items[0]
    assert (late.name, late.email, late.roles, late.label) == (
        "Late",
        "late@example.org",
        "Lab (QC)",
        "Overdue",
    )
    retrained = page.items[1]
    assert retrained.completed_at is not None  # when they last completed a (now outdated) revision
    assert [row.name for row in standing.not_current_page(sop_id, standing="not_started").items] == [
        "Named",
        "Pending",
    ]
    assert [r.user_id for r in standing.not_current_rows(sop_id)] == [r.user_id for r in page.items]
    second = standing.not_current_page(sop_id, page=2, per_page=3)
    assert (second.page, second.pages, len(second.items)) == (2, 2, 2)
    (counts,) = standing.sop_standings()
    assert (counts.needed, counts.current, counts.not_current, counts.percent_current) == (6, 1, 5, 17)
    assert standing.sop_standings(search="no such sop") == []
    index = standing.sop_standings_page()  # the index: the same counts, a page of SOPs at a time
    assert (index.total, index.items) == (1, [counts])
    assert standing.sop_standings_page("no such sop").total == 0
