"""Main pages load what they render in a fixed number of queries: as many for a learner with 50 trainings as
for one with 5 (issue 12: the dashboard ran 5 + 2N queries, lazy-loading each module's lessons and each
revision's SOP)."""

from __future__ import annotations

import pytest

from lms.services import accounts, enrolments, quiz_review
from tests.conftest import login
from tests.web.helpers import counted_statements, enrol_in_many, upload_sample

MAX_DASHBOARD_QUERIES = 8


@pytest.fixture
def template_module(app, client, make_user) -> int:
    login(client, make_user("trainer"))
    module_id = upload_sample(client, app).id
    client.get("/logout")
    return module_id


@pytest.mark.parametrize("page", ["/my/training", "/sign/signatures"])
def test_a_learner_page_takes_the_same_queries_for_5_and_50_trainings(
    app, client, make_user, template_module, page
) -> None:
    learner = make_user("learner")
    enrol_in_many(app, learner.id, 5, template_module)
    with app.test_client() as other:
        login(other, learner)
        other.get(page)  # warm-up: the first request of a session loads what later ones find cached
        with counted_statements(app) as five:
            assert other.get(page).status_code == 200
        enrol_in_many(app, learner.id, 45, template_module)
        with counted_statements(app) as fifty:
            html = other.get(page).get_data(as_text=True)
    if page == "/my/training":
        assert html.count('class="card"') == 50 and "COPY-" in html
    assert 0 < len(fifty) == len(five) <= MAX_DASHBOARD_QUERIES, "\n".join(fifty)


ORGANISATION_PAGES = [
    ("trainer", "/sops"),
    ("trainer", "/completion"),
    ("trainer", "/analytics/quizzes"),
    ("compliance", "/reports/completion"),
    ("compliance", "/reports/not-current"),
    ("compliance", "/reports/matrix"),
    ("compliance", "/audit"),
    ("compliance", "/analytics/"),
    ("compliance", "/analytics/gaps"),
    ("compliance", "/analytics/learners?status=overdue"),
    ("admin", "/admin/users"),
    ("admin", "/admin/job-roles"),
]
MAX_ORGANISATION_PAGE_QUERIES = 20


@pytest.mark.parametrize(("app_role", "page"), ORGANISATION_PAGES)
def test_an_organisation_page_takes_the_same_queries_for_5_and_50_people_and_trainings(
    app, client, make_user, template_module, app_role, page
) -> None:
    """Trainer, compliance, analytics and admin pages: as many queries with 50 learners (each trained on the
    role's SOP, one of them on 50 SOPs) as with 5."""
    with app.app_context():
        role_id = accounts.create_job_role("Scaled operators", "Plant").id
        quiz_review.publish(template_module, None)
        enrolments.assign_module_to_role(template_module, role_id, 14, None)
    first = make_user("learner", [role_id])

    def grow(count: int) -> None:
        for _ in range(count - (1 if count == 5 else 0)):
            make_user("learner", [role_id])
        enrol_in_many(app, first.id, count, template_module)

    grow(5)
    with app.test_client() as viewer:
        login(viewer, make_user(app_role))
        assert viewer.get(page).status_code == 200  # warm-up
        with counted_statements(app) as five:
            assert viewer.get(page).status_code == 200
        grow(45)
        with counted_statements(app) as fifty:
            assert viewer.get(page).status_code == 200
    if page == "/audit":  # one query per kind of entity the page's events name: as many kinds, not events
        assert 0 < len(five) <= MAX_ORGANISATION_PAGE_QUERIES, "\n".join(five)
        assert 0 < len(fifty) <= MAX_ORGANISATION_PAGE_QUERIES, "\n".join(fifty)
    else:
        assert 0 < len(fifty) == len(five) <= MAX_ORGANISATION_PAGE_QUERIES, "\n".join(fifty)
