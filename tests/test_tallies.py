"""The answer tallies behind the gap analytics stay equal to the raw GROUP BY over the responses through every
event that changes them: submissions (retakes included), people joining and leaving job roles, and a full
rebuild. Checked on SQLite and PostgreSQL, through the real services."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from lms.analytics import gap_queries
from lms.analytics.filters import ReportFilters
from lms.cli import lms_commands
from lms.db import db
from lms.models import QuestionTally, StepRoleTally
from lms.services import accounts, enrolments, quiz_review, tallies
from tests.conftest import PASSWORD
from tests.web.quiz_takers import publish_written, take_quiz

# trainer-written quizzes of a known size (every attempt sits all of them): the counts below follow, whatever
# the generator drafts from these SOPs today
LOTO = "it-oncall-responsibilities.md"
QUBIT = "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md"


def frames_agree(filters: ReportFilters) -> None:
    """The tally-backed aggregates (what the page reads) equal the raw ones (what the responses say)."""
    assert gap_queries.uses_tallies(filters)
    from_tallies = (
        gap_queries.step_role_frame(filters).sort_values(["step_id", "job_role_id"]).reset_index(drop=True)
    )
    raw = gap_queries.frame_of(gap_queries.raw_step_role_query(filters), gap_queries.STEP_ROLE_COLUMNS)
    assert from_tallies.to_dict("records") == raw.sort_values(["step_id", "job_role_id"]).to_dict("records")
    steps = gap_queries.step_frame(filters).sort_values("step_id").to_dict("records")
    raw_steps = gap_queries.frame_of(
        gap_queries.raw_step_query(filters), gap_queries.STEP_COLUMNS
    ).sort_values("step_id")
    assert steps == raw_steps.to_dict("records")


def everything_agrees(sop_id: int, role_id: int) -> None:
    for filters in (
        ReportFilters(),
        ReportFilters(sop_id=sop_id),
        ReportFilters(job_role_id=role_id),
        ReportFilters(department="Plant"),
    ):
        frames_agree(filters)


@pytest.fixture
def plant(app_ctx) -> dict:
    ops = accounts.create_job_role("Operations", "Plant")
    upkeep = accounts.create_job_role("Upkeep", "Plant")
    office = accounts.create_job_role("Office", "Admin")
    loto, qubit = publish_written(LOTO, 8), publish_written(QUBIT, 6)
    for module in (loto, qubit):
        quiz_review.publish(module.id, None)
        for role in (ops, upkeep, office):
            enrolments.assign_module_to_role(module.id, role.id, 14, None)
    people = {
        key: accounts.create_user(f"{key}@example.org", key, PASSWORD, "learner", roles).id
        for key, roles in {"a": [ops.id], "b": [ops.id, upkeep.id], "c": [office.id]}.items()
    }
    lq = [q.id for q in loto.quiz.questions]
    take_quiz(people["a"], loto.id, set(lq[:3]))
    take_quiz(people["a"], loto.id, set())  # a retake counts too
    take_quiz(people["b"], loto.id, {lq[0], lq[5]})
    take_quiz(people["c"], qubit.id, {q.id for q in qubit.quiz.questions[:4]})
    return {
        "ops": ops.id,
        "upkeep": upkeep.id,
        "office": office.id,
        "people": people,
        "sop": loto.revision.sop_id,
        "questions": len(lq) + len(qubit.quiz.questions),
        "loto_on_steps": sum(1 for q in loto.quiz.questions if q.step_id),  # step tallies count these
    }


def test_submissions_keep_the_tallies_equal_to_the_responses(plant) -> None:
    everything_agrees(plant["sop"], plant["ops"])
    assert db.session.query(StepRoleTally).count() > 0
    assert db.session.query(QuestionTally).count() == plant["questions"]


def test_joining_and_leaving_a_role_moves_that_persons_answers(plant) -> None:
    a = plant["people"]["a"]
    before = {
        (r.step_id, r.job_role_id): (r.responses, r.misses) for r in db.session.query(StepRoleTally).all()
    }
    accounts.add_to_job_role(a, plant["office"])
    everything_agrees(plant["sop"], plant["office"])
    accounts.remove_from_job_role(a, plant["ops"])
    accounts.remove_from_job_role(plant["people"]["b"], plant["upkeep"])
    everything_agrees(plant["sop"], plant["ops"])
    after = {
        (r.step_id, r.job_role_id): (r.responses, r.misses) for r in db.session.query(StepRoleTally).all()
    }
    assert after != before
    # a's answers left Operations: what stays there is b's alone
    ops_now = sum(n for (step, role), (n, _m) in after.items() if role == plant["ops"])
    assert ops_now == plant["loto_on_steps"]  # b answered each of them once


def test_rebuild_recomputes_the_same_tallies(app, plant) -> None:
    kept = sorted((r.step_id, r.job_role_id, r.responses, r.misses) for r in db.session.query(StepRoleTally))
    db.session.query(StepRoleTally).delete()
    db.session.query(QuestionTally).delete()
    db.session.commit()
    assert gap_queries.step_role_frame(ReportFilters()).empty
    result = CliRunner().invoke(lms_commands, ["rebuild-tallies"], obj=None, catch_exceptions=False)
    assert result.exit_code == 0 and "rebuilt" in result.output
    rebuilt = sorted(
        (r.step_id, r.job_role_id, r.responses, r.misses) for r in db.session.query(StepRoleTally)
    )
    assert rebuilt == [row for row in kept if row[2] != 0]
    everything_agrees(plant["sop"], plant["ops"])


def test_a_date_range_reads_the_responses_not_the_tallies(plant) -> None:
    tallies.rebuild()
    db.session.query(StepRoleTally).update({"responses": 999})  # a wrong tally would show
    filters = ReportFilters(date_from=date(2000, 1, 1))
    assert not gap_queries.uses_tallies(filters)
    assert 999 not in gap_queries.step_role_frame(filters)["responses"].tolist()
    assert set(gap_queries.step_role_frame(ReportFilters())["responses"]) == {999}
    db.session.rollback()


def test_the_migration_fills_the_tallies_from_responses_already_stored(committed_app) -> None:
    """A database that had answers before the tallies existed: upgrading fills them with what the raw
    aggregate says (checked by going back to the previous revision and upgrading again)."""
    import flask_migrate

    with committed_app.app_context():
        role = accounts.create_job_role("Operations", "Plant")
        role_id = role.id
        module = publish_written(LOTO, 8)
        quiz_review.publish(module.id, None)
        enrolments.assign_module_to_role(module.id, role.id, 14, None)
        questions = [q.id for q in module.quiz.questions]
        on_steps = {q.step_id for q in module.quiz.questions if q.step_id}
        sop_id = module.revision.sop_id
        for n in range(3):
            user = accounts.create_user(f"m{n}@example.org", f"M {n}", PASSWORD, "learner", [role.id])
            take_quiz(user.id, module.id, set(questions[n : n + 4]))
        before = sorted(
            (r.step_id, r.job_role_id, r.responses, r.misses) for r in db.session.query(StepRoleTally)
        )
        db.session.remove()
        flask_migrate.downgrade(revision="2c261eb29cb6")
        flask_migrate.upgrade()
        after = sorted(
            (r.step_id, r.job_role_id, r.responses, r.misses) for r in db.session.query(StepRoleTally)
        )
        assert after == before and len(after) == len(on_steps)
        assert sum(r.responses for r in db.session.query(QuestionTally)) == 3 * len(questions)
        everything_agrees(sop_id, role_id)
        db.session.remove()
