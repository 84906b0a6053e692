"""What the benchmarks share: throwaway databases, an app on a synthetic organisation, the JSON last line."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from lms import create_app  # noqa: E402
from lms.config import normalise_database_url  # noqa: E402
from lms.db import db  # noqa: E402

SYNTHETIC_PASSWORD = "synthetic-learner"  # noqa: S105 - every learner of a throwaway benchmark database
USER_AGENT = "sop-lms-bench"  # sessions are bound to it (Flask-Login's strong protection)
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="sop-lms-bench-") as folder:
        yield f"sqlite:///{folder}/bench.sqlite"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A database of its own on the server, dropped at the end."""
    server = make_url(normalise_database_url(server_url))
    name = f"sop_lms_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def backends(pg_url: str | None, only: str | None) -> list[str]:
    """The backends to measure: SQLite, and PostgreSQL when a server is given."""
    found = [] if only == "postgresql" else ["sqlite"]
    if pg_url and only != "sqlite":
        found.append("postgresql")
    elif only != "sqlite":
        log("PostgreSQL not measured: pass --pg URL or set TEST_DATABASE_URL.")
    return found


def database(backend: str, pg_url: str | None):
    """A fresh database on that backend (a context manager giving its URL)."""
    return postgres_database(pg_url) if backend == "postgresql" else sqlite_database()


def databases(pg_url: str | None, only: str | None) -> list[tuple[str, object]]:
    """(backend name, database context) for each backend measured."""
    return [(name, database(name, pg_url)) for name in backends(pg_url, only)]


@contextmanager
def migrated_app(url: str) -> Iterator[Flask]:
    """An app on `url`, its database migrated and empty."""
    with tempfile.TemporaryDirectory(prefix="sop-lms-bench-instance-") as instance:
        app = create_app(
            {"TESTING": False, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url}, instance_path=instance
        )
        try:
            with app.app_context():
                flask_migrate.upgrade()
            yield app
        finally:
            with app.app_context():
                db.engine.dispose()


@contextmanager
def synthetic_app(url: str, size, password: str = SYNTHETIC_PASSWORD) -> Iterator[tuple[Flask, dict]]:
    """An app on `url`, migrated and filled by `lms.synthetic.build`; yields it and what was written."""
    from lms import synthetic

    with migrated_app(url) as app:
        with app.app_context():
            built = synthetic.build(size, password)
            with db.engine.connect() as fresh:  # planner statistics, as a maintained database has
                fresh.execute(text("ANALYZE"))
                fresh.commit()
            rate = f"{built.rows_per_second:,.0f} rows/s"
            log(f"  seeded {built.total_rows:,} rows in {built.seconds:.1f} s ({rate})")
        yield app, {"rows": built.rows, "seconds": round(built.seconds, 2)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(app_path: str, env: dict[str, str], workers: int):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn, our own arguments
        [GUNICORN, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", app_path],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, email: str, password: str) -> str:
    """A session cookie from the real sign-in form (bound to `USER_AGENT`: send it with the cookie)."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    opener.addheaders = [("User-Agent", USER_AGENT)]  # the session is bound to it (strong protection)
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"email": email, "password": password, "csrf_token": token})
    try:  # not following the redirect: the home page of a compliance officer is not what is measured
        opener.open(f"{base}/login", data=form.encode(), timeout=30).read()
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def print_result(benchmark: str, ratios: dict, targets: dict, meets: bool, **extra) -> None:
    print(
        json.dumps(
            {"benchmark": benchmark, "ratios": ratios, "targets": targets, "meets_targets": meets, **extra}
        )
    )
