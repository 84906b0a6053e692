"""Defects reviewers named on SOPs the generator had not been tuned on, each turned into a rule that holds
for any SOP: two names of one group are not two roles, a verb that is wrong by itself cues a false key, a
value whose subject is elsewhere has no fair blank, a sibling value a hundred times the key tempts nobody."""

from __future__ import annotations

from quizzes.generate import candidates
from quizzes.generators.requirements import forbidden
from quizzes.generators.roles import _overlaps
from sops.parse import parse_sop_text


def test_two_names_of_one_group_are_one_role():
    assert _overlaps("Identified staff", "Staff members")
    assert not _overlaps("QA Manager", "Production Manager")


def test_acts_wrong_by_their_verb_are_not_asked():
    assert forbidden("Never ignore damaged boards.") is None
    assert forbidden("Don't skip cleaning activities at end of shift.") is None
    assert forbidden("Do not populate: There are situations where it makes no sense.") is None
    assert forbidden("Never reuse cutting boards for raw meat.") == (
        "you may reuse cutting boards for raw meat"
    )


EXTRACTION = """# DNA extraction

## Extraction steps
1. Mix 350 µL of buffer AL with 350 µL of ethanol to make the mastermix.
2. Add 700 µL of this mastermix to your supernatant and vortex immediately.
3. Add 2 µL of RNase A and 5 µL of proteinase K to the sample.
4. Elute the DNA in 105 µL of the pre-warmed AE buffer.
5. Load 1 µL of the eluate on the Nanodrop and record the concentration.
"""


def test_a_value_whose_subject_is_in_another_sentence_is_not_blanked():
    stems = [c.stem for c in candidates(parse_sop_text(EXTRACTION), kinds=["numeric", "value_choice"])]
    assert stems and not any("this mastermix" in s for s in stems)


def test_value_options_are_the_sops_own_values_near_the_key():
    for c in candidates(parse_sop_text(EXTRACTION), kinds=["value_choice"]):
        values = [float(o.split()[0]) for o in c.options]
        key = values[c.answer]
        assert all(0.1 <= v / key <= 10 for v in values), c.options  # 105 µL is no slip for 2 µL
        assert set(values) <= {350, 700, 2, 5, 105, 1}  # never made up by scaling


NEVER = """# Autoclave operation

## Procedure
1. Load the bin and close the door.

## Never autoclave
- Flammable or radioactive materials
- Household bleach
- Any liquid in a sealed container
- Paraffin-embedded tissue
"""


def test_things_listed_under_a_forbidding_heading_are_prohibitions_asked_once():
    doc = parse_sop_text(NEVER)
    listed = [r.text for r in doc.rules if r.kind == "prohibition"]
    assert "Never autoclave: Household bleach." in listed and len(listed) == 4
    (asked,) = [c.stem for c in candidates(doc, kinds=["permission"])]  # one list, one question
    assert asked == "True or false? Under this SOP, you may autoclave household bleach."  # not the obvious


def test_tick_boxes_of_a_form_are_not_text():
    from sops.inline import clean_inline

    assert clean_inline("Schedule ID Verification session \u274f") == "Schedule ID Verification session"


def test_a_frequency_given_twice_is_blanked_twice():
    doc = parse_sop_text(
        "# Field blanks\n\n## Procedure\n1. Filter one field blank at the start of the cruise.\n"
        "2. If more than 50 samples are collected, filter an extra field blank every 50 samples.\n"
    )
    (c,) = [c for c in candidates(doc, kinds=["numeric"]) if "samples" in c.stem]
    assert c.stem.count("____") == 2 and "50" not in c.stem and c.answer["value"] == 50
    assert "(the same in every blank)" in c.stem.splitlines()[0]  # two blanks, one key: say so


WASHES = """# Spin-column clean-up

## Procedure
1. Add 500 µL of salt wash to remove proteins and centrifuge for 1 min.
2. Pipette 600 µL of ethanol rinse onto the membrane, then centrifuge for 1 min.
3. Elute the DNA with 100 µL of warm elution buffer, as before, and centrifuge for 1 min.
4. Discard the flow-through into the waste bottle under the hood.
"""


def test_the_shared_constant_gives_way_to_the_value_that_differs():
    asked = candidates(parse_sop_text(WASHES), kinds=["numeric"])
    keys = {(c.answer["value"], c.answer["unit"]) for c in asked}
    assert (500, "µL") in keys and (600, "µL") in keys
    assert (1, "min") not in keys  # every wash spins 1 min: the volume is what differs
    assert not any("as before" in c.stem for c in asked)  # points at a step the stem does not show


