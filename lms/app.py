"""create_app(): sop-lms as a standalone web application."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException, InternalServerError


def create_app(config: Mapping[str, Any] | None = None, instance_path: str | None = None) -> Flask:
    """Build the standalone app: a bare Flask host with the sop-lms extension mounted at the root.

    The instance folder (SQLite database, generated secret key) is `./instance` unless
    `instance_path` or `LMS_INSTANCE_PATH` says otherwise.
    """
    from lms.extension import SopLms

    instance_path = instance_path or os.environ.get("LMS_INSTANCE_PATH") or str(Path.cwd() / "instance")
    # no app-level static route: sop-lms's blueprint serves its assets (versioned and compressed)
    app = Flask("lms", instance_path=instance_path, static_folder=None)
    app.config.update(config or {})
    SopLms().init_app(app, url_prefix="")
    register_root(app)
    return app


def register_root(app: Flask) -> None:
    """A health check, and sop-lms's error pages for URLs no blueprint matched (404, 405, 500).

    Only the standalone app does this: a host application keeps its own error pages.
    """

    @app.get("/healthz")
    def healthz() -> tuple[str, int]:
        return "ok", 200

    from lms.web import add_security_headers, render_http_error, template_names

    app.context_processor(template_names)  # error pages for URLs outside the blueprint use the same layout
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(Exception, render_unexpected_error)
    app.after_request(add_security_headers)


def render_unexpected_error(error: Exception):
    """A 500 page in the app's look, after rolling back whatever the failed request had written."""
    if isinstance(error, HTTPException):
        return error
    from lms.web import render_http_error

    current_app.logger.error("Unhandled exception on %s", request.path, exc_info=error)

    return render_http_error(InternalServerError(original_exception=error))
