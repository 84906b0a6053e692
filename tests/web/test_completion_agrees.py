"""The trainer's Completion page, the analytics overview and the completion CSV give the same numbers for the
same role (issue 11: the page used to count superseded revisions, the overview not, and the CSV said
"assigned" where the pages said "not started"), on a generated organisation with a superseded revision and
on the demo organisation."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from flask import Flask
from flask.testing import FlaskClient

from lms.analytics import overview
from lms.analytics.completion import STATUSES, SUPERSEDED
from lms.analytics.filters import ReportFilters
from lms.db import db
from lms.models import Enrolment, SopRevision
from lms.services import demo
from tests.conftest import Person, login
from tests.web.test_analytics_overview import organisation  # noqa: F401 (the generated organisation)

Counts = dict[tuple[str, str], int]


def page_counts(client: FlaskClient) -> Counts:
    """(role, status) -> n as the Completion page's table shows them."""
    html = client.get("/completion").get_data(as_text=True)
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    columns = re.findall(r'<th scope="col">(.*?)</th>', header)
    assert columns[:2] == ["Job role", "Enrolments"] and columns[-1] == "Completion"
    labels = columns[2:-1]
    assert labels == ["Completed", "In progress", "Not started", "Overdue"]  # one vocabulary, every status
    counts: Counts = {}
    for role, cells in re.findall(r'<tr><th scope="row">(.*?)</th>((?:<td>\d+</td>)+)', html):
        numbers = [int(n) for n in re.findall(r"<td>(\d+)</td>", cells)]
        assert numbers[0] == sum(numbers[1:])  # the total is the statuses' sum
        for status, n in zip(STATUSES, numbers[1:], strict=True):
            if n:
                counts[(role, status)] = n
    return counts


def csv_counts(client: FlaskClient) -> tuple[Counts, set[str]]:
    """(role, status) -> n over the CSV's rows of current training that a role requires; and every status
    the CSV writes."""
    text = client.get("/reports/completion.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    counted = Counter((r["role"], r["status"]) for r in rows if r["role"] and r["status"] != SUPERSEDED)
    return dict(counted), {r["status"] for r in rows}


def overview_counts(app: Flask) -> Counts:
    with app.app_context():
        report = overview.overview(ReportFilters())
        return {(r.job_role, s): n for r in report.completion for s, n in r.counts.items() if n}


def assert_agree(app: Flask, client: FlaskClient) -> Counts:
    shown = page_counts(client)
    from_csv, statuses = csv_counts(client)
    assert shown == overview_counts(app) == from_csv
    assert statuses <= {*STATUSES, SUPERSEDED} and "assigned" not in statuses
    return shown


def test_page_overview_and_csv_agree_on_a_generated_organisation(app, client, make_user, organisation):  # noqa: F811
    with app.app_context():
        superseded = (
            db.session.query(Enrolment)
            .join(SopRevision, SopRevision.id == Enrolment.revision_id)
            .filter(SopRevision.status == SUPERSEDED)
            .count()
        )
    assert superseded  # the case the three used to disagree on
    admin = make_user("admin")  # the trainer's page and the compliance report, side by side
    login(client, Person(admin.id, admin.email, admin.name))
    shown = assert_agree(app, client)
    assert sum(shown.values()) > 0


def test_page_overview_and_csv_agree_on_the_demo(app, client):
    with app.app_context():
        demo.seed_demo()
        admin = dict(demo.DEMO_LOGINS)["admin"]
    login(client, Person(0, admin, "Admin"), demo.DEMO_PASSWORD)
    shown = assert_agree(app, client)
    assert {status for _role, status in shown} == set(STATUSES)  # the demo has every status
