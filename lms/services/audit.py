"""Append audit events to a hash chain, in the caller's transaction.

Each event's hash covers its content and the previous event's hash, so editing or deleting any row breaks
every later link. On PostgreSQL an advisory lock serialises appenders so concurrent writers cannot fork
the chain; SQLite write transactions already begin immediately and hold the database lock.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select, text

from lms.db import db, utcnow
from lms.models import AuditEvent

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_KEY = 0x50504C4D53  # arbitrary, fixed: "sop-lms audit chain"


def record(
    action: str,
    entity_type: str,
    entity_id: object,
    data: dict[str, Any] | None = None,
    actor_id: int | None = None,
    reason: str = "",
) -> AuditEvent:
    """Add one event to the session; it is written when the caller commits, or not at all."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    prev = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS_HASH
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        data=json.loads(json.dumps(data or {}, default=str)),
        reason=reason,
        prev_hash=prev,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    return event


def event_hash(event: AuditEvent) -> str:
    payload = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_id": event.actor_id,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "data": event.data,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
