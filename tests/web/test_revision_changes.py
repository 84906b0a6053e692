"""A new revision of an SOP: the changes side by side and as JSON, and the questions they put in doubt."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from lms.db import db
from lms.models import SopRevision, TrainingModule
from tests.conftest import DEMO_SOPS, login, post
from tests.web.helpers import LOTO, upload_sample

QUBIT = "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md"
UV_STEP = "If you have a UV crosslinker available, UV pipettes and tube racks regularly for 2 minutes."
NEW_STEP = "Label every Qubit tube lid with the sample ID before adding any reagent."


def revision_two() -> bytes:
    text = (DEMO_SOPS / QUBIT).read_text(encoding="utf-8")
    assert UV_STEP in text
    text = text.replace(UV_STEP, UV_STEP.replace("2 minutes", "5 minutes") + f"\n3. {NEW_STEP}")
    text = text.replace(
        "| 1.0.0 | 2025-06-04 | Initial release |",
        "| 1.0.0 | 2025-06-04 | Initial release |\n| 1.1.0 | 2026-11-20 | Longer UV exposure; label tubes |",
    )
    return text.encode("utf-8")


def upload_revision_two(client, app) -> SopRevision:
    response = post(
        client,
        "/sops/upload",
        {"document": (io.BytesIO(revision_two()), QUBIT)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    revision_id = int(re.search(r"/sops/revisions/(\d+)", response.headers["Location"]).group(1))
    with app.app_context():
        revision = db.session.get(SopRevision, revision_id)
        db.session.expunge(revision)
        return revision


def test_a_new_revision_shows_what_changed_and_flags_questions(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    first = upload_sample(client, app, QUBIT)
    second = upload_revision_two(client, app)
    assert second.label == "1.1.0"

    page = client.get(f"/sops/revisions/{second.id}").get_data(as_text=True)
    assert "What changed since revision 1.0.0" in page
    changes = client.get(f"/sops/revisions/{second.id}/changes").get_data(as_text=True)
    summary = re.search(r'data-testid="change-summary">(.*?)</p>', changes, re.S).group(1)
    assert re.search(r"\b1 changed, 1 added, 0 removed", summary), summary
    assert re.search(r"<del>2\s*</del>", changes) and re.search(r"<ins>5\s*</ins>", changes)
    assert "2 minutes -&gt; 5 minutes" in changes or "2 minutes → 5 minutes" in changes
    assert NEW_STEP in changes

    data = client.get(f"/sops/revisions/{second.id}/changes.json").get_json()
    assert data["old_revision"]["label"] == "1.0.0" and data["new_revision"]["label"] == "1.1.0"
    assert data["counts"]["changed"] == 1 and data["counts"]["added"] == 1 and not data["is_editorial"]
    kinds = {c["new_text"]: c["kind"] for c in data["changes"] if c["kind"] != "unchanged"}
    assert kinds[NEW_STEP] == "added"

    with app.app_context():
        assert db.session.get(TrainingModule, first.id).status != "retired", (
            "not before the new one is published"
        )
        new_module = db.session.scalar(select(TrainingModule).where(TrainingModule.revision_id == second.id))
        flagged = [q for q in new_module.quiz.questions if q.review_note]
        for question in new_module.quiz.questions:
            touched = question.step is not None and question.step.text in (
                NEW_STEP,
                UV_STEP.replace("2 min", "5 min"),
            )
            assert bool(question.review_note) == touched, (question.stem, question.review_note)
        notes = " ".join(q.review_note for q in flagged)
    if flagged:
        assert "changed in this revision" in notes or "new in this revision" in notes
        review = client.get(f"/modules/{new_module.id}").get_data(as_text=True)
        assert "Review:" in review


def test_comparisons_need_two_revisions_of_the_same_sop(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    qubit = upload_sample(client, app, QUBIT)
    loto = upload_sample(client, app, LOTO)
    assert client.get(f"/sops/revisions/{qubit.revision_id}/changes").status_code == 404
    response = client.get(f"/sops/revisions/{qubit.revision_id}/changes?against={loto.revision_id}")
    assert response.status_code == 400
    assert "same SOP" in response.get_data(as_text=True)


def test_only_trainers_see_changes(app, client, make_user) -> None:
    login(client, make_user("trainer"))
    module = upload_sample(client, app, QUBIT)
    post(client, "/logout")
    login(client, make_user("learner"))
    assert client.get(f"/sops/revisions/{module.revision_id}/changes.json").status_code == 403
