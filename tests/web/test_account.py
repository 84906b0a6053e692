"""A user's own settings, and job roles with departments and sites."""

from __future__ import annotations

from sqlalchemy import select

from lms.db import db
from lms.models import JobRole, User
from tests.conftest import login, post


def test_user_sets_their_time_zone(app, client, make_user) -> None:
    person = make_user("learner")
    login(client, person)
    assert "Your time zone" in client.get("/account").get_data(as_text=True)
    assert post(client, "/account", {"timezone": "Mars/Olympus_Mons"}).status_code == 400
    assert post(client, "/account", {"timezone": "Europe/Berlin"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, person.id).timezone == "Europe/Berlin"


def test_job_roles_have_a_department_and_a_site(app, client, make_user) -> None:
    login(client, make_user("admin"))
    data = {"name": "Packer", "department": "Operations", "site": "Rotterdam"}
    assert post(client, "/admin/job-roles", data).status_code == 302
    with app.app_context():
        role = db.session.scalar(select(JobRole).where(JobRole.name == "Packer"))
        assert (role.department, role.site) == ("Operations", "Rotterdam")
    assert "Rotterdam" in client.get("/admin/job-roles").get_data(as_text=True)


def test_status_not_started_reads_as_such(app, client, make_user) -> None:
    from lms.services import accounts
    from tests.web.helpers import upload_sample

    with app.app_context():
        role_id = accounts.create_job_role("Ops").id
    learner = make_user("learner", [role_id])
    login(client, make_user("trainer"))
    module = upload_sample(client, app)
    post(client, f"/modules/{module.id}/publish")
    post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": 9})
    post(client, "/logout")
    login(client, learner)
    assert "Not started" in client.get("/my/training").get_data(as_text=True)
