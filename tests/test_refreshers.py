"""Recurring training: an annual refresher opens before the year is out, once, for those still in the role."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import Enrolment
from lms.services import accounts, attempts, enrolments, quiz_review, sop_import
from lms.services.refreshers import schedule_refreshers
from quizzes.answers import answer_type
from tests.conftest import DEMO_SOPS, PASSWORD

RPA = "lab-rpa-assay-setup-techoceans.md"


def test_annual_refresher(app_ctx) -> None:
    role = accounts.create_job_role("Lab")
    stays = accounts.create_user("stays@example.org", "Stays", PASSWORD, "learner", [role.id])
    leaves = accounts.create_user("leaves@example.org", "Leaves", PASSWORD, "learner", [role.id])
    module = sop_import.modules_of(sop_import.import_sop((DEMO_SOPS / RPA).read_bytes(), RPA, None).id)[0]
    quiz_review.publish(module.id, None)
    enrolments.assign_module_to_role(module.id, role.id, 14, None, recurrence_days=365)
    for person in (stays, leaves):
        enrolment = enrolments.enrolments_for(person.id)[0]
        attempt = attempts.start_attempt(person.id, enrolment.id)
        answers = {
            q.id: attempts.as_displayed(attempt, q, answer_type(q.type).right_response(q.answer))
            for q in attempts.questions_of(attempt)
        }
        attempts.submit_attempt(person.id, attempt.id, answers)
    accounts.remove_from_job_role(leaves.id, role.id)

    assert schedule_refreshers(utcnow() + timedelta(days=200)) == 0, "not yet: a year minus the lead time"
    later = utcnow() + timedelta(days=340)
    assert schedule_refreshers(later) == 1
    assert schedule_refreshers(later) == 0, "idempotent"
    refresher = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == stays.id, Enrolment.cycle == 2)
    )
    assert refresher.kind == "refresher" and refresher.status == "assigned"
    first = db.session.scalar(select(Enrolment).where(Enrolment.user_id == stays.id, Enrolment.cycle == 1))
    assert refresher.due_at == first.completed_at + timedelta(days=365)
    assert not db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == leaves.id, Enrolment.cycle == 2)
    )


def test_refresher_interval_is_validated(app_ctx) -> None:
    role = accounts.create_job_role("Lab")
    module = sop_import.modules_of(sop_import.import_sop((DEMO_SOPS / RPA).read_bytes(), RPA, None).id)[0]
    quiz_review.publish(module.id, None)
    try:
        enrolments.assign_module_to_role(module.id, role.id, 14, None, recurrence_days=3)
    except enrolments.InvalidInput as error:
        assert "between 30" in error.message
    else:
        raise AssertionError("a 3-day refresher was accepted")
