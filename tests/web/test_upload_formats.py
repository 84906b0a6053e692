"""Every supported format uploads through the web form; broken files get a clear message and save nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.models import Sop, SopRevision
from tests.conftest import login
from tests.web.helpers import upload

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("path", "code", "steps"),
    [
        ("docx/sop-qa-012-lockout.docx", "SOP-QA-012", 17),
        ("pdf/typeset-sop-qa-012.pdf", "SOP-QA-012", None),
        ("html/safety-lockout-tagout-osha-typical-minimal-procedure.html", None, 13),
        ("docx/lab-dna-quantification-qubit-fluorometer-noaa-pmel.docx", None, 12),
    ],
)
def test_office_formats_upload(
    app, client, make_user, path: str, code: str | None, steps: int | None
) -> None:
    login(client, make_user("trainer"))
    file = FIXTURES / path
    response = upload(client, file.read_bytes(), file.name)
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    revision_id = int(re.search(r"/sops/revisions/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        revision = db.session.get(SopRevision, revision_id)
        if code:
            assert revision.sop.code == code
        if steps:
            assert len(revision.steps) == steps
        assert revision.source_filename == file.name and revision.source_blob == file.read_bytes()


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("pdf/scanned-no-text-layer.pdf", "no text layer"),
        ("pdf/encrypted-empty-password.pdf", "encrypted"),
        ("pdf/truncated.pdf", "PDF"),
        ("pdf/not-a-pdf.pdf", "PDF"),
    ],
)
def test_broken_documents_are_refused_and_nothing_is_saved(
    app, client, make_user, path: str, message: str
) -> None:
    login(client, make_user("trainer"))
    file = FIXTURES / path
    response = upload(client, file.read_bytes(), file.name)
    assert response.status_code == 400
    assert message.lower() in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.scalar(select(func.count(Sop.id))) == 0


def test_a_corrupt_word_file_is_refused(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    good = (FIXTURES / "docx/qms-capa-procedure.docx").read_bytes()
    response = upload(client, good[: len(good) // 2], "capa.docx")
    assert response.status_code == 400
    assert "word" in response.get_data(as_text=True).lower()
    with app.app_context():
        assert db.session.scalar(select(func.count(Sop.id))) == 0
