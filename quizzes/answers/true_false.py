"""A statement that is true or false: two radio buttons in their natural order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizzes.answers.base import AnswerType, FormFields
from quizzes.answers.coerce import ResponseError, as_bool, single


class TrueFalse(AnswerType):
    name = "true_false"
    label = "True / false"
    key_hint = "true or false."
    has_options = False
    single_pick = True
    interaction = "true-false"

    def normalise(self, options: Sequence[str], raw: Any) -> bool:
        if raw is None:
            raise ResponseError("No answer was given.")
        return as_bool(single(raw))

    def score(self, options: Sequence[str], answer: Any, response: Any, partial: bool) -> float:
        return 1.0 if response == bool(answer) else 0.0

    def drafted_ok(self, options: Sequence[str], answer: Any) -> bool:
        return isinstance(answer, bool)

    def form_fields(self, name: str, value: Any, answer: Any) -> FormFields:
        return {name: "true" if value else "false"}

    def key_text(self, answer: Any) -> str:
        return "true" if answer else "false"

    def parse_key(self, options: Sequence[str], text: str) -> bool:
        if text.strip().lower() not in ("true", "false"):
            raise ResponseError("Type true or false.")
        return text.strip().lower() == "true"

    def choices(self, options: Sequence[str]) -> list[str]:
        return ["True", "False"]

    def labels(self, options: Sequence[str], value: Any) -> list[str]:
        return ["True" if value else "False"]

    def balance_key(self, answer: Any) -> Any:
        return bool(answer)  # as many true as false statements, so "true" is no safe guess

    def response_pattern(self, options: Sequence[str], answer: Any, value: Any) -> str:
        return "true" if value else "false"

    def wrong_response(self, options: Sequence[str], answer: Any) -> bool:
        return not answer
