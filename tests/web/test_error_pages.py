"""Error pages, security headers and the sign-out link behave like a product's, not a framework's."""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import text

from lms import create_app
from lms.db import db
from lms.services import accounts
from tests.conftest import PASSWORD, login


def test_unknown_urls_get_the_apps_404_page(client, make_user) -> None:
    login(client, make_user("learner"))
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Back to home" in page and 'class="topbar"' in page


def test_get_logout_goes_home_without_signing_out(client, make_user) -> None:
    login(client, make_user("learner"))
    response = client.get("/logout")
    assert response.status_code == 302
    assert client.get("/my/training").status_code == 200


def test_security_headers_on_every_page(client) -> None:
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_failed_write_still_gets_the_apps_error_page(tmp_path) -> None:
    """After a database error mid-request, the 500 page renders (the session is rolled back first)."""
    app = create_app(
        {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'e.sqlite'}"}, str(tmp_path)
    )

    @app.get("/explode")
    def explode() -> str:
        name = current_user.name  # loaded, then expired by the commit below
        db.session.commit()
        db.session.execute(text("INSERT INTO lms_job_role (id, name, description) VALUES (1, 'x', '')"))
        db.session.execute(text("INSERT INTO lms_job_role (id, name, description) VALUES (1, 'x', '')"))
        return name

    with app.app_context():
        import flask_migrate

        flask_migrate.upgrade()
        accounts.create_user("e@example.org", "Erin Error", PASSWORD)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"email": "e@example.org", "password": PASSWORD, "csrf_token": token})
    response = client.get("/explode")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Erin Error" in body and "Back to home" in body
    with app.app_context():
        db.engine.dispose()
