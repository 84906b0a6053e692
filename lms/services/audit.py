"""Append audit events to a hash chain, in the caller's transaction, and verify the chain.

Each event's hash covers every stored field (its id and content) and the previous event's hash, so editing,
deleting, inserting or reordering any row breaks a link that `verify_chain()` names. On PostgreSQL an
advisory lock serialises appenders so concurrent writers cannot fork the chain; on SQLite a use case's
transaction begins immediately and holds the database lock (an event recorded outside one is refused).

On PostgreSQL a use case takes the chain's lock before its first write or row lock, not when it records
its event: nearly every use case audits, so otherwise one that locks a row and then audits (a submission)
and one that audits and then writes that row (leaving a job role) would each hold what the other waits
for, and PostgreSQL would abort one of them as a deadlock. With the chain's lock always first, writers
queue on it and never hold a row lock while waiting for it.
Ids are assigned here (last id + 1, under that lock), so the chain has no gaps and the id is part of what
is hashed.

The trail is append-only in code: the ORM refuses to update or delete an `AuditEvent` (a mapper guard for
flushes, a session guard for ORM bulk `update()`/`delete()`). Raw SQL can still change rows; that is what
the chain detects. (A database trigger or revoked UPDATE/DELETE privileges would stop raw SQL too; not done.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session

from lms.db import LmsSession, db, is_writing, utcnow
from lms.models import AuditEvent

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_KEY = 0x50504C4D53  # arbitrary, fixed: "sop-lms audit chain"
_HEAD = "sop_lms.audit_head"  # in Session.info: (the transaction, the last event it recorded)
_LOCKED = "sop_lms.audit_chain_locked"  # in Session.info: the transaction holding the chain's lock

# Every stored column but `hash` itself; a test checks this against the table so a new column is not missed.
HASHED_FIELDS = (
    "id",
    "occurred_at",
    "actor_id",
    "action",
    "entity_type",
    "entity_id",
    "data",
    "reason",
    "prev_hash",
)
VERIFY_BATCH = 5000


class AuditTrailIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


def record(
    action: str,
    entity_type: str,
    entity_id: object,
    data: dict[str, Any] | None = None,
    actor_id: int | None = None,
    reason: str = "",
) -> AuditEvent:
    """Add one event to the session; it is written when the caller commits, or not at all."""
    previous = _head()
    event = AuditEvent(
        id=previous[0] + 1 if previous else 1,
        occurred_at=utcnow(),
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        # stored as the JSON it will read back as (tuples become lists, dates strings, keys strings)
        data=json.loads(json.dumps(data or {}, default=str, allow_nan=False)),
        reason=reason or "",
        prev_hash=previous[1] if previous else GENESIS_HASH,
    )
    event.hash = event_hash(event)
    db.session.add(event)
    db.session.info[_HEAD] = (db.session().get_transaction(), event)
    return event


def _head() -> tuple[int, str] | None:
    """The last event's id and hash, under the chain's lock. An event recorded earlier in this transaction
    is the head (its hash read now, in case its caller re-hashed it), so a use case that records several
    events locks and reads the chain once; otherwise take the lock and read the newest row."""
    session = db.session()
    transaction, event = session.info.get(_HEAD, (None, None))
    if transaction is not None and transaction is session.get_transaction():
        return event.id, event.hash
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        lock_chain(session)
    elif dialect == "sqlite" and not is_writing():
        raise RuntimeError("an audit event outside a use case's transaction could fork the chain on SQLite")
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (last.id, last.hash) if last else None


def lock_chain(session: Session) -> None:
    """Hold the chain's lock (PostgreSQL) until this transaction ends; taken once per transaction."""
    if session.get_transaction() is not None and session.info.get(_LOCKED) is session.get_transaction():
        return
    with session.no_autoflush:  # called from before_flush too
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    session.info[_LOCKED] = session.get_transaction()


def _takes_row_locks(state: ORMExecuteState) -> bool:
    if state.is_insert or state.is_update or state.is_delete:
        return True
    return state.is_select and getattr(state.statement, "_for_update_arg", None) is not None


def _chain_lock_first(session: Session) -> bool:
    return is_writing() and session.get_bind().dialect.name == "postgresql"


@sa_event.listens_for(LmsSession, "do_orm_execute")
def _lock_chain_before_writes(state: ORMExecuteState) -> None:
    if _takes_row_locks(state) and _chain_lock_first(state.session):
        lock_chain(state.session)


@sa_event.listens_for(LmsSession, "before_flush")
def _lock_chain_before_flush(session: Session, _context, _instances) -> None:
    if _chain_lock_first(session):
        lock_chain(session)


