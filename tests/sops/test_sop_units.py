"""The parser's parts on small inputs: section kinds, values, numbering, actors, conditions, metadata."""

from __future__ import annotations

import json

import pytest

from sops.actors import find_actor
from sops.conditions import find_conditions
from sops.frontmatter import split_front_matter
from sops.inline import clean_inline
from sops.metadata import parse_date
from sops.model import SopDocument
from sops.parse import parse_sop, parse_sop_text
from sops.section_kinds import public_kind, raw_heading_kind
from sops.values import find_values


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Purpose", "purpose"),
        ("1. Purpose", "purpose"),
        ("Summary", "purpose"),
        ("Objective", "purpose"),
        ("2.0 Executive Summary / Abstract", "purpose"),
        ("Scope", "scope"),
        ("Applicability", "scope"),
        ("General", "scope"),
        ("Responsibilities", "responsibilities"),
        ("Personnel Required", "responsibilities"),
        ("Roles", "responsibilities"),
        ("Definitions", "definitions"),
        ("Glossary", "definitions"),
        ("Acronyms and Abbreviations", "definitions"),
        ("Materials", "materials"),
        ("EQUIPMENT", "materials"),
        ("Reagents", "materials"),
        ("Supplies", "materials"),
        ("PPE", "materials"),
        ("Safety", "safety"),
        ("Warnings", "safety"),
        ("Hazards", "safety"),
        ("Precautions", "safety"),
        ("Procedure", "procedure"),
        ("5.1 Procedure", "procedure"),
        ("**PROCEDURE**", "procedure"),
        ("Method", "procedure"),
        ("4.0 Method", "procedure"),
        ("Protocol", "procedure"),
        ("Process Steps", "procedure"),
        ("Instructions", "procedure"),
        ("Steps", "procedure"),
        ("Sequence of Lockout", "procedure"),
        ("SOP", "procedure"),
        ("STANDARD OPERATING PROCEDURE", "procedure"),
        ("Records", "records"),
        ("Documentation", "records"),
        ("References", "references"),
        ("Related documents", "references"),
        ("Related Protocols", "references"),
        ("Revision history", "revision_history"),
        ("Version history", "revision_history"),
        ("Change log", "revision_history"),
        ("Revision record", "revision_history"),
        ("Protocol Revision Record", "revision_history"),
        ("Time Needed to Execute the Procedure", "other"),
        ("Method Description and Rationale", "purpose"),
        ("Basic Troubleshooting Guide", "other"),
        ("Table of Contents", "other"),
        ("Decision on Next Steps and Immediate Action", "other"),
        ("6. Return your equipment", "other"),
        ("Etiquette", "other"),
    ],
)
def test_section_kinds(heading, kind):
    assert public_kind(raw_heading_kind(heading)) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Store at -20 °C.", [("-20 °C", -20.0, "°C")]),
        ("Keep at 4°C", [("4°C", 4.0, "°C")]),
        ("Keep at 4˚C", [("4˚C", 4.0, "°C")]),
        ("Incubate 30 minutes", [("30 minutes", 30.0, "min")]),
        ("wait 2 h then 10 s", [("2 h", 2.0, "h"), ("10 s", 10.0, "s")]),
        ("add 1 µL to 50 mL", [("1 µL", 1.0, "µL"), ("50 mL", 50.0, "mL")]),
        ("add 2 μL (Greek mu)", [("2 μL", 2.0, "µL")]),
        ("70% ethanol in 0.5 M NaCl", [("70%", 70.0, "%"), ("0.5 M", 0.5, "M")]),
        ("dilute to 10 ng/µL", [("10 ng/µL", 10.0, "ng/µL")]),
        ("spin at 10,000 x g", [("10,000 x g", 10000.0, "\u00d7g")]),
        ("pump at 35 rpm", [("35 rpm", 35.0, "rpm")]),
        ("incubate at 25-40°C", [("25-40°C", 25.0, "°C")]),
        ("weigh 5 g", [("5 g", 5.0, "g")]),
        ("10mM Tris (pH 8.0)", [("10mM", 10.0, "mM"), ("pH 8.0", 8.0, "pH")]),
        ("Keep the heating rate to < 10 K/min", [("10 K/min", 10.0, "K/min")]),
        (
            "within 3 calendar days for a SEV-1 and 5 business days for a SEV-2",
            [("3 calendar days", 3.0, "d"), ("5 business days", 5.0, "business day")],
        ),
        ("no later than 2 elapsed calendar days", [("2 elapsed calendar days", 2.0, "d")]),
        ("at least 50 MB of free disk space", [("50 MB", 50.0, "MB")]),
        ("at least 4 inches from the front grille", [("4 inches", 4.0, "in")]),
        ("about 0.7 mBar, then 2 torr", [("0.7 mBar", 0.7, "mbar"), ("2 torr", 2.0, "Torr")]),
        ("set the pressure to 1013 hPa", [("1013 hPa", 1013.0, "hPa")]),
        ("a 10 M NaOH solution", [("10 M", 10.0, "M")]),
        ("one more field blank every 50 samples", [("50 samples", 50.0, "samples")]),
        ("Centrifuge 5 min @ X 7,000 g", [("5 min", 5.0, "min"), ("7,000 g", 7000.0, "\u00d7g")]),
        (
            "Mix 500 g of sugar with the spinach, then weigh 750 g",
            [("500 g", 500.0, "g"), ("750 g", 750.0, "g")],
        ),
        (
            "Spin at 1,000 rpm for 2 min, then add 600 g of beads",
            [("1,000 rpm", 1000.0, "rpm"), ("2 min", 2.0, "min"), ("600 g", 600.0, "g")],
        ),
        ("96 samples in 98 tubes, 3 times", []),
        ("Download your SF-50s and ISO 13485:2016", []),
    ],
)
def test_critical_values(text, expected):
    assert [(v.text, v.value, v.unit) for v in find_values(text)] == expected


