"""The eleven real SOPs: every one parses, and hand-checked facts about each come out right."""

from __future__ import annotations

import json
import re

import pytest
from sop_fixtures import FILES, numbers, parsed

from sops.model import SECTION_KINDS

# Numbered steps counted by hand in each file (SOURCES.md), the minimum the parser must find.
HAND_COUNTED = {
    "env-edna-water-sampling-smithroot-filter-noaa-pmel.md": 35,
    "hr-employee-offboarding.md": 6,
    "it-database-restore-runbook.md": 9,
    "it-oncall-responsibilities.md": 5,
    "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md": 12,
    "lab-reagent-prep-inactivation-saline-floodlamp.md": 5,
    "lab-rpa-assay-setup-techoceans.md": 8,
    "qms-capa-procedure.md": 5,
    "safety-lockout-tagout-osha-typical-minimal-procedure.md": 13,
}


def test_all_eleven_samples_are_there():
    assert len(FILES) == 11


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_sample_parses_into_a_sane_document(path):
    doc = parsed(path.name)
    assert len(doc.steps) >= max(3, HAND_COUNTED.get(path.name, 0))
    assert [s.id for s in doc.sections] == [f"sec-{i}" for i in range(1, len(doc.sections) + 1)]
    assert [s.id for s in doc.steps] == [f"step-{i}" for i in range(1, len(doc.steps) + 1)]
    section_ids = {s.id for s in doc.sections}
    assert all(s.kind in SECTION_KINDS for s in doc.sections)
    raw = path.read_text(encoding="utf-8")
    front_matter = raw.split("---")[1]
    for step in doc.steps:
        assert step.section_id in section_ids
        assert step.text and step.text == step.text.strip() and "  " not in step.text
        assert "|" not in step.text, step.text  # no table rows
        assert "**" not in step.text and "](" not in step.text and "{%" not in step.text
        assert step.text not in front_matter
        assert step.depth >= 0 and step.number
    json.loads(json.dumps(doc.to_dict()))


def test_lockout_tagout():
    doc = parsed("safety-lockout-tagout-osha-typical-minimal-procedure.md")
    assert doc.title.startswith("Appendix A to § 1910.147")
    kinds = {s.heading: s.kind for s in doc.sections}
    assert kinds["Purpose"] == "purpose"
    assert kinds["General"] == "scope"
    assert kinds["Sequence of Lockout"] == "procedure"
    assert kinds["Restoring Equipment to Service"] == "procedure"
    expected = [f"({i})" for i in range(1, 9)] + [f"({i})" for i in range(1, 6)]
    assert numbers(doc) == expected
    assert len({s.section_id for s in doc.steps}) == 2
    assert all(doc.section(s.section_id).kind == "procedure" for s in doc.steps)
    assert doc.steps[0].text.startswith("Notify all affected employees")
    assert doc.steps[1].actor == "Authorized employee"
    assert doc.steps[2].conditions == ["If the machine or equipment is operating"]
    assert doc.steps[6].warnings[0].startswith("Caution: Return operating control(s) to neutral")
    assert doc.steps[11].warnings == [
        "Note: The removal of some forms of blocking may require reenergization of the machine "
        "before safe removal."
    ]
    # the template's fill-in prompts are neither steps nor part of one
    for step in doc.steps:
        assert "Type(s)" not in step.text and "Name(s)/Job Title(s)" not in step.text
        assert not step.text.startswith("(")
    assert "Authorized employees" in doc.roles


def test_floodlamp_form():
    doc = parsed("lab-reagent-prep-inactivation-saline-floodlamp.md")
    assert doc.code == "SOP-101-A_2"
    assert doc.revision == "2"
    assert doc.effective_date == "2022-08-24"
    assert numbers(doc) == ["1)", "2)", "3)", "4)", "5)"]
    assert doc.steps[0].text == "Vortex 100X Inactivation Solution for 10 sec."
    assert [(v.value, v.unit) for v in doc.steps[0].critical_values] == [(10.0, "s")]
    assert "If making Inactivation Solution in a bottle, shake instead of vortexing" in doc.steps[2].text
    assert doc.steps[2].conditions == ["If making Inactivation Solution in a bottle"]
    assert doc.steps[3].text == "Label tube with 1XISS ID (1X_MMDD-1)."
    assert [(v.value, v.unit) for v in doc.steps[4].critical_values] == [(2.0, "week")]
    assert doc.section(doc.steps[0].section_id).kind == "procedure"


