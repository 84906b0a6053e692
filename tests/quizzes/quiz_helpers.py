"""Property checks every generated question set must pass (shared by the unit and the demo-SOP tests)."""

from __future__ import annotations

from quizzes.generate import sources
from quizzes.model import QUESTION_TYPES, Question
from sops.model import SopDocument


def check_question(q: Question, doc: SopDocument) -> None:
    steps = sources(doc)
    assert q.type in QUESTION_TYPES
    assert q.stem.strip()
    assert q.source.step_id in steps, q
    step = steps[q.source.step_id]
    assert q.source.section_id == step.section_id
    assert q.source.quote.strip() and q.source.quote in step.text, (q.source.quote, step.text)
    assert 0 <= q.quality <= 1
    assert q.rationale.strip()
    opts = q.options
    assert all(o.strip() for o in opts), q
    assert len({o.strip().casefold() for o in opts}) == len(opts), opts
    assert not any("all of the above" in o.lower() for o in opts)
    if q.type in ("single_choice", "scenario"):
        assert 3 <= len(opts) <= 4
        assert isinstance(q.answer, int) and not isinstance(q.answer, bool)
        assert 0 <= q.answer < len(opts)
    elif q.type == "multiple_response":
        assert 3 <= len(opts) <= 5
        assert q.answer == sorted(set(q.answer)) and q.answer
        assert all(0 <= a < len(opts) for a in q.answer) and len(q.answer) < len(opts)
    elif q.type == "ordering":
        assert 3 <= len(opts) <= 4
        assert sorted(q.answer) == list(range(len(opts)))
        assert q.answer != list(range(len(opts))), "ordering options must be shuffled"
    elif q.type == "true_false":
        assert isinstance(q.answer, bool)
    elif q.type == "matching":
        rights = [r for _, r in q.answer]
        assert 3 <= len(q.answer) <= 5
        assert len({r.casefold() for r in rights}) == len(rights), "two pairings would be correct"
        assert {r.casefold() for r in rights} <= {o.casefold() for o in opts}
    elif q.type == "numeric":
        assert set(q.answer) == {"value", "unit", "tolerance"}
        assert "____" in q.stem


def check_set(questions: list[Question], doc: SopDocument) -> None:
    assert [q.id for q in questions] == [f"q{i}" for i in range(1, len(questions) + 1)]
    for q in questions:
        check_question(q, doc)
    stems = [(q.type, q.stem, tuple(q.options)) for q in questions]
    assert len(set(stems)) == len(stems), "duplicate question"
