"""Saved report definitions: a compliance officer's filters for a report, kept under a name so the same
report (on the page, or as a file from the command line) re-runs in one click."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import UTCDateTime, db, utcnow


class SavedReport(db.Model):
    __tablename__ = "lms_saved_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    report: Mapped[str] = mapped_column(String(40))  # matrix, completion, not_current, trained, audit
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the page's query (and path) values
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("lms_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
