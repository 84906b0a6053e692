"""A table as a PDF a person files or hands to an inspector: a header with the organisation, the report,
the filters used, when and by whom it was generated, and page numbers on every page.

Rendered from HTML (`lms/reports/report.pdf.html`) with WeasyPrint, in the DejaVu Sans the app bundles,
and never from the network: the only URLs it may fetch are the app's own files. A PDF is read, not
processed, and laying out a table costs WeasyPrint about a third of a millisecond a cell (20 ms a row of
the completion report, measured), so it holds the first `MAX_ROWS` rows and says that more match (the CSV
and XLSX hold them all).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import islice
from pathlib import Path

from flask import render_template
from weasyprint import HTML, URLFetcher

from lms.formats.table import Table

MAX_ROWS = 500
STATIC = Path(__file__).resolve().parent.parent / "static"


class _AppFilesOnly(URLFetcher):
    """Fetches the app's own static files and refuses everything else (no network, no other file)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file",))

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC.as_uri() + "/"):
            raise ValueError(f"a report PDF loads nothing from outside the app: {url[:80]}")
        return super().fetch(url, headers)


def pdf_bytes(table: Table, organisation: str, generated_by: str, generated_at: datetime) -> bytes:
    rows = list(islice(table.rows, MAX_ROWS + 1))
    left_out = len(rows) > MAX_ROWS
    html = render_template(
        "lms/reports/report.pdf.html",
        table=table,
        rows=rows[:MAX_ROWS],
        left_out=left_out,
        max_rows=MAX_ROWS,
        organisation=organisation,
        generated_by=generated_by,
        generated_at=generated_at,
        fonts=(STATIC / "lms" / "fonts").as_uri(),
    )
    return HTML(string=html, base_url=STATIC.as_uri(), url_fetcher=_AppFilesOnly()).write_pdf()


def pdf_file(table: Table, organisation: str, generated_by: str, generated_at: datetime) -> Iterator[bytes]:
    """The PDF, laid out when the response starts (a generator, like the other formats)."""
    yield pdf_bytes(table, organisation, generated_by, generated_at)
