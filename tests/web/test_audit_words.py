"""The audit trail read by a person (issue 13): each event a sentence naming who did what to what, the raw
event one click away, and the chain verified from the page, its result recorded, the first broken link
named and linked when someone has edited a row in the database."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select, text

from lms.db import db
from lms.models import AuditEvent
from lms.services import accounts, audit
from lms.services.transactions import transaction
from tests.conftest import PASSWORD, Person, login, post


def _summaries(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", found) for found in re.findall(r'data-testid="summary">([^<]+)<', html)]


def test_each_event_reads_as_who_did_what_to_what(organisation, client, make_user) -> None:
    login(client, make_user("compliance"))
    html = client.get("/audit?q=attempt").get_data(as_text=True)
    said = " | ".join(_summaries(html)).replace("&#39;", "'")
    assert re.search(r"Retrained passed their attempt on \S+ revision 1\.0\.0 with 100%", said), said
    assert "Fresh passed their attempt on" in said and "revision 1.1.0" in said
    published = " | ".join(_summaries(client.get("/audit?action=module.publish").get_data(as_text=True)))
    assert re.search(r"published module “[^”]+” \(\S+ revision 1\.0\.0\) with \d+ questions", published)
    raw = client.get("/audit?action=attempt.submit").get_data(as_text=True)
    assert "<summary>Raw event" in raw and "&#34;score_percent&#34;: 100.0" in raw


def test_an_event_page_shows_the_words_the_raw_data_and_the_hashes(organisation, client, make_user) -> None:
    login(client, make_user("compliance"))
    latest = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    html = client.get(f"/audit/events/{latest.id}").get_data(as_text=True)
    assert latest.hash in html and latest.prev_hash in html
    assert 'data-testid="summary">' in html and "<h2>Raw data</h2>" in html
    assert client.get("/audit/events/999999").status_code == 404


def test_verifying_an_intact_chain_says_so_and_is_recorded(organisation, client, make_user) -> None:
    officer = make_user("compliance")
    login(client, officer)
    before = db.session.scalar(select(db.func.count(AuditEvent.id)))
    assert "Verify the chain now" in client.get("/audit/verify").get_data(as_text=True)
    html = post(client, "/audit/verify", csrf_path="/audit/verify").get_data(as_text=True)
    assert "The chain is intact." in html and f"{before} events verified" in html
    recorded = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert recorded.action == "audit.verify" and recorded.actor_id == officer.id
    assert recorded.data["ok"] is True and recorded.data["checked"] == before
    assert client.post("/audit/verify").status_code == 400  # no CSRF token: refused, nothing recorded
    assert db.session.scalar(select(db.func.count(AuditEvent.id))) == before + 1


def test_verifying_after_a_row_was_edited_in_sql_names_and_links_that_event(committed_app) -> None:
    with committed_app.app_context():
        user = accounts.create_user("officer@example.org", "Olu Officer", PASSWORD, "compliance")
        for number in range(4):
            with transaction():
                audit.record(
                    "question.review", "question", number, {"old": "draft", "new": "approved"}, user.id
                )
        ids = list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
        with db.engine.begin() as connection:
            connection.execute(
                text("UPDATE lms_audit_event SET entity_id = '99' WHERE id = :id"), {"id": ids[2]}
            )
        person = Person(user.id, user.email, user.name)
    client = committed_app.test_client()
    login(client, person)
    html = post(client, "/audit/verify", csrf_path="/audit/verify").get_data(as_text=True)
    assert "The chain is broken." in html and f"1 of {len(ids)} events fail" in html
    assert f'<a href="/audit/events/{ids[2]}">event {ids[2]}</a>' in html
    assert "edited after it was written" in html
    with committed_app.app_context():
        recorded = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (recorded.action, recorded.data["ok"], recorded.data["first_broken"]) == (
            "audit.verify",
            False,
            ids[2],
        )


@pytest.mark.parametrize("app_role", ["learner", "trainer"])
@pytest.mark.parametrize("path", ["/audit/verify", "/audit/events/1"])
def test_only_compliance_reads_or_verifies_the_trail(client, make_user, app_role, path) -> None:
    login(client, make_user(app_role))
    assert client.get(path).status_code == 403


def test_the_trail_as_xlsx_and_pdf_in_words_with_hashes(organisation, client, make_user) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    login(client, make_user("compliance"))
    sheet = load_workbook(io.BytesIO(client.get("/audit.xlsx?action=attempt.submit").get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    submitted = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "attempt.submit")).all()
    assert rows[0][:2] == ("Event", "When (UTC)") and len(rows) == 1 + len(submitted)
    assert [row[7] for row in rows[1:]] == [e.hash for e in submitted]
    assert all("their attempt" in row[5] for row in rows[1:])
    pdf = client.get("/audit.pdf?action=attempt.submit")
    assert pdf.headers["Cache-Control"] == "no-store"
    assert "Action: attempt.submit" in " ".join(
        PdfReader(io.BytesIO(pdf.get_data())).pages[0].extract_text().split()
    )
