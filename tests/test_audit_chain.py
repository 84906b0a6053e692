"""The audit trail is a hash chain: every stored field is hashed, the hash survives a round trip through
SQLite and PostgreSQL, `verify_chain()` / `sop-lms audit verify` name the first broken link after direct SQL
tampering, and the ORM refuses to change or delete an event."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from lms.db import db, writing
from lms.models import AuditEvent
from lms.services import accounts, audit
from lms.services.audit import HASH_MISMATCH, HASHED_FIELDS, PREV_HASH_MISMATCH, AuditTrailIsAppendOnly
from lms.services.transactions import transaction
from tests.conftest import ROOT

SOP_LMS = str(Path(sys.executable).parent / "sop-lms")
TRICKY_DATA = {
    "zeta": 1,
    "alpha": {"b": [3, 2, 1], "a": None},
    "name": 'Amara Ökafor 🧪 "quoted" \\ back',
    "ratio": 0.1,
    "tiny": 1e-7,
    "big": 2**62,
    "flag": True,
    "when": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    "pair": (1, "two"),
    7: "int key",
}


def test_the_hash_covers_every_stored_column() -> None:
    stored = {column.key for column in AuditEvent.__table__.columns}
    assert stored - {"hash"} == set(HASHED_FIELDS)


def test_a_change_to_any_field_changes_the_hash(app_ctx) -> None:
    with writing():
        event = audit.record("thing.change", "thing", 1, {"old": 1, "new": 2}, None, "because")
    original = audit.event_hash(event)
    for name, value in {
        "id": event.id + 1,
        "occurred_at": datetime(2000, 1, 1, tzinfo=UTC),
        "actor_id": 99,
        "action": "thing.other",
        "entity_type": "other",
        "entity_id": "2",
        "data": {"old": 1, "new": 3},
        "reason": "because!",
        "prev_hash": "1" * 64,
    }.items():
        saved = getattr(event, name)
        setattr(event, name, value)
        assert audit.event_hash(event) != original, name
        setattr(event, name, saved)
    assert audit.event_hash(event) == original
    db.session.expunge(event)


@pytest.mark.parametrize("microsecond", [None, 0, 999_999])
def test_events_read_back_from_the_database_rehash_identically(app_ctx, microsecond) -> None:
    actor = accounts.create_user("reader@example.org", "Amara Ökafor", "correct horse battery", "learner")
    with transaction():
        event = audit.record("thing.change", "thing", "A-1", TRICKY_DATA, actor.id, "tidy up  ")
        if microsecond is not None:  # a whole second prints without fractions in isoformat(); not in ours
            event.occurred_at = event.occurred_at.replace(microsecond=microsecond)
            event.hash = audit.event_hash(event)
    event_id, stored_hash = event.id, event.hash
    db.session.expunge_all()

    loaded = db.session.scalar(select(AuditEvent).where(AuditEvent.id == event_id))
    assert loaded.hash == stored_hash
    assert audit.event_hash(loaded) == stored_hash
    assert loaded.occurred_at.tzinfo is not None
    assert loaded.data["name"] == TRICKY_DATA["name"]
    assert audit.verify_chain().ok


def test_each_event_links_to_the_one_before(app_ctx) -> None:
    with writing():
        first = audit.record("a", "thing", 1)
        second = audit.record("b", "thing", 2)
        db.session.flush()
    assert second.id == first.id + 1
    assert second.prev_hash == first.hash
    report = audit.verify_chain()
    assert report.ok and report.last_id == second.id and report.head_hash == second.hash


# --- tampering with committed rows, as someone with database access would --------------------------------


def seed_chain(app, count: int = 6) -> list[int]:
    """Commit a user (its own event) and `count` more events; return the ids of all of them."""
    with app.app_context():
        actor = accounts.create_user("officer@example.org", "Olu Officer", "correct horse battery", "admin")
        for number in range(count):
            with transaction():
                audit.record(
                    "question.update",
                    "question",
                    number,
                    {"old": {"stem": f"Old {number}"}, "new": {"stem": f"New {number}"}},
                    actor.id,
                    f"review {number}",
                )
        return list(db.session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def tamper(app, sql: str, **params) -> None:
    with app.app_context(), db.engine.begin() as connection:
        assert connection.execute(text(sql), params).rowcount == 1


def verify(app) -> audit.ChainReport:
    with app.app_context():
        return audit.verify_chain(batch_size=2)  # several batches even for a short chain


def run_cli(app, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "LMS_INSTANCE_PATH": str(tmp_path / "cli-instance"),
    }
    return subprocess.run(
        [SOP_LMS, "audit", "verify"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_an_untouched_chain_verifies(committed_app, tmp_path) -> None:
    ids = seed_chain(committed_app)
    report = verify(committed_app)
    assert report.ok and report.broken == 0
    assert report.checked == len(ids) and report.last_id == ids[-1]
    result = run_cli(committed_app, tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Audit chain OK: {len(ids)} events verified" in result.stdout


def test_an_empty_chain_verifies(committed_app) -> None:
    report = verify(committed_app)
    assert report.ok and report.checked == 0
    assert "no events" in report.summary()


def test_editing_an_events_data_in_sql_names_that_event(committed_app, tmp_path) -> None:
    ids = seed_chain(committed_app)
    target = ids[3]
    cast = (
        "CAST(:data AS JSON)"
        if committed_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres")
        else ":data"
    )
    tamper(
        committed_app,
        f"UPDATE lms_audit_event SET data = {cast} WHERE id = :id",  # noqa: S608 (fixed SQL)
        data='{"old": {"stem": "Old 2"}, "new": {"stem": "Something else"}}',
        id=target,
    )
    report = verify(committed_app)
    assert not report.ok
    assert report.first_broken.event_id == target
    assert report.first_broken.problem == HASH_MISMATCH
    assert report.broken == 1, "the rows after it still link to its stored hash"

    result = run_cli(committed_app, tmp_path)
    assert result.returncode == 1
    assert "Audit chain BROKEN" in result.stderr
    assert f"First broken link: event {target}: stored hash does not match" in result.stderr


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("reason", "no reason"),
        ("actor_id", None),
        ("entity_id", "999"),
        ("action", "question.create"),
        ("occurred_at", datetime(2020, 1, 1, tzinfo=UTC)),
    ],
)
def test_editing_any_column_in_sql_names_that_event(committed_app, column, value) -> None:
    ids = seed_chain(committed_app, count=3)
    if column == "occurred_at" and committed_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        value = "2020-01-01 00:00:00.000000"
    sql = f"UPDATE lms_audit_event SET {column} = :value WHERE id = :id"  # noqa: S608 (a fixed column name)
    tamper(committed_app, sql, value=value, id=ids[2])
    report = verify(committed_app)
    assert (report.first_broken.event_id, report.first_broken.problem) == (ids[2], HASH_MISMATCH)


def test_renumbering_the_last_event_is_detected(committed_app) -> None:
    ids = seed_chain(committed_app, count=2)
    tamper(committed_app, "UPDATE lms_audit_event SET id = :new WHERE id = :id", new=ids[-1] + 50, id=ids[-1])
    report = verify(committed_app)
    assert (report.first_broken.event_id, report.first_broken.problem) == (ids[-1] + 50, HASH_MISMATCH)


def test_deleting_a_middle_event_names_the_next_events_link(committed_app, tmp_path) -> None:
    ids = seed_chain(committed_app)
    tamper(committed_app, "DELETE FROM lms_audit_event WHERE id = :id", id=ids[3])
    report = verify(committed_app)
    assert not report.ok
    assert report.first_broken.event_id == ids[4]
    assert report.first_broken.problem == PREV_HASH_MISMATCH
    assert f"hash of event {ids[2]}" in report.first_broken.detail
    assert report.broken == 1
    assert report.checked == len(ids) - 1

    result = run_cli(committed_app, tmp_path)
    assert result.returncode == 1
    assert f"First broken link: event {ids[4]}: prev_hash does not match" in result.stderr


def test_rewriting_an_event_with_a_fresh_hash_breaks_the_next_link(committed_app) -> None:
    ids = seed_chain(committed_app)
    with committed_app.app_context():
        forged = db.session.get(AuditEvent, ids[2])
        db.session.expunge(forged)
        forged.reason = "forged"
        new_hash = audit.event_hash(forged)
    tamper(
        committed_app,
        "UPDATE lms_audit_event SET reason = 'forged', hash = :hash WHERE id = :id",
        hash=new_hash,
        id=ids[2],
    )
    report = verify(committed_app)
    assert (report.first_broken.event_id, report.first_broken.problem) == (ids[3], PREV_HASH_MISMATCH)


def test_deleting_the_first_event_is_detected(committed_app) -> None:
    ids = seed_chain(committed_app, count=2)
    tamper(committed_app, "DELETE FROM lms_audit_event WHERE id = :id", id=ids[0])
    report = verify(committed_app)
    assert (report.first_broken.event_id, report.first_broken.problem) == (ids[1], PREV_HASH_MISMATCH)
    assert "the start of the chain" in report.first_broken.detail


def test_concurrent_writers_keep_one_unbroken_chain(committed_app) -> None:
    writers, each = 4, 10
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(number: int) -> None:
        try:
            with committed_app.app_context():
                start.wait()
                for step in range(each):
                    with transaction():
                        audit.record("load.test", "writer", number, {"step": step})
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    report = verify(committed_app)
    assert report.ok, report.summary()
    assert report.checked == writers * each


# --- append-only in code ---------------------------------------------------------------------------------


def test_the_orm_refuses_to_change_an_event(app_ctx) -> None:
    with transaction():
        event = audit.record("thing.change", "thing", 1, {"new": 1})
    event.data = {"new": 2}
    with pytest.raises(AuditTrailIsAppendOnly, match="refused to change data"):
        db.session.flush()
    db.session.rollback()


def test_the_orm_refuses_to_delete_an_event(app_ctx) -> None:
    with transaction():
        event = audit.record("thing.change", "thing", 1)
    db.session.delete(event)
    with pytest.raises(AuditTrailIsAppendOnly, match="refused to delete"):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [update(AuditEvent).values(reason="rewritten"), delete(AuditEvent)],
    ids=["update", "delete"],
)
def test_the_orm_refuses_bulk_changes(app_ctx, statement) -> None:
    with transaction():
        audit.record("thing.change", "thing", 1)
    with pytest.raises(AuditTrailIsAppendOnly, match="bulk"):
        db.session.execute(statement)
    db.session.rollback()
    assert audit.verify_chain().ok
