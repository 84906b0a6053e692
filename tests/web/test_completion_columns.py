"""The completion report an inspector reads (issue 13): every column (department, SOP title, assigned,
late, attempts, signature) against the enrolments themselves, filters by site and completion date, and
sorting, on the page and in the file alike."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import func, select

from lms.db import db, utcnow
from lms.models import Attempt, Enrolment, JobRole, Signature, SopRevision, User
from lms.services import signatures
from tests.conftest import PASSWORD, login


def _rows(client, query: str = "") -> list[dict[str, str]]:
    body = client.get(f"/reports/completion.csv{query}").get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_every_column_is_what_the_enrolment_says(organisation, client, make_user) -> None:
    retrained = organisation["people"]["retrained"]
    attempt = db.session.scalars(select(Attempt).where(Attempt.user_id == retrained)).first()
    signatures.sign_attempt(retrained, attempt.id, PASSWORD, confirmed=True)
    login(client, make_user("compliance"))
    rows = _rows(client)
    now = utcnow()
    enrolments = db.session.scalars(select(Enrolment)).all()
    assert len(rows) == len(enrolments)  # each once: one job role each
    by_key = {(r["email"], r["revision"], r["assigned_at"]): r for r in rows}
    for e in enrolments:
        person, revision = db.session.get(User, e.user_id), db.session.get(SopRevision, e.revision_id)
        row = by_key[(person.email, revision.label, e.assigned_at.isoformat(timespec="seconds"))]
        submitted = db.session.scalar(
            select(func.count(Attempt.id)).where(
                Attempt.enrolment_id == e.id, Attempt.submitted_at.is_not(None)
            )
        )
        late = (e.completed_at > e.due_at) if e.completed_at else e.due_at < now
        signed = db.session.scalars(
            select(Signature)
            .where(Signature.user_id == e.user_id, Signature.revision_id == e.revision_id)
            .order_by(Signature.id.desc())
        ).first()
        assert row["attempts"] == str(submitted)
        assert row["late"] == ("yes" if late else "no")
        assert row["sop_title"] == revision.title
        assert row["signature_meaning"] == (signed.meaning if signed else "")
        assert row["signed_at"] == (signed.signed_at.isoformat(timespec="seconds") if signed else "")
        roles = {r.name: r.department or "" for r in person.job_roles}
        assert row["department"] == roles.get(row["role"], "")
    assert [r["late"] for r in rows if r["user"] == "Late" and r["revision"] == "1.1.0"] == ["yes"]
    html = client.get("/reports/completion").get_data(as_text=True)
    assert "Department</th>" in html and "Attempts</th>" in html and "Signature</th>" in html
    assert signed_meaning_shown(html, attempt)


def signed_meaning_shown(html: str, attempt: Attempt) -> bool:
    return signatures.attempt_meaning(attempt)[:30] in html.replace("&#39;", "'").replace("&#34;", '"')


def test_site_and_completion_dates_filter_and_columns_sort(organisation, client, make_user) -> None:
    lab = db.session.scalars(select(JobRole).where(JobRole.name == "Lab")).one()
    lab.site = "North"
    db.session.commit()
    login(client, make_user("compliance"))
    north = _rows(client, "?site=North")
    assert north and {r["role"] for r in north} == {"Lab"}
    today = utcnow().date().isoformat()
    done_today = _rows(client, f"?completed_from={today}&completed_to={today}")
    assert sorted(r["user"] for r in done_today) == ["Fresh", "Retrained"]
    assert _rows(client, "?completed_to=2000-01-01") == []
    page = client.get("/reports/completion?sort=due&dir=desc").get_data(as_text=True)
    dues = re.findall(r'<td class="when">([^<]+)</td>\s*<td class="when">([^<]+)</td>', page)
    shown = [due for _assigned, due in dues]
    assert shown == sorted(shown, reverse=True) and len(shown) == len(_rows(client))
    assert 'aria-sort="descending"' in page
    by_person = client.get("/reports/completion?sort=person").get_data(as_text=True)
    names = re.findall(r"<tr>\s*<td>([^<]+)<br>", by_person)
    assert names == sorted(names)
    bogus = client.get("/reports/completion?sort=password_hash").get_data(as_text=True)
    assert "aria-sort" not in bogus  # an unknown sort is the default order
    wrong = client.get("/reports/completion?completed_from=2026-02-01&completed_to=2026-01-01").get_data(
        as_text=True
    )
    assert "“completed from” date is after" in wrong
