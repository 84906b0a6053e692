"""Fixtures: one database per backend per test session (SQLite always, PostgreSQL when TEST_DATABASE_URL is
set), migrated with the real Alembic history; every test runs in a transaction that is rolled back."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.config import normalise_database_url
from lms.db import LmsSession, db
from lms.services import accounts

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ("tests.compliance_org",)  # the compliance reports' organisation fixture

DEMO_SOPS = ROOT / "lms" / "demo" / "sops"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PASSWORD = "correct horse battery"
PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def pytest_report_header(config) -> str:
    return (
        "database backends: "
        + ", ".join(BACKENDS)
        + ("" if PG_URL else " (TEST_DATABASE_URL unset: no PostgreSQL)")
    )


def pytest_terminal_summary(terminalreporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    skipped_browser = [report for report in skipped if "BROWSER TESTS SKIPPED" in str(report.longrepr)]
    if skipped_browser:
        terminalreporter.write_line(
            f"WARNING: {len(skipped_browser)} BROWSER TEST(S) WERE SKIPPED: Chromium is not installed "
            "(run `make test` as root, or apt-get install chromium).",
            red=True,
            bold=True,
        )
    skipped_parity = [report for report in skipped if "LibreOffice is not installed" in str(report.longrepr)]
    if skipped_parity:
        terminalreporter.write_line(
            "WARNING: THE FORMAT-PARITY TEST WAS SKIPPED: LibreOffice is not installed "
            "(run `make test` as root, or apt-get install libreoffice-writer-nogui).",
            red=True,
            bold=True,
        )
    if not PG_URL:
        terminalreporter.write_line(
            "NOTE: PostgreSQL was NOT exercised: set TEST_DATABASE_URL to run every database test on it too.",
            yellow=True,
        )


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    """A brand-new empty database for this test session; a PostgreSQL one is dropped at the end."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite'}"
        return
    yield from _postgres_database(f"sop_lms_test_{uuid.uuid4().hex[:12]}")


def _postgres_database(name: str) -> Iterator[str]:
    server = make_url(normalise_database_url(PG_URL))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory) -> Iterator[Flask]:
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url},
        instance_path=str(tmp_path_factory.mktemp("instance")),
    )
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def committed_app(request, tmp_path) -> Iterator[Flask]:
    """An app on a database of its own where commits are real, for tests that need several connections
    (concurrency): no rollback isolation here, so the database is thrown away afterwards."""
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path / 'committed.sqlite'}"])
    else:
        urls = _postgres_database(f"sop_lms_committed_{uuid.uuid4().hex[:12]}")
    url = next(urls)
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url}, str(tmp_path))
    try:
        with app.app_context():
            flask_migrate.upgrade()
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        next(urls, None)  # drops the PostgreSQL database


@pytest.fixture
def backend(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0].split("+")[0]


@pytest.fixture(autouse=True)
def _rolled_back(request) -> Iterator[None]:
    """Each database test works inside one outer transaction that is rolled back afterwards.

    The app's engine is swapped for a single connection in that transaction; sessions join it with
    savepoints, so service code that commits still commits (to a savepoint) and sees its own writes.
    """
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    # Set up inside an app context, then pop it: requests made by the test must get an app context (and
    # so a database session) of their own, as in production, not share the fixture's.
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        connection = engine.connect()
        outer = connection.begin()
        original_session = db.session
        engines[None] = connection
        db.session = db._make_scoped_session(
            {"class_": LmsSession, "join_transaction_mode": "create_savepoint"}
        )
    try:
        yield
    finally:
        with app.app_context():
            db.session.remove()
            db.session = original_session
            engines[None] = engine
            outer.rollback()
            connection.close()


@pytest.fixture
def app_ctx(app) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def client(app) -> FlaskClient:
    return app.test_client()


@dataclass(frozen=True)
class Person:
    """What a test needs to know about a user it created (no live ORM object across app contexts)."""

    id: int
    email: str
    name: str


@pytest.fixture
def make_user(app):
    counter = iter(range(1, 10_000))

    def make(
        app_role: str = "learner", job_role_ids: list[int] | None = None, name: str | None = None
    ) -> Person:
        number = next(counter)
        with app.app_context():
            user = accounts.create_user(
                f"{app_role}{number}@example.org",
                name or f"{app_role.title()} {number}",
                PASSWORD,
                app_role,
                job_role_ids or [],
            )
            return Person(user.id, user.email, user.name)

    return make


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
    found = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def post(client: FlaskClient, path: str, data: dict | None = None, csrf_path: str = "/login", **kwargs):
    """POST like a browser would: with the CSRF token the page's form carries."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client, csrf_path))
    return client.post(path, data=payload, **kwargs)


def login(client: FlaskClient, user: Person, password: str = PASSWORD) -> None:
    response = post(client, "/login", {"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
