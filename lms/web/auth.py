"""Sign in and out, and the home page that sends each user where their work is."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from lms.forms.admin import TimezoneForm
from lms.forms.auth import ActionForm, LoginForm
from lms.services import accounts
from lms.web.access import public, signed_in
from lms.web.identity import current_user, host_user, hosted_login
from lms.web.safety import form_status, safe_next_url


def build() -> Blueprint:
    bp = Blueprint("auth", __name__)
    bp.add_url_rule("/login", view_func=login, methods=["GET", "POST"])
    bp.add_url_rule("/logout", view_func=logout, methods=["GET", "POST"])
    bp.add_url_rule("/", view_func=home, endpoint="home")
    bp.add_url_rule("/account", view_func=account, methods=["GET", "POST"])
    return bp


@public
def login() -> Response | tuple[str, int]:
    if hosted_login():  # the host signs people in, on its own login page
        if current_user.is_authenticated:
            return redirect(url_for("lms.auth.home"))
        if host_user().is_authenticated:
            abort(403)  # signed in to the host, which does not let this person use sop-lms
        return current_app.login_manager.unauthorized()
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
    if request.method == "GET" or hosted_login():  # a host signs its users out itself
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


@signed_in
def account() -> str | Response | tuple[str, int]:
    """The signed-in user's own settings: the time zone their times are shown in."""
    form = TimezoneForm(timezone=current_user.timezone)
    form.timezone.choices = [SelectChoice(value=zone, label=zone) for zone in TIME_ZONES]
    if form.validate_on_submit():
        accounts.set_timezone(current_user.id, form.timezone.data or "UTC")
        flash("Time zone saved.", "success")
        return redirect(url_for("lms.auth.account"))
    return render_template("lms/auth/account.html", form=form), form_status(form)


TIME_ZONES = sorted(available_timezones())
