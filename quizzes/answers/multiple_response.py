"""Several options are right: check boxes, shuffled per attempt, partial credit by default."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizzes.answers.base import AnswerType, FormFields, Values
from quizzes.answers.coerce import ResponseError, as_index, as_list, option_id, option_numbers


class MultipleResponse(AnswerType):
    name = "multiple_response"
    label = "Multiple response"
    key_hint = "The numbers of all correct options, separated by commas."
    shuffled = True
    partial_default = True
    interaction = "choice"

    def normalise(self, options: Sequence[str], raw: Any) -> list[int]:
        if raw is None:
            raise ResponseError("No answer was given.")
        picks = [as_index(x, len(options)) for x in as_list(raw, "answer")]
        if len(set(picks)) != len(picks):
            raise ResponseError("An option was selected more than once.")
        return sorted(picks)

    def score(self, options: Sequence[str], answer: Any, response: Any, partial: bool) -> float:
        """Partial credit: (right picks - wrong picks) / keys, never below 0."""
        keys = {int(a) for a in answer}
        picks = set(response)
        if not partial:
            return 1.0 if picks == keys else 0.0
        if not keys:
            return 1.0 if not picks else 0.0
        return max(0.0, (len(picks & keys) - len(picks - keys)) / len(keys))

    def drafted_ok(self, options: Sequence[str], answer: Any) -> bool:
        n = len(options)
        return (
            3 <= n <= 5
            and bool(answer)
            and len(set(answer)) == len(answer)
            and all(0 <= a < n for a in answer)
            and len(answer) < n
        )

    def from_shown(self, value: Any, order: Sequence[int]) -> Any:
        return sorted(order[i] for i in value)

    def to_shown(self, value: Any, order: Sequence[int]) -> Any:
        position = {stored: shown for shown, stored in enumerate(order)}
        return sorted(position[int(i)] for i in value)

    def from_form(self, values: Values, name: str, options: Sequence[str], answer: Any) -> Any:
        return values(name)

    def form_fields(self, name: str, value: Any, answer: Any) -> FormFields:
        return {name: [str(i) for i in value]}

    def key_text(self, answer: Any) -> str:
        return ", ".join(str(int(i) + 1) for i in answer)

    def parse_key(self, options: Sequence[str], text: str) -> list[int]:
        return option_numbers(text.strip(), len(options), single_one=False)

    def choices(self, options: Sequence[str]) -> list[str]:
        return list(options)

    def key_options(self, answer: Any) -> set[int]:
        return {int(a) for a in answer}

    def key_texts(self, options: Sequence[str], answer: Any) -> list[str]:
        return [options[i] for i in answer if 0 <= i < len(options)]

    def response_pattern(self, options: Sequence[str], answer: Any, value: Any) -> str:
        return "[,]".join(option_id(int(i)) for i in value)

    def wrong_response(self, options: Sequence[str], answer: Any) -> list[int]:
        wrong = [i for i in range(len(options)) if i not in answer]
        return wrong[:1] or [answer[0]]
