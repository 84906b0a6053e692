"""`sops.diff.diff_revisions`: step-level diffs between two revisions of an SOP.

Revisions are made by editing the Markdown of real SOPs and parsing both; assertions look at the edited
steps (found by their text) so they hold whatever the parser makes of the rest of the document.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable

import pytest
from sop_fixtures import FIXTURES

from sops.diff import RevisionDiff, StepChange, diff_revisions
from sops.model import Section, SopDocument, Step
from sops.parse import parse_sop_text
from sops.values import find_values

LOTO = (FIXTURES / "safety-lockout-tagout-osha-typical-minimal-procedure.md").read_text(encoding="utf-8")
QUBIT = (FIXTURES / "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md").read_text(encoding="utf-8")


def paired(diff) -> dict[str, str]:
    """Old step id -> new step id for every step the diff found in both revisions."""
    return {c.old_step_id: c.new_step_id for c in diff.changes if c.old_step_id and c.new_step_id}


def parse(text: str) -> SopDocument:
    return parse_sop_text(text)


def edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def edit_items(text: str, heading: str, change: Callable[[list[str]], list[str]]) -> str:
    """Apply `change` to the bodies of the "1." items under `heading` and renumber them."""
    start = text.index(heading) + len(heading)
    end = text.find("\n#", start)
    end = len(text) if end == -1 else end
    preamble, *items = re.split(r"(?m)^(?=\d+\. )", text[start:end])
    bodies = [re.sub(r"^\d+\. ", "", item).rstrip("\n") for item in items]
    block = "".join(f"{n}. {body}\n\n" for n, body in enumerate(change(bodies), start=1))
    return text[:start] + preamble + block + text[end:]


def by_text(diff: RevisionDiff, fragment: str) -> StepChange:
    found = [c for c in diff.changes if fragment in (c.new_text or c.old_text or "")]
    assert len(found) == 1, (fragment, found)
    return found[0]


def others(diff: RevisionDiff, *edited: StepChange) -> list[StepChange]:
    return [c for c in diff.changes if not any(c is e for e in edited)]


def assert_complete(old: SopDocument, new: SopDocument, diff: RevisionDiff) -> None:
    """Every old step is the old side exactly once, every new step the new side exactly once."""
    old_ids = Counter(c.old_step_id for c in diff.changes if c.old_step_id)
    new_ids = Counter(c.new_step_id for c in diff.changes if c.new_step_id)
    assert old_ids == Counter(s.id for s in old.steps)
    assert new_ids == Counter(s.id for s in new.steps)
    # new-document order of the new sides
    new_order = [c.new_step_id for c in diff.changes if c.new_step_id]
    assert new_order == [s.id for s in new.steps]
    for change in diff.changes:
        assert change.kind in ("unchanged", "changed", "added", "removed", "moved")
        assert (change.old_step_id is None) == (change.kind == "added")
        assert (change.new_step_id is None) == (change.kind == "removed")
        assert 0.0 <= change.similarity <= 1.0
    json.dumps(diff.to_dict())


def test_identical_documents_are_all_unchanged():
    old, new = parse(QUBIT), parse(QUBIT)
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    assert {c.kind for c in diff.changes} == {"unchanged"}
    assert all(c.similarity == 1.0 and not c.segments and not c.editorial for c in diff.changes)
    assert diff.is_editorial
    assert not diff.has_changes
    assert diff.changed_step_ids(old=True) == diff.changed_step_ids(old=False) == []
    assert paired(diff) == {s.id: s.id for s in old.steps}
    assert {c.kind for c in diff.section_changes} == {"unchanged"}
    assert diff.counts["unchanged"] == len(old.steps)


def test_inserted_step_only_renumbers_the_later_ones():
    added_text = "Attach a danger tag to each lock, naming the authorized employee."
    text = edit(
        LOTO,
        ("(5) Lock out the energy", f"(5) {added_text}\n\n(6) Lock out the energy"),
        ("(6) Stored or residual", "(7) Stored or residual"),
        ("(7) Ensure that the equipment", "(8) Ensure that the equipment"),
        ("(8) The machine or equipment is now", "(9) The machine or equipment is now"),
    )
    old, new = parse(LOTO), parse(text)
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    added = by_text(diff, "Attach a danger tag")
    assert added.kind == "added"
    assert added.new_number == "(5)"
    assert added.section == "Sequence of Lockout"
    assert {c.kind for c in others(diff, added)} == {"unchanged"}
    lock = by_text(diff, "Lock out the energy isolating device(s) with assigned")
    assert (lock.old_number, lock.new_number) == ("(5)", "(6)")
    assert lock.renumbered
    assert diff.changed_step_ids(old=False) == [added.new_step_id]
    assert diff.changed_step_ids(old=True) == []
    assert not diff.is_editorial
    assert diff.counts["added"] == 1


def test_deleted_step_is_removed_where_it_was():
    text = edit(
        LOTO,
        ("(3) Verify that the controls are in neutral.\n\n", ""),
        ("(4) Remove the lockout devices", "(3) Remove the lockout devices"),
        (
            "(5) Notify affected employees that the servicing",
            "(4) Notify affected employees that the servicing",
        ),
    )
    old, new = parse(LOTO), parse(text)
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    removed = by_text(diff, "Verify that the controls are in neutral")
    assert removed.kind == "removed"
    assert removed.old_number == "(3)"
    assert removed.section == "Restoring Equipment to Service"
    assert {c.kind for c in others(diff, removed)} == {"unchanged"}
    position = diff.changes.index(removed)
    assert "Check the work area" in diff.changes[position - 1].new_text
    assert "Remove the lockout devices" in diff.changes[position + 1].new_text
    assert diff.changed_step_ids(old=True) == [removed.old_step_id]
    assert diff.changed_step_ids(old=False) == []
    assert removed.old_step_id not in paired(diff)


def test_changed_value_is_a_changed_step_with_its_critical_values():
    text = edit(
        QUBIT,
        ("tube racks regularly for 2 minutes.", "tube racks regularly for 5 minutes."),
        ("When the reading is complete (~3 seconds)", "When the reading is complete (~5 seconds)"),
    )
    old, new = parse(QUBIT), parse(text)
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    uv = by_text(diff, "If you have a UV crosslinker")
    assert uv.kind == "changed"
    assert not uv.moved
    assert uv.critical_values_changed == ["2 minutes -> 5 minutes"]
    assert ("delete", "2 ") in uv.segments
    assert ("insert", "5 ") in uv.segments
    assert 0.6 <= uv.similarity < 1.0
    reading = by_text(diff, "read standards")
    assert reading.kind == "changed"
    assert reading.critical_values_changed == ["3 seconds -> 5 seconds"]
    assert {c.kind for c in others(diff, uv, reading)} == {"unchanged"}
    assert sorted(diff.changed_step_ids(old=True)) == sorted([uv.old_step_id, reading.old_step_id])
    assert not diff.is_editorial


def test_reworded_step_shows_the_words():
    old_text = "Check the work area to ensure that all employees have been safely positioned or removed"
    new_text = "Check the work area to confirm that every employee has been safely positioned or removed"
    old, new = parse(LOTO), parse(edit(LOTO, (old_text, new_text)))
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    change = by_text(diff, "Check the work area")
    assert change.kind == "changed"
    assert change.critical_values_changed == []
    assert 0.6 <= change.similarity < 1.0
    deleted = " ".join(t for op, t in change.segments if op == "delete")
    inserted = " ".join(t for op, t in change.segments if op == "insert")
    assert "ensure" in deleted and "confirm" in inserted
    assert "ensure" not in inserted
    assert "".join(t for op, t in change.segments if op != "delete") == change.new_text
    old_side = "".join(t for op, t in change.segments if op != "insert")
    assert old_side.split() == change.old_text.split()
    assert {c.kind for c in others(diff, change)} == {"unchanged"}


def test_moved_step_is_moved_and_the_rest_unchanged():
    def move_vortex_first(items: list[str]) -> list[str]:
        vortex = next(i for i in items if i.startswith("Vortex and spin down"))
        rest = [i for i in items if i is not vortex]
        return [rest[0], vortex, *rest[1:]]

    old, new = parse(QUBIT), parse(edit_items(QUBIT, "### Preparation", move_vortex_first))
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    moved = by_text(diff, "Vortex and spin down the sample DNA")
    assert moved.kind == "moved"
    assert moved.moved
    assert (moved.old_number, moved.new_number) == ("6", "2")
    assert {c.kind for c in others(diff, moved)} == {"unchanged"}
    assert diff.changed_step_ids(old=True) == diff.changed_step_ids(old=False) == []
    assert not diff.is_editorial
    assert diff.counts["moved"] == 1


def test_moved_and_reworded_step_is_changed_and_moved():
    def move_and_edit(items: list[str]) -> list[str]:
        vortex = next(i for i in items if i.startswith("Vortex and spin down"))
        rest = [i for i in items if i is not vortex]
        edited = vortex.replace("mini-centrifuge", "microcentrifuge")
        return [rest[0], edited, *rest[1:]]

    old, new = parse(QUBIT), parse(edit_items(QUBIT, "### Preparation", move_and_edit))
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    change = by_text(diff, "Vortex and spin down the sample DNA")
    assert change.kind == "changed"
    assert change.moved
    assert ("insert", "microcentrifuge ") in change.segments
    assert diff.counts["moved_and_changed"] == 1
    assert {c.kind for c in others(diff, change)} == {"unchanged"}


def test_whitespace_case_and_punctuation_edits_are_editorial():
    text = edit(
        LOTO,
        ("(3) Verify that the controls are in neutral.", "(3) VERIFY that the  controls are in neutral"),
        ("Check the work area to ensure that all", "Check the work area, to ensure that all"),
    )
    # and a paragraph outside the steps
    text = edit(text, ("The following simple lockout procedure", "This simple lockout procedure"))
    old, new = parse(LOTO), parse(text)
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    verify = by_text(diff, "controls are in neutral")
    check = by_text(diff, "Check the work area")
    for change in (verify, check):
        assert change.kind == "unchanged"
        assert change.editorial
        assert change.similarity == 1.0
        assert change.segments  # the UI can still show the touch-up
    assert {c.kind for c in diff.changes} == {"unchanged"}
    assert diff.is_editorial
    assert diff.has_changes
    assert diff.changed_step_ids(old=True) == []
    general = next(c for c in diff.section_changes if c.new_heading == "General")
    assert general.kind == "unchanged"
    assert general.text_changed


def test_completely_different_documents_are_all_added_and_removed():
    old, new = parse(LOTO), parse(QUBIT)
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    assert diff.counts["added"] == len(new.steps)
    assert diff.counts["removed"] == len(old.steps)
    assert {c.kind for c in diff.changes} == {"added", "removed"}
    assert not diff.is_editorial
    assert sorted(diff.changed_step_ids(old=True)) == sorted(s.id for s in old.steps)
    assert paired(diff) == {}


def test_sections_renamed_added_and_removed():
    text = edit(
        LOTO,
        ("### Sequence of Lockout", "### Lockout Sequence"),
        (
            "### Compliance With This Program\n",
            "### Training Records\n\nKeep training records.\n\n### Compliance With This Program\n",
        ),
        ("## General\n", "## Overview of the Standard\n"),
    )
    text = edit(text, ("### Purpose\n\nThis procedure establishes", "This procedure establishes"))
    old, new = parse(LOTO), parse(text)
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    kinds = {(c.kind, c.old_heading, c.new_heading) for c in diff.section_changes}
    assert ("renamed", "Sequence of Lockout", "Lockout Sequence") in kinds
    assert ("added", None, "Training Records") in kinds
    assert ("removed", "Purpose", None) in kinds
    assert {c.kind for c in diff.changes} == {"unchanged"}
    assert by_text(diff, "Lock out the energy isolating").section == "Lockout Sequence"
    assert by_text(diff, "Lock out the energy isolating").old_section == "Sequence of Lockout"
    assert diff.section_counts["renamed"] >= 1


# --- synthetic documents: built as models, so independent of the parser --------------------------

_VERBS = ("Add", "Mix", "Check", "Record", "Label", "Spin", "Pipette", "Verify", "Inspect", "Wipe")
_WORDS = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "po", "ra", "se", "tu") for b in "bdfgklmnprstvz"]


def _sentence(rng: random.Random) -> str:
    words = rng.sample(_WORDS, rng.randint(8, 16))
    return f"{rng.choice(_VERBS)} the {' '.join(words)} for {rng.randint(1, 99)} minutes."


def _document(texts: list[str]) -> SopDocument:
    section = Section(id="sec-1", kind="procedure", heading="Procedure")
    steps = [
        Step(
            id=f"step-{n}", number=str(n), depth=0, section_id="sec-1", text=t, critical_values=find_values(t)
        )
        for n, t in enumerate(texts, start=1)
    ]
    return SopDocument(title="Synthetic", sections=[section], steps=steps)


def _mutate(rng: random.Random, texts: list[str], edits: int) -> tuple[list[str], set[str]]:
    """Random inserts, deletions, one-word modifications and moves; returns the untouched texts too."""
    new = list(texts)
    touched: set[str] = set()
    for _ in range(edits):
        op = rng.choice(("insert", "delete", "modify", "move"))
        if op == "insert" or not new:
            new.insert(rng.randint(0, len(new)), _sentence(rng))
        elif op == "delete":
            touched.add(new.pop(rng.randrange(len(new))))
        elif op == "modify":
            k = rng.randrange(len(new))
            touched.add(new[k])
            words = new[k].split()
            words[rng.randrange(1, len(words) - 2)] = rng.choice(_WORDS)
            new[k] = " ".join(words)
        else:
            moved = new.pop(rng.randrange(len(new)))
            new.insert(rng.randint(0, len(new)), moved)
    return new, set(texts) - touched


@pytest.mark.parametrize("seed", range(25))
def test_random_edits_pair_every_step_exactly_once(seed):
    rng = random.Random(seed)
    texts = [_sentence(rng) for _ in range(rng.randint(0, 60))]
    new_texts, untouched = _mutate(rng, texts, rng.randint(0, 15))
    old, new = _document(texts), _document(new_texts)
    diff = diff_revisions(old, new)
    assert_complete(old, new, diff)
    for change in diff.changes:
        if change.old_text in untouched and change.old_text in new_texts:
            assert change.kind in ("unchanged", "moved")
            assert change.new_text == change.old_text
    # removed steps stay near their old neighbours: the old sides appear in old order, moves aside
    old_order = [c.old_step_id for c in diff.changes if c.old_step_id and not c.moved]
    assert old_order == [s.id for s in old.steps if s.id in set(old_order)]


def test_three_hundred_steps_diff_fast():
    rng = random.Random(300)
    texts = [_sentence(rng) for _ in range(300)]
    new_texts, _ = _mutate(rng, texts, 40)
    old, new = _document(texts), _document(new_texts)
    other = _document([_sentence(rng) for _ in range(300)])
    start = time.perf_counter()
    diff = diff_revisions(old, new)
    different = diff_revisions(old, other)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, elapsed  # a guard, not a benchmark: ~0.1 s on a laptop
    assert_complete(old, new, diff)
    assert diff.counts["unchanged"] > 200
    assert_complete(old, other, different)
    assert different.counts["added"] == different.counts["removed"] == 300


def test_large_revision_with_every_step_edited_pairs_in_place():
    """Beyond the exhaustive search size, steps are still paired with their edited counterparts."""
    old = _document([f"Add 10 µL of reagent {k} to tube {k} and mix." for k in range(300)])
    new_texts = [f"Add 20 µL of reagent {k} to tube {k} and mix." for k in range(300)]
    # one step also moved far and reworded; the rare words (its reagent number) still find it
    new_texts.insert(10, new_texts.pop(250).replace("and mix", "then mix gently"))
    new = _document(new_texts)
    start = time.perf_counter()
    diff = diff_revisions(old, new)
    assert time.perf_counter() - start < 2.0
    assert_complete(old, new, diff)
    assert {c.kind for c in diff.changes} == {"changed"}
    assert all(c.critical_values_changed == ["10 µL -> 20 µL"] for c in diff.changes)
    far = by_text(diff, "reagent 250 to")
    assert far.moved
    assert (far.old_number, far.new_number) == ("251", "11")
    assert sum(c.moved for c in diff.changes) == 1
