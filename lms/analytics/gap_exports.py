"""The gap report as files: the step-by-role table and the per-SOP totals, as CSV rows formatted once for
the page's data table and the download."""

from __future__ import annotations

from lms.analytics.gaps import GapReport, SopMisses
from lms.csv_export import csv_text

CSV_COLUMNS = (
    "sop_code",
    "revision",
    "section",
    "step",
    "step_text",
    "job_role",
    "department",
    "responses",
    "misses",
    "miss_rate_percent",
)


def gap_csv(report: GapReport) -> str:
    """The heatmap's numbers, one row per (step, role), formula-safe, with a UTF-8 byte-order mark."""
    return csv_text(CSV_COLUMNS, ([row[column] for column in CSV_COLUMNS] for row in table_rows(report)))


SOP_CSV_COLUMNS = (
    "sop_code",
    "title",
    "revision",
    "steps_answered",
    "steps_misunderstood",
    "responses",
    "misses",
    "miss_rate_percent",
)


def sop_table(sops: list[SopMisses]) -> list[dict[str, str]]:
    """The rows of the per-SOP table and its CSV, highest miss rate first."""
    return [
        {
            "sop_id": str(r.sop_id),
            "sop_code": r.sop_code,
            "title": r.title,
            "revision": r.revision,
            "steps_answered": str(r.steps),
            "steps_misunderstood": str(r.steps_misunderstood),
            "responses": str(r.responses),
            "misses": str(r.misses),
            "miss_rate_percent": f"{r.miss_rate_percent:.1f}",
        }
        for r in sops
    ]


def sop_csv(sops: list[SopMisses]) -> str:
    return csv_text(SOP_CSV_COLUMNS, ([row[c] for c in SOP_CSV_COLUMNS] for row in sop_table(sops)))


def table_rows(report: GapReport) -> list[dict]:
    """The rows of the data table and the CSV, formatted once so both show the same text."""
    return [
        {
            "step_id": int(cell.step_id),
            "job_role_id": int(cell.job_role_id),
            "label": cell.label,
            "sop_code": cell.sop_code,
            "revision": cell.revision,
            "section": cell.section,
            "step": cell.step,
            "step_text": cell.step_text,
            "job_role": cell.job_role,
            "department": cell.department or "",
            "responses": str(int(cell.responses)),
            "misses": str(int(cell.misses)),
            "miss_rate_percent": f"{cell.miss_rate_percent:.1f}",
        }
        for cell in report.cells.itertuples(index=False)
    ]
