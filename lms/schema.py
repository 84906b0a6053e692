"""sop-lms's own migrations, run by `flask sop-lms db upgrade` whatever Alembic setup the host app has.

Alembic is driven directly (not through Flask-Migrate, whose `flask db` belongs to the host when it has
one), with sop-lms's script directory and its own version table (`lms_alembic_version`, set in
`migrations/env.py`), so the host's history and version table are never read or written.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from lms.db import VERSION_TABLE, db

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return config


def upgrade(revision: str = "head") -> None:
    """Apply sop-lms's migrations up to `revision` (inside an app context)."""
    command.upgrade(alembic_config(), revision)


def downgrade(revision: str) -> None:
    command.downgrade(alembic_config(), revision)


def current_revision() -> str | None:
    """The revision sop-lms's tables are at, from its own version table (None: never migrated)."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(
            connection, opts={"version_table": VERSION_TABLE}
        ).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
