"""Generation over the demo SOPs through the real parser: the same properties as for hand-built SOPs."""

from __future__ import annotations

from pathlib import Path

import pytest
from quiz_helpers import check_set

from quizzes.generate import generate_questions
from sops.parse import parse_sop

DEMO = Path(__file__).resolve().parents[2] / "lms" / "demo" / "sops"
FILES = sorted(p for p in DEMO.glob("*.md") if p.name != "SOURCES.md")


def test_demo_sops_are_there():
    assert len(FILES) >= 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("seed", [0, 1])
def test_demo_sop_quiz_properties(path, seed):
    try:
        doc = parse_sop(path.read_bytes(), path.name)
    except ValueError:
        pytest.skip("the parser found no SOP in this file")  # SopParseError (e.g. NoSteps) is a ValueError
    qs = generate_questions(doc, 8, seed)
    check_set(qs, doc)
    assert [q.to_dict() for q in qs] == [q.to_dict() for q in generate_questions(doc, 8, seed)]
