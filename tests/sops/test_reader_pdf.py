"""The PDF reader on real SOPs printed to PDF (tests/fixtures/make_pdf_fixtures.py) and on bad PDFs.

Each text PDF is a demo SOP converted Markdown -> DOCX (pandoc) -> PDF (LibreOffice) with a running
header and footer, so the Markdown original is the expected answer: same steps, same section kinds,
except where the conversion itself loses structure (listed, with why, in CONVERSION_LOSSES).
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sop_fixtures import FIXTURES, parsed

from sops.errors import TooLarge, Unreadable
from sops.limits import DEFAULT_LIMITS
from sops.parse import parse_sop
from sops.readers.pdf_lines import Line
from sops.readers.pdf_markdown import _Layout, to_markdown

PDFS = Path(__file__).resolve().parents[1] / "fixtures" / "pdf"
CONVERTED = sorted(p for p in PDFS.glob("*.pdf") if (FIXTURES / f"{p.stem}.md").exists())

# Document number and revision each fixture's running header carries (make_pdf_fixtures.HEADERS).
HEADER_METADATA = {
    "env-edna-water-sampling-smithroot-filter-noaa-pmel": ("SOP-ENV-002", "1"),
    "finance-travel-voucher-reimbursement": ("FIN-AP-003", "6"),
    "hr-employee-offboarding": ("HR-PEO-004", "2"),
    "it-database-restore-runbook": ("IT-OPS-031", "5"),
    "it-oncall-responsibilities": ("IT-OPS-010", "7"),
    "it-security-incident-response-checklist": ("IT-SEC-001", "3"),
    "lab-dna-quantification-qubit-fluorometer-noaa-pmel": ("SOP-LAB-014", "B"),
    "lab-reagent-prep-inactivation-saline-floodlamp": ("SOP-101-A_2", "2"),
    "lab-rpa-assay-setup-techoceans": ("SOP-LAB-021", "1"),
    "qms-capa-procedure": ("SOP-QA-012", "4"),
    "safety-lockout-tagout-osha-typical-minimal-procedure": ("SOP-EHS-007", "3"),
}
# Hand-checked differences the PDF conversion itself causes (the PDF text really differs).
CONVERSION_LOSSES = {
    # Jekyll link whose text the Markdown parser keeps as a step ("[Review requirements ...]({% page %})")
    # is a plain hyperlink in the PDF, inside the paragraph before it.
    "finance-travel-voucher-reimbursement": {"steps": 8},
    # "\\* If making ..." is an escaped asterisk in Markdown (part of step 3) but reads "* If making"
    # on its own line in the PDF: a bullet, i.e. one more step.
    "lab-reagent-prep-inactivation-saline-floodlamp": {"steps": 6},
    # Headings inside a block quote ("> ### Seeking Employment") are not sections in Markdown; in the
    # PDF nothing marks them as quoted.
    "hr-employee-offboarding": {"kinds": True},
    # An image placeholder ("image") before the title opens a section of its own, and a bold table header
    # row ("Resource name Resource URL Comments") reads as a heading once the table grid is gone.
    "lab-rpa-assay-setup-techoceans": {"kinds": True},
}
FURNITURE = re.compile(r"(?i)uncontrolled when printed|page \d+ of \d+|harbor point laboratories")


def _pdf(stem: str) -> bytes:
    return (PDFS / f"{stem}.pdf").read_bytes()


@pytest.mark.parametrize("path", CONVERTED, ids=lambda p: p.stem)
def test_pdf_gives_the_markdown_originals_steps_and_sections(path):
    doc = parse_sop(path.read_bytes(), path.name)
    original = parsed(f"{path.stem}.md")
    losses = CONVERSION_LOSSES.get(path.stem, {})
    assert len(doc.steps) == losses.get("steps", len(original.steps))
    if not losses.get("kinds"):
        assert [s.kind for s in doc.sections] == [s.kind for s in original.sections]
    assert sorted({s.kind for s in doc.sections}) == sorted({s.kind for s in original.sections})


@pytest.mark.parametrize("path", CONVERTED, ids=lambda p: p.stem)
def test_running_header_gives_metadata_and_never_reaches_a_step(path):
    doc = parse_sop(path.read_bytes(), path.name)
    assert (doc.code, doc.revision) == HEADER_METADATA[path.stem]
    for step in doc.steps:
        assert not FURNITURE.search(step.text), step.text
    for section in doc.sections:
        assert not FURNITURE.search(section.text), section.text[:200]


def test_step_text_matches_the_markdown_where_the_layout_is_plain():
    doc = parse_sop(_pdf("safety-lockout-tagout-osha-typical-minimal-procedure"), "loto.pdf")
    original = parsed("safety-lockout-tagout-osha-typical-minimal-procedure.md")
    assert [s.number for s in doc.steps] == [s.number for s in original.steps]
    assert [s.text for s in doc.steps] == [s.text for s in original.steps]
    assert doc.steps[6].warnings == original.steps[6].warnings


def test_steps_continue_across_page_breaks_without_the_footer():
    doc = parse_sop(_pdf("it-database-restore-runbook"), "restore.pdf")
    original = parsed("it-database-restore-runbook.md")
    assert [s.text for s in doc.steps] == [s.text for s in original.steps]


def test_typeset_pdf_headings_numbered_steps_and_header():
    doc = parse_sop(_pdf("typeset-sop-qa-012"), "typeset.pdf")
    assert (doc.code, doc.revision) == ("SOP-QA-012", "4")
    assert doc.title == "Sample Receipt and Login"
    kinds = [s.kind for s in doc.sections]
    assert kinds[1:6] == ["purpose", "scope", "responsibilities", "definitions", "procedure"]
    assert kinds[-1] == "records"
    assert [s.number for s in doc.steps[:7]] == ["1", "2", "3", "4", "5", "6", "7"]
    assert doc.steps[1].text.startswith("Measure the temperature of the temperature blank")
    assert all(not FURNITURE.search(s.text) and "SOP-QA-012" not in s.text for s in doc.steps)


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("not-a-pdf", "is not a readable PDF"),
        ("truncated", "is not a readable PDF (corrupt or truncated)"),
        ("encrypted-empty-password", "encrypted PDF (it opens without a password"),
        ("scanned-no-text-layer", "no text layer"),
    ],
)
def test_bad_pdfs_get_one_clear_message_quickly(stem, expected):
    start = time.perf_counter()
    with pytest.raises(Unreadable, match=re.escape(expected)) as raised:
        parse_sop(_pdf(stem), f"{stem}.pdf")
    assert time.perf_counter() - start < 2
    message = str(raised.value)
    assert message.startswith(f"{stem}.pdf ") and message.endswith(".")
    if stem == "scanned-no-text-layer":
        assert "OCR" in message


def test_empty_and_garbage_bytes_are_unreadable():
    for data in (b"", b"%PDF-1.7\n", b"%PDF-1.4\n" + bytes(range(256)) * 4):
        with pytest.raises(Unreadable):
            parse_sop(data, "x.pdf")


def test_page_limit_is_checked_before_reading_pages():
    limits = replace(DEFAULT_LIMITS, max_pages=2)
    with pytest.raises(TooLarge, match="has 3 pages, more than the 2"):
        parse_sop(_pdf("qms-capa-procedure"), "capa.pdf", limits)


def test_text_limit_stops_extraction():
    limits = replace(DEFAULT_LIMITS, max_text_chars=500)
    with pytest.raises(TooLarge, match="500 characters"):
        parse_sop(_pdf("hr-employee-offboarding"), "hr.pdf", limits)


def _line(text: str, y: float, **style: object) -> Line:
    return Line(text=text, page=0, x=72, y=y, size=style.pop("size", 10.0), **style)  # type: ignore[arg-type]


def test_line_end_hyphens_are_repaired_unless_the_document_hyphenates_the_word():
    lines = [
        _line("Wear gloves and decon-", 700),
        _line("taminate the bench with a well-known", 688),
        _line("agent; re-", 676),
        _line("check the well-known decon log.", 664),
    ]
    layout = _Layout(lines)
    assert layout.joined("Wear gloves and decon-", "taminate the") == "Wear gloves and decontaminate the"
    assert layout.joined("a well-", "known agent") == "a well-known agent"
    assert layout.joined("Page 5 -", "next") == "Page 5 - next"


def test_headings_from_size_and_weight_and_numbered_items():
    lines = [
        _line("Cleaning the Hood", 760, size=16.0, bold=True),
        _line("5. PROCEDURE", 730),
        _line("Preparation", 700, bold=True),
        _line("1. Put on gloves and a lab coat before you open the", 680),
        _line("cabinet door.", 668),
        _line("2. Wipe the work surface with 70% ethanol.", 656),
    ]
    markdown = to_markdown(lines, leading="Document number: SOP-QA-012")
    assert markdown.splitlines() == [
        "# Cleaning the Hood",
        "",
        "Document number: SOP-QA-012",
        "",
        "## 5. PROCEDURE",
        "",
        "## Preparation",
        "",
        "1. Put on gloves and a lab coat before you open the cabinet door.",
        "2. Wipe the work surface with 70% ethanol.",
    ]
