"""Quiz generation, scoring and per-attempt randomisation for SOP training (plain Python, no Flask)."""

from quizzes.engine import option_order, select_for_attempt
from quizzes.generate import generate_questions
from quizzes.model import QUESTION_TYPES, Question, Source
from quizzes.scoring import Grade, ResponseError, grade, normalise_response, score_response

__all__ = [
    "QUESTION_TYPES",
    "Grade",
    "Question",
    "ResponseError",
    "Source",
    "generate_questions",
    "grade",
    "normalise_response",
    "option_order",
    "score_response",
    "select_for_attempt",
]
