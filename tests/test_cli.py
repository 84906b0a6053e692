"""The `sop-lms` commands, run as a newcomer would run them: through the installed console script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from quizzes.generate import draft_pool
from sops.parse import parse_sop
from tests.conftest import DEMO_SOPS, ROOT

LOTO = DEMO_SOPS / "safety-lockout-tagout-osha-typical-minimal-procedure.md"
SOP_LMS = str(Path(sys.executable).parent / "sop-lms")


def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SOP_LMS, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_parse_sop_prints_the_structure_as_json(tmp_path) -> None:
    result = run("parse-sop", str(LOTO), "--json", env={"LMS_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert {
        "title",
        "code",
        "revision",
        "effective_date",
        "sections",
        "steps",
        "roles",
        "definitions",
    } <= set(doc)
    assert len(doc["steps"]) == 13
    assert {s["kind"] for s in doc["sections"]} >= {"purpose", "procedure"}
    assert not list(tmp_path.iterdir()), "parse-sop must not need or create a database"


def test_generate_quiz_prints_traceable_questions(tmp_path) -> None:
    qubit = LOTO.parent / "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md"
    result = run("generate-quiz", str(qubit), "--json", env={"LMS_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    questions = json.loads(result.stdout)["questions"]
    steps = {s["id"]: s for s in json.loads(run("parse-sop", str(qubit), "--json").stdout)["steps"]}
    # without --count: the very pool the app drafts on upload
    assert questions == [q.to_dict() for q in draft_pool(parse_sop(qubit.read_bytes(), qubit.name))]
    assert len({q["type"] for q in questions}) >= 2
    few = run("generate-quiz", str(qubit), "--json", "--count", "3", env={"LMS_INSTANCE_PATH": str(tmp_path)})
    assert len(json.loads(few.stdout)["questions"]) == 3
    for q in questions:
        assert q["source"]["quote"] in steps[q["source"]["step_id"]]["text"]
    assert not list(tmp_path.iterdir())


def test_parse_sop_reports_bad_input_clearly(tmp_path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    result = run("parse-sop", str(empty), "--json")
    assert result.returncode != 0
    assert "empty" in result.stderr.lower()


def test_upgrade_seed_and_import_on_a_fresh_database(tmp_path) -> None:
    env = {"LMS_INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": ""}
    assert run("db", "upgrade", env=env).returncode == 0
    seeded = run("seed-demo", env=env)
    assert seeded.returncode == 0, seeded.stderr
    assert "learner@harborpoint.example" in seeded.stdout and "sop-lms-demo" in seeded.stdout
    again = run("seed-demo", "--if-empty", env=env)
    assert again.returncode == 0 and "already present" in again.stdout
    refused = run("seed-demo", env=env)
    assert refused.returncode != 0 and "already has users" in refused.stderr
    imported = run("import-sop", str(LOTO), env=env)
    assert imported.returncode == 1 and "already imported" in imported.stderr
    assert (tmp_path / "instance" / "sop-lms.sqlite").exists()
    assert (tmp_path / "instance" / "secret_key").exists()
