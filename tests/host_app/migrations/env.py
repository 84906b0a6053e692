"""The host's own Alembic environment (Flask-Migrate's standard one, cut down): the `member` table only."""

from __future__ import annotations

from alembic import context
from flask import current_app

db = current_app.extensions["migrate"].db


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return type_ != "table" or not name.startswith("lms_")


with db.engine.connect() as connection:
    context.configure(connection=connection, target_metadata=db.metadata, include_object=include_object)
    with context.begin_transaction():
        context.run_migrations()
