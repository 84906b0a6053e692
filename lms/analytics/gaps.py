"""Where people miss: quiz responses aggregated to the SOP step each question tests, by job role.

Every aggregate is ONE GROUP BY query run by the database; pandas only reshapes the (small) results.

Definitions
- A *response* is one answer in a submitted attempt (every attempt counts, retakes included) to a question
  linked to an SOP step. A *miss* is a response scored below full marks (`score < 1`), so partial credit
  counts as a miss: the learner did not fully understand the step.
- *By job role* counts a response once for every job role its learner holds now (as the completion report
  does); the step totals (the SOP text badges, "steps to rewrite") count each response once.
- Filters: SOP, job role, department (the learner holds a role of that department), and a date range on the
  attempt's submission time (UTC days, both ends included).
- A step is *misunderstood* (highlighted in the SOP text) when at least `MISUNDERSTOOD_RATE` of its
  responses are misses.
- A step is a *step to rewrite* when it is missed through at least `REWRITE_MIN_QUESTIONS` different
  questions AND by people in at least `REWRITE_MIN_ROLES` different job roles, with at least
  `REWRITE_MIN_RESPONSES` responses and an overall miss rate of at least `REWRITE_MIN_RATE`. One question
  missed points at the question; one role missing points at that role's teaching; several questions and
  several roles missing the same step point at the step's wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import func, select

from lms.analytics import percent
from lms.analytics.filters import ReportFilters
from lms.analytics.gap_queries import (
    STEP_ROLE_COLUMNS,
    frame_of,
    role_summary_query,
    step_frame,
    step_role_query,
)
from lms.db import db
from lms.models import (
    JobRole,
    Sop,
    SopRevision,
    SopSection,
    SopStep,
)

MISUNDERSTOOD_RATE = 0.25
REWRITE_MIN_QUESTIONS = 2
REWRITE_MIN_ROLES = 2
REWRITE_MIN_RESPONSES = 5
REWRITE_MIN_RATE = 0.30
MAX_HEATMAP_STEPS = 80  # beyond this the heatmap keeps the steps with the highest miss rate


# --- the aggregates ------------------------------------------------------------------------------------


# --- the report ----------------------------------------------------------------------------------------


@dataclass
class TextStep:
    number: str
    text: str
    depth: int
    responses: int
    misses: int
    to_rewrite: bool

    @property
    def miss_rate_percent(self) -> float | None:
        return percent(self.misses, self.responses, empty=None)

    @property
    def misunderstood(self) -> bool:
        return bool(misunderstood(self.misses, self.responses))


@dataclass
class TextSection:
    heading: str
    steps: list[TextStep] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return sum(step.responses for step in self.steps)

    @property
    def misses(self) -> int:
        return sum(step.misses for step in self.steps)

    @property
    def miss_rate_percent(self) -> float | None:
        return percent(self.misses, self.responses, empty=None)


@dataclass(frozen=True)
class SopMisses:
    """One SOP revision's answers summed over its steps (each answer once, whatever the learner's roles)."""

    sop_id: int
    sop_code: str
    title: str
    revision: str
    steps: int  # steps with answers
    steps_misunderstood: int
    responses: int
    misses: int

    @property
    def miss_rate_percent(self) -> float:
        return percent(self.misses, self.responses)


@dataclass
class SopText:
    sop_code: str
    title: str
    revision: str
    sections: list[TextSection]
    chosen: bool  # the SOP filter picked it (otherwise: the SOP with the most misses)


@dataclass
class GapReport:
    filters: ReportFilters
    cells: pd.DataFrame  # one row per (step, role) shown: exactly the heatmap, table and CSV numbers
    steps: pd.DataFrame  # one row per step shown, in SOP order, with its totals
    step_labels: list[str]
    role_names: list[str]
    total_steps: int
    sop_text: SopText | None
    sops: list[SopMisses] = field(default_factory=list)  # highest miss rate first

    @property
    def is_empty(self) -> bool:
        return self.cells.empty

    @property
    def truncated(self) -> bool:
        return self.total_steps > len(self.step_labels)

    @property
    def steps_to_rewrite(self) -> pd.DataFrame:
        return self.steps[self.steps["to_rewrite"]] if not self.steps.empty else self.steps


def _rate(misses: pd.Series, responses: pd.Series) -> pd.Series:
    return (100.0 * misses / responses).round(1)


def misunderstood(misses, responses):
    """The highlighting rule, on numbers or on pandas columns alike: answered, and at least
    `MISUNDERSTOOD_RATE` of the answers missed."""
    return (responses > 0) & (misses >= MISUNDERSTOOD_RATE * responses)


def _step_text(step_ids: list[int]) -> pd.DataFrame:
    """Where the shown steps sit in their SOP (section and step order) and what they say; their SOP and
    revision come from `_locate`."""
    columns = ["step_id", "section_position", "section", "position", "step", "step_text"]
    if not step_ids:
        return pd.DataFrame(columns=columns)
    rows = db.session.execute(
        select(
            SopStep.id,
            SopSection.position,
            SopSection.heading,
            SopStep.position,
            SopStep.number,
            SopStep.text,
        )
        .join(SopSection, SopSection.id == SopStep.section_id)
        .where(SopStep.id.in_(step_ids))
    ).all()
    return pd.DataFrame([tuple(row) for row in rows], columns=columns)


def _labels(info: pd.DataFrame) -> pd.Series:
    section = info["section"].map(lambda h: h if len(h) <= 28 else h[:27] + "…")
    labels = info["sop_code"] + " " + info["revision"] + " · " + section + " " + info["step"].astype(str)
    duplicated = labels.duplicated(keep=False)
    return labels.where(~duplicated, labels + " (#" + info["step_id"].astype(str) + ")")


def gap_report(filters: ReportFilters) -> GapReport:
    """Step totals for every step, but the step x role cells only for the steps the heatmap shows: the
    cells of all steps can run to hundreds of thousands of rows, which would cost more to move to Python
    than to compute."""
    located = _locate(step_frame(filters))
    role_summary = frame_of(role_summary_query(filters), ["step_id", "roles_answered", "roles_missed"])

    roles = pd.DataFrame(
        [tuple(r) for r in db.session.execute(select(JobRole.id, JobRole.name, JobRole.department)).all()],
        columns=["job_role_id", "job_role", "department"],
    )
    steps = located.merge(role_summary, on="step_id", how="left").fillna(
        {"roles_answered": 0, "roles_missed": 0}
    )
    steps = steps.astype({"roles_answered": "int64", "roles_missed": "int64"})
    steps["miss_rate_percent"] = _rate(steps["misses"], steps["responses"])
    steps["misunderstood"] = misunderstood(steps["misses"], steps["responses"])
    steps["to_rewrite"] = (
        (steps["questions_missed"] >= REWRITE_MIN_QUESTIONS)
        & (steps["roles_missed"] >= REWRITE_MIN_ROLES)
        & (steps["responses"] >= REWRITE_MIN_RESPONSES)
        & (steps["misses"] >= REWRITE_MIN_RATE * steps["responses"])
    )
    rewrite_ids = set(steps.loc[steps["to_rewrite"], "step_id"].tolist())
    # the heatmap shows the steps with role data; cap them at the worst MAX_HEATMAP_STEPS
    steps = steps[steps["roles_answered"] > 0]
    total_steps = len(steps)
    if total_steps > MAX_HEATMAP_STEPS:
        steps = steps.sort_values(["miss_rate_percent", "responses"], ascending=False).head(MAX_HEATMAP_STEPS)

    text = _step_text([int(s) for s in steps["step_id"]])
    steps = steps.merge(text, on="step_id").sort_values(
        ["sop_code", "revision_id", "section_position", "position"]
    )
    steps = steps.reset_index(drop=True)
    steps["label"] = _labels(steps)

    by_step_role = frame_of(step_role_query(filters, [int(s) for s in steps["step_id"]]), STEP_ROLE_COLUMNS)
    cells = by_step_role.merge(
        steps[["step_id", "label", "sop_code", "revision", "section", "step", "step_text"]], on="step_id"
    )
    cells = cells.merge(roles, on="job_role_id")
    cells["miss_rate_percent"] = _rate(cells["misses"], cells["responses"])
    order = {label: i for i, label in enumerate(steps["label"])}
    cells = (
        cells.assign(_row=cells["label"].map(order))
        .sort_values(["_row", "job_role"])
        .drop(columns="_row")
        .reset_index(drop=True)
    )
    role_names = sorted(cells["job_role"].unique().tolist())
    return GapReport(
        filters=filters,
        cells=cells,
        steps=steps,
        step_labels=steps["label"].tolist(),
        role_names=role_names,
        total_steps=total_steps,
        sop_text=_sop_text(filters, located, rewrite_ids),
        sops=_sop_totals(located),
    )


def sop_misses(filters: ReportFilters) -> list[SopMisses]:
    """Just the per-SOP-revision totals of `gap_report` (for their CSV), without the heatmap or the text."""
    return _sop_totals(_locate(step_frame(filters)))


def _locate(by_step: pd.DataFrame) -> pd.DataFrame:
    """The step totals with each step's SOP revision: `revision_id`, `sop_id`, `sop_code`, `title`,
    `revision` columns added."""
    columns = ["step_id", "revision_id", "sop_id", "sop_code", "title", "revision"]
    if by_step.empty:
        return by_step.assign(**{c: pd.Series(dtype="object") for c in columns[1:]})
    homes = db.session.execute(
        select(
            SopStep.id,
            SopStep.revision_id,
            SopRevision.sop_id,
            Sop.code,
            SopRevision.title,
            SopRevision.label,
        )
        .join(SopRevision, SopRevision.id == SopStep.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(SopStep.id.in_([int(s) for s in by_step["step_id"]]))
    ).all()
    return by_step.merge(pd.DataFrame([tuple(h) for h in homes], columns=columns), on="step_id")


def _sop_totals(located: pd.DataFrame) -> list[SopMisses]:
    """Per SOP revision, the step totals summed (the database counted them; this only adds them up)."""
    if located.empty:
        return []
    keys = ["sop_id", "revision_id", "sop_code", "title", "revision"]
    frame = located.assign(misunderstood=misunderstood(located["misses"], located["responses"]))
    grouped = frame.groupby(keys, as_index=False).agg(
        steps=("step_id", "count"),
        steps_misunderstood=("misunderstood", "sum"),
        responses=("responses", "sum"),
        misses=("misses", "sum"),
    )
    rows = [
        SopMisses(
            int(r.sop_id),
            r.sop_code,
            r.title,
            r.revision,
            int(r.steps),
            int(r.steps_misunderstood),
            int(r.responses),
            int(r.misses),
        )
        for r in grouped.itertuples()
    ]
    return sorted(rows, key=lambda r: (-r.miss_rate_percent, r.sop_code, r.revision))


def _sop_text(filters: ReportFilters, located: pd.DataFrame, rewrite_ids: set[int]) -> SopText | None:
    """The SOP chosen in the filter (else the one with the most misses), its steps in document order."""
    if located.empty and filters.sop_id is None:
        return None
    if filters.sop_id is not None:
        with_data = located[located["sop_id"] == filters.sop_id]
        if not with_data.empty:
            revision_id = int(with_data["revision_id"].max())  # the latest revision with answers
        else:
            revision_id = db.session.scalar(
                select(func.max(SopRevision.id)).where(SopRevision.sop_id == filters.sop_id)
            )
            if revision_id is None:
                return None
    else:
        revision_id = int(located.groupby("revision_id")["misses"].sum().idxmax())

    revision = db.session.get(SopRevision, revision_id)
    totals = located.set_index("step_id")
    rows = db.session.execute(
        select(SopStep, SopSection.heading)
        .join(SopSection, SopSection.id == SopStep.section_id)
        .where(SopStep.revision_id == revision_id)
        .order_by(SopSection.position, SopStep.position)
    ).all()
    sections: list[TextSection] = []
    for step, heading in rows:
        if not sections or sections[-1].heading != heading:
            sections.append(TextSection(heading))
        responses = int(totals.at[step.id, "responses"]) if step.id in totals.index else 0
        misses = int(totals.at[step.id, "misses"]) if step.id in totals.index else 0
        sections[-1].steps.append(
            TextStep(step.number, step.text, step.depth, responses, misses, step.id in rewrite_ids)
        )
    return SopText(
        revision.sop.code, revision.title, revision.label, sections, chosen=filters.sop_id is not None
    )


def filter_options() -> dict[str, list]:
    """What the filter form offers: SOPs, job roles, departments and sites."""
    sops = db.session.execute(select(Sop.id, Sop.code, Sop.title).order_by(Sop.code)).all()
    roles = db.session.execute(select(JobRole.id, JobRole.name).order_by(JobRole.name)).all()
    places = db.session.execute(select(JobRole.department, JobRole.site).distinct()).all()  # one query
    departments = sorted({department for department, _site in places if department})
    sites = sorted({site for _department, site in places if site})
    return {
        "sops": [(s.id, f"{s.code} · {s.title}") for s in sops],
        "roles": [(r.id, r.name) for r in roles],
        "departments": departments,
        "sites": sites,
    }
