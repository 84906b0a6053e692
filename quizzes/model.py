"""Question model shared by the generator, the quiz engine and the Flask layer.

`answer` depends on `type`, as `sop-lms generate-quiz --json` prints it:
single_choice and scenario: 0-based index of the key; multiple_response: list of indices; true_false: bool;
ordering: the option indices in the right order; numeric: {"value", "unit", "tolerance"};
matching: a list of [left, right] pairs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from quizzes.answers import ANSWER_TYPES

QUESTION_TYPES = tuple(ANSWER_TYPES)  # each one a class in quizzes.answers


@dataclass(frozen=True)
class Source:
    """Where a question comes from: the step it tests and the exact SOP text that supports the key."""

    step_id: str | None
    section_id: str | None
    quote: str


@dataclass
class Question:
    id: str
    type: str
    stem: str
    options: list[str]
    answer: Any
    source: Source
    quality: float = 0.5
    rationale: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
