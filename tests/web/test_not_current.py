"""A compliance officer asks "who is not current on SOP X?" (issue 13): from the home page to the list in two
page actions, the file in one more; the download is audited, not cached, formula-safe; others get 403."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from lms.db import db
from lms.models import AuditEvent, Sop, User
from tests.conftest import login


def _links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', html)]


def test_from_home_to_the_list_in_two_actions_and_the_file_in_one_more(
    organisation,
    client,
    make_user,
) -> None:
    login(client, make_user("compliance"))
    home = client.get("/", follow_redirects=True).get_data(as_text=True)
    index_link = next(link for link in _links(home) if link == "/reports/not-current")  # action 1
    index = client.get(index_link).get_data(as_text=True)
    sop_id = organisation["sop_id"]
    assert "LAB-DNA" in index.upper() or "Qubit" in index
    assert re.search(r"<td>6</td>\s*<td>1 \(17%\)</td>", index), index  # needed, current (percent)
    list_link = next(link for link in _links(index) if link == f"/reports/not-current/{sop_id}")  # action 2
    page = client.get(list_link).get_data(as_text=True)
    assert "<strong>5</strong> people are not current" in page
    names = re.findall(r"<tr><td>([^<]+)</td><td>[^<]+@example.org</td>", page)
    assert names == ["Late", "Retrained", "Reader", "Named", "Pending"]
    assert "Trained on an outdated revision" in page and "Lab (QC)" in page
    csv_link = next(link for link in _links(page) if link.endswith(".csv"))  # action 3
    response = client.get(csv_link)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="not-current-')
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [r["person"] for r in rows] == names
    assert [r["status"] for r in rows] == [
        "overdue",
        "outdated_revision",
        "in_progress",
        "not_started",
        "not_started",
    ]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", r["due_at"]) for r in rows)
    assert rows[1]["last_completed_at"] and not rows[0]["last_completed_at"]
    with client.application.app_context():
        export = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).one()
        assert export.entity_id == "not_current" and export.data["format"] == "csv"


def test_the_list_filters_by_status_and_explains_a_status_it_does_not_know(
    organisation,
    client,
    make_user,
) -> None:
    login(client, make_user("compliance"))
    sop_id = organisation["sop_id"]
    page = client.get(f"/reports/not-current/{sop_id}?standing=not_started").get_data(as_text=True)
    assert "<strong>2</strong> people are not current (not started)" in page
    assert f'href="/reports/not-current/{sop_id}.csv?standing=not_started"' in page
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/reports/not-current/{sop_id}.csv?standing=not_started")
                .get_data()
                .decode("utf-8-sig")
            )
        )
    )
    assert [r["person"] for r in rows] == ["Named", "Pending"]
    page = client.get(f"/reports/not-current/{sop_id}?standing=current").get_data(as_text=True)
    assert "is not a status of this list" in page and "<strong>5</strong>" in page
    assert client.get("/reports/not-current/999999").status_code == 404


def test_a_name_that_looks_like_a_formula_is_neutralised_in_the_file(
    organisation,
    client,
    make_user,
) -> None:
    db.session.get(User, organisation["people"]["late"]).name = '=HYPERLINK("http://x")'
    db.session.commit()
    login(client, make_user("compliance"))
    body = client.get(f"/reports/not-current/{organisation['sop_id']}.csv").get_data().decode("utf-8-sig")
    assert next(csv.DictReader(io.StringIO(body)))["person"] == '\'=HYPERLINK("http://x")'


def test_an_sop_search_narrows_the_index(organisation, client, make_user) -> None:
    login(client, make_user("compliance"))
    code = db.session.get(Sop, organisation["sop_id"]).code
    assert code in client.get(f"/reports/not-current?q={code[:6].lower()}").get_data(as_text=True)
    assert "No SOP in force matches" in client.get("/reports/not-current?q=zzzz").get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/reports/not-current", "/reports/not-current/{sop}", "/reports/not-current/{sop}.csv"]
)
def test_a_learner_gets_403_and_nothing_is_recorded(organisation, client, make_user, path) -> None:
    login(client, make_user("learner"))
    assert client.get(path.format(sop=organisation["sop_id"])).status_code == 403
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).all() == []
