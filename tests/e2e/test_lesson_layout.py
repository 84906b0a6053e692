"""A lesson as a new hire sees it on a 390 px phone: the SOP's lists, table and code render as such, no page
scrolls sideways (a wide table or a long command scrolls inside its own box), and axe finds no serious or
critical violation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lms.services import accounts, enrolments, quiz_review, sop_import
from lms.services.dashboard import dashboard
from tests.conftest import PASSWORD
from tests.e2e.test_accessibility import BLOCKING, axe_violations, sign_in

pytestmark = pytest.mark.e2e

COMMAND = (
    "pg_restore --clean --if-exists --no-owner "
    "--dbname=postgresql://restore_user@db.internal.example.org:5432/production_replica "
    "/backups/2026-12-01T02:00:00Z/production.dump"
)
SOP = f"""# Restoring a database from backup

## Procedure
1. Announce the restore in the #ops channel at least 30 minutes before you start.
   - Name the database and the restore point.
   - Link the [restore checklist](https://example.org/checklists/database-restore-with-a-very-long-address).
2. Stop the application servers so that nothing writes during the restore.
3. Restore the snapshot with the command below and wait for at least 10 minutes of replay:

```
{COMMAND}
```

WARNING: Never restore over the production database while the application servers are running.

| Setting | Before the restore | After the restore | Who checks it |
|---------|--------------------|-------------------|---------------|
| Publicly accessible | no | no | Database administrator on call |
| Instance size | db.m6g.2xlarge-with-a-long-name | db.m6g.2xlarge-with-a-long-name | Platform engineer |
"""


@pytest.fixture(scope="module")
def lesson_url(live_app, live_server) -> str:
    with live_app.app_context():
        role = accounts.create_job_role("Database Operator", "IT Operations")
        trainer = accounts.create_user("lesson.trainer@e2e.example", "Lia Trainer", PASSWORD, "trainer")
        learner = accounts.create_user(
            "lesson.learner@e2e.example", "Leo Learner", PASSWORD, "learner", [role.id]
        )
        revision = sop_import.import_sop(SOP.encode(), "database-restore.md", trainer.id)
        module = sop_import.modules_of(revision.id)[0]
        quiz_review.publish(module.id, trainer.id)
        enrolments.assign_module_to_role(module.id, role.id, 14, trainer.id)
        enrolment_id = dashboard(learner.id).cards[0].enrolment_id
        position = next(i for i, lesson in enumerate(module.lessons) if lesson.title == "Procedure")
        return f"{live_server}/my/training/{enrolment_id}/lessons/{position}"


def test_a_lesson_reads_like_the_sop_on_a_phone(browser, live_server, lesson_url, tmp_path_factory):
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)  # axe is injected
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "lesson.learner@e2e.example")
        page.goto(lesson_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator(".sop-body > ol.sop-list > li.step").count() == 3
        assert page.locator("ol.sop-list li.step ul.sop-list li").count() == 2  # nested under step 1
        assert page.locator(".sop-body table th").count() == 4
        assert page.locator(".sop-body pre code").count() == 1
        assert page.locator("p.warning[role=note]").count() == 1
        assert page.get_by_role("link", name="restore checklist").get_attribute("rel") == (
            "noopener noreferrer nofollow"
        )
        # the step's text is on the page once: the list is the lesson, not a copy under a paragraph
        assert page.content().count("Stop the application servers") == 1
        page.screenshot(path=str(tmp_path_factory.mktemp("lesson") / "lesson-390.png"), full_page=True)
        if shots := os.environ.get("LMS_SCREENSHOTS"):  # a folder to keep the picture in, to look at
            page.screenshot(path=str(Path(shots) / "lesson-390.png"), full_page=True)
        found = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
        assert found == []
    finally:
        context.close()
