"""Rules outside lists: sentences that oblige, forbid, limit or condition, in any section, and their diff."""

from __future__ import annotations

from pathlib import Path

import pytest

from sops.diff import diff_revisions
from sops.model import SopDocument
from sops.parse import parse_sop, parse_sop_text
from sops.rules import rule_kind

ROOT = Path(__file__).resolve().parents[2]

SOP = """# Spill response

## Responsibilities
The safety officer must be told of every spill over 10 mL within 30 minutes.
Never pipette by mouth.
See section 4 for the form.

## Procedure
1. Put on nitrile gloves.
2. If the spill is over 10 mL, evacuate the room and close the door.
3. Wipe the bench with 70% ethanol.
"""


def test_rules_come_from_prose_and_from_steps():
    doc = parse_sop_text(SOP)
    by_text = {r.text: r for r in doc.rules}
    told = by_text["The safety officer must be told of every spill over 10 mL within 30 minutes."]
    assert told.kind == "limit" and told.step_id is None
    assert {v.unit for v in told.critical_values} >= {"mL", "min"}
    assert by_text["Never pipette by mouth."].kind == "prohibition"
    spill = next(r for r in doc.rules if r.text.startswith("If the spill"))
    assert spill.kind == "condition" and spill.step_id == doc.steps[1].id
    assert spill.condition == "If the spill is over 10 mL"
    assert not any(r.text.startswith("See section") for r in doc.rules)
    assert [r.text for r in doc.prose_rules] == [told.text, "Never pipette by mouth."]


@pytest.mark.parametrize(
    "sentence",
    [
        "Is the door closed before you start?",
        "For example, you must wear gloves in the lab.",
        "3 Can be substituted with generic, must fit 50 mL tubes",
        "The lab has two benches and a fume hood.",
    ],
)
def test_what_is_not_a_rule(sentence):
    assert rule_kind(sentence) is None


def test_rules_survive_the_stored_structure():
    doc = parse_sop_text(SOP)
    again = SopDocument.from_dict(doc.to_dict())
    assert again.rules == doc.rules
    assert again.content_hash == doc.content_hash


def test_a_reworded_prose_rule_is_a_change_that_needs_retraining():
    old = parse_sop_text(SOP)
    new = parse_sop_text(
        SOP.replace("within 30 minutes", "within 15 minutes").replace("Never pipette", "Do not eat")
    )
    diff = diff_revisions(old, new)
    assert diff.rule_counts == {"changed": 1, "added": 1, "removed": 1}
    changed = next(c for c in diff.rule_changes if c.kind == "changed")
    assert "30 minutes" in changed.old_text and "15 minutes" in changed.new_text
    assert diff.has_changes and not diff.is_editorial
    assert all(c.kind == "unchanged" for c in diff.changes)  # no step changed
    assert diff_revisions(old, parse_sop_text(SOP)).rule_changes == []


FORMATS = (
    "lms/demo/sops/{}.md",
    "tests/fixtures/docx/{}.docx",
    "tests/fixtures/html/{}.html",
    "tests/fixtures/pdf/{}.pdf",
)


@pytest.mark.parametrize(
    "stem",
    [
        "lab-dna-quantification-qubit-fluorometer-noaa-pmel",
        "safety-lockout-tagout-osha-typical-minimal-procedure",
        "qms-capa-procedure",
        "lab-reagent-prep-inactivation-saline-floodlamp",
        "lab-rpa-assay-setup-techoceans",
    ],
)
def test_the_same_sop_in_every_format_gives_the_same_steps_and_rules(stem):
    counts = []
    for pattern in FORMATS:
        path = ROOT / pattern.format(stem)
        if path.exists():
            doc = parse_sop(path.read_bytes(), path.name)
            counts.append((len(doc.steps), len(doc.rules)))
    assert len(counts) >= 3
    steps, rules = zip(*counts, strict=True)
    assert max(steps) - min(steps) <= 1, counts
    assert max(rules) - min(rules) <= 1, counts


def test_restructuredtext_reads_like_markdown():
    """An .rst SOP: its underlined titles are sections and its "-" and numbered lists are read as such."""
    rst = (
        b"Release\n=======\n\nPreparing\n---------\n\n"
        b"1. Check the build is green.\n2. Never tag before the tests pass.\n"
    )
    doc = parse_sop(rst, "release.rst")
    assert [s.heading for s in doc.sections][-1] == "Preparing"
    assert [s.text for s in doc.steps] == ["Check the build is green.", "Never tag before the tests pass."]
    assert doc.rules[0].kind == "prohibition"
