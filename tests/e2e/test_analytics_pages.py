"""The analytics pages in a real browser: plotly.js (served by sop-lms, no CDN) draws every figure under the
page's Content-Security-Policy, clicking a bar drills down to the learners behind it, the item analysis
switches between first and all attempts, and axe-core finds no serious or critical violation."""

from __future__ import annotations

import re

import pytest

from lms.services import accounts, enrolments, quiz_review
from tests.conftest import PASSWORD
from tests.e2e.test_accessibility import BLOCKING, axe_violations, sign_in
from tests.web.quiz_takers import publish_written, take_quiz

pytestmark = pytest.mark.e2e

CAPA = "qms-capa-procedure.md"  # no other browser test imports it (the live server is shared)


@pytest.fixture(scope="module")
def results(live_app) -> dict[str, int]:
    """A CAPA quiz for one job role, taken by six learners who miss different questions (names unique to
    this module, since the live server is shared by the session)."""
    with live_app.app_context():
        role = accounts.create_job_role("Charts Operator", "Charts Plant")
        accounts.create_user("charts.qa@e2e.example", "Cleo Compliance", PASSWORD, "compliance")
        accounts.create_user("charts.trainer@e2e.example", "Chris Trainer", PASSWORD, "trainer")
        module = publish_written(CAPA, 5)  # CAPA's steps carry no value or rule: a trainer writes its quiz
        quiz_review.publish(module.id, None)
        enrolments.assign_module_to_role(module.id, role.id, 14, None)
        questions = [q.id for q in module.quiz.questions]
        for n, wrong in enumerate(
            [
                set(),
                {questions[0]},
                {questions[0], questions[2]},
                set(questions[2:7]),
                set(questions[:8]),
                set(),
            ]
        ):
            learner = accounts.create_user(
                f"charts{n}@e2e.example", f"Charts Learner {n}", PASSWORD, "learner", [role.id]
            )
            if n < 5:  # the last one never starts
                take_quiz(learner.id, module.id, wrong)
        return {"quiz": module.quiz.id, "role": role.id}


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "requestfailed",
        lambda request: (
            None  # a download cut short by leaving the page is not a fault
            if request.failure == "net::ERR_ABORTED"
            else problems.append(f"failed: {request.url} ({request.failure})")
        ),
    )
    return problems


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        context.close()


def test_the_overview_draws_its_figures_and_a_bar_drills_down_to_the_learners(desktop, live_server, results):
    page = desktop
    problems = watch_console(page)
    sign_in(page, live_server, "charts.qa@e2e.example")
    page.get_by_role("link", name="Analytics").click()
    page.get_by_role("combobox", name="Job role").select_option(label="Charts Operator")
    page.get_by_role("button", name="Show").click()
    for figure in ("completion-figure", "scores-figure", "trend-figure"):
        page.wait_for_selector(f"#{figure}[data-rendered='true'] svg.main-svg")
    requested = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert all(url.startswith((live_server, "data:")) for url in requested), requested

    # the completion bars: "Not started" is one learner (Charts Learner 5); click that bar segment
    bars = page.locator("#completion-figure .trace.bars").nth(2).locator("path")
    box = bars.first.bounding_box()
    assert box and box["width"] > 0, "no drawn bar for the not-started segment"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"/analytics/learners\?.*status=not_started"))
    assert page.get_by_role("heading", level=1).inner_text() == "1 not started training"
    assert page.locator("#learner-table tbody tr").all_inner_texts()[0].startswith("Charts Learner 5")

    # the trend: its one point is the CAPA revision; clicking it lists the five first attempts
    page.go_back()
    page.wait_for_selector("#trend-figure[data-rendered='true'] .scatterlayer .point")
    page.locator("#trend-figure").scroll_into_view_if_needed()
    point = page.locator("#trend-figure .scatterlayer .point").first.bounding_box()
    assert point, "no trend point drawn"
    page.mouse.click(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    page.wait_for_url(re.compile(r"/analytics/learners\?.*revision=\d+"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("5 first attempts at DOC-CORRECTIVE")
    assert page.locator("#learner-table tbody tr").count() == 5
    assert not problems, "\n".join(problems)


def test_the_item_analysis_and_gaps_pages_render_in_the_browser(desktop, live_server, results):
    page = desktop
    problems = watch_console(page)
    sign_in(page, live_server, "charts.trainer@e2e.example")
    page.goto(f"{live_server}/analytics/quizzes")
    page.get_by_role("link", name="DOC-CORRECTIVE-PREVENTIVE").first.click()
    page.wait_for_selector("#item-scatter[data-rendered='true'] svg.main-svg")
    assert page.locator("#item-scatter .scatterlayer .point").count() >= 5
    assert page.locator("#test-stats div", has_text="Attempts").locator("dd").inner_text() == "5"
    assert page.locator("#review-list > li").count() >= 1
    page.get_by_role("link", name="All attempts").click()
    page.wait_for_url(re.compile(r"attempts=all"))
    assert page.get_by_role("link", name="All attempts").get_attribute("aria-current") == "page"
    page.get_by_role("combobox", name="Job role").select_option(label="Charts Operator")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"attempts=all.*role=\d+"))
    assert page.locator("#test-stats div", has_text="Attempts").locator("dd").inner_text() == "5"
    assert page.get_by_role("link", name="All attempts").get_attribute("aria-current") == "page"
    page.get_by_role("link", name="Comprehension gaps").click()
    page.wait_for_selector("#gap-heatmap[data-rendered='true'] svg.main-svg")
    cell = page.locator("#gap-heatmap .scatterlayer .point").first.bounding_box()
    assert cell, "no heatmap cell drawn"
    page.mouse.click(cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)
    page.wait_for_url(re.compile(r"/analytics/learners\?.*step=\d+"))
    assert "learners who missed step" in page.get_by_role("heading", level=1).inner_text()
    assert not problems, "\n".join(problems)


def test_the_analytics_pages_have_no_serious_or_critical_axe_violations(axe_context, live_server, results):
    page = axe_context.new_page()
    page.set_default_timeout(20_000)
    found = {}
    sign_in(page, live_server, "charts.trainer@e2e.example")
    for path in (
        "/analytics/",
        "/analytics/learners?status=completed",
        "/analytics/gaps",
        "/analytics/quizzes",
        f"/analytics/quizzes/{results['quiz']}",
    ):
        assert page.goto(live_server + path).ok, path
        blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
        if blocking:
            found[path] = blocking
    assert not found, found
