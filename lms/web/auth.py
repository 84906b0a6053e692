"""Sign in and out, and the home page that sends each user where their work is."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from lms.forms.auth import ActionForm, LoginForm
from lms.services import accounts
from lms.web.access import public, signed_in
from lms.web.safety import form_status, safe_next_url


def build() -> Blueprint:
    bp = Blueprint("auth", __name__)
    bp.add_url_rule("/login", view_func=login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", view_func=logout, methods=["GET", "POST"])
    bp.add_url_rule("/", view_func=home, endpoint="home")
    return bp


@public
def login() -> Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("lms.auth.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("lms.auth.home"))
        flash("Wrong email or password.", "error")
    return render_template("lms/auth/login.html", form=form), form_status(form)


@signed_in
def logout() -> Response:
    """Sign out on POST (with the CSRF token); a GET, e.g. a typed URL, just goes home."""
    if request.method == "GET":
        return redirect(url_for("lms.auth.home"))
    if ActionForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("lms.auth.login"))


@signed_in
def home() -> Response:
    """Trainers land on SOPs, compliance officers on reports, admins on users, others on training."""
    destination = {
        "trainer": "lms.trainer.sops",
        "compliance": "lms.reports.completion",
        "admin": "lms.admin.users",
    }.get(current_user.app_role, "lms.learner.dashboard")
    return redirect(url_for(destination))
