"""Accounts: creating users, checking passwords (argon2), and job-role membership."""

from __future__ import annotations

import re
from zoneinfo import available_timezones

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lms.db import db
from lms.models import APP_ROLES, JobRole, User
from lms.services import audit, enrolments, tallies
from lms.services.errors import InvalidInput, NotFound
from lms.services.transactions import flush_unique, locked, transactional

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@transactional
def create_user(
    email: str,
    name: str,
    password: str,
    app_role: str = "learner",
    job_role_ids: list[int] | None = None,
    actor_id: int | None = None,
) -> User:
    """Create an account and enrol it in the training its job roles require."""
    email = email.strip().lower()
    name = name.strip()
    if not _EMAIL.match(email):
        raise InvalidInput(f"'{email}' is not a valid email address.")
    if not name:
        raise InvalidInput("A name is required.")
    if app_role not in APP_ROLES:
        raise InvalidInput(f"Unknown app role '{app_role}'; choose one of {', '.join(APP_ROLES)}.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)):
        raise InvalidInput(f"An account for {email} already exists.")
    user = User(email=email, name=name, password_hash=hash_password(password), app_role=app_role)
    db.session.add(user)
    flush_unique(f"An account for {email} already exists.")
    audit.record("user.create", "user", user.id, {"email": email, "app_role": app_role}, actor_id)
    for job_role_id in dict.fromkeys(job_role_ids or []):  # the same role twice in a request joins once
        _join(user, _job_role(job_role_id), actor_id)
    return user


@transactional
def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None; rehashes when argon2 parameters changed."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        _hasher.hash(password)  # spend the same time whether or not the account exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


@transactional
def create_job_role(
    name: str, department: str | None = None, actor_id: int | None = None, site: str | None = None
) -> JobRole:
    name = name.strip()
    if not name:
        raise InvalidInput("A job role needs a name.")
    if db.session.scalar(select(JobRole.id).where(JobRole.name == name)):
        raise InvalidInput(f"A job role named '{name}' already exists.")
    role = JobRole(
        name=name, department=(department or "").strip() or None, site=(site or "").strip() or None
    )
    db.session.add(role)
    flush_unique(f"A job role named '{name}' already exists.")
    audit.record(
        "job_role.create",
        "job_role",
        role.id,
        {"name": name, "department": role.department, "site": role.site},
        actor_id,
    )
    return role


@transactional
def add_to_job_role(user_id: int, job_role_id: int, actor_id: int | None = None) -> int:
    """Put a user in a job role and enrol them at once in the role's training; returns new enrolments."""
    user = locked(User, user_id)  # two clicks on "Add to role" run one after the other
    if user is None:
        raise NotFound("No such user.")
    role = _job_role(job_role_id)
    if role in user.job_roles:
        raise InvalidInput(f"{user.name} is already in {role.name}.")
    created = _join(user, role, actor_id)
    return created


def _job_role(job_role_id: int) -> JobRole:
    role = locked(JobRole, job_role_id)  # serialises joins with assignments to the same role
    if role is None:
        raise NotFound("No such job role.")
    return role


def _join(user: User, role: JobRole, actor_id: int | None) -> int:
    user.job_roles.append(role)
    db.session.flush()
    tallies.move_member(user.id, role.id, +1)
    audit.record("job_role.join", "user", user.id, {"job_role": role.name}, actor_id)
    return enrolments.enrol_new_member(user, role, actor_id)


def job_roles() -> list[JobRole]:
    return list(db.session.scalars(select(JobRole).order_by(JobRole.name)))


def user(user_id: int) -> User:
    found = db.session.get(User, user_id)
    if found is None:
        raise NotFound("No such user.")
    return found


def list_users(search: str = "", page: int = 1, per_page: int = 25):
    """One page of users, optionally filtered by name or email (a Flask-SQLAlchemy Pagination)."""
    query = select(User).options(selectinload(User.job_roles)).order_by(User.name, User.id)
    if search.strip():
        term = f"%{search.strip()}%"
        query = query.where(User.name.ilike(term) | User.email.ilike(term))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


@transactional
def remove_from_job_role(user_id: int, job_role_id: int, actor_id: int | None = None) -> None:
    """Take a user out of a role: no new requirements from it; their training history stays as it is."""
    user = locked(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    role = _job_role(job_role_id)
    if role not in user.job_roles:
        raise InvalidInput(f"{user.name} is not in {role.name}.")
    user.job_roles.remove(role)
    tallies.move_member(user.id, role.id, -1)
    audit.record("job_role.leave", "user", user.id, {"job_role": role.name}, actor_id)


def active_users() -> list[User]:
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)))


@transactional
def set_timezone(user_id: int, zone: str) -> User:
    """The zone a user's own times (e.g. their signatures) are shown in, besides UTC."""
    if zone not in available_timezones():
        raise InvalidInput(f"'{zone}' is not a time zone name such as Europe/Berlin.")
    user = locked(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    audit.record("user.timezone", "user", user.id, {"old": user.timezone, "new": zone}, user_id)
    user.timezone = zone
    return user
