"""The organisation every compliance test reads (issue 13): Qubit rev 1.0.0 on the lab curriculum, then
rev 1.1.0 published with delta retraining, and people in every standing. A plugin of the root conftest, so
the tests that use it need not import it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import Enrolment, User
from lms.services import accounts, enrolments, individual, progress, quiz_review, sop_import
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
    pass_quiz(people["fresh"], on_revision(people["fresh"], second.revision_id).id)
    progress.mark_read(people["reader"], on_revision(people["reader"], second.revision_id).id, 0)
    on_revision(people["late"], second.revision_id).due_at = utcnow() - timedelta(days=1)
    db.session.get(User, people["gone"]).active = False
    db.session.commit()
    return {"people": people, "sop_id": first.sop_id, "revision_id": second.revision_id}


def on_revision(user_id: int, revision_id: int) -> Enrolment:
    return db.session.scalars(
        select(Enrolment)
        .where(Enrolment.user_id == user_id, Enrolment.revision_id == revision_id)
        .order_by(Enrolment.id.desc())
    ).first()
