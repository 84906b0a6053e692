"""Report files beyond CSV (issue 13): XLSX with typed cells, a frozen header, an auto filter and widths;
PDF with the organisation, the filters, who generated it and when, and page numbers; each the same rows as
the CSV, each audited and sent no-store, none for a learner or trainer."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from lms.analytics import standing
from lms.db import db
from lms.formats import pdf as pdf_format
from lms.models import AuditEvent, User
from tests.conftest import login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv(client, path: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(client.get(path).get_data().decode("utf-8-sig"))))


def _sheet(response):
    assert response.status_code == 200 and response.mimetype == XLSX
    assert response.headers["Cache-Control"] == "no-store"
    return load_workbook(io.BytesIO(response.get_data())).active


def _pdf_text(response) -> tuple[str, int]:
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.get_data()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.fixture
def officer(organisation, client, make_user, app, monkeypatch):
    monkeypatch.setitem(app.config, "LMS_ORGANISATION_NAME", "Harbour & Sons Laboratories")
    person = make_user("compliance")
    login(client, person)
    return {**organisation, "person": person}


def test_the_xlsx_holds_the_csvs_rows_typed_with_a_frozen_filtered_header(
    officer,
    client,
) -> None:
    db.session.get(User, officer["people"]["late"]).name = '=HYPERLINK("http://x")'
    db.session.commit()
    sop_id = officer["sop_id"]
    rows = _csv(client, f"/reports/not-current/{sop_id}.csv")
    sheet = _sheet(client.get(f"/reports/not-current/{sop_id}.xlsx"))
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["SOP", "Revision", "Person"] and values[0][6] == "Assigned (UTC)"
    assert len(values) == len(rows) == 6
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:I6"
    assert sheet.column_dimensions["C"].width >= 24
    late = values[1]
    assert late[2] == '=HYPERLINK("http://x")' and sheet["C2"].data_type == "s"  # text, not a formula
    assert isinstance(late[6], datetime) and isinstance(late[7], datetime)
    for from_csv, typed in zip(rows[1:], values[1:], strict=True):
        assert from_csv[3:5] == typed[3:5]  # email, job roles
        assert typed[5] == standing.LABELS[from_csv[5]]  # the status in words; the CSV has its code
        assert from_csv[7][:19] == typed[7].isoformat(
            timespec="seconds"
        )  # the due time, to the second, in UTC
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).all()
    assert [e.data["format"] for e in events] == ["csv", "xlsx"]


def test_the_completion_xlsx_has_numbers_for_scores_and_the_csvs_rows(officer, client) -> None:
    rows = _csv(client, "/reports/completion.csv")
    sheet = _sheet(client.get("/reports/completion.xlsx"))
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == len(rows)
    score, attempts = values[0].index("Score (%)"), values[0].index("Attempts")
    scored = [row for row in values[1:] if row[score] is not None]
    assert scored and all(isinstance(row[score], (int, float)) for row in scored)
    assert all(isinstance(row[attempts], int) for row in values[1:])
    assert sorted(str(row[1]) for row in values[1:]) == sorted(row[1] for row in rows[1:])


def test_the_pdf_says_whose_what_and_when_with_page_numbers(officer, client) -> None:
    sop_id = officer["sop_id"]
    text, pages = _pdf_text(client.get(f"/reports/not-current/{sop_id}.pdf?standing=not_started"))
    flat = " ".join(text.split())
    assert "Harbour & Sons Laboratories" in flat and "Not current on" in flat
    assert (
        "Status: Not started" in flat and f"by {officer['person'].name} <{officer['person'].email}>" in flat
    )
    assert f"Page 1 of {pages}" in flat
    assert "Named" in flat and "Pending" in flat and "Retrained" not in flat  # the filter's rows only
    matrix_text, _ = _pdf_text(client.get("/reports/matrix.pdf?q=late"))
    assert "Name or e-mail: late" in " ".join(matrix_text.split()) and "late@example.org" in matrix_text
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).all()
    assert [(e.entity_id, e.data["format"]) for e in events] == [("not_current", "pdf"), ("matrix", "pdf")]


def test_a_long_pdf_holds_its_first_rows_and_says_how_to_get_them_all(
    officer,
    client,
    monkeypatch,
) -> None:
    monkeypatch.setattr(pdf_format, "MAX_ROWS", 2)
    text, _ = _pdf_text(client.get(f"/reports/not-current/{officer['sop_id']}.pdf"))
    flat = " ".join(text.split())
    assert "the first 2; more rows match" in flat and "Download the CSV or XLSX for every row" in flat


def test_an_unknown_format_is_not_found(officer, client) -> None:
    assert client.get("/reports/matrix.docx").status_code == 404
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).all()


@pytest.mark.parametrize("app_role", ["learner", "trainer"])
@pytest.mark.parametrize(
    "path",
    ["/reports/matrix.xlsx", "/reports/matrix.pdf", "/reports/completion.xlsx", "/reports/not-current/1.pdf"],
)
def test_only_compliance_takes_the_files(client, make_user, app_role, path) -> None:
    login(client, make_user(app_role))
    assert client.get(path).status_code == 403


def test_a_file_that_cannot_be_written_is_refused_with_a_reason_and_not_audited(
    officer, client, monkeypatch
) -> None:
    from lms.formats import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 2)
    response = client.get(f"/reports/not-current/{officer['sop_id']}.xlsx")
    assert response.status_code == 400 and "do not fit in one sheet" in response.get_data(as_text=True)
    assert not db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).all()
