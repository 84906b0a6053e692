"""The personal training record as PDF: what it says (read back with pypdf), and that it is only ever the
signed-in person's own."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from lms.db import db
from lms.models import Enrolment
from lms.services import accounts, enrolments, quiz_review, sop_import, transcript
from tests.conftest import DEMO_SOPS, login, post
from tests.web.helpers import LOTO, answers_form, attempt_questions, start_attempt

CAPA = "qms-capa-procedure.md"


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def publish_and_assign(app, trainer_id: int, role_id: int, filename: str) -> tuple[str, str, str]:
    with app.app_context():
        revision = sop_import.import_sop((DEMO_SOPS / filename).read_bytes(), filename, trainer_id)
        module = sop_import.modules_of(revision.id)[0]
        if (
            not module.quiz.questions
        ):  # nothing drafted (CAPA's steps carry no value or rule): the trainer writes one
            quiz_review.add_question(
                module.id,
                "true_false",
                f"True or false? {revision.title} applies to you.",
                ["True", "False"],
                True,
                None,
                trainer_id,
            )
        quiz_review.publish(module.id, trainer_id)
        enrolments.assign_module_to_role(module.id, role_id, 14, trainer_id)
        return revision.sop.code, revision.title, revision.label


def test_transcript_lists_every_enrolment_with_its_outcome(app, client, make_user) -> None:
    trainer = make_user("trainer")
    with app.app_context():
        role_id = accounts.create_job_role("Maintenance Technician", "Facilities").id
    learner = make_user("learner", [role_id], name="Zoë Ødegård")
    loto = publish_and_assign(app, trainer.id, role_id, LOTO)
    capa = publish_and_assign(app, trainer.id, role_id, CAPA)
    with app.app_context():
        by_code = {
            e.revision.sop.code: e.id
            for e in db.session.scalars(select(Enrolment).where(Enrolment.user_id == learner.id))
        }

    login(client, learner)
    # two attempts at the LOTO quiz: one failed, one passed
    first = start_attempt(client, by_code[loto[0]])
    questions = attempt_questions(app, first)
    post(client, f"/my/attempts/{first}", answers_form(questions, wrong={q.id for q in questions}))
    second = start_attempt(client, by_code[loto[0]])
    post(client, f"/my/attempts/{second}", answers_form(attempt_questions(app, second)))

    assert 'href="/my/transcript.pdf"' in client.get("/my/training").get_data(as_text=True)
    with client.get("/my/transcript.pdf") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert re.fullmatch(
            r'attachment; filename="training-record-\d{4}-\d\d-\d\d\.pdf"',
            response.headers["Content-Disposition"],
        )
        assert "no-store" in response.headers["Cache-Control"]
        data = response.get_data()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Training record: Zoë Ødegård"
    text = pdf_text(data)
    flat = " ".join(text.split())
    assert "Training record" in text
    assert "Zoë Ødegård" in text
    assert learner.email in text
    assert "Maintenance Technician (Facilities)" in flat
    assert re.search(r"Generated at: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", flat)
    for heading in (
        "SOP code",
        "Title",
        "Revision",
        "Status",
        "Assigned",
        "Due",
        "Completed at",
        "Best score",
    ):
        assert heading in flat, heading
    # long codes and titles wrap inside their cells: compare without whitespace
    compact = "".join(text.split())
    for code, title, label in (loto, capa):
        row = compact[compact.index(code) :]
        assert row.startswith(code + "".join(title.split()) + label), row[:200]
    # LOTO: completed, best of two attempts is 100%; CAPA: not started, no attempts; by SOP code
    loto_row = compact[compact.index(loto[0]) : compact.index(capa[0])]
    assert re.search(r"completed\d{4}-\d\d-\d\d\d{4}-\d\d-\d\d\d{4}-\d\d-\d\d\d\d:\d\d100%2$", loto_row)
    capa_row = compact[compact.index(capa[0]) :]
    assert re.search(r"notstarted\d{4}-\d\d-\d\d\d{4}-\d\d-\d\d0Quizattempts", capa_row)
    # every attempt, then every signature (none here), under the organisation's name
    attempts = compact[compact.index("Quizattempts") : compact.index("Electronicsignatures")]
    assert re.search(
        rf"{loto[0]}{loto[2]}1[0-9: -]+\d+%notpassed{loto[0]}{loto[2]}2[0-9: -]+100%passed", attempts
    )
    assert "Noelectronicsignature." in compact and "Organisation:sop-lms" in compact


def test_a_learner_gets_only_their_own_transcript(app, client, make_user) -> None:
    trainer = make_user("trainer")
    with app.app_context():
        role_id = accounts.create_job_role("Maintenance Technician", "Facilities").id
    enrolled = make_user("learner", [role_id], name="Enrolled Person")
    other = make_user("learner", name="Other Person")
    code, _title, _label = publish_and_assign(app, trainer.id, role_id, LOTO)

    login(client, other)
    with client.get("/my/transcript.pdf") as response:
        text = pdf_text(response.get_data())
    assert "Other Person" in text and other.email in text
    assert "Enrolled Person" not in text and enrolled.email not in text and code not in text
    assert "No training has been assigned" in text
    # there is no other URL to ask for someone else's
    assert client.get(f"/my/transcript.pdf?user_id={enrolled.id}").status_code == 200
    assert client.get(f"/my/transcript/{enrolled.id}.pdf").status_code == 404


def test_the_transcript_needs_a_signed_in_user(client) -> None:
    response = client.get("/my/transcript.pdf")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_characters_the_font_lacks_become_question_marks(app, make_user) -> None:
    person = make_user("learner", name="Łukasz 山田 Ñúñez")
    with app.app_context():
        data = transcript.render_pdf(transcript.transcript_for(person.id))
    assert "Łukasz ?? Ñúñez" in pdf_text(data)
