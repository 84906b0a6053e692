"""The analytics overview: where training stands (completion and overdue by job role), how learners score on
their first attempt, and whether each SOP's first-attempt pass rate moved from one revision to the next.

Each figure is one GROUP BY in the database; Python only labels and orders the handful of rows. The filters
are the shared ones (`filters.ReportFilters`): SOP, job role, department and a date range, read as follows:
- completion is `completion.by_role`: current training (not superseded), once for every job role that
  requires it of its learner, as the Completion page and the CSV count it; the date range is on the due date;
- scores and the trend count each learner's first submitted attempt at each quiz, once; the date range is on
  its submission; the role and department filters keep the learners who hold such a role now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, exists, func, literal_column, select
from sqlalchemy.orm import aliased

from lms.analytics import completion, fetch, percent
from lms.analytics.completion import STATUSES, RoleStatus
from lms.analytics.filters import ReportFilters, in_range, learners_in
from lms.csv_export import csv_text
from lms.db import db
from lms.models import (
    Attempt,
    Quiz,
    Sop,
    SopRevision,
    TrainingModule,
)

SCORE_BANDS = tuple((10 * i, 10 * i + 10) for i in range(10))  # [lo, hi); the last band includes 100
TREND_MAX_SOPS = 12  # unfiltered, the trend draws the SOPs with the most first attempts

COMPLETION_CSV = ("job_role", "department", *STATUSES, "total", "completed_percent")
SCORES_CSV = ("score_band", "first_attempts", "passed")
TREND_CSV = ("sop_code", "revision", "revision_order", "first_attempts", "passed", "pass_rate_percent")


def first_attempts(filters: ReportFilters):
    """Each learner's first submitted attempt at each quiz, with its quiz's SOP revision, filtered.

    "First" is "no earlier submitted attempt by the same learner at the same quiz" (an anti-join): on
    PostgreSQL it is several times faster than `id IN (SELECT MIN(id) ... GROUP BY user, quiz)`, whose row
    estimate the planner gets badly wrong."""
    earlier = aliased(Attempt)
    is_first = ~exists().where(
        earlier.user_id == Attempt.user_id,
        earlier.quiz_id == Attempt.quiz_id,
        earlier.submitted_at.is_not(None),
        earlier.id < Attempt.id,
    )
    query = (
        select(Attempt.id, Attempt.user_id, Attempt.score_percent, Attempt.passed, TrainingModule.revision_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(TrainingModule, TrainingModule.id == Quiz.module_id)
        .where(Attempt.submitted_at.is_not(None), is_first, *in_range(Attempt.submitted_at, filters))
    )
    if filters.sop_id is not None:
        query = query.join(SopRevision, SopRevision.id == TrainingModule.revision_id).where(
            SopRevision.sop_id == filters.sop_id
        )
    members = learners_in(filters)
    if members is not None:
        query = query.where(Attempt.user_id.in_(members))
    return query


def band_of(score):
    whens = [
        (score >= literal_column(str(lo)), literal_column(str(i)))
        for i, (lo, _hi) in reversed(list(enumerate(SCORE_BANDS)))
    ]
    return case(*whens, else_=literal_column("0"))


def outcomes_query(filters: ReportFilters):
    """First attempts counted per (SOP revision, score band), passed among them: one pass over the attempts
    that both the score bands (summed over revisions) and the trend (summed over bands) are read from."""
    firsts = first_attempts(filters).subquery()
    band = band_of(firsts.c.score_percent)
    passed = case((firsts.c.passed.is_(True), literal_column("1")), else_=literal_column("0"))
    return select(firsts.c.revision_id, band, func.count(), func.sum(passed)).group_by(
        firsts.c.revision_id, band
    )


# --- the report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreBand:
    index: int
    label: str
    first_attempts: int
    passed: int


@dataclass(frozen=True)
class RevisionPassRate:
    sop_id: int
    sop_code: str
    revision_id: int
    revision: str
    order: int  # 1 for the SOP's earliest revision shown, 2 for the next...
    first_attempts: int
    passed: int

    @property
    def pass_rate(self) -> float:
        return percent(self.passed, self.first_attempts)


@dataclass
class Overview:
    filters: ReportFilters
    completion: list[RoleStatus]
    scores: list[ScoreBand]
    trend: list[RevisionPassRate]
    trend_sops_hidden: int  # SOPs left out of the trend (beyond TREND_MAX_SOPS)

    @property
    def is_empty(self) -> bool:
        return not self.completion and not any(b.first_attempts for b in self.scores)

    @property
    def first_attempts(self) -> int:
        return sum(b.first_attempts for b in self.scores)


def band_label(index: int) -> str:
    lo, hi = SCORE_BANDS[index]
    return f"{lo}-{hi}%" if index == len(SCORE_BANDS) - 1 else f"{lo}-{hi - 1}%"


def _outcomes(filters: ReportFilters) -> list[tuple[int, int, int, int]]:
    """(revision id, band, first attempts, passed) rows."""
    return [(int(r), int(b), int(n), int(p or 0)) for r, b, n, p in fetch(outcomes_query(filters))]


def scores(
    filters: ReportFilters, outcomes: list[tuple[int, int, int, int]] | None = None
) -> list[ScoreBand]:
    counted: dict[int, list[int]] = {}
    for _revision, band, n, passed in _outcomes(filters) if outcomes is None else outcomes:
        totals = counted.setdefault(band, [0, 0])
        totals[0], totals[1] = totals[0] + n, totals[1] + passed
    return [ScoreBand(i, band_label(i), *counted.get(i, (0, 0))) for i in range(len(SCORE_BANDS))]


def trend(
    filters: ReportFilters, outcomes: list[tuple[int, int, int, int]] | None = None
) -> tuple[list[RevisionPassRate], int]:
    per_revision: dict[int, list[int]] = {}
    for revision_id, _band, n, passed in _outcomes(filters) if outcomes is None else outcomes:
        totals = per_revision.setdefault(revision_id, [0, 0])
        totals[0], totals[1] = totals[0] + n, totals[1] + passed
    labels = {
        revision_id: (sop_id, code, label)
        for revision_id, sop_id, code, label in db.session.execute(
            select(SopRevision.id, Sop.id, Sop.code, SopRevision.label)
            .join(Sop, Sop.id == SopRevision.sop_id)
            .where(SopRevision.id.in_(list(per_revision)))
        )
    }
    attempts_by_sop: dict[int, int] = {}
    for revision_id, (n, _p) in per_revision.items():
        sop_id = labels[revision_id][0]
        attempts_by_sop[sop_id] = attempts_by_sop.get(sop_id, 0) + n
    kept = set(sorted(attempts_by_sop, key=lambda s: (-attempts_by_sop[s], s))[:TREND_MAX_SOPS])
    result, order = [], {}
    for revision_id in sorted(per_revision, key=lambda r: (labels[r][1], r)):
        sop_id, code, label = labels[revision_id]
        if sop_id not in kept:
            continue
        order[sop_id] = order.get(sop_id, 0) + 1
        n, passed = per_revision[revision_id]
        result.append(RevisionPassRate(sop_id, code, revision_id, label, order[sop_id], n, passed))
    return result, len(attempts_by_sop) - len(kept)


def overview(filters: ReportFilters, now: datetime | None = None) -> Overview:
    outcomes = _outcomes(filters)
    trend_rows, hidden = trend(filters, outcomes)
    return Overview(filters, completion.by_role(filters, now), scores(filters, outcomes), trend_rows, hidden)


# --- tables and CSVs: the numbers each figure shows ---------------------------------------------------------


def completion_table(report: Overview) -> list[dict[str, str]]:
    return [
        {
            "job_role": r.job_role,
            "department": r.department,
            **{s: str(r.counts[s]) for s in STATUSES},
            "total": str(r.total),
            "completed_percent": f"{r.completed_percent:.1f}",
        }
        for r in report.completion
    ]


def scores_table(report: Overview) -> list[dict[str, str]]:
    return [
        {"score_band": b.label, "first_attempts": str(b.first_attempts), "passed": str(b.passed)}
        for b in report.scores
    ]


def trend_table(report: Overview) -> list[dict[str, str]]:
    return [
        {
            "sop_code": t.sop_code,
            "revision": t.revision,
            "revision_order": str(t.order),
            "first_attempts": str(t.first_attempts),
            "passed": str(t.passed),
            "pass_rate_percent": f"{t.pass_rate:.1f}",
        }
        for t in report.trend
    ]


CSV_TABLES = {
    "completion": (COMPLETION_CSV, completion_table),
    "scores": (SCORES_CSV, scores_table),
    "trend": (TREND_CSV, trend_table),
}


def figure_csv(report: Overview, name: str) -> str:
    columns, table = CSV_TABLES[name]
    return csv_text(columns, ([row[c] for c in columns] for row in table(report)))
