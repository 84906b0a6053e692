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
from sqlalchemy import and_, case, func, literal_column, select

from lms.analytics import fetch, percent
from lms.analytics.filters import ReportFilters, in_range, learners_in, role_conditions
from lms.db import db
from lms.models import (
    Attempt,
    JobRole,
    Question,
    QuestionTally,
    Response,
    Sop,
    SopRevision,
    SopSection,
    SopStep,
    StepRoleTally,
    user_job_roles,
)
from lms.services.csv_export import csv_text
from lms.services.tallies import missed

MISUNDERSTOOD_RATE = 0.25
REWRITE_MIN_QUESTIONS = 2
REWRITE_MIN_ROLES = 2
REWRITE_MIN_RESPONSES = 5
REWRITE_MIN_RATE = 0.30
MAX_HEATMAP_STEPS = 80  # beyond this the heatmap keeps the steps with the highest miss rate

CSV_COLUMNS = (
    "sop_code",
    "revision",
    "section",
    "step",
    "step_text",
    "job_role",
    "department",
    "responses",
    "misses",
    "miss_rate_percent",
)

STEP_ROLE_COLUMNS = ["step_id", "job_role_id", "responses", "misses"]
STEP_COLUMNS = ["step_id", "responses", "misses", "questions", "questions_missed"]


# --- the aggregates ------------------------------------------------------------------------------------


def responses_where(query, filters: ReportFilters):
    """Joins and conditions shared by every aggregate: submitted attempts, questions on a step, filters."""
    query = (
        query.join(Attempt, Attempt.id == Response.attempt_id)
        .join(Question, Question.id == Response.question_id)
        .where(Attempt.submitted_at.is_not(None), Question.step_id.is_not(None))
    )
    if filters.sop_id is not None:
        query = query.join(SopStep, SopStep.id == Question.step_id).join(
            SopRevision, and_(SopRevision.id == SopStep.revision_id, SopRevision.sop_id == filters.sop_id)
        )
    return query.where(*in_range(Attempt.submitted_at, filters))


def uses_tallies(filters: ReportFilters) -> bool:
    """The running tallies (lms.models.tally) hold all-time totals: a date range needs the responses."""
    return filters.date_from is None and filters.date_to is None


def step_role_query(filters: ReportFilters, step_ids: list[int] | None = None):
    """Responses and misses per (SOP step, job role): the heatmap's numbers (only `step_ids`, if given)."""
    if not uses_tallies(filters):
        return raw_step_role_query(filters, step_ids)
    tally = StepRoleTally
    query = select(tally.step_id, tally.job_role_id, tally.responses, tally.misses).where(tally.responses > 0)
    if step_ids is not None:
        query = query.where(tally.step_id.in_(step_ids))
    if filters.sop_id is not None:
        query = query.join(SopStep, SopStep.id == tally.step_id).join(
            SopRevision, and_(SopRevision.id == SopStep.revision_id, SopRevision.sop_id == filters.sop_id)
        )
    if filters.job_role_id is not None:
        query = query.where(tally.job_role_id == filters.job_role_id)
    if filters.department is not None:
        query = query.where(
            tally.job_role_id.in_(select(JobRole.id).where(JobRole.department == filters.department))
        )
    return query


def raw_step_role_query(filters: ReportFilters, step_ids: list[int] | None = None):
    """The same numbers straight from the responses (with a date range, and to check the tallies)."""
    query = select(
        Question.step_id,
        user_job_roles.c.job_role_id,
        func.count(Response.id).label("responses"),
        func.sum(missed()).label("misses"),
    ).select_from(Response)
    query = responses_where(query, filters).join(user_job_roles, user_job_roles.c.user_id == Attempt.user_id)
    if step_ids is not None:
        query = query.where(Question.step_id.in_(step_ids))
    return query.where(*role_conditions(filters)).group_by(Question.step_id, user_job_roles.c.job_role_id)


def _per_step(per_question):
    """Step totals from per-question totals (`question_id`, `responses`, `misses` columns)."""
    return (
        select(
            Question.step_id,
            func.sum(per_question.c.responses),
            func.sum(per_question.c.misses),
            func.count(per_question.c.question_id),
            func.sum(case((per_question.c.misses > 0, literal_column("1")), else_=literal_column("0"))),
        )
        .join(Question, Question.id == per_question.c.question_id)
        .where(Question.step_id.is_not(None), per_question.c.responses > 0)
        .group_by(Question.step_id)
    )


