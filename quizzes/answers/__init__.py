"""The answer types, one class each, registered here: the only place that names them.

Code that handles a question asks its type for what differs (`answer_type(question.type).score(...)`)
rather than comparing type names; adding a type is one module here and one template partial
(`lms/templates/lms/learner/answers/<name>.html`).
"""

from __future__ import annotations

from quizzes.answers.base import AnswerType, FormFields, Values
from quizzes.answers.coerce import ResponseError
from quizzes.answers.matching import Matching
from quizzes.answers.multiple_response import MultipleResponse
from quizzes.answers.numeric import Numeric
from quizzes.answers.ordering import Ordering
from quizzes.answers.scenario import Scenario
from quizzes.answers.single_choice import SingleChoice
from quizzes.answers.true_false import TrueFalse

ANSWER_TYPES: dict[str, AnswerType] = {
    t.name: t
    for t in (SingleChoice(), MultipleResponse(), TrueFalse(), Ordering(), Numeric(), Matching(), Scenario())
}


def answer_type(name: str) -> AnswerType:
    """The answer type called `name`; ValueError naming the known ones otherwise."""
    found = ANSWER_TYPES.get(name)
    if found is None:
        raise ValueError(f"Unknown question type {name!r}; expected one of {', '.join(ANSWER_TYPES)}.")
    return found


def authored_types() -> list[AnswerType]:
    """The types a trainer can write a question in, in the order the form offers them."""
    return [t for t in ANSWER_TYPES.values() if t.authored]


def choice_type_names() -> tuple[str, ...]:
    """Types whose answer is a pick among choices: the ones distractor analysis counts options for."""
    return tuple(name for name, t in ANSWER_TYPES.items() if t.choices([]) is not None)


__all__ = [
    "ANSWER_TYPES",
    "AnswerType",
    "FormFields",
    "Matching",
    "MultipleResponse",
    "Numeric",
    "Ordering",
    "ResponseError",
    "Scenario",
    "SingleChoice",
    "TrueFalse",
    "Values",
    "answer_type",
    "authored_types",
    "choice_type_names",
]
