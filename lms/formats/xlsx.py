"""A table as an XLSX workbook, typed (times as Excel dates, numbers as numbers), with a frozen header, an
auto filter and column widths. Text is written as text, never as a formula (`strings_to_formulas` off), so
a name like "=HYPERLINK(...)" shows as typed and runs nothing, without the CSV's leading quote.

XlsxWriter in constant-memory mode writes each row to disk as it comes and keeps none of them, so memory
stays flat at a million rows. An XLSX is a ZIP whose parts are only complete once the last row is in, so
the file is sent after it is written (from a temporary file, in chunks), not while it is.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import suppress
from datetime import UTC, datetime

import xlsxwriter

from lms.formats.table import Table

MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header
CHUNK_BYTES = 256 * 1024


def _naive_utc(value: datetime) -> datetime:
    """Excel has no time zones: the time in UTC (the header says so)."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def write_workbook(table: Table, path: str) -> int:
    """Write the table to `path`; the number of rows written."""
    workbook = xlsxwriter.Workbook(
        path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(table.report[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E4E8EE", "bottom": 1})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    percent = workbook.add_format({"num_format": "0.0"})
    for index, column in enumerate(table.columns):
        label = f"{column.label} (UTC)" if column.kind == "datetime" else column.label
        sheet.set_column(index, index, max(column.width, len(label) + 2))
        sheet.write_string(0, index, label, bold)
    sheet.freeze_panes(1, 0)
    try:
        count = _write_rows(sheet, table, when, percent)
    except Exception:
        with suppress(Exception):  # closes its temporary files; the half-written workbook is thrown away
            workbook.close()
        raise
    sheet.autofilter(0, 0, max(count, 1), len(table.columns) - 1)
    workbook.set_properties({"title": table.title, "comments": f"Filters: {table.filters_text()}"})
    workbook.close()
    return count


def _write_rows(sheet, table: Table, when, percent) -> int:
    count = 0
    for count, row in enumerate(table.rows, 1):
        if count > MAX_ROWS:
            raise ValueError(f"more than {MAX_ROWS:,} rows do not fit in one sheet: download the CSV")
        for index, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            if value is None or value == "":
                continue
            if column.kind == "datetime":
                sheet.write_datetime(count, index, _naive_utc(value), when)
            elif column.kind in ("number", "percent"):
                sheet.write_number(count, index, value, percent if column.kind == "percent" else None)
            else:
                sheet.write_string(count, index, str(column.shown(value)))  # text, never a formula
    return count


def xlsx_file(table: Table) -> Iterator[bytes]:
    """The workbook, written to a temporary file when the first chunk is asked for, then read out."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        write_workbook(table, handle.name)
        with open(handle.name, "rb") as written:
            while chunk := written.read(CHUNK_BYTES):
                yield chunk
