"""Accessibility in a real browser: axe-core (npm, installed by `make test` from package.json) finds no
serious or critical violation on the main pages; the learner pages fit a 375 px phone; lessons can be
marked read with the keyboard alone; the quiz timer counts down and announces "5 minutes left"."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest

from lms.db import db, utcnow
from lms.models import AttemptDeadline
from lms.services import accounts, enrolments, quiz_review, sop_import
from lms.services.dashboard import dashboard
from tests.conftest import DEMO_SOPS, PASSWORD
from tests.e2e.conftest import AXE
from tests.e2e.test_learner_takes_quiz import answer_correctly

pytestmark = pytest.mark.e2e

SOP = "it-oncall-responsibilities.md"
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def people(live_app) -> dict[str, object]:
    """Accounts of every app role and a published, timed, assigned module (names unique to this module)."""
    with live_app.app_context():
        role = accounts.create_job_role("On-call Engineer", "IT Operations")
        trainer = accounts.create_user("a11y.trainer@e2e.example", "Ada Trainer", PASSWORD, "trainer")
        learner = accounts.create_user(
            "a11y.learner@e2e.example", "Ali Learner", PASSWORD, "learner", [role.id]
        )
        accounts.create_user("a11y.admin@e2e.example", "Abe Admin", PASSWORD, "admin")
        accounts.create_user("a11y.qa@e2e.example", "Aya Compliance", PASSWORD, "compliance")
        revision = sop_import.import_sop((DEMO_SOPS / SOP).read_bytes(), SOP, trainer.id)
        module = sop_import.modules_of(revision.id)[0]
        quiz_review.publish(module.id, trainer.id)
        quiz = module.quiz  # a timed quiz, so the timer's markup is checked too
        quiz_review.update_settings(
            module.id, quiz.pass_mark, quiz.questions_per_attempt, quiz.max_attempts, trainer.id, 30
        )
        enrolments.assign_module_to_role(module.id, role.id, 14, trainer.id)
        enrolment_id = dashboard(learner.id).cards[0].enrolment_id
        return {"module_id": module.id, "enrolment_id": enrolment_id, "learner_id": learner.id}


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))
            }));
        }"""
    )


def check(page, path: str, found: dict[str, list[dict]]) -> None:
    violations = axe_violations(page)
    for violation in violations:
        print(f"axe {violation['impact']:>8} {path}: {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            print(f"           {node['target']}: {node['summary']}".replace("\n", " "))
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    if blocking:
        found[path] = blocking


def test_the_axe_harness_does_find_violations(axe_context):
    """Guards the check below against passing because axe silently did not run."""
    page = axe_context.new_page()
    page.set_content("<!doctype html><html lang=en><title>t</title><img src=x.png><input type=text></html>")
    assert {"image-alt", "label"} <= {v["id"] for v in axe_violations(page) if v["impact"] in BLOCKING}


def test_main_pages_have_no_serious_or_critical_axe_violations(axe_context, live_server, live_app, people):
    page = axe_context.new_page()
    page.set_default_timeout(15_000)
    found: dict[str, list[dict]] = {}
    enrolment_id = people["enrolment_id"]

    page.goto(f"{live_server}/login")
    check(page, "/login", found)

    sign_in(page, live_server, "a11y.learner@e2e.example")
    learner_pages = [
        "/my/training",
        f"/my/training/{enrolment_id}",
        f"/my/training/{enrolment_id}/lessons/0",
    ]
    for path in learner_pages:
        assert page.goto(live_server + path).ok, path
        check(page, path, found)
    page.goto(f"{live_server}/my/training/{enrolment_id}")
    page.get_by_role("button", name="Take the quiz").click()
    page.wait_for_url(re.compile(r"/my/attempts/\d+$"))
    check(page, "/my/attempts/<id> (timed)", found)
    attempt_id = int(page.url.rsplit("/", 1)[1])
    answer_correctly(page, live_app, attempt_id)
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_url(re.compile(r"/result$"))
    check(page, "/my/attempts/<id>/result", found)
    page.goto(f"{live_server}/my/training")
    check(page, "/my/training (with the transcript link, after completing)", found)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "a11y.trainer@e2e.example")
    for path in (
        "/sops",
        "/sops/upload",
        f"/modules/{people['module_id']}",
        "/completion",
    ):
        assert page.goto(live_server + path).ok, path
        check(page, path, found)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "a11y.qa@e2e.example")
    for path in (
        "/reports/completion",
        "/reports/not-current",
        "/reports/matrix",
        "/reports/people",
        "/reports/saved",
        "/audit",
        "/audit/verify",
    ):
        assert page.goto(live_server + path).ok, path
        check(page, path, found)
    page.goto(live_server + "/reports/people")
    page.locator(".people-list a").first.click()
    page.wait_for_url(re.compile(r"/reports/people/\d+$"))
    check(page, "/reports/people/<id>", found)
    page.goto(live_server + "/reports/matrix")
    page.locator(".matrix td a").first.click()
    page.wait_for_url(re.compile(r"/reports/people/\d+/sops/\d+$"))
    check(page, "/reports/people/<id>/sops/<id>", found)
    page.goto(live_server + "/reports/not-current")
    page.locator("tbody td a").first.click()
    check(page, "/reports/not-current/<id>", found)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "a11y.admin@e2e.example")
    for path in ("/admin/users", "/admin/users/new", "/admin/job-roles"):
        assert page.goto(live_server + path).ok, path
        check(page, path, found)

    assert found == {}, "serious or critical axe violations:\n" + json.dumps(found, indent=2)


