"""Searching and exporting the audit trail, for compliance officers: filters, pages, readable changes, CSV."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import IO, Any

from sqlalchemy import Select, String, cast, func, or_, select

from lms.csv_export import csv_chunks, write_rows
from lms.db import db
from lms.models import AuditEvent, User
from lms.paging import Page, clamp_page
from lms.services import audit_words
from lms.services.audit import HASHED_FIELDS
from lms.services.errors import InvalidInput, NotFound

PER_PAGE = 50
EXPORT_BATCH = 2000
SHOWN_VALUE_CHARS = 300
FILTER_FIELDS = ("q", "actor", "entity_type", "entity_id", "action", "date_from", "date_to")
CSV_COLUMNS = (
    "event_id",
    "occurred_at_utc",
    "actor_id",
    "actor",
    "actor_email",
    "action",
    "entity_type",
    "entity_id",
    "summary",
    "changes",
    "reason",
    "data",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class AuditFilter:
    """What the officer is looking for; empty fields do not filter."""

    q: str = ""  # text in action, entity type/id, data or reason
    actor: str = ""  # name or email of who did it
    entity_type: str = ""
    entity_id: str = ""
    action: str = ""
    date_from: date | None = None  # inclusive, UTC day
    date_to: date | None = None  # inclusive, UTC day

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> AuditFilter:
        """From query-string arguments; a malformed date is refused (a date input always sends YYYY-MM-DD)."""
        text = {name: (args.get(name) or "").strip()[:200] for name in FILTER_FIELDS}
        found = cls(
            q=text["q"],
            actor=text["actor"],
            entity_type=text["entity_type"],
            entity_id=text["entity_id"],
            action=text["action"],
            date_from=_day(text["date_from"], "From"),
            date_to=_day(text["date_to"], "To"),
        )
        if found.date_from and found.date_to and found.date_from > found.date_to:
            raise InvalidInput("The 'From' date is after the 'To' date.")
        return found

    def as_args(self) -> dict[str, str]:
        """The non-empty filters as query-string arguments (for the pager and the CSV link)."""
        values = {name: getattr(self, name) for name in FILTER_FIELDS}
        return {name: v.isoformat() if isinstance(v, date) else v for name, v in values.items() if v}


def _day(raw: str, label: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"'{label}' must be a date written YYYY-MM-DD.") from None


@dataclass(frozen=True)
class Change:
    """One readable line of what an event changed: a field, its old value (if any) and its new value."""

    field: str
    old: str | None
    new: str


@dataclass(frozen=True)
class AuditRow:
    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_name: str
    actor_email: str
    action: str
    entity_type: str
    entity_id: str
    reason: str
    data: Any
    prev_hash: str
    hash: str
    changes: list[Change] = field(default_factory=list)
    summary: str = ""  # the event in words (`audit_words.describe`)

    @property
    def raw_json(self) -> str:
        return json.dumps(self.data, indent=2, sort_keys=True, ensure_ascii=False, default=str)


AuditPage = Page[AuditRow]


def _filtered(query: Select, wanted: AuditFilter) -> Select:
    if wanted.q:
        # JSON is stored with non-ASCII and quotes escaped: look for the term as JSON spells it too
        as_json = json.dumps(wanted.q)[1:-1]
        data_text = cast(AuditEvent.data, String)
        query = query.where(
            or_(
                AuditEvent.action.icontains(wanted.q, autoescape=True),
                AuditEvent.entity_type.icontains(wanted.q, autoescape=True),
                AuditEvent.entity_id.icontains(wanted.q, autoescape=True),
                AuditEvent.reason.icontains(wanted.q, autoescape=True),
                data_text.icontains(wanted.q, autoescape=True),
                data_text.icontains(as_json, autoescape=True),
            )
        )
    if wanted.actor:
        query = query.where(
            or_(
                User.name.icontains(wanted.actor, autoescape=True),
                User.email.icontains(wanted.actor, autoescape=True),
            )
        )
    if wanted.entity_type:
        query = query.where(AuditEvent.entity_type == wanted.entity_type)
    if wanted.entity_id:
        query = query.where(AuditEvent.entity_id == wanted.entity_id)
    if wanted.action:
        query = query.where(AuditEvent.action == wanted.action)
    if wanted.date_from:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(wanted.date_from, time(), UTC))
    if wanted.date_to:
        end = datetime.combine(wanted.date_to + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.occurred_at < end)
    return query


_EVENT_COLUMNS = (*HASHED_FIELDS, "hash")  # every stored column


def _events(wanted: AuditFilter) -> Select:
    """Columns, not ORM objects: nothing read here lands in the session's identity map."""
    columns = [getattr(AuditEvent, name) for name in _EVENT_COLUMNS]
    query = select(*columns, User.name.label("actor_name"), User.email.label("actor_email"))
    return _filtered(query.outerjoin(User, User.id == AuditEvent.actor_id), wanted)


