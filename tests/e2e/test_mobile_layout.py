"""On a 375 px phone, no page scrolls sideways."""

from __future__ import annotations

import pytest

from lms.services import accounts
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

PAGES = [
    "/my/training",
    "/sops",
    "/sops/upload",
    "/completion",
    "/reports/completion",
    "/reports/not-current",
    "/reports/matrix",
    "/reports/people",
    "/reports/saved",
    "/audit",
    "/audit/verify",
    "/admin/users",
    "/admin/job-roles",
    "/admin/users/new",
    "/no/such/page",
]


@pytest.fixture(scope="module")
def admin_email(live_app) -> str:
    with live_app.app_context():
        role = accounts.create_job_role(
            "A rather long job role name for a narrow screen", "Quality Assurance"
        )
        for number in range(3):
            accounts.create_user(
                f"someone.with.a.very.long.address.{number}@subsidiary.example-corporation.com",
                f"Person {number}",
                PASSWORD,
                "learner",
                [role.id],
            )
        return accounts.create_user("phone-admin@e2e.example", "Phone Admin", PASSWORD, "admin").email


def test_pages_fit_a_phone_screen(browser, live_server, admin_email) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server}/login")
        page.get_by_label("Email").fill(admin_email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server}/admin/users")
        too_wide = {}
        for path in PAGES:
            page.goto(live_server + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 375:
                too_wide[path] = width
        assert too_wide == {}
    finally:
        context.close()
