"""The models and the migration history agree: autogenerate against a migrated database finds nothing."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lms.db import VERSION_TABLE, db


def _include(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and (name == VERSION_TABLE or not str(name).startswith("lms_")))


def test_autogenerate_finds_no_difference(app) -> None:
    with app.app_context():
        context = MigrationContext.configure(
            db.session.connection(),
            opts={"compare_type": True, "include_object": _include, "version_table": VERSION_TABLE},
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == [], f"models and migrations disagree; run `sop-lms db migrate`: {differences}"


def test_every_table_is_prefixed_and_versioned_separately(app) -> None:
    with app.app_context():
        tables = set(inspect(db.session.connection()).get_table_names())
    assert VERSION_TABLE in tables
    ours = {t.name for t in db.metadata.sorted_tables}
    assert ours <= tables
    assert all(name.startswith("lms_") for name in ours)
