"""Check and score a learner's responses, and grade an attempt.

    normalise_response(question_type, options, raw) -> value   # or raise ResponseError
    score_response(question_type, options, answer, response, partial=None) -> float in [0, 1]
    grade([(score, weight), ...], pass_mark) -> Grade

What a response looks like and how it earns partial credit is each answer type's own (`quizzes.answers`);
these are the entry points by type name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizzes.answers import ResponseError, answer_type

__all__ = ["Grade", "ResponseError", "grade", "normalise_response", "score_response"]


def normalise_response(question_type: str, options: Sequence[str], raw: Any) -> Any:
    """Validate a learner's raw response and convert it to the canonical form for its question type."""
    return answer_type(question_type).normalise(options, raw)


def score_response(
    question_type: str, options: Sequence[str], answer: Any, response: Any, partial: bool | None = None
) -> float:
    """Score a response (raw or already normalised) against the answer key: 0.0 to 1.0. Partial credit
    as the type's default unless `partial` says otherwise. Raises ResponseError for a malformed response."""
    return answer_type(question_type).mark(options, answer, response, partial)


@dataclass(frozen=True)
class Grade:
    score_percent: float  # 0-100, rounded to 2 decimals
    passed: bool
    earned: float  # sum of score * weight
    possible: float  # sum of weights


def grade(items: Sequence[tuple[float, float]], pass_mark: float) -> Grade:
    """Grade an attempt from (score 0..1, weight) items.

    pass_mark is a percentage (e.g. 80); a value in (0, 1] is read as a fraction (0.8 = 80 %). An attempt
    with nothing to score (no items or zero total weight) does not pass.
    """
    if not 0 <= pass_mark <= 100:
        raise ValueError(f"pass_mark must be a percentage from 0 to 100, not {pass_mark!r}.")
    mark = pass_mark * 100 if 0 < pass_mark <= 1 else float(pass_mark)
    earned = possible = 0.0
    for item in items:
        score, weight = item
        if not 0 <= score <= 1:
            raise ValueError(f"A score must be between 0 and 1, not {score!r}.")
        if weight < 0:
            raise ValueError(f"A weight cannot be negative ({weight!r}).")
        earned += score * weight
        possible += weight
    if possible <= 0:
        return Grade(0.0, False, 0.0, 0.0)
    percent = 100 * earned / possible
    return Grade(round(percent, 2), percent >= mark - 1e-9, round(earned, 6), round(possible, 6))
