"""Decisions asked the way round that has one key: "when do you abort the run?", the options being the
conditions the SOP attaches to other actions near it; or a branch's condition swapped for its sibling's."""

from __future__ import annotations

from quizzes.generate import candidates, draft_pool
from quizzes.generators.base import Context
from quizzes.generators.conditions import decisions
from sops.parse import parse_sop_text

AUTOCLAVE = """# Autoclave operation

## Procedure
1. When the jacket pressure has reached 15-20 psi, load the bin with your lab items and close the door.
2. Stay in the room for 5 minutes after starting the run.
3. If there is a leak, tighten the hatch further.
4. If the leak does not stop, abort the run and notify the facility manager.
5. When sterilization is complete, turn the dial to "vent dry".
6. When the cycle is complete, press the foot pedal to open the autoclave.
7. If you are retiring the autoclave, review the retirement checklist with the facility manager.
8. If so, repeat the run.
"""


def _by_stem(doc):
    return {c.stem: c for c in candidates(doc, kinds=["condition_choice"])}


def test_the_key_is_the_condition_of_the_asked_action_and_the_options_are_other_conditions():
    found = _by_stem(parse_sop_text(AUTOCLAVE))
    c = found["Under this SOP, when do you abort the run and notify the facility manager?"]
    assert c.type == "single_choice" and c.options[c.answer] == "If the leak does not stop"
    distractors = set(c.options) - {"If the leak does not stop"}
    assert "If there is a leak" in distractors  # the contrast that makes it a decision
    assert len(c.options) >= 3 and c.quote in c.step.text


def test_conditions_that_say_the_same_are_never_both_options():
    for c in _by_stem(parse_sop_text(AUTOCLAVE)).values():
        completes = [o for o in c.options if o.endswith("is complete")]
        assert len(completes) <= 1, c.options  # "cycle is complete" / "sterilization is complete"


def test_vague_echoing_and_valued_conditions_are_not_keys():
    doc = parse_sop_text(AUTOCLAVE)
    keys = {c.options[c.answer] for c in _by_stem(doc).values()}
    assert "If so" not in {d.condition for d in decisions(Context(doc))}  # points elsewhere
    assert "If you are retiring the autoclave" not in keys  # echoes "retirement checklist"
    assert not any(any(ch.isdigit() for ch in k) for k in keys)  # "15-20 psi": asked as a value


def test_a_sections_decisions_are_asked_once_in_a_pool():
    doc = parse_sop_text(AUTOCLAVE + "9. When the cycle is complete, wear heat resistant gloves to unload.\n")
    asked = [q for q in draft_pool(doc) if q.extra.get("kind") in ("condition_choice", "condition_swap")]
    assert len(asked) == 1  # two would share options and key each other


BRANCHES = """# Security incident response

## Cut off the attack vector
1. If you suspect a third-party provider is compromised, delete all accounts except your own.
2. If you suspect a service application was the attack vector, disable the relevant code paths.
"""


def test_a_branch_is_asked_true_or_false_against_its_sibling():
    seen = set()
    for seed in range(12):
        cands = candidates(parse_sop_text(BRANCHES), seed=seed, kinds=["condition_swap"])
        assert len(cands) == 2 and len({c.slot for c in cands}) == 1  # one of them per pool
        for c in cands:
            assert c.type == "true_false" and c.step_ids[1] != c.step.id
            # the true statement joins the branch's own condition and action, the false one the sibling's
            assert c.answer == (("third-party" in c.stem) == ("delete all accounts" in c.stem))
            seen.add(c.answer)
    assert seen == {True, False}  # both keys occur: not a pattern a learner can game
