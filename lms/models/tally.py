"""Running totals of quiz answers, kept as attempts are submitted and people join or leave job roles, so the
gap analytics read thousands of rows instead of aggregating millions of responses on every page view.

They hold exactly what the raw GROUP BY over `lms_response` would give (tests/test_tallies.py checks it);
`sop-lms rebuild-tallies` recomputes them from the responses after a bulk load.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import db


class QuestionTally(db.Model):
    """Submitted answers to one question and how many scored below full marks (misses)."""

    __tablename__ = "lms_question_tally"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("lms_question.id", ondelete="CASCADE"), primary_key=True
    )
    responses: Mapped[int] = mapped_column(Integer, default=0)
    misses: Mapped[int] = mapped_column(Integer, default=0)


class StepRoleTally(db.Model):
    """Submitted answers on questions about one SOP step by people who hold one job role now, and misses.

    A person in two roles counts in both (as the completion report does); joining or leaving a role moves
    that person's answers into or out of the role's totals.
    """

    __tablename__ = "lms_step_role_tally"

    step_id: Mapped[int] = mapped_column(ForeignKey("lms_sop_step.id", ondelete="CASCADE"), primary_key=True)
    job_role_id: Mapped[int] = mapped_column(
        ForeignKey("lms_job_role.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    responses: Mapped[int] = mapped_column(Integer, default=0)
    misses: Mapped[int] = mapped_column(Integer, default=0)
