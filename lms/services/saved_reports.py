"""Saved report definitions: a report and its filters under a name, re-run from the reports pages in one
click or as a file by `sop-lms report saved NAME`. Saving and deleting are audited."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select

from lms.analytics import completion_report, standing
from lms.analytics import matrix as training_matrix
from lms.analytics.filters import parse_filters
from lms.db import db
from lms.formats.table import Table
from lms.models import SavedReport
from lms.services import audit, audit_search, report_files
from lms.services.errors import InvalidInput, NotFound
from lms.services.transactions import flush_unique, transactional

# report -> the parameters it keeps (its page's query string, and the id in its path)
KEYS: dict[str, tuple[str, ...]] = {
    "matrix": ("role", "department", "site", "q"),
    "completion": (
        "sop",
        "role",
        "department",
        "site",
        "from",
        "to",
        "completed_from",
        "completed_to",
        "status",
        "sort",
        "dir",
    ),
    "not_current": ("sop_id", "standing"),
    "trained": ("revision_id",),
    "audit": audit_search.FILTER_FIELDS,
}
PATH_KEYS = {"not_current": ("sop_id",), "trained": ("revision_id",)}  # in the page's path: required
LABELS = {
    "matrix": "Training matrix",
    "completion": "Completion report",
    "not_current": "Not current on an SOP",
    "trained": "Trained on a revision",
    "audit": "Audit trail",
}


def kept(report: str, params: Mapping[str, str]) -> dict[str, str]:
    """The parameters a saved `report` keeps, from a query string: known keys, non-empty, bounded."""
    if report not in KEYS:
        raise InvalidInput(f"“{report[:30]}” is not a report that can be saved.")
    return {key: str(params[key]).strip()[:200] for key in KEYS[report] if str(params.get(key) or "").strip()}


@transactional
def save(name: str, report: str, params: Mapping[str, str], actor_id: int | None) -> SavedReport:
    name = " ".join(name.split())[:120]
    if not name:
        raise InvalidInput("Give the saved report a name.")
    values = kept(report, params)
    for key in PATH_KEYS.get(report, ()):
        if not (values.get(key, "").isdigit() and len(values[key]) < 12):
            raise InvalidInput(f"This report needs its {key.replace('_', ' ')} to be saved.")
    if db.session.scalar(select(SavedReport.id).where(SavedReport.name == name)):
        raise InvalidInput(f"A saved report named “{name}” already exists: choose another name.")
    saved = SavedReport(name=name, report=report, params=values, created_by_id=actor_id)
    db.session.add(saved)
    flush_unique(f"A saved report named “{name}” already exists: choose another name.")
    audit.record(
        "report.save", "saved_report", saved.id, {"name": name, "report": report, "params": values}, actor_id
    )
    return saved


@transactional
def delete(saved_id: int, actor_id: int | None) -> str:
    saved = get(saved_id)
    audit.record(
        "report.delete", "saved_report", saved.id, {"name": saved.name, "report": saved.report}, actor_id
    )
    db.session.delete(saved)
    return saved.name


def get(saved_id: int) -> SavedReport:
    saved = db.session.get(SavedReport, saved_id)
    if saved is None:
        raise NotFound("No such saved report.")
    return saved


def by_name(name: str) -> SavedReport:
    saved = db.session.scalar(select(SavedReport).where(SavedReport.name == " ".join(name.split())))
    if saved is None:
        raise NotFound(f"No saved report named “{name}”.")
    return saved


def all_saved() -> list[SavedReport]:
    return list(db.session.scalars(select(SavedReport).order_by(SavedReport.name)))


def _number(params: Mapping[str, str], key: str) -> int:
    raw = params.get(key, "")
    if not (raw.isdigit() and len(raw) < 12):
        raise InvalidInput(f"This saved report lost its {key.replace('_', ' ')}.")
    return int(raw)


def table_of(saved: SavedReport, now: datetime) -> Table:
    """The saved report's rows, read with the same filters its page reads."""
    params = saved.params
    if saved.report == "matrix":
        return report_files.matrix_table(training_matrix.parse_matrix_filters(params)[0], now)
    if saved.report == "completion":
        status = params.get("status") or None
        if status not in dict(completion_report.status_choices()):
            status = None
        sort = params.get("sort") if params.get("sort") in completion_report.SORTS else None
        return report_files.completion_table(
            parse_filters(params)[0], status, now, sort, params.get("dir") == "desc"
        )
    if saved.report == "not_current":
        chosen = params.get("standing") or None
        return report_files.not_current_table(
            _number(params, "sop_id"), chosen if chosen in standing.NOT_CURRENT else None, now
        )
    if saved.report == "trained":
        return report_files.revision_table(_number(params, "revision_id"))
    return report_files.audit_table(audit_search.AuditFilter.from_args(params))
