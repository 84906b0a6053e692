"""A new revision becomes effective: exactly the affected people are retrained, in the form chosen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lms.db import db
from lms.models import Enrolment, SopRevision, TrainingModule
from lms.services import accounts, attempts, enrolments, quiz_review, retraining, sop_import
from lms.services.errors import InvalidInput
from quizzes.answers import answer_type
from tests.conftest import DEMO_SOPS, PASSWORD

QUBIT = "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md"
UV_STEP = "If you have a UV crosslinker available, UV pipettes and tube racks regularly for 2 minutes."
NEW_STEP = "Label every Qubit tube lid with the sample ID before adding any reagent."


def revision_two(text_edit: bool = True) -> bytes:
    text = (DEMO_SOPS / QUBIT).read_text(encoding="utf-8")
    if text_edit:
        text = text.replace(UV_STEP, UV_STEP.replace("2 minutes", "5 minutes") + f"\n3. {NEW_STEP}")
    else:  # editorial only: a typo fix in prose and different capitalisation of a step
        text = text.replace(UV_STEP, UV_STEP.replace("If you have", "if you have"))
    return text.replace(
        "| 1.0.0 | 2025-06-04 | Initial release |",
        "| 1.0.0 | 2025-06-04 | Initial release |\n| 1.1.0 | 2026-11-20 | Update |",
    ).encode()


def pass_quiz(user_id: int, enrolment_id: int) -> None:
    attempt = attempts.start_attempt(user_id, enrolment_id)
    answers = {
        q.id: attempts.as_displayed(attempt, q, answer_type(q.type).right_response(q.answer))
        for q in attempts.questions_of(attempt)
    }
    assert attempts.submit_attempt(user_id, attempt.id, answers).passed


@pytest.fixture
def organisation(app_ctx):
    """Qubit rev 1.0.0 on the lab curriculum: one person passed, one half-way, one in another role."""
    lab, office = accounts.create_job_role("Lab"), accounts.create_job_role("Office")
    passed = accounts.create_user("passed@example.org", "Passed", PASSWORD, "learner", [lab.id])
    pending = accounts.create_user("pending@example.org", "Pending", PASSWORD, "learner", [lab.id])
    outsider = accounts.create_user("office@example.org", "Outsider", PASSWORD, "learner", [office.id])
    first = sop_import.import_sop((DEMO_SOPS / QUBIT).read_bytes(), QUBIT, None)
    module = sop_import.modules_of(first.id)[0]
    quiz_review.publish(module.id, None)
    enrolments.assign_module_to_role(module.id, lab.id, 14, None)
    pass_quiz(passed.id, enrolments.enrolments_for(passed.id)[0].id)
    return {
        "passed": passed.id,
        "pending": pending.id,
        "outsider": outsider.id,
        "lab": lab.id,
        "module": module.id,
    }


def new_revision_module(text_edit: bool = True) -> TrainingModule:
    revision = sop_import.import_sop(revision_two(text_edit), QUBIT, None)
    return sop_import.modules_of(revision.id)[0]


def enrolments_of(user_id: int) -> list[Enrolment]:
    return list(
        db.session.scalars(select(Enrolment).where(Enrolment.user_id == user_id).order_by(Enrolment.id))
    )


def test_the_publisher_must_choose_a_retraining_mode(organisation) -> None:
    module = new_revision_module()
    assert retraining.suggested_mode(module) == "delta"
    with pytest.raises(InvalidInput, match="retrained"):
        quiz_review.publish(module.id, None)


def test_delta_retraining_reaches_exactly_the_affected_people_with_exactly_the_changed_steps(
    organisation,
) -> None:
    module = new_revision_module()
    quiz_review.publish(module.id, None, "delta")

    passed = enrolments_of(organisation["passed"])
    assert [e.kind for e in passed] == ["initial", "retraining"]
    assert passed[0].display_status() == "superseded"
    delta = passed[1].module
    assert delta.kind == "delta" and delta.status == "published" and delta.base_revision.label == "1.0.0"
    delta_steps = {step.text for lesson in delta.lessons for step in lesson.steps}
    new_uv = UV_STEP.replace("2 minutes", "5 minutes")
    assert delta_steps == {new_uv, NEW_STEP}
    assert all(q.step.text in delta_steps for q in delta.quiz.questions)
    assert passed[1].completion == ("quiz" if delta.quiz.questions else "acknowledgement")

    pending = enrolments_of(organisation["pending"])
    assert [e.kind for e in pending] == ["initial", "initial"]
    assert pending[1].module_id == module.id and pending[1].module.kind == "full"
    assert pending[0].display_status() == "superseded"

    assert enrolments_of(organisation["outsider"]) == []
    newcomer = accounts.create_user("new@example.org", "Newcomer", PASSWORD, "learner", [organisation["lab"]])
    assert [e.module_id for e in enrolments_of(newcomer.id)] == [module.id]


def test_full_retraining_uses_the_whole_new_module(organisation) -> None:
    module = new_revision_module()
    quiz_review.publish(module.id, None, "full")
    passed = enrolments_of(organisation["passed"])
    assert (
        passed[-1].kind == "retraining"
        and passed[-1].module_id == module.id
        and passed[-1].completion == "quiz"
    )


def test_editorial_changes_suggest_acknowledgement_only(organisation) -> None:
    module = new_revision_module(text_edit=False)
    assert retraining.suggested_mode(module) == "acknowledgement"
    quiz_review.publish(module.id, None, "acknowledgement")
    latest = enrolments_of(organisation["passed"])[-1]
    assert latest.kind == "retraining" and latest.completion == "acknowledgement"
    assert db.session.get(SopRevision, module.revision_id).status == "effective"


def test_retraining_is_audited(organisation) -> None:
    from lms.models import AuditEvent

    module = new_revision_module()
    quiz_review.publish(module.id, None, "delta")
    effective = select(AuditEvent).where(AuditEvent.action == "sop_revision.effective")
    first, second = db.session.scalars(effective.order_by(AuditEvent.id)).all()
    assert first.data == {"first_revision": True}
    event = second
    assert event.data["mode"] == "delta" and event.data["retrained"] == 1 and event.data["started_over"] == 1


def test_the_retrained_learner_sees_what_changed(organisation, app) -> None:
    from tests.conftest import login

    module = new_revision_module()
    quiz_review.publish(module.id, None, "delta")
    retraining_enrolment = enrolments_of(organisation["passed"])[-1]
    initial = enrolments_of(organisation["passed"])[0]
    db.session.commit()
    client = app.test_client()
    from tests.conftest import Person

    login(client, Person(organisation["passed"], "passed@example.org", "Passed"))
    page = client.get(f"/my/training/{retraining_enrolment.id}/changes").get_data(as_text=True)
    assert "revision 1.0.0 → 1.1.0" in page and NEW_STEP in page
    assert client.get(f"/my/training/{initial.id}/changes").status_code == 404
