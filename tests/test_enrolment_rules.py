"""Who gets enrolled in what, when roles overlap and when an SOP gets a new revision."""

from __future__ import annotations

from sqlalchemy import func, select

from lms.analytics import completion, completion_report
from lms.db import db, utcnow
from lms.models import Enrolment, TrainingModule, user_job_roles
from lms.services import accounts, enrolments, quiz_review, sop_import
from lms.services.errors import InvalidInput
from tests.conftest import DEMO_SOPS, PASSWORD

RPA = "lab-rpa-assay-setup-techoceans.md"


def published_module(file: str = RPA, text: str | None = None) -> TrainingModule:
    data = text.encode("utf-8") if text is not None else (DEMO_SOPS / file).read_bytes()
    revision = sop_import.import_sop(data, file, actor_id=None)
    module = sop_import.modules_of(revision.id)[0]
    quiz_review.publish(module.id, None)
    return module


def test_the_same_role_twice_in_one_request_joins_once(app_ctx) -> None:
    role = accounts.create_job_role("Lab")
    user = accounts.create_user("twice@example.org", "Twice", PASSWORD, "learner", [role.id, role.id])
    count = select(func.count()).select_from(user_job_roles).where(user_job_roles.c.user_id == user.id)
    assert db.session.scalar(count) == 1


def test_a_person_in_two_roles_counts_in_both_and_gets_the_earlier_deadline(app_ctx) -> None:
    module = published_module()
    slow, fast = accounts.create_job_role("Slow"), accounts.create_job_role("Fast")
    person = accounts.create_user("both@example.org", "Both Roles", PASSWORD, "learner", [slow.id])
    enrolments.assign_module_to_role(module.id, slow.id, 30, None)
    enrolments.assign_module_to_role(module.id, fast.id, 5, None)
    accounts.add_to_job_role(person.id, fast.id)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == person.id))
    assert (enrolment.due_at - utcnow()).days <= 5
    by_role = {r.job_role: r.total for r in completion.by_role()}
    assert by_role == {"Fast": 1, "Slow": 1}
    roles = sorted(r["role"] for r in completion_report.report_rows() if r["email"] == "both@example.org")
    assert roles == ["Fast", "Slow"]


def test_publishing_a_new_revision_retires_the_old_module_and_newcomers_get_the_new_one(app_ctx) -> None:
    old = published_module()
    role = accounts.create_job_role("Lab")
    enrolments.assign_module_to_role(old.id, role.id, 14, None)
    changed = (DEMO_SOPS / RPA).read_text(encoding="utf-8").replace("0.1", "0.2")
    new_revision = sop_import.import_sop(changed.encode("utf-8"), RPA, actor_id=None)
    assert new_revision.label == "0.2" and new_revision.status == "draft"
    db.session.refresh(old)
    assert old.status == "published" and old.revision.status == "effective", (
        "nothing changes until publishing"
    )
    new_module = sop_import.modules_of(new_revision.id)[0]
    quiz_review.publish(new_module.id, None, "full")
    db.session.refresh(old)
    assert old.status == "retired" and old.revision.status == "superseded"
    assert new_revision.status == "effective"
    newcomer = accounts.create_user("new@example.org", "New Starter", PASSWORD, "learner", [role.id])
    mine = db.session.scalars(select(Enrolment).where(Enrolment.user_id == newcomer.id)).all()
    assert [e.module_id for e in mine] == [new_module.id]
    try:
        enrolments.assign_module_to_role(old.id, accounts.create_job_role("Other").id, 14, None)
    except InvalidInput as error:
        assert "superseded" in error.message or "Publish" in error.message
    else:
        raise AssertionError("a retired module was assigned")


def test_a_very_long_actor_name_is_stored(app_ctx, monkeypatch) -> None:
    """Whatever actor the parser reports, storing it cannot fail (PostgreSQL refuses over-long strings)."""
    real_parse = sop_import.parse_sop

    def parse_with_long_actor(data: bytes, filename: str, *args):
        doc = real_parse(data, filename, *args)
        doc.steps[0].actor = "Senior " + "radiation-safety " * 20 + "technician"
        return doc

    monkeypatch.setattr(sop_import, "parse_sop", parse_with_long_actor)
    revision = sop_import.import_sop((DEMO_SOPS / RPA).read_bytes(), RPA, actor_id=None)
    assert len(revision.steps[0].actor) == 200
    assert revision.steps[0].actor.startswith("Senior radiation-safety")