def test_pandoc_superscript_degrees_become_celsius():
    text = clean_inline("Store at -20^o^C, then 37^o^C and -20oC")
    assert text == "Store at -20°C, then 37°C and -20°C"
    assert [(v.value, v.unit) for v in find_values(text)] == [(-20.0, "°C"), (37.0, "°C"), (-20.0, "°C")]


def test_inline_markup_is_removed():
    text = "**Do** _not_ open [the lid](http://x) `cf env APP` \\* ![img](a.png) {% link x %}<br>now"
    assert clean_inline(text) == "Do not open the lid cf env APP now"
    assert clean_inline("keep `bosh_rds_host_curr` and 1X_MMDD-1") == "keep bosh_rds_host_curr and 1X_MMDD-1"


NUMBERING = """# Procedure
1. Decimal dot.
2) Decimal paren.
(3) Parenthesised.
4\\) Escaped paren.
a) Letter.
b. Letter dot.
4.2.1 Dotted clause.
Step 9: Step label.
"""


def test_numbering_styles_are_kept_as_written():
    doc = parse_sop_text(NUMBERING)
    assert [(s.number, s.text) for s in doc.steps] == [
        ("1", "Decimal dot."),
        ("2)", "Decimal paren."),
        ("(3)", "Parenthesised."),
        ("4)", "Escaped paren."),
        ("a)", "Letter."),
        ("b", "Letter dot."),
        ("4.2.1", "Dotted clause."),
        ("9", "Step label."),
    ]


def test_nested_items_bullets_and_continuation_lines():
    doc = parse_sop_text(
        "## Procedure\n\n1. Prepare the bench\n   with a clean cover.\n   - Wipe it with 70% ethanol.\n"
        "   - Let it dry.\n2. Start.\n\n5.1 Clean.\n5.1.1 Dry for 10 min.\n"
    )
    got = [(s.number, s.depth, s.text) for s in doc.steps]
    assert got == [
        ("1", 0, "Prepare the bench with a clean cover."),
        ("1.1", 1, "Wipe it with 70% ethanol."),
        ("1.2", 1, "Let it dry."),
        ("2", 0, "Start."),
        ("5.1", 0, "Clean."),
        ("5.1.1", 1, "Dry for 10 min."),
    ]


def test_example_bullets_are_not_steps_but_action_bullets_are():
    doc = parse_sop_text(
        "## Procedure\n\nInputs include:\n\n"
        "- Customer complaints\n- Audit findings\n- Internal bug reports\n\n"
        "Then:\n\n- Open the ticket.\n- Assign the owner.\n"
    )
    assert [s.text for s in doc.steps] == ["Open the ticket.", "Assign the owner."]


def test_fill_in_prompts_are_not_steps():
    doc = parse_sop_text(
        "## Sequence of Lockout\n\n(1) Notify affected employees.\n\nName(s) of affected employees.\n\n"
        "(Name of Company)\n\n(2) Shut down the machine.\n(Type of machine)\n"
    )
    assert [s.text for s in doc.steps] == ["Notify affected employees.", "Shut down the machine."]


