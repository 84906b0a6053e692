"""Alembic environment for sop-lms: only our tables (the `lms_` metadata), our own version table.

A host application that keeps its own tables and Alembic history in the same database is never touched.
"""

from __future__ import annotations

import logging
from logging.config import fileConfig

from alembic import context

from lms.db import TABLE_PREFIX, VERSION_TABLE, db, writing

config = context.config
if config.config_file_name is not None and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = db.metadata


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Ignore every table that is not ours, so autogenerate never proposes dropping a host's tables."""
    if type_ == "table":
        return bool(name) and name.startswith(TABLE_PREFIX) and name != VERSION_TABLE
    return True


def _options() -> dict:
    """Ours whoever runs them: `flask db` of a host with its own Flask-Migrate configures that Migrate
    (its version table, its options), never these migrations."""
    return {
        "version_table": VERSION_TABLE,
        "compare_type": True,
        "render_as_batch": True,
        "include_object": include_object,
    }


def run_migrations_offline() -> None:
    context.configure(
        url=str(db.engine.url), target_metadata=target_metadata, literal_binds=True, **_options()
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    def skip_empty(ctx, revision, directives) -> None:
        if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
            directives[:] = []
            logging.getLogger("alembic").info("No changes in schema detected.")

    options = _options()
    options.setdefault("process_revision_directives", skip_empty)
    # A write transaction from the start (on SQLite: BEGIN IMMEDIATE), so a migration run while the app
    # serves waits for the lock instead of failing half-way when its first write cannot take it.
    with writing(), db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
