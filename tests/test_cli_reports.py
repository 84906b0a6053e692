"""`sop-lms report ...` for scheduled jobs (issue 13): each report written in the format asked for (or the
output's extension), the same rows as the page's download, audited; clear errors for what is not there."""

from __future__ import annotations

import csv
import io
import zipfile

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from lms.db import db
from lms.models import AuditEvent, Sop
from tests.conftest import login


def _run(app, *args: str):
    return app.test_cli_runner().invoke(args=["sop-lms", "report", *args])


def test_each_report_is_written_in_the_format_asked_for(
    app, organisation, tmp_path, client, make_user
) -> None:
    code = db.session.get(Sop, organisation["sop_id"]).code
    out = tmp_path / "not-current.csv"
    result = _run(app, "not-current", "--sop", code, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "Wrote Not current on" in result.output
    login(client, make_user("compliance"))
    from_page = (
        client.get(f"/reports/not-current/{organisation['sop_id']}.csv").get_data().decode("utf-8-sig")
    )
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [r["person"] for r in rows] == [r["person"] for r in csv.DictReader(io.StringIO(from_page))]
    assert len(rows) == 5
    matrix = tmp_path / "matrix.xlsx"
    assert _run(app, "matrix", "--role", "Lab", "-o", str(matrix)).exit_code == 0
    sheet = load_workbook(matrix).active
    assert sheet.max_row == 1 + 5 and sheet["A1"].value == "Person"  # five active lab people, one SOP each
    audit_pdf = tmp_path / "audit"
    result = _run(app, "audit", "--action", "attempt.submit", "--format", "pdf", "-o", str(audit_pdf))
    assert result.exit_code == 0, result.output
    text = " ".join(PdfReader(audit_pdf).pages[0].extract_text().split())
    assert "Audit trail" in text and "Action: attempt.submit" in text and "passed their attempt" in text
    trained = tmp_path / "trained.csv"
    assert _run(app, "trained", "--sop", code, "--revision", "1.1.0", "-o", str(trained)).exit_code == 0
    assert [r["person"] for r in csv.DictReader(io.StringIO(trained.read_text(encoding="utf-8-sig")))] == [
        "Fresh"
    ]
    pack = tmp_path / "pack.zip"
    assert _run(app, "evidence", "--person", "late@example.org", "-o", str(pack)).exit_code == 0
    assert "training-records/late@example.org.pdf" in zipfile.ZipFile(pack).namelist()
    exports = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report.export", AuditEvent.actor_id.is_(None))
    ).all()
    assert [(e.entity_id, e.data["format"]) for e in exports] == [
        ("not_current", "csv"),
        ("matrix", "xlsx"),
        ("audit", "pdf"),
        ("sop_training_record", "csv"),
        ("evidence", "zip"),
    ]


def test_what_is_not_there_is_named_and_nothing_is_written(app, organisation, tmp_path) -> None:
    out = tmp_path / "x.csv"
    for args, message in (
        (("not-current", "--sop", "NOPE"), "No SOP with the code 'NOPE'"),
        (("matrix", "--role", "Astronaut"), "No job role named 'Astronaut'"),
        (
            ("trained", "--sop", db.session.get(Sop, organisation["sop_id"]).code, "--revision", "9"),
            "has no revision '9'",
        ),
        (("evidence", "--person", "nobody@example.org"), "No person with the e-mail"),
        (("evidence", "--person", "late@example.org", "--job-role", "Lab"), "Give exactly one of"),
    ):
        result = _run(app, *args, "-o", str(out))
        assert result.exit_code == 1 and message in result.output, result.output
        assert not out.exists()