def test_qubit_quantification():
    doc = parsed("lab-dna-quantification-qubit-fluorometer-noaa-pmel.md")
    assert numbers(doc) == [str(i) for i in range(1, 9)] + [str(i) for i in range(1, 5)]
    headings = [doc.section(s.section_id).heading for s in doc.steps]
    assert headings == ["Preparation"] * 8 + ["Quantification"] * 4
    assert doc.steps[6].warnings == [
        "WARNING: Qubit tube will break if spun down for more than 3-4 seconds at a time "
        "or if the caps are not "
        "securely snapped in place. SPIN WITH CAUTION."
    ]
    assert sum(len(s.warnings) for s in doc.steps) == 1
    units = {v.unit for s in doc.steps for v in s.critical_values}
    assert {"µL", "min", "%", "mL"} <= units
    assert ("190 μL", 190.0, "µL") in [(v.text, v.value, v.unit) for v in doc.steps[4].critical_values]
    assert doc.steps[1].conditions == ["If you have a UV crosslinker available"]
    kinds = {s.heading: s.kind for s in doc.sections}
    assert kinds["Safety"] == "safety"
    assert kinds["EQUIPMENT"] == "materials"
    assert kinds["Glossary"] == "definitions"
    assert kinds["Protocol Revision Record"] == "revision_history"
    assert kinds["Related Protocols"] == "references"
    assert kinds["Summary"] == "purpose"
    assert kinds["Personnel Required"] == "responsibilities"
    assert kinds["STANDARD OPERATING PROCEDURE"] == "procedure"
    assert kinds["Time Needed to Execute the Procedure"] == "other"
    assert kinds["Basic Troubleshooting Guide"] == "other"
    terms = {d.term: d.definition for d in doc.definitions}
    assert terms["dsDNA"] == "Double-stranded DNA"
    assert terms["Fluorometer"].startswith("Instrument measuring the fluorescence")
    assert "ACRONYM / ABBREVIATION" not in terms
    assert doc.revision == "1.0.0"


def test_capa_step_headings():
    doc = parsed("qms-capa-procedure.md")
    assert [s.text for s in doc.steps] == [
        "Input for CAPA",
        "Decision on Next Steps and Immediate Action",
        "Root Cause Analysis",
        "Implementation of Action",
        "Verification and Check of Effectiveness",
    ]
    assert numbers(doc) == ["1", "2", "3", "4", "5"]
    assert {s.actor for s in doc.steps} == {"QMO"}
    assert doc.steps[1].conditions[0].startswith("If immediate action is necessary")
    assert doc.steps[4].conditions == []  # the template footer after the rule is not part of step 5
    assert doc.sections[1].heading == "Summary" and doc.sections[1].kind == "purpose"
    assert doc.section(doc.steps[0].section_id).kind == "procedure"
    assert doc.roles[0] == "QMO"
    assert "Medical Device Safety Officer / Person Responsible for Regulatory Compliance" in doc.roles
    assert doc.code is None  # "SOP Corrective ..." carries no document number


def test_rpa_assay_pandoc_artefacts():
    doc = parsed("lab-rpa-assay-setup-techoceans.md")
    assert numbers(doc) == [str(i) for i in range(1, 9)]
    assert doc.revision == "0.1"
    assert "-20°C" in doc.steps[1].text and "^" not in " ".join(s.text for s in doc.steps)
    assert ("-20°C", -20.0, "°C") in [(v.text, v.value, v.unit) for v in doc.steps[3].critical_values]
    last = [(v.text, v.value, v.unit) for v in doc.steps[7].critical_values]
    assert last[:2] == [("25-40°C", 25.0, "°C"), ("30 minutes", 30.0, "min")]
    assert doc.steps[0].text.startswith("Working in a suitable isolation hood, prepare the workstation by")
    kinds = {s.heading: s.kind for s in doc.sections}
    assert kinds["4.0 Method"] == "procedure"
    assert kinds["2.0 Executive Summary / Abstract"] == "purpose"
    # the numbered table of contents is not a procedure
    assert all(doc.section(s.section_id).heading == "4.0 Method" for s in doc.steps)


