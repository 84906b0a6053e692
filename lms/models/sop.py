"""SOPs and their immutable revisions, with the sections, steps and rules parsed from each revision."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import UTCDateTime, db, utcnow

REVISION_STATUSES = ("draft", "effective", "superseded")


class Sop(db.Model):
    __tablename__ = "lms_sop"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    revisions: Mapped[list[SopRevision]] = relationship(
        back_populates="sop", order_by="SopRevision.id", cascade="all, delete-orphan"
    )

    @property
    def current_revision(self) -> SopRevision | None:
        effective = [r for r in self.revisions if r.status == "effective"]
        return (effective or self.revisions or [None])[-1]


class SopRevision(db.Model):
    """One version of an SOP as imported. Never edited: a change is a new revision."""

    __tablename__ = "lms_sop_revision"
    __table_args__ = (UniqueConstraint("sop_id", "label", name="uq_lms_sop_revision_sop_label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("lms_sop.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    effective_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="effective")
    content_hash: Mapped[str] = mapped_column(String(64))
    source_filename: Mapped[str] = mapped_column(String(255))
    source_blob: Mapped[bytes] = mapped_column(LargeBinary)
    structure: Mapped[dict[str, Any]] = mapped_column(JSON)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    sop: Mapped[Sop] = relationship(back_populates="revisions")
    sections: Mapped[list[SopSection]] = relationship(
        back_populates="revision", order_by="SopSection.position", cascade="all, delete-orphan"
    )
    steps: Mapped[list[SopStep]] = relationship(
        back_populates="revision", order_by="SopStep.position", cascade="all, delete-orphan"
    )
    rules: Mapped[list[SopRule]] = relationship(
        back_populates="revision", order_by="SopRule.position", cascade="all, delete-orphan"
    )


class SopSection(db.Model):
    __tablename__ = "lms_sop_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("lms_sop_revision.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    heading: Mapped[str] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[int] = mapped_column(Integer, default=1)

    revision: Mapped[SopRevision] = relationship(back_populates="sections")
    steps: Mapped[list[SopStep]] = relationship(back_populates="section", order_by="SopStep.position")


class SopStep(db.Model):
    __tablename__ = "lms_sop_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("lms_sop_revision.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(ForeignKey("lms_sop_section.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40))
    depth: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(200))
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    critical_values: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)

    revision: Mapped[SopRevision] = relationship(back_populates="steps")
    section: Mapped[SopSection] = relationship(back_populates="steps")


class SopRule(db.Model):
    """A sentence of the revision that obliges, forbids, limits or conditions (`sops.model.Rule`).

    Questions drafted from a rule written outside the steps point here, so they stay traceable to the exact
    sentence; a rule inside a step also names that step.
    """

    __tablename__ = "lms_sop_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("lms_sop_revision.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(ForeignKey("lms_sop_section.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("lms_sop_step.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    condition: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str | None] = mapped_column(String(200))
    critical_values: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    revision: Mapped[SopRevision] = relationship(back_populates="rules")
    section: Mapped[SopSection] = relationship()
    step: Mapped[SopStep | None] = relationship()


class ImmutableRevisionError(RuntimeError):
    """Raised when code tries to change what an imported revision says; import a new revision instead."""


_REVISION_CONTENT = (
    "sop_id",
    "label",
    "title",
    "effective_date",
    "content_hash",
    "source_filename",
    "source_blob",
    "structure",
)


@event.listens_for(SopRevision, "before_update")
def _revision_content_is_immutable(_mapper, _connection, target: SopRevision) -> None:
    """Only a revision's status may change (effective -> superseded); its content is evidence."""
    state = inspect(target)
    changed = [name for name in _REVISION_CONTENT if state.attrs[name].history.has_changes()]
    if changed:
        raise ImmutableRevisionError(f"SOP revisions are immutable; refused to change {', '.join(changed)}")


@event.listens_for(SopSection, "before_update")
@event.listens_for(SopStep, "before_update")
@event.listens_for(SopRule, "before_update")
def _parsed_structure_is_immutable(_mapper, _connection, target: SopSection | SopStep | SopRule) -> None:
    raise ImmutableRevisionError(f"{type(target).__name__} rows belong to an immutable revision")
