"""A new hire joins a role, finds their onboarding, reads the lessons and signs "read and understood"."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from lms.db import db
from lms.models import AuditEvent, Signature
from lms.services import accounts, enrolments, quiz_review, sop_import
from tests.conftest import DEMO_SOPS, PASSWORD

pytestmark = pytest.mark.e2e

FLOODLAMP = "lab-reagent-prep-inactivation-saline-floodlamp.md"


@pytest.fixture(scope="module")
def new_hire(live_app) -> str:
    with live_app.app_context():
        role = accounts.create_job_role("Reagent Technician", "Laboratory")
        trainer = accounts.create_user("trainer3@e2e.example", "Trainer Three", PASSWORD, "trainer")
        revision = sop_import.import_sop((DEMO_SOPS / FLOODLAMP).read_bytes(), FLOODLAMP, trainer.id)
        module = sop_import.modules_of(revision.id)[0]
        quiz_review.publish(module.id, trainer.id)
        enrolments.assign_module_to_role(module.id, role.id, 7, trainer.id)
        # the admin adds the new hire to the role: onboarding is assigned the moment they join
        hire = accounts.create_user(
            "nina.newhire@e2e.example", "Nina Newhire", PASSWORD, "learner", [role.id]
        )
        return hire.email


def test_new_hire_reads_the_sop_and_signs_read_and_understood(browser, live_server, live_app, new_hire):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server}/login")
        page.get_by_label("Email").fill(new_hire)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/my/training$"))
        page.get_by_role("link", name=re.compile("SOP-101-A_2")).first.click()

        # read every lesson with the "Mark as read" button
        page.get_by_role("link", name=re.compile("Start reading|Continue reading|Resume")).first.click()
        while True:
            button = page.get_by_role("button", name=re.compile("Mark as read"))
            label = button.inner_text()
            button.click()
            if "quiz" in label:
                break
        page.wait_for_url(re.compile(r"/my/training/\d+"))
        assert page.locator(".unread-mark").count() == 0

        page.get_by_role("link", name=re.compile("Sign: read and understood")).click()
        assert "SOP-101-A_2" in page.content()
        page.get_by_label("Password").fill("not my password")
        page.get_by_label(re.compile("legally binding")).check()
        page.get_by_role("button", name="Sign", exact=True).click()
        assert page.get_by_role("alert").first.is_visible()
        with live_app.app_context():
            assert db.session.scalar(select(func.count(Signature.id))) == 0
            assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "signature.failure"))

        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label(re.compile("legally binding")).check()
        page.get_by_role("button", name="Sign", exact=True).click()
        assert page.get_by_test_id("printed-name").inner_text() == "Nina Newhire"
        assert "Read and understood" in page.get_by_test_id("meaning").inner_text()
        assert "UTC" in page.get_by_test_id("signed-at").inner_text()
        with live_app.app_context():
            signature = db.session.scalar(select(Signature))
            assert (
                signature.printed_name == "Nina Newhire"
                and signature.content_hash == signature.revision.content_hash
            )
    finally:
        context.close()
