"""The completion report at a real company's size: the page shows one page of rows in a fixed number of
queries, and the CSV streams (a chunk at a time, the rows fetched in batches) with the same rows in the same
order as the report."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from lms.analytics import completion_report
from lms.csv_export import csv_chunks, csv_text
from lms.db import db, utcnow
from lms.models import Enrolment, User
from lms.services import accounts, enrolments, quiz_review
from tests.conftest import PASSWORD, login
from tests.web.helpers import LOTO, counted_statements
from tests.web.quiz_takers import publish_written


@pytest.fixture
def line(app) -> dict:
    """A role of operators with LOTO assigned; `add(n)` hires n more of them."""
    with app.app_context():
        role_id = accounts.create_job_role("Line operators", "Plant").id
        module = publish_written(LOTO, 3)
        quiz_review.publish(module.id, None)
        enrolments.assign_module_to_role(module.id, role_id, 14, None)
    hired = []

    def add(n: int) -> None:
        with app.app_context():
            for _ in range(n):
                number = len(hired) + 1
                hired.append(
                    accounts.create_user(
                        f"op{number:03}@example.org", f"Operator {number:03}", PASSWORD, "learner", [role_id]
                    ).id
                )

    return {"add": add, "hired": hired}


def test_csv_chunks_are_the_file_in_pieces() -> None:
    rows = [[f"person {i}", "=cmd|' /C calc'!A0" if i == 3 else i] for i in range(7)]
    chunks = list(csv_chunks(["name", "value"], rows, per_chunk=2))
    assert len(chunks) == 5 and chunks[0] == "\ufeffname,value\r\n"  # the header before any row
    assert "".join(chunks) == csv_text(["name", "value"], rows)
    assert "'=cmd" in "".join(chunks)  # still formula-safe


def test_the_csv_streams_the_report_rows(app, client, make_user, line) -> None:
    line["add"](6)
    login(client, make_user("compliance"))
    response = client.get("/reports/completion.csv")
    assert response.status_code == 200 and response.is_streamed
    written = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    with app.app_context():
        rows = list(completion_report.report_rows())
    assert written == rows and len(rows) == 6
    assert [r["user"] for r in rows] == sorted(r["user"] for r in rows)


def test_the_page_shows_a_page_of_the_same_rows(app, client, make_user, line) -> None:
    line["add"](7)
    with app.app_context():
        everything = list(completion_report.report_rows())
        page, roles = completion_report.report_page(page=2, per_page=3)
        last, _ = completion_report.report_page(page=99, per_page=3)  # a stale link: the last page
    assert [completion_report.as_cells(r) for r in page.items] == everything[3:6]
    assert page.total == 7 and page.pages == 3 and roles == 1
    assert last.page == 3 and [completion_report.as_cells(r) for r in last.items] == everything[6:]
    login(client, make_user("compliance"))
    html = client.get("/reports/completion").get_data(as_text=True)
    assert "7 enrolments across 1 job roles" in html and "Operator 007" in html


def test_the_page_takes_as_many_queries_for_many_rows_as_for_few(app, client, make_user, line) -> None:
    login(client, make_user("compliance"))
    line["add"](3)
    client.get("/reports/completion")  # warm: the session's user and the first-request work
    with counted_statements(app) as few:
        assert client.get("/reports/completion").status_code == 200
    line["add"](20)
    with counted_statements(app) as many:
        html = client.get("/reports/completion").get_data(as_text=True)
    assert "23 enrolments" in html
    assert 0 < len(many) == len(few) <= 6, many


def test_the_file_is_the_same_bytes_whoever_writes_it(app, client, make_user, line) -> None:
    """On PostgreSQL the database writes the CSV (COPY), on SQLite Python does: the same bytes either way,
    formula-safe, one line per row, times in ISO 8601 with offset, scores rounded half up to one decimal."""
    line["add"](5)
    names = ['=HYPERLINK("http://x")', "-12.5", 'Line\nbreak, "quoted"', "Zoë Ångström", "-\u0663"]
    scores = [58.25, 41.666666666666664, 100.0, None, None]
    with app.app_context():
        people = db.session.scalars(select(User).where(User.id.in_(line["hired"])).order_by(User.id)).all()
        for person, name, score in zip(people, names, scores, strict=True):
            person.name = name
            enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == person.id))
            enrolment.score_percent = score
            if score is not None:
                enrolment.completed_at = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
        db.session.commit()
    login(client, make_user("compliance"))
    with app.app_context():
        now = utcnow()
        expected = "".join(completion_report._written_chunks(now)).encode("utf-8")
    body = client.get("/reports/completion.csv").get_data()
    rows = {r["user"]: r for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    # "-" and an Arabic-Indic three: not a plain number (ASCII digits only, in Python and in SQL alike)
    assert set(rows) == {
        '\'=HYPERLINK("http://x")',
        "-12.5",
        'Line break, "quoted"',
        "Zoë Ångström",
        "'-\u0663",
    }
    assert [rows[n]["score"] for n in ('\'=HYPERLINK("http://x")', "-12.5", 'Line break, "quoted"')] == [
        "58.3",
        "41.7",
        "100.0",
    ]
    assert rows["Zoë Ångström"]["score"] == "" and rows["Zoë Ångström"]["completed_at"] == ""
    assert rows["-12.5"]["completed_at"] == "2026-03-04T05:06:07+00:00"
    assert body.count(b"\r\n") == 6 and b"\n" not in body.replace(b"\r\n", b"")
    assert _without_status(body) == _without_status(expected)


def _without_status(body: bytes) -> list[list[str]]:
    """The rows but for the status and lateness, which depend on the moment each was computed (`now`)."""
    moving = {completion_report.REPORT_COLUMNS.index(name) for name in ("status", "late")}  # both use `now`
    return [
        [cell for index, cell in enumerate(row) if index not in moving]
        for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))
    ]


def test_the_page_and_the_csv_filter_on_the_server(app, client, make_user, line) -> None:
    line["add"](3)
    with app.app_context():
        other = accounts.create_job_role("Office", "Admin").id
        office = make_user("learner", [other])
        late = db.session.scalar(select(Enrolment).where(Enrolment.user_id == line["hired"][0]))
        late.due_at = utcnow().replace(year=2020)
        db.session.commit()
    login(client, make_user("compliance"))
    overdue = client.get("/reports/completion?status=overdue").get_data(as_text=True)
    assert "1 enrolments across 1 job roles match these filters" in overdue and "Operator 001" in overdue
    assert "Operator 002" not in overdue
    by_role = client.get("/reports/completion?role=" + str(other)).get_data(as_text=True)
    assert "No enrolment matches these filters." in by_role and office.name not in by_role  # nothing assigned
    csv_link = 'href="/reports/completion.csv?status=overdue"'
    assert csv_link in overdue.replace("&amp;", "&")
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/reports/completion.csv?status=overdue").get_data(as_text=True).lstrip("\ufeff")
            )
        )
    )
    assert [(r["user"], r["status"]) for r in rows] == [("Operator 001", "overdue")]
    waiting = client.get("/reports/completion?department=Plant&status=not_started").get_data(as_text=True)
    assert "2 enrolments across 1 job roles match these filters" in waiting
    wrong = client.get("/reports/completion?status=bogus&role=x").get_data(as_text=True)
    assert "Ignored the status filter" in wrong and "Ignored the job role filter" in wrong
    assert "3 enrolments across 1 job roles." in wrong  # nothing filtered: the three operators
