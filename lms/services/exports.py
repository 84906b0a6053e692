"""Every export is on the audit trail: who took which report, with which filters, when (issue 13)."""

from __future__ import annotations

from typing import Any

from lms.services import audit
from lms.services.transactions import transactional


@transactional
def record_export(report: str, file_format: str, filters: dict[str, Any], actor_id: int | None) -> None:
    audit.record("report.export", "report", report, {"format": file_format, "filters": filters}, actor_id)