def search(wanted: AuditFilter, page: int = 1, per_page: int = PER_PAGE) -> AuditPage:
    """One page of the events matching `wanted`, newest first, with who did it and what changed."""
    count_query = _filtered(
        select(func.count(AuditEvent.id))
        .select_from(AuditEvent)
        .outerjoin(User, User.id == AuditEvent.actor_id),
        wanted,
    )
    total = db.session.scalar(count_query) or 0
    page = clamp_page(page, total, per_page)
    query = _events(wanted).order_by(AuditEvent.id.desc()).limit(per_page).offset((page - 1) * per_page)
    items = _described([_row(found, SHOWN_VALUE_CHARS) for found in db.session.execute(query)])
    return AuditPage(items, page, per_page, total)


def _described(rows: list[AuditRow]) -> list[AuditRow]:
    names = audit_words.entity_names(rows)
    return [replace(row, summary=audit_words.describe(row, row.actor_name, names)) for row in rows]


def event(event_id: int) -> AuditRow:
    """One event, in words and in full."""
    found = db.session.execute(_events(AuditFilter()).where(AuditEvent.id == event_id)).first()
    if found is None:
        raise NotFound("No such audit event.")
    return _described([_row(found, None)])[0]


def filter_choices() -> dict[str, list[str]]:
    """The actions and entity types that occur in the trail, for the filter menus."""
    return {
        "actions": list(db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))),
        "entity_types": list(
            db.session.scalars(select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type))
        ),
    }


def export_csv(wanted: AuditFilter) -> IO[bytes]:
    """Exactly the events matching `wanted`, oldest first, as a UTF-8 CSV (with BOM) in a rewound file.

    Rows are streamed from the database and written to a temporary file (spilling to disk when large), so
    the database transaction ends before the download starts, however slow the client.
    """
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+b")  # noqa: SIM115 (returned)
    text_out = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    write_rows(text_out, CSV_COLUMNS, (_csv_values(row) for row in export_rows(wanted)))
    text_out.flush()
    text_out.detach()  # keep `out` open for the response
    out.seek(0)
    return out


def export_rows(wanted: AuditFilter, where: Any = None) -> Iterator[AuditRow]:
    query = _events(wanted).order_by(AuditEvent.id).execution_options(yield_per=EXPORT_BATCH)
    if where is not None:
        query = query.where(where)
    rows = (_row(found, None) for found in db.session.execute(query))
    while batch := list(islice(rows, EXPORT_BATCH)):  # the entities named a batch at a time
        yield from _described(batch)


def csv_chunks_where(where: Any) -> Iterator[str]:
    """The events a condition on `AuditEvent` selects, oldest first, as CSV pieces (the evidence packs)."""
    return csv_chunks(CSV_COLUMNS, (_csv_values(row) for row in export_rows(AuditFilter(), where)))


def _csv_values(row: AuditRow) -> list[str]:
    changes = "; ".join(
        f"{c.field}: {c.old} -> {c.new}" if c.old is not None else f"{c.field}: {c.new}" for c in row.changes
    )
    return [
        str(row.id),
        row.occurred_at.astimezone(UTC).isoformat(),
        "" if row.actor_id is None else str(row.actor_id),
        row.actor_name,
        row.actor_email,
        row.action,
        row.entity_type,
        row.entity_id,
        row.summary,
        changes,
        row.reason,
        json.dumps(row.data, sort_keys=True, ensure_ascii=False),
        row.prev_hash,
        row.hash,
    ]


def _row(event: Any, limit: int | None) -> AuditRow:
    """An AuditRow from a row of `_events()`."""
    return AuditRow(
        id=event.id,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_name=event.actor_name or ("system" if event.actor_id is None else f"user {event.actor_id}"),
        actor_email=event.actor_email or "",
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        reason=event.reason,
        data=event.data,
        prev_hash=event.prev_hash,
        hash=event.hash,
        changes=readable_changes(event.data, limit),
    )


def readable_changes(data: Any, limit: int | None = None) -> list[Change]:
    """What an event's data says changed, one line per field.

    Services write `{"old": ..., "new": ...}` for a change (whole values or dicts of fields) and plain fields
    for what was created; a dict-to-dict change is shown field by field, only where the value differs.
    """
    if not isinstance(data, dict):
        return [Change("value", None, _shown(data, limit))]
    lines: list[Change] = []
    if "old" in data and "new" in data:
        old, new = data["old"], data["new"]
        if isinstance(old, dict) and isinstance(new, dict):
            for key in sorted(set(old) | set(new), key=str):
                if old.get(key) != new.get(key):
                    before = _shown(old[key], limit) if key in old else "(none)"
                    after = _shown(new[key], limit) if key in new else "(removed)"
                    lines.append(Change(str(key), before, after))
        else:
            lines.append(Change("value", _shown(old, limit), _shown(new, limit)))
    for key in sorted(data, key=str):
        if not (key in ("old", "new") and "old" in data and "new" in data):
            lines.append(Change(str(key), None, _shown(data[key], limit)))
    return lines


def _shown(value: Any, limit: int | None) -> str:
    if isinstance(value, str):
        shown = value
    elif value is None:
        shown = "(none)"
    else:
        shown = json.dumps(value, sort_keys=True, ensure_ascii=False)
    if limit is not None and len(shown) > limit:
        return shown[: limit - 1] + "…"
    return shown
