"""The analytics overview (issue 6, "Dashboards"): completion and overdue by job role, first-attempt score
bands, the first-attempt pass rate per SOP across revisions, drill-down to the learners behind a bar, and a
data table and CSV per figure; all filterable. Each number is checked against a count made in Python from
the rows, independently of the SQL aggregate."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from lms.analytics import drill, gaps, overview
from lms.analytics.filters import ReportFilters
from lms.db import db, utcnow
from lms.models import Assignment, Attempt, Enrolment, User
from lms.services import accounts, enrolments, quiz_review, sop_import
from tests.conftest import PASSWORD
from tests.test_retraining import QUBIT, revision_two
from tests.web.quiz_takers import (
    publish_written,
    raw_sop_revision_totals,
    signed_in,
    table,
    take_quiz,
)

LOTO = "safety-lockout-tagout-osha-typical-minimal-procedure.md"


@pytest.fixture
def organisation(app: Flask) -> dict:
    """LOTO for Operations and Office, Qubit for Operations; Qubit gets a second revision (full retraining).

    LOTO (a trainer-written quiz of 12 single-choice questions) first attempts: ops1 100%, ops2 5 of 12
    wrong (58.3%; then passes on a retake), both (Operations and Office) 100%, off1 7 of 12 wrong (41.7%).
    Qubit 1.0.0 (trainer-written, 12 questions): ops1 and both pass first time, ops2 fails (5 wrong: 58.3%):
    2 of 3.
    Qubit 1.1.0: all three pass. ops3 never starts: overdue on LOTO, not started on Qubit 1.1.0 (the
    retraining brought a new due date; the overdue 1.0.0 enrolment is superseded).
    """
    with app.app_context():
        ops = accounts.create_job_role("Operations", "Plant")
        office = accounts.create_job_role("Office", "Admin")
        loto = publish_written(LOTO)
        quiz_review.publish(loto.id, None)
        enrolments.assign_module_to_role(loto.id, ops.id, 14, None)
        enrolments.assign_module_to_role(loto.id, office.id, 14, None)
        qubit = publish_written(QUBIT, 12)
        quiz_review.publish(qubit.id, None)
        enrolments.assign_module_to_role(qubit.id, ops.id, 14, None)
        people = {
            key: accounts.create_user(f"{key}@example.org", key, PASSWORD, "learner", roles).id
            for key, roles in {
                "ops1": [ops.id],
                "ops2": [ops.id],
                "ops3": [ops.id],
                "both": [ops.id, office.id],
                "off1": [office.id],
            }.items()
        }
        lq = [q.id for q in loto.quiz.questions]
        qq = [q.id for q in qubit.quiz.questions]
        take_quiz(people["ops1"], loto.id, set())
        take_quiz(people["ops2"], loto.id, set(lq[:5]))
        take_quiz(people["ops2"], loto.id, set())
        take_quiz(people["both"], loto.id, set())
        take_quiz(people["off1"], loto.id, set(lq[:7]))
        for key, wrong in (("ops1", set()), ("both", set()), ("ops2", set(qq[:5]))):
            take_quiz(people[key], qubit.id, wrong)
        late = db.session.scalars(select(Enrolment).where(Enrolment.user_id == people["ops3"])).all()
        for enrolment in late:
            enrolment.due_at = utcnow() - timedelta(days=3)
        db.session.commit()

        second = sop_import.import_sop(revision_two(), QUBIT, None)
        new_module = sop_import.modules_of(second.id)[0]
        quiz_review.publish(new_module.id, None, retraining_mode="full")
        for key in ("ops1", "both", "ops2"):
            take_quiz(people[key], new_module.id, set())
        return {
            "ops": ops.id,
            "office": office.id,
            "people": people,
            "loto_sop": loto.revision.sop_id,
            "qubit_sop": qubit.revision.sop_id,
        }


def expected_completion(filters: ReportFilters) -> dict[tuple[str, str], int]:
    """(role, status) counts from Enrolment.display_status, through the roles that require the module."""
    counts: Counter = Counter()
    now = utcnow()
    for enrolment in db.session.scalars(select(Enrolment)):
        status = enrolment.display_status(now)
        if status == "superseded":
            continue
        if filters.sop_id is not None and enrolment.revision.sop_id != filters.sop_id:
            continue
        user = db.session.get(User, enrolment.user_id)
        for role in user.job_roles:
            required = db.session.scalar(
                select(Assignment.id).where(
                    Assignment.job_role_id == role.id, Assignment.module_id == enrolment.module_id
                )
            )
            if required is None or (filters.job_role_id is not None and role.id != filters.job_role_id):
                continue
            counts[(role.name, status)] += 1
    return dict(counts)


def shown_completion(report: overview.Overview) -> dict[tuple[str, str], int]:
    return {(r.job_role, s): n for r in report.completion for s, n in r.counts.items() if n}


@pytest.mark.parametrize("which", ["none", "role", "sop"])
def test_completion_by_role_matches_the_display_status_of_every_enrolment(app, organisation, which) -> None:
    filters = {
        "none": ReportFilters(),
        "role": ReportFilters(job_role_id=organisation["office"]),
        "sop": ReportFilters(sop_id=organisation["qubit_sop"]),
    }[which]
    with app.app_context():
        report = overview.overview(filters)
        assert shown_completion(report) == expected_completion(filters)
        if which == "none":
            ops = next(r for r in report.completion if r.job_role == "Operations")
            assert ops.counts["overdue"] == 1  # ops3 on LOTO; Qubit 1.1.0 came with a new due date
            office = next(r for r in report.completion if r.job_role == "Office")
            assert (
                office.counts["completed"] == 1 and office.total == 2
            )  # `both` counts here and in Operations


def test_first_attempt_scores_fall_in_their_bands(app, organisation) -> None:
    with app.app_context():
        report = overview.overview(ReportFilters())
        bands = {b.label: (b.first_attempts, b.passed) for b in report.scores if b.first_attempts}
        assert bands == {"40-49%": (1, 0), "50-59%": (2, 0), "90-100%": (7, 7)}
        firsts: dict[tuple[int, int], Attempt] = {}
        for attempt in db.session.scalars(select(Attempt).order_by(Attempt.id)):
            firsts.setdefault((attempt.user_id, attempt.quiz_id), attempt)
        by_band = Counter(min(int(a.score_percent // 10), 9) for a in firsts.values())
        assert {b.index: b.first_attempts for b in report.scores if b.first_attempts} == dict(by_band)
        office_only = overview.overview(ReportFilters(job_role_id=organisation["office"]))
        assert {b.label: b.first_attempts for b in office_only.scores if b.first_attempts} == {
            "40-49%": 1,
            "90-100%": 3,  # `both` holds Office too: LOTO, Qubit 1.0.0 and 1.1.0
        }


def test_the_trend_shows_the_pass_rate_rising_with_the_new_revision(app, organisation) -> None:
    with app.app_context():
        report = overview.overview(ReportFilters(sop_id=organisation["qubit_sop"]))
        assert [(t.revision, t.order, t.first_attempts, t.passed, t.pass_rate) for t in report.trend] == [
            ("1.0.0", 1, 3, 2, 66.7),
            ("1.1.0", 2, 3, 3, 100.0),
        ]
        assert report.trend_sops_hidden == 0


def test_a_date_range_with_nothing_in_it_is_empty(app, organisation) -> None:
    with app.app_context():
        later = (utcnow() + timedelta(days=400)).date()
        report = overview.overview(ReportFilters(date_from=later))
        assert report.is_empty and report.trend == [] and report.first_attempts == 0


def test_drill_down_lists_exactly_the_people_behind_a_bar(app, organisation) -> None:
    with app.app_context():
        late = drill.learners_by_status(ReportFilters(job_role_id=organisation["ops"]), "overdue")
        assert [(row.email, row.sop_code) for row in late.items] == [
            ("ops3@example.org", "DOC-APPENDIX-1910-147")
        ]
        low = drill.learners_by_band(ReportFilters(), 4)
        assert [(row.email, row.detail) for row in low.items] == [("off1@example.org", "41.7% · not passed")]
        paged = drill.learners_by_band(ReportFilters(), 9, page=2, per_page=5)
        assert paged.total == 7 and len(paged.items) == 2 and paged.page == 2


def test_a_trend_point_drills_down_to_the_first_attempts_at_that_revision(app, organisation) -> None:
    with app.app_context():
        report = overview.overview(ReportFilters(sop_id=organisation["qubit_sop"]))
        first, second = report.trend
        behind = drill.learners_at_revision(ReportFilters(), first.revision_id)
        assert behind.total == first.first_attempts == 3
        assert behind.items[0].email == "ops2@example.org"  # lowest score first
        assert behind.items[0].detail.endswith("· not passed")
        assert sum(row.detail.endswith("· passed") for row in behind.items) == first.passed
        after = drill.learners_at_revision(
            ReportFilters(job_role_id=organisation["office"]), second.revision_id
        )
        assert [row.email for row in after.items] == ["both@example.org"]  # the Office member who took it
        assert drill.revision_label(second.revision_id).endswith("revision 1.1.0")
        assert drill.revision_label(987654) is None


def test_the_gap_report_sums_each_sop_revision_apart(app, organisation) -> None:
    """Qubit has answers on two revisions: each gets its own row, counted from the raw rows."""
    with app.app_context():
        rows = gaps.gap_report(ReportFilters()).sops
        assert sorted(r.revision for r in rows if r.sop_id == organisation["qubit_sop"]) == ["1.0.0", "1.1.0"]
        assert {(r.sop_code, r.revision): (r.responses, r.misses) for r in rows} == raw_sop_revision_totals()


# --- the pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/analytics/", "/analytics/overview/completion.csv", "/analytics/learners?status=overdue"]
)
def test_learners_are_refused_and_anonymous_users_sent_to_login(client, make_user, path) -> None:
    assert "/login" in client.get(path).headers["Location"]
    signed_in(client, make_user, "learner")
    assert client.get(path).status_code == 403


def test_with_no_data_the_overview_says_so(client, make_user) -> None:
    signed_in(client, make_user, "compliance")
    html = client.get("/analytics/").get_data(as_text=True)
    assert "No training or quiz results match these filters yet" in html
    assert "application/json" not in html


def test_each_table_and_its_csv_show_the_same_numbers(client, make_user, organisation) -> None:
    signed_in(client, make_user)
    args = "?department=Plant"
    html = client.get("/analytics/" + args).get_data(as_text=True)
    for name, table_id in (
        ("completion", "completion-table"),
        ("scores", "scores-table"),
        ("trend", "trend-table"),
    ):
        assert f'id="{name}-data"' in html
        body = client.get(f"/analytics/overview/{name}.csv{args}").get_data(as_text=True)
        assert body.startswith("\ufeff")
        exported = [list(row.values()) for row in csv.DictReader(io.StringIO(body[1:]))]
        assert exported == table(html, table_id), name
    assert table(html, "completion-table") == [["Operations", "Plant", "6", "0", "1", "1", "8", "75.0"]]


def test_a_number_in_the_table_links_to_the_learners_behind_it(client, make_user, organisation) -> None:
    signed_in(client, make_user, "compliance")
    html = client.get("/analytics/").get_data(as_text=True)
    link = re.search(r'<a href="([^"]*status=overdue[^"]*)" aria-label="1 overdue in Operations">', html)
    assert link, "no drill-down link for the overdue Operations cell"
    page = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "1 overdue training" in page
    assert [row[1:3] for row in table(page, "learner-table")] == [
        ["ops3@example.org", "DOC-APPENDIX-1910-147"]
    ]
    trend = re.search(
        r'<a href="([^"]*revision=\d+[^"]*)" aria-label="3 first attempts at [^"]* revision 1.0.0">', html
    )
    assert trend, "no drill-down link for a point of the trend"
    page = client.get(trend.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "3 first attempts at" in page and len(table(page, "learner-table")) == 3
    figure = json.loads(re.search(r'id="trend-data">(.*?)</script>', html, re.S).group(1))
    assert figure["layout"]["meta"]["drill"] is True
    assert trend.group(1).replace("&amp;", "&") in [
        point[0] for t in figure["data"] for point in t["customdata"]
    ]
    assert client.get("/analytics/learners?revision=987654").status_code == 404
    assert client.get("/analytics/learners?band=12").status_code == 404
    assert client.get("/analytics/learners").status_code == 404


def test_unreadable_filters_are_explained_and_ignored(client, make_user, organisation) -> None:
    signed_in(client, make_user)
    html = client.get("/analytics/?role=drop+table&from=yesterday").get_data(as_text=True)
    assert "Ignored the job role filter" in html and "is not a date" in html
    assert 'id="completion-table"' in html


def test_with_one_learner_every_figure_shows_that_learner(app, client, make_user) -> None:
    with app.app_context():
        role = accounts.create_job_role("Solo", "Plant")
        module = publish_written(LOTO)
        quiz_review.publish(module.id, None)
        enrolments.assign_module_to_role(module.id, role.id, 14, None)
        learner = accounts.create_user("solo@example.org", "Solo", PASSWORD, "learner", [role.id])
        take_quiz(learner.id, module.id, set())
    signed_in(client, make_user, "compliance")
    html = client.get("/analytics/").get_data(as_text=True)
    assert table(html, "completion-table") == [["Solo", "Plant", "1", "0", "0", "0", "1", "100.0"]]
    assert [row for row in table(html, "scores-table") if row[1] != "0"] == [["90-100%", "1", "1"]]
    assert table(html, "trend-table") == [["DOC-APPENDIX-1910-147", "1", "1", "1", "1", "100.0"]]
    for name in ("completion", "scores", "trend"):
        assert f'id="{name}-data"' in html
