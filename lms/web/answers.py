"""Turn the fields of a submitted quiz form into raw answers, one per question id.

The form names each field after its question (`q-<id>`, `q-<id>-pos-<option>` for ordering,
`q-<id>-match-<left>` for matching); the quiz engine validates the values.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict


class AnswerFormError(ValueError):
    """The quiz form itself is malformed (e.g. two items given the same position)."""


_FIELD = re.compile(r"^q-(\d+)(?:-(pos|match)-(\d+))?$")


def parse_answers(form: MultiDict[str, str], question_types: dict[int, str]) -> dict[int, Any]:
    """Raw answers keyed by question id, including ids that are not in `question_types`, so the service
    can refuse answers to questions outside the attempt rather than silently dropping them."""
    answers: dict[int, Any] = {}
    positions: dict[int, dict[int, str]] = {}
    matches: dict[int, dict[int, str]] = {}
    for name in form:
        found = _FIELD.match(name)
        if not found:
            continue
        qid, kind, index = int(found.group(1)), found.group(2), found.group(3)
        if kind == "pos":
            positions.setdefault(qid, {})[int(index)] = form[name]
        elif kind == "match":
            matches.setdefault(qid, {})[int(index)] = form[name]
        elif question_types.get(qid) == "multiple_response":
            answers[qid] = form.getlist(name)
        else:
            answers[qid] = form[name]
    for qid, given in positions.items():
        answers[qid] = _order_from_positions(given)
    for qid, given in matches.items():
        answers[qid] = [[int(left), right] for left, right in sorted(given.items()) if right]
    return answers


def _order_from_positions(given: dict[int, str]) -> list[int] | str:
    """Options the learner numbered 1..n, as option indices in the learner's order ('' if any is blank)."""
    if any(not value.strip() for value in given.values()):
        return ""
    try:
        numbered = {option: int(value) for option, value in given.items()}
    except ValueError as error:
        raise AnswerFormError("Positions in an ordering question must be numbers.") from error
    if sorted(numbered.values()) != list(range(1, len(numbered) + 1)):
        raise AnswerFormError(f"In an ordering question, number the items 1 to {len(numbered)}, each once.")
    return [option for option, _ in sorted(numbered.items(), key=lambda item: item[1])]
