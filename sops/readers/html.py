"""HTML pages (intranet SOPs, "Save as web page" exports) -> Markdown for the structure parser.

The bytes are decoded by BOM, then by the page's own `<meta charset>`, then as UTF-8; a page that is
none of these is refused rather than turned into mojibake that trainees would be quizzed on.
"""

from __future__ import annotations

import codecs
import json
import os
import re

from sops.errors import EmptyDocument, NotText
from sops.limits import ReadLimits
from sops.readers import Extracted
from sops.readers.docx_text import render
from sops.readers.html_blocks import parse_blocks

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_BINARY = (b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b")


def _encoding(data: bytes) -> tuple[str, int]:
    """(codec name, bytes to skip) from the BOM or the meta charset; UTF-8 when neither says."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    match = _META.search(data[:4096])
    if match:
        try:
            name = codecs.lookup(match.group(1).decode("ascii")).name
        except LookupError:
            return "utf-8", 0
        # a page saved as UTF-8 often still says "utf-16" in its meta; browsers ignore that too
        return ("utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name), 0
    return "utf-8", 0


def decode_html(data: bytes, name: str) -> str:
    encoding, skip = _encoding(data)
    body = data[skip:]
    if any(body.startswith(signature) for signature in _BINARY) or (
        b"\x00" in body[:65536] and not encoding.startswith("utf-16") and not encoding.startswith("utf-32")
    ):
        raise NotText(f"{name} is not a web page (it holds binary data); upload the SOP's .html file itself.")
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as exc:
        raise NotText(
            f"{name} is not valid {encoding} text (byte 0x{body[exc.start]:02X} at offset {exc.start + skip} "
            "cannot be decoded); save the page with UTF-8 encoding, or declare its real encoding in "
            "<meta charset>, and upload it again."
        ) from None


def read(data: bytes, filename: str, limits: ReadLimits) -> Extracted:
    """Read an HTML upload into Markdown; every failure is a `SopParseError` with a trainer-facing message."""
    name = os.path.basename(filename) or "The file"
    if not data.strip():
        raise EmptyDocument(f"{name} is empty (it has no content); upload the web page that holds the SOP.")
    blocks, title = parse_blocks(decode_html(data, name))
    if not any(block.text.strip() or block.rows for block in blocks):
        raise EmptyDocument(
            f"{name} has no SOP text: once navigation menus, page headers, footers, forms and scripts "
            "are left out nothing remains; upload the page that holds the procedure itself "
            "(or save the procedure as .docx or .md)."
        )
    text = render(blocks)
    if title:
        text = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n\n{text}"
    return Extracted(text, "markdown")
