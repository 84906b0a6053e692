"""Generation over SOP shapes a parser may produce (one section, a step per heading, nesting, bullets)."""

from __future__ import annotations

import random

import pytest
from quiz_helpers import check_set

from quizzes.generate import generate_questions
from sops.model import Section, SopDocument, Step
from sops.values import find_values

VERBS = [
    "Open",
    "Label",
    "Fill",
    "Weigh",
    "Seal",
    "Move",
    "Clean",
    "File",
    "Rinse",
    "Check",
    "Record",
    "Inspect",
    "Dry",
    "Cool",
    "Heat",
    "Mix",
    "Pour",
]
OBJECTS = [
    "the sample bottle",
    "the filter housing",
    "the pump tubing",
    "the data sheet",
    "the carboy",
    "the freezer log",
    "the bench",
    "the pipette rack",
]


def _text(r: random.Random, tag: str) -> str:
    return f"{r.choice(VERBS)} {r.choice(OBJECTS)} for {tag}."


def shaped_sop(r: random.Random, n: int, shape: str) -> SopDocument:
    sections: list[Section] = []
    steps: list[Step] = []
    if shape == "one_section":
        sections = [Section("s1", "procedure", "Procedure")]
        steps = [Step(f"t{i}", str(i + 1), 0, "s1", _text(r, f"item {i}")) for i in range(n)]
    elif shape in ("heading_numbered", "heading_unnumbered"):
        for i in range(n):
            sections.append(Section(f"s{i}", "procedure", f"Phase {i + 1}", level=3))
            number = str(i + 1) if shape == "heading_numbered" else ""
            steps.append(Step(f"t{i}", number, 0, f"s{i}", _text(r, f"item {i}")))
    elif shape == "nested":
        sections = [Section("s1", "procedure", "Procedure")]
        top = sub = 0
        for i in range(n):
            if i and r.random() < 0.4:
                sub += 1
                steps.append(Step(f"t{i}", f"{top}.{sub}", 1, "s1", _text(r, f"sub-item {i}")))
            else:
                top, sub = top + 1, 0
                steps.append(Step(f"t{i}", str(top), 0, "s1", _text(r, f"item {i}")))
    elif shape == "bullets":
        k = r.randint(2, 3)
        sections = [Section(f"s{j}", "procedure", f"Phase {j}") for j in range(k)]
        steps = [Step(f"t{i}", "", 0, f"s{i * k // n}", _text(r, f"bullet {i}")) for i in range(n)]
    return SopDocument("Shaped", sections=sections, steps=steps)


@pytest.mark.parametrize(
    "shape", ["one_section", "heading_numbered", "heading_unnumbered", "nested", "bullets"]
)
@pytest.mark.parametrize("n", [5, 6, 9, 15])
@pytest.mark.parametrize("seed", range(3))
def test_any_shape_gives_well_formed_questions_and_no_padding(shape, n, seed):
    """Plain actions with no value, rule, condition or stated reason for their order: whatever the shape,
    nothing is padded in as next/previous/before or section-membership items."""
    doc = shaped_sop(random.Random(f"{shape}:{n}:{seed}"), n, shape)
    qs = generate_questions(doc, 8, seed)
    check_set(qs, doc)
    assert qs == []


@pytest.mark.parametrize("shape", ["one_section", "heading_numbered", "nested", "bullets"])
def test_values_are_asked_in_any_shape(shape):
    doc = shaped_sop(random.Random(shape), 6, shape)
    doc.steps[1].text = "Heat the sample bottle to 56 °C for 10 minutes."
    doc.steps[1].critical_values = find_values(doc.steps[1].text)
    qs = generate_questions(doc, 8)
    check_set(qs, doc)
    assert qs and all(q.source.step_id == doc.steps[1].id for q in qs)


@pytest.mark.parametrize("shape", ["one_section", "heading_numbered", "heading_unnumbered", "bullets"])
def test_four_plain_steps_get_no_padding(shape):
    doc = shaped_sop(random.Random(shape), 4, shape)
    qs = generate_questions(doc, 8)
    check_set(qs, doc)
    assert qs == []
