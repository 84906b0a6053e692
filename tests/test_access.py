"""Deny by default: every route declares who may use it, and role checks hold over real HTTP."""

from __future__ import annotations

import pytest
from flask import Flask

from lms.web.access import PUBLIC, SIGNED_IN
from tests.conftest import login, post


def test_every_endpoint_declares_an_access_policy(app: Flask) -> None:
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("lms.")
        and not rule.endpoint.endswith(".static")
        and getattr(app.view_functions[rule.endpoint], "_lms_access", None) is None
    ]
    assert undeclared == []


def test_an_undeclared_view_is_refused(app: Flask, client) -> None:
    """A view added to the blueprint without a policy fails closed with 403."""
    app.view_functions["lms.auth.home"]._lms_access, saved = (
        None,
        app.view_functions["lms.auth.home"]._lms_access,
    )
    try:
        assert client.get("/").status_code == 403
    finally:
        app.view_functions["lms.auth.home"]._lms_access = saved


def test_public_pages_are_only_login(app: Flask) -> None:
    public = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if getattr(app.view_functions.get(rule.endpoint), "_lms_access", None) == PUBLIC
    )
    assert public == ["/login"]
    signed_in_only = [
        r.rule
        for r in app.url_map.iter_rules()
        if getattr(app.view_functions.get(r.endpoint), "_lms_access", None) == SIGNED_IN
    ]
    assert "/my/training" in signed_in_only


@pytest.mark.parametrize("path", ["/my/training", "/sops", "/reports/completion.csv", "/admin/users"])
def test_anonymous_users_are_sent_to_login(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("app_role", "path", "status"),
    [
        ("learner", "/sops", 403),
        ("learner", "/sops/upload", 403),
        ("learner", "/reports/completion.csv", 403),
        ("learner", "/admin/users", 403),
        ("trainer", "/admin/users", 403),
        ("compliance", "/sops/upload", 403),
        ("compliance", "/reports/completion.csv", 200),
        ("trainer", "/sops", 200),
        ("admin", "/sops", 200),
        ("admin", "/admin/users", 200),
        ("learner", "/my/training", 200),
    ],
)
def test_role_checks(client, make_user, app_role: str, path: str, status: int) -> None:
    login(client, make_user(app_role))
    assert client.get(path).status_code == status


def test_post_without_csrf_token_is_refused(client, make_user) -> None:
    user = make_user("admin")
    response = client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message(client, make_user) -> None:
    user = make_user("learner")
    response = post(client, "/login", {"email": user.email, "password": "wrong password!"})
    assert response.status_code == 400
    assert "Wrong email or password" in response.get_data(as_text=True)
    assert client.get("/my/training").status_code == 302


def test_login_does_not_redirect_off_site(client, make_user) -> None:
    user = make_user("learner")
    response = post(
        client,
        "/login?next=https://evil.example/",
        {"email": user.email, "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_passwords_are_stored_as_argon2_hashes(app, make_user) -> None:
    from lms.db import db
    from lms.models import User

    user = make_user("learner")
    with app.app_context():
        stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
