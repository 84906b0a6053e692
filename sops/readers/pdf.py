"""PDF files: text PDFs via pypdf, with headings from layout and running headers/footers removed.

Every failure becomes a `SopParseError` a trainer can act on: a file that is not a PDF or is damaged,
an encrypted PDF (refused even when it opens without a password: what we read would not be the
controlled copy's text the owner meant to share, and decrypting needs optional crypto libraries), a
scan with no text layer, or more pages than the configured limit, checked before any page is read.
pypdf reports damage it recovers from through the `pypdf` logger and `warnings`; both are silenced
here, since the upload either reads or gets one clear message.
"""

from __future__ import annotations

import io
import logging
import os
import warnings

from sops.errors import SopParseError, TooLarge, Unreadable
from sops.limits import ReadLimits
from sops.readers import Extracted
from sops.readers.pdf_furniture import furniture_text, split_furniture
from sops.readers.pdf_lines import Line, page_lines
from sops.readers.pdf_markdown import to_markdown

logging.getLogger("pypdf").setLevel(logging.ERROR)  # recoverable-damage chatter, not our user's concern

_MIN_TEXT_CHARS = 20  # fewer characters in the whole file than this: no usable text layer


def read(data: bytes, filename: str, limits: ReadLimits) -> Extracted:
    """The PDF's text as Markdown (see pdf_markdown), with the running header's document number first."""
    name = os.path.basename(filename) or "The file"
    if b"%PDF-" not in data[:1024]:
        raise Unreadable(
            f"{name} is not a readable PDF (it does not start like a PDF file); "
            "export the SOP to PDF again or upload the original document."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pages = _read_pages(data, name, limits)
        except SopParseError:
            raise
        except Exception as error:  # pypdf raises many types on damaged files; all mean the same here
            raise Unreadable(
                f"{name} is not a readable PDF (corrupt or truncated); "
                "export it to PDF again or upload the original document."
            ) from error
    if sum(len(line.text) for page in pages for line in page) < _MIN_TEXT_CHARS:
        raise Unreadable(
            f"{name} has no text layer (it looks like a scanned image); run it through OCR "
            "or upload the original document (Word, PDF exported from the editor, or text)."
        )
    body, furniture = split_furniture(pages)
    lines = [line for page in body for line in page]
    return Extracted(to_markdown(lines, leading=furniture_text(furniture)), "markdown")


def _read_pages(data: bytes, name: str, limits: ReadLimits) -> list[list[Line]]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        _refuse_encrypted(reader, name)
    count = len(reader.pages)
    if count > limits.max_pages:
        raise TooLarge(
            f"{name} has {count:,} pages, more than the {limits.max_pages:,} an SOP may have; "
            "split it into several SOPs or ask an administrator to raise the limit."
        )
    pages: list[list[Line]] = []
    total = 0
    for index, page in enumerate(reader.pages):
        lines = page_lines(page, index)
        total += sum(len(line.text) + 1 for line in lines)
        if total > limits.max_text_chars:
            raise TooLarge(
                f"{name} holds more than the {limits.max_text_chars:,} characters of text an SOP may "
                "have; split it into several SOPs."
            )
        pages.append(lines)
    return pages


def _refuse_encrypted(reader: object, name: str) -> None:
    opens = False
    try:
        opens = bool(reader.decrypt(""))  # type: ignore[attr-defined]
    except Exception:  # unsupported algorithm or missing crypto library: still just "encrypted"
        opens = False
    if opens:
        raise Unreadable(
            f"{name} is an encrypted PDF (it opens without a password, but is still encrypted), "
            "which sop-lms cannot read; save or print it to a PDF without security and upload that copy."
        )
    raise Unreadable(
        f"{name} is a password-protected (encrypted) PDF, which sop-lms cannot read; "
        "upload a copy without password protection."
    )
