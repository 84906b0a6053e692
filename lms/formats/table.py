"""What every report hands to a file writer: typed columns and the rows, still streaming."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from lms.csv_export import csv_chunks

Kind = Literal["text", "datetime", "number", "percent"]
FORMATS = ("csv", "xlsx", "pdf")


@dataclass(frozen=True)
class Column:
    name: str  # the CSV header: stable, machine-readable
    label: str  # what a person reads in the XLSX and PDF
    kind: Kind = "text"
    width: int = 16  # characters, for the XLSX and the PDF
    labels: Mapping[str, str] | None = None  # a code's words for a person (XLSX, PDF); the CSV keeps codes

    def shown(self, value: Any) -> Any:
        return self.labels.get(value, value) if self.labels and isinstance(value, str) else value


@dataclass
class Table:
    report: str  # not_current, matrix, completion, audit
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    filters: dict[str, str] = field(default_factory=dict)  # label -> value, as the reader chose them
    subject: str = ""  # what the report is about, for the file name (an SOP's code)

    def filters_text(self) -> str:
        return "; ".join(f"{label}: {value}" for label, value in self.filters.items()) or "none"


def iso(value: datetime | None) -> str:
    """ISO 8601 with its offset, to the second: what files carry (pages show the viewer's zone)."""
    return value.isoformat(timespec="seconds") if value is not None else ""


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return value


def csv_file(table: Table) -> Iterator[str]:
    """The table as CSV (UTF-8 with BOM, formula-safe cells), in pieces for a streamed response."""
    rows = ([_cell(value) for value in row] for row in table.rows)
    return csv_chunks([column.name for column in table.columns], rows)


def safe_name(text: str) -> str:
    """Text fit for a file name: letters, digits, dot, dash, underscore and @."""
    return re.sub(r"[^A-Za-z0-9@._-]+", "-", text)[:80].strip("-.") or "file"
