"""A stem names the section it comes from when the sentence alone does not say what it is about ("Allow to
sit for ____ minutes": what sits?), unless the heading says nothing or would give the key away."""

from __future__ import annotations

from quizzes.generate import candidates
from sops.parse import parse_sop_text

SOP = """# Field sampling protocol

## Bottle Sterilization
1. Fill each bottle to the top with 10% bleach and seal it.
2. Allow the bottles to sit for 7 minutes, then flip them upside down.

## Procedure
3. Rinse the tubing with RO water for 2 minutes before every sample.
4. Soak the filter housing in 10% bleach for 15 minutes before use.

## 100 % saturation check
5. Leave the sensor in the bubbled water bath for 30 minutes before reading.

## Never autoclave
6. Never autoclave household bleach or any other oxidiser.
"""


def _stems(kind):
    return {c.step.text: c.stem for c in candidates(parse_sop_text(SOP), kinds=[kind])}


def test_value_questions_name_an_informative_section():
    stems = _stems("numeric")
    sit = next(v for k, v in stems.items() if k.startswith("Allow"))
    assert sit.startswith('Fill in the missing value in this SOP instruction from "Bottle Sterilization":')
    rinse = next(v for k, v in stems.items() if k.startswith("Rinse"))
    assert "from" not in rinse.splitlines()[0]  # "Procedure" tells the learner nothing


def test_a_heading_that_holds_a_number_or_a_prohibition_is_not_shown():
    stems = _stems("numeric")
    bath = next(v for k, v in stems.items() if k.startswith("Leave"))
    assert "saturation" not in bath  # "100 %" in the heading could show a key
    (permission,) = _stems("permission").values()
    assert permission.startswith("True or false? Under this SOP, you may autoclave")  # no "(Never ...)"


LISTED = """# DNA extraction

## Elution
1. Place the spin column in a new collection tube.
2. Add 105 µL of the pre-warmed AE buffer.
3. Close the caps and incubate at 56 °C for 5 minutes.
"""


def test_a_short_step_names_the_step_before_it_unless_that_shows_values():
    stems = {c.step.text: c.stem for c in candidates(parse_sop_text(LISTED), kinds=["numeric"])}
    added = stems["Add 105 µL of the pre-warmed AE buffer."]
    assert ', after "Place the spin column in a new collection tube":' in added
    closed = stems["Close the caps and incubate at 56 °C for 5 minutes."]
    assert "after" not in closed.splitlines()[0]  # "Add 105 µL ..." would show another key