class _EventFields(Protocol):
    id: int
    occurred_at: datetime
    actor_id: int | None
    action: str
    entity_type: str
    entity_id: str
    data: Any
    reason: str
    prev_hash: str


def canonical_form(event: _EventFields) -> bytes:
    """The bytes that are hashed: the same for a value just built and for the row read back from SQLite or
    PostgreSQL (sorted JSON keys, ASCII escapes, timestamps in UTC with exactly six fractional digits: both
    backends keep microseconds, and a whole second would otherwise print without them)."""
    payload = {name: getattr(event, name) for name in HASHED_FIELDS}
    payload["occurred_at"] = _timestamp(event.occurred_at)
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return canonical.encode("ascii")


def event_hash(event: _EventFields) -> str:
    return hashlib.sha256(canonical_form(event)).hexdigest()


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:  # UTCDateTime never returns one; a naive value is taken as UTC, not local time
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat(timespec="microseconds")  # always six digits, "+00:00"


# --- verification -------------------------------------------------------------------------------------

HASH_MISMATCH = "hash_mismatch"
PREV_HASH_MISMATCH = "prev_hash_mismatch"


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    problem: str  # HASH_MISMATCH or PREV_HASH_MISMATCH
    detail: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken: BrokenLink | None
    broken: int  # events with at least one problem
    last_id: int | None
    head_hash: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken is None

    def summary(self) -> str:
        if self.checked == 0:
            return "Audit chain OK: no events yet."
        head = f"last event {self.last_id}, head hash {self.head_hash}"
        if self.ok:
            return f"Audit chain OK: {self.checked} events verified; {head}."
        first = self.first_broken
        assert first is not None
        return (
            f"Audit chain BROKEN: {self.broken} of {self.checked} events fail verification.\n"
            f"First broken link: event {first.event_id}: {first.detail}\n"
            f"({head})"
        )


def verify_chain(batch_size: int = VERIFY_BATCH) -> ChainReport:
    """Recompute every event's hash and link, oldest first, streaming the rows (constant memory)."""
    columns = [getattr(AuditEvent, name) for name in (*HASHED_FIELDS, "hash")]
    rows = db.session.execute(
        select(*columns).order_by(AuditEvent.id).execution_options(yield_per=batch_size)
    )
    return check_events(rows)


def check_events(rows: Iterable[Any]) -> ChainReport:
    """The chain report for events given oldest first (anything with the AuditEvent field names)."""
    expected_prev, previous_id = GENESIS_HASH, None
    checked = broken = 0
    first: BrokenLink | None = None
    last_id = head = None
    for row in rows:
        checked += 1
        problem = None
        if row.prev_hash != expected_prev:
            after = f"event {previous_id}" if previous_id is not None else "the start of the chain"
            problem = BrokenLink(
                row.id,
                PREV_HASH_MISMATCH,
                f"prev_hash does not match the hash of {after}: an event was deleted, inserted or "
                "reordered here (or the previous event was rewritten with a new hash).",
            )
        elif event_hash(row) != row.hash:
            problem = BrokenLink(
                row.id,
                HASH_MISMATCH,
                "stored hash does not match the event's content: the event was edited after it was written.",
            )
        if problem:
            broken += 1
            first = first or problem
        # Follow the stored hash, so one tampered row is reported once and not every row after it.
        expected_prev, previous_id = row.hash, row.id
        last_id, head = row.id, row.hash
    return ChainReport(checked, first, broken, last_id, head)


# --- append-only in code -------------------------------------------------------------------------------


@sa_event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper, _connection, target: AuditEvent) -> None:
    state = inspect(target)
    changed = [attr.key for attr in state.attrs if attr.history.has_changes()]
    if changed:
        raise AuditTrailIsAppendOnly(
            f"audit events are append-only; refused to change {', '.join(changed)} of event {target.id}"
        )


@sa_event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(_mapper, _connection, target: AuditEvent) -> None:
    raise AuditTrailIsAppendOnly(f"audit events are append-only; refused to delete event {target.id}")


@sa_event.listens_for(LmsSession, "do_orm_execute")  # sop-lms sessions only, never a host's
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    """`session.execute(update(AuditEvent))` / `delete(AuditEvent)` bypass the mapper events above."""
    if (state.is_update or state.is_delete) and any(m.class_ is AuditEvent for m in state.all_mappers):
        raise AuditTrailIsAppendOnly("audit events are append-only; refused a bulk update or delete")
