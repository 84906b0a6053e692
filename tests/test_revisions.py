"""Imported SOP revisions are evidence: their content cannot be changed, only superseded."""

from __future__ import annotations

import pytest

from lms.db import db
from lms.models import ImmutableRevisionError, SopRevision, SopStep
from lms.services import sop_import
from tests.conftest import DEMO_SOPS

RPA = "lab-rpa-assay-setup-techoceans.md"


@pytest.fixture
def revision_id(app_ctx) -> int:
    return sop_import.import_sop((DEMO_SOPS / RPA).read_bytes(), RPA, actor_id=None).id


def test_revision_content_cannot_be_edited(revision_id) -> None:
    revision = db.session.get(SopRevision, revision_id)
    revision.title = "Quietly rewritten"
    with pytest.raises(ImmutableRevisionError, match="title"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(SopRevision, revision_id).title != "Quietly rewritten"


def test_steps_cannot_be_edited(revision_id) -> None:
    step = db.session.get(SopRevision, revision_id).steps[0]
    step.text = "Skip the safety check"
    with pytest.raises(ImmutableRevisionError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(SopStep, step.id).text != "Skip the safety check"


def test_status_may_change(revision_id) -> None:
    revision = db.session.get(SopRevision, revision_id)
    revision.status = "superseded"
    db.session.commit()
    assert db.session.get(SopRevision, revision_id).status == "superseded"


def test_a_changed_document_with_the_same_revision_number_is_refused(revision_id) -> None:
    text = (DEMO_SOPS / RPA).read_text(encoding="utf-8").replace("Vortex", "Mix by inversion", 1)
    assert "Mix by inversion" in text
    revision = db.session.get(SopRevision, revision_id)
    assert revision.label == "0.1"
    with pytest.raises(sop_import.InvalidInput, match="already imported with different content"):
        sop_import.import_sop(text.encode("utf-8"), RPA, actor_id=None)
