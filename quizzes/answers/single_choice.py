"""One option is right: radio buttons, shuffled per attempt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizzes.answers.base import AnswerType
from quizzes.answers.coerce import ResponseError, as_index, option_id, option_numbers
from sops.values import find_values


class SingleChoice(AnswerType):
    name = "single_choice"
    label = "Single choice"
    key_hint = "The number of the correct option, counting from 1."
    shuffled = True
    single_pick = True
    interaction = "choice"

    def normalise(self, options: Sequence[str], raw: Any) -> int:
        if raw is None:
            raise ResponseError("No answer was given.")
        if isinstance(raw, (list, tuple)):
            if len(raw) != 1:
                raise ResponseError("Choose exactly one option.")
            raw = raw[0]
        return as_index(raw, len(options))

    def score(self, options: Sequence[str], answer: Any, response: Any, partial: bool) -> float:
        return 1.0 if response == int(answer) else 0.0

    def drafted_ok(self, options: Sequence[str], answer: Any) -> bool:
        n = len(options)
        return (
            3 <= n <= 4
            and isinstance(answer, int)
            and not isinstance(answer, bool)
            and 0 <= answer < n
            and sum(1 for o in options if o.strip().casefold() == options[answer].strip().casefold()) == 1
        )

    def from_shown(self, value: Any, order: Sequence[int]) -> Any:
        return order[value]

    def to_shown(self, value: Any, order: Sequence[int]) -> Any:
        return list(order).index(int(value))

    def key_text(self, answer: Any) -> str:
        return str(int(answer) + 1)

    def parse_key(self, options: Sequence[str], text: str) -> int:
        return option_numbers(text.strip(), len(options), single_one=True)[0]

    def choices(self, options: Sequence[str]) -> list[str]:
        return list(options)

    def key_options(self, answer: Any) -> set[int]:
        return {int(answer)}

    def key_texts(self, options: Sequence[str], answer: Any) -> list[str]:
        if isinstance(answer, int) and not isinstance(answer, bool) and 0 <= answer < len(options):
            return [options[answer]]
        return []

    def key_values(self, options: Sequence[str], answer: Any) -> set[tuple[float, str]]:
        return {
            (v.value, v.unit.strip().casefold())
            for text in self.key_texts(options, answer)
            for v in find_values(text)
        }

    def response_pattern(self, options: Sequence[str], answer: Any, value: Any) -> str:
        return option_id(int(value))

    def wrong_response(self, options: Sequence[str], answer: Any) -> int:
        return (int(answer) + 1) % len(options)
