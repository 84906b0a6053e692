from __future__ import annotations

import re
from collections import Counter

import pytest
from quiz_fixtures import make_plain_sop, make_sop
from quiz_helpers import check_set

from quizzes.generate import candidates, generate_questions
from sops.model import Section, SopDocument, Step
from sops.parse import parse_sop_text


@pytest.fixture
def sop():
    return make_sop()


@pytest.mark.parametrize("count", [1, 5, 8, 10, 20])
@pytest.mark.parametrize("seed", [0, 1, 7])
def test_generated_set_properties(count, seed):
    doc = make_sop()
    qs = generate_questions(doc, count, seed)
    check_set(qs, doc)
    assert len(qs) <= count
    if count >= 8:  # every step with a warning or a value is a must-learn item and gets a question
        assert {"st2", "st4", "st6", "st8"} <= {q.source.step_id for q in qs}
        assert len({q.type for q in qs}) >= 2


def test_pool_has_several_types_and_sections(sop):
    qs = generate_questions(sop, 8)
    assert len({q.type for q in qs}) >= 3
    assert len({q.source.section_id for q in qs}) >= 3


def test_important_steps_are_covered(sop):
    qs = generate_questions(sop, 8)
    tested = {q.source.step_id for q in qs}
    # the WARNING step and the critical-value limit steps rank first
    assert {"st2", "st4", "st6"} <= tested
    quality = {q.source.step_id: q.quality for q in qs}
    assert quality["st2"] > min(quality.values())


def test_one_question_per_fact(sop):
    """A sentence of the SOP is tested once: not as a fill-in, a value choice and a true/false."""
    qs = generate_questions(sop, 20)
    quotes = [" ".join(q.source.quote.split()).casefold() for q in qs]
    assert len(quotes) == len(set(quotes))


def test_a_prohibition_is_asked_as_the_permission_a_new_hire_might_assume(sop):
    (c,) = [c for c in candidates(sop, kinds=["permission"]) if c.step.id == "st2"]
    assert c.stem == 'True or false? Under this SOP ("Safety"), you may pipette by mouth.'  # its section
    assert c.answer is False and c.quote == "WARNING: Never pipette by mouth."


def test_rationale_names_the_reason(sop):
    qs = generate_questions(sop, 10)
    by_step = {q.source.step_id: q.rationale for q in qs}
    assert "forbids" in by_step["st2"]
    assert "70%" in by_step["st4"]


@pytest.mark.parametrize("n", [5, 6, 8])
def test_plain_sop_is_not_padded_with_sequence_items(n):
    """Steps with no value, rule, condition or reason for their order give a trainer nothing to publish:
    the pool stays empty instead of asking the same steps as next/previous/before items."""
    doc = make_plain_sop(n)
    qs = generate_questions(doc, 8)
    check_set(qs, doc)
    assert qs == []


def test_deterministic_for_a_seed(sop):
    a = [q.to_dict() for q in generate_questions(sop, 10, seed=3)]
    b = [q.to_dict() for q in generate_questions(sop, 10, seed=3)]
    assert a == b
    variants = {repr([q.to_dict() for q in generate_questions(sop, 10, seed=s)]) for s in range(6)}
    assert len(variants) > 1, "different seeds should vary the quiz"


def test_single_choice_exactly_one_key_and_varied_positions(sop):
    sc = [c for c in candidates(sop) if c.type == "single_choice"]
    assert len(sc) >= 4
    for c in sc:
        assert len(set(c.options)) == len(c.options)
        assert 0 <= c.answer < len(c.options)
    positions = Counter(c.answer for c in sc)
    assert len(positions) > 1, "key position must vary"
    longest = [c for c in sc if len(c.options[c.answer]) == max(len(o) for o in c.options)]
    assert len(longest) < len(sc), "key must not systematically be the longest option"


REJECTED_FORMS = {"next_step", "previous_step", "before_after", "section_members", "step_section"}


def test_forms_trainers_reject_are_never_generated(sop):
    kinds = {c.kind for c in candidates(sop)}
    assert kinds and not kinds & REJECTED_FORMS
    assert not any("done before" in c.stem or "which section" in c.stem.lower() for c in candidates(sop))


def _stem_number(stem: str, phrase: str) -> float:
    m = re.search(rf"{phrase} (-?\d+(?:\.\d+)?)", stem)
    assert m, stem
    return float(m.group(1))


def test_altered_statements_go_the_wrong_way_for_limits(sop):
    choices = candidates(sop, kinds=["statement_choice"])
    wrong = [(c, o) for c in choices for i, o in enumerate(c.options) if i != c.answer]
    at_least = [o for c, o in wrong if c.step.id == "st4"]
    no_more = [o for c, o in wrong if c.step.id == "st6"]
    assert at_least and no_more
    for text in at_least:
        assert _stem_number(text, "at least") < 70
        assert "%" in text
    for text in no_more:
        assert _stem_number(text, "no more than") > 5
        assert "minutes" in text


NEGATIONS = re.compile(r"\b(?:not|never|always|no|don't)\b", re.IGNORECASE)


