"""Verifying the audit chain from the page, for the compliance officer who must show an inspector that the
trail is intact: every event's hash recomputed and every link followed (`audit.verify_chain`), the result
itself recorded on the trail (who checked, when, and what they found)."""

from __future__ import annotations

from lms.services import audit
from lms.services.transactions import transactional


def verify_and_record(actor_id: int | None) -> audit.ChainReport:
    """Read the whole chain first (no lock held: on SQLite a write transaction would stop every writer for
    as long as the scan takes), then record the result in a short write of its own."""
    report = audit.verify_chain()
    _record(report, actor_id)
    return report


@transactional
def _record(report: audit.ChainReport, actor_id: int | None) -> None:
    first = report.first_broken
    audit.record(
        "audit.verify",
        "audit",
        "chain",
        {
            "ok": report.ok,
            "checked": report.checked,
            "broken": report.broken,
            "first_broken": first.event_id if first else None,
            "problem": first.problem if first else None,
            "head_hash": report.head_hash,
        },
        actor_id,
    )
