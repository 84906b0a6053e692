"""The transaction boundary of every use case, and the helpers that run inside it.

`@transactional` (or `with transaction():`) commits when the use case returns and rolls back when it
raises; a use case called from another joins the caller's transaction, so only the outermost commits and
one failure anywhere leaves nothing. This module is the only place in `lms/` that commits or rolls back
(the architecture test holds it to that). A failure path that must still record something (a wrong
signature password counted towards the lock) says so by calling `commit_failure_record`.

Row locks and unique-constraint races make concurrent clicks on PostgreSQL behave like serial ones.

On SQLite the outermost boundary first ends the request's read snapshot (objects read before it are
reloaded on use) and then begins a write transaction that takes the database lock up front and holds it
until the boundary commits; the reads before and after it never lock. Row locks are then moot. On
PostgreSQL a `SELECT ... FOR UPDATE` on the parent row makes the second request wait and then see what
the first one wrote, instead of failing on a unique constraint.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.db import db, writing
from lms.services.errors import InvalidInput

T = TypeVar("T")
P = ParamSpec("P")
_DEPTH = "sop_lms.transaction_depth"  # in Session.info: how many boundaries the current call is inside


@contextmanager
def transaction() -> Iterator[None]:
    """Commit on leaving, roll back on an error; inside another boundary, join it (the outermost decides)."""
    info = db.session.info
    depth = info.get(_DEPTH, 0)
    if depth == 0 and db.session().in_transaction() and _on_sqlite():
        _end_read_snapshot()
    info[_DEPTH] = depth + 1
    try:
        with writing():
            yield
            if depth == 0:
                db.session.commit()  # a failure here (a constraint, a serialization error) rolls back
    except BaseException:
        if depth == 0:
            db.session.rollback()
        raise
    finally:
        info[_DEPTH] = depth


def _end_read_snapshot() -> None:
    """Commit the request's read transaction, which must hold no change: only use cases write, so a change
    pending here was made outside one and would be committed without its use case's checks."""
    session = db.session()
    if session.new or session.deleted or any(session.is_modified(obj) for obj in session.dirty):
        raise RuntimeError("changes made outside a use case are pending; a use case must make them")
    session.commit()


def _on_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def transactional(function: Callable[P, T]) -> Callable[P, T]:
    """The use case runs in `transaction()`: its writes are committed together when it returns."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with transaction():
            return function(*args, **kwargs)

    return run


def commit_failure_record() -> None:
    """Commit what a failing use case must keep (the failed attempt counted, its audit event) before it
    raises: the error then rolls back nothing else, as this was all it wrote. Only the outermost use case
    may: inside another, the commit would keep the caller's unfinished work too."""
    if db.session.info.get(_DEPTH, 0) > 1:
        raise RuntimeError("commit_failure_record inside a nested use case would commit its caller's work")
    db.session.commit()


def locked(model: type[T], row_id: int) -> T | None:
    """The row, re-read and locked for the rest of the transaction (a no-op lock on SQLite)."""
    query = select(model).where(model.id == row_id).with_for_update()  # type: ignore[attr-defined]
    return db.session.scalar(query.execution_options(populate_existing=True))


def discard_uncommitted() -> None:
    """Roll back whatever a failed request wrote, so the error page can still read from the database."""
    db.session.rollback()


def flush_unique(message: str) -> None:
    """Flush; if a concurrent request created the same unique row first, say so (the boundary rolls back)."""
    try:
        db.session.flush()
    except IntegrityError as error:
        raise InvalidInput(message) from error
