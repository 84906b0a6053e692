"""Bytes -> text, refusing files that are not text.

Trainers upload whatever is on their disk; a renamed PNG or a Windows-1252 export must be refused
with a message they can act on, never turned into an SOP full of mojibake.
"""

from __future__ import annotations

import os

from sops.errors import EmptyDocument, NotText

# Well-known binary signatures, named so the message can say what the file really is.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (a Word .docx or Excel file is one too)"),
    (b"%PDF", "a PDF document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"MZ\x90\x00", "a Windows program"),
    (b"\x7fELF", "a program file"),
)
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1b")
_SAMPLE = 65536
_MAX_CONTROL_SHARE = 0.05
_MAX_UNDECODABLE_SHARE = 0.10
_WHITESPACE = b" \t\r\n\x0b\x0c"
_BOM = b"\xef\xbb\xbf"


def _binary(name: str, detail: str) -> NotText:
    return NotText(
        f"{name} looks like a binary file, not Markdown/text ({detail}); "
        "upload the SOP as a .md or .txt file saved as UTF-8 text."
    )


def _empty() -> EmptyDocument:
    return EmptyDocument(
        "The file is empty (it has no text at all); upload the SOP file that holds the procedure."
    )


def decode_text(data: bytes, filename: str = "the file") -> str:
    """Decode an uploaded file as UTF-8 (BOM allowed) and normalise line endings to `\\n`."""
    name = os.path.basename(filename) or "the file"
    body = data[len(_BOM) :] if data.startswith(_BOM) else data
    if not body.strip(_WHITESPACE):
        raise _empty()
    for signature, what in _SIGNATURES:
        if body.startswith(signature):
            raise _binary(name, f"it appears to be {what}")
    if b"\x00" in body:
        raise _binary(name, "it contains NUL bytes")
    sample = body[:_SAMPLE]
    controls = sum(1 for b in sample if (b < 0x20 and b not in _ALLOWED_CONTROLS) or b == 0x7F)
    if controls / len(sample) > _MAX_CONTROL_SHARE:
        raise _binary(name, "it contains many control characters")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        lossy = body.decode("utf-8", errors="replace")
        if lossy.count("\ufffd") / max(len(lossy), 1) > _MAX_UNDECODABLE_SHARE:
            raise _binary(name, "most of its bytes are not text") from None
        offset = exc.start + (len(data) - len(body))
        raise NotText(
            f"{name} is not valid UTF-8 text (byte 0x{body[exc.start]:02X} at byte offset {offset} cannot be "
            "decoded, so it was probably saved as Windows-1252/Latin-1); save it with UTF-8 encoding "
            "and upload it again."
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _empty()
    return text
