"""Item analysis of one quiz as the app's trainers see it: Moodle's statistics per question, the questions to
review and why, and which options each job role picks.

The database does the selecting and counting (which attempts, one mark per response, option counts per role
in a GROUP BY); `quizzes.psychometrics` computes the statistics on the small matrix that comes back (one row
per attempt of one quiz). Definitions:
- *First attempts*: each learner's first submitted attempt at the quiz, the honest measure of what the
  training taught; *all attempts*: every submitted attempt, retakes included (the pool as used).
- A quiz is *pooled* when some attempt did not draw every question it has answers for (a pool smaller than
  the quiz, or questions added later): then each question's row is computed over the attempts that drew it
  and the whole-test statistics over the positions in the attempt (see `pooled_item_analysis`), and a Rasch
  difficulty (on request: it is a model fit) puts the questions on one scale.
- Option counts by role count a response once for each job role its learner holds now, as the gap report
  does; the "All learners" rows count it once.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd
from sqlalchemy import Text, cast, func, or_, select

from lms.analytics import fetch, percent
from lms.analytics.filters import ReportFilters, in_range, learners_in
from lms.db import db
from lms.models import (
    Attempt,
    JobRole,
    Question,
    Quiz,
    Response,
    Sop,
    SopRevision,
    SopStep,
    TrainingModule,
    User,
    user_job_roles,
)
from lms.services.csv_export import csv_text
from lms.services.paging import Page, clamp_page
from quizzes.psychometrics import (
    ItemAnalysis,
    TestStats,
    item_analysis,
    pooled_item_analysis,
    review,
    review_reasons,
)

Which = Literal["first", "all"]
WHICH_LABELS = {"first": "First attempts", "all": "All attempts"}
ALL_LEARNERS = "All learners"
NO_ROLE = "No job role"
CHOICE_TYPES = ("single_choice", "scenario", "true_false", "multiple_response")
SINGLE_ANSWER = ("single_choice", "scenario")
MIN_IRT_ATTEMPTS = 30  # fewer and a Rasch fit is mostly noise
MIN_2PL_ANSWERS = 200  # answers per question before a 2PL fit's discriminations mean something
QUIZZES_PER_PAGE = 25
NO_FILTERS = ReportFilters()

ITEM_CSV_COLUMNS = (
    "position",
    "question_id",
    "type",
    "step",
    "stem",
    "attempts",
    "facility_percent",
    "sd_percent",
    "random_guess_percent",
    "discrimination_index_percent",
    "discriminative_efficiency_percent",
    "irt_difficulty",
    "irt_discrimination",
    "review",
)
DISTRACTOR_CSV_COLUMNS = ("position", "question_id", "stem", "group", "option", "is_key", "count", "percent")


# --- the list of quizzes with results -------------------------------------------------------------------


@dataclass(frozen=True)
class QuizSummary:
    quiz_id: int
    sop_code: str
    sop_title: str
    revision: str
    module_title: str
    attempts: int
    learners: int
    mean_score: float | None

    @property
    def label(self) -> str:
        return f"{self.sop_code} revision {self.revision} · {self.module_title}"


def _summary_query():
    return (
        select(
            Quiz.id,
            Sop.code,
            Sop.title,
            SopRevision.label,
            TrainingModule.title,
            func.count(Attempt.id),
            func.count(func.distinct(Attempt.user_id)),
            func.avg(Attempt.score_percent),
        )
        .select_from(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(TrainingModule, TrainingModule.id == Quiz.module_id)
        .join(SopRevision, SopRevision.id == TrainingModule.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Attempt.submitted_at.is_not(None))
        .group_by(Quiz.id, Sop.code, Sop.title, SopRevision.label, TrainingModule.title)
    )


def _summary(row) -> QuizSummary:
    quiz_id, code, title, revision, module_title, attempts, learners, mean = row
    return QuizSummary(
        quiz_id,
        code,
        title,
        revision,
        module_title,
        attempts,
        learners,
        None if mean is None else float(mean),
    )


def quizzes_with_results(search: str = "", page: int = 1, per_page: int = QUIZZES_PER_PAGE) -> Page:
    """Quizzes with a submitted attempt, most attempted first; `search` matches the SOP code or title."""
    query = _summary_query()
    words = search.strip()[:100]
    if words:
        query = query.where(
            or_(Sop.code.icontains(words, autoescape=True), Sop.title.icontains(words, autoescape=True))
        )
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = clamp_page(page, total, per_page)
    rows = db.session.execute(
        query.order_by(func.count(Attempt.id).desc(), Sop.code, Quiz.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page([_summary(row) for row in rows], page, per_page, total)


def quiz_label(quiz_id: int) -> QuizSummary | None:
    """Which SOP revision and module the quiz belongs to (counts left at zero), or None."""
    found = db.session.execute(
        select(Quiz.id, Sop.code, Sop.title, SopRevision.label, TrainingModule.title)
        .join(TrainingModule, TrainingModule.id == Quiz.module_id)
        .join(SopRevision, SopRevision.id == TrainingModule.revision_id)
        .join(Sop, Sop.id == SopRevision.sop_id)
        .where(Quiz.id == quiz_id)
    ).first()
    return None if found is None else QuizSummary(*found, 0, 0, None)


# --- the aggregates -------------------------------------------------------------------------------------


def attempts_condition(quiz_id: int, which: Which, filters: ReportFilters = NO_FILTERS) -> list:
    """The attempts analysed: submitted attempts at the quiz; with "first", each learner's earliest one.
    The filters then keep learners of a job role or department and attempts submitted in a date range (a
    first attempt stays the learner's first ever, so a range does not turn a retake into a first)."""
    conditions = [Attempt.quiz_id == quiz_id, Attempt.submitted_at.is_not(None)]
    if which == "first":
        firsts = (
            select(func.min(Attempt.id))
            .where(Attempt.quiz_id == quiz_id, Attempt.submitted_at.is_not(None))
            .group_by(Attempt.user_id)
        )
        conditions.append(Attempt.id.in_(firsts))
    members = learners_in(filters)
    if members is not None:
        conditions.append(Attempt.user_id.in_(members))
    return conditions + in_range(Attempt.submitted_at, filters)


def marks_query(quiz_id: int, which: Which, filters: ReportFilters = NO_FILTERS):
    """One row per response of the analysed attempts: attempt, learner, question, mark (fraction of it) and
    the answer as JSON text (the all-learner option counts are tallied from these rows, which the response
    matrix needs anyway, instead of a second pass over the same responses)."""
    return (
        select(
            Response.attempt_id,
            Attempt.user_id,
            Response.question_id,
            Response.score,
            cast(Response.value, Text),
        )
        .join(Attempt, Attempt.id == Response.attempt_id)
        .where(*attempts_condition(quiz_id, which, filters))
    )


def drawn_query(quiz_id: int, which: Which, filters: ReportFilters = NO_FILTERS):
    """The questions each analysed attempt drew, in the order shown: its positions ("slots")."""
    return select(Attempt.id, Attempt.question_ids).where(*attempts_condition(quiz_id, which, filters))


def choices_by_role_query(quiz_id: int, which: Which, filters: ReportFilters = NO_FILTERS):
    """How many times each answer was given to each choice question, per job role of the learner."""
    answer = cast(Response.value, Text)
    return (
        select(Response.question_id, user_job_roles.c.job_role_id, answer, func.count(Response.id))
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(Question, Question.id == Response.question_id)
        .outerjoin(user_job_roles, user_job_roles.c.user_id == Attempt.user_id)
        .where(*attempts_condition(quiz_id, which, filters), Question.type.in_(CHOICE_TYPES))
        .group_by(Response.question_id, user_job_roles.c.job_role_id, answer)
    )


# --- the report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    question_id: int
    position: int
    type: str
    stem: str
    step: str  # the SOP step number it tests ("" for none)
    step_text: str
    attempts: int
    facility: float | None
    sd: float | None
    random_guess: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None
    irt_difficulty: float | None  # b, in logits (higher is harder); None without a fit or when unplaceable
    irt_discrimination: float | None  # a, only from a 2PL fit (Rasch fixes it at 1)
    reasons: list[str] = field(default_factory=list)


class OptionCount(NamedTuple):  # a tuple: thousands are made per report, and a frozen dataclass is slower
    question_id: int
    position: int
    stem: str
    group: str
    option: str
    is_key: bool
    count: int
    percent: float  # of the answers to that question given by that group


@dataclass
class ItemReport:
    quiz: QuizSummary  # which quiz (`quiz_label`: its counts stay 0; these are `attempts` and `learners`)
    which: Which
    attempts: int  # analysed, after the filters
    learners: int
    pooled: bool
    test: TestStats | None
    rows: list[ItemRow]
    options: list[OptionCount]
    filters: ReportFilters = NO_FILTERS
    irt: IrtEstimate | None = None  # when asked for

    @property
    def irt_note(self) -> str:
        """How the IRT fit was made, or why there is none; "" when it was not asked for."""
        return self.irt.note if self.irt else ""

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def to_review(self) -> list[ItemRow]:
        return [row for row in self.rows if row.reasons]


def _matrices(
    quiz_id: int, which: Which, filters: ReportFilters
) -> tuple[pd.DataFrame, pd.DataFrame, int, Counter]:
    """The attempts x questions marks (NaN: not drawn), the attempts x positions marks, the number of
    learners behind those attempts, and how often each (question, answer) was given.

    Built with numpy indexing rather than a pandas pivot: on a large pool the reshaping would otherwise
    cost as much as the query."""
    rows = fetch(marks_query(quiz_id, which, filters))
    if not rows:
        return pd.DataFrame(), pd.DataFrame(), 0, Counter()
    attempt_of, learner_of, question_of, score_of, answer_of = zip(*rows, strict=True)
    answers = Counter(zip(question_of, answer_of, strict=True))
    attempts, row_of = np.unique(np.asarray(attempt_of), return_inverse=True)
    questions, column_of = np.unique(np.asarray(question_of), return_inverse=True)
    marks = np.full((len(attempts), len(questions)), np.nan)
    marks[row_of, column_of] = np.asarray(score_of, dtype=float)

    drawn = dict(fetch(drawn_query(quiz_id, which, filters)))
    shown = [drawn[int(a)] for a in attempts]
    lengths = np.fromiter((len(ids) for ids in shown), dtype=np.intp, count=len(shown))
    width = int(lengths.max())
    flat = np.fromiter((q for ids in shown for q in ids), dtype=np.int64, count=int(lengths.sum()))
    row = np.repeat(np.arange(len(attempts)), lengths)
    slot = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    column = np.searchsorted(questions, flat)
    answered = column < len(questions)
    answered[answered] = questions[column[answered]] == flat[answered]
    taken = np.where(answered, marks[row, np.minimum(column, len(questions) - 1)], np.nan)
    slots = np.zeros((len(attempts), width))
    kept = ~np.isnan(taken)  # drawn but unanswered, or answered but no longer in the pool: 0 at that slot
    slots[row[kept], slot[kept]] = taken[kept]

    index = pd.Index(attempts.tolist(), name="attempt")
    return (
        pd.DataFrame(marks, index=index, columns=pd.Index(questions.tolist(), name="question")),
        pd.DataFrame(slots, index=index, columns=[f"position {p + 1}" for p in range(width)]),
        len(set(learner_of)),
        answers,
    )


def _analysis(by_question: pd.DataFrame, slots: pd.DataFrame, options: dict[str, int]) -> ItemAnalysis:
    named = by_question.set_axis([str(c) for c in by_question.columns], axis=1)
    if named.isna().to_numpy().any():
        return pooled_item_analysis(named, slots, options=options)
    return item_analysis(named, options=options)


@dataclass(frozen=True)
class IrtEstimate:
    """An IRT fit of the analysed attempts: which model, why, item parameters and each attempt's ability."""

    model: str  # "rasch", "2pl", or "" when no fit could be made
    note: str
    difficulty: dict[int, float] = field(default_factory=dict)
    discrimination: dict[int, float] = field(default_factory=dict)  # 2PL only
    abilities: dict[int, float] = field(default_factory=dict)  # attempt id -> MAP ability (logits)
    right_answers: dict[int, tuple[int, int]] = field(default_factory=dict)  # attempt -> (right, answered)


def estimate_irt(by_question: pd.DataFrame) -> IrtEstimate:
    """Item difficulty and learner ability on one scale (full marks count as right; a question not drawn is
    missing, not wrong). 2PL, which adds a discrimination per question, once every question placed has
    `MIN_2PL_ANSWERS` answers; Rasch below that, where a 2PL fit would mostly describe noise."""
    attempts = len(by_question)
    if attempts < MIN_IRT_ATTEMPTS:
        return IrtEstimate("", f"IRT needs at least {MIN_IRT_ATTEMPTS} attempts; this view has {attempts}.")
    right = (by_question >= 1).astype(float).where(by_question.notna())
    usable = [q for q in right.columns if right[q].notna().sum() >= 2 and right[q].dropna().nunique() == 2]
    if len(usable) < 2:
        return IrtEstimate("", "IRT needs at least two questions that some got right and some got wrong.")
    from quizzes.psychometrics.irt import estimate_abilities, fit_irt  # girth: imported only when asked for

    model = "2pl" if int(right[usable].notna().sum().min()) >= MIN_2PL_ANSWERS else "rasch"
    try:
        fit = fit_irt(right[usable], model=model)
        theta = estimate_abilities(right[usable], fit)
    except ValueError as error:
        return IrtEstimate("", f"IRT could not be estimated: {error}")
    if model == "2pl":
        note = (
            "IRT model: 2PL, each question's difficulty (b) and discrimination (a), as every question "
            f"placed has at least {MIN_2PL_ANSWERS} answers."
        )
    else:
        note = (
            "IRT model: Rasch, each question's difficulty only (2PL needs "
            f"{MIN_2PL_ANSWERS} answers to every question)."
        )
    note += " Difficulty and ability are in logits: 0 is average, higher is harder or more able."
    skipped = len(right.columns) - len(usable)
    if skipped:
        note += f" {skipped} question(s) everyone got right or wrong cannot be placed and show no value."
    return IrtEstimate(
        model,
        note,
        {int(q): float(b) for q, b in zip(usable, fit.b, strict=True)},
        {int(q): float(a) for q, a in zip(usable, fit.a, strict=True)} if model == "2pl" else {},
        # an attempt that answered none of the placed questions says nothing about its learner
        {int(a): float(value) for a, value in theta[right[usable].notna().any(axis=1)].items()},
        _right_answers(by_question),
    )


def _answer_label(question: Question, raw: str) -> list[str]:
    """The option text(s) an answer stored as JSON text picks; unreadable answers read as given."""
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return [str(raw)]
    if question.type == "true_false":
        return ["True" if value else "False"]
    picks = value if isinstance(value, list) else [value]
    labels = []
    for pick in picks:
        if isinstance(pick, int) and 0 <= pick < len(question.options):
            labels.append(question.options[pick])
        else:
            labels.append(str(pick))
    return labels


def _key_labels(question: Question) -> set[str]:
    if question.type == "true_false":
        return {"True" if question.answer else "False"}
    keys = question.answer if isinstance(question.answer, list) else [question.answer]
    return {question.options[int(k)] for k in keys if 0 <= int(k) < len(question.options)}


def _all_options(question: Question) -> list[str]:
    return ["True", "False"] if question.type == "true_false" else list(question.options)


def _option_counts(
    quiz_id: int,
    which: Which,
    filters: ReportFilters,
    questions: dict[int, Question],
    position: dict[int, int],
    answers: Counter,
) -> list[OptionCount]:
    """Option counts per question for all learners, then per job role; unchosen options show 0."""
    role_names = dict(db.session.execute(select(JobRole.id, JobRole.name)).all())
    counted: dict[tuple[int, str], dict[str, int]] = {}
    answered: dict[tuple[int, str], int] = {}

    labels: dict[tuple[int, str], list[str]] = {}  # each distinct answer is read once, not once per role

    # plain values read once: an ORM attribute read costs more than the counting it feeds
    choices = {q.id: _all_options(q) for q in questions.values() if q.type in CHOICE_TYPES}
    stems = {q.id: q.stem for q in questions.values()}

    def add(question_id: int, group: str, raw: str, count: int) -> None:
        key = (question_id, group)
        answered[key] = answered.get(key, 0) + count
        tally = counted.get(key)
        if tally is None:
            tally = counted[key] = dict.fromkeys(choices[question_id], 0)
        picked = labels.get((question_id, raw))
        if picked is None:
            picked = labels[(question_id, raw)] = _answer_label(questions[question_id], raw)
        for label in picked:
            tally[label] = tally.get(label, 0) + count

    for (question_id, raw), count in answers.items():
        if question_id in choices:
            add(question_id, ALL_LEARNERS, raw, count)
    for question_id, role_id, raw, count in fetch(choices_by_role_query(quiz_id, which, filters)):
        add(question_id, role_names.get(role_id, NO_ROLE) if role_id is not None else NO_ROLE, raw, count)

    def order(key: tuple[int, str]) -> tuple[int, int, str]:
        return position[key[0]], key[1] != ALL_LEARNERS, key[1]

    keys_of = {question_id: _key_labels(questions[question_id]) for question_id in choices}
    rows = []
    for key in sorted(counted, key=order):
        question_id, group = key
        keys, stem, total = keys_of[question_id], stems[question_id], answered[key]
        where = position[question_id]
        rows.extend(
            OptionCount(question_id, where, stem, group, label, label in keys, count, percent(count, total))
            for label, count in counted[key].items()
        )
    return rows


def _right_answers(by_question: pd.DataFrame) -> dict[int, tuple[int, int]]:
    """Per attempt: questions with full marks, questions answered."""
    marks = by_question.to_numpy()
    right = (np.nan_to_num(marks, nan=0.0) >= 1).sum(axis=1)
    answered = (~np.isnan(marks)).sum(axis=1)
    return {
        int(attempt): (int(r), int(n))
        for attempt, r, n in zip(by_question.index, right, answered, strict=True)
    }


def _top_distractor(
    options: dict[int, list[OptionCount]], question_id: int
) -> tuple[int | None, tuple[str, int] | None]:
    """The key's count and the most chosen wrong option among all learners (single-answer questions)."""
    mine = options.get(question_id, [])
    keys = [o for o in mine if o.is_key]
    wrong = [o for o in mine if not o.is_key]
    if len(keys) != 1 or not wrong:
        return None, None
    top = max(wrong, key=lambda o: o.count)
    return keys[0].count, (top.option, top.count)


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def item_report(
    quiz_id: int, which: Which = "first", irt: bool = False, filters: ReportFilters = NO_FILTERS
) -> ItemReport | None:
    """The item analysis of one quiz, or None when the quiz does not exist. `irt` adds an IRT fit
    (a model fit: seconds on a large pool, so only when asked); `filters` narrow the attempts (its SOP is
    ignored: the quiz has one)."""
    quiz = quiz_label(quiz_id)
    if quiz is None:
        return None
    by_question, slots, learners, answers = _matrices(quiz_id, which, filters)
    if by_question.empty:
        return ItemReport(quiz, which, 0, 0, False, None, [], [], filters=filters)
    ids = [int(q) for q in by_question.columns]
    questions = {
        q.id: q
        for q in db.session.scalars(select(Question).where(Question.id.in_(ids)).order_by(Question.position))
    }
    steps = {
        step_id: (number, text)
        for step_id, number, text in db.session.execute(
            select(SopStep.id, SopStep.number, SopStep.text).where(
                SopStep.id.in_([q.step_id for q in questions.values() if q.step_id])
            )
        )
    }
    ordered = sorted(ids, key=lambda q: (questions[q].position, q))
    position = {q: i + 1 for i, q in enumerate(ordered)}
    guess = {  # Moodle's random guess score: 1 / options, for single-answer choice questions
        str(q): 2 if question.type == "true_false" else len(question.options)
        for q, question in questions.items()
        if question.type == "true_false" or (question.type in SINGLE_ANSWER and question.options)
    }
    analysis = _analysis(by_question, slots, guess)
    pooled = bool(by_question.isna().to_numpy().any())
    fitted = estimate_irt(by_question) if irt else None
    options = _option_counts(quiz_id, which, filters, questions, position, answers)
    everyone: dict[int, list[OptionCount]] = {}
    for option in options:
        if option.group == ALL_LEARNERS:
            everyone.setdefault(option.question_id, []).append(option)
    stats = {int(s.item): s for s in analysis.items}
    rows = []
    for q in ordered:
        question, s = questions[q], stats[q]
        key_count, top = (
            _top_distractor(everyone, q) if question.type != "multiple_response" else (None, None)
        )
        rows.append(
            ItemRow(
                question_id=q,
                position=position[q],
                type=question.type,
                stem=question.stem,
                step=steps.get(question.step_id, ("", ""))[0],
                step_text=steps.get(question.step_id, ("", ""))[1],
                attempts=s.s,
                facility=_finite(s.facility),
                sd=_finite(s.sd),
                random_guess=_finite(s.random_guess_score),
                discrimination_index=_finite(s.discrimination_index),
                discriminative_efficiency=_finite(s.discriminative_efficiency),
                irt_difficulty=fitted.difficulty.get(q) if fitted else None,
                irt_discrimination=fitted.discrimination.get(q) if fitted else None,
                reasons=review_reasons(s, key_count, top),
            )
        )
    return ItemReport(
        quiz, which, len(by_question), learners, pooled, analysis.test, rows, options, filters, fitted
    )


def _number(value: float | None, digits: int = 1) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def item_table(report: ItemReport) -> list[dict[str, str]]:
    """The rows of the item data table and its CSV, formatted once so both show the same text."""
    return [
        {
            "position": str(row.position),
            "question_id": str(row.question_id),
            "type": row.type.replace("_", " "),
            "step": row.step,
            "stem": row.stem,
            "attempts": str(row.attempts),
            "facility_percent": _number(row.facility),
            "sd_percent": _number(row.sd),
            "random_guess_percent": _number(row.random_guess),
            "discrimination_index_percent": _number(row.discrimination_index),
            "discriminative_efficiency_percent": _number(row.discriminative_efficiency),
            "irt_difficulty": _number(row.irt_difficulty, 2),
            "irt_discrimination": _number(row.irt_discrimination, 2),
            "review": " ".join(row.reasons),
        }
        for row in report.rows
    ]


def item_csv(report: ItemReport) -> str:
    return csv_text(ITEM_CSV_COLUMNS, ([r[c] for c in ITEM_CSV_COLUMNS] for r in item_table(report)))


def option_table(report: ItemReport) -> list[dict[str, str]]:
    return [
        {
            "position": str(o.position),
            "question_id": str(o.question_id),
            "stem": o.stem,
            "group": o.group,
            "option": o.option,
            "is_key": "yes" if o.is_key else "no",
            "count": str(o.count),
            "percent": f"{o.percent:.1f}",
        }
        for o in report.options
    ]


def option_csv(report: ItemReport) -> str:
    return csv_text(
        DISTRACTOR_CSV_COLUMNS, ([r[c] for c in DISTRACTOR_CSV_COLUMNS] for r in option_table(report))
    )


ABILITY_CSV_COLUMNS = ("attempt_id", "learner", "email", "submitted_at_utc", "right", "answered", "ability")


def ability_csv(report: ItemReport) -> str:
    """Each analysed attempt's IRT ability with its learner, lowest ability first; an attempt that answered
    no question the fit could place comes last with no ability. Header only without a fit."""
    abilities = report.irt.abilities if report.irt else {}
    if not abilities:
        return csv_text(ABILITY_CSV_COLUMNS, [])
    who = {
        attempt_id: (name, email, submitted)
        for attempt_id, name, email, submitted in db.session.execute(
            select(Attempt.id, User.name, User.email, Attempt.submitted_at)
            .join(User, User.id == Attempt.user_id)
            .where(*attempts_condition(report.quiz.quiz_id, report.which, report.filters))
        )
    }
    right_answers = report.irt.right_answers
    analysed = [attempt for attempt in right_answers if attempt in who]  # `who`: read just now
    ordered = sorted(analysed, key=lambda a: (a not in abilities, abilities.get(a, 0.0), a))
    return csv_text(
        ABILITY_CSV_COLUMNS,
        (
            [
                str(attempt),
                who[attempt][0],
                who[attempt][1],
                who[attempt][2].strftime("%Y-%m-%d %H:%M") if who[attempt][2] else "",
                str(right_answers[attempt][0]),
                str(right_answers[attempt][1]),
                f"{abilities[attempt]:.2f}" if attempt in abilities else "",
            ]
            for attempt in ordered
        ),
    )


def review_thresholds() -> dict[str, float]:
    """The rules behind "questions to review", for the page to state them."""
    return {
        "min_attempts": review.MIN_ATTEMPTS,
        "discrimination": review.NEAR_ZERO_DISCRIMINATION,
        "easy": review.TOO_EASY_FACILITY,
        "hard": review.TOO_HARD_FACILITY,
    }


def parse_which(raw: str | None) -> Which:
    return "all" if raw == "all" else "first"
