"""Hand-built SopDocuments for the quiz tests (no dependency on the parser)."""

from __future__ import annotations

from sops.model import CriticalValue, Section, SopDocument, Step


def make_sop() -> SopDocument:
    sections = [
        Section(id="s1", kind="purpose", heading="Purpose", text="Describe sample prep."),
        Section(id="s2", kind="safety", heading="Safety", text=""),
        Section(id="s3", kind="procedure", heading="Sample preparation", text=""),
        Section(id="s4", kind="procedure", heading="Storage", text=""),
    ]
    steps = [
        Step(
            id="st1",
            number="1",
            depth=0,
            section_id="s2",
            text="Wear nitrile gloves and safety glasses at all times in the lab.",
        ),
        Step(
            id="st2",
            number="2",
            depth=0,
            section_id="s2",
            text="WARNING: Never pipette by mouth. Use the pipette controller for all liquids.",
            warnings=["Never pipette by mouth."],
        ),
        Step(
            id="st3",
            number="1",
            depth=0,
            section_id="s3",
            text="Sterilize the bench with 10% bleach and wipe it down with ethanol.",
            critical_values=[CriticalValue("10%", 10.0, "%")],
        ),
        Step(
            id="st4",
            number="2",
            depth=0,
            section_id="s3",
            text="Prepare the ethanol solution, which must be at least 70% ethanol in water.",
            critical_values=[CriticalValue("70%", 70.0, "%")],
        ),
        Step(
            id="st5",
            number="3",
            depth=0,
            section_id="s3",
            text="Add 200 µL of lysis buffer to each sample tube and close the caps.",
        ),
        Step(
            id="st6",
            number="4",
            depth=0,
            section_id="s3",
            text="Incubate the tubes for no more than 5 minutes at room temperature.",
            critical_values=[CriticalValue("5 minutes", 5.0, "min")],
        ),
        Step(
            id="st7",
            number="5",
            depth=0,
            section_id="s3",
            text="Spin the tubes down briefly in the mini-centrifuge before opening them.",
        ),
        Step(
            id="st8",
            number="1",
            depth=0,
            section_id="s4",
            text="Store the extracts at -20 °C and record the freezer position in the log.",
            critical_values=[CriticalValue("-20 °C", -20.0, "°C")],
        ),
        Step(
            id="st9",
            number="2",
            depth=0,
            section_id="s4",
            text="Keep the glycerol stocks in 50% ethanol on ice for up to 30 minutes before freezing.",
            critical_values=[CriticalValue("50%", 50.0, "%"), CriticalValue("30 minutes", 30.0, "min")],
        ),
        Step(
            id="st10",
            number="3",
            depth=0,
            section_id="s4",
            text="Thaw the frozen extracts at 4 °C for 15 minutes and discard any tube in 25% ethanol.",
            critical_values=[
                CriticalValue("4 °C", 4.0, "°C"),
                CriticalValue("15 minutes", 15.0, "min"),
                CriticalValue("25%", 25.0, "%"),
            ],
        ),
    ]
    return SopDocument(
        title="Sample preparation", code="SOP-001", revision="1", sections=sections, steps=steps
    )


def make_plain_sop(n: int = 5) -> SopDocument:
    """A single-section SOP without requirements or values: only sequence questions are possible."""
    verbs = ["Open", "Label", "Fill", "Weigh", "Seal", "Move", "Clean", "File"]
    steps = [
        Step(
            id=f"p{i}",
            number=str(i),
            depth=0,
            section_id="sec",
            text=f"{verbs[i - 1]} the sample container number {i} on the bench.",
        )
        for i in range(1, n + 1)
    ]
    return SopDocument(
        title="Plain", sections=[Section(id="sec", kind="procedure", heading="Procedure")], steps=steps
    )
