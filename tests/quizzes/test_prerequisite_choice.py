"""Sequence questions only where the SOP states the order ("Y before X"): the key is Y, the distractors are
steps the SOP places after X; nothing for a far-off X, a time, or a list whose order nobody stated."""

from __future__ import annotations

from quizzes.generate import candidates, draft_pool
from quizzes.generators.base import Context
from quizzes.generators.prerequisites import prerequisites
from sops.parse import parse_sop_text
from sops.values import find_values

CABINET = """# Biosafety cabinet operation

## Procedure
1. Press the blower button to turn the cabinet on and open the sash to the marked level.
2. Leave the sash open and the blower on for 5 minutes before beginning work to allow the cabinet to purge.
3. Wipe the work surface with ethanol and let it dry.
4. Move arms in and out slowly while working inside the cabinet.
5. Keep clean materials on the left and dirty materials on the right.
6. When finished, decontaminate all surfaces and materials with ethanol.
7. Close the sash and turn off the blower.
"""

FAR_AWAY = """# Leaving the team

## Checklist
1. Tell your manager the date of your last day.
2. Return your laptop to the service desk.
3. Review the pension refund form before leaving the agency.
4. Hand over your open tickets to a colleague.
5. Remove yourself from the on-call rota.
6. Delete your personal files from the shared drive.
7. Say goodbye to the team on the chat channel.
"""


def _asked(doc):
    return candidates(doc, kinds=["prerequisite_choice"])


def test_the_key_is_what_the_sop_puts_first_and_distractors_come_after_it():
    found = _asked(parse_sop_text(CABINET))
    assert len(found) == 1
    c = found[0]
    assert c.stem == "Under this SOP, what must you do before beginning work?"
    assert (
        c.options[c.answer] == "Leave the sash open and the blower on"
    )  # the duration is a value, not the order
    distractors = [o for i, o in enumerate(c.options) if i != c.answer]
    assert len(distractors) == 3
    later = {
        "Move arms in and out slowly while working inside the cabinet",
        "Keep clean materials on the left and dirty materials on the right",
        "Decontaminate all surfaces and materials with ethanol",
        "Close the sash and turn off the blower",
    }
    assert set(distractors) <= later  # done after work began: wrong to anyone who read it
    assert "Press the blower button" not in " ".join(c.options)  # also done before work: a second key
    assert c.quote in c.step.text


def test_an_x_no_nearby_step_does_is_not_asked():
    # "before leaving the agency": every other step of the checklist is also done before it
    doc = parse_sop_text(FAR_AWAY)
    assert prerequisites(Context(doc), doc.steps[2])  # the sentence is read ...
    assert _asked(doc) == []  # ... but no step nearby does the leaving, so no question
    dated = parse_sop_text(FAR_AWAY.replace("leaving the agency", "your last day"))
    assert prerequisites(Context(dated), dated.steps[2]) == []  # a date is no act


def test_times_places_and_offsets_are_no_prerequisite():
    doc = parse_sop_text(
        "# Autoclave\n\n## Procedure\n"
        "1. Turn the autoclave dial to Load 5-10 min. before loading the chamber.\n"
        "2. Load the chamber with the bin.\n"
        "3. Submit the extract before 12:00 pm local time.\n"
        "4. Work at least 4 inches before the front grille.\n"
        "5. Check the seal before proceeding.\n"
    )
    ctx = Context(doc)
    assert all(prerequisites(ctx, s) == [] for s in doc.steps)


def test_one_question_per_section_and_it_reaches_the_pool():
    doc = parse_sop_text(CABINET.replace("5 minutes", "a few minutes"))
    kinds = [q.extra.get("kind") for q in draft_pool(doc)]
    assert kinds.count("prerequisite_choice") == 1


def test_counts_after_a_limit_are_values():
    assert [(v.value, v.unit) for v in find_values("Individual files must not exceed 200,000 records.")] == [
        (200000.0, "records")
    ]
    assert [(v.value, v.unit) for v in find_values("The abstract must be at least 100 words long.")] == [
        (100.0, "words")
    ]
    assert find_values("There are 96 samples on the plate.") == []  # how many there are, no limit
    assert find_values("Heat up to 4 degrees above the set point.") == []  # a unit without its scale
    assert find_values("Repeat every 10 process runs.") == []  # "process" is no plural
    assert [v.unit for v in find_values("Store for over 30 days.")] == ["d"]  # a duration, found once
