"""Building quiz results through the real services, for the analytics tests: publish an SOP's module and
submit attempts that are wrong on exactly the questions a test names."""

from __future__ import annotations

from lms.models import TrainingModule
from lms.services import attempts, enrolments, sop_import
from lms.services.demo import _wrong_answer, right_answer
from tests.conftest import DEMO_SOPS


def take_quiz(user_id: int, module_id: int, wrong_questions: set[int]) -> int:
    """One submitted attempt of the user's enrolment on the module, wrong exactly on `wrong_questions`
    (a wrong single choice is always the option after the key, so misses pile onto one distractor)."""
    enrolment = next(e for e in enrolments.enrolments_for(user_id) if e.module_id == module_id)
    attempt = attempts.start_attempt(user_id, enrolment.id)
    answers = {}
    for q in attempts.questions_of(attempt):
        given = _wrong_answer(q.type, q.options, q.answer) if q.id in wrong_questions else None
        answers[q.id] = attempts.as_displayed(
            attempt, q, given if given is not None else right_answer(q.type, q.answer)
        )
    attempts.submit_attempt(user_id, attempt.id, answers)
    return attempt.id


def publish(name: str) -> TrainingModule:
    """Import a demo SOP; its generated module (not yet published)."""
    revision = sop_import.import_sop((DEMO_SOPS / name).read_bytes(), name, None)
    return sop_import.modules_of(revision.id)[0]
