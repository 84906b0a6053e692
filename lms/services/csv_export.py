"""CSV files meant to be opened in a spreadsheet: UTF-8 with a byte-order mark (so Excel reads accented
names right) and cells that cannot run as formulas (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

BYTE_ORDER_MARK = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse_formula(value: str) -> str:
    """Stop a value like '=HYPERLINK(...)' from running as a formula when the file is opened."""
    return "'" + value if value[:1] in _FORMULA_STARTS else value


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
