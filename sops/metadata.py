"""Document metadata: title, document number, revision and effective date.

Controlled SOPs carry these in a header block ("Document Number: SOP-QA-012", "Rev. B",
"Effective Date: 08/24/2022"), in a data-sheet table or in front matter; training records must cite
exactly which revision a trainee was trained on, so we only take values that are clearly labelled.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from sops.blocks import Block
from sops.inline import clean_inline
from sops.section_kinds import raw_heading_kind

_CODE = re.compile(
    r"\b(?:SOP|SSOP|QP|QSP|QMS|WI|POL|FRM|FORM|PRO|PR|OP|SP|GMP|QA|QC|TM|DOC|WP|LAB|EHS|HSE|IT|HR|MP|TP|STP)"
    r"(?:[-_][A-Z0-9]+(?:\.\d+)*)+\b"
)
_CODE_LABEL = re.compile(
    r"(?i:\b(?:document|doc|sop|procedure|form|policy|control)\.?\s*(?:number|no\.?|#|id|code|ref(?:erence)?)"
    r"|\bsop\s*#)\s*[:|#-]?\s*(?P<v>[A-Z0-9][\w./-]*[\w])"
)
_REVISION_LABEL = re.compile(
    r"(?i:\b(?:revision|rev\.?|version|ver\.|edition(?:\s*/\s*version)?|issue)(?:\s*(?:no\.?|number|#))?)"
    r"\s*[:|#]?\s*(?P<v>[vV]?\d+(?:\.\d+)*[a-z]?\b|[A-Z]{1,2}\b)"
)
_BARE_VERSION = re.compile(r"\b[vV](?P<v>\d+(?:\.\d+)*)\b")
_EFFECTIVE_LABEL = re.compile(
    r"(?i:\beffective(?:\s+date)?|\bdate\s+effective|\beffective\s+(?:from|as\s+of|on))\s*[:|]?\s*(?P<d>.+)"
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )
}
_CODE_KEYS = (
    "code",
    "document_number",
    "document number",
    "doc_no",
    "document_id",
    "document id",
    "sop",
    "id",
)
_REVISION_KEYS = ("revision", "version", "rev")
_DATE_KEYS = ("effective_date", "effective date", "effective")


@dataclass
class Metadata:
    title: str
    code: str | None = None
    revision: str | None = None
    effective_date: str | None = None


def parse_date(text: str) -> str | None:
    """First recognisable calendar date in `text` as ISO YYYY-MM-DD (US month-first for a/b/yyyy)."""
    patterns = (
        (r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b", "ymd"),
        (r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b", "mdy"),
        (r"\b(\d{1,2})[.-](\d{1,2})[.-](\d{4})\b", "dmy"),
        (r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b", "d_mon_y"),
        (r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", "mon_d_y"),
    )
    for pattern, order in patterns:
        for match in re.finditer(pattern, text):
            a, b, c = match.groups()
            try:
                if order == "ymd":
                    y, m, d = int(a), int(b), int(c)
                elif order == "mdy":
                    m, d, y = int(a), int(b), int(c)
                    if m > 12:
                        m, d = d, m
                    y = y + 2000 if y < 100 else y
                elif order == "dmy":
                    d, m, y = int(a), int(b), int(c)
                elif order == "d_mon_y":
                    d, m, y = int(a), _MONTHS.get(b[:3].lower(), 0), int(c)
                else:
                    m, d, y = _MONTHS.get(a[:3].lower(), 0), int(b), int(c)
                return dt.date(y, m, d).isoformat()
            except ValueError:
                continue
    return None


def _header_lines(blocks: list[Block], title_heading: int | None) -> list[str]:
    """Cleaned lines of the header block plus key/value rows of tables anywhere."""
    lines: list[str] = []
    in_header = True
    for index, block in enumerate(blocks):
        if block.kind == "heading" and index not in (title_heading, 0):
            in_header = False
        if in_header and block.kind in ("paragraph", "quote"):
            lines.extend(clean_inline(line) for line in block.text.split("\n"))
        if block.kind == "table":
            for row in block.rows:
                cells = [clean_inline(c) for c in row if c.strip()]
                if len(cells) == 2:
                    lines.append(f"{cells[0]}: {cells[1]}")
    return [line for line in lines if line]


def _revision_from_history(blocks: list[Block]) -> str | None:
    """Latest version listed in a revision/version history table (last data row)."""
    current_kind = ""
    for block in blocks:
        if block.kind == "heading":
            current_kind = raw_heading_kind(block.text)
        if current_kind != "revision_history" or block.kind != "table" or len(block.rows) < 2:
            continue
        if re.match(r"(?:version|rev)", clean_inline(block.rows[0][0]).lower()):
            value = clean_inline(block.rows[-1][0])
            if re.fullmatch(r"[vV]?\d+(?:\.\d+)*[a-z]?|[A-Z]{1,2}", value):
                return _strip_v(value)
    return None


def _strip_v(value: str) -> str:
    return value[1:] if re.match(r"[vV]\d", value) else value


def extract_metadata(
    front: dict[str, str], blocks: list[Block], filename: str, title_heading: int | None
) -> Metadata:
    """Title (front matter, first heading, file name), document number, revision, effective date."""
    title = clean_inline(front.get("title", ""))
    if not title:
        heading = next((b for b in blocks if b.kind == "heading" and clean_inline(b.text)), None)
        title = clean_inline(heading.text) if heading else ""
    if not title:
        title = os.path.splitext(os.path.basename(filename))[0] or "Untitled SOP"
    meta = Metadata(title=title)
    lines = _header_lines(blocks, title_heading)
    for line in lines:
        if meta.code is None:
            label = _CODE_LABEL.search(line)
            if label and re.search(r"\d", label.group("v")):
                meta.code = label.group("v")
        if meta.revision is None:
            label = _REVISION_LABEL.search(line)
            if label:
                meta.revision = _strip_v(label.group("v"))
        if meta.effective_date is None:
            label = _EFFECTIVE_LABEL.search(line)
            if label:
                meta.effective_date = parse_date(label.group("d"))
    for key in _CODE_KEYS:
        if meta.code is None and re.search(r"\d", front.get(key, "")):
            meta.code = front[key].strip()
    for key in _REVISION_KEYS:
        if meta.revision is None and front.get(key):
            meta.revision = _strip_v(front[key].strip())
    for key in _DATE_KEYS:
        if meta.effective_date is None and front.get(key):
            meta.effective_date = parse_date(front[key])
    if meta.code is None:
        for text in (title, *lines):
            found = _CODE.search(text)
            if found:
                meta.code = found.group(0)
                break
    if meta.revision is None:
        meta.revision = _revision_from_history(blocks)
    for text in (title, front.get("title", ""), *lines):
        bare = _BARE_VERSION.search(text) if meta.revision is None else None
        if bare:
            meta.revision = bare.group("v")
    return meta
