"""Who is current on an SOP and why the others are not (issue 13), on SQLite and PostgreSQL: the SQL that
every compliance page uses against each person's expected standing, and against the same rule computed in
Python from their enrolments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.analytics import standing
from lms.db import db, utcnow
from lms.models import Enrolment, SopRevision, User
from lms.services import accounts, enrolments, individual, progress, quiz_review, sop_import
from lms.services.transactions import transaction
from tests.conftest import DEMO_SOPS, PASSWORD
from tests.test_retraining import QUBIT, new_revision_module, pass_quiz


@pytest.fixture
def organisation(app_ctx) -> dict:
    """Qubit rev 1.0.0 on the lab curriculum, then rev 1.1.0 published with delta retraining; people in
    every standing, one outside the curriculum, one inactive, one assigned the SOP by name."""
    lab, office = accounts.create_job_role("Lab", "QC"), accounts.create_job_role("Office")
    people = {
        name: accounts.create_user(f"{name}@example.org", name.title(), PASSWORD, "learner", [lab.id]).id
        for name in ("retrained", "pending", "reader", "late", "fresh", "gone")
    }
    people["outsider"] = accounts.create_user(
        "office@example.org", "Outsider", PASSWORD, "learner", [office.id]
    ).id
    people["named"] = accounts.create_user("named@example.org", "Named", PASSWORD, "learner", [office.id]).id
    first = sop_import.import_sop((DEMO_SOPS / QUBIT).read_bytes(), QUBIT, None)
    module = sop_import.modules_of(first.id)[0]
    quiz_review.publish(module.id, None)
    enrolments.assign_module_to_role(module.id, lab.id, 14, None)
    pass_quiz(people["retrained"], enrolments.enrolments_for(people["retrained"])[0].id)
    second = new_revision_module()
    quiz_review.publish(second.id, None, retraining_mode="delta")
    individual.assign_to_people(
        second.id, [people["named"]], None, (utcnow() + timedelta(days=30)).date(), None
    )
    pass_quiz(people["fresh"], _on(people["fresh"], second.revision_id).id)
    progress.mark_read(people["reader"], _on(people["reader"], second.revision_id).id, 0)
    _on(people["late"], second.revision_id).due_at = utcnow() - timedelta(days=1)
    db.session.get(User, people["gone"]).active = False
    db.session.commit()
    return {"people": people, "sop_id": first.sop_id, "revision_id": second.revision_id}


def _on(user_id: int, revision_id: int) -> Enrolment:
    return db.session.scalars(
        select(Enrolment)
        .where(Enrolment.user_id == user_id, Enrolment.revision_id == revision_id)
        .order_by(Enrolment.id.desc())
    ).first()


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
    done = _on(fresh, revision_id)
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
