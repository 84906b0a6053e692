"""The database handle: sop-lms tables live on their own metadata with an `lms_` prefix.

A host application can keep its own tables, its own Flask-SQLAlchemy instance and its own Alembic history
beside ours: `db` registers under its own key (`app.extensions["sop_lms_db"]`, never "sqlalchemy"), opens
its own engine on `LMS_DATABASE_URI` (by default the host's `SQLALCHEMY_DATABASE_URI`: the same database),
and its sessions are `LmsSession`s, so listeners on them never see a statement of the host's. Our
migrations track themselves in `lms_alembic_version`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

TABLE_PREFIX = "lms_"
VERSION_TABLE = "lms_alembic_version"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


EXTENSION_KEY = "sop_lms_db"


class LmsSession(Session):
    """sop-lms's own session class: event listeners registered on it (the audit trail's guard) see only
    sop-lms's statements, not those of a host's session."""


class LmsSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy that coexists with a host's own instance on the same app."""

    def init_app(self, app: Flask) -> None:
        """Flask-SQLAlchemy's own `init_app` refuses a second instance on one app and reads the host's
        engine settings; this one registers under `EXTENSION_KEY` and reads `LMS_DATABASE_URI` and
        `LMS_ENGINE_OPTIONS` (set by `lms.config.apply_defaults`)."""
        url = app.config.get("LMS_DATABASE_URI")
        if not url:
            raise RuntimeError("sop-lms needs a database: set LMS_DATABASE_URI or SQLALCHEMY_DATABASE_URI.")
        app.extensions[EXTENSION_KEY] = self
        app.teardown_appcontext(self._teardown_session)
        options: dict[str, Any] = {**self._engine_options, **app.config.get("LMS_ENGINE_OPTIONS", {})}
        options["url"] = url
        options.setdefault("echo", False)
        options.setdefault("echo_pool", False)
        engines = self._app_engines.setdefault(app, {})
        for engine in engines.values():
            engine.dispose()
        engines.clear()
        self._make_metadata(None)
        self._apply_driver_defaults(options, app)
        engines[None] = self._make_engine(None, options, app)


db = LmsSQLAlchemy(model_class=Base, session_options={"class_": LmsSession}, add_models_to_shell=False)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every backend (SQLite stores naive values and forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# True while a use case that may write runs (set by `lms.services.transactions.transaction`): on SQLite the
# transaction it opens then begins with BEGIN IMMEDIATE; every other transaction is a plain deferred BEGIN.
_WRITING: ContextVar[bool] = ContextVar("sop_lms_writing", default=False)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside are write transactions (on SQLite: they take the write lock up front)."""
    token = _WRITING.set(True)
    try:
        yield
    finally:
        _WRITING.reset(token)


def is_writing() -> bool:
    return _WRITING.get()


def tune_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys; reads that never lock, writes that take the lock up front.

    A read-only transaction is a deferred `BEGIN`: under WAL it reads a snapshot and never blocks or waits
    for a writer, so any number of workers read at once. A use case that writes begins with
    `BEGIN IMMEDIATE` (see `writing`), so a second writer waits (busy timeout) for the first to commit
    instead of failing half-way with "database is locked" when a read lock cannot be upgraded; it holds the
    lock only until its use case commits, not to the end of the request.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _WRITING.get() else "BEGIN")