def test_warnings_attach_to_the_step_they_follow():
    doc = parse_sop_text(
        "## Procedure\n\n1. Spin the tube.\n\n**WARNING**: Tubes break above 4 s.\n\n2. Read.\n\n"
        "> **CAUTION:** Hot surface.\n\n3. Clean. Note: use gloves.\n\nNote:\n\nDispose of tips.\n"
    )
    assert [s.warnings for s in doc.steps] == [
        ["WARNING: Tubes break above 4 s."],
        ["CAUTION: Hot surface."],
        ["Note: use gloves.", "Note: Dispose of tips."],
    ]


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("The QA Manager shall review the record.", "QA Manager"),
        ("Supervisor: sign the form.", "Supervisor"),
        ("Authorized employee(s) must lock out the machine.", "Authorized employee(s)"),
        ("The authorized employee shall refer to the procedure.", "Authorized employee"),
        ("Old IC: brief the new IC.", "Old IC"),
        ("Provide reviews (Supervisors only)", "Supervisors"),
        ("If it runs, the operator shall stop it.", "Operator"),
        ("Verification: documenting proof.", None),
        ("Nitrile gloves should be worn.", None),
        ("Open the lid.", None),
    ],
)
def test_actors(text, actor):
    assert find_actor(text) == actor


@pytest.mark.parametrize(
    ("text", "conditions"),
    [
        ("If the machine is operating, shut it down.", ["If the machine is operating"]),
        ("Shut it down when the run ends.", ["when the run ends"]),
        ("Do not open unless the light is green; then wait.", ["unless the light is green"]),
        ("In case of a spill, call EHS.", ["In case of a spill"]),
        ("Add 198 µL (if you add 2 µL of DNA) to each tube.", ["if you add 2 µL of DNA"]),
        ("Email the team, if applicable", ["if applicable"]),
        ("At step 6 (if it involves cloud.gov), notify.", ["if it involves cloud.gov"]),
        ("Mix well.", []),
    ],
)
def test_conditions(text, conditions):
    assert find_conditions(text) == conditions


def test_metadata_from_front_matter_and_header_block():
    doc = parse_sop_text(
        "---\ntitle: 'Freezer defrost'\n---\n# Freezer SOP\n\n**Document No.:** SOP-QA-012\nRev. B\n"
        "Effective date: 03/01/2024\n\n## Procedure\n1. Defrost.\n"
    )
    assert (doc.title, doc.code, doc.revision, doc.effective_date) == (
        "Freezer defrost",
        "SOP-QA-012",
        "B",
        "2024-03-01",
    )


@pytest.mark.parametrize(
    ("header", "code", "revision"),
    [
        ("QP-7.5-01 Purchasing\nRevision: 4", "QP-7.5-01", "4"),
        ("Document ID: SOP-101-A_2\nVersion 0.1", "SOP-101-A_2", "0.1"),
        ("Training SOP v2", None, "2"),
        ("No number here", None, None),
    ],
)
def test_document_number_and_revision(header, code, revision):
    doc = parse_sop_text(f"# Title\n\n{header}\n\n## Procedure\n1. Do.\n")
    assert (doc.code, doc.revision) == (code, revision)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-03-01", "2024-03-01"),
        ("08/24/2022", "2022-08-24"),
        ("24/08/2022", "2022-08-24"),
        ("24.08.2022", "2022-08-24"),
        ("24 August 2022", "2022-08-24"),
        ("Aug. 24, 2022", "2022-08-24"),
        ("sometime soon", None),
    ],
)
def test_effective_dates(text, iso):
    assert parse_date(text) == iso


def test_title_falls_back_to_heading_then_file_name():
    assert parse_sop(b"# Cleaning\n\n1. Clean.\n", "x.md").title == "Cleaning"
    assert parse_sop(b"Procedure:\n1. Clean.\n2. Dry.\n", "bench-cleaning.txt").title == "Procedure"
    assert parse_sop(b"1. Clean.\n2. Dry.\n3. Store.\n", "bench-cleaning.md").title == "bench-cleaning"


def test_text_before_the_first_heading_gets_a_title_section():
    doc = parse_sop_text("---\ntitle: Bench\n---\nRead this first.\n\n## Procedure\n1. Clean.\n")
    assert [(s.id, s.heading, s.text) for s in doc.sections][:1] == [("sec-1", "Bench", "Read this first.")]


def test_section_text_and_levels_exclude_sub_sections():
    doc = parse_sop_text("# T\n\n## Purpose\nWhy.\n\n### Detail\nMore.\n\n## Procedure\n1. Go.\n")
    purpose, detail = doc.sections[1], doc.sections[2]
    assert (purpose.kind, purpose.level, purpose.text) == ("purpose", 2, "Why.")
    assert (detail.level, detail.text) == (3, "More.")


