"""CSV files meant to be opened in a spreadsheet: UTF-8 with a byte-order mark (so Excel reads accented
names right) and cells that cannot run as formulas (CSV injection)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

BYTE_ORDER_MARK = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-\d+(?:\.\d+)?")


def defuse_formula(value: str) -> str:
    """Stop a value like '=HYPERLINK(...)' from running as a formula when the file is opened. A plain
    number such as "-92.7" (a negative discrimination index) stays a number: it cannot run anything."""
    if value[:1] not in _FORMULA_STARTS or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def write_rows(stream: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write the mark, the header and every row, each cell as formula-safe text."""
    stream.write(BYTE_ORDER_MARK)
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([defuse_formula("" if value is None else str(value)) for value in row])


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    write_rows(buffer, header, rows)
    return buffer.getvalue()
