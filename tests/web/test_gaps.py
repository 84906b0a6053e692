"""Comprehension gaps (issue 6): miss rate per SOP step and job role, aggregated in SQL, on a page with a
plotly heatmap, the SOP text highlighted, a data table and a CSV of exactly the numbers shown."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from lms.analytics import drill, gap_exports, gaps
from lms.analytics.filters import ReportFilters
from lms.db import db
from lms.models import Attempt, JobRole, Question, Response, SopRevision, SopStep, User
from lms.services import accounts, enrolments, quiz_review
from tests.conftest import PASSWORD
from tests.web.quiz_takers import (
    publish,
    publish_written,
    raw_sop_revision_totals,
    signed_in,
    table,
    take_quiz,
)

QUBIT = "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md"
LOTO = "safety-lockout-tagout-osha-typical-minimal-procedure.md"


@pytest.fixture
def organisation(app: Flask) -> dict:
    """Qubit for Lab and Field (Science), LOTO for Office (Admin). Step T of Qubit has two questions
    (one written by hand): lab1 and `both` (Lab + Field) miss the first, field1 misses the second, lab2
    misses none; step U (one question) is missed by lab1 and lab2 only. In LOTO one office worker misses
    one question."""
    with app.app_context():
        lab = accounts.create_job_role("Lab", "Science")
        field = accounts.create_job_role("Field", "Science")
        office = accounts.create_job_role("Office", "Admin")
        module = publish(QUBIT)
        per_step = Counter(q.step_id for q in module.quiz.questions)
        alone = [q for q in module.quiz.questions if q.step_id and per_step[q.step_id] == 1]
        template = next(q for q in alone if q.type == "single_choice")  # the only question on its step
        other = next(q for q in alone if q.step_id != template.step_id)
        manual = quiz_review.add_question(
            module.id,
            "single_choice",
            template.stem + " (asked again)",
            template.options,
            template.answer,
            template.step_id,
            None,
        )
        quiz_review.publish(module.id, None)
        enrolments.assign_module_to_role(module.id, lab.id, 14, None)
        enrolments.assign_module_to_role(module.id, field.id, 14, None)
        loto = publish_written(LOTO)
        quiz_review.publish(loto.id, None)
        enrolments.assign_module_to_role(loto.id, office.id, 14, None)

        people = {
            key: accounts.create_user(f"{key}@example.org", key.title(), PASSWORD, "learner", roles).id
            for key, roles in {
                "lab1": [lab.id],
                "lab2": [lab.id],
                "field1": [field.id],
                "both": [lab.id, field.id],
                "office1": [office.id],
            }.items()
        }
        q1, q2, u = template.id, manual.id, other.id
        attempts_by = {
            "lab1": take_quiz(people["lab1"], module.id, {q1, u}),
            "lab2": take_quiz(people["lab2"], module.id, {u}),
            "field1": take_quiz(people["field1"], module.id, {q2}),
            "both": take_quiz(people["both"], module.id, {q1}),
        }
        loto_question = loto.quiz.questions[0]
        take_quiz(people["office1"], loto.id, {loto_question.id})
        return {
            "sop": module.revision.sop_id,
            "loto_sop": loto.revision.sop_id,
            "revision": module.revision_id,
            "step_t": template.step_id,
            "step_u": other.step_id,
            "lab": lab.id,
            "field": field.id,
            "office": office.id,
            "attempts": attempts_by,
            "people": people,
        }


def expected_cells(filters: ReportFilters) -> dict[tuple[int, str], tuple[int, int]]:
    """The same numbers computed in Python from the raw rows, independently of the SQL aggregate."""
    cells: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = db.session.execute(
        select(Response, Attempt, Question, SopRevision.sop_id)
        .join(Attempt, Attempt.id == Response.attempt_id)
        .join(Question, Question.id == Response.question_id)
        .join(SopStep, SopStep.id == Question.step_id)
        .join(SopRevision, SopRevision.id == SopStep.revision_id)
    ).all()
    for response, attempt, question, sop_id in rows:
        if attempt.submitted_at is None or (filters.sop_id and sop_id != filters.sop_id):
            continue
        day = attempt.submitted_at.date()
        if (filters.date_from and day < filters.date_from) or (filters.date_to and day > filters.date_to):
            continue
        for role in db.session.get(User, attempt.user_id).job_roles:
            if filters.job_role_id and role.id != filters.job_role_id:
                continue
            if filters.department and role.department != filters.department:
                continue
            cell = cells[(question.step_id, role.name)]
            cell[0] += 1
            cell[1] += response.score < 1
    return {key: (n, m) for key, (n, m) in cells.items()}


def report_cells(report: gaps.GapReport) -> dict[tuple[int, str], tuple[int, int]]:
    return {
        (int(c.step_id), c.job_role): (int(c.responses), int(c.misses))
        for c in report.cells.itertuples(index=False)
    }


@pytest.mark.parametrize(
    "filter_kind", ["none", "sop", "role", "department", "dates_in", "dates_out", "everything"]
)
def test_the_sql_aggregate_matches_a_count_from_the_raw_rows(app, organisation, filter_kind) -> None:
    with app.app_context():
        attempt = db.session.get(Attempt, organisation["attempts"]["lab1"])
        attempt.submitted_at = datetime(2024, 1, 10, 23, 59, tzinfo=UTC)
        db.session.commit()
        filters = {
            "none": ReportFilters(),
            "sop": ReportFilters(sop_id=organisation["sop"]),
            "role": ReportFilters(job_role_id=organisation["field"]),
            "department": ReportFilters(department="Science"),
            "dates_in": ReportFilters(
                date_from=datetime(2024, 1, 10).date(), date_to=datetime(2024, 1, 10).date()
            ),
            "dates_out": ReportFilters(date_to=datetime(2024, 1, 9).date()),
            "everything": ReportFilters(
                organisation["sop"], organisation["lab"], "Science", datetime(2024, 1, 1).date(), None
            ),
        }[filter_kind]
        report = gaps.gap_report(filters)
        expected = expected_cells(filters)
        assert report_cells(report) == expected
        assert report.is_empty == (filter_kind == "dates_out")
        if filter_kind == "dates_in":
            assert {role for _, role in expected} == {"Lab"}  # only lab1's backdated attempt


def test_step_totals_count_each_response_once_and_find_the_step_to_rewrite(app, organisation) -> None:
    with app.app_context():
        report = gaps.gap_report(ReportFilters(sop_id=organisation["sop"]))
        steps = report.steps.set_index("step_id")
        t, u = steps.loc[organisation["step_t"]], steps.loc[organisation["step_u"]]
        # step T: 4 learners x 2 questions, 3 misses through 2 questions, by Lab and Field
        assert (t.responses, t.misses, t.questions, t.questions_missed, t.roles_missed) == (8, 3, 2, 2, 2)
        assert t.miss_rate_percent == 37.5 and t.misunderstood and t.to_rewrite
        # step U: one question, missed by two Lab people only: misunderstood, but not a wording problem
        assert (u.responses, u.misses, u.questions_missed, u.roles_missed) == (4, 2, 1, 1)
        assert u.misunderstood and not u.to_rewrite
        assert report.steps_to_rewrite["step_id"].tolist() == [organisation["step_t"]]
        # the Lab cell of step T counts `both` in Lab and in Field
        cells = report_cells(report)
        assert cells[(organisation["step_t"], "Lab")] == (6, 2)
        assert cells[(organisation["step_t"], "Field")] == (4, 2)


def test_the_sop_text_lists_every_step_in_document_order_with_the_gaps_marked(app, organisation) -> None:
    with app.app_context():
        report = gaps.gap_report(ReportFilters(sop_id=organisation["sop"]))
        text = report.sop_text
        revision = db.session.get(SopRevision, organisation["revision"])
        in_order = [s.text for section in revision.sections for s in section.steps]
        assert [s.text for section in text.sections for s in section.steps] == in_order
        step_t = db.session.get(SopStep, organisation["step_t"])
        shown = {s.text: s for section in text.sections for s in section.steps}
        assert shown[step_t.text].misunderstood and shown[step_t.text].to_rewrite
        assert shown[step_t.text].miss_rate_percent == 37.5
        assert text.chosen and text.revision == revision.label


@pytest.mark.parametrize("filter_kind", ["none", "role"])
def test_misses_sum_to_sections_and_sops(app, organisation, filter_kind) -> None:
    with app.app_context():
        filters = ReportFilters(job_role_id=organisation["field"] if filter_kind == "role" else None)
        report = gaps.gap_report(filters)
        field_people = {u.id for u in db.session.get(JobRole, organisation["field"]).members}
        expected = raw_sop_revision_totals(
            (lambda user_id: user_id in field_people) if filter_kind == "role" else (lambda user_id: True)
        )
        assert {(r.sop_code, r.revision): (r.responses, r.misses) for r in report.sops} == expected
        assert gaps.sop_misses(filters) == report.sops
        rates = [r.miss_rate_percent for r in report.sops]
        assert rates == sorted(rates, reverse=True)
        qubit = next(r for r in report.sops if r.sop_id == organisation["sop"])
        assert qubit.steps_misunderstood == (
            2 if filter_kind == "none" else 1
        )  # T and U; Field misses only T

        chosen = gaps.gap_report(ReportFilters(sop_id=organisation["sop"]))
        every_answer = sum(section.responses for section in chosen.sop_text.sections)
        assert every_answer == raw_sop_revision_totals()[(qubit.sop_code, qubit.revision)][0]


def test_the_sop_table_links_to_each_sop_and_its_csv_has_the_same_numbers(
    client, make_user, organisation
) -> None:
    signed_in(client, make_user)
    html = client.get("/analytics/gaps").get_data(as_text=True)
    shown = table(html, "sop-table")
    assert len(shown) == 2 and f'/analytics/gaps?sop={organisation["sop"]}"' in html
    exported = list(
        csv.DictReader(io.StringIO(client.get("/analytics/gaps/sops.csv").get_data(as_text=True)[1:]))
    )
    assert [[r["sop_code"], r["responses"], r["misses"], r["miss_rate_percent"]] for r in exported] == [
        [row[0], row[5], row[6], row[7]] for row in shown
    ]
    page = client.get(f"/analytics/gaps?sop={organisation['sop']}").get_data(as_text=True)
    assert re.search(r"<h3>[^<]*<span class=\"badge\"[^>]*>\d+\.\d% missed \(\d+/\d+\)</span></h3>", page)


@pytest.mark.parametrize(
    "path", ["/analytics/gaps", "/analytics/gaps.csv", "/analytics/gaps/sops.csv", "/analytics/plotly.min.js"]
)
def test_learners_are_refused_and_anonymous_users_sent_to_login(client, make_user, path) -> None:
    assert "/login" in client.get(path).headers["Location"]
    signed_in(client, make_user, "learner")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("app_role", ["trainer", "compliance", "admin"])
def test_trainers_and_compliance_see_the_page_and_the_nav_link(client, make_user, app_role) -> None:
    signed_in(client, make_user, app_role)
    page = client.get("/analytics/gaps")
    assert page.status_code == 200
    assert 'href="/analytics/">Analytics</a>' in page.get_data(as_text=True)


def test_the_learner_nav_has_no_gaps_link(client, make_user) -> None:
    signed_in(client, make_user, "learner")
    assert "/analytics/" not in client.get("/my/training").get_data(as_text=True)


def test_with_no_data_the_page_says_so_and_draws_no_chart(client, make_user) -> None:
    signed_in(client, make_user)
    html = client.get("/analytics/gaps").get_data(as_text=True)
    assert "No quiz answers match these filters yet" in html
    assert "application/json" not in html and "plotly" not in html.lower()
    body = client.get("/analytics/gaps.csv").get_data(as_text=True)
    assert body == "\ufeff" + ",".join(gap_exports.CSV_COLUMNS) + "\r\n"


def figure_of(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="gap-heatmap-data">(.*?)</script>', html, re.S)
    assert found, "no figure data block"
    return json.loads(found.group(1))


def test_with_one_learner_the_heatmap_table_and_csv_show_the_same_numbers(app, client, make_user) -> None:
    with app.app_context():
        role = accounts.create_job_role("Solo", "Science")
        module = publish(QUBIT)
        quiz_review.publish(module.id, None)
        enrolments.assign_module_to_role(module.id, role.id, 14, None)
        learner = accounts.create_user("solo@example.org", "Solo", PASSWORD, "learner", [role.id])
        per_step = Counter(q.step_id for q in module.quiz.questions)
        missed = next(q for q in module.quiz.questions if q.step_id and per_step[q.step_id] == 1)
        steps_asked = len([step for step in per_step if step])
        take_quiz(learner.id, module.id, {missed.id})
        missed_step = db.session.get(SopStep, missed.step_id).number
    signed_in(client, make_user)
    response = client.get("/analytics/gaps")
    html = response.get_data(as_text=True)
    assert response.status_code == 200

    figure = figure_of(html)
    heatmap = figure["data"][0]
    assert heatmap["type"] == "scatter" and set(heatmap["x"]) == {"Solo"}
    assert figure["layout"]["yaxis"]["categoryarray"] == heatmap["y"]  # one cell per step, in SOP order
    shown = table(html, "gap-table")
    assert len(shown) == len(heatmap["y"]) == len(set(heatmap["y"])) == steps_asked
    for row, label, rate, (_link, misses, responses, _) in zip(
        shown, heatmap["y"], heatmap["marker"]["color"], heatmap["customdata"], strict=True
    ):
        assert label.endswith(f" {row[3]}") and row[0] in label
        assert f"{rate:.1f}" == row[9] and [str(misses), str(responses)] == [row[8], row[7]]
        assert row[5] == "Solo" and int(row[7]) >= 1  # one answer per question on the step
    assert sorted(row[9] for row in shown) == ["0.0"] * (steps_asked - 1) + ["100.0"]
    assert sum(int(row[7]) for row in shown) == sum(n for step, n in per_step.items() if step)
    assert next(r for r in shown if r[9] == "100.0")[3] == missed_step

    csv_response = client.get("/analytics/gaps.csv")
    assert csv_response.mimetype == "text/csv"
    body = csv_response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert parsed[0] == list(gap_exports.CSV_COLUMNS)
    assert parsed[1:] == shown
    assert "misunderstood" in html and "100.0% missed (1/1)" in html


def test_the_filters_reach_the_page_the_csv_link_and_the_csv(app, client, make_user, organisation) -> None:
    signed_in(client, make_user)
    html = client.get(f"/analytics/gaps?sop={organisation['sop']}&role={organisation['field']}").get_data(
        as_text=True
    )
    assert set(figure_of(html)["data"][0]["x"]) == {"Field"}
    link = f"/analytics/gaps.csv?sop={organisation['sop']}&amp;role={organisation['field']}"
    assert link in html
    rows = list(csv.reader(io.StringIO(client.get(link.replace("&amp;", "&")).get_data(as_text=True))))
    assert {row[5] for row in rows[1:]} == {"Field"}
    assert len(rows) - 1 == len(table(html, "gap-table"))
    office = client.get("/analytics/gaps.csv?department=Admin").get_data(as_text=True)
    assert {row[5] for row in list(csv.reader(io.StringIO(office)))[1:]} == {"Office"}


def test_unreadable_filters_are_explained_and_ignored(client, make_user, organisation) -> None:
    signed_in(client, make_user)
    response = client.get("/analytics/gaps?sop=abc&from=yesterday&role=1e9")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert (
        "Ignored the SOP filter" in html and "is not a date" in html and "Ignored the job role filter" in html
    )
    assert figure_of(html)["data"][0]["type"] == "scatter"


def test_csv_cells_cannot_run_as_formulas(app, client, make_user, organisation) -> None:
    with app.app_context():
        role = db.session.get(JobRole, organisation["field"])
        role.name, role.department = '=HYPERLINK("http://x")', "@evil"
        db.session.commit()
    signed_in(client, make_user, "compliance")
    rows = list(csv.reader(io.StringIO(client.get("/analytics/gaps.csv").get_data(as_text=True))))
    roles = {row[5] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x")' in roles and not any(r.startswith("=") for r in roles)
    assert "'@evil" in {row[6] for row in rows[1:]}


def test_the_page_needs_no_inline_script_and_no_cdn(client, make_user, organisation) -> None:
    signed_in(client, make_user)
    response = client.get("/analytics/gaps")
    html = response.get_data(as_text=True)
    directives = dict(d.strip().split(" ", 1) for d in response.headers["Content-Security-Policy"].split(";"))
    # plotly.js needs inline styles and a data: image probe; scripts stay 'self' (no script-src override)
    assert directives["default-src"] == "'self'" and "script-src" not in directives
    assert directives["style-src"] == "'self' 'unsafe-inline'" and directives["img-src"] == "'self' data:"
    assert "unsafe-inline" not in client.get("/analytics/quizzes").headers["Content-Security-Policy"]
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/' in tag or 'type="application/json"' in tag, tag
    assert "cdn." not in html and "https://" not in html
    js = client.get("/analytics/plotly.min.js")
    assert js.status_code == 200 and js.mimetype == "text/javascript" and len(js.data) > 1_000_000
    assert js.headers["ETag"] and "max-age" in js.headers["Cache-Control"]
    again = client.get("/analytics/plotly.min.js", headers={"If-None-Match": js.headers["ETag"].strip('"')})
    assert again.status_code == 304
    with client.get("/static/lms/figures.js") as script:
        assert script.status_code == 200 and b"Plotly.newPlot" in script.data


def test_the_figure_data_block_cannot_close_its_script_element(app, client, make_user, organisation) -> None:
    with app.app_context():
        role = db.session.get(JobRole, organisation["lab"])
        role.name = "</script><script>alert(1)</script>"
        db.session.commit()
    signed_in(client, make_user)
    html = client.get("/analytics/gaps").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "</script><script>alert(1)</script>" in figure_of(html)["data"][0]["x"]


def test_a_heatmap_cell_drills_down_to_the_learners_who_missed_that_step(
    app, client, make_user, organisation
):
    with app.app_context():
        page = drill.learners_missing_step(ReportFilters(), organisation["step_t"], organisation["lab"])
        # step T has two questions: lab1 and `both` missed one each, lab2 missed none (so is not listed)
        assert sorted((row.email, row.detail) for row in page.items) == [
            ("both@example.org", "missed 1 of 2 answers"),
            ("lab1@example.org", "missed 1 of 2 answers"),
        ]
    signed_in(client, make_user, "compliance")
    html = client.get("/analytics/gaps").get_data(as_text=True)
    figure = figure_of(html)
    assert figure["layout"]["meta"] == {"drill": True}
    links = {c[0] for c in figure["data"][0]["customdata"]}
    wanted = f"step={organisation['step_t']}&amp;role={organisation['lab']}"
    cell = re.search(rf'<a href="([^"]*{wanted}[^"]*)"', html)
    assert cell and cell.group(1).replace("&amp;", "&") in links
    listed = client.get(cell.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "2 learners who missed step" in listed
    assert sorted(re.findall(r"<td>([a-z0-9]+@example.org)</td>", listed)) == [
        "both@example.org",
        "lab1@example.org",
    ]
    assert client.get(f"/analytics/learners?step={organisation['step_t']}").status_code == 404  # no role
    assert client.get(f"/analytics/learners?step=987654&role={organisation['lab']}").status_code == 404
