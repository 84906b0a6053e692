"""Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200).

A signature is made by the signed-in user re-entering their password (two components: the session's identity
and the password). It records the printed name at signing time, the UTC time and the meaning, and is bound
to the content hash of the exact SOP revision signed. A wrong password records nothing but the failure (an
audit event and the account's failure counter); after `max_failures` consecutive failures signing is locked
for `lock_minutes`, and a locked account cannot sign even with the right password.

Policy values are parameters (the view passes the app's configuration), so this module never reads Flask.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from lms.db import db, utcnow
from lms.models import Attempt, Enrolment, Signature, SopRevision, User
from lms.services import audit
from lms.services.accounts import _hasher
from lms.services.enrolments import complete_by_acknowledgement
from lms.services.errors import InvalidInput, NotFound, ServiceError
from lms.services.signature_checks import verify_signature
from lms.services.signature_display import format_when
from lms.services.transactions import commit_failure_record, locked, transactional

DEFAULT_MAX_FAILURES = 3
DEFAULT_LOCK_MINUTES = 15


class WrongPassword(ServiceError):
    """The password re-entry did not match; the failure was recorded (and may have locked signing)."""

    status = 400


class SigningLocked(ServiceError):
    """Too many failed re-entries: signing is refused until `locked_until`, whatever password is given."""

    status = 423

    def __init__(self, message: str, locked_until: datetime) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True)
class SigningPolicy:
    max_failures: int = DEFAULT_MAX_FAILURES
    lock_minutes: int = DEFAULT_LOCK_MINUTES
    # How the re-entered password is checked: against sop-lms's own hash, or (mounted in a host that keeps
    # its people's passwords) by the host's check, which answers True/False, or None when it has none.
    check_password: Callable[[str], bool | None] | None = None


@dataclass(frozen=True)
class Signed:
    """The outcome of a signing request: the signature, and whether this request created it."""

    signature: Signature
    created: bool


# ---------------------------------------------------------------------------------------------- subjects


def signable_revision(user_id: int, revision_id: int) -> SopRevision:
    """A revision the user is enrolled on; any other (or a missing one) is indistinguishable: NotFound."""
    revision = db.session.get(SopRevision, revision_id)
    if revision is None or enrolment_id_for(user_id, revision_id) is None:
        raise NotFound("No such SOP revision among your training.")
    return revision


def signable_attempt(user_id: int, attempt_id: int) -> Attempt:
    """The user's own submitted and passed attempt; someone else's looks like a missing one."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        raise NotFound("No such quiz attempt.")
    if attempt.submitted_at is None:
        raise InvalidInput("This attempt has not been submitted yet; finish the quiz first.")
    if not attempt.passed:
        raise InvalidInput("Only a passed quiz attempt can be signed as completed training.")
    return attempt


def revision_meaning(revision: SopRevision) -> str:
    return f"Read and understood {revision.sop.code} rev {revision.label}"


def attempt_meaning(attempt: Attempt) -> str:
    revision = attempt.enrolment.revision
    return (
        f"Completed training on {revision.sop.code} rev {revision.label}, score {attempt.score_percent:.0f}%"
    )


def _revision_subject(revision_id: int) -> str:
    return f"revision:{revision_id}"


def _attempt_subject(attempt_id: int) -> str:
    return f"attempt:{attempt_id}"


# ---------------------------------------------------------------------------------------------- look-ups


def enrolment_id_for(user_id: int, revision_id: int) -> int | None:
    """The user's latest enrolment on a revision, for links back to the training page."""
    return db.session.scalar(
        select(Enrolment.id)
        .where(Enrolment.user_id == user_id, Enrolment.revision_id == revision_id)
        .order_by(Enrolment.id.desc())
        .limit(1)
    )


def signing_locked_until(user_id: int, now: datetime | None = None) -> datetime | None:
    """When the user's signing lock ends, or None if they can sign now (for showing it before they try)."""
    user = db.session.get(User, user_id)
    return locked_until(user, now or utcnow()) if user is not None else None


