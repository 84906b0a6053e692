"""Turn the fields of a submitted quiz form into raw answers, one per question id.

The form names each field after its question (`q-<id>`, plus a suffix some answer types add); each
answer type reads its own fields (`quizzes.answers`) and the service validates the values.
"""

from __future__ import annotations

import re
from typing import Any

from werkzeug.datastructures import MultiDict

from lms.services.attempts import PresentedQuestion
from quizzes.answers import answer_type

_FIELD = re.compile(r"^q-(\d+)(?:-|$)")


def parse_answers(form: MultiDict[str, str], presented: list[PresentedQuestion]) -> dict[int, Any]:
    """Raw answers keyed by question id, including ids of questions not in the attempt, so the service
    can refuse answers to questions outside the attempt rather than silently dropping them. A malformed
    field (two items given the same position) raises ResponseError."""
    answers: dict[int, Any] = {}
    for shown in presented:
        q = shown.question
        answers[q.id] = answer_type(q.type).from_form(form.getlist, f"q-{q.id}", shown.options, q.answer)
    for name in form:
        found = _FIELD.match(name)
        if found and int(found.group(1)) not in answers:
            answers[int(found.group(1))] = form[name]
    return answers
