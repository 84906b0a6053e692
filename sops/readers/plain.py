"""Markdown and plain-text files: only decoding is needed."""

from __future__ import annotations

from sops.decode import decode_text
from sops.limits import ReadLimits
from sops.readers import Extracted


def read_markdown(data: bytes, filename: str, limits: ReadLimits) -> Extracted:
    return Extracted(decode_text(data, filename), "markdown")


def read_text(data: bytes, filename: str, limits: ReadLimits) -> Extracted:
    return Extracted(decode_text(data, filename), "text")
