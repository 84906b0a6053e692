"""A parsed SOP survives the trip through JSON (how revisions are stored) unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sops.model import SopDocument
from sops.parse import parse_sop

DEMO = Path(__file__).resolve().parents[2] / "lms" / "demo" / "sops"


@pytest.mark.parametrize(
    "path", sorted(p for p in DEMO.glob("*.md") if p.name != "SOURCES.md"), ids=lambda p: p.stem
)
def test_from_dict_inverts_to_dict(path: Path) -> None:
    doc = parse_sop(path.read_bytes(), path.name)
    again = SopDocument.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert again == doc
    assert again.content_hash == doc.content_hash
