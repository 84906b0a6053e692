"""The sop-lms Flask extension: everything a host app needs to mount sop-lms under a URL prefix.

Following Flask's extension pattern, the object keeps no app reference; per-app state lives in
`app.extensions["sop_lms"]` (a `MountedState`).

Two kinds of host:
- a bare one (no login of its own): sop-lms signs people in with its own accounts and login page;
- an ordinary application with its own Flask-SQLAlchemy, users and Flask-Login (set up before or after
  sop-lms). sop-lms then keeps the host's user loader and login view, and asks the host who its signed-in
  user is through the `host_user` hook (a `HostIdentity`: the host's id for them, e-mail, name, app role),
  keeping an account of its own for them
  (`lms.services.host_users`). Electronic signatures re-authenticate the person: the `check_password` hook
  asks the host whether the re-entered password is theirs. sop-lms's database handle registers beside the
  host's (`lms.db`), and its migrations run with their own version table: `flask sop-lms db upgrade`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask_login import LoginManager
from flask_migrate import Migrate

from lms.config import apply_defaults
from lms.db import VERSION_TABLE, db, tune_sqlite
from lms.schema import MIGRATIONS_DIR
from lms.services.host_users import HostIdentity
from lms.web import assets

HostUserHook = Callable[[Any], HostIdentity | None]  # the host's current_user -> who they are to sop-lms
PasswordHook = Callable[[Any, str], bool]  # (the host's current_user, password) -> is it theirs?


@dataclass(frozen=True)
class MountedState:
    """How sop-lms is mounted on one app."""

    extension: SopLms
    own_login: LoginManager | None  # sop-lms's own sign-in; None when the host signs people in

    def hosted_login(self, app: Flask) -> bool:
        """Does the host sign people in? Asked per request, not once at set-up: a host that sets up its own
        Flask-Login after sop-lms replaces sop-lms's manager, and its users must then go through the hook
        (never be taken for sop-lms accounts that happen to share their id)."""
        return self.own_login is None or getattr(app, "login_manager", None) is not self.own_login


class SopLms:
    def __init__(
        self,
        app: Flask | None = None,
        url_prefix: str = "",
        host_user: HostUserHook | None = None,
        check_password: PasswordHook | None = None,
    ) -> None:
        self.url_prefix = url_prefix
        self._host_user = host_user
        self._check_password = check_password
        if app is not None:
            self.init_app(app)

    def host_user(self, hook: HostUserHook) -> HostUserHook:
        """Decorator: register the hook that maps the host's signed-in user to a HostIdentity (None: this
        person may not use sop-lms)."""
        self._host_user = hook
        return hook

    def check_password(self, hook: PasswordHook) -> PasswordHook:
        """Decorator: register the hook that checks a password re-entered to sign (Part 11)."""
        self._check_password = hook
        return hook

    def identify(self, host_user: Any) -> HostIdentity | None:
        if self._host_user is None:
            raise RuntimeError(
                "sop-lms is mounted in an app with its own login: register a host_user hook "
                "(SopLms(app, host_user=...) or @sop_lms.host_user) that says who its user is."
            )
        return self._host_user(host_user)

    def password_matches(self, host_user: Any, password: str) -> bool | None:
        """The host's verdict on a re-entered password; None when the host registered no check."""
        return None if self._check_password is None else bool(self._check_password(host_user, password))

    def init_app(self, app: Flask, url_prefix: str | None = None) -> None:
        prefix = self.url_prefix if url_prefix is None else url_prefix
        apply_defaults(app.config, app.instance_path)

        import lms.models  # noqa: F401  (register every table on the metadata)

        db.init_app(app)
        assets.init_app(app)
        with app.app_context():
            tune_sqlite(db.engine)
        if "migrate" not in app.extensions:  # a host's own Flask-Migrate keeps `flask db` for its history
            Migrate(
                app,
                db,
                directory=MIGRATIONS_DIR,
                version_table=VERSION_TABLE,
                compare_type=True,
                render_as_batch=True,
            )
        hosted = self._host_user is not None or getattr(app, "login_manager", None) is not None
        own_login = None if hosted else self._init_login(app)

        from lms.cli import lms_commands
        from lms.web import build_blueprint

        app.register_blueprint(build_blueprint(), url_prefix=prefix or None)
        app.cli.add_command(lms_commands, "sop-lms")
        app.extensions["sop_lms"] = MountedState(self, own_login)

    @staticmethod
    def _init_login(app: Flask) -> LoginManager:
        from lms.models import User

        manager = LoginManager(app)
        manager.login_view = "lms.auth.login"
        manager.login_message = "Please sign in to continue."
        manager.login_message_category = "info"
        manager.session_protection = "strong"

        @manager.user_loader
        def load_user(user_id: str) -> User | None:
            return db.session.get(User, int(user_id)) if user_id.isdigit() else None

        return manager
