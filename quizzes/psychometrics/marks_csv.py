"""Read a marks file for `sop-lms item-analysis`: a header row of item names, then one row per attempt, each
cell the fraction (0-1) of that item's mark. Read with the csv module rather than pandas so a bad file is
refused with the line and column at fault instead of being silently padded, coerced or re-typed."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd


class MarksFileError(ValueError):
    """The file is not a usable marks matrix; the message is one line naming where and why."""


def read_marks_csv(path: str | Path) -> pd.DataFrame:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise MarksFileError(f"{path}: not UTF-8 text") from error
    return parse_marks_csv(text, name=str(path))


def parse_marks_csv(text: str, name: str = "marks") -> pd.DataFrame:
    """Rows are numbered as in the file with blank lines skipped: the header is row 1."""
    try:
        rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    except csv.Error as error:
        raise MarksFileError(f"{name}: not a readable CSV file ({error})") from error
    if not rows:
        raise MarksFileError(f"{name}: empty file")
    header = [cell.strip() for cell in rows[0]]
    if len(header) < 2:
        raise MarksFileError(f"{name}: need at least 2 items (columns), found {len(header)}")
    if len(set(header)) != len(header) or not all(header):
        raise MarksFileError(f"{name}: the header row needs a distinct, non-empty name for every item")
    body = rows[1:]
    if len(body) < 2:
        raise MarksFileError(f"{name}: need at least 2 attempts (rows after the header), found {len(body)}")
    values = [_parse_row(row, header, number, name) for number, row in enumerate(body, start=2)]
    return pd.DataFrame(values, columns=header, dtype=float)


def _parse_row(row: list[str], header: list[str], line: int, name: str) -> list[float]:
    if len(row) != len(header):
        raise MarksFileError(f"{name}: row {line} has {len(row)} cells, the header has {len(header)}")
    return [_parse_cell(cell, item, line, name) for cell, item in zip(row, header, strict=True)]


def _parse_cell(cell: str, item: str, line: int, name: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise MarksFileError(f"{name}: row {line}, item {item!r}: {cell.strip()!r} is not a number") from None
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise MarksFileError(f"{name}: row {line}, item {item!r}: {cell.strip()} is outside 0-1")
    return value