def step_query(filters: ReportFilters):
    """Per SOP step, each response once: responses, misses, questions asked and questions missed.

    From the question tallies unless a date range or a role/department filter asks for the responses
    (a person in two roles of a department must still count once)."""
    if uses_tallies(filters) and not role_conditions(filters):
        per_question = select(
            QuestionTally.question_id.label("question_id"),
            QuestionTally.responses.label("responses"),
            QuestionTally.misses.label("misses"),
        )
        if filters.sop_id is not None:
            per_question = (
                per_question.join(Question, Question.id == QuestionTally.question_id)
                .join(SopStep, SopStep.id == Question.step_id)
                .join(
                    SopRevision,
                    and_(SopRevision.id == SopStep.revision_id, SopRevision.sop_id == filters.sop_id),
                )
            )
        return _per_step(per_question.subquery())
    return raw_step_query(filters)


def raw_step_query(filters: ReportFilters):
    """The same numbers straight from the responses: totals per question first, then per step (one pass over
    the responses, no COUNT(DISTINCT))."""
    per_question = select(
        Response.question_id.label("question_id"),
        func.count(Response.id).label("responses"),
        func.sum(missed()).label("misses"),
    ).select_from(Response)
    per_question = responses_where(per_question, filters)
    members = learners_in(filters)
    if members is not None:
        per_question = per_question.where(Attempt.user_id.in_(members))
    return _per_step(per_question.group_by(Response.question_id).subquery())


def role_summary_query(filters: ReportFilters):
    """Per step: in how many job roles someone answered, and in how many someone missed (from the step x role
    numbers, in the database, so only one row per step comes back)."""
    cells = step_role_query(filters).subquery()
    step_id, misses = cells.c[0], cells.c[3]
    return select(
        step_id, func.count(), func.sum(case((misses > 0, literal_column("1")), else_=literal_column("0")))
    ).group_by(step_id)


def _frame(query, columns: list[str]) -> pd.DataFrame:
    rows = fetch(query)
    frame = pd.DataFrame([tuple(row) for row in rows], columns=columns)
    return frame.astype(dict.fromkeys(columns, "int64"))


def step_role_frame(filters: ReportFilters) -> pd.DataFrame:
    return _frame(step_role_query(filters), STEP_ROLE_COLUMNS)


def step_frame(filters: ReportFilters) -> pd.DataFrame:
    return _frame(step_query(filters), STEP_COLUMNS)


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
    role_summary = _frame(role_summary_query(filters), ["step_id", "roles_answered", "roles_missed"])

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

    by_step_role = _frame(step_role_query(filters, [int(s) for s in steps["step_id"]]), STEP_ROLE_COLUMNS)
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
    """What the filter form offers: SOPs, job roles and departments."""
    sops = db.session.execute(select(Sop.id, Sop.code, Sop.title).order_by(Sop.code)).all()
    roles = db.session.execute(select(JobRole.id, JobRole.name).order_by(JobRole.name)).all()
    departments = db.session.scalars(
        select(JobRole.department)
        .where(JobRole.department.is_not(None))
        .distinct()
        .order_by(JobRole.department)
    ).all()
    return {
        "sops": [(s.id, f"{s.code} · {s.title}") for s in sops],
        "roles": [(r.id, r.name) for r in roles],
        "departments": [d for d in departments if d],
    }


def gap_csv(report: GapReport) -> str:
    """The heatmap's numbers, one row per (step, role), formula-safe, with a UTF-8 byte-order mark."""
    return csv_text(CSV_COLUMNS, ([row[column] for column in CSV_COLUMNS] for row in table_rows(report)))


SOP_CSV_COLUMNS = (
    "sop_code",
    "title",
    "revision",
    "steps_answered",
    "steps_misunderstood",
    "responses",
    "misses",
    "miss_rate_percent",
)


def sop_table(sops: list[SopMisses]) -> list[dict[str, str]]:
    """The rows of the per-SOP table and its CSV, highest miss rate first."""
    return [
        {
            "sop_id": str(r.sop_id),
            "sop_code": r.sop_code,
            "title": r.title,
            "revision": r.revision,
            "steps_answered": str(r.steps),
            "steps_misunderstood": str(r.steps_misunderstood),
            "responses": str(r.responses),
            "misses": str(r.misses),
            "miss_rate_percent": f"{r.miss_rate_percent:.1f}",
        }
        for r in sops
    ]


def sop_csv(sops: list[SopMisses]) -> str:
    return csv_text(SOP_CSV_COLUMNS, ([row[c] for c in SOP_CSV_COLUMNS] for row in sop_table(sops)))


def table_rows(report: GapReport) -> list[dict]:
    """The rows of the data table and the CSV, formatted once so both show the same text."""
    return [
        {
            "step_id": int(cell.step_id),
            "job_role_id": int(cell.job_role_id),
            "label": cell.label,
            "sop_code": cell.sop_code,
            "revision": cell.revision,
            "section": cell.section,
            "step": cell.step,
            "step_text": cell.step_text,
            "job_role": cell.job_role,
            "department": cell.department or "",
            "responses": str(int(cell.responses)),
            "misses": str(int(cell.misses)),
            "miss_rate_percent": f"{cell.miss_rate_percent:.1f}",
        }
        for cell in report.cells.itertuples(index=False)
    ]
