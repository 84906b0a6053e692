"""Training records (issue 13): find a person, read their whole record (trainings, attempts, signatures)
and take it as PDF; the SOP training record lists exactly who completed a revision, with the file formats
of every report."""

from __future__ import annotations

import csv
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from lms.db import db
from lms.models import Attempt, AuditEvent, Enrolment, SopRevision, User
from lms.services import signatures
from tests.conftest import PASSWORD, login


def test_find_a_person_and_read_and_take_their_whole_record(organisation, client, make_user) -> None:
    retrained = organisation["people"]["retrained"]
    attempt = db.session.scalars(select(Attempt).where(Attempt.user_id == retrained)).first()
    signatures.sign_attempt(retrained, attempt.id, PASSWORD, confirmed=True)
    login(client, make_user("compliance"))
    listing = client.get("/reports/people?q=RETRAIN").get_data(as_text=True)
    assert f'href="/reports/people/{retrained}"' in listing and "1 person match" in listing
    assert "deactivated" in client.get("/reports/people?q=gone").get_data(as_text=True)
    html = client.get(f"/reports/people/{retrained}").get_data(as_text=True)
    assert "Training record of Retrained" in html and "Lab (QC)" in html
    assert re.search(
        r"<td>1</td><td class=\"when\">[^<]+</td><td class=\"when\">[^<]+</td><td>100%</td><td>passed</td>",
        html,
    )
    assert "content hash <code" in html and signatures.attempt_meaning(attempt)[:20] in html.replace(
        "&#39;", "'"
    )
    response = client.get(f"/reports/people/{retrained}.pdf")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.get_data())).pages).split()
    )
    assert "Organisation: sop-lms" in text and "Quiz attempts" in text and "Printed name" in text
    exported = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).one()
    assert (exported.entity_id, exported.data["filters"]) == ("transcript", {"user": "retrained@example.org"})
    assert client.get("/reports/people/99999").status_code == 404


def test_the_sop_training_record_lists_exactly_who_completed_the_revision(
    organisation, client, make_user
) -> None:
    login(client, make_user("compliance"))
    revision_id = organisation["revision_id"]
    completed = db.session.scalars(
        select(User.name)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.revision_id == revision_id, Enrolment.status == "completed")
        .order_by(User.name)
    ).all()
    html = client.get(f"/reports/revisions/{revision_id}").get_data(as_text=True)
    shown = re.findall(r'<tr><td><a href="/reports/people/\d+">([^<]+)</a>', html)
    assert shown == list(completed) == ["Fresh"]
    first = db.session.scalars(select(SopRevision).where(SopRevision.label == "1.0.0")).one()
    assert f'href="/reports/revisions/{first.id}"' in html  # the other revision, one click away
    older = client.get(f"/reports/revisions/{first.id}").get_data(as_text=True)
    assert re.findall(r'<tr><td><a href="/reports/people/\d+">([^<]+)</a>', older) == ["Retrained"]
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/reports/revisions/{first.id}.csv").get_data().decode("utf-8-sig"))
        )
    )
    assert [(r["person"], r["attempts"], r["score"]) for r in rows] == [("Retrained", "1", "100.0")]
    assert client.get(f"/reports/revisions/{first.id}.xlsx").status_code == 200
    assert client.get(f"/reports/revisions/{first.id}.pdf").mimetype == "application/pdf"
    not_current = client.get(f"/reports/not-current/{organisation['sop_id']}").get_data(as_text=True)
    assert f'href="/reports/revisions/{revision_id}">Who is trained on it' in not_current
