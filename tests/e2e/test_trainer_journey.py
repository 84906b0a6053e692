"""In a real browser: a trainer uploads an SOP, reviews and publishes its quiz and assigns it to a role; a
compliance officer downloads the completion report and finds who is not current on the SOP."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from lms.services import accounts
from tests.conftest import DEMO_SOPS, PASSWORD

pytestmark = pytest.mark.e2e

QUBIT = "lab-dna-quantification-qubit-fluorometer-noaa-pmel.md"


@pytest.fixture(scope="module")
def people(live_app):
    with live_app.app_context():
        role = accounts.create_job_role("Laboratory Technician", "Laboratory")
        accounts.create_user("lab.tech@e2e.example", "Lab Tech", PASSWORD, "learner", [role.id])
        accounts.create_user("trainer2@e2e.example", "Second Trainer", PASSWORD, "trainer")
        accounts.create_user("qa@e2e.example", "Quinn Compliance", PASSWORD, "compliance")


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_trainer_uploads_reviews_publishes_and_assigns(browser, live_server, people):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server, "trainer2@e2e.example")
        page.wait_for_url(re.compile(r"/sops$"))
        page.get_by_role("link", name="Upload an SOP").click()

        # a bad file first: a clear message, nothing imported
        page.get_by_label("SOP document").set_input_files(
            {"name": "photo.md", "mimeType": "text/markdown", "buffer": b"\x89PNG\r\n\x1a\n\x00\x00" * 50}
        )
        page.get_by_role("button", name="Upload and read").click()
        assert "binary" in page.get_by_role("alert").first.inner_text().lower()

        page.get_by_label("SOP document").set_input_files(str(DEMO_SOPS / QUBIT))
        page.get_by_role("button", name="Upload and read").click()
        page.wait_for_url(re.compile(r"/sops/revisions/\d+$"))
        assert page.get_by_role("heading", name=re.compile("Qubit Quantification")).first.is_visible()
        assert page.locator("ol.steps li").count() >= 12

        page.get_by_role("link", name=re.compile("Review the training module")).click()
        page.get_by_role("button", name="Reject question 2").click()
        assert page.locator(".review-item.status-rejected").count() == 1
        page.get_by_role("button", name="Publish module").click()

        page.wait_for_url(re.compile(r"/assign$"))
        page.get_by_label("Job role").select_option(label="Laboratory Technician")
        page.get_by_label("Due within (days)").fill("10")
        page.get_by_role("button", name="Assign").click()
        page.wait_for_url(re.compile(r"/completion$"))
        assert "1 person enrolled" in page.get_by_role("status").first.inner_text()
        row = page.get_by_role("row", name=re.compile("Laboratory Technician"))
        assert re.search(r"Laboratory Technician\s+1\s+0\s+0", row.inner_text())
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, live_server, "qa@e2e.example")
        page.wait_for_url(re.compile(r"/reports/completion$"))
        with page.expect_download() as download_info:
            page.get_by_role("link", name="CSV", exact=True).click()
        report = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(report)))
        lab = [r for r in rows if r["user"] == "Lab Tech"]
        assert (
            len(lab) == 1 and lab[0]["status"] == "not_started" and lab[0]["role"] == "Laboratory Technician"
        )

        # "who is not current on this SOP?": two actions from the landing page, the file in one more
        page.get_by_role("link", name="Not current, per SOP").click()
        page.get_by_role("row", name=re.compile("Qubit")).get_by_role("link").first.click()
        page.wait_for_url(re.compile(r"/reports/not-current/\d+$"))
        assert page.get_by_role("heading", name=re.compile("Not current on")).is_visible()
        listed = page.get_by_role("row", name=re.compile("Lab Tech"))
        assert "Not started" in listed.inner_text() and "lab.tech@e2e.example" in listed.inner_text()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="CSV", exact=True).click()
        not_current = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
        listed_rows = list(csv.DictReader(io.StringIO(not_current)))
        assert [(r["person"], r["status"]) for r in listed_rows] == [("Lab Tech", "not_started")]
        for file_format, magic in (("XLSX", b"PK"), ("PDF", b"%PDF")):  # the other formats, one click each
            with page.expect_download() as download_info:
                page.get_by_role("link", name=file_format, exact=True).click()
            assert Path(download_info.value.path()).read_bytes().startswith(magic), file_format

        # the training matrix, and the cell that opens Lab Tech's record on the SOP
        page.get_by_role("link", name="Training matrix").click()
        page.wait_for_url(re.compile(r"/reports/matrix$"))
        cell = page.get_by_role("link", name=re.compile(r"^Lab Tech, .+: Not started$"))
        assert cell.inner_text() == "Not started"
        header = page.locator(".matrix thead th").first
        page.locator(".matrix-scroll").evaluate("box => box.scrollTo(0, box.scrollHeight)")
        assert header.bounding_box()["y"] >= page.locator(".matrix-scroll").bounding_box()["y"] - 1  # sticky
        cell.click()
        page.wait_for_url(re.compile(r"/reports/people/\d+/sops/\d+$"))
        assert page.get_by_test_id("standing").inner_text() == "Not started"
    finally:
        context.close()
