"""A learner, on a phone-sized screen, signs in, reads a lesson, takes the quiz and sees the result."""

from __future__ import annotations

import re

import pytest

from lms.services import accounts, enrolments, quiz_review
from quizzes.answers import answer_type
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
        for field, value in answer_type(q.type).form_fields(f"q-{q.id}", q.answer, q.key).items():
            fill_in(page, field, value)
    return len(questions)


def fill_in(page, field: str, value) -> None:
    """Set a form field as a person would: tick the radio or check boxes with these values, pick the
    option of a select, or type into a text box."""
    element = page.locator(f"[name='{field}']").first
    tag = element.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
    if tag.startswith("select"):
        page.select_option(f"select[name='{field}']", value)
    elif tag in ("input:radio", "input:checkbox"):
        for one in value if isinstance(value, list) else [value]:
            page.check(f"input[name='{field}'][value='{one}']")
    else:
        page.fill(f"[name='{field}']", value)


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
