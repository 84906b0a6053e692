"""Electronic signatures and the append-only, hash-chained audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import UTCDateTime, db, utcnow
from lms.models.enrolment import Attempt
from lms.models.sop import SopRevision
from lms.models.user import User

SIGNATURE_KINDS = ("revision", "attempt")


class Signature(db.Model):
    """An electronic signature (Part 11): "read and understood" of a revision, or completion of its quiz.

    It carries its own manifestation (printed name at signing time, UTC time, meaning) and is bound to the
    content hash of the exact revision signed. `subject` ("revision:<id>" or "attempt:<id>") makes a second
    signature of the same thing by the same person impossible.
    """

    __tablename__ = "lms_acknowledgement"  # its name since the first signatures were stored
    __table_args__ = (UniqueConstraint("user_id", "subject", name="uq_lms_acknowledgement_user_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lms_user.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("lms_sop_revision.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="revision")
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("lms_attempt.id"), index=True)
    subject: Mapped[str] = mapped_column(String(60))
    printed_name: Mapped[str] = mapped_column(String(200))
    meaning: Mapped[str] = mapped_column(String(300))
    content_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
    revision: Mapped[SopRevision] = relationship()
    attempt: Mapped[Attempt | None] = relationship()


class AuditEvent(db.Model):
    """Who did what, when, with old and new values; each row carries the hash of the one before it."""

    __tablename__ = "lms_audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id"))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity_type: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str] = mapped_column(String(60))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
