"""create_app(): sop-lms as a standalone web application."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(config: Mapping[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the standalone app: a bare Flask host with the sop-lms extension mounted at the root.

    The instance folder (SQLite database, generated secret key) is `./instance` unless
    `instance_path` or `LMS_INSTANCE_PATH` says otherwise.
    """
    from lms.extension import SopLms

    instance_path = instance_path or os.environ.get("LMS_INSTANCE_PATH") or str(Path.cwd() / "instance")
    app = Flask("lms", instance_path=instance_path)
    app.config.update(config or {})
    SopLms().init_app(app, url_prefix="")
    register_root(app)
    return app


def register_root(app: Flask) -> None:
    """A health check for load balancers; everything else lives in the extension's blueprint."""

    @app.get("/healthz")
    def healthz() -> tuple[str, int]:
        return "ok", 200
