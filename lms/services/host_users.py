"""sop-lms's own account for a person a host application signed in.

Mounted in a host with its own users and login, sop-lms never sees a password at sign-in: the host's hook
(`SopLms(host_user=...)`) says who its signed-in user is (`HostIdentity`), and sop-lms keeps an account of
its own for them, found by the host's stable id for the person (`subject`, never the e-mail, which people
change and hosts may not verify), created on their first visit and kept in step with the host's e-mail,
name and app role. An account sop-lms made itself is never taken over: a host user whose e-mail already
belongs to one is refused until an administrator resolves it. The account's password hash is unusable,
so it cannot sign in on sop-lms's own login page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from lms.db import db
from lms.models import APP_ROLES, User
from lms.services import audit
from lms.services.errors import InvalidInput
from lms.services.transactions import flush_unique, transactional

UNUSABLE_HASH = "!host-managed"  # not an argon2 hash: verifying any password against it fails


@dataclass(frozen=True)
class HostIdentity:
    """What sop-lms needs to know about the host's signed-in user: the hook's answer."""

    subject: str  # the host's stable id for the person (its user id), unique and never reused
    email: str
    name: str
    app_role: str = "learner"  # learner, trainer, compliance or admin


def user_for(identity: HostIdentity) -> User:
    """The sop-lms account of the host's user, created on first visit and kept in step with the host.

    Called on every request in a host, so the usual case (an account that matches) is one read and no
    write transaction: on SQLite a write would take the database lock for every page view."""
    subject, email, name = _checked(identity)
    user = db.session.scalar(select(User).where(User.host_subject == subject))
    if user is not None and not _changes(user, email, name, identity.app_role):
        return user
    return _create_or_update(identity)


def _checked(identity: HostIdentity) -> tuple[str, str, str]:
    subject = str(identity.subject).strip()
    email = identity.email.strip().lower()
    name = identity.name.strip() or email
    if not subject:
        raise InvalidInput("The host application gave no id (subject) for the signed-in user.")
    if "@" not in email:
        raise InvalidInput(f"The host application gave '{identity.email}' as the user's e-mail address.")
    if identity.app_role not in APP_ROLES:
        raise InvalidInput(f"The host application gave an unknown app role '{identity.app_role}'.")
    return subject, email, name


def _changes(user: User, email: str, name: str, app_role: str) -> dict[str, dict[str, str]]:
    return {
        field: {"old": getattr(user, field), "new": value}
        for field, value in (("email", email), ("name", name), ("app_role", app_role))
        if getattr(user, field) != value
    }


@transactional
def _create_or_update(identity: HostIdentity) -> User:
    subject, email, name = _checked(identity)
    user = db.session.scalar(select(User).where(User.host_subject == subject))
    if user is None:
        if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
            raise InvalidInput(
                f"sop-lms already has an account for {email} that the host application did not create, so it "
                "is not handed over automatically; an administrator must resolve this first."
            )
        user = User(
            email=email,
            name=name,
            password_hash=UNUSABLE_HASH,
            app_role=identity.app_role,
            host_subject=subject,
        )
        db.session.add(user)
        flush_unique(f"An account for {email} already exists.")
        audit.record(
            "user.create", "user", user.id, {"email": email, "app_role": user.app_role, "by": "host"}
        )
        return user
    changed = _changes(user, email, name, identity.app_role)
    if changed:
        for field, change in changed.items():
            setattr(user, field, change["new"])
        flush_unique(f"Another sop-lms account already uses {email}.")
        audit.record("user.update", "user", user.id, {**changed, "by": "host"})
    return user
