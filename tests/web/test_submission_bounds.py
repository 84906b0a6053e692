"""A quiz submission makes a fixed, small number of round trips whatever the number of answers (issue 12: it
made 19, one INSERT per response, with five flushes and five lazy loads), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.models import Response
from lms.services import accounts, enrolments, quiz_review
from tests.conftest import csrf_token, login
from tests.web.helpers import answers_form, attempt_questions, counted_statements, enrolment_of, start_attempt
from tests.web.quiz_takers import publish_written

SOPS = {
    3: "safety-lockout-tagout-osha-typical-minimal-procedure.md",
    10: "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md",
}
MAX_SUBMIT_STATEMENTS = 16  # the whole POST: session user, attempt, questions, the writes, audit, commit


def _quiz_of(app, trainer_id: int, learner_id: int, count: int) -> int:
    with app.app_context():
        role = accounts.create_job_role(f"Quiz of {count}", "Lab")
        accounts.add_to_job_role(learner_id, role.id)
        module = publish_written(SOPS[count], count)
        quiz_review.publish(module.id, trainer_id)
        enrolments.assign_module_to_role(module.id, role.id, 7, trainer_id)
        return module.id


def _submit_counted(app, client, learner, module_id: int) -> tuple[list[str], int]:
    enrolment = enrolment_of(app, learner.id, module_id)
    attempt_id = start_attempt(client, enrolment.id)
    form = answers_form(attempt_questions(app, attempt_id))
    form["csrf_token"] = csrf_token(client, f"/my/attempts/{attempt_id}")
    with counted_statements(app) as statements:
        response = client.post(f"/my/attempts/{attempt_id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert response.headers["Location"].endswith(f"/my/attempts/{attempt_id}/result")
    with app.app_context():
        stored = db.session.scalar(select(func.count(Response.id)).where(Response.attempt_id == attempt_id))
    return statements, stored


@pytest.mark.parametrize("counts", [(3, 10)])
def test_a_submission_takes_the_same_round_trips_for_3_and_10_answers(app, client, make_user, counts):
    trainer, learner = make_user("trainer"), make_user("learner")
    login(client, learner)
    few, many = (_quiz_of(app, trainer.id, learner.id, n) for n in counts)
    few_statements, few_stored = _submit_counted(app, client, learner, few)
    many_statements, many_stored = _submit_counted(app, client, learner, many)
    assert (few_stored, many_stored) == counts  # every answer was stored
    assert len(many_statements) == len(few_statements), "\n".join(many_statements)
    assert len(many_statements) <= MAX_SUBMIT_STATEMENTS, "\n".join(many_statements)
