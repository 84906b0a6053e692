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
from typing import NamedTuple

import numpy as np
import pandas as pd
from sqlalchemy import select

from lms.analytics import fetch, percent
from lms.analytics.filters import ReportFilters
from lms.analytics.item_irt import IrtEstimate, estimate_irt
from lms.analytics.item_queries import (
    NO_FILTERS,
    Which,
    choices_by_role_query,
    drawn_query,
    marks_query,
)
from lms.analytics.item_quizzes import QuizSummary, quiz_label
from lms.db import db
from lms.models import (
    JobRole,
    Question,
    SopStep,
)
from quizzes.answers import answer_type
from quizzes.psychometrics import (
    ItemAnalysis,
    TestStats,
    item_analysis,
    pooled_item_analysis,
    review,
    review_reasons,
)

WHICH_LABELS = {"first": "First attempts", "all": "All attempts"}
ALL_LEARNERS = "All learners"
NO_ROLE = "No job role"


# --- the list of quizzes with results -------------------------------------------------------------------


# --- the aggregates -------------------------------------------------------------------------------------


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


def _answer_label(question: Question, raw: str) -> list[str]:
    """The option text(s) an answer stored as JSON text picks; unreadable answers read as given."""
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return [str(raw)]
    return answer_type(question.type).labels(question.options, value)


def _key_labels(question: Question) -> set[str]:
    return set(answer_type(question.type).labels(question.options, question.answer))


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
    choices = {
        q.id: shown
        for q in questions.values()
        if (shown := answer_type(q.type).choices(q.options)) is not None
    }
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
        str(q): len(shown)
        for q, question in questions.items()
        if answer_type(question.type).single_pick
        and (shown := answer_type(question.type).choices(question.options))
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
            _top_distractor(everyone, q) if answer_type(question.type).single_pick else (None, None)
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
