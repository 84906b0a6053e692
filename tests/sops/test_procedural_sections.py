"""Steps from every procedural section, not only the one called Procedure (issue 10)."""

from __future__ import annotations

import pytest

from sops.errors import NoSteps
from sops.parse import parse_sop_text

SOP = """# Cooling cooked food

## Scope
1. This SOP applies to all kitchens.
2. It covers soups, sauces and rice.

## Procedure
1. Divide the food into shallow pans.
2. Place the pans in the blast chiller.

MONITORING:
- Check the core temperature every 30 minutes.
- Record each reading on the cooling log.

## Storage and cleaning
1. Cover the cooled pans with lids.
2. Label each pan with the date and time.
3. Clean the probe thermometer after each use.

## Reasons behind the limits
1. Bacteria grow fastest between 5 and 60 degrees.
2. Spores survive reheating.
"""


def test_numbered_orders_outside_procedure_and_labelled_blocks_are_steps():
    doc = parse_sop_text(SOP)
    texts = [s.text for s in doc.steps]
    assert "Cover the cooled pans with lids." in texts  # "Storage and cleaning" is procedural
    assert "Check the core temperature every 30 minutes." in texts  # MONITORING: is a section
    kinds = {s.heading: s.kind for s in doc.sections}
    assert kinds["MONITORING"] == "procedure"
    # statements and scope items are not steps, numbered or not
    assert not any(t.startswith(("Bacteria", "Spores", "This SOP", "It covers")) for t in texts)
    assert len(texts) == 7


def test_a_plain_line_naming_a_part_of_the_sop_is_a_section():
    """A PDF's text layer loses heading styles (the reader gives plain lines): "Method" alone above a list
    still opens the procedure."""
    doc = parse_sop_text(
        "Field sampling\n\nNotes\n\n- Contamination should be avoided.\n- Bring extra supplies.\n\n"
        "Method\n\n1. Wear gloves\n2. Clean the corer with a wire brush\n"
        "   a. Let the ethanol act for a minute\n"
        "3. Take the soil core at the sampling spot\n"
    )
    assert [s.text for s in doc.steps][:2] == ["Wear gloves", "Clean the corer with a wire brush"]
    assert not any("Contamination" in s.text for s in doc.steps)
    assert {s.kind for s in doc.sections if s.heading == "Method"} == {"procedure"}


def test_a_table_of_contents_and_wrapped_version_numbers_are_not_steps():
    doc = parse_sop_text(
        "# Installing the server\n\n- Download\n- Extract\n- Build\n- Install\n\n"
        "## Download ¶\n\n1. Download the latest release from the project site.\n\n"
        "## Extract ¶\n\n1. Extract the archive into a build folder.\n\n"
        "## Build ¶\n\n1. Run the configure script with your prefix.\n"
        "Perl is needed for some scripts (versions\n5.003 or newer are sufficient).\n\n"
        "## Install ¶\n\n1. Run make install as root.\n"
    )
    texts = [s.text for s in doc.steps]
    assert len(texts) == 4 and texts[0] == "Download the latest release from the project site."
    assert texts[2].startswith("Run the configure script") and "5.003 or newer" in texts[2]  # a wrap, no step


def test_a_table_of_contents_alone_is_refused_with_a_message_that_says_so():
    toc = (
        "# Quality manual\n\n## Contents\n\n"
        "1. Purpose ........ 3\n2. Scope ........ 4\n3. Procedure ........ 5\n"
    )
    with pytest.raises(NoSteps, match="only a table of contents"):
        parse_sop_text(toc, filename="manual.md")
    leaders = "Quality manual\n\nPurpose .......... 3\n\nScope .......... 4\n\nProcedure .......... 5\n"
    with pytest.raises(NoSteps, match="only a table of contents"):
        parse_sop_text(leaders, filename="manual.md")


@pytest.mark.parametrize(
    "lines",
    [
        "* 1. Open the valve slowly.\n* 2. Close the drain tap.\n* 3. Record the pressure.\n",
        "**6.2.1** Open the valve slowly.\n\n**6.2.2** Close the drain tap.\n\n"
        "**6.2.3** Record the pressure.\n",
        "1 Open the valve slowly.\n2 Close the drain tap.\n3 Record the pressure.\n",
        "1) Open the valve slowly.\n2) Close the drain tap.\n3) Record the pressure.\n",
        "1\\) Open the valve slowly.\n2\\) Close the drain tap.\n3\\) Record the pressure.\n",
        "Step 1: Open the valve slowly.\nStep 2: Close the drain tap.\nStep 3: Record the pressure.\n",
    ],
    ids=["bullet-number", "bold-number", "bare-number", "paren", "escaped-paren", "step-label"],
)
def test_numbering_as_documents_write_it(lines):
    doc = parse_sop_text(f"# Pump change\n\n## Procedure\n\n{lines}")
    assert [s.text for s in doc.steps] == [
        "Open the valve slowly.",
        "Close the drain tap.",
        "Record the pressure.",
    ]
    assert doc.steps[0].number.strip("().") in ("1", "6.2.1")


