"""Compliance officers search and export the audit trail; nobody else can read it."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest

from lms.services import audit
from lms.services.transactions import transaction
from tests.conftest import login


def add_event(
    app,
    action="question.update",
    entity_type="question",
    entity_id=1,
    data=None,
    actor_id=None,
    reason="",
    when: datetime | None = None,
) -> int:
    with app.app_context():
        with transaction():
            event = audit.record(action, entity_type, entity_id, data or {}, actor_id, reason)
            if when is not None:  # back-dated, and re-hashed so the chain stays valid
                event.occurred_at = when
                event.hash = audit.event_hash(event)
        return event.id


def event_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'<tr id="event-(\d+)"', page)]


def get_csv(client, **args):
    """GET /audit.csv, read the body and close the response (the file behind it), as a WSGI server does."""
    response = client.get("/audit.csv", query_string=args)
    response.get_data()
    response.close()
    return response


def csv_rows(response) -> list[dict[str, str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode()), "UTF-8 byte-order mark for Excel"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


@pytest.fixture
def officer(client, make_user):
    person = make_user("compliance", name="Olu Officer")
    login(client, person)
    return person


def test_officer_sees_who_did_what_newest_first_with_old_and_new_values(
    app, client, officer, make_user
) -> None:
    trainer = make_user("trainer", name="Tamsin Trainer")
    first = add_event(app, "question.review", "question", 7, {"old": "draft", "new": "approved"}, trainer.id)
    second = add_event(
        app,
        "question.update",
        "question",
        7,
        {"old": {"stem": "Old stem", "answer": 1}, "new": {"stem": "New stem", "answer": 1}},
        trainer.id,
        "typo in the stem",
    )
    response = client.get("/audit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    ids = event_ids(page)
    assert ids.index(second) < ids.index(first), "newest first"
    row = page[page.index(f'id="event-{second}"') :]
    row = row[: row.index("</tr>")]
    assert "Tamsin Trainer" in row and "question.update" in row and "question 7" in row
    assert "<del>Old stem</del> → <ins>New stem</ins>" in row
    changes = row[row.index('<ul class="changes">') :]
    assert "answer" not in changes[: changes.index("</ul>")], "unchanged fields are not listed as changes"
    assert "Tamsin Trainer edited question 7" in row  # in words; this question is not in the database
    assert "typo in the stem" in row
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT[^"]+\+00:00">\d{4}-\d\d-\d\d \d\d:\d\d UTC<', row)
    assert "<del>draft</del> → <ins>approved</ins>" in page
    assert 'href="/audit"' in page, "compliance officers have the nav link"


def test_admins_can_read_the_audit_trail(client, make_user) -> None:
    login(client, make_user("admin"))
    assert client.get("/audit").status_code == 200
    assert get_csv(client).status_code == 200


@pytest.mark.parametrize("role", ["learner", "trainer"])
def test_learners_and_trainers_get_403(client, make_user, role) -> None:
    login(client, make_user(role))
    assert client.get("/audit").status_code == 403
    assert client.get("/audit.csv").status_code == 403
    assert 'href="/audit"' not in client.get("/my/training").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client) -> None:
    response = client.get("/audit.csv")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_filters_narrow_the_events(app, client, officer, make_user) -> None:
    amara = make_user("trainer", name="Amara Ökafor")
    other = make_user("trainer", name="Someone Else")
    by_amara = add_event(app, "sop.create", "sop", 3, {"code": "SOP-QA-012", "title": "CAPA"}, amara.id)
    by_other = add_event(app, "question.create", "question", 9, {"stem": "What is 100% right?"}, other.id)
    named = add_event(app, "user.create", "user", 4, {"email": "x@example.org", "name": "Zoë Ünal"}, None)
    old = add_event(app, "sop.create", "sop", 4, {}, amara.id, when=datetime(2024, 3, 1, 12, tzinfo=UTC))

    def found(**args) -> set[int]:
        response = client.get("/audit", query_string=args)
        assert response.status_code == 200
        return set(event_ids(response.get_data(as_text=True))) & {by_amara, by_other, named, old}

    assert found() == {by_amara, by_other, named, old}
    assert found(q="qa-012") == {by_amara}, "text in data, any case"
    assert found(q="100%") == {by_other}, "a LIKE wildcard is taken literally"
    assert found(q="Zoë Ünal") == {named}, "non-ASCII text inside the JSON data"
    assert found(q="question.cr") == {by_other}, "text in the action"
    assert found(actor="AMARA Ök") == {by_amara, old}, "ASCII letters in any case (SQLite folds ASCII only)"
    assert found(actor=other.email) == {by_other}
    assert found(action="sop.create") == {by_amara, old}
    assert found(entity_type="question") == {by_other}
    assert found(entity_type="sop", entity_id="4") == {old}
    assert found(date_from="2024-03-01", date_to="2024-03-01") == {old}, "the 'to' day is included"
    assert found(date_to="2024-02-29") == set()
    assert found(date_from="2024-03-02") == {by_amara, by_other, named}


def test_a_malformed_date_is_refused(client, officer) -> None:
    response = client.get("/audit?date_from=yesterday")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.get_data(as_text=True)
    assert client.get("/audit?date_from=2024-05-02&date_to=2024-05-01").status_code == 400


def test_fifty_events_a_page(app, client, officer) -> None:
    ids = [add_event(app, "load.test", "thing", n, {"n": n}) for n in range(120)]
    first = event_ids(client.get("/audit?action=load.test").get_data(as_text=True))
    assert first == sorted(ids, reverse=True)[:50]
    page = client.get("/audit?action=load.test&page=3").get_data(as_text=True)
    assert event_ids(page) == sorted(ids, reverse=True)[100:]
    assert "Page 3 of 3" in page
    assert 'href="/audit?page=2&amp;action=load.test"' in page or "action=load.test&amp;page=2" in page
    assert event_ids(client.get("/audit?action=load.test&page=99").get_data(as_text=True)) == event_ids(page)


def test_the_csv_holds_exactly_the_filtered_events_formula_safe(app, client, officer, make_user) -> None:
    trainer = make_user("trainer", name='=HYPERLINK("http://evil")')
    wanted = add_event(
        app,
        "question.update",
        "question",
        5,
        {"old": {"stem": "A"}, "new": {"stem": "+B"}},
        trainer.id,
        "@fix",
    )
    add_event(app, "sop.create", "sop", 1, {"code": "X"})
    response = get_csv(client, action="question.update")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert [row["event_id"] for row in rows if row["action"] == "question.update"] == [str(wanted)]
    assert {row["action"] for row in rows} == {"question.update"}
    row = rows[-1]
    assert row["actor"] == '\'=HYPERLINK("http://evil")'
    assert row["reason"] == "'@fix"
    assert row["changes"] == "stem: A -> +B"
    assert row["occurred_at_utc"].endswith("+00:00")
    assert len(row["hash"]) == 64


def test_the_csv_link_carries_the_filters(client, officer) -> None:
    page = client.get("/audit?action=sop.create&q=capa").get_data(as_text=True)
    link = re.search(r'href="(/audit\.csv[^"]*)"', page).group(1)
    assert "action=sop.create" in link and "q=capa" in link
