"""A number to type, keyed as {"value", "unit", "tolerance"}: right when within the tolerance."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from quizzes.answers.base import AnswerType, FormFields
from quizzes.answers.coerce import ResponseError, as_number, single

_TYPED = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(.*?)\s*(?:(?:±|\+/-)\s*(\d+(?:[.,]\d+)?))?\s*$")


def _shown(value: float) -> str:
    return f"{value:g}"


def _key_of(answer: Any) -> tuple[float, float]:
    if isinstance(answer, dict):
        return float(answer["value"]), float(answer.get("tolerance") or 0)
    return float(answer), 0.0


class Numeric(AnswerType):
    name = "numeric"
    label = "Numeric value"
    key_hint = "A number, a unit and an optional tolerance, e.g. 30 min ± 2."
    has_options = False
    interaction = "numeric"

    def normalise(self, options: Sequence[str], raw: Any) -> float:
        if raw is None:
            raise ResponseError("No answer was given.")
        return as_number(single(raw))

    def score(self, options: Sequence[str], answer: Any, response: Any, partial: bool) -> float:
        value, tolerance = _key_of(answer)
        return 1.0 if abs(response - value) <= tolerance + 1e-9 * max(1.0, abs(value)) else 0.0

    def check_key(self, options: Sequence[str], answer: Any) -> dict[str, Any]:
        if not isinstance(answer, dict) or "value" not in answer:
            raise ResponseError("A numeric key is a value with an optional unit and tolerance.")
        value, tolerance = as_number(answer["value"]), as_number(answer.get("tolerance") or 0)
        if tolerance < 0:
            raise ResponseError("The tolerance cannot be negative.")
        return {"value": value, "unit": str(answer.get("unit") or "").strip(), "tolerance": tolerance}

    def drafted_ok(self, options: Sequence[str], answer: Any) -> bool:
        return isinstance(answer, dict) and {"value", "unit", "tolerance"} <= answer.keys()

    def form_fields(self, name: str, value: Any, answer: Any) -> FormFields:
        return {name: _shown(value)}

    def key_text(self, answer: Any) -> str:
        text = f"{_shown(answer['value'])} {answer.get('unit') or ''}".strip()
        tolerance = answer.get("tolerance") or 0
        return f"{text} ± {_shown(tolerance)}" if tolerance else text

    def parse_key(self, options: Sequence[str], text: str) -> dict[str, Any]:
        found = _TYPED.match(text.strip())
        if not found:
            raise ResponseError("Type a number, then optionally a unit and ± tolerance, e.g. '30 min ± 2'.")
        value, unit, tolerance = found.groups()
        return {
            "value": float(value.replace(",", ".")),
            "unit": unit.strip(),
            "tolerance": float((tolerance or "0").replace(",", ".")),
        }

    def labels(self, options: Sequence[str], value: Any) -> list[str]:
        if isinstance(value, dict):
            return [f"{_shown(float(value['value']))} {value.get('unit') or ''}".strip()]
        return [_shown(float(value))] if isinstance(value, (int, float)) else [str(value)]

    def key_texts(self, options: Sequence[str], answer: Any) -> list[str]:
        if isinstance(answer, dict) and answer.get("unit"):
            return self.labels(options, answer)
        return []  # a bare number ("5") is in too many stems to count as given away

    def key_values(self, options: Sequence[str], answer: Any) -> set[tuple[float, str]]:
        if isinstance(answer, dict) and "value" in answer:
            return {(float(answer["value"]), str(answer.get("unit", "")).strip().casefold())}
        return set()

    def response_pattern(self, options: Sequence[str], answer: Any, value: Any) -> str:
        return _shown(float(value))

    def correct_pattern(self, options: Sequence[str], answer: Any) -> str:
        value, tolerance = _key_of(answer)
        return f"{_shown(value - tolerance)}[:]{_shown(value + tolerance)}"

    def right_response(self, answer: Any) -> float:
        return _key_of(answer)[0]

    def wrong_response(self, options: Sequence[str], answer: Any) -> float:
        return _key_of(answer)[0] * 2 + 1
