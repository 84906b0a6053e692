"""Check and score a learner's responses, and grade an attempt.

    normalise_response(question_type, options, raw) -> value   # or raise ResponseError
    score_response(question_type, options, answer, response, partial=None) -> float in [0, 1]
    grade([(score, weight), ...], pass_mark) -> Grade

Responses come from JSON or HTML forms, so strings are accepted where they are unambiguous ("2", "true",
"12,5", "2,0,1"). Anything else raises ResponseError with a message that says what is wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from quizzes.model import QUESTION_TYPES


class ResponseError(ValueError):
    """A malformed response; the message says what is wrong (and can be shown to the learner)."""


# Partial credit by default (when `partial` is not given): per question type.
PARTIAL_DEFAULT = {"multiple_response": True, "ordering": False, "matching": True}

_INT = re.compile(r"[+-]?\d+")


def _as_index(raw: Any, n: int, what: str = "choice") -> int:
    if isinstance(raw, bool):
        raise ResponseError(f"The {what} must be an option number, not {raw!r}.")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and _INT.fullmatch(raw.strip()):
        raw = int(raw.strip())
    if not isinstance(raw, int):
        raise ResponseError(f"The {what} must be an option number, not {raw!r}.")
    if not 0 <= raw < n:
        raise ResponseError(f"Option {raw} does not exist: choose a number from 0 to {n - 1}.")
    return raw


def _as_list(raw: Any, what: str) -> list:
    if isinstance(raw, str):
        s = raw.strip()
        if s.startswith("[") and s.endswith("]"):
            s = s[1:-1]
        return [p for p in (x.strip() for x in s.split(",")) if p] if s else []
    if isinstance(raw, (list, tuple)):
        return list(raw)
    raise ResponseError(f"The {what} must be a list of option numbers, not {type(raw).__name__}.")


def _as_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        s = raw.strip().lower()
        if s in ("true", "t", "yes", "1"):
            return True
        if s in ("false", "f", "no", "0"):
            return False
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    raise ResponseError(f"The answer must be true or false, not {raw!r}.")


_NUM = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _as_number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ResponseError(f"The answer must be a number, not {raw!r}.")
    if isinstance(raw, (int, float)):
        value = float(raw)
    elif isinstance(raw, str):
        s = raw.strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
        if not s:
            raise ResponseError("The answer is empty: enter a number.")
        if _THOUSANDS.fullmatch(s):
            s = s.replace(",", "")
        elif s.count(",") == 1 and "." not in s:
            s = s.replace(",", ".")
        if not _NUM.fullmatch(s):
            raise ResponseError(f"{raw!r} is not a number.")
        value = float(s)
    else:
        raise ResponseError(f"The answer must be a number, not {type(raw).__name__}.")
    if not math.isfinite(value):
        raise ResponseError(f"{raw!r} is not a finite number.")
    return value


def _check_type(question_type: str) -> None:
    if question_type not in QUESTION_TYPES:
        expected = ", ".join(QUESTION_TYPES)
        raise ValueError(f"Unknown question type {question_type!r}; expected one of {expected}.")


def normalise_response(question_type: str, options: Sequence[str], raw: Any) -> Any:
    """Validate a learner's raw response and convert it to the canonical form for its question type.

    single_choice / scenario: int index; multiple_response: sorted list of distinct indices; true_false: bool;
    ordering: list of indices (a permutation of all options); numeric: float; matching: list of [left, right].
    """
    _check_type(question_type)
    n = len(options)
    if raw is None:
        raise ResponseError("No answer was given.")
    if question_type in ("single_choice", "scenario"):
        if isinstance(raw, (list, tuple)):
            if len(raw) != 1:
                raise ResponseError("Choose exactly one option.")
            raw = raw[0]
        return _as_index(raw, n)
    if question_type == "multiple_response":
        picks = [_as_index(x, n) for x in _as_list(raw, "answer")]
        if len(set(picks)) != len(picks):
            raise ResponseError("An option was selected more than once.")
        return sorted(picks)
    if question_type == "true_false":
        if isinstance(raw, (list, tuple)) and len(raw) == 1:
            raw = raw[0]
        return _as_bool(raw)
    if question_type == "ordering":
        order = [_as_index(x, n, "position") for x in _as_list(raw, "order")]
        if len(order) != n:
            raise ResponseError(f"Put all {n} items in order ({len(order)} given).")
        if sorted(order) != list(range(n)):
            dup = sorted({x for x in order if order.count(x) > 1})
            raise ResponseError(f"Each item must appear exactly once (repeated: {', '.join(map(str, dup))}).")
        return order
    if question_type == "numeric":
        if isinstance(raw, (list, tuple)) and len(raw) == 1:
            raw = raw[0]
        return _as_number(raw)
    # matching
    if not isinstance(raw, (list, tuple)):
        raise ResponseError("The answer must be a list of [left, right] pairs.")
    pairs = []
    for p in raw:
        if not isinstance(p, (list, tuple)) or len(p) != 2:
            raise ResponseError(f"{p!r} is not a [left, right] pair.")
        left, right = p
        for side in (left, right):
            if isinstance(side, bool) or not isinstance(side, (str, int)):
                raise ResponseError(f"{p!r}: each side of a pair must be a text or an option number.")
        pairs.append([left, right])
    lefts = [_key(p[0]) for p in pairs]
    if len(set(lefts)) != len(lefts):
        raise ResponseError("An item was matched more than once.")
    return pairs


def _key(x: Any) -> Any:
    return x.strip().casefold() if isinstance(x, str) else x


def score_response(
    question_type: str, options: Sequence[str], answer: Any, response: Any, partial: bool | None = None
) -> float:
    """Score a response (raw or already normalised) against the answer key: 0.0 to 1.0.

    partial: multiple_response (default True) earns (correct picks - wrong picks) / keys, floored at 0;
    ordering (default False) earns the fraction of items in the right place; matching (default True) earns
    the fraction of correct pairs. With partial=False only an exactly right response scores 1.
    Raises ResponseError for a malformed response.
    """
    response = normalise_response(question_type, options, response)
    if partial is None:
        partial = PARTIAL_DEFAULT.get(question_type, False)
    if question_type in ("single_choice", "scenario"):
        return 1.0 if response == int(answer) else 0.0
    if question_type == "true_false":
        return 1.0 if response == bool(answer) else 0.0
    if question_type == "numeric":
        if isinstance(answer, dict):
            value, tol = float(answer["value"]), float(answer.get("tolerance") or 0)
        else:
            value, tol = float(answer), 0.0
        return 1.0 if abs(response - value) <= tol + 1e-9 * max(1.0, abs(value)) else 0.0
    if question_type == "multiple_response":
        keys = {int(a) for a in answer}
        picks = set(response)
        if not partial:
            return 1.0 if picks == keys else 0.0
        if not keys:
            return 1.0 if not picks else 0.0
        return max(0.0, (len(picks & keys) - len(picks - keys)) / len(keys))
    if question_type == "ordering":
        key = [int(a) for a in answer]
        if response == key:
            return 1.0
        if not partial or not key:
            return 0.0
        return sum(1 for r, k in zip(response, key, strict=False) if r == k) / len(key)
    # matching
    key_pairs = {(_key(a), _key(b)) for a, b in answer}
    got = {(_key(a), _key(b)) for a, b in response}
    if not partial:
        return 1.0 if got == key_pairs else 0.0
    if not key_pairs:
        return 1.0 if not got else 0.0
    return len(got & key_pairs) / len(key_pairs)


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
