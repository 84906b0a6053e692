"""The sop-lms blueprint: one parent (`lms`) that carries access control, CSRF and error pages, and a
child blueprint per audience. Views only parse requests, call services and render."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, request
from flask_wtf.csrf import generate_csrf, validate_csrf
from werkzeug.exceptions import HTTPException
from wtforms.validators import ValidationError

from lms.services.errors import ServiceError
from lms.services.question_edit import answer_to_text
from lms.services.transactions import discard_uncommitted
from lms.web import (
    admin,
    analytics,
    assets,
    audit_trail,
    auth,
    learner,
    policy,
    reports,
    retraining,
    signatures,
    trainer,
)
from lms.web.access import enforce_access
from lms.web.identity import current_user, hosted_login
from lms.web.markup import inline_markdown, nest
from lms.web.times import local_time
from quizzes.answers import answer_type

PACKAGE_DIR = Path(__file__).resolve().parent.parent
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def build_blueprint() -> Blueprint:
    """A fresh blueprint per app, so several apps (tests, a host) can mount sop-lms side by side."""
    bp = Blueprint(
        "lms",
        __name__,
        template_folder=str(PACKAGE_DIR / "templates"),
        static_folder=str(PACKAGE_DIR / "static"),
        static_url_path="/static",
    )
    bp.before_request(limit_upload_size)
    bp.before_request(protect_from_csrf)
    bp.before_request(enforce_access)
    bp.register_error_handler(HTTPException, render_http_error)
    bp.register_error_handler(ServiceError, render_service_error)
    bp.after_request(add_security_headers)
    bp.after_request(assets.serve_asset)
    bp.context_processor(template_names)
    bp.add_app_template_filter(
        lambda answer, question_type: answer_to_text(question_type, answer), "answer_text"
    )
    bp.add_app_template_filter(inline_markdown, "inline_md")
    bp.add_app_template_filter(nest, "nest")
    bp.add_app_template_filter(local_time, "local_time")
    for child in (auth, learner, retraining, trainer, reports, admin, signatures, audit_trail, analytics):
        bp.register_blueprint(child.build())
    return bp


def template_names() -> dict:
    """What sop-lms's templates use besides their arguments; for its own pages only, so a host's templates
    keep their own `current_user` (the host's user, where sop-lms's is its own account)."""
    return {
        "csrf_token": generate_csrf,
        "asset_url": assets.asset_url,
        "plotly_url": assets.plotly_url,
        "answer_type": answer_type,
        "current_user": current_user,
        "hosted_login": hosted_login(),
    }


def limit_upload_size() -> None:
    """Cap request bodies for sop-lms routes only, leaving a host app's own limit alone."""
    request.max_content_length = current_app.config["LMS_MAX_UPLOAD_BYTES"]


def protect_from_csrf() -> None:
    """Every state-changing request carries the session's CSRF token, whatever form or script sent it."""
    if request.method not in UNSAFE_METHODS or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
    try:
        validate_csrf(token)
    except ValidationError:
        abort(
            400,
            description="This form has expired or was not sent by sop-lms. Reload the page and try again.",
        )


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": policy.STRICT,  # a figure page sets its own (policy.figure_page)
}


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def render_http_error(error: HTTPException):
    discard_uncommitted()  # a failed write must not break the page that reports it
    message = error.description
    if error.code == 413:
        limit_mb = current_app.config["LMS_MAX_UPLOAD_BYTES"] // (1024 * 1024)
        message = f"The upload is larger than the {limit_mb} MB limit. Nothing was saved."
    return render_template("lms/error.html", code=error.code, title=error.name, message=message), error.code


def render_service_error(error: ServiceError):
    discard_uncommitted()
    return render_template(
        "lms/error.html", code=error.status, title="Not possible", message=error.message
    ), (error.status)
