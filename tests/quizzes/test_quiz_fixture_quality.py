"""The structural bar on every fixture SOP (lms/demo/sops/*.md and tests/fixtures/sops/*), measured with the
checks of bench/question_quality.py: answerability, unique keys, distinct options, critical steps covered.

These checks are necessary, not the goal: whether a trainer would publish the questions is measured by
reviewer ratings on the blind set (bench/question_review.py). The pool is no longer padded to a count."""

from __future__ import annotations

from pathlib import Path

import pytest
from quiz_helpers import check_set

from bench.question_quality import default_files, measure, skip_name
from quizzes.generate import generate_questions
from sops.parse import parse_sop

FILES = [p for p in default_files() if not skip_name(p)]


def _parse(path: Path):
    try:
        return parse_sop(path.read_bytes(), path.name)
    except ValueError:  # SopParseError (e.g. NoSteps) is a ValueError
        pytest.skip("the parser found no SOP in this file")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_question_pool_meets_the_quality_bar(path):
    doc = _parse(path)
    if len(doc.steps) < 4:
        pytest.skip("too few steps for a quiz")
    r = measure(doc, 1.0)
    assert r["problems"] == []
    assert r["answerable"] == r["unique"] == r["distinct"] == r["questions"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_quiz_is_deterministic_and_well_formed(path):
    doc = _parse(path)
    a = generate_questions(doc, 12, 5)
    check_set(a, doc)
    assert [q.to_dict() for q in a] == [q.to_dict() for q in generate_questions(doc, 12, 5)]


def test_longest_option_is_not_systematically_the_key():
    longest = chance = 0.0
    for path in FILES:
        try:
            doc = parse_sop(path.read_bytes(), path.name)
        except ValueError:
            continue
        r = measure(doc, 1.0)
        longest += r["longest_sum"]
        chance += r["chance_sum"]
    assert chance > 0 and longest <= chance
