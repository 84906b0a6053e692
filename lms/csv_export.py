"""CSV files meant to be opened in a spreadsheet: UTF-8 with a byte-order mark (so Excel reads accented
names right) and cells that cannot run as formulas (CSV injection)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TextIO

BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The report's SQL uses the same pattern (with a "$"), so it names ASCII digits: what \\d matches differs
# between Python (every Unicode digit) and PostgreSQL (its locale).
PLAIN_NUMBER = re.compile(r"^-[0-9]+(?:\.[0-9]+)?")


def defuse_formula(value: str) -> str:
    """Stop a value like '=HYPERLINK(...)' from running as a formula when the file is opened. A plain
    number such as "-92.7" (a negative discrimination index) stays a number: it cannot run anything."""
    if value[:1] not in FORMULA_STARTS or PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Any]], per_chunk: int = 1000) -> Iterator[str]:
    """The mark and the header (at once, before the first row is asked for: a download starts even while
    the database still sorts), then every row, each cell as formula-safe text, in pieces of `per_chunk`
    rows: a streamed response sends each as it comes, so memory stays flat however long the file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write(BYTE_ORDER_MARK)
    writer.writerow(header)
    yield _taken(buffer)
    for count, row in enumerate(rows, 1):
        writer.writerow([defuse_formula("" if value is None else str(value)) for value in row])
        if count % per_chunk == 0:
            yield _taken(buffer)
    if buffer.tell():
        yield _taken(buffer)


def _taken(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_rows(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    for chunk in csv_chunks(header, rows):
        stream.write(chunk)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    return "".join(csv_chunks(header, rows))