def test_sub_sections_of_a_procedure_are_procedure():
    doc = parse_sop_text("## Procedure\n\n### Preparation\n1. Thaw.\n\n### Troubleshooting\nCall us.\n")
    assert [s.kind for s in doc.sections] == ["procedure", "procedure", "other"]


def test_no_procedure_heading_falls_back_but_skips_definitions_and_references():
    doc = parse_sop_text(
        "# Runbook\n\n## Definitions\n1. RDS: a database.\n\n## Restore\n1. Stop the app.\n2. Restore.\n"
        "3. Start the app.\n\n## References\n1. AWS docs.\n"
    )
    assert [s.text for s in doc.steps] == ["Stop the app.", "Restore.", "Start the app."]
    assert doc.definitions[0].term == "RDS"


def test_definitions_from_tables_and_lines():
    doc = parse_sop_text(
        "## Definitions\n\n| Term | Definition |\n|---|---|\n| ULT | Ultra-low freezer |\n\n"
        "- **Aliquot** - a portion.\n- Thaw: warming up.\n\n## Procedure\n1. Go.\n"
    )
    assert [(d.term, d.definition) for d in doc.definitions] == [
        ("ULT", "Ultra-low freezer"),
        ("Aliquot", "a portion."),
        ("Thaw", "warming up."),
    ]


def test_roles_from_responsibilities_and_actors_are_distinct():
    doc = parse_sop_text(
        "## Responsibilities\n- **QA Manager**: approves.\n- The Lab Technician shall defrost.\n\n"
        "## Procedure\n1. The QA manager shall approve.\n2. Lab technicians must sign.\n"
        "3. Supervisor: file it.\n"
    )
    assert doc.roles == ["QA Manager", "Lab Technician", "Supervisor"]


def test_plain_text_format():
    text = (
        "FREEZER DEFROST\nDocument No: SOP-101-A_2   Rev. B\nEffective Date: 24 August 2022\n\n"
        "1. PURPOSE\nKeep samples safe.\n\n2. PROCEDURE\n2.1 Move samples.\n2.2 Wait 2 h.\n"
        "    Leave the door open.\n(Name of person responsible)\n2.3 Wipe with 70% ethanol.\n\n"
        "NOTE: Wear gloves.\n\n3. REFERENCES\n1. Manual\n"
    )
    doc = parse_sop_text(text, "text")
    assert (doc.title, doc.code, doc.revision, doc.effective_date) == (
        "FREEZER DEFROST",
        "SOP-101-A_2",
        "B",
        "2022-08-24",
    )
    assert [s.kind for s in doc.sections] == ["other", "purpose", "procedure", "references"]
    assert [(s.number, s.text) for s in doc.steps] == [
        ("2.1", "Move samples."),
        ("2.2", "Wait 2 h. Leave the door open."),
        ("2.3", "Wipe with 70% ethanol."),
    ]
    assert doc.steps[2].warnings == ["NOTE: Wear gloves."]


def test_front_matter_is_split_off():
    fields, body = split_front_matter('---\ntitle: "A \\"quoted\\" title"\nnotes: |\n  nested\n---\nBody\n')
    assert fields == {"title": 'A "quoted" title', "notes": "|"}
    assert body == "Body\n"
    assert split_front_matter("no front matter\n") == ({}, "no front matter\n")


def test_a_sites_own_front_matter_below_ours_is_front_matter_too():
    theirs = "---\ntitle: Theirs\nauthor: Bin\ncategories:\n- Basics\n---\n"
    text = f"---\ntitle: Ours\n---\n\n{theirs}\n# Overview\n"
    assert split_front_matter(text) == ({"title": "Ours", "author": "Bin"}, "\n# Overview\n")
    ruled = "---\ntitle: Ours\n---\n\n---\n\nA paragraph between rules.\n\n---\n"
    assert split_front_matter(ruled)[1].count("A paragraph") == 1  # horizontal rules are not front matter


def test_to_dict_round_trips_through_json():
    doc = parse_sop_text(NUMBERING.replace("Decimal dot.", "Keep at -20 °C if frozen."))
    data = json.loads(json.dumps(doc.to_dict()))
    assert data == doc.to_dict()
    assert data["steps"][0]["critical_values"] == [{"text": "-20 °C", "value": -20.0, "unit": "°C"}]
    assert data["steps"][0]["conditions"] == ["if frozen"]
    assert isinstance(doc, SopDocument) and len(doc.content_hash) == 64
