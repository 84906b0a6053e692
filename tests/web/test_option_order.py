"""Each attempt shows options in its own order; answers are scored by what the learner chose, not where."""

from __future__ import annotations

import html
import re

from lms.db import db
from lms.models import Attempt, Question
from lms.services import accounts
from tests.conftest import login, post
from tests.web.helpers import answers_form, attempt_questions, enrolment_of, start_attempt, upload_sample


def shown_choices(page: str, question_id: int) -> dict[str, str]:
    """Option text -> the value the page sends for it, read off the rendered radio buttons."""
    pattern = rf'<input type="radio" name="q-{question_id}" value="(\d+)"\s*>\s*(.*?)</label>'
    return {html.unescape(text.strip()): value for value, text in re.findall(pattern, page, re.S)}


def test_answers_are_matched_by_the_option_chosen_and_orders_change_between_attempts(app, client, make_user):
    with app.app_context():
        role_id = accounts.create_job_role("Operators").id
    learner = make_user("learner", [role_id])
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    post(client, f"/modules/{module.id}/publish")
    post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": 7})
    post(client, "/logout")
    login(client, learner)
    enrolment_id = enrolment_of(app, learner.id, module.id).id

    orders = []
    for attempt_number in (1, 2, 3):
        attempt_id = start_attempt(client, enrolment_id)
        page = client.get(f"/my/attempts/{attempt_id}").get_data(as_text=True)
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            choice = [db.session.get(Question, i) for i in attempt.question_ids]
            choice = [q for q in choice if q.type == "single_choice"]
            keys = {q.id: q.options[q.answer] for q in choice}
        assert choice, "the LOTO quiz has single-choice questions"
        orders.append({qid: list(shown_choices(page, qid)) for qid in keys})
        form = answers_form(
            attempt_questions(app, attempt_id), wrong={q.id for q in attempt_questions(app, attempt_id)}
        )
        for qid, key_text in keys.items():
            form[f"q-{qid}"] = shown_choices(page, qid)[key_text]  # pick the key by its text
        assert post(client, f"/my/attempts/{attempt_id}", form).status_code == 302
        with app.app_context():
            attempt = db.session.get(Attempt, attempt_id)
            scores = {r.question_id: r.score for r in attempt.responses}
        assert all(scores[qid] == 1.0 for qid in keys), (attempt_number, scores)
        assert not attempt.passed  # everything else was answered wrongly, so the learner can retake
    common = set(orders[0]) & set(orders[1]) & set(orders[2])
    assert common, "with no pool limit every attempt shows every approved question"
    assert any(len({tuple(o[qid]) for o in orders}) > 1 for qid in common), "option order never changed"
