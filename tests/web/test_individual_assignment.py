"""Assigning training to people directly: picked, by department, or from a CSV with a preview."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.models import Enrolment, Sop, user_job_roles
from lms.services import accounts
from tests.conftest import login, post
from tests.web.helpers import upload_sample


def count_enrolments(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Enrolment.id)))


def published(client, app):
    module = upload_sample(client, app)
    post(client, f"/modules/{module.id}/publish")
    with app.app_context():
        code = db.session.scalar(select(Sop.code))
    return module, code


def csv_upload(client, text: str, path: str = "/assignments/csv"):
    return post(
        client,
        path,
        {"document": (io.BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data",
    )


def test_assign_to_picked_people_and_a_department(app, client, make_user) -> None:
    with app.app_context():
        plant = accounts.create_job_role("Welder", "Plant").id
    ann, bob = make_user("learner", name="Ann Picked"), make_user("learner", name="Bob Picked")
    welder = make_user("learner", [plant], name="Wendy Welder")
    make_user("learner", name="Not Chosen")
    login(client, make_user("trainer"))
    module, _ = published(client, app)
    due = (utcnow() + timedelta(days=20)).date().isoformat()
    past = (utcnow() - timedelta(days=2)).date().isoformat()
    assert (
        post(client, f"/modules/{module.id}/assign-people", {"people": [ann.id], "due_on": past}).status_code
        == 400
    )
    assert post(client, f"/modules/{module.id}/assign-people", {"due_on": due}).status_code == 400
    assert count_enrolments(app) == 0
    response = post(
        client,
        f"/modules/{module.id}/assign-people",
        {"people": [ann.id, bob.id], "department": "Plant", "due_on": due},
    )
    assert response.status_code == 302
    with app.app_context():
        rows = db.session.scalars(select(Enrolment)).all()
        assert sorted(e.user.name for e in rows) == ["Ann Picked", "Bob Picked", "Wendy Welder"]
        assert {e.kind for e in rows} == {"individual"} and all(
            e.due_at.date().isoformat() == due for e in rows
        )
    again = post(
        client, f"/modules/{module.id}/assign-people", {"people": [ann.id, welder.id], "due_on": due}
    )
    assert again.status_code == 302 and count_enrolments(app) == 3


def test_csv_preview_reports_each_bad_row_and_saves_nothing(app, client, make_user) -> None:
    ann = make_user("learner", name="Ann Csv")
    login(client, make_user("trainer"))
    _, code = published(client, app)
    due = (utcnow() + timedelta(days=10)).date().isoformat()
    text = (
        "email,sop_code,due_date\n"
        f"{ann.email},{code},{due}\n"
        f"nobody@example.org,{code},{due}\n"
        f"{ann.email},NO-SUCH-SOP,{due}\n"
        f"{ann.email},{code},31/12/2026\n"
        f"{ann.email},{code},{due}\n"
    )
    response = csv_upload(client, text)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    for message in (
        "No account for nobody@example.org",
        "No SOP with the code",
        "is not a date",
        "appear on an earlier row",
        "Nothing was saved",
    ):
        assert message in page, message
    assert "Enrol these" not in page
    forced = post(client, "/assignments/csv/confirm", {"content": text})
    assert forced.status_code == 400 and "rejected" in forced.get_data(as_text=True)
    assert count_enrolments(app) == 0
    assert csv_upload(client, "name,when\nx,y\n").status_code == 400


def test_a_valid_csv_is_previewed_then_applied(app, client, make_user) -> None:
    people = [make_user("learner", name=f"Csv Person {n}") for n in range(3)]
    login(client, make_user("trainer"))
    _, code = published(client, app)
    due = (utcnow() + timedelta(days=10)).date().isoformat()
    text = "\ufeffEmail,SOP_Code,Due_Date\n" + "".join(f"{p.email},{code},{due}\n" for p in people)
    preview = csv_upload(client, text)
    assert preview.status_code == 200 and "all valid" in preview.get_data(as_text=True)
    assert count_enrolments(app) == 0, "a preview saves nothing"
    assert post(client, "/assignments/csv/confirm", {"content": text}).status_code == 302
    assert count_enrolments(app) == 3


def test_leaving_a_role_keeps_history_and_stops_new_requirements(app, client, make_user) -> None:
    with app.app_context():
        role_id = accounts.create_job_role("Operators").id
    person = make_user("learner", [role_id], name="Leaving Person")
    login(client, make_user("trainer"))
    module, _ = published(client, app)
    post(client, f"/modules/{module.id}/assign", {"job_role": role_id, "due_days": 7})
    post(client, "/logout")
    login(client, make_user("admin"))
    page = client.get(f"/admin/users/{person.id}/roles/{role_id}/remove").get_data(as_text=True)
    assert "training records are kept" in page or "stay" in page
    assert post(client, f"/admin/users/{person.id}/roles/{role_id}/remove").status_code == 302
    with app.app_context():
        count = select(func.count()).where(user_job_roles.c.user_id == person.id)
        assert db.session.scalar(count) == 0
        assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.user_id == person.id)) == 1
    again = post(client, f"/admin/users/{person.id}/roles/{role_id}/remove", follow_redirects=True)
    assert "not in that role" in again.get_data(as_text=True)