def _find(user_id: int, subject: str) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(Signature.user_id == user_id, Signature.subject == subject)
    )


def revision_signature(user_id: int, revision_id: int) -> Signature | None:
    return _find(user_id, _revision_subject(revision_id))


def attempt_signature(user_id: int, attempt_id: int) -> Signature | None:
    return _find(user_id, _attempt_subject(attempt_id))


def is_revision_signed(user_id: int, revision_id: int) -> bool:
    """Has the user signed "read and understood" for this revision (and is the signature still valid)?"""
    signature = revision_signature(user_id, revision_id)
    return signature is not None and verify_signature(signature)


def is_attempt_signed(user_id: int, attempt_id: int) -> bool:
    """Has the user signed completion of this quiz attempt (and is the signature still valid)?"""
    signature = attempt_signature(user_id, attempt_id)
    return signature is not None and verify_signature(signature)


def is_signed(user_id: int, *, revision_id: int | None = None, attempt_id: int | None = None) -> bool:
    """`is_signed(u, revision_id=r)` or `is_signed(u, attempt_id=a)`."""
    if (revision_id is None) == (attempt_id is None):
        raise ValueError("give exactly one of revision_id and attempt_id")
    if revision_id is not None:
        return is_revision_signed(user_id, revision_id)
    return is_attempt_signed(user_id, attempt_id)  # type: ignore[arg-type]


def signature_of(user_id: int, signature_id: int) -> Signature:
    """The user's own signature; another person's looks like a missing one."""
    signature = db.session.get(Signature, signature_id)
    if signature is None or signature.user_id != user_id:
        raise NotFound("No such signature.")
    return signature


def signatures_of(user_id: int) -> list[Signature]:
    return list(
        db.session.scalars(
            select(Signature)
            .where(Signature.user_id == user_id)
            .order_by(Signature.signed_at.desc(), Signature.id.desc())
        )
    )


# ---------------------------------------------------------------------------------------------- signing


@transactional
def sign_revision(
    user_id: int,
    revision_id: int,
    password: str,
    *,
    confirmed: bool,
    policy: SigningPolicy | None = None,
    now: datetime | None = None,
) -> Signed:
    """Sign "read and understood" for a revision the user is enrolled on; a second request returns the first
    signature and creates nothing."""
    user = _signer(user_id)
    revision = signable_revision(user_id, revision_id)
    return _sign(
        user,
        subject=_revision_subject(revision.id),
        kind="revision",
        revision=revision,
        attempt=None,
        meaning=revision_meaning(revision),
        password=password,
        confirmed=confirmed,
        policy=policy or SigningPolicy(),
        now=now or utcnow(),
    )


@transactional
def sign_attempt(
    user_id: int,
    attempt_id: int,
    password: str,
    *,
    confirmed: bool,
    policy: SigningPolicy | None = None,
    now: datetime | None = None,
) -> Signed:
    """Sign completion of the user's own passed quiz attempt, bound to the revision the quiz trains."""
    user = _signer(user_id)
    attempt = signable_attempt(user_id, attempt_id)
    return _sign(
        user,
        subject=_attempt_subject(attempt.id),
        kind="attempt",
        revision=attempt.enrolment.revision,
        attempt=attempt,
        meaning=attempt_meaning(attempt),
        password=password,
        confirmed=confirmed,
        policy=policy or SigningPolicy(),
        now=now or utcnow(),
    )


def _signer(user_id: int) -> User:
    # locked: concurrent signing requests (and their failure counts) of one account run one after the other
    user = locked(User, user_id)
    if user is None or not user.active:
        raise NotFound("No such account.")
    return user


def locked_until(user: User, now: datetime) -> datetime | None:
    """When the account's signing lock ends, or None if it can sign now."""
    until = user.signing_locked_until
    return until if until is not None and until > now else None


