"""The answer key as a trainer types it in the edit form, and back.

Trainers count options from 1 ("2" is the second option); the stored key uses 0-based indices as
`quizzes.model` defines them. Each answer type reads and writes its own key (`quizzes.answers`); this
turns what it refuses into the service layer's InvalidInput.
"""

from __future__ import annotations

from typing import Any

from lms.services.errors import InvalidInput
from quizzes.answers import AnswerType, ResponseError, answer_type


def _type(question_type: str) -> AnswerType:
    try:
        return answer_type(question_type)
    except ValueError as error:
        raise InvalidInput(f"Unknown question type '{question_type}'.") from error


def answer_to_text(question_type: str, answer: Any) -> str:
    return _type(question_type).key_text(answer)


def answer_from_text(question_type: str, options: list[str], text: str) -> Any:
    """Parse the trainer's answer; the quiz review then checks it against the options."""
    try:
        return _type(question_type).parse_key(options, text)
    except ResponseError as error:
        raise InvalidInput(str(error)) from error