def test_learner_pages_fit_a_phone(browser, live_server, live_app, people):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "a11y.learner@e2e.example")
        enrolment_id = people["enrolment_id"]
        too_wide = {}
        paths = ["/my/training", f"/my/training/{enrolment_id}"] + [
            f"/my/training/{enrolment_id}/lessons/{n}" for n in range(3)
        ]
        for path in paths:
            page.goto(live_server + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                too_wide[path] = width
        assert too_wide == {}
    finally:
        context.close()


def test_a_lesson_is_marked_read_with_the_keyboard(page, live_server, people):
    sign_in(page, live_server, "a11y.learner@e2e.example")
    enrolment_id = people["enrolment_id"]
    page.goto(f"{live_server}/my/training/{enrolment_id}/lessons/1")
    button = page.get_by_role("button", name=re.compile("^Mark as read"))
    for _ in range(60):
        page.keyboard.press("Tab")
        if button.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("the Mark as read button cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/my/training/{enrolment_id}/lessons/2$"))
    page.goto(f"{live_server}/my/training/{enrolment_id}")
    assert re.search(r"\b1 of \d+ lessons read", page.get_by_test_id("lessons-read").inner_text())


def test_quiz_timer_counts_down_and_announces_five_minutes_left(browser, live_server, live_app, people):
    with live_app.app_context():
        learner = accounts.create_user("a11y.timer@e2e.example", "Tim Timer", PASSWORD, "learner")
        role = next(r for r in accounts.job_roles() if r.name == "On-call Engineer")
        accounts.add_to_job_role(learner.id, role.id)
        enrolment_id = dashboard(learner.id).cards[0].enrolment_id
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "a11y.timer@e2e.example")
        page.goto(f"{live_server}/my/training/{enrolment_id}")
        page.get_by_role("button", name="Take the quiz").click()
        page.wait_for_url(re.compile(r"/my/attempts/\d+$"))
        attempt_id = int(page.url.rsplit("/", 1)[1])
        assert "UTC" in page.get_by_test_id("deadline").inner_text()
        with live_app.app_context():
            deadline = db.session.get(AttemptDeadline, attempt_id)
            deadline.deadline_at = utcnow() + timedelta(minutes=5, seconds=3)
            db.session.commit()
        page.reload()
        clock = page.locator("#timer-remaining")
        assert re.fullmatch(r"5:0\d", clock.inner_text())
        live = page.locator("#timer-announce")
        assert live.get_attribute("aria-live") == "polite"
        page.wait_for_function(
            "() => document.getElementById('timer-announce').textContent.includes('5 minutes left')",
            timeout=10_000,
        )
        assert re.fullmatch(r"5:00|4:5\d", clock.inner_text())
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
    finally:
        context.close()


def test_transcript_downloads_from_the_dashboard(browser, live_server, people):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "a11y.learner@e2e.example")
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download my training record (PDF)").click()
        download = download_info.value
        assert re.fullmatch(r"training-record-\d{4}-\d\d-\d\d\.pdf", download.suggested_filename)
        assert Path(download.path()).read_bytes().startswith(b"%PDF-")
    finally:
        context.close()
