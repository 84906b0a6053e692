"""Put the options in order: each numbered 1..n, shuffled per attempt, all-or-nothing by default."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizzes.answers.base import AnswerType, FormFields, Values
from quizzes.answers.coerce import ResponseError, as_index, as_list, option_id, option_numbers


class Ordering(AnswerType):
    name = "ordering"
    label = "Put in order"
    key_hint = "The option numbers in the correct order, e.g. 2, 1, 3."
    shuffled = True
    interaction = "sequencing"

    def normalise(self, options: Sequence[str], raw: Any) -> list[int]:
        if raw is None:
            raise ResponseError("No answer was given.")
        n = len(options)
        order = [as_index(x, n, "position") for x in as_list(raw, "order")]
        if len(order) != n:
            raise ResponseError(f"Put all {n} items in order ({len(order)} given).")
        if sorted(order) != list(range(n)):
            dup = sorted({x for x in order if order.count(x) > 1})
            raise ResponseError(f"Each item must appear exactly once (repeated: {', '.join(map(str, dup))}).")
        return order

    def score(self, options: Sequence[str], answer: Any, response: Any, partial: bool) -> float:
        """Partial credit: the share of items in their right place."""
        key = [int(a) for a in answer]
        if response == key:
            return 1.0
        if not partial or not key:
            return 0.0
        return sum(1 for r, k in zip(response, key, strict=False) if r == k) / len(key)

    def drafted_ok(self, options: Sequence[str], answer: Any) -> bool:
        n = len(options)  # already in order would give the key away
        return 3 <= n <= 5 and sorted(answer) == list(range(n)) and answer != list(range(n))

    def from_shown(self, value: Any, order: Sequence[int]) -> Any:
        return [order[i] for i in value]

    def to_shown(self, value: Any, order: Sequence[int]) -> Any:
        position = {stored: shown for shown, stored in enumerate(order)}
        return [position[int(i)] for i in value]

    def from_form(self, values: Values, name: str, options: Sequence[str], answer: Any) -> Any:
        """Each shown option's field holds its position 1..n; the options in the learner's order ('' if
        any is blank, None if the form has none of the fields)."""
        given = {i: values(f"{name}-pos-{i}") for i in range(len(options))}
        if not any(given.values()):  # no position fields: an order sent as one field ("2,0,1"), or nothing
            whole = values(name)
            return whole[0] if whole else None
        if any(not v or not v[0].strip() for v in given.values()):
            return ""
        try:
            numbered = {option: int(v[0]) for option, v in given.items()}
        except ValueError as error:
            raise ResponseError("Positions in an ordering question must be numbers.") from error
        if sorted(numbered.values()) != list(range(1, len(numbered) + 1)):
            raise ResponseError(f"In an ordering question, number the items 1 to {len(numbered)}, each once.")
        return [option for option, _ in sorted(numbered.items(), key=lambda item: item[1])]

    def form_fields(self, name: str, value: Any, answer: Any) -> FormFields:
        return {f"{name}-pos-{option}": str(position) for position, option in enumerate(value, 1)}

    def key_text(self, answer: Any) -> str:
        return ", ".join(str(int(i) + 1) for i in answer)

    def parse_key(self, options: Sequence[str], text: str) -> list[int]:
        return option_numbers(text.strip(), len(options), single_one=False)

    def response_pattern(self, options: Sequence[str], answer: Any, value: Any) -> str:
        return "[,]".join(option_id(int(i)) for i in value)

    def wrong_response(self, options: Sequence[str], answer: Any) -> list[int]:
        return list(reversed(answer))
