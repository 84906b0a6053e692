"""Resource limits for reading untrusted documents; the Flask layer sets them from its configuration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadLimits:
    """How much work one uploaded document may cause.

    max_bytes: the file itself; max_pages: PDF pages; max_unpacked_bytes: the total a DOCX (a ZIP) may
    expand to, which stops zip bombs; max_text_chars: the extracted text handed to the structure parser.
    """

    max_bytes: int = 20 * 1024 * 1024
    max_pages: int = 500
    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_text_chars: int = 2_000_000


DEFAULT_LIMITS = ReadLimits()