def test_a_question_that_shows_another_ones_key_gives_it_away():
    from quizzes.generate import gives_away

    fill = ('Fill in: "Soak the tubing in bleach for ____ min."', [], "numeric", {"value": 15, "unit": "min"})
    options = ["Soak the tubing for 15 min.", "Soak it for 2 min."]
    shows = ("Which statement is right?", options, "single_choice", 1)
    apart = ('Fill in: "Rinse ____ times."', [], "numeric", {"value": 3, "unit": ""})
    assert gives_away(fill, [shows]) and gives_away(shows, [fill])
    assert not gives_away(fill, [apart])


def test_a_dish_size_is_no_value_and_unlike_copies_are_not_blanked_together():
    doc = parse_sop_text(
        "# Coating\n\n## Procedure\n"
        "1. Place the chips in a 10 cm petri dish and sonicate them for 15 minutes.\n"
        "2. Make the dNTPs to 10 mM each and store them in 10mM Tris-EDTA at -20 °C until use.\n"
    )
    stems = [c.stem for c in candidates(doc, kinds=["numeric"])]
    assert not any("____ cm petri" in s for s in stems)  # the dish's size is trivia
    assert not any(s.count("____") > 1 for s in stems)  # "10 mM" and "10mM Tris" are two things


def test_will_states_a_duty():
    doc = parse_sop_text(
        "# Deviations\n\n## Procedure\n1. Record the deviation in the log.\n\n## Responsibilities\n"
        "The Quality Manager will approve every deviation report before it is closed.\n"
        "The Line Supervisor reviews the deviation log at the end of each shift.\n"
        "The Production Engineer repairs the filling line after every stoppage.\n"
    )
    stems = [c.stem for c in candidates(doc, kinds=["who_does"])]
    assert any("approve every deviation report" in s for s in stems)


def test_rules_of_thumb_cut_conditions_and_named_baths_are_not_blanked():
    from quizzes.generators.values import as_shown

    assert as_shown("The sensor then needs to hydrate for at least 24 h.") is None  # its condition was before
    assert as_shown("Generally, 37 °C for 20 minutes will suffice.") is None  # a rule of thumb
    assert as_shown("Vortex then centrifuge for 10 s.") == "Vortex then centrifuge for 10 s."
    doc = parse_sop_text(
        "# Calibration\n\n## Procedure\n"
        "1. Immerse the sensor in the 100 % bath overnight before calibrating.\n"
        "2. Accept readings of at least 95 % saturation after the overnight soak.\n"
        "3. Discard any sensor that reads below 80 % saturation in air.\n"
    )
    stems = [c.stem for c in candidates(doc, kinds=["numeric", "value_choice"])]
    assert not any("____ % bath" in s for s in stems) and stems


def test_one_prohibition_with_an_uncommon_verb_is_asked_once_in_the_sop():
    doc = parse_sop_text(
        "# Filtering\n\n## Set-up\n1. Do not submerge the filter housing.\n2. Rinse the tubing.\n\n"
        "## Filtration\n3. Never submerge the Smith-Root entirely.\n4. Do not leave the pump running.\n\n"
        "## Clean-up\n5. Do not leave the bucket outside.\n"
    )
    asked = [c.stem for c in candidates(doc, kinds=["permission"])]
    assert sum("submerge" in s for s in asked) == 1
    assert sum("leave" in s for s in asked) == 2  # a common verb: two different rules in two sections


def test_the_sops_constant_is_never_the_blank():
    steps = "".join(
        f"{i}. Fill the {thing} with 10% bleach and let it stand for {minutes} minutes.\n"
        for i, (thing, minutes) in enumerate(
            [("bucket", 2), ("carboy", 7), ("bottle", 10), ("tube rack", 15), ("funnel", 20)], start=1
        )
    )
    rinse = "6. Rinse every item with 500 mL of RO water before it is used for sampling.\n"
    doc = parse_sop_text("# Sterilization\n\n## Procedure\n" + steps + rinse)
    keys = {(c.answer["value"], c.answer["unit"]) for c in candidates(doc, kinds=["numeric"])}
    assert (10, "%") not in keys  # five steps share it
    assert (500, "mL") in keys
