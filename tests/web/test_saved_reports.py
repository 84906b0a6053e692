"""Saved reports (issue 13): a report saved from its page with its filters re-opens in one click, leaves
as a file with the same rows, runs from the command line, and is deleted only after a confirmation."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from lms.db import db
from lms.models import AuditEvent, JobRole, SavedReport
from tests.conftest import login, post


def _save(client, name: str, report: str, **params):
    return post(
        client, "/reports/saved", {"name": name, "report": report, **params}, csrf_path="/reports/matrix"
    )


def test_a_saved_report_reopens_with_its_filters_and_leaves_as_the_same_file(
    organisation, client, make_user, app, tmp_path
) -> None:
    login(client, make_user("compliance"))
    lab = db.session.scalars(select(JobRole).where(JobRole.name == "Lab")).one()
    page = client.get(f"/reports/matrix?role={lab.id}").get_data(as_text=True)
    assert "Save this report" in page and f'name="role" value="{lab.id}"' in page
    response = _save(client, "  Lab   matrix ", "matrix", role=str(lab.id), csrf_token_extra="x")
    assert response.status_code == 302
    saved = db.session.scalars(select(SavedReport)).one()
    assert (saved.name, saved.params) == ("Lab matrix", {"role": str(lab.id)})  # unknown keys dropped
    listing = client.get("/reports/saved").get_data(as_text=True)
    assert f'href="/reports/saved/{saved.id}">Lab matrix</a>' in listing and f"role: {lab.id}" in listing
    opened = client.get(f"/reports/saved/{saved.id}")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/reports/matrix?role={lab.id}"
    from_saved = client.get(f"/reports/saved/{saved.id}.csv").get_data().decode("utf-8-sig")
    from_page = client.get(f"/reports/matrix.csv?role={lab.id}").get_data().decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(from_saved))) == list(csv.reader(io.StringIO(from_page)))
    out = tmp_path / "lab.xlsx"
    result = app.test_cli_runner().invoke(args=["sop-lms", "report", "saved", "Lab matrix", "-o", str(out)])
    assert result.exit_code == 0 and out.stat().st_size > 0, result.output
    missing = app.test_cli_runner().invoke(args=["sop-lms", "report", "saved", "Nope", "-o", str(out)])
    assert missing.exit_code == 1 and "No saved report named" in missing.output
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("report.%")).order_by(AuditEvent.id)
    ).all()
    assert actions == ["report.save", "report.export", "report.export", "report.export"]


def test_every_report_page_saves_and_reopens(organisation, client, make_user) -> None:
    login(client, make_user("compliance"))
    sop_id, revision_id = organisation["sop_id"], organisation["revision_id"]
    for name, report, params, page in (
        ("Overdue", "completion", {"status": "overdue"}, "/reports/completion?status=overdue"),
        (
            "Qubit late",
            "not_current",
            {"sop_id": str(sop_id), "standing": "overdue"},
            f"/reports/not-current/{sop_id}?standing=overdue",
        ),
        ("Qubit trained", "trained", {"revision_id": str(revision_id)}, f"/reports/revisions/{revision_id}"),
        ("Submissions", "audit", {"action": "attempt.submit"}, "/audit?action=attempt.submit"),
    ):
        assert "Save this report" in client.get(page).get_data(as_text=True), page
        assert _save(client, name, report, **params).status_code == 302
        saved = db.session.scalars(select(SavedReport).where(SavedReport.name == name)).one()
        assert client.get(f"/reports/saved/{saved.id}").headers["Location"] == page
        assert client.get(f"/reports/saved/{saved.id}.xlsx").status_code == 200


def test_a_duplicate_name_or_unknown_report_is_refused_and_delete_asks_first(
    organisation, client, make_user
) -> None:
    login(client, make_user("compliance"))
    assert _save(client, "Mine", "matrix").status_code == 302
    again = _save(client, "Mine", "completion")
    assert again.status_code == 400 and "already exists" in again.get_data(as_text=True)
    assert _save(client, "Other", "payroll").status_code == 400
    assert _save(client, "   ", "matrix").status_code == 400
    saved = db.session.scalars(select(SavedReport)).one()
    confirm = client.get(f"/reports/saved/{saved.id}/delete").get_data(as_text=True)
    assert "Delete the saved report “Mine”?" in confirm and "Keep it" in confirm
    assert db.session.get(SavedReport, saved.id) is not None  # asking deletes nothing
    assert post(client, f"/reports/saved/{saved.id}/delete", csrf_path="/reports/saved").status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(SavedReport)).all() == []
    assert client.get(f"/reports/saved/{saved.id}").status_code == 404


def test_only_compliance_saves_reports(client, make_user) -> None:
    login(client, make_user("trainer"))
    assert client.get("/reports/saved").status_code == 403
    assert _save(client, "Mine", "matrix").status_code == 403


def test_a_saved_completion_report_keeps_every_filter_and_a_path_report_needs_its_id(
    organisation, client, make_user
) -> None:
    login(client, make_user("compliance"))
    params = {
        "site": "North",
        "completed_from": "2026-01-01",
        "status": "completed",
        "sort": "due",
        "dir": "desc",
    }
    assert _save(client, "Done in the north", "completion", **params).status_code == 302
    saved = db.session.scalars(select(SavedReport)).one()
    assert saved.params == params
    assert _save(client, "No SOP", "not_current").status_code == 400
    assert _save(client, "Bad SOP", "not_current", sop_id="abc").status_code == 400
    assert client.get("/reports/saved").status_code == 200
