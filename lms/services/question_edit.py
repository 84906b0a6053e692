"""The answer key as a trainer types it in the edit form, and back.

Trainers count options from 1 ("2" is the second option); the stored key uses 0-based indices as
`quizzes.model` defines them.
"""

from __future__ import annotations

import re
from typing import Any

from lms.services.errors import InvalidInput

_NUMERIC = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*(.*?)\s*(?:(?:±|\+/-)\s*(\d+(?:[.,]\d+)?))?\s*$")


def answer_to_text(question_type: str, answer: Any) -> str:
    if question_type in ("single_choice", "scenario"):
        return str(int(answer) + 1)
    if question_type in ("multiple_response", "ordering"):
        return ", ".join(str(int(i) + 1) for i in answer)
    if question_type == "true_false":
        return "true" if answer else "false"
    if question_type == "numeric":
        text = f"{_number(answer['value'])} {answer.get('unit') or ''}".strip()
        tolerance = answer.get("tolerance") or 0
        return f"{text} ± {_number(tolerance)}" if tolerance else text
    if question_type == "matching":
        return "; ".join(f"{left} = {right}" for left, right in answer)
    raise InvalidInput(f"Unknown question type '{question_type}'.")


def answer_from_text(question_type: str, options: list[str], text: str) -> Any:
    """Parse the trainer's answer; the quiz engine then checks it against the options."""
    text = text.strip()
    if question_type in ("single_choice", "scenario"):
        return _option_numbers(text, len(options), single=True)[0]
    if question_type in ("multiple_response", "ordering"):
        return _option_numbers(text, len(options), single=False)
    if question_type == "true_false":
        if text.lower() not in ("true", "false"):
            raise InvalidInput("Type true or false.")
        return text.lower() == "true"
    if question_type == "numeric":
        found = _NUMERIC.match(text)
        if not found:
            raise InvalidInput("Type a number, then optionally a unit and ± tolerance, e.g. '30 min ± 2'.")
        value, unit, tolerance = found.groups()
        return {"value": _float(value), "unit": unit.strip(), "tolerance": _float(tolerance or "0")}
    if question_type == "matching":
        pairs = [p.split("=", 1) for p in text.split(";") if p.strip()]
        if not pairs or any(len(p) != 2 for p in pairs):
            raise InvalidInput("Write the pairs as 'left = right; left = right'.")
        return [[left.strip(), right.strip()] for left, right in pairs]
    raise InvalidInput(f"Unknown question type '{question_type}'.")


def _option_numbers(text: str, count: int, single: bool) -> list[int]:
    parts = [p for p in re.split(r"[,\s]+", text) if p]
    if not parts or not all(p.isdigit() for p in parts) or (single and len(parts) != 1):
        expected = "one option number" if single else "option numbers separated by commas"
        raise InvalidInput(f"Type {expected}, counting from 1 (e.g. {'2' if single else '2, 1, 3'}).")
    numbers = [int(p) for p in parts]
    if any(not 1 <= n <= count for n in numbers):
        raise InvalidInput(f"Option numbers run from 1 to {count}.")
    return [n - 1 for n in numbers]


def _float(text: str) -> float:
    return float(text.replace(",", "."))


def _number(value: float) -> str:
    return f"{value:g}"
