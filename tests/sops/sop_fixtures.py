"""Shared helpers for the `sops` tests: the real SOP samples and a cached parse of each."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sops.model import SopDocument
from sops.parse import parse_sop

# The real SOPs live once in the project, as the demo seed's documents (sources and licences in SOURCES.md).
FIXTURES = Path(__file__).resolve().parents[2] / "lms" / "demo" / "sops"
FILES = sorted(p for p in FIXTURES.glob("*.md") if p.name != "SOURCES.md")


@cache
def parsed(name: str) -> SopDocument:
    path = FIXTURES / name
    return parse_sop(path.read_bytes(), path.name)


def numbers(doc: SopDocument, section_id: str | None = None) -> list[str]:
    return [s.number for s in doc.steps if section_id is None or s.section_id == section_id]
