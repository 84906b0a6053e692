"""Running headers and footers: the text a document-control system prints on every page.

"SOP-QA-012 Rev 4 - Page 3 of 12", the company name, "Uncontrolled when printed" would otherwise land
in the middle of whatever paragraph or step crosses a page break. A line is furniture when it sits
among the top or bottom lines of its page and the same text, digits ignored, sits there on at least
half of the pages (two at least). A lone page number ("Page 3 of 12", "3/12", "- 3 -") is furniture
even in a one-page document. The document number and revision printed there still matter, so the
caller gets the furniture lines back to put one copy of them in front of the body.
"""

from __future__ import annotations

import re
from collections import Counter

from sops.readers.pdf_lines import Line

_BAND = 3  # lines looked at, from the top and from the bottom of each page
_PAGE_NUMBER = re.compile(
    r"(?i)\s*(?:[-\u2013\u2014|,:]\s*)?(?:page\s*\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*(?:of|/)\s*\d+)\s*"
    r"(?:[-\u2013\u2014|,:]\s*)?"
)
_CODE = re.compile(r"\b[A-Z]{2,6}(?:[-_][A-Z0-9]+)*[-_][A-Z]*\d[A-Z0-9]*(?:[-_.][A-Z0-9]+)*\b")
_REVISION = re.compile(r"(?i)\b(?:rev(?:ision)?\.?|version|ver\.?)\s*[:#]?\s*([A-Z0-9]{1,3}(?:\.\d+)*)\b")
_ONLY_NUMBER = re.compile(
    r"(?i)^\s*(?:[-\u2013\u2014]\s*)?(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"\s*(?:[-\u2013\u2014]\s*)?$"
)
_DIGITS = re.compile(r"\d+")


def _key(line: Line) -> str:
    return _DIGITS.sub("#", " ".join(line.text.lower().split()))


def _bands(page: list[Line]) -> list[tuple[str, Line]]:
    """The top and bottom lines of a page, each with the band it is in."""
    ordered = sorted(page, key=lambda line: -line.y)
    top = [("top", line) for line in ordered[:_BAND]]
    bottom = [("bottom", line) for line in ordered[-_BAND:] if line not in ordered[:_BAND]]
    return top + bottom


def split_furniture(pages: list[list[Line]]) -> tuple[list[list[Line]], list[Line]]:
    """Pages without their running headers/footers, and the furniture lines of the first page showing any."""
    counts: Counter[tuple[str, str]] = Counter()
    for page in pages:
        counts.update({(band, _key(line)) for band, line in _bands(page)})
    needed = max(2, (len(pages) + 1) // 2)
    repeated = {key for key, count in counts.items() if count >= needed}
    kept: list[list[Line]] = []
    furniture: list[Line] = []
    for page in pages:
        drop = {
            id(line)
            for band, line in _bands(page)
            if (band, _key(line)) in repeated or _ONLY_NUMBER.match(line.text)
        }
        if drop and not furniture:
            furniture = [line for line in page if id(line) in drop]
        kept.append([line for line in page if id(line) not in drop])
    return kept, furniture


def furniture_text(furniture: list[Line]) -> str:
    """What the furniture says besides page numbers, for the metadata: e.g. "SOP-QA-012 Rev 4"."""
    parts: list[str] = []
    for line in sorted(furniture, key=lambda line: -line.y):
        text = _PAGE_NUMBER.sub(" ", line.text)
        text = re.sub(r"\s+", " ", text).strip(" -\u2013\u2014|,:")
        if text and re.search(r"\d", text) and text not in parts:
            parts.append(text)
    text = " ".join(parts)
    code = _CODE.search(text)
    revision = _REVISION.search(text)
    if code:  # labelled, so metadata takes it whatever the document-number scheme
        labelled = f"Document number: {code.group(0)}"
        return labelled + (f", revision {revision.group(1)}" if revision else "")
    return text
