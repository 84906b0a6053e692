"""Transaction helpers: row locks and unique-constraint races, so concurrent clicks on PostgreSQL behave
like serial ones, and discarding what a failed request left in the session.

SQLite needs none of this (every write transaction begins immediately and holds the database lock); on
PostgreSQL a `SELECT ... FOR UPDATE` on the parent row makes the second request wait and then see what
the first one wrote, instead of failing on a unique constraint.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.db import db
from lms.services.errors import InvalidInput

T = TypeVar("T")


def locked(model: type[T], row_id: int) -> T | None:
    """The row, re-read and locked for the rest of the transaction (a no-op lock on SQLite)."""
    query = select(model).where(model.id == row_id).with_for_update()  # type: ignore[attr-defined]
    return db.session.scalar(query.execution_options(populate_existing=True))


def discard_uncommitted() -> None:
    """Roll back whatever a failed request wrote, so the error page can still read from the database."""
    db.session.rollback()


def flush_unique(message: str) -> None:
    """Flush; if a concurrent request created the same unique row first, roll back and say so."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise InvalidInput(message) from error
