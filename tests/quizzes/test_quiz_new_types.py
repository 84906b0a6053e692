"""Matching, "who is responsible" and wrong-side value distractors."""

from __future__ import annotations

import re

from quiz_helpers import check_set

from quizzes.generate import candidates, generate_questions
from sops.actors import role_key
from sops.parse import parse_sop_text

ROLES_SOP = """# SOP-042 Freezer maintenance

## Purpose

Keep the -80 °C freezer working.

## Procedure

1. The Technician shall move the samples to the backup freezer before defrosting.
2. The Lab Manager must approve the downtime in the maintenance calendar.
3. The QA Officer shall review the temperature records of the last month.
4. The Analyst shall check the sample inventory against the freezer map.
5. If the temperature rises above -15 °C, move the samples to the dry ice box immediately.
6. Defrost the freezer for at least 4 hours with the door open.
7. If the alarm sounds during defrosting, call the facilities hotline.
8. Wipe the inner walls with 70% ethanol and dry them with paper towels.
9. If the door seal is torn, replace the door seal before restarting the freezer.
10. Restart the freezer and wait no more than 30 minutes for it to reach -70 °C.
11. The Technician shall record the restart time in the freezer log.
"""


def _doc():
    return parse_sop_text(ROLES_SOP, filename="freezer.md")


def test_responsibilities_are_asked_from_the_sops_own_sentences():
    """ "The QA Officer shall review the records" -> "who must review the records?"; matching tasks to roles
    and "who is responsible for this task?" are not drafted (0 of 27 publishable, quizzes/generators)."""
    doc = _doc()
    cands = candidates(doc)
    assert not {c.kind for c in cands} & {"matching", "who_responsible"}
    whos = [c for c in cands if c.kind == "who_does"]
    assert whos
    actors = {role_key(s.actor) for s in doc.steps if s.actor}
    for c in whos:
        key = c.options[c.answer]
        assert role_key(key) in actors
        assert sum(1 for o in c.options if role_key(o) == role_key(key)) == 1
        assert key.casefold() not in c.stem.casefold()


def _num(option: str) -> float:
    return float(re.search(r"-?\d+(?:\.\d+)?", option).group(0))


LIMITS_SOP = """# Bench decontamination

## Procedure
1. Wipe the bench with at least 70% ethanol before every run.
2. Soak the spill towels in 10% ethanol for a full hour.
3. Store the glycerol stocks in 50% ethanol at the back of the freezer.
4. Air-dry the cleaned racks for no more than 5 minutes under the hood.
5. Leave the UV lamp on for 10 minutes after closing the cabinet.
6. Spin the wash tubes for 2 minutes at full speed in the centrifuge.
7. Incubate the washed plates for 15 minutes at room temperature.
"""


def test_value_distractors_are_on_the_wrong_side_of_limits():
    """Distractors are the SOP's other values in the unit, and for a limit only those on its wrong side."""
    doc = parse_sop_text(LIMITS_SOP)
    by_text = {c.step.text[:12]: c for c in candidates(doc, kinds=["value_choice"])}
    at_least = by_text["Wipe the ben"]  # at least 70% ethanol
    assert all(_num(o) < 70 for i, o in enumerate(at_least.options) if i != at_least.answer)
    no_more = by_text["Air-dry the "]  # no more than 5 minutes
    assert all(_num(o) > 5 for i, o in enumerate(no_more.options) if i != no_more.answer)


def test_percentages_of_other_things_are_no_siblings():
    """ "0 % water" beside "95 % saturation" and "10% bleach": a percentage is confused only with
    percentages of the same thing."""
    doc = parse_sop_text(
        "# Calibrate\n\n## Procedure\n1. Wipe the sensor with 10% bleach and then with 70% ethanol.\n"
        "2. Put the sensor back into the 0 % water and check that the reading drops to zero.\n"
        "3. Accept a reading of at least 95 % saturation in the air-saturated bath.\n"
        "4. Rinse the housing with 30% bleach after the last cast of the day.\n"
    )
    by_text = {c.step.text[:12]: c for c in candidates(doc, kinds=["value_choice", "statement_choice"])}
    assert not any(t.startswith("Put the sens") for t in by_text)  # no other "% water": no choice
    for c in by_text.values():
        assert not any("0.1" in o for o in c.options)


def test_a_value_with_only_made_up_distractors_is_not_a_choice():
    """70% is the only percentage: its options could only be made by scaling it, which tempts no reader."""
    doc = parse_sop_text(
        "# Wipe\n\n## Procedure\n1. Wipe the bench with at least 70% ethanol before use.\n"
        "2. Dry the bench with a clean paper towel afterwards.\n"
    )
    assert not candidates(doc, kinds=["value_choice"])
    assert candidates(doc, kinds=["numeric"])


def test_roles_of_other_sops_are_never_distractors():
    """A role from another SOP is not a distractor anyone who skimmed this one would pick."""
    doc = parse_sop_text(
        "# SOP-7 Hand-off\n\n## Procedure\n\n1. Old IC: brief the New IC on the situation.\n"
        "2. New IC: confirm that you are taking over the incident.\n"
        "3. New IC: send out a sitrep about the hand-off.\n",
        filename="h.md",
    )
    assert not [c for c in candidates(doc) if c.kind == "who_does"], "only 2 roles of its own"


def test_new_types_in_a_full_quiz_and_backwards_compatible_call():
    doc = _doc()
    qs = generate_questions(doc, 12)
    check_set(qs, doc)
    assert 0 < len(qs) <= 12
    pool = generate_questions(doc, 40, 0)
    check_set(pool, doc)
    types = {q.type for q in pool}
    assert {"numeric", "single_choice"} <= types
    assert not {"matching", "scenario", "ordering"} & types  # written by trainers, never drafted
    for q in pool:
        assert 0 <= q.extra["scores"]["plausibility"] <= 1
        assert set(q.extra["covers"]) <= {s.id for s in doc.steps}


def test_nested_values_keep_what_they_apply_to():
    """A nested item that is no step ("Poultry: 165 °F") stays with its step, so its value keeps its subject;
    a short nested step ("Add 5 mL of buffer.") is asked under the step it belongs to."""
    doc = parse_sop_text(
        "# Cooking\n\n## Procedure\n"
        "1. Cook each food to its minimum internal temperature:\n"
        "   - Poultry: 165 °F\n   - Ground beef: 155 °F\n   - Fish and seafood: 145 °F\n"
        "2. Prepare the sanitiser bucket for the cutting boards:\n"
        "   a. Add 5 mL of bleach.\n   b. Fill to 4 L with cold water.\n"
    )
    assert doc.steps[0].text.startswith(
        "Cook each food to its minimum internal temperature: Poultry: 165 °F;"
    )
    poultry = [c for c in candidates(doc, kinds=["numeric"]) if "Poultry: ____ °F" in c.stem]
    assert poultry and poultry[0].answer["value"] == 165
    bleach = [c for c in candidates(doc, kinds=["numeric"]) if "bleach" in c.stem]
    assert bleach and 'under "Prepare the sanitiser bucket for the cutting boards"' in bleach[0].stem
