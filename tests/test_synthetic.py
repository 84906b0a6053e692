"""`sop-lms seed-synthetic`: a large organisation written with bulk inserts, real SOP content in the
revisions, the tallies rebuilt, and (on PostgreSQL) the id sequences moved on so the app can insert after."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import func, select

from lms import create_app
from lms.db import db
from lms.models import (
    Attempt,
    Enrolment,
    Lesson,
    QuestionTally,
    Response,
    Sop,
    SopRevision,
    SopStep,
    StepRoleTally,
    User,
)
from lms.services import accounts
from lms.synthetic import NotEmpty, Size, build
from tests.conftest import DEMO_SOPS, ROOT, Person, login

SMALL = Size(learners=60, sops=4, responses=800, roles=5)
PASSWORD = "synthetic pass phrase"
SOP_LMS = str(Path(sys.executable).parent / "sop-lms")


def attempts_of_ten() -> bool:
    return all(len(ids) == 10 for ids in db.session.scalars(select(Attempt.question_ids)))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_it_writes_what_it_says_with_real_content_and_the_app_can_insert_after(committed_app) -> None:
    progressed: list[int] = []
    with committed_app.app_context():
        built = build(SMALL, PASSWORD, progressed.append)
        assert sum(progressed) == built.total_rows > 0
        assert built.rows["lms_user"] == _count(User) == 60
        assert built.rows["lms_response"] == _count(Response) == 800
        assert built.rows["lms_attempt"] == _count(Attempt) == 80
        assert built.rows["lms_enrolment"] == _count(Enrolment) > 0
        assert _count(Sop) == 4 and _count(Lesson) > 4
        revision = db.session.scalar(select(SopRevision).order_by(SopRevision.id))
        assert revision.source_blob == (DEMO_SOPS / revision.source_filename).read_bytes()
        assert len(revision.source_blob) > 3000 and revision.structure["steps"]
        step_texts = set(db.session.scalars(select(SopStep.text).where(SopStep.revision_id == revision.id)))
        assert step_texts == {step["text"] for step in revision.structure["steps"]}
        # the tallies the gap pages read agree with the responses
        assert db.session.scalar(select(func.sum(QuestionTally.responses))) == 800
        assert db.session.scalar(select(func.sum(StepRoleTally.responses))) >= 800
        # explicit ids did not leave the sequences behind: the services insert as usual
        person = accounts.create_user(
            "after@example.org", "After Seeding", "correct horse battery", "trainer"
        )
        assert person.id > 60
        role = accounts.create_job_role("Added after", "Lab")
        assert role.id > SMALL.roles
        assert attempts_of_ten()
        with pytest.raises(NotEmpty, match="empty database"):
            build(SMALL, PASSWORD)
        assert _count(User) == 61  # the refusal wrote nothing
    client = committed_app.test_client()
    login(client, Person(1, built.learner_emails[0], "Learner 1"), PASSWORD)
    page = client.get("/my/training").get_data(as_text=True)
    assert "SYN-" in page


def seed_synthetic(url: str, instance: Path, *more: str) -> subprocess.CompletedProcess[str]:
    """`sop-lms seed-synthetic` of 40 learners, 3 SOPs and 400 responses, run as a newcomer would run it."""
    return subprocess.run(
        [SOP_LMS, "seed-synthetic", "--learners", "40", "--sops", "3", "--responses", "400", *more],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "LMS_INSTANCE_PATH": str(instance)},
        check=False,
    )


def test_the_command_shows_progress_and_reports_rows_per_second(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'synthetic.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"}, str(tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    result = seed_synthetic(url, tmp_path, "--roles", "4", "--enrolments", "100")
    assert result.returncode == 0, result.stderr
    assert (
        "rows/s" in result.stdout and "400 responses" in result.stdout and "100 enrolments" in result.stdout
    )
    assert "learner1@synthetic.example" in result.stdout
    again = seed_synthetic(url, tmp_path)
    assert again.returncode != 0 and "empty database" in again.stderr
