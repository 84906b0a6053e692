"""The sop-lms Flask extension: everything a host app needs to mount sop-lms under a URL prefix.

Following Flask's extension pattern, the object keeps no app reference; per-app state lives in
`app.extensions["sop_lms"]`.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_login import LoginManager
from flask_migrate import Migrate

from lms.config import apply_defaults
from lms.db import VERSION_TABLE, db, tune_sqlite

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


class SopLms:
    def __init__(self, app: Flask | None = None, url_prefix: str = "") -> None:
        self.url_prefix = url_prefix
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask, url_prefix: str | None = None) -> None:
        prefix = self.url_prefix if url_prefix is None else url_prefix
        apply_defaults(app.config, app.instance_path)

        import lms.models  # noqa: F401  (register every table on the metadata)

        db.init_app(app)
        with app.app_context():
            tune_sqlite(db.engine)
        if "migrate" not in app.extensions:
            Migrate(
                app,
                db,
                directory=MIGRATIONS_DIR,
                version_table=VERSION_TABLE,
                compare_type=True,
                render_as_batch=True,
            )
        self._init_login(app)

        from lms.cli import lms_commands
        from lms.web import build_blueprint

        app.register_blueprint(build_blueprint(), url_prefix=prefix or None)
        app.cli.add_command(lms_commands, "sop-lms")
        app.extensions["sop_lms"] = self

    @staticmethod
    def _init_login(app: Flask) -> None:
        from lms.models import User

        manager = getattr(app, "login_manager", None) or LoginManager(app)
        manager.login_view = "lms.auth.login"
        manager.login_message = "Please sign in to continue."
        manager.login_message_category = "info"
        manager.session_protection = "strong"

        @manager.user_loader
        def load_user(user_id: str) -> User | None:
            return db.session.get(User, int(user_id)) if user_id.isdigit() else None
