"""Benchmark: parsing a long text PDF costs how much more than just extracting its text?

Issue 3 asks that structuring cost well under the extraction itself. This builds (in a temporary
directory, in the same run) a text PDF with a running header and footer, numbered section headings and
numbered steps, then times (a) pypdf's bare `extract_text()` of every page, the library the PDF reader
uses, and (b) `sops.parse.parse_sop(data, "x.pdf")` in full, and reports the ratio (b)/(a). The target
is a ratio under 2.0: reading layout, removing headers and structuring add less than extraction costs.

Run: `.venv/bin/python bench/parse.py [--quick] [--json] [--pages N] [--repeat N]`.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET = 2.0
_SECTIONS = (
    ("1. PURPOSE", "This procedure describes how samples are received, logged, stored and released."),
    ("2. SCOPE", "It applies to every sample received by the laboratory, at any site and on any shift."),
    (
        "3. RESPONSIBILITIES",
        "The Laboratory Supervisor assigns the work. The Analyst performs the steps. QA reviews records.",
    ),
    ("4. DEFINITIONS", "LIMS: the laboratory information management system. CoC: chain of custody."),
)
_STEPS = (
    "Check that the cooler seal is intact and record the seal number on the receipt form.",
    "Measure the temperature of the temperature blank; it must be between 2 and 8 \u00b0C.",
    "If the temperature is outside the range, notify the Laboratory Supervisor within 30 minutes.",
    "Compare each container label with the chain of custody form and note every discrepancy.",
    "Log the sample in LIMS and print two barcode labels for each container received.",
    "Store the samples at 4 \u00b0C in refrigerator R-2 within 15 minutes of opening the cooler.",
    "Sign and date the chain of custody form and scan it into the sample record.",
)
_PROSE = (
    "Work at the receiving bench only. Samples waiting to be logged stay in the cooler with the lid "
    "closed, and the receiving analyst keeps the area clear of other work while a shipment is open."
)


def build_pdf(pages: int) -> bytes:
    """A text PDF of about `pages` pages: an SOP whose procedure repeats stages of numbered steps."""
    from fpdf import FPDF

    class Sop(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", size=9)
            self.cell(0, 6, f"SOP-QA-012 Rev 4 - Page {self.page_no()} of {{nb}}", align="R")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, "Harbor Point Laboratories - Uncontrolled when printed", align="C")

    pdf = Sop(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, "Sample Receipt and Login", new_x="LMARGIN", new_y="NEXT")
    for heading, text in _SECTIONS:
        _heading(pdf, heading)
        _paragraph(pdf, text)
    _heading(pdf, "5. PROCEDURE")
    stage = 0
    while pdf.page_no() < pages:
        stage += 1
        _heading(pdf, f"5.{stage} Receiving shipment {stage}", size=11)
        _paragraph(pdf, _PROSE)
        for number, step in enumerate(_STEPS, start=1):
            _paragraph(pdf, f"{number}. {step}", indent=6)
    _heading(pdf, "6. RECORDS")
    _paragraph(pdf, "Receipt forms and chain of custody forms are kept for five years.")
    return bytes(pdf.output())


def _heading(pdf, text: str, size: int = 12) -> None:  # type: ignore[no-untyped-def]
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", size)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def _paragraph(pdf, text: str, indent: int = 0) -> None:  # type: ignore[no-untyped-def]
    pdf.set_font("Helvetica", size=10)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _timed(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median wall time of `repeat` calls: the median shrugs off one slow run on a busy machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 pages, 3 repetitions")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    parser.add_argument("--pages", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args(argv)
    pages = args.pages or (20 if args.quick else 100)
    repeat = args.repeat or (3 if args.quick else 5)

    from pypdf import PdfReader

    from sops.parse import parse_sop

    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "bench.pdf"
        path.write_bytes(build_pdf(pages))
        data = path.read_bytes()

    def extract() -> None:
        for page in PdfReader(io.BytesIO(data)).pages:
            page.extract_text()

    document = parse_sop(data, "x.pdf")  # warm-up, and the figures shown below
    real_pages = len(PdfReader(io.BytesIO(data)).pages)
    extraction = _timed(extract, repeat)
    full = _timed(lambda: parse_sop(data, "x.pdf"), repeat)
    ratio = full / extraction
    print(f"PDF: {real_pages} pages, {len(data) / 1024:.0f} KB; {len(document.steps)} steps found")
    print(f"code {document.code}, revision {document.revision}, {len(document.sections)} sections")
    print(f"bare pypdf extract_text: {extraction * 1000:8.1f} ms (median of {repeat})")
    print(f"parse_sop in full:       {full * 1000:8.1f} ms (median of {repeat})")
    print(f"ratio full / extraction: {ratio:8.2f} (target < {TARGET})")
    meets = ratio < TARGET
    if args.json:
        print(
            json.dumps(
                {
                    "benchmark": "parse",
                    "ratios": {"parse_over_extraction": round(ratio, 3)},
                    "targets": {"parse_over_extraction": TARGET},
                    "meets_targets": meets,
                }
            )
        )
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