def test_a_single_line_starting_with_a_number_is_not_a_step():
    doc = parse_sop_text(
        "# Kit\n\n## Procedure\n\n1. Open the kit.\n2. Check the seal.\n\n3 Tubes are in the box.\n"
    )
    assert len(doc.steps) == 2


@pytest.mark.parametrize(
    ("lines", "steps"),
    [
        (
            "- 2 pipettes\n- 3 tubes\n- Open the box.\n- Check the seal.\n",
            ["Open the box.", "Check the seal."],
        ),
        ("1.01 Open the valve.\n1.02 Close the valve.\n", ["Open the valve.", "Close the valve."]),
        ("1. Run the job.\n2. Check the log.\n\n```\n  - 8080\n1 Open the door\n2 Close it\n```\n", None),
    ],
    ids=["quantity-bullets", "leading-zero-numbers", "code-fence"],
)
def test_numbers_that_are_no_markup_stay_as_written(lines, steps):
    doc = parse_sop_text(f"# Kit\n\n## Procedure\n\n{lines}")
    texts = [s.text for s in doc.steps]
    assert texts == (steps or ["Run the job.", "Check the log."])
    code = [p for s in doc.sections for p in s.body if p["kind"] == "code"]
    if steps is None:
        assert code and "  - 8080\n1 Open the door" in code[0]["text"]  # code is never rewritten


def test_a_very_long_dotted_line_is_read_not_stalled_on():
    with pytest.raises(NoSteps, match="No procedure steps"):
        parse_sop_text("# Notes\n\nIntro.\n\nSome remarks " + ". " * 20000 + "end\n\nMore text.\n")


def test_lesson_body_ties_each_step_once_and_keeps_lists_apart():
    doc = parse_sop_text(
        "# Wash\n\n## Procedure\n\n"
        "1. Wash the chip with PBS.\n2. Add the antibody.\n3. Wash the chip with PBS.\n"
        "\n- Wear gloves.\n- Keep the chips dark.\n"
    )
    parts = [p for p in doc.sections[-1].body if p["kind"] == "list"]
    assert [len(p["items"]) for p in parts] == [3, 2]  # numbered and bulleted lists are separate
    tied = [i["step"] for i in parts[0]["items"]]
    assert tied == [s.id for s in doc.steps[:3]]  # the repeated text ties to its own copy


def test_items_without_words_and_bold_setting_names_are_not_steps():
    numbered = parse_sop_text(
        "# Hardening\n\n## Procedure\n1. Open the Group Policy editor.\n2. \\\\\n"
        "3. Set the minimum PIN length to 6.\n"
    )
    assert [s.text for s in numbered.steps] == [
        "Open the Group Policy editor.",
        "Set the minimum PIN length to 6.",
    ]
    bullets = parse_sop_text(
        "# Hardening\n\n## Procedure\n"
        "- **Allow Secure Boot for integrity validation** policy can be set to Enabled.\n"
        "- Run gpupdate /force from the command line.\n- Restart the computer.\n"
    )
    assert [s.text for s in bullets.steps] == [
        "Run gpupdate /force from the command line.",
        "Restart the computer.",
    ]


def test_a_substep_that_is_only_a_value_stays_a_step():
    doc = parse_sop_text(
        "# PCR\n\n## Procedure\n1. Set the thermocycler to these holds:\n"
        "    1. 95 °C\n    2. 60 °C\n    3. 72 °C\n2. Start the run.\n"
    )
    assert len(doc.steps) == 5 and any(v.value == 60 for s in doc.steps for v in s.critical_values)


def test_orders_under_a_do_not_heading_are_not_prohibitions():
    doc = parse_sop_text(
        "# Fire\n\n## Procedure\n1. Raise the alarm.\n\n## Do not panic\n- Call the supervisor on duty.\n"
        "- Evacuate the building by the nearest exit.\n\n"
        "Should a spill occur, notify the safety officer immediately.\n"
    )
    texts = {r.text: r.kind for r in doc.rules}
    assert not any(t.startswith("Do not panic:") for t in texts)
    assert texts.get("Should a spill occur, notify the safety officer immediately.") == "condition"


def test_a_list_in_the_body_between_rules_is_not_front_matter():
    from sops.frontmatter import split_front_matter

    body = "---\nScope: all lab staff\n- Put on gloves.\n- Wash hands.\n---\n\n# Procedure\n1. Do it.\n"
    fields, rest = split_front_matter("---\ntitle: Ours\n---\n\n" + body)
    assert fields == {"title": "Ours"} and "Put on gloves" in rest