def _sign(
    user: User,
    *,
    subject: str,
    kind: str,
    revision: SopRevision,
    attempt: Attempt | None,
    meaning: str,
    password: str,
    confirmed: bool,
    policy: SigningPolicy,
    now: datetime,
) -> Signed:
    existing = _find(user.id, subject)
    if existing is not None:
        if kind == "revision":  # an acknowledgement-only retraining opened after this signature
            complete_by_acknowledgement(user.id, revision.id, existing.signed_at, user.id)
        return Signed(existing, created=False)
    until = locked_until(user, now)
    if until is not None:
        raise SigningLocked(_locked_message(until, user.timezone), until)
    if not confirmed:
        raise InvalidInput("Confirm that this is your legally binding electronic signature.")
    if not _password_matches(user, password, policy):
        raise _record_failure(user, subject, policy, now)  # keeps the failure, and only the failure
    user.signing_failures = 0
    user.signing_locked_until = None
    signature = Signature(
        user_id=user.id,
        revision_id=revision.id,
        kind=kind,
        attempt_id=attempt.id if attempt else None,
        subject=subject,
        printed_name=user.name,
        meaning=meaning,
        content_hash=revision.content_hash,
        signed_at=now,
    )
    db.session.add(signature)
    db.session.flush()
    audit.record(
        "signature.create",
        "signature",
        signature.id,
        {
            "kind": kind,
            "subject": subject,
            "revision_id": revision.id,
            "attempt_id": signature.attempt_id,
            "printed_name": signature.printed_name,
            "meaning": meaning,
            "content_hash": signature.content_hash,
            "signed_at": now.isoformat(),
        },
        user.id,
    )
    if kind == "revision":  # a signed "read and understood" is what completes acknowledgement-only training
        complete_by_acknowledgement(user.id, revision.id, now, user.id)
    return Signed(signature, created=True)


def _password_matches(user: User, password: str, policy: SigningPolicy) -> bool:
    if policy.check_password is not None:
        verdict = policy.check_password(password)
        if verdict is None:
            raise InvalidInput(
                "Signing needs your password checked by the application you signed in to, and it offers no "
                "check: ask your administrator to connect it (SopLms check_password). Nothing was signed."
            )
        return verdict
    try:
        return _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _record_failure(user: User, subject: str, policy: SigningPolicy, now: datetime) -> ServiceError:
    """Count the failure (and lock after too many) and commit only that; returns the error to raise."""
    failures = (user.signing_failures or 0) + 1
    lock = failures >= policy.max_failures
    until = now + timedelta(minutes=policy.lock_minutes) if lock else None
    user.signing_failures = 0 if lock else failures  # after the lock, a fresh count
    user.signing_locked_until = until
    audit.record(
        "signature.failure",
        "user",
        user.id,
        {
            "subject": subject,
            "consecutive_failures": failures,
            "locked_until": until.isoformat() if until else None,
        },
        user.id,
        "wrong password re-entered for an electronic signature",
    )
    if until is not None:
        audit.record(
            "signature.lock",
            "user",
            user.id,
            {"locked_until": until.isoformat(), "failures": failures},
            user.id,
        )
    commit_failure_record()  # the count and its audit event stay although the signing fails
    if until is not None:
        return SigningLocked(
            f"Wrong password; nothing was signed. After {failures} failed attempts in a row, signing is "
            f"locked for this account until {format_when(until, user.timezone)}.",
            until,
        )
    left = policy.max_failures - failures
    return WrongPassword(
        f"Wrong password; nothing was signed. {left} more failed attempt{'s' if left != 1 else ''} "
        "will lock signing for this account."
    )


def _locked_message(until: datetime, zone: str | None) -> str:
    return (
        f"Signing is locked for this account until {format_when(until, zone)} after repeated wrong "
        "passwords. Nothing was signed."
    )
