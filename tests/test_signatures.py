"""Electronic signatures (Part 11 §11.50, §11.70, §11.200), through the service layer on every backend:
a wrong password records nothing but the failure, repeated failures lock signing for a while, a signature is
bound to the content hash of the revision it signs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from lms.db import db
from lms.models import AuditEvent, Enrolment, Signature, SopRevision, User
from lms.services import (
    accounts,
    attempts,
    enrolments,
    quiz_review,
    signature_checks,
    signature_display,
    signatures,
    sop_import,
)
from lms.services.errors import InvalidInput, NotFound
from lms.services.signatures import SigningLocked, SigningPolicy, WrongPassword
from quizzes.answers import answer_type
from tests.conftest import DEMO_SOPS, PASSWORD
from tests.test_concurrency import race

LOTO = "safety-lockout-tagout-osha-typical-minimal-procedure.md"
T0 = datetime(2026, 11, 25, 14, 3, tzinfo=UTC)


@dataclass(frozen=True)
class Setup:
    learner_id: int
    other_id: int
    outsider_id: int
    revision_id: int
    enrolment_id: int
    other_enrolment_id: int


def build(app) -> Setup:
    """A published LOTO module assigned to a role with two learners, and one learner outside the role."""
    with app.app_context():
        role = accounts.create_job_role("Operators")
        trainer = accounts.create_user("t@example.org", "Trainer", PASSWORD, "trainer")
        learner = accounts.create_user("l@example.org", "Lena Learner", PASSWORD, "learner", [role.id])
        other = accounts.create_user("o@example.org", "Otto Other", PASSWORD, "learner", [role.id])
        outsider = accounts.create_user("x@example.org", "Xena Outsider", PASSWORD, "learner")
        revision = sop_import.import_sop((DEMO_SOPS / LOTO).read_bytes(), LOTO, trainer.id)
        module = sop_import.modules_of(revision.id)[0]
        quiz_review.publish(module.id, trainer.id)
        enrolments.assign_module_to_role(module.id, role.id, 7, trainer.id)

        def enrolment_id(user_id: int) -> int:
            return db.session.scalar(select(Enrolment.id).where(Enrolment.user_id == user_id))

        return Setup(
            learner.id, other.id, outsider.id, revision.id, enrolment_id(learner.id), enrolment_id(other.id)
        )


@pytest.fixture
def setup(app) -> Setup:
    return build(app)


def take_quiz(user_id: int, enrolment_id: int, passing: bool = True) -> int:
    attempt = attempts.start_attempt(user_id, enrolment_id)
    answers = {}
    for q in attempts.questions_of(attempt):
        answer = (
            answer_type(q.type).right_response(q.answer)
            if passing
            else answer_type(q.type).wrong_response(q.options, q.answer)
        )
        answers[q.id] = attempts.as_displayed(attempt, q, answer)
    return attempts.submit_attempt(user_id, attempt.id, answers).id


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def sign(setup: Setup, password: str = PASSWORD, now: datetime = T0, **kwargs):
    kwargs.setdefault("confirmed", True)
    return signatures.sign_revision(setup.learner_id, setup.revision_id, password, now=now, **kwargs)


def test_signing_records_name_time_meaning_and_content_hash(app_ctx, setup) -> None:
    signed = sign(setup)
    assert signed.created
    signature = db.session.get(Signature, signed.signature.id)
    revision = db.session.get(SopRevision, setup.revision_id)
    assert signature.printed_name == "Lena Learner"
    assert signature.signed_at == T0
    assert signature.meaning == f"Read and understood {revision.sop.code} rev {revision.label}"
    assert signature.content_hash == revision.content_hash
    assert (signature.kind, signature.attempt_id) == ("revision", None)
    assert signature_checks.verify_signature(signature)
    assert signatures.is_revision_signed(setup.learner_id, setup.revision_id)
    assert signatures.is_signed(setup.learner_id, revision_id=setup.revision_id)
    assert not signatures.is_revision_signed(setup.other_id, setup.revision_id)
    [event] = events("signature.create")
    assert event.actor_id == setup.learner_id
    assert event.data["content_hash"] == revision.content_hash


def test_printed_name_is_the_name_at_signing_time(app_ctx, setup) -> None:
    signed = sign(setup)
    db.session.get(User, setup.learner_id).name = "Lena Married-Name"
    db.session.commit()
    shown = signature_display.manifestation(db.session.get(Signature, signed.signature.id))
    assert shown.printed_name == "Lena Learner"


def test_signing_twice_returns_the_first_signature_and_creates_nothing(app_ctx, setup) -> None:
    first = sign(setup)
    before = len(db.session.scalars(select(AuditEvent)).all())
    again = sign(setup, password="not even the right one", now=T0 + timedelta(hours=1))
    assert not again.created
    assert again.signature.id == first.signature.id
    assert count(Signature) == 1
    assert len(db.session.scalars(select(AuditEvent)).all()) == before


def test_wrong_password_records_nothing_but_the_failure(app_ctx, setup) -> None:
    with pytest.raises(WrongPassword, match="nothing was signed"):
        sign(setup, password="wrong password!")
    assert count(Signature) == 0
    assert not events("signature.create")
    [failure] = events("signature.failure")
    assert (failure.actor_id, failure.entity_id) == (setup.learner_id, str(setup.learner_id))
    assert failure.data["consecutive_failures"] == 1
    assert db.session.get(User, setup.learner_id).signing_failures == 1


def test_unconfirmed_signature_is_refused_without_counting_a_failure(app_ctx, setup) -> None:
    with pytest.raises(InvalidInput, match="legally binding"):
        sign(setup, confirmed=False)
    assert count(Signature) == 0
    assert not events("signature.failure")
    assert db.session.get(User, setup.learner_id).signing_failures == 0


def test_three_failures_lock_signing_until_the_time_passes(app_ctx, setup) -> None:
    for minute in range(2):
        with pytest.raises(WrongPassword):
            sign(setup, password="wrong password!", now=T0 + timedelta(minutes=minute))
    with pytest.raises(SigningLocked) as locked:
        sign(setup, password="wrong password!", now=T0 + timedelta(minutes=2))
    until = T0 + timedelta(minutes=2 + 15)
    assert locked.value.locked_until == until
    assert "2026-11-25 14:20 UTC" in locked.value.message
    assert len(events("signature.failure")) == 3
    assert len(events("signature.lock")) == 1

    audit_rows = count(AuditEvent)
    with pytest.raises(SigningLocked, match="14:20 UTC"):  # the right password does not help while locked
        sign(setup, now=until - timedelta(seconds=1))
    assert count(Signature) == 0
    assert count(AuditEvent) == audit_rows  # and nothing at all is recorded

    signed = sign(setup, now=until + timedelta(seconds=1))
    assert signed.created
    user = db.session.get(User, setup.learner_id)
    assert (user.signing_failures, user.signing_locked_until) == (0, None)


def test_lock_policy_comes_from_the_caller(app_ctx, setup) -> None:
    policy = SigningPolicy(max_failures=1, lock_minutes=60)
    with pytest.raises(SigningLocked) as locked:
        sign(setup, password="wrong password!", policy=policy)
    assert locked.value.locked_until == T0 + timedelta(minutes=60)
    with pytest.raises(SigningLocked):
        sign(setup, now=T0 + timedelta(minutes=59), policy=policy)
    assert sign(setup, now=T0 + timedelta(minutes=61), policy=policy).created


def test_success_resets_the_failure_count(app_ctx, setup) -> None:
    for _ in range(2):
        with pytest.raises(WrongPassword):
            sign(setup, password="wrong password!")
    assert sign(setup).created
    assert db.session.get(User, setup.learner_id).signing_failures == 0
    attempt_id = take_quiz(setup.learner_id, setup.enrolment_id)
    for _ in range(2):  # two more failures are again only two: no lock
        with pytest.raises(WrongPassword):
            signatures.sign_attempt(setup.learner_id, attempt_id, "wrong password!", confirmed=True, now=T0)
    assert signatures.sign_attempt(setup.learner_id, attempt_id, PASSWORD, confirmed=True, now=T0).created


def test_the_lock_is_per_account(app_ctx, setup) -> None:
    for _ in range(3):
        with pytest.raises((WrongPassword, SigningLocked)):
            sign(setup, password="wrong password!")
    other = signatures.sign_revision(setup.other_id, setup.revision_id, PASSWORD, confirmed=True, now=T0)
    assert other.created


def test_only_an_enrolled_user_can_sign_a_revision(app_ctx, setup) -> None:
    with pytest.raises(NotFound):
        signatures.sign_revision(setup.outsider_id, setup.revision_id, PASSWORD, confirmed=True)
    with pytest.raises(NotFound):
        signatures.sign_revision(setup.learner_id, 987654, PASSWORD, confirmed=True)
    assert count(Signature) == 0


def test_signing_a_passed_attempt(app_ctx, setup) -> None:
    attempt_id = take_quiz(setup.learner_id, setup.enrolment_id)
    assert not signatures.is_attempt_signed(setup.learner_id, attempt_id)
    signed = signatures.sign_attempt(setup.learner_id, attempt_id, PASSWORD, confirmed=True, now=T0)
    revision = db.session.get(SopRevision, setup.revision_id)
    signature = db.session.get(Signature, signed.signature.id)
    assert signature.meaning == f"Completed training on {revision.sop.code} rev {revision.label}, score 100%"
    assert (signature.kind, signature.attempt_id) == ("attempt", attempt_id)
    assert signature.revision_id == revision.id
    assert signature.content_hash == revision.content_hash
    assert signatures.is_signed(setup.learner_id, attempt_id=attempt_id)
    assert signature_checks.verify_signature(signature)
    # the attempt signature is not a "read and understood" of the revision
    assert not signatures.is_revision_signed(setup.learner_id, setup.revision_id)
    again = signatures.sign_attempt(setup.learner_id, attempt_id, PASSWORD, confirmed=True)
    assert not again.created and count(Signature) == 1


def test_failed_unsubmitted_and_foreign_attempts_cannot_be_signed(app_ctx, setup) -> None:
    failed_id = take_quiz(setup.learner_id, setup.enrolment_id, passing=False)
    with pytest.raises(InvalidInput, match="passed"):
        signatures.sign_attempt(setup.learner_id, failed_id, PASSWORD, confirmed=True)
    open_id = attempts.start_attempt(setup.learner_id, setup.enrolment_id).id
    with pytest.raises(InvalidInput, match="submitted"):
        signatures.sign_attempt(setup.learner_id, open_id, PASSWORD, confirmed=True)
    others_id = take_quiz(setup.other_id, setup.other_enrolment_id)
    with pytest.raises(NotFound):
        signatures.sign_attempt(setup.learner_id, others_id, PASSWORD, confirmed=True)
    assert count(Signature) == 0
    assert not events("signature.failure")


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Europe/Berlin", "2026-11-25 14:03 UTC (15:03 Europe/Berlin)"),
        ("UTC", "2026-11-25 14:03 UTC"),
        ("Pacific/Auckland", "2026-11-25 14:03 UTC (2026-11-26 03:03 Pacific/Auckland)"),
        ("Not/AZone", "2026-11-25 14:03 UTC"),
        (None, "2026-11-25 14:03 UTC"),
    ],
)
def test_signing_time_is_shown_in_utc_and_the_users_zone(zone, expected) -> None:
    assert signature_display.format_when(T0, zone) == expected


def test_manifestation_uses_the_signers_zone(app_ctx, setup) -> None:
    db.session.get(User, setup.learner_id).timezone = "Europe/Berlin"
    db.session.commit()
    shown = signature_display.manifestation(sign(setup).signature)
    assert shown.when == "2026-11-25 14:03 UTC (15:03 Europe/Berlin)"
    assert shown.valid and shown.short_hash == shown.content_hash[:12]


def test_new_users_default_to_utc(app_ctx, setup) -> None:
    user = db.session.get(User, setup.learner_id)
    assert (user.timezone, user.signing_failures, user.signing_locked_until) == ("UTC", 0, None)


def test_a_tampered_content_hash_invalidates_the_signature(committed_app) -> None:
    setup = build(committed_app)
    with committed_app.app_context():
        signed = sign(setup)
        attempt_id = take_quiz(setup.learner_id, setup.enrolment_id)
        on_attempt = signatures.sign_attempt(setup.learner_id, attempt_id, PASSWORD, confirmed=True)
        assert signature_checks.verify_signature(signed.signature)
        assert signature_checks.verify_signature(on_attempt.signature)
        signature_ids = (signed.signature.id, on_attempt.signature.id)
    with committed_app.app_context():  # behind the application's back, straight in the database
        db.session.execute(
            text("UPDATE lms_sop_revision SET content_hash = :forged WHERE id = :id"),
            {"forged": "f" * 64, "id": setup.revision_id},
        )
        db.session.commit()
    with committed_app.app_context():
        for signature_id in signature_ids:
            signature = db.session.get(Signature, signature_id)
            assert not signature_checks.verify_signature(signature)
            assert "content hash has changed" in signature_checks.signature_problem(signature)
            assert not signature_display.manifestation(signature).valid
        assert not signatures.is_revision_signed(setup.learner_id, setup.revision_id)
        assert not signatures.is_attempt_signed(setup.learner_id, attempt_id)


def test_a_signature_copied_onto_other_content_does_not_verify(committed_app) -> None:
    """Both hashes forged to match: the revision's stored content no longer hashes to them."""
    setup = build(committed_app)
    with committed_app.app_context():
        signature_id = sign(setup).signature.id
    with committed_app.app_context():
        db.session.execute(
            text("UPDATE lms_sop_revision SET content_hash = :forged WHERE id = :id"),
            {"forged": "e" * 64, "id": setup.revision_id},
        )
        db.session.execute(
            text("UPDATE lms_acknowledgement SET content_hash = :forged WHERE id = :id"),
            {"forged": "e" * 64, "id": signature_id},
        )
        db.session.commit()
    with committed_app.app_context():
        problem = signature_checks.signature_problem(db.session.get(Signature, signature_id))
        assert problem is not None and "no longer matches" in problem


def test_simultaneous_signing_records_one_signature(committed_app) -> None:
    setup = build(committed_app)

    def sign_once() -> int:
        signed = signatures.sign_revision(setup.learner_id, setup.revision_id, PASSWORD, confirmed=True)
        return signed.signature.id

    outcomes = race(committed_app, sign_once)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert len(set(outcomes)) == 1
    with committed_app.app_context():
        assert count(Signature) == 1
        assert len(events("signature.create")) == 1


def test_simultaneous_wrong_passwords_count_every_failure(committed_app) -> None:
    setup = build(committed_app)

    def sign_wrongly() -> object:
        return signatures.sign_revision(setup.learner_id, setup.revision_id, "wrong!", confirmed=True)

    outcomes = race(committed_app, sign_wrongly, times=4)
    assert all(isinstance(o, WrongPassword | SigningLocked) for o in outcomes), outcomes
    with committed_app.app_context():
        assert len(events("signature.failure")) == 3  # the fourth found the account locked
        assert db.session.get(User, setup.learner_id).signing_locked_until is not None
        assert count(Signature) == 0