def test_false_statements_never_add_or_remove_not(sop):
    for c in candidates(sop, kinds=["statement_choice"]):
        statements = c.options
        for text in statements:
            assert NEGATIONS.findall(text) == NEGATIONS.findall(c.quote), (text, c.quote)


def test_numeric_blanks_the_value(sop):
    nums = {c.step.id: c for c in candidates(sop, kinds=["numeric"])}
    c = nums["st6"]
    assert "for no more than ____ minutes at room temperature" in c.stem
    assert c.answer == {"value": 5.0, "unit": "min", "tolerance": 0}
    assert nums["st8"].answer["value"] == -20.0
    assert "-20" not in nums["st8"].stem
    assert "70" not in nums["st4"].stem


def test_value_choice_options_share_the_unit(sop):
    for c in candidates(sop, kinds=["value_choice"]):
        unit = c.options[c.answer].split()[-1] if " " in c.options[c.answer] else c.options[c.answer][-1]
        assert all(o.endswith(unit) for o in c.options), c.options
        assert "____" in c.stem


def test_tiny_sops_are_not_padded():
    one = SopDocument(
        title="One",
        sections=[Section(id="s", kind="procedure", heading="Procedure")],
        steps=[Step(id="a", number="1", depth=0, section_id="s", text="Switch the instrument on.")],
    )
    assert generate_questions(one, 10) == []
    two = make_plain_sop(2)
    qs = generate_questions(two, 10)
    check_set(qs, two)
    assert len(qs) < 10
    assert generate_questions(SopDocument(title="Empty"), 5) == []
    assert generate_questions(make_sop(), 0) == []


def test_trivial_steps_are_not_used_as_options():
    doc = make_plain_sop(5)
    doc.steps[2].text = "Wait."
    qs = generate_questions(doc, 10)
    check_set(qs, doc)
    assert all("Wait." not in o for q in qs for o in q.options)


def test_repeated_steps_give_no_ambiguous_sequence_questions():
    sections = [Section("a", "procedure", "Bucket"), Section("b", "procedure", "Carboy")]
    texts = [
        "Fill the {} with 10% bleach solution.",
        "Soak the tubing for 15 min in bleach.",
        "Rinse the {} with RO water.",
    ]
    steps = [
        Step(f"{sid}{i}", str(i + 1), 0, sid, t.format(name))
        for sid, name in (("a", "bucket"), ("b", "carboy"))
        for i, t in enumerate(texts)
    ]
    doc = SopDocument("Twice", sections=sections, steps=steps)
    qs = generate_questions(doc, 20)
    check_set(qs, doc)
    assert not [q for q in qs if q.type == "ordering"]  # "put in order" is not drafted


def test_step_per_heading_layout_does_not_leak_answers():
    sections = [
        Section(f"h{i}", "procedure", f"{i}. {name}", level=3)
        for i, name in enumerate(
            [
                "Input for CAPA",
                "Decision on Next Steps",
                "Root Cause Analysis",
                "Implementation of Action",
                "Verification",
            ],
            1,
        )
    ]
    steps = [
        Step(f"s{i}", str(i), 0, f"h{i}", sec.heading.split(". ", 1)[1]) for i, sec in enumerate(sections, 1)
    ]
    doc = SopDocument("CAPA", sections=sections, steps=steps)
    qs = generate_questions(doc, 8)
    check_set(qs, doc)
    assert qs == []  # headings alone: nothing a trainer would publish, so nothing is drafted


@pytest.mark.parametrize(
    ("sentence", "asked"),
    [
        ("The filter housing itself should not be submerged.", "you may submerge the filter housing itself"),
        ("Keep conversations visible in #alumni and don't DM staff.", "you may DM staff"),
        (
            "If you are releasing an older version, don't change the current link.",
            "if you are releasing an older version, you may change the current link",
        ),
        # the exception turned inside out reads as a riddle (reviewers rejected it); wrong by its wording
        ("Don't change the foil unless it is physically damaged.", None),
        ("Don't share job postings (unless it is for a role at a government agency).", None),
        ("Don't go into too much detail.", None),
        ("It may not be our responsibility.", None),  # a possibility, not a prohibition
        ("Any remaining foam should not affect the library.", None),  # an expectation
        ("Operators stop applications and do not remove any routes.", None),  # not said to the reader
        ("Do not leave it unattended.", None),  # what "it" is was written elsewhere
    ],
)
def test_prohibitions_asked_as_the_permission_a_new_hire_might_assume(sentence, asked):
    from quizzes.generators.requirements import forbidden

    assert forbidden(sentence) == asked


def test_one_prohibition_is_asked_once():
    """ "The housing should not be submerged" and "do not submerge the filter": one rule, one item."""
    doc = parse_sop_text(
        "# Filtering\n\n## Procedure\n"
        "1. The filter housing itself should not be submerged.\n"
        "2. Stick the inlet end of the straw into the sample water - do not submerge the filter entirely.\n"
        "3. Do not reuse the tubing between sampling sites.\n"
    )
    asked = [c.stem for c in candidates(doc, kinds=["permission"])]
    assert sum("submerge" in s for s in asked) == 1
    assert any("reuse the tubing" in s for s in asked)
