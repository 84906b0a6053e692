"""sop-lms mounted as an extension inside a host Flask app, under a prefix the host chooses."""

from __future__ import annotations

import flask_migrate
from flask import Flask
from sqlalchemy import inspect, text

from lms import SopLms
from lms.db import db
from lms.services import accounts
from tests.conftest import PASSWORD


def test_host_app_mounts_sop_lms_under_training(tmp_path) -> None:
    host = Flask("host_app", instance_path=str(tmp_path / "instance"))
    host.config.update(
        SECRET_KEY="host-secret",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'host.sqlite'}",
        TESTING=True,
    )

    @host.get("/")
    def host_home() -> str:
        return "the host's own home page"

    @host.get("/report")
    def host_report() -> str:
        return "<p>a long page of the host's</p>" * 100

    SopLms(host, url_prefix="/training")
    with host.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("CREATE TABLE host_orders (id INTEGER PRIMARY KEY)"))
        flask_migrate.upgrade()
        accounts.create_user("host-learner@example.org", "Host Learner", PASSWORD)
        tables = set(inspect(db.engine).get_table_names())
    assert "host_orders" in tables, "our migrations must leave the host's tables alone"
    assert "lms_alembic_version" in tables and "alembic_version" not in tables

    client = host.test_client()
    assert client.get("/").get_data(as_text=True) == "the host's own home page"
    login_page = client.get("/training/login")
    assert login_page.status_code == 200
    page = login_page.get_data(as_text=True)
    assert 'href="/training/static/lms/app.css?v=' in page
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/training/login",
        data={"email": "host-learner@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/training/"
    dashboard = client.get("/training/my/training", follow_redirects=True)
    assert dashboard.status_code == 200
    assert "My training" in dashboard.get_data(as_text=True)
    with client.get("/training/static/lms/app.css", headers={"Accept-Encoding": "gzip"}) as stylesheet:
        assert stylesheet.status_code == 200
        assert stylesheet.headers["Content-Encoding"] == "gzip"
    host_page = client.get("/report", headers={"Accept-Encoding": "gzip"})  # the host's: left as it was
    assert "Content-Encoding" not in host_page.headers and b"host's" in host_page.data
    assert client.get("/my/training").status_code == 404
    with host.app_context():
        db.engine.dispose()
