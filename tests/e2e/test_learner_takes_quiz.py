"""A learner, on a phone-sized screen, signs in, reads a lesson, takes the quiz and sees the result."""

from __future__ import annotations

import re

import pytest

from lms.services import accounts, enrolments, quiz_review
from tests.conftest import PASSWORD
from tests.web.helpers import attempt_questions
from tests.web.quiz_takers import publish_written

pytestmark = pytest.mark.e2e

LOTO = "safety-lockout-tagout-osha-typical-minimal-procedure.md"


@pytest.fixture(scope="module")
def learner_with_assignment(live_app):
    with live_app.app_context():
        role = accounts.create_job_role("Maintenance Technician", "Facilities")
        trainer = accounts.create_user("trainer@e2e.example", "Tara Trainer", PASSWORD, "trainer")
        learner = accounts.create_user("learner@e2e.example", "Liam Learner", PASSWORD, "learner", [role.id])
        module = publish_written(LOTO)  # 12 questions, whatever LOTO's drafted pool holds today
        quiz_review.publish(module.id, trainer.id)
        enrolments.assign_module_to_role(module.id, role.id, 14, trainer.id)
        return learner.email, module.title


def answer_correctly(page, live_app, attempt_id: int) -> int:
    """Fill in the right answers, in the option order this attempt shows."""
    questions = attempt_questions(live_app, attempt_id)
    for q in questions:
        name = f"q-{q.id}"
        if q.type in ("single_choice", "scenario"):
            page.check(f"input[name='{name}'][value='{q.answer}']")
        elif q.type == "true_false":
            page.check(f"input[name='{name}'][value='{'true' if q.answer else 'false'}']")
        elif q.type == "multiple_response":
            for index in q.answer:
                page.check(f"input[name='{name}'][value='{index}']")
        elif q.type == "ordering":
            for position, option in enumerate(q.answer, 1):
                page.select_option(f"select[name='{name}-pos-{option}']", str(position))
        elif q.type == "numeric":
            page.fill(f"input[name='{name}']", f"{q.answer:g}")
        elif q.type == "matching":
            for index, (_, right) in enumerate(q.answer):
                page.select_option(f"select[name='{name}-match-{index}']", right)
    return len(questions)


def test_learner_signs_in_takes_the_quiz_and_sees_the_result(
    page, live_server, live_app, learner_with_assignment
):
    email, title = learner_with_assignment
    page.goto(f"{live_server}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/my/training$"))
    assert page.get_by_role("heading", name="My training").is_visible()

    page.get_by_role("link", name=title).click()
    page.get_by_role("link", name=re.compile("Purpose")).first.click()
    assert page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name=re.compile(re.escape("← "))).first.click()

    page.get_by_role("button", name="Take the quiz").click()
    page.wait_for_url(re.compile(r"/my/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    count = answer_correctly(page, live_app, attempt_id)
    assert count >= 8
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/result$"))
    assert page.get_by_test_id("score").inner_text() == "100%"
    assert page.get_by_test_id("verdict").inner_text() == "Passed"

    page.get_by_role("link", name=re.compile("← ")).click()
    assert page.get_by_role("link", name="Passed").is_visible()
