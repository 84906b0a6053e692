"""Who does what, asked from the SOP's own sentences: "The QMO is responsible for ..." -> "who is ...?"."""

from __future__ import annotations

from pathlib import Path

from quizzes.generate import candidates
from quizzes.generators.roles import who_asks, whom_asks
from sops.parse import parse_sop, parse_sop_text

ROOT = Path(__file__).resolve().parents[2]

SOP = """# Deviation handling

## Procedure
1. Record the deviation in the deviation log.
2. Quarantine the affected batch.

## Handling
The QA Manager is responsible for approving every deviation report before release.
If a batch is recalled, the QA Manager informs the Qualified Person without delay.
Line supervisors review the deviation log at the end of each shift.
The Production Engineer repairs the filling line after every stoppage.
Additionally, the Laboratory Analyst retests the retained samples of the batch.
"""


def test_a_role_as_subject_is_a_responsibility_rule_with_its_actor():
    doc = parse_sop_text(SOP)
    kinds = {r.text.split()[1]: (r.kind, r.actor) for r in doc.rules}
    assert kinds["QA"] == ("responsibility", "QA Manager")
    assert ("responsibility", "Line supervisors") in {(r.kind, r.actor) for r in doc.rules}


def test_who_replaces_the_subject_and_agrees_with_it():
    assert who_asks("The QA Manager shall approve the report before release.", "QA Manager") == (
        "who must approve the report before release"
    )
    assert who_asks(
        "Line supervisors review the deviation log at the end of each shift.", "Line supervisors"
    ) == ("who reviews the deviation log at the end of each shift")
    # the stem may not name the key, nor speak to the reader
    assert who_asks("The QA Manager asks the QA Manager deputy to sign the form.", "QA Manager") is None
    assert who_asks("The QA Manager sends you the approved report by mail.", "QA Manager") is None


def test_whom_asks_for_the_role_the_subject_turns_to():
    asked = whom_asks(
        "If a batch is recalled, the QA Manager informs the Qualified Person without delay.",
        "QA Manager",
        ["Qualified Person", "Production Engineer"],
    )
    assert asked == (
        "if a batch is recalled, whom does the QA Manager inform without delay",
        "Qualified Person",
    )


def test_who_does_questions_have_one_key_among_the_sop_roles():
    doc = parse_sop_text(SOP)
    asked = [c for c in candidates(doc) if c.kind == "who_does"]
    assert asked
    for c in asked:
        key = c.options[c.answer]
        assert key.casefold() not in c.stem.casefold()
        assert "additionally" not in c.stem.casefold()
        assert len(set(map(str.casefold, c.options))) == len(c.options) >= 3
    stems = {c.stem: c.options[c.answer] for c in asked}
    assert stems.get(
        "Under this SOP, who is responsible for approving every deviation report before release?"
    ) == ("QA Manager")


def test_the_capa_sop_asks_who_in_every_format():
    """DOCX and PDF lose the participants table; "The QMO is responsible for ..." still names the role."""
    for path in ("lms/demo/sops/qms-capa-procedure.md", "tests/fixtures/docx/qms-capa-procedure.docx"):
        doc = parse_sop((ROOT / path).read_bytes(), path)
        keys = {c.options[c.answer] for c in candidates(doc) if c.kind == "who_does"}
        assert "QMO" in keys, path


def test_an_instruction_to_turn_to_a_role_asks_whom():
    from quizzes.generators.roles import whom_you_ask

    asked = whom_you_ask(
        "Notify all affected employees that the machine will be locked out.",
        ["Affected employees", "Employer"],
    )
    assert asked == ("whom do you notify that the machine will be locked out", "Affected employees")
    assert whom_you_ask("Notify the QA Manager and the Qualified Person.", ["QA Manager"]) is None  # partial
