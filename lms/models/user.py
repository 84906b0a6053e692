"""People and the job roles that decide what they must be trained on."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import UTCDateTime, db, utcnow

APP_ROLES = ("admin", "trainer", "compliance", "learner")

user_job_roles = Table(
    "lms_user_job_role",
    db.metadata,
    Column("user_id", ForeignKey("lms_user.id", ondelete="CASCADE"), primary_key=True),
    Column("job_role_id", ForeignKey("lms_job_role.id", ondelete="CASCADE"), primary_key=True),
    Column("joined_at", UTCDateTime(), nullable=False, default=utcnow),
)


class User(UserMixin, db.Model):
    __tablename__ = "lms_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)  # reports list people in name order
    password_hash: Mapped[str] = mapped_column(String(255))
    app_role: Mapped[str] = mapped_column(String(20), default="learner")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")  # IANA name, for showing local times
    # who the person is to the host application that signs them in (lms.services.host_users); None for
    # sop-lms's own accounts
    host_subject: Mapped[str | None] = mapped_column(String(200), unique=True, index=True)
    # electronic signatures: consecutive wrong password re-entries, and the lock they lead to
    signing_failures: Mapped[int] = mapped_column(Integer, default=0)
    signing_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

    job_roles: Mapped[list[JobRole]] = relationship(
        secondary=user_job_roles, back_populates="members", order_by="JobRole.name"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login: deactivated accounts cannot log in
        return self.active

    def has_role(self, *roles: str) -> bool:
        """Admins may do everything; everyone else only what their app role allows."""
        return self.app_role == "admin" or self.app_role in roles

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class JobRole(db.Model):
    __tablename__ = "lms_job_role"
    __table_args__ = (UniqueConstraint("name", name="uq_lms_job_role_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    department: Mapped[str | None] = mapped_column(String(120))
    site: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")

    members: Mapped[list[User]] = relationship(
        secondary=user_job_roles, back_populates="job_roles", order_by="User.name"
    )