def test_edna_restarting_numbering_and_sub_procedures():
    doc = parsed("env-edna-water-sampling-smithroot-filter-noaa-pmel.md")
    numbered = [s for s in doc.steps if re.fullmatch(r"\d+", s.number)]
    assert len(numbered) == 35
    bucket = [s.number for s in doc.steps if doc.section(s.section_id).heading == "Bucket Sterilization"]
    assert bucket == ["1", "2", "9"]
    filtration = [s for s in doc.steps if doc.section(s.section_id).heading == "Filtration"]
    assert len(filtration) == 8
    assert len(doc.steps) - len(numbered) == 7  # the two action-bullet checklists
    assert all(doc.section(s.section_id).kind == "procedure" for s in doc.steps)
    units = {v.unit for s in doc.steps for v in s.critical_values}
    assert {"%", "L", "min", "mL", "rpm"} <= units


def test_hr_offboarding_step_headings_and_role_checklists():
    doc = parsed("hr-employee-offboarding.md")
    top = [(s.number, s.text) for s in doc.steps if s.depth == 0 and s.number.isdigit()]
    assert top == [
        ("1", "Fill out the TTS Offboarding Form"),
        ("2", "Provide summary reviews for direct reports (Supervisors only)"),
        ("3", "Review your benefits"),
        ("4", "Download copies of important personal documents"),
        ("5", "Update your accounts"),
        ("6", "Return your equipment"),
    ]
    assert doc.steps[1].actor == "Supervisors"
    benefits = [s for s in doc.steps if s.number.startswith("3.")]
    assert benefits[0].text == "Review your benefits options." and benefits[0].depth == 1
    assert any(w.startswith("Note: Ensure you keep your login") for s in benefits for w in s.warnings)
    supervisor = [s for s in doc.steps if doc.section(s.section_id).heading == "Supervisor"]
    assert len(supervisor) == 2 and {s.actor for s in supervisor} == {"Supervisor"}
    assert {"Supervisor", "People-Ops Team"} <= set(doc.roles)
    assert doc.steps[0].warnings[0].startswith("Note: once we receive your form")
    # nothing from the quoted ethics guidance
    assert not any("recusal" in s.text.lower() for s in doc.steps)


def test_runbook_numbered_items_not_shell_code():
    doc = parsed("it-database-restore-runbook.md")
    assert numbers(doc) == ["1", "2", "3", "4", "1", "2", "3", "4", "5"]  # "1." repeated, renumbered
    assert not any("terraform" in s.text.lower() or "cf target" in s.text for s in doc.steps)
    assert doc.steps[0].text == "Shared database plans do not include backups and restores."


def test_incident_checklist_nested_bullets():
    doc = parsed("it-security-incident-response-checklist.md")
    texts = [s.text for s in doc.steps]
    assert "Close the GitHub issue." in texts
    assert "Schedule a retrospective." in texts
    assert not any(t.startswith("Status →") for t in texts)  # field list under "Update the GitHub issue:"
    assert not any(t.startswith("Last modified on") for t in texts)  # page footer
    handoff = [s for s in doc.steps if doc.section(s.section_id).heading == "Handing off IC"]
    assert [s.actor for s in handoff] == ["Old IC", "New IC", "New IC", "New IC", "Old IC"]
    post = next(s for s in doc.steps if s.text.startswith("Post in"))
    assert post.text == "Post in #incident-response" and post.depth == 1 and post.number == "2.5.1"
    assert "Old IC" in doc.roles and "New IC" in doc.roles


def test_oncall_numbered_duties_with_bullets():
    doc = parsed("it-oncall-responsibilities.md")
    duties = [s.text for s in doc.steps if s.depth == 0 and s.number.isdigit()]
    assert duties[:5] == ["Prepare", "Triage", "Fix", "Improve", "Support"]
    # the two numbered "Not Responsibilities" are things the on-call does NOT do: not steps
    assert len([s for s in doc.steps if s.number.isdigit()]) == 5
    assert doc.steps[1].number == "1.1" and doc.steps[1].depth == 1
    kinds = {s.heading: s.kind for s in doc.sections}
    assert kinds["What is On-Call?"] == "definitions"
    assert kinds["Responsibilities"] == "responsibilities"
    assert doc.definitions[0].term == "On-Call"


def test_finance_implicit_steps():
    doc = parsed("finance-travel-voucher-reimbursement.md")
    texts = [s.text for s in doc.steps]
    assert "Review requirements for different types of expenses." in texts
    assert "Finally, don't forget to stamp and submit for travel team approval!" in texts
    assert any(t.startswith("For any local travel choose the Local voucher option.") for t in texts)
    assert not any(t.endswith("?") for t in texts)
    assert next(s for s in doc.steps if s.text.startswith("If yes, STOP")).conditions == ["If yes"]
