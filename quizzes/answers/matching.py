"""Match each item on the left to one of the options: a list of [left, right] pairs, partial credit by
default. The options (right-hand items) are listed alphabetically, so the attempt does not shuffle them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from quizzes.answers.base import AnswerType, FormFields, Values
from quizzes.answers.coerce import ResponseError, option_id


def _key(x: Any) -> Any:
    return x.strip().casefold() if isinstance(x, str) else x


class Matching(AnswerType):
    name = "matching"
    label = "Matching"
    key_hint = "Pairs as: left = right; left = right."
    authored = False
    partial_default = True
    interaction = "matching"

    def normalise(self, options: Sequence[str], raw: Any) -> list[list[Any]]:
        if raw is None:
            raise ResponseError("No answer was given.")
        if not isinstance(raw, (list, tuple)):
            raise ResponseError("The answer must be a list of [left, right] pairs.")
        pairs = []
        for p in raw:
            if not isinstance(p, (list, tuple)) or len(p) != 2:
                raise ResponseError(f"{p!r} is not a [left, right] pair.")
            for side in p:
                if isinstance(side, bool) or not isinstance(side, (str, int)):
                    raise ResponseError(f"{p!r}: each side of a pair must be a text or an option number.")
            pairs.append([p[0], p[1]])
        lefts = [_key(p[0]) for p in pairs]
        if len(set(lefts)) != len(lefts):
            raise ResponseError("An item was matched more than once.")
        return pairs

    def score(self, options: Sequence[str], answer: Any, response: Any, partial: bool) -> float:
        """Partial credit: the share of the key's pairs matched."""
        key_pairs = {(_key(a), _key(b)) for a, b in answer}
        got = {(_key(a), _key(b)) for a, b in response}
        if not partial:
            return 1.0 if got == key_pairs else 0.0
        if not key_pairs:
            return 1.0 if not got else 0.0
        return len(got & key_pairs) / len(key_pairs)

    def drafted_ok(self, options: Sequence[str], answer: Any) -> bool:
        lefts = [str(p[0]).strip().casefold() for p in answer]
        rights = [str(p[1]).strip().casefold() for p in answer]
        return (
            3 <= len(answer) <= 5
            and all(len(p) == 2 and str(p[0]).strip() and str(p[1]).strip() for p in answer)
            and len(set(lefts)) == len(lefts)
            and len(set(rights)) == len(rights)  # one role per task: no second correct pairing
            and set(rights) <= {o.strip().casefold() for o in options}
        )

    def from_form(self, values: Values, name: str, options: Sequence[str], answer: Any) -> Any:
        """One select per left-hand item of the key, in the key's order; unanswered ones are left out."""
        fields = [(left, values(f"{name}-match-{i}")) for i, (left, _) in enumerate(answer)]
        if not any(given for _, given in fields):
            return None
        return [[left, given[0]] for left, given in fields if given and given[0]]

    def form_fields(self, name: str, value: Any, answer: Any) -> FormFields:
        index = {_key(left): i for i, (left, _) in enumerate(answer)}
        return {f"{name}-match-{index[_key(left)]}": right for left, right in value}

    def key_text(self, answer: Any) -> str:
        return "; ".join(f"{left} = {right}" for left, right in answer)

    def parse_key(self, options: Sequence[str], text: str) -> list[list[str]]:
        pairs = [p.split("=", 1) for p in text.split(";") if p.strip()]
        if not pairs or any(len(p) != 2 for p in pairs):
            raise ResponseError("Write the pairs as 'left = right; left = right'.")
        return [[left.strip(), right.strip()] for left, right in pairs]

    def labels(self, options: Sequence[str], value: Any) -> list[str]:
        return [f"{left} = {right}" for left, right in value]

    def response_pattern(self, options: Sequence[str], answer: Any, value: Any) -> str:
        """Sources are the key's left-hand items (l1, l2, ...), targets the options (o1, o2, ...)."""
        lefts = {_key(left): i for i, (left, _) in enumerate(answer)}
        rights = {_key(option): i for i, option in enumerate(options)}

        def target(right: Any) -> str:
            return option_id(right if isinstance(right, int) else rights.get(_key(right), -2))

        return "[,]".join(f"l{lefts.get(_key(left), -1) + 1}[.]{target(right)}" for left, right in value)

    def wrong_response(self, options: Sequence[str], answer: Any) -> list[list[Any]]:
        rights = [right for _, right in answer]
        return [[left, rights[(i + 1) % len(rights)]] for i, (left, _) in enumerate(answer)]
